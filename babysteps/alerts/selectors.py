"""Reads for alerts. Scope comes from the access chokepoints (``babysteps.alerts.access``)."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet

from babysteps.accounts.models import Membership, Role
from babysteps.alerts.models import Alert
from babysteps.cohorts.models import CohortFacilitator


def with_details(alerts: QuerySet[Alert]) -> QuerySet[Alert]:
    """Alerts with what a list shows (family, its parents, site, questionnaire) loaded."""
    return alerts.select_related(
        "family", "site", "parent", "administration__instrument", "acknowledged_by"
    ).prefetch_related("family__parents")


# --- The site's safeguarding view -------------------------------------------------------

# The open alerts the safeguarding view lists (the due-soonest first); the rest are on
# the alerts page.
SAFEGUARDING_LIMIT = 50
RECENT_DAYS = 30


@dataclass(frozen=True)
class LinkedReferral:
    id: int
    status: str
    status_label: str


@dataclass(frozen=True)
class AlertRow:
    """An open alert as the safeguarding view lists it: how old it is, where it stands,
    whose it is, and whether it is overdue (escalated, or past its escalation time)."""

    id: int
    detail: str
    family_id: int
    family_name: str
    site_name: str
    parent_role_label: str
    raised_at: datetime
    escalate_at: datetime
    escalated: bool
    escalated_at: datetime | None
    overdue: bool
    facilitators: list[str]  # of the questionnaire's cohort
    managers: list[str]  # of the site
    referrals: list[LinkedReferral]


def for_safeguarding(alerts: QuerySet[Alert], *, referrals: QuerySet) -> QuerySet[Alert]:
    """Alerts with what ``alert_row`` needs, in a fixed number of queries. ``referrals`` is the
    user's scope of safe-and-well referrals (``babysteps.safeguarding.access.referrals_for_user``):
    those made from each alert are loaded from it."""
    facilitators = CohortFacilitator.objects.filter(user__is_active=True).select_related("user")
    managers = Membership.objects.filter(
        role=Role.SITE_MANAGER, user__is_active=True
    ).select_related("user")
    return (
        with_details(alerts)
        .select_related("administration__cohort")
        .prefetch_related(
            Prefetch(
                "administration__cohort__facilitator_links",
                queryset=facilitators.order_by("user__full_name", "pk"),
                to_attr="active_facilitator_links",
            ),
            Prefetch(
                "site__memberships",
                queryset=managers.order_by("user__full_name", "pk"),
                to_attr="manager_memberships",
            ),
            Prefetch(
                "referrals",
                queryset=referrals.only("pk", "status", "alert_id").order_by("referred_at", "pk"),
                to_attr="visible_referrals",
            ),
        )
    )


def is_overdue(alert: Alert, now: datetime) -> bool:
    """Escalated, or past its escalation time (and not yet acknowledged)."""
    return alert.is_open and (
        alert.escalation == Alert.Escalation.ESCALATED or alert.escalate_at <= now
    )


def alert_row(alert: Alert, *, now: datetime) -> AlertRow:
    cohort = alert.administration.cohort
    # Lists prefetched by ``for_safeguarding`` (``to_attr``), which the models do not declare.
    links = cohort.active_facilitator_links if cohort is not None else []  # type: ignore[attr-defined]
    # Names, de-duplicated (a user may hold the role twice), in the order loaded.
    memberships = alert.site.manager_memberships  # type: ignore[attr-defined]
    managers = list(dict.fromkeys(m.user.full_name for m in memberships))
    return AlertRow(
        id=alert.pk,
        detail=alert.detail,
        family_id=alert.family_id,
        family_name=alert.family.display_name,
        site_name=alert.site.name,
        parent_role_label=alert.parent.get_role_display(),
        raised_at=alert.raised_at,
        escalate_at=alert.escalate_at,
        escalated=alert.escalation == Alert.Escalation.ESCALATED,
        escalated_at=alert.escalated_at,
        overdue=is_overdue(alert, now),
        facilitators=[link.user.full_name for link in links],
        managers=managers,
        referrals=[
            LinkedReferral(id=r.pk, status=r.status, status_label=r.get_status_display())
            for r in alert.visible_referrals  # type: ignore[attr-defined]
        ],
    )


def safeguarding_counts(alerts: QuerySet[Alert], *, now: datetime) -> dict[str, int]:
    """Open, overdue (escalated or past its time) and recently acknowledged alerts."""
    open_ = Q(acknowledged_at__isnull=True)
    late = Q(escalation=Alert.Escalation.ESCALATED) | Q(escalate_at__lte=now)
    return alerts.aggregate(
        open=Count("pk", filter=open_),
        overdue=Count("pk", filter=open_ & late),
        acknowledged=Count("pk", filter=Q(acknowledged_at__gte=now - timedelta(days=RECENT_DAYS))),
    )
