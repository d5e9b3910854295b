"""Releasing a component's videos to a family before its call or session (and scheduling
the gentle reminder of ``reminders.py`` for two days before). Both are idempotent
(a row per family and component, and a message key per parent), so the sweepers and
the deferred tasks may run as often, and in as many processes, as they like."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import ngettext

from babysteps.core.moments import day_and_time
from babysteps.core.tasks import enqueue_at
from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent
from babysteps.videos.models import VideoRelease
from babysteps.videos.reminders import kind_text, portal_url, reminder_time
from babysteps.videos.selectors import component_videos_for_family
from babysteps.videos.tasks import video_reminder
from babysteps.videos.touchpoints import (
    Touchpoint,
    touchpoints_starting_between,
)


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
    _release, created = VideoRelease.objects.get_or_create(
        family=family,
        component=touchpoint.component,
        defaults={"touchpoint_at": touchpoint.starts_at, "released_at": now},
    )
    if not created:
        return 0
    count = len(videos)
    for parent in family.parents.all():
        with translation.override(parent.portal_language):
            values = {
                "count": count,
                "name": parent.given_name,
                "kind": kind_text(touchpoint.kind),
                "when": day_and_time(touchpoint.starts_at),
                "title": touchpoint.component.title,
                "link": portal_url(),
            }
            subject = (
                ngettext(
                    "Baby Steps: %(count)s short video to watch",
                    "Baby Steps: %(count)s short videos to watch",
                    count,
                )
                % values
            )
            body = (
                ngettext(
                    'Hello %(name)s,\n\nBefore your %(kind)s on %(when)s ("%(title)s"), there '
                    "is %(count)s short video for you to watch in your own time. You can also "
                    "send us your questions before then.\n\n%(link)s\n",
                    'Hello %(name)s,\n\nBefore your %(kind)s on %(when)s ("%(title)s"), there '
                    "are %(count)s short videos for you to watch in your own time. You can also "
                    "send us your questions before then.\n\n%(link)s\n",
                    count,
                )
                % values
            )
        message_to_parent(
            parent=parent,
            key=f"videos:release:{family.pk}:{touchpoint.component.pk}:{parent.pk}",
            group=f"videos:{family.pk}:{touchpoint.component.pk}",
            subject=subject,
            body=body,
            deliver_by=touchpoint.starts_at,
        )
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
