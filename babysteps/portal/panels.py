"""What the portal adds to staff pages: the family page (portal use, sign-in links,
call preparation), and the home page (calls to prepare, urgent requests)."""

from datetime import timedelta

from django.utils import timezone

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.audit.reads import families_named
from babysteps.bookings import selectors as bookings
from babysteps.core.panels import Panel, register, shared
from babysteps.families.access import families_for_user
from babysteps.families.models import Family
from babysteps.portal import selectors
from babysteps.portal.models import ParentQuestion, PortalProfile
from babysteps.portal.selectors import urgent_questions
from babysteps.videos.touchpoints import Touchpoint, from_bookings


def _next_touchpoint(request: AuthenticatedHttpRequest, family: Family) -> Touchpoint | None:
    # The calls panel shows the same one: worked out once for the page.
    point = shared(
        request,
        ("next touchpoint", family.pk),
        lambda: bookings.next_touchpoint(family=family),
    )
    return from_bookings(point) if point is not None else None


@register("family")
def family_portal(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    parents = list(family.parents.all())
    profiles = {p.parent_id: p for p in PortalProfile.objects.filter(parent__in=parents)}
    open_questions = ParentQuestion.objects.filter(family=family, discussed_at=None)
    return Panel(
        "portal/panel_family.html",
        {
            "family": family,
            "rows": [(p, profiles.get(p.pk)) for p in parents],
            "open_count": open_questions.count(),
            "urgent_count": open_questions.filter(call_me_soon=True).count(),
            "next": _next_touchpoint(request, family),
        },
        order=40,
    )


@register("home_top")
def urgent_requests(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    roles = roles_for(request.user)
    if not (roles.is_facilitator or roles.is_manager):
        return None
    questions = urgent_questions(families=families_for_user(request.user))
    if not questions:
        return None
    families_named(request.user, [q.family_id for q in questions], where="home urgent requests")
    return Panel("portal/panel_urgent.html", {"questions": questions}, order=20)


@register("home")
def calls_to_prepare(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    """A facilitator's families with a call or session in the next week, with their
    open questions: the way into call preparation."""
    roles = roles_for(request.user)
    if not roles.is_facilitator:
        return None
    now = timezone.now()
    rows = list(
        selectors.calls_to_prepare(
            families=families_for_user(request.user), start=now, end=now + timedelta(days=7)
        )
    )
    families_named(request.user, [row.family_id for row in rows], where="home calls to prepare")
    return Panel("portal/panel_prepare.html", {"rows": rows}, order=30)
