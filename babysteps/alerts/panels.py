"""Open alerts at the top of the home page (for the family's facilitators and the site
manager) and of the family page, until someone acknowledges them. (The site's safeguarding
view lists them too: ``babysteps.safeguarding.panels``.)"""

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.alerts.access import alerts_to_act_on
from babysteps.alerts.models import Alert
from babysteps.alerts.selectors import with_details
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.panels import Panel, register
from babysteps.families.access import family_page_shows
from babysteps.families.models import Family


@register("home_top")
def home_alerts(request: AuthenticatedHttpRequest, obj: object) -> Panel | None:
    alerts = list(with_details(alerts_to_act_on(request.user)).order_by("raised_at")[:50])
    if not alerts:
        return None
    # The panel names families, so showing it is a read of those alerts.
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="alert",
        reason="home page alerts",
        detail={
            "alert_ids": [a.pk for a in alerts],
            "family_ids": sorted({a.family_id for a in alerts}),
            "page": "home",
        },
    )
    return Panel("alerts/_alerts_panel.html", {"alerts": alerts, "on_home": True}, order=1)


@register("family_top")
def family_alerts(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    # ``family`` was reached (and its read audited) through the access chokepoint.
    alerts = list(
        with_details(Alert.objects.filter(family=family, acknowledged_at__isnull=True)).order_by(
            "raised_at"
        )
    )
    if not alerts:
        return None
    # Named on the family page's one read event rather than in an event of its own.
    family_page_shows(family, "alert", [a.pk for a in alerts])
    return Panel("alerts/_alerts_panel.html", {"alerts": alerts, "on_home": False}, order=1)
