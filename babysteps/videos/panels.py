from django.utils import timezone

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.videos.access import can_manage_library, videos_for_user
from babysteps.videos.reports import engagement


@register("home")
def library_links(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    roles = roles_for(request.user)
    if not roles.sees_family_records:
        return None
    return Panel(
        "videos/panel_home.html",
        {"can_manage": can_manage_library(request.user)},
        order=90,
    )


@register("cohort")
def cohort_engagement(request: AuthenticatedHttpRequest, cohort: Cohort) -> Panel | None:
    """How the cohort's families are using the videos, component by component."""
    families = Family.objects.filter(
        pk__in=Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.HOLDS_PLACE).values(
            "family_id"
        )
    )
    report = engagement(families=families, videos=videos_for_user(request.user), now=timezone.now())
    if not report.components:
        return None
    return Panel("videos/panel_cohort.html", {"report": report}, order=60)
