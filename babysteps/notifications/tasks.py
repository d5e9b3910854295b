from django.utils import timezone
from django_tasks import task

from babysteps.core.channel import audit_channel
from babysteps.core.tasks import enqueue_at
from babysteps.notifications.models import DeliveryRun
from babysteps.notifications.sending import deliver_due_messages, message_deliver


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message (a no-op if it was cancelled, sent or claimed already)."""
    with audit_channel("task"):
        return message_deliver(message_id=message_id)


def _bring_in_another_worker() -> None:
    enqueue_at(deliver_due, None)


@task()
def deliver_due() -> int:
    """Send every message due now, in batches (the task of a ``DeliveryRun``). When more
    than a batch is waiting it queues one more of itself, so a second worker joins in;
    that one does the same, and the chain stops at the first task to find a short batch."""
    with audit_channel("task"):
        DeliveryRun.objects.filter(run_at__lte=timezone.now()).delete()
        return deliver_due_messages(limit=None, on_full_batch=_bring_in_another_worker)
