"""The family page's data-protection section, for the site's managers and NSPCC admins."""

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.privacy.access import can_act_for
from babysteps.privacy.holds import active_holds, holds_on
from babysteps.privacy.models import ErasureRequest


@register("family")
def data_protection(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    if not can_act_for(request.user, family):
        return None
    return Panel(
        "privacy/panel_family.html",
        {
            "family": family,
            "is_admin": roles_for(request.user).is_admin,
            "holds": holds_on(family),
            "legal_holds": list(active_holds().filter(family=family)),
            "pending": ErasureRequest.objects.filter(
                family=family, status=ErasureRequest.Status.REQUESTED
            ).first(),
        },
        order=90,
    )
