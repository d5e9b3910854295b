"""Sections this app adds to other pages: the family's safeguarding box (status and
outcome of its referrals, the signposting button) and the home page summaries."""

from django.http import HttpRequest

from babysteps import access
from babysteps.accounts.selectors import roles_for
from babysteps.core.panels import Panel, register
from babysteps.families.models import Family
from babysteps.safeguarding import selectors


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
