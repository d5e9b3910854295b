from datetime import datetime

from babysteps.core.periodic import periodic
from babysteps.notifications.sending import deliver_due_messages, recover_stale_sending


@periodic("deliver due messages")
def deliver_due(now: datetime) -> int:
    return deliver_due_messages(now=now)


@periodic("recover messages left in sending")
def recover_stale(now: datetime) -> int:
    return recover_stale_sending(now=now)
