from django_tasks import task

from babysteps.core.channel import audit_channel
from babysteps.notifications.sending import message_deliver


@task()
def deliver_message(message_id: int) -> str:
    """Send one queued message (a no-op if it was cancelled, sent or claimed already)."""
    with audit_channel("task"):
        return message_deliver(message_id=message_id)
