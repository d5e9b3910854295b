from django.utils import timezone
from django_tasks import task

from babysteps.core.channel import audit_channel
from babysteps.videos.reminders import reminder_send


@task()
def video_reminder(family_id: int, component_id: int) -> int:
    """The "not watched yet" reminder, deferred to two days before the call. It checks
    again when it runs (the call may have moved, the videos may have been watched)."""
    with audit_channel("task"):
        return reminder_send(family_id=family_id, component_id=component_id, now=timezone.now())
