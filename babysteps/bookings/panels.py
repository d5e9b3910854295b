"""The calls section of a family's page: what is next, calls to book, booked calls."""

from django.utils import timezone

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.bookings import selectors
from babysteps.core.panels import Panel, register, shared
from babysteps.families.access import family_page_shows
from babysteps.families.models import Family


@register("family")
def family_calls(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    calls = selectors.family_calls(family=family)
    # Named on the family page's one read event rather than in events of their own.
    family_page_shows(family, "callbooking", [b.pk for b in calls["bookings"]])
    return Panel(
        "bookings/_family_panel.html",
        {
            "family": family,
            "next": shared(
                request,
                ("next touchpoint", family.pk),
                lambda: selectors.next_touchpoint(family=family),
            ),
            "now": timezone.now(),
            **calls,
        },
        order=15,
    )
