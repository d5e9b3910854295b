"""Sections that delivery adds to the home, family and cohort pages."""

from django.utils import timezone

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.reads import families_named
from babysteps.bookings import selectors as booking_selectors
from babysteps.cohorts.access import can_manage_cohort
from babysteps.cohorts.models import Cohort
from babysteps.core.panels import Panel, register
from babysteps.delivery import reports, selectors, services, week
from babysteps.families.access import family_page_shows
from babysteps.families.models import Family


@register("home")
def home_delivery(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    """Facilitators: calls to arrange (group sessions delivered as calls, catch-ups),
    their booked calls, and their follow-up calls. Managers: follow-ups nobody can make,
    and the delivery reports."""
    roles = roles_for(request.user)
    if not (roles.is_facilitator or roles.is_manager or roles.is_admin):
        return None
    context: dict[str, object] = {"roles": roles}
    named: list[int] = []
    if roles.is_facilitator:
        mine = Cohort.objects.filter(facilitator_links__user=request.user)
        to_book = list(booking_selectors.calls_to_book(cohorts=mine))
        upcoming = list(booking_selectors.facilitator_upcoming_calls(user=request.user))
        follow_ups = list(selectors.open_follow_ups_for(user=request.user))
        now = timezone.now()
        context.update(
            to_book=to_book,
            todo=week.to_do(calls=to_book, booked=upcoming, follow_ups=follow_ups, now=now),
            upcoming_calls=[b for b in upcoming if b.starts_at > now],
            follow_ups=follow_ups,
            now=now,
        )
        named += [row.family_id for row in to_book]
        named += [booking.family_id for booking in upcoming]
        named += [task.family_id for task in follow_ups]
    if roles.is_manager:
        unassigned = list(selectors.unassigned_follow_ups(site_ids=roles.managed_site_ids))
        context["unassigned"] = unassigned
        named += [task.family_id for task in unassigned]
    # The panel names families: showing it is a read of them.
    families_named(request.user, named, where="home delivery panel")
    return Panel("delivery/_home_panel.html", context, order=20)


@register("family")
def family_delivery(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    """The family's contacts (their group registers included) and follow-up calls."""
    attendances = selectors.family_attendances(family=family)
    follow_ups = selectors.family_follow_ups(family=family)
    # Named on the family page's one read event rather than in events of their own.
    family_page_shows(family, "contact", [a.contact_id for a in attendances])
    family_page_shows(family, "followuptask", [t.pk for t in follow_ups])
    return Panel(
        "delivery/_family_panel.html",
        {"family": family, "attendances": attendances, "follow_ups": follow_ups},
        order=20,
    )


@register("cohort")
def cohort_delivery(request: AuthenticatedHttpRequest, cohort: Cohort) -> Panel | None:
    """How the cohort's sessions are being delivered (group or per-family calls), the
    registers, the delivery history, and fidelity with charts."""
    today = timezone.localdate()
    context = reports.fidelity_report(cohorts=[cohort], chart_prefix=f"cohort-{cohort.pk}")
    doses = context["doses"]
    families = Family.objects.filter(pk__in=list(doses)).prefetch_related("parents")
    context.update(
        cohort=cohort,
        sessions=selectors.cohort_delivery(cohort=cohort),
        state=services.cohort_governing(cohort=cohort, day=today),
        history=selectors.cohort_history(cohort=cohort),
        can_manage=can_manage_cohort(request.user, cohort),
        family_doses=sorted(
            ((f, doses[f.pk]) for f in families),
            key=lambda pair: (-pair[1], pair[0].display_name),
        ),
        now=timezone.now(),
    )
    return Panel("delivery/_cohort_panel.html", context, order=20)
