"""The gentle reminder: a family that has not watched a component's videos
``VIDEO_REMINDER_DAYS_BEFORE`` days before its call or session is reminded once
(idempotent: a claim on the release row, and a message key per parent)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.core.moments import day_and_time
from babysteps.families.models import Family
from babysteps.notifications.services import message_to_parent
from babysteps.videos.models import VideoRelease
from babysteps.videos.selectors import family_watched_before
from babysteps.videos.touchpoints import touchpoint_for_family, touchpoints_starting_between

# A touchpoint's kind (plain English words in ``Touchpoint.kind``) as parents read it.
KIND_WORDS = {
    "phone call": gettext_lazy("phone call"),
    "video call": gettext_lazy("video call"),
    "group session": gettext_lazy("group session"),
    "home visit": gettext_lazy("home visit"),
    "call": gettext_lazy("call"),
    "session": gettext_lazy("session"),
}


def kind_text(kind: str) -> str:
    return str(KIND_WORDS.get(kind, kind))


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
        with translation.override(parent.portal_language):
            subject = _("Baby Steps: your videos are waiting")
            body = _(
                "Hello %(name)s,\n\nYour %(kind)s is on %(when)s. If you have a few minutes "
                "before then, the short videos for it are waiting for you. No pressure: your "
                "facilitator is glad to talk either way.\n\n%(link)s\n"
            ) % {
                "name": parent.given_name,
                "kind": kind_text(touchpoint.kind),
                "when": day_and_time(touchpoint.starts_at),
                "link": portal_url(),
            }
        message_to_parent(
            parent=parent,
            key=f"videos:reminder:{family.pk}:{component_id}:{parent.pk}",
            group=f"videos:{family.pk}:{component_id}",
            subject=subject,
            body=body,
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
