"""Messages to parents about their calls and sessions, through the shared notifications
layer (which picks an allowed channel, waits for a safe time outside quiet hours, and
sends each idempotency key at most once).

- A booking, a move or a cancellation sends a notice with a calendar invitation (.ics).
- Reminders go 24 hours and 1 hour before a booked call. Their keys carry the booking's
  version, and every message about a booking shares the group ``booking:<id>``: moving or
  cancelling a call cancels what is still pending and queues new keys, so a parent never
  gets a reminder for the old time, and never two for the same time.
- Group-session reminders are queued by a periodic job once they fall due (a session can
  be moved by hand at any time); their keys carry the session's start time, and pending
  ones for a time that no longer holds are cancelled by the same job.
- Weekly programme tips go to families who opted in, once per ISO week.

Every message is written in its recipient's language (``Parent.portal_language``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from babysteps.bookings.ics import call_invitation
from babysteps.bookings.models import CallBooking, CallMode, PlannedCall
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.core.moments import day_and_time
from babysteps.families.models import Family, Parent
from babysteps.notifications.models import Message
from babysteps.notifications.services import Attachment, message_to_parent, messages_cancel
from babysteps.programme.models import KeyMessage

REMINDER_OFFSETS = (("24h", timedelta(hours=24)), ("1h", timedelta(hours=1)))
# No reminder is worth sending this close to the start (or after it).
LATEST_BEFORE_START = timedelta(minutes=10)


def _recipients(family: Family) -> list[Parent]:
    """Parents we can reach (the channel itself is chosen by the notifications layer)."""
    return [p for p in family.parents.all() if p.email or p.mobile]


def _how(mode: str) -> str:
    return _("by video call") if mode == CallMode.VIDEO else _("by phone")


def _ics(booking: CallBooking, *, cancelled: bool, now: datetime) -> Attachment:
    summary = _("Baby Steps call: %(title)s") % {"title": booking.component.title}
    description = _("Your Baby Steps call with %(name)s %(how)s.") % {
        "name": booking.facilitator.get_short_name(),
        "how": _how(booking.mode),
    }
    content = call_invitation(
        booking_id=booking.pk,
        sequence=booking.version,
        starts_at=booking.starts_at,
        ends_at=booking.ends_at,
        summary=summary,
        description=description,
        stamp=now,
        cancelled=cancelled,
    )
    return Attachment(filename="baby-steps-call.ics", content_type="text/calendar", content=content)


NOTICES = {
    "booked": (
        gettext_lazy("Your Baby Steps call is booked"),
        gettext_lazy(
            "Your Baby Steps call about “%(title)s” with %(name)s %(how)s is booked for %(when)s."
        ),
    ),
    "moved": (
        gettext_lazy("Your Baby Steps call has moved"),
        gettext_lazy(
            "Your Baby Steps call about “%(title)s” with %(name)s %(how)s has moved to %(when)s."
        ),
    ),
    "cancelled": (
        gettext_lazy("Your Baby Steps call is cancelled"),
        gettext_lazy(
            "Your Baby Steps call about “%(title)s” with %(name)s %(how)s on %(when)s is cancelled."
        ),
    ),
}


def _notice(booking: CallBooking, event: str, now: datetime) -> tuple[str, str, Attachment]:
    """The notice's subject, body and calendar file, in the active language."""
    subject, what = NOTICES[event]
    lines = [
        str(what)
        % {
            "title": booking.component.title,
            "name": booking.facilitator.get_short_name(),
            "how": _how(booking.mode),
            "when": day_and_time(booking.starts_at),
        }
    ]
    if event == "cancelled":
        lines.append(_("Your facilitator will be in touch about what happens next."))
    else:
        lines.append(
            _(
                "Before the call, please watch the short videos for this session in your "
                "Baby Steps portal, and note any questions or worries you would like to "
                "talk about."
            )
        )
        lines.append(_("A calendar invitation is attached to the email version of this message."))
    attachment = _ics(booking, cancelled=event == "cancelled", now=now)
    return str(subject), "\n\n".join(lines), attachment


def booking_notice(*, booking: CallBooking, event: str, now: datetime) -> list[Message]:
    """Tell the parents a call was booked, moved or cancelled, with a calendar file."""
    out = []
    for parent in _recipients(booking.family):
        with translation.override(parent.portal_language):
            subject, body, attachment = _notice(booking, event, now)
        out.append(
            message_to_parent(
                parent=parent,
                key=f"booking:{booking.pk}:{event}:v{booking.version}:p{parent.pk}",
                subject=subject,
                body=body,
                group=booking.message_group,
                attachments=[attachment],
            )
        )
    return out


