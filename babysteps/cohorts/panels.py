"""The cohort places section of a family's page: its places, their status, and the form
that gives it a place in one of the user's cohorts at the family's site."""

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.cohorts.access import cohorts_for_user
from babysteps.cohorts.forms import EnrolmentForm, EnrolmentStatusForm
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.families.selectors import family_enrolments


@register("family")
def family_places(request: AuthenticatedHttpRequest, family: Family) -> Panel:
    return Panel(
        "cohorts/panels/family_places.html",
        {
            "family": family,
            "enrolments": family_enrolments(family=family),
            "enrol_form": EnrolmentForm(
                cohorts=cohorts_for_user(request.user).filter(site_id=family.site_id)
            ),
            "status_form": EnrolmentStatusForm(),
        },
        order=0,
    )
