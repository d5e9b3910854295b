"""Booking a call in the parent portal, through the bookings app's own service
(``call_book`` with ``booked_by_parent``): the same checks, the same confirmation with a
calendar invitation, the same reminders as when a facilitator books it."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from babysteps.bookings.models import CallMode
from babysteps.bookings.selectors import cohort_facilitators, free_slots, open_planned_calls
from babysteps.bookings.services import call_book
from babysteps.portal.identity import parent_required

# Offer times from a week before the call is due to two weeks after.
DAYS_BEFORE, DAYS_AFTER = 7, 14


def _slot_value(slot) -> str:
    return f"{slot.facilitator.pk}|{slot.starts_at.isoformat()}"


@never_cache
@parent_required
@require_http_methods(["GET", "POST"])
def book(request: HttpRequest) -> HttpResponse:
    parent = request.portal_parent  # type: ignore[attr-defined]
    family = parent.family
    call = open_planned_calls(family=family).select_related("cohort").order_by("due_at").first()
    slots = []
    if call is not None:
        today = timezone.localdate()
        due = timezone.localtime(call.due_at).date()
        slots = free_slots(
            facilitators=cohort_facilitators(cohort=call.cohort),
            first=max(today, due - timedelta(days=DAYS_BEFORE)),
            last=max(today, due) + timedelta(days=DAYS_AFTER),
            limit=60,
        )
    error = ""
    if request.method == "POST" and call is not None:
        chosen = next((s for s in slots if _slot_value(s) == request.POST.get("slot")), None)
        mode = request.POST.get("mode", call.mode)
        if chosen is None:
            error = "Choose one of the times shown (it may just have been taken)."
        elif mode not in CallMode.values:
            error = "Choose a phone call or a video call."
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
                when = timezone.localtime(booking.starts_at)
                messages.success(
                    request,
                    f"Your call is booked for {when:%A %d %B at %H:%M}. We have sent you the "
                    "details.",
                )
                return redirect("portal:home")
    return TemplateResponse(
        request,
        "portal/book.html",
        {
            "parent": parent,
            "call": call,
            "slots": [(s, _slot_value(s)) for s in slots],
            "modes": CallMode.choices,
            "error": error,
        },
        status=422 if error else 200,
    )
