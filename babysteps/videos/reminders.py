"""The gentle reminder: a family that has not watched a component's videos
``VIDEO_REMINDER_DAYS_BEFORE`` days before its call or session is reminded once
(idempotent: a claim on the release row, and a message key per parent)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone

from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent
from babysteps.videos.models import VideoRelease
from babysteps.videos.selectors import family_watched_before
from babysteps.videos.touchpoints import touchpoint_for_family, touchpoints_starting_between


def when_text(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F \\a\\t H:i")


def portal_url() -> str:
    return f"{settings.SITE_URL}/portal/"


def reminder_time(touchpoint_at: datetime) -> datetime:
    return touchpoint_at - timedelta(days=settings.VIDEO_REMINDER_DAYS_BEFORE)


@transaction.atomic
def reminder_send(*, family_id: int, component_id: int, now: datetime) -> int:
    """Remind the parents, once, if the family has not watched the component's videos
    and its call is less than the reminder time away. Returns the messages queued."""
    release = (
        VideoRelease.objects.select_related("component")
        .filter(family_id=family_id, component_id=component_id, reminded_at__isnull=True)
        .first()
    )
    if release is None:
        return 0
    family = Family.objects.prefetch_related("parents").get(pk=family_id)
    touchpoint = touchpoint_for_family(family, component_id)
    if touchpoint is None or not (
        reminder_time(touchpoint.starts_at) <= now < touchpoint.starts_at
    ):
        return 0  # moved later (the sweeper reminds then), or already happened
    if family_watched_before(family=family, component=release.component, before=now):
        return 0
    claimed = VideoRelease.objects.filter(pk=release.pk, reminded_at__isnull=True).update(
        reminded_at=now
    )
    if not claimed:
        return 0
    sent = 0
    for parent in family.parents.all():
        message_to_parent(
            parent=parent,
            key=f"videos:reminder:{family.pk}:{component_id}:{parent.pk}",
            group=f"videos:{family.pk}:{component_id}",
            subject="Baby Steps: your videos are waiting",
            body=(
                f"Hello {parent.given_name},\n\n"
                f"Your {touchpoint.kind} is on {when_text(touchpoint.starts_at)}. If you have a "
                "few minutes before then, the short videos for it are waiting for you. No "
                f"pressure: your facilitator is glad to talk either way.\n\n{portal_url()}\n"
            ),
            deliver_by=touchpoint.starts_at,
        )
        sent += 1
    return sent


def reminders_due(*, now: datetime) -> int:
    window = timedelta(days=settings.VIDEO_REMINDER_DAYS_BEFORE)
    return sum(
        reminder_send(family_id=family_id, component_id=touchpoint.component.pk, now=now)
        for family_id, touchpoint in list(touchpoints_starting_between(now, now + window))
    )
