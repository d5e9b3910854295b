"""Open alerts at the top of the home page (for the family's facilitators and the site
manager) and of the family page, until someone acknowledges them; and in the site's
safeguarding view, with their age, status, whose they are and what is overdue."""

from django.http import HttpRequest
from django.utils import timezone

from babysteps import access
from babysteps.alerts import selectors
from babysteps.alerts.models import Alert
from babysteps.alerts.selectors import with_details
from babysteps.audit.models import Action
from babysteps.audit.services import audit_record
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family


@register("home_top")
def home_alerts(request: HttpRequest, obj: object) -> Panel | None:
    alerts = list(with_details(access.alerts_to_act_on(request.user)).order_by("raised_at")[:50])
    if not alerts:
        return None
    # The panel names families, so showing it is a read of those alerts.
    audit_record(
        actor=request.user,
        action=Action.LIST,
        object_type="alert",
        reason="home page alerts",
        detail={"alert_ids": [a.pk for a in alerts], "page": "home"},
    )
    return Panel("alerts/_alerts_panel.html", {"alerts": alerts, "on_home": True}, order=1)


@register("family_top")
def family_alerts(request: HttpRequest, family: Family) -> Panel | None:
    # ``family`` was reached (and its read audited) through the access chokepoint.
    alerts = list(
        with_details(Alert.objects.filter(family=family, acknowledged_at__isnull=True)).order_by(
            "raised_at"
        )
    )
    if not alerts:
        return None
    # Named on the family page's one read event rather than in an event of its own.
    access.family_page_shows(family, "alert", [a.pk for a in alerts])
    return Panel("alerts/_alerts_panel.html", {"alerts": alerts, "on_home": False}, order=1)


@register("safeguarding")
def safeguarding_alerts(request: HttpRequest, obj: object = None) -> Panel | None:
    """The open alerts about the user's families (managers: their sites; facilitators:
    their cohorts' families; NSPCC admins: all), overdue first, beside the referrals."""
    user = request.user
    now = timezone.now()
    scope = access.alerts_for_user(user)
    counts = selectors.safeguarding_counts(scope, now=now)
    chosen = selectors.for_safeguarding(
        scope.filter(acknowledged_at__isnull=True), referrals=access.referrals_for_user(user)
    ).order_by("escalate_at", "pk")[: selectors.SAFEGUARDING_LIMIT]
    rows = [selectors.alert_row(alert, now=now) for alert in chosen]
    if rows:
        # The list names families, so showing it is a read of those alerts (and of the
        # status of the referrals made from them).
        audit_record(
            actor=user,
            action=Action.LIST,
            object_type="alert",
            reason="safeguarding view",
            detail={
                "alert_ids": [r.id for r in rows],
                "referral_ids": [ref.id for r in rows for ref in r.referrals],
            },
        )
    context = {"alert_rows": rows, "alert_counts": counts, "limit": selectors.SAFEGUARDING_LIMIT}
    return Panel("alerts/_safeguarding_panel.html", context, order=10)
