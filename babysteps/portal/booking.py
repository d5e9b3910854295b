"""Booking, moving and cancelling a call in the parent portal, through the bookings app's
own services (``call_book``, ``call_reschedule``, ``call_cancel`` with the parent as the
actor): the same checks, the same messages with a calendar invitation or cancellation,
the same reminders (and superseding of old ones) as when a facilitator does it."""

from datetime import date, timedelta

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
from babysteps.bookings.selectors import cohort_facilitators, free_slots, open_planned_calls
from babysteps.bookings.services import call_book, call_cancel, call_reschedule
from babysteps.core.moments import day_and_time
from babysteps.families.models import Parent
from babysteps.portal.identity import parent_required

# Offer times from a week before the call is due to two weeks after.
DAYS_BEFORE, DAYS_AFTER = 7, 14


def _slot_value(slot) -> str:
    return f"{slot.facilitator.pk}|{slot.starts_at.isoformat()}"


def _slots_around(cohort, due: date) -> list:
    """Free times of the cohort's facilitators around the day the call is due."""
    today = timezone.localdate()
    return free_slots(
        facilitators=cohort_facilitators(cohort=cohort),
        first=max(today, due - timedelta(days=DAYS_BEFORE)),
        last=max(today, due) + timedelta(days=DAYS_AFTER),
        limit=60,
    )


def _chosen_slot(request: HttpRequest, slots: list):
    return next((s for s in slots if _slot_value(s) == request.POST.get("slot")), None)


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
    slots = []
    if call is not None:
        slots = _slots_around(call.cohort, timezone.localtime(call.due_at).date())
    error = ""
    if request.method == "POST" and call is not None:
        chosen = _chosen_slot(request, slots)
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
            "slots": [(s, _slot_value(s)) for s in slots],
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
    slots = _slots_around(booking.cohort, timezone.localtime(due).date())
    errors: dict[str, str] = {}
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "move":
            chosen = _chosen_slot(request, slots)
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
            "slots": [(s, _slot_value(s)) for s in slots],
            "modes": PARENT_MODES,
            "reasons": CANCEL_REASONS.items(),
            "can_cancel": can_cancel_calls(parent),
            "errors": errors,
            "posted": request.POST,
        },
        status=422 if errors else 200,
    )
