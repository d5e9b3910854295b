"""Sections this app adds to other pages: the family's safeguarding box (status and
outcome of its referrals, the signposting button), the same for a safety alert's page,
and the home page summaries."""

from django.utils import timezone

from babysteps.accounts.requests import AuthenticatedHttpRequest
from babysteps.accounts.selectors import roles_for
from babysteps.alerts import selectors as alert_selectors
from babysteps.alerts.access import alerts_for_user
from babysteps.alerts.models import Alert
from babysteps.audit.models import Action
from babysteps.audit.reads import read_shows
from babysteps.audit.services import audit_record
from babysteps.core.panels import Panel, register
from babysteps.families.access import families_for_user, family_page_shows
from babysteps.families.models import Family
from babysteps.safeguarding import selectors
from babysteps.safeguarding.access import can_signpost, referrals_for_user
from babysteps.safeguarding.models import SafeAndWellReferral


@register("family_top")
def family_panel(request: AuthenticatedHttpRequest, family: Family) -> Panel | None:
    """Status and outcome of the family's referrals (each one shown is an audited read);
    the summary and other free text stay on the referral's own page."""
    user = request.user
    referrals = referrals_for_user(user).filter(family__in=families_for_user(user))
    summary = selectors.family_safeguarding(referrals=referrals, family_id=family.pk)
    # Named on the page's one read event; each referral's own trail lists those views.
    family_page_shows(family, "referral", [row.id for row in summary.referral_rows])
    context = {
        "summary": summary,
        "family": family,
        "can_signpost": can_signpost(user, family),
    }
    return Panel("safeguarding/panels/family.html", context, order=20)


@register("alert")
def alert_panel(request: AuthenticatedHttpRequest, alert: Alert) -> Panel | None:
    """On a safety alert's page: the referrals made from it (status, holder, outcome;
    named on the page's one read event) and, for those who may signpost, the way to."""
    user = request.user
    rows = selectors.alert_referrals(referrals=referrals_for_user(user).filter(alert=alert))
    read_shows("alert", alert.pk, "referral", [row.id for row in rows])
    may_signpost = can_signpost(user, alert.family)
    if not rows and not may_signpost:
        return None
    context = {
        "alert": alert,
        "alert_referrals": rows,
        "has_open": any(r.status in SafeAndWellReferral.OPEN_STATUSES for r in rows),
        "can_signpost": may_signpost,
    }
    return Panel("safeguarding/panels/alert.html", context, order=20)


@register("home")
def team_home_panel(request: AuthenticatedHttpRequest, obj: object = None) -> Panel | None:
    """The NSPCC safe-and-well team's queue at a glance."""
    user = request.user
    if not roles_for(user).works_referrals:
        return None
    counts = selectors.queue_counts(referrals=referrals_for_user(user), user=user)
    return Panel("safeguarding/panels/home_team.html", {"counts": counts}, order=10)


@register("home")
def site_home_panel(request: AuthenticatedHttpRequest, obj: object = None) -> Panel | None:
    """Managers (and facilitators with referrals) see their open referrals and what is
    overdue, with a link to the safeguarding view."""
    user = request.user
    roles = roles_for(user)
    if not roles.sees_family_records:
        return None
    referrals = referrals_for_user(user).filter(family__in=families_for_user(user))
    counts = selectors.queue_counts(referrals=referrals, user=user)
    if not (roles.is_manager or roles.is_admin) and not (counts["waiting"] or counts["team"]):
        return None
    return Panel("safeguarding/panels/home_site.html", {"counts": counts}, order=10)


@register("safeguarding")
def safeguarding_alerts(request: AuthenticatedHttpRequest, obj: object = None) -> Panel | None:
    """The open alerts about the user's families (managers: their sites; facilitators:
    their cohorts' families; NSPCC admins: all), overdue first, beside the referrals."""
    user = request.user
    now = timezone.now()
    scope = alerts_for_user(user)
    counts = alert_selectors.safeguarding_counts(scope, now=now)
    chosen = alert_selectors.for_safeguarding(
        scope.filter(acknowledged_at__isnull=True), referrals=referrals_for_user(user)
    ).order_by("escalate_at", "pk")[: alert_selectors.SAFEGUARDING_LIMIT]
    rows = [alert_selectors.alert_row(alert, now=now) for alert in chosen]
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
                "family_ids": sorted({r.family_id for r in rows}),
            },
        )
    context = {
        "alert_rows": rows,
        "alert_counts": counts,
        "limit": alert_selectors.SAFEGUARDING_LIMIT,
    }
    return Panel("alerts/_safeguarding_panel.html", context, order=10)
