"""Who may reach a safety alert: whoever may open its family's record. The home page lists
the open alerts of the people each alert is for (the cohort's facilitators, the site's
managers)."""

from django.db.models import Q, QuerySet

from babysteps.accounts.models import User
from babysteps.accounts.selectors import roles_for
from babysteps.alerts.models import Alert
from babysteps.audit.models import Action
from babysteps.audit.reads import AUDITED_READS, read_is_pending, read_record
from babysteps.core.access import one
from babysteps.families.access import families_for_user, family_page_shows
from babysteps.families.models import Family


def alerts_for_user(user: User) -> QuerySet[Alert]:
    """Alerts about the families the user may open."""
    return Alert.objects.filter(family__in=families_for_user(user))


def alerts_to_act_on(user: User) -> QuerySet[Alert]:
    """Open alerts for the home page: those of the cohorts the user facilitates and of the
    sites they manage (the people an alert is for). NSPCC admins see alerts on family
    pages, not on their home page."""
    roles = roles_for(user)
    scope = Q(pk__in=[])
    if roles.managed_site_ids:
        scope |= Q(site_id__in=roles.managed_site_ids)
    if roles.facilitator_site_ids:
        scope |= Q(
            site_id__in=roles.facilitator_site_ids,
            administration__cohort__facilitator_links__user=user,
        )
    return Alert.objects.filter(
        pk__in=Alert.objects.filter(scope, acknowledged_at__isnull=True).values("pk")
    )


def alert_for_user(
    user: User,
    alert_id: int | str,
    *,
    action: str = Action.VIEW,
    channel: str | None = None,
    reason: str = "",
    shown_on: Family | None = None,
) -> Alert:
    """One alert (with family, parent, questionnaire) if the user may see it; else 404.

    ``shown_on``: the alert is shown on a page of this family, which already noted the
    page's one read (the signposting form reached the family through
    ``family_for_user``). The alert is then named on that read instead of being read in
    an event of its own, and only if it is that family's alert (else the caller says so
    and shows nothing of it)."""
    alert = one(
        alerts_for_user(user).select_related(
            "family__site", "parent", "administration__instrument", "acknowledged_by", "site"
        ),
        alert_id,
    )
    if shown_on is not None and read_is_pending("family", shown_on.pk):
        if action in AUDITED_READS and alert.family_id == shown_on.pk:
            family_page_shows(shown_on, "alert", [alert.pk])
        return alert
    read_record(
        actor=user,
        action=action,
        object_type="alert",
        object_id=alert.pk,
        family_id=alert.family_id,
        site_id=alert.site_id,
        channel=channel,
        reason=reason,
    )
    return alert
