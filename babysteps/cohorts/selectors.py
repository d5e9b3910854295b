"""Reads about cohorts: rosters, staffing and the co-facilitation condition."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from babysteps.accounts.models import HEALTH_ROLES, Discipline, User
from babysteps.cohorts.models import Cohort, CohortFacilitator, Enrolment, PlannedSession
from babysteps.training.selectors import lapsed, refresher_due


@dataclass(frozen=True)
class CoFacilitation:
    """Whether a cohort meets the licence's co-facilitation condition: at least one
    trained health practitioner and one trained children's services practitioner."""

    trained_health: list[User] = field(default_factory=list)
    trained_childrens_services: list[User] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    # Trained facilitators whose refresher has lapsed: a flag, not a breach.
    refreshers_due: list[str] = field(default_factory=list)

    @property
    def meets_condition(self) -> bool:
        return not self.problems


def cohort_cofacilitation(*, cohort: Cohort, on: date | None = None) -> CoFacilitation:
    """Uses ``cohort.facilitator_links`` (prefetch it with ``cohorts_with_staffing``)."""
    day = on or timezone.localdate()
    health: list[User] = []
    childrens: list[User] = []
    problems: list[str] = []
    refreshers: list[str] = []
    for link in cohort.facilitator_links.all():
        profile = getattr(link.user, "practitioner", None)
        if profile is None or not profile.is_trained(day):
            problems.append(f"{link.user} has not completed Baby Steps training.")
            continue
        if lapsed(profile.training_completed_on, day):
            due = refresher_due(profile.training_completed_on)
            refreshers.append(f"{link.user}'s refresher training was due on {due:%-d %B %Y}.")
        if profile.discipline == Discipline.HEALTH:
            health.append(link.user)
        else:
            childrens.append(link.user)
    if not health:
        problems.append("No trained health practitioner (midwife or health visitor).")
    if not childrens:
        problems.append("No trained children's services practitioner.")
    return CoFacilitation(health, childrens, problems, refreshers)


def cohorts_not_meeting_condition(queryset: QuerySet[Cohort], *, on: date) -> QuerySet[Cohort]:
    """The cohorts ``cohort_cofacilitation`` flags, found by the database (a national count
    must not load 10,000 cohorts and their facilitators): a facilitator not trained on
    ``on``, or no trained health practitioner, or no trained children's services one."""
    links = CohortFacilitator.objects.filter(cohort_id=OuterRef("pk"))
    trained = links.filter(user__practitioner__training_completed_on__lte=on)
    return queryset.filter(
        Exists(links.exclude(user__practitioner__training_completed_on__lte=on))
        | ~Exists(trained.filter(user__practitioner__professional_role__in=HEALTH_ROLES))
        | ~Exists(trained.exclude(user__practitioner__professional_role__in=HEALTH_ROLES))
    )


def cohorts_with_staffing(queryset: QuerySet[Cohort]) -> QuerySet[Cohort]:
    """Cohorts with their facilitators (and profiles), site and place counts, in a fixed
    number of queries whatever the number of cohorts."""
    return (
        queryset.select_related("site")
        .prefetch_related(
            Prefetch(
                "facilitator_links",
                queryset=CohortFacilitator.objects.select_related("user__practitioner"),
            )
        )
        .annotate(
            places_taken=Count("enrolments", filter=Q(enrolments__status__in=Enrolment.HOLDS_PLACE))
        )
    )


def cohort_roster(*, cohort: Cohort) -> QuerySet[Enrolment]:
    """The cohort's enrolments with each family and its parents."""
    return (
        Enrolment.objects.filter(cohort=cohort)
        .select_related("family")
        .prefetch_related("family__parents")
        .order_by("status", "family__estimated_due_date")
    )


def cohort_schedule(*, cohort: Cohort) -> QuerySet[PlannedSession]:
    return PlannedSession.objects.filter(cohort=cohort).select_related("component")


def upcoming_sessions(*, cohorts: QuerySet[Cohort]) -> QuerySet[PlannedSession]:
    """The planned components of these cohorts still ahead, soonest first (slice it)."""
    return (
        PlannedSession.objects.filter(cohort__in=cohorts, starts_at__gte=timezone.now())
        .select_related("cohort", "component")
        .order_by("starts_at")
    )


def places_taken(*, cohort: Cohort) -> int:
    return Enrolment.objects.filter(cohort=cohort, status__in=Enrolment.HOLDS_PLACE).count()
