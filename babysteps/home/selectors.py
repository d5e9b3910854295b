"""What each role's home page shows."""

from dataclasses import dataclass

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from babysteps.accounts.models import Role, User
from babysteps.accounts.selectors import Roles, staff_at_site
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.cohorts.selectors import (
    CoFacilitation,
    cohort_cofacilitation,
    cohorts_not_meeting_condition,
    cohorts_with_staffing,
    upcoming_sessions,
)
from babysteps.delivery.models import SessionConversion
from babysteps.families.models import Family
from babysteps.licensing.models import Site
from babysteps.notifications.models import Message


@dataclass
class SiteOverview:
    site: Site
    cohorts: list[tuple[Cohort, CoFacilitation]]
    staff: list[User]

    @property
    def warnings(self) -> list[tuple[Cohort, CoFacilitation]]:
        return [(c, cf) for c, cf in self.cohorts if not cf.meets_condition]


def facilitator_home(*, user: User) -> dict[str, object]:
    mine = Cohort.objects.filter(facilitator_links__user=user)
    cohorts = list(cohorts_with_staffing(mine).order_by("-start_date"))
    return {
        "my_cohorts": [(c, cohort_cofacilitation(cohort=c)) for c in cohorts],
        # Group sessions a remote-delivery switch has turned into per-family calls are
        # flagged, so "Coming up" does not promise a group that will not meet.
        "upcoming": list(
            upcoming_sessions(cohorts=mine).annotate(
                paused_for_calls=Exists(
                    SessionConversion.objects.filter(
                        planned_session=OuterRef("pk"), ended_at__isnull=True
                    )
                )
            )[:8]
        ),
    }


def manager_home(*, roles: Roles) -> list[SiteOverview]:
    sites = Site.objects.filter(pk__in=roles.managed_site_ids).select_related("licence")
    cohorts = list(
        cohorts_with_staffing(Cohort.objects.filter(site_id__in=roles.managed_site_ids)).order_by(
            "-start_date"
        )
    )
    overviews = []
    for site in sites:
        site_cohorts = [c for c in cohorts if c.site_id == site.pk]
        overviews.append(
            SiteOverview(
                site=site,
                cohorts=[(c, cohort_cofacilitation(cohort=c)) for c in site_cohorts],
                staff=[
                    u
                    for u in staff_at_site(site_id=site.pk)
                    if any(
                        m.site_id == site.pk and m.role == Role.FACILITATOR
                        for m in u.memberships.all()
                    )
                ],
            )
        )
    return overviews


def _count_per_site(model: type[Cohort] | type[Family]) -> Subquery:
    return Subquery(
        model.objects.filter(site_id=OuterRef("pk"))
        .values("site_id")
        .annotate(n=Count("pk"))
        .values("n"),
        output_field=IntegerField(),
    )


def admin_home() -> dict[str, object]:
    # One count per site from each table (two joins in one query would multiply rows).
    sites = Site.objects.select_related("organisation", "licence").annotate(
        cohort_count=Coalesce(_count_per_site(Cohort), 0),
        family_count=Coalesce(_count_per_site(Family), 0),
    )
    # Staffing matters for cohorts still running or to come (those with open places).
    running = Cohort.objects.filter(
        Exists(Enrolment.objects.filter(cohort_id=OuterRef("pk"), status__in=Enrolment.OPEN))
    )
    flagged = cohorts_not_meeting_condition(running, on=timezone.localdate()).count()
    return {
        "sites": list(sites),
        "flagged_cohorts": flagged,
        "expiring": list(
            sites.filter(Q(licence__status__in=["renewal_due", "suspended", "expired"]))
        ),
        "unknown_messages": list(
            Message.objects.filter(status=Message.Status.UNKNOWN)
            .only("pk", "channel", "created_at", "claimed_at", "family_id", "group")
            .order_by("-claimed_at")[:20]
        ),
    }
