"""The questionnaires section of a family's page."""

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.measures.selectors import family_administrations


@register("family")
def questionnaires_panel(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    # ``family`` was reached through the access chokepoint by the family page.
    return Panel(
        "measures/_family_panel.html",
        {"administrations": list(family_administrations(family=family)[:50])},
        order=40,
    )
