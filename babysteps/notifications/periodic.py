from datetime import datetime, timedelta

from babysteps.core.periodic import periodic
from babysteps.notifications.models import DeliveryRun
from babysteps.notifications.sending import deliver_due_messages, recover_stale_sending


@periodic("deliver due messages")
def deliver_due(now: datetime) -> int:
    # A run whose task was lost (a queue emptied by hand) is not left behind for ever:
    # what it was for is due by now, and this sweep sends it.
    DeliveryRun.objects.filter(run_at__lt=now - timedelta(hours=1)).delete()
    return deliver_due_messages(now=now)


@periodic("recover messages left in sending")
def recover_stale(now: datetime) -> int:
    return recover_stale_sending(now=now)
