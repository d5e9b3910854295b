"""Releasing a component's videos to a family before its call or session, and one
gentle reminder when they have not been watched two days before. Both are idempotent
(a row per family and component, and a message key per parent), so the sweepers and
the deferred tasks may run as often, and in as many processes, as they like."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import formats, timezone

from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent
from babysteps.videos.models import VideoRelease
from babysteps.videos.selectors import (
    component_videos_for_family,
    family_watched_before,
)
from babysteps.videos.touchpoints import (
    Touchpoint,
    touchpoint_for_family,
    touchpoints_starting_between,
)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment), "l j F \\a\\t H:i")


def _portal_url() -> str:
    return f"{settings.SITE_URL}/portal/"


def reminder_time(touchpoint_at: datetime) -> datetime:
    return touchpoint_at - timedelta(days=settings.VIDEO_REMINDER_DAYS_BEFORE)


@transaction.atomic
def release_to_family(*, family_id: int, touchpoint: Touchpoint, now: datetime) -> int:
    """Release one component's videos to one family and tell each parent. Returns 1 if
    this call released it, 0 if it was released already or has no videos for them."""
    if VideoRelease.objects.filter(family_id=family_id, component=touchpoint.component).exists():
        return 0
    family = Family.objects.prefetch_related("parents").get(pk=family_id)
    videos = component_videos_for_family(
        family, touchpoint.component, touchpoint_at=touchpoint.starts_at
    )
    if not videos:
        return 0  # nothing to watch (yet): a video published later is released then
    _, created = VideoRelease.objects.get_or_create(
        family=family,
        component=touchpoint.component,
        defaults={"touchpoint_at": touchpoint.starts_at, "released_at": now},
    )
    if not created:
        return 0
    count = len(videos)
    for parent in family.parents.all():
        message_to_parent(
            parent=parent,
            key=f"videos:release:{family.pk}:{touchpoint.component.pk}:{parent.pk}",
            group=f"videos:{family.pk}:{touchpoint.component.pk}",
            subject=f"Baby Steps: {count} short video{'s' if count != 1 else ''} to watch",
            body=(
                f"Hello {parent.given_name},\n\n"
                f"Before your {touchpoint.kind} on {_when(touchpoint.starts_at)} "
                f'("{touchpoint.component.title}"), there {"are" if count != 1 else "is"} '
                f"{count} short video{'s' if count != 1 else ''} for you to watch in your "
                f"own time. You can also send us your questions before the "
                f"{touchpoint.kind}.\n\n{_portal_url()}\n"
            ),
            deliver_by=touchpoint.starts_at,
        )
    from babysteps.videos.tasks import video_reminder

    enqueue_at(
        video_reminder, reminder_time(touchpoint.starts_at), family.pk, touchpoint.component.pk
    )
    return 1


def release_due(*, now: datetime) -> int:
    """Release what falls due: components whose call or session is within the release
    window and has not started."""
    window = timedelta(days=settings.VIDEO_RELEASE_DAYS_BEFORE)
    return sum(
        release_to_family(family_id=family_id, touchpoint=touchpoint, now=now)
        for family_id, touchpoint in list(touchpoints_starting_between(now, now + window))
    )


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
                f"Your {touchpoint.kind} is on {_when(touchpoint.starts_at)}. If you have a few "
                "minutes before then, the short videos for it are waiting for you. No "
                f"pressure: your facilitator is glad to talk either way.\n\n{_portal_url()}\n"
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
