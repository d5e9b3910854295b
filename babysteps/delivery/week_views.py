"""A facilitator's week: sessions, home visits, calls and follow-ups, day by day, with the
previous and next week a click away."""

from datetime import date, timedelta

from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.utils import timezone

from babysteps.accounts.decorators import staff_required
from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.audit.reads import families_named
from babysteps.delivery import week


@staff_required(lambda roles: roles.is_facilitator)
def facilitator_week(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        chosen = date.fromisoformat(request.GET.get("week", ""))
    except ValueError:
        chosen = today
    start = week.monday_of(chosen)
    days = week.facilitator_week(user=request.user, start=start)
    # The page names families (calls and follow-ups): showing it is a read of them.
    shown = [item.family_id for day in days for item in day.items if item.family_id]
    families_named(request.user, shown, where="week view")
    return TemplateResponse(
        request,
        "delivery/week.html",
        {
            "days": days,
            "start": start,
            "end": start + timedelta(days=6),
            "previous": start - timedelta(days=7),
            "next": start + timedelta(days=7),
            "this_week": week.monday_of(today),
            "today": today,
            "empty": not any(d.items for d in days),
        },
    )
