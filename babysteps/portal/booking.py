"""Booking, moving and cancelling a call in the parent portal, through the bookings app's
own services (``call_book``, ``call_reschedule``, ``call_cancel`` with the parent as the
actor): the same checks, the same messages with a calendar invitation or cancellation,
the same reminders (and superseding of old ones) as when a facilitator does it."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from babysteps.bookings.access import call_booking_for_family
from babysteps.bookings.models import CallBooking, CallMode
from babysteps.bookings.selectors import (
    Slot,
    cohort_facilitators,
    free_slots,
    open_planned_calls,
)
from babysteps.bookings.services import call_book, call_cancel, call_reschedule
from babysteps.core.moments import day_and_time
from babysteps.families.models import Parent
from babysteps.portal.identity import parent_required
from babysteps.videos.selectors import release_time

# A call's times run from the day its videos open to a week after the session it replaces
# (a catch-up for a session already past: the next week).
DAYS_AFTER = 7


@dataclass
class Picker:
    """The parent's choice of a call time: a day first, then a time that day, each time
    once; the system picks who calls (the family's usual facilitator first)."""

    slots: list[Slot]
    days: list[date]
    day: date | None
    times: list[str]

    def slot_for(self, time_text: str) -> Slot | None:
        """The slot at that time on the chosen day: the first facilitator in preference
        order who is free then (slots are kept in that order)."""
        return next(
            (
                s
                for s in self.slots
                if self.day is not None
                and timezone.localtime(s.starts_at).date() == self.day
                and timezone.localtime(s.starts_at).strftime("%H:%M") == time_text
            ),
            None,
        )


def call_window(due: datetime) -> tuple[date, date]:
    today = timezone.localdate()
    opens = timezone.localtime(release_time(due)).date()
    first = max(today, opens)
    last = max(
        timezone.localtime(due).date() + timedelta(days=DAYS_AFTER),
        today + timedelta(days=DAYS_AFTER),
    )
    return first, last


def _preferred(family, cohort) -> list:
    """The cohort's facilitators, the family's usual one (who last had a call booked
    with them) first."""
    people = cohort_facilitators(cohort=cohort)
    usual = (
        CallBooking.objects.filter(family=family, facilitator__in=people)
        .order_by("-starts_at", "-pk")
        .values_list("facilitator_id", flat=True)
        .first()
    )
    return sorted(people, key=lambda u: (u.pk != usual, u.full_name))


def picker(*, family, cohort, due: datetime, day_text: str) -> Picker:
    first, last = call_window(due)
    people = _preferred(family, cohort)
    rank = {u.pk: n for n, u in enumerate(people)}
    slots = sorted(
        free_slots(facilitators=people, first=first, last=last, limit=2000),
        key=lambda s: (s.starts_at, rank[s.facilitator.pk]),
    )
    days = sorted({timezone.localtime(s.starts_at).date() for s in slots})
    try:
        day: date | None = date.fromisoformat(day_text)
    except ValueError:
        day = None
    if day not in days:
        day = None
    times = sorted(
        {
            timezone.localtime(s.starts_at).strftime("%H:%M")
            for s in slots
            if timezone.localtime(s.starts_at).date() == day
        }
    )
    return Picker(slots=slots, days=days, day=day, times=times)


# How a parent may talk, in their language.
PARENT_MODES = [
    (CallMode.PHONE, gettext_lazy("Phone call")),
    (CallMode.VIDEO, gettext_lazy("Video call")),
]


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    parent = request.portal_parent  # type: ignore[attr-defined]
    family = parent.family
    call = open_planned_calls(family=family).select_related("cohort").order_by("due_at").first()
    choice = None
    if call is not None:
        day_text = request.POST.get("day") or request.GET.get("day", "")
        choice = picker(family=family, cohort=call.cohort, due=call.due_at, day_text=day_text)
    error = ""
    if request.method == "POST" and call is not None and choice is not None:
        chosen = choice.slot_for(request.POST.get("time", ""))
        mode = request.POST.get("mode", call.mode)
        if chosen is None:
            error = _("Choose one of the times shown (it may just have been taken).")
        elif mode not in CallMode.values:
            error = _("Choose a phone call or a video call.")
        else:
            try:
                booking = call_book(
                    family=family,
                    component=call.component,
                    facilitator=chosen.facilitator,
                    starts_at=chosen.starts_at,
                    mode=mode,
                    booked_by_parent=parent,
                    planned_call=call,
                )
            except ValidationError as exc:
                error = " ".join(exc.messages)
            else:
                messages.success(
                    request,
                    _("Your call is booked for %(when)s. We have sent you the details.")
                    % {"when": day_and_time(booking.starts_at)},
                )
                return redirect("portal:home")
    return TemplateResponse(
        request,
        "portal/book.html",
        {
            "parent": parent,
            "call": call,
            "picker": choice,
            "modes": PARENT_MODES,
            "error": error,
        },
        status=422 if error else 200,
    )


def can_cancel_calls(parent) -> bool:
    """Only the mother cancels the family's calls in the portal (as only she sets the safe
    times): the calls are her support, and must not be stopped by anyone else. Her
    partner may move a call, or ask the facilitator."""
    return parent.role == Parent.Role.MOTHER


CANCEL_REASONS = {
    "time": gettext_lazy("The time no longer suits us"),
    "not_needed": gettext_lazy("We do not need this call any more"),
    "other": gettext_lazy("Another reason"),
}


def _staff_reason(reason: str) -> str:
    """The cancellation reason as staff read it (in English, whatever the parent's)."""
    with translation.override(settings.LANGUAGE_CODE):
        return f"Cancelled by the parent: {CANCEL_REASONS[reason]}"


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def change_call(request: HttpRequest, booking_id: int) -> HttpResponse:
    """Move a booked call to another free time, or cancel it (the parent confirms). Only
    the family's own calls, and only while they are booked and still ahead; else 404."""
    parent = request.portal_parent  # type: ignore[attr-defined]
    booking = call_booking_for_family(parent.family, booking_id)
    if booking.status != CallBooking.Status.BOOKED or booking.starts_at <= timezone.now():
        raise Http404("Not found.")
    due = booking.planned_call.due_at if booking.planned_call is not None else booking.starts_at
    day_text = request.POST.get("day") or request.GET.get("day", "")
    choice = picker(family=parent.family, cohort=booking.cohort, due=due, day_text=day_text)
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "move":
            chosen = choice.slot_for(request.POST.get("time", ""))
            mode = request.POST.get("mode", booking.mode)
            if chosen is None:
                errors["move"] = _("Choose one of the times shown (it may just have been taken).")
            elif mode not in CallMode.values:
                errors["move"] = _("Choose a phone call or a video call.")
            else:
                try:
                    booking = call_reschedule(
                        booking=booking,
                        starts_at=chosen.starts_at,
                        facilitator=chosen.facilitator,
                        mode=mode,
                        changed_by_parent=parent,
                    )
                except ValidationError as exc:
                    errors["move"] = " ".join(exc.messages)
                else:
                    messages.success(
                        request,
                        _("Your call is moved to %(when)s. We have sent you the new details.")
                        % {"when": day_and_time(booking.starts_at)},
                    )
                    return redirect("portal:home")
        elif action == "cancel":
            reason = request.POST.get("reason", "")
            if not can_cancel_calls(parent):
                errors["cancel"] = _(
                    "Only the mother can cancel a call here. Ask your facilitator."
                )
            elif reason not in CANCEL_REASONS:
                errors["cancel"] = _("Tell us why, so your facilitator knows.")
            elif request.POST.get("confirm") != "yes":
                errors["cancel"] = _("Tick the box to confirm that you want to cancel the call.")
            else:
                try:
                    call_cancel(
                        booking=booking,
                        reason=_staff_reason(reason),
                        cancelled_by_parent=parent,
                    )
                except ValidationError as exc:
                    errors["cancel"] = " ".join(exc.messages)
                else:
                    messages.success(
                        request,
                        _("Your call is cancelled. You can book another time when it suits you."),
                    )
                    return redirect("portal:home")
        else:
            errors["move"] = _("Choose a new time, or cancel the call.")
    return TemplateResponse(
        request,
        "portal/change_call.html",
        {
            "parent": parent,
            "booking": booking,
            "picker": choice,
            "modes": PARENT_MODES,
            "reasons": CANCEL_REASONS.items(),
            "can_cancel": can_cancel_calls(parent),
            "errors": errors,
            "posted": request.POST,
        },
        status=422 if errors else 200,
    )