def booking_reminders(*, booking: CallBooking, now: datetime) -> list[Message]:
    """Queue the 24-hour and 1-hour reminders that still lie ahead. The 24-hour one must
    go before the 1-hour one is due (or not at all), so a safe-time delay never brings
    the two together; the 1-hour one must go at least ten minutes before the start."""
    out = []
    one_hour_before = booking.starts_at - timedelta(hours=1)
    for label, offset in REMINDER_OFFSETS:
        due = booking.starts_at - offset
        if due <= now:
            continue
        deliver_by = one_hour_before if label == "24h" else booking.starts_at - LATEST_BEFORE_START
        for parent in _recipients(booking.family):
            with translation.override(parent.portal_language):
                subject = _("Reminder: your Baby Steps call")
                body = _(
                    "Reminder: your Baby Steps call about “%(title)s” with "
                    "%(name)s is %(how)s on %(when)s."
                ) % {
                    "title": booking.component.title,
                    "name": booking.facilitator.get_short_name(),
                    "how": _how(booking.mode),
                    "when": day_and_time(booking.starts_at),
                }
            out.append(
                message_to_parent(
                    parent=parent,
                    key=f"reminder:booking:{booking.pk}:{label}:v{booking.version}:p{parent.pk}",
                    subject=subject,
                    body=body,
                    group=booking.message_group,
                    send_after=due,
                    deliver_by=deliver_by,
                )
            )
    return out


def parents_were_told(*, booking: CallBooking) -> bool:
    """Whether a notice about the booking has reached the parents already."""
    return Message.objects.filter(
        group=booking.message_group,
        key__startswith=f"booking:{booking.pk}:",
        status__in=[Message.Status.SENT, Message.Status.SENDING],
    ).exists()


def booking_messages_supersede(*, booking: CallBooking) -> int:
    """Cancel every message about the booking that no worker has claimed yet."""
    return messages_cancel(group=booking.message_group, reason="The call was moved or cancelled.")


# --- Group sessions -----------------------------------------------------------------------

SESSION_KEY_PREFIX = "reminder:session:"


def _session_key(session: PlannedSession, label: str, parent: Parent) -> str:
    epoch = int(session.starts_at.timestamp())
    return f"{SESSION_KEY_PREFIX}{session.pk}:{label}:{epoch}:p{parent.pk}"


def session_group(session_id: int) -> str:
    return f"session:{session_id}"


def _cancel_stale_session_reminders() -> int:
    """Pending reminders for a session time that no longer holds (moved, or the session
    now delivered as calls) are cancelled."""
    pending = list(
        Message.objects.filter(
            status=Message.Status.PENDING, key__startswith=SESSION_KEY_PREFIX
        ).values_list("pk", "key", "family_id")
    )
    if not pending:
        return 0
    ids = {int(key.split(":")[2]) for _, key, _ in pending}
    starts = dict(PlannedSession.objects.filter(pk__in=ids).values_list("pk", "starts_at"))
    remote = set(
        PlannedCall.objects.filter(planned_session_id__in=ids, reason=PlannedCall.Reason.REMOTE)
        .exclude(status=PlannedCall.Status.WITHDRAWN)
        .values_list("planned_session_id", "family_id")
    )
    stale = []
    for pk, key, family_id in pending:
        parts = key.split(":")
        session_id, epoch = int(parts[2]), int(parts[4])
        start = starts.get(session_id)
        if start is None or int(start.timestamp()) != epoch or (session_id, family_id) in remote:
            stale.append(pk)
    return Message.objects.filter(pk__in=stale, status=Message.Status.PENDING).update(
        status=Message.Status.CANCELLED, status_reason="The session moved or became a call."
    )


