"""Sections this app adds to other pages: the family's safeguarding box (status and
outcome of its referrals, the signposting button), the same for a safety alert's page,
and the home page summaries."""

from django.http import HttpRequest

from babysteps import access
from babysteps.accounts.selectors import roles_for
from babysteps.alerts.models import Alert
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.safeguarding import selectors
from babysteps.safeguarding.models import SafeAndWellReferral


@register("family_top")
def family_panel(request: HttpRequest, family: Family) -> Panel | None:
    """Status and outcome of the family's referrals (each one shown is an audited read);
    the summary and other free text stay on the referral's own page."""
    user = request.user
    summary = access.referral_summaries_for_family(user, family)
    context = {
        "summary": summary,
        "family": family,
        "can_signpost": access.can_signpost(user, family),
    }
    return Panel("safeguarding/panels/family.html", context, order=20)


@register("alert")
def alert_panel(request: HttpRequest, alert: Alert) -> Panel | None:
    """On a safety alert's page: the referrals made from it (status, holder, outcome;
    named on the page's one read event) and, for those who may signpost, the way to."""
    user = request.user
    rows = access.referral_summaries_for_alert(user, alert)
    can_signpost = access.can_signpost(user, alert.family)
    if not rows and not can_signpost:
        return None
    context = {
        "alert": alert,
        "alert_referrals": rows,
        "has_open": any(r.status in SafeAndWellReferral.OPEN_STATUSES for r in rows),
        "can_signpost": can_signpost,
    }
    return Panel("safeguarding/panels/alert.html", context, order=20)


@register("home")
def team_home_panel(request: HttpRequest, obj: object = None) -> Panel | None:
    """The NSPCC safe-and-well team's queue at a glance."""
    user = request.user
    if not roles_for(user).works_referrals:
        return None
    counts = selectors.queue_counts(referrals=access.referrals_for_user(user), user=user)
    return Panel("safeguarding/panels/home_team.html", {"counts": counts}, order=10)


@register("home")
def site_home_panel(request: HttpRequest, obj: object = None) -> Panel | None:
    """Managers (and facilitators with referrals) see their open referrals and what is
    overdue, with a link to the safeguarding view."""
    user = request.user
    roles = roles_for(user)
    if not roles.sees_family_records:
        return None
    referrals = access.referrals_for_user(user).filter(family__in=access.families_for_user(user))
    counts = selectors.queue_counts(referrals=referrals, user=user)
    if not (roles.is_manager or roles.is_admin) and not (counts["waiting"] or counts["team"]):
        return None
    return Panel("safeguarding/panels/home_site.html", {"counts": counts}, order=10)
