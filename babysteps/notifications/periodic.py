from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.notifications.sending import deliver_due_messages


@periodic("deliver due messages")
def deliver_due(now: datetime) -> int:
    return deliver_due_messages(now=now)