def session_reminders_due(*, now: datetime) -> int:
    """Queue reminders for group sessions whose 24-hour or 1-hour point has come, to each
    family with an open place, except families whose session is a call instead."""
    _cancel_stale_session_reminders()
    queued = 0
    windows = {
        "24h": (now + timedelta(hours=1), now + timedelta(hours=24)),
        "1h": (now + LATEST_BEFORE_START, now + timedelta(hours=1)),
    }
    for label, (after, until) in windows.items():
        sessions = list(
            PlannedSession.objects.filter(
                starts_at__gt=after, starts_at__lte=until, component__kind="group_session"
            ).select_related("component", "cohort")
        )
        if not sessions:
            continue
        remote = set(
            PlannedCall.objects.filter(planned_session__in=sessions, reason="remote")
            .exclude(status=PlannedCall.Status.WITHDRAWN)
            .values_list("planned_session_id", "family_id")
        )
        places = Enrolment.objects.filter(
            cohort_id__in={s.cohort_id for s in sessions}, status__in=Enrolment.OPEN
        ).select_related("family")
        existing = set(
            Message.objects.filter(
                group__in=[session_group(s.pk) for s in sessions],
                key__startswith=SESSION_KEY_PREFIX,
            ).values_list("key", flat=True)
        )
        families_by_cohort: dict[int, list[Family]] = {}
        for place in places.prefetch_related("family__parents"):
            families_by_cohort.setdefault(place.cohort_id, []).append(place.family)
        for session in sessions:
            deliver_by = (
                session.starts_at - timedelta(hours=1)
                if label == "24h"
                else session.starts_at - LATEST_BEFORE_START
            )
            for family in families_by_cohort.get(session.cohort_id, []):
                if (session.pk, family.pk) in remote:
                    continue
                for parent in _recipients(family):
                    key = _session_key(session, label, parent)
                    if key in existing:
                        continue
                    with translation.override(parent.portal_language):
                        subject, body = _session_reminder(session)
                    message_to_parent(
                        parent=parent,
                        key=key,
                        subject=subject,
                        body=body,
                        group=session_group(session.pk),
                        send_after=now,
                        deliver_by=deliver_by,
                    )
                    queued += 1
    return queued


def _session_reminder(session: PlannedSession) -> tuple[str, str]:
    values = {"title": session.component.title, "when": day_and_time(session.starts_at)}
    if session.location:
        body = _(
            "Reminder: your Baby Steps group session “%(title)s” is on %(when)s at %(place)s."
        ) % {**values, "place": session.location}
    else:
        body = _("Reminder: your Baby Steps group session “%(title)s” is on %(when)s.") % values
    return _("Reminder: your Baby Steps session"), body


# --- Weekly tips -------------------------------------------------------------------------------


def _week_opens(local: datetime) -> datetime:
    monday = local.date() - timedelta(days=local.weekday())
    day = monday + timedelta(days=settings.WEEKLY_TIPS_WEEKDAY)
    return timezone.make_aware(datetime.combine(day, settings.WEEKLY_TIPS_AT))


def weekly_tips_due(*, now: datetime) -> int:
    """Send this week's tip to every parent of an opted-in family with an open place, once
    the week's tip time has come. The tip is a key message of the component the family's
    cohort is on (the next planned one), varying by week."""
    local = timezone.localtime(now)
    opens = _week_opens(local)
    if local < opens:
        return 0
    year, week, _weekday = local.isocalendar()
    prefix = f"tip:{year}-W{week:02d}:"
    sent = set(Message.objects.filter(key__startswith=prefix).values_list("key", flat=True))
    places = list(
        Enrolment.objects.filter(status__in=Enrolment.OPEN, family__weekly_tips_opt_in=True)
        .select_related("family")
        .prefetch_related("family__parents")
    )
    if not places:
        return 0
    sessions = (
        PlannedSession.objects.filter(cohort_id__in={p.cohort_id for p in places})
        .select_related("component")
        .prefetch_related(
            Prefetch("component__key_messages", queryset=KeyMessage.objects.order_by("order"))
        )
        .order_by("starts_at")
    )
    by_cohort: dict[int, list[PlannedSession]] = {}
    for session in sessions:
        by_cohort.setdefault(session.cohort_id, []).append(session)
    week_ends = opens + timedelta(days=7 - settings.WEEKLY_TIPS_WEEKDAY)
    queued = 0
    for place in places:
        plan = by_cohort.get(place.cohort_id, [])
        current = next((s for s in plan if s.starts_at >= now), plan[-1] if plan else None)
        if current is None:
            continue
        messages = list(current.component.key_messages.all())
        if not messages:
            continue
        tip = messages[week % len(messages)].text
        for parent in _recipients(place.family):
            key = f"{prefix}p{parent.pk}"
            if key in sent:
                continue
            with translation.override(parent.portal_language):
                subject = _("Your weekly Baby Steps tip")
                body = _(
                    "Your Baby Steps tip this week (%(title)s): %(tip)s. You can stop these "
                    "tips at any time in your Baby Steps portal."
                ) % {"title": current.component.title, "tip": tip}
            message_to_parent(
                parent=parent,
                key=key,
                subject=subject,
                body=body,
                group=f"tips:{place.family_id}",
                send_after=now,
                deliver_by=week_ends,
            )
            queued += 1
    return queued


__all__ = [
    "LATEST_BEFORE_START",
    "booking_messages_supersede",
    "booking_notice",
    "booking_reminders",
    "session_reminders_due",
    "weekly_tips_due",
]
