"""When a family meets its facilitators for each component: the one place that knows.

Everything in the video library and the portal that depends on calls or sessions asks
this module: when a component's videos are released, what "the next call" is, whether
videos were watched before it, and how long calls lasted. Today it reads the cohort's
planned schedule (``cohorts.PlannedSession``): a group session, a home visit, or for a
remote cohort the call that replaces the session. When per-family calls and recorded
contacts exist (the delivery app), only this module changes.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import F, QuerySet

from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.families.models import Family
from babysteps.programme.models import Component


@dataclass(frozen=True)
class Touchpoint:
    """One meeting of a family with the programme for one component."""

    component: Component
    starts_at: datetime
    duration_minutes: int
    kind: str  # plain words: "group session", "home visit", "call"
    location: str
    cohort_id: int

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


def _kind(session: PlannedSession, mode: str) -> str:
    if session.component.is_home_visit:
        return "home visit"
    if mode == Cohort.DeliveryMode.REMOTE:
        return "call"
    return "group session"


def _touchpoint(session: PlannedSession, mode: str) -> Touchpoint:
    return Touchpoint(
        component=session.component,
        starts_at=session.starts_at,
        duration_minutes=session.duration_minutes,
        kind=_kind(session, mode),
        location=session.location,
        cohort_id=session.cohort_id,
    )


def current_enrolment(family: Family) -> Enrolment | None:
    """The family's newest cohort place that still counts (withdrawn places do not)."""
    return (
        Enrolment.objects.filter(family=family, status__in=Enrolment.HOLDS_PLACE)
        .select_related("cohort")
        .order_by("-created_at", "-pk")
        .first()
    )


def touchpoints_for_family(family: Family) -> list[Touchpoint]:
    """Every call or session of the family's programme, in time order (two queries)."""
    enrolment = current_enrolment(family)
    if enrolment is None:
        return []
    sessions = PlannedSession.objects.filter(cohort_id=enrolment.cohort_id).select_related(
        "component"
    )
    mode = enrolment.cohort.delivery_mode
    return sorted((_touchpoint(s, mode) for s in sessions), key=lambda t: t.starts_at)


def next_touchpoint(family: Family, *, now: datetime) -> Touchpoint | None:
    """The next call or session that has not finished yet."""
    return next((t for t in touchpoints_for_family(family) if t.ends_at > now), None)


def component_date_for_family(family: Family, component: Component) -> datetime | None:
    """When the family meets for this component (None: not scheduled for them)."""
    enrolment = current_enrolment(family)
    if enrolment is None:
        return None
    session = PlannedSession.objects.filter(
        cohort_id=enrolment.cohort_id, component=component
    ).first()
    return session.starts_at if session else None


def touchpoint_for_family(family: Family, component_id: int) -> Touchpoint | None:
    return next((t for t in touchpoints_for_family(family) if t.component.pk == component_id), None)


def touchpoints_starting_between(
    start: datetime, end: datetime
) -> Iterator[tuple[int, Touchpoint]]:
    """(family id, touchpoint) for every family with an open place whose call or session
    starts in [start, end): what the release and reminder sweepers act on."""
    sessions = (
        PlannedSession.objects.filter(starts_at__gte=start, starts_at__lt=end)
        .select_related("component", "cohort")
        .order_by("starts_at", "pk")
    )
    by_cohort: dict[int, list[PlannedSession]] = {}
    for session in sessions:
        by_cohort.setdefault(session.cohort_id, []).append(session)
    if not by_cohort:
        return
    places = Enrolment.objects.filter(cohort_id__in=by_cohort, status__in=Enrolment.OPEN)
    for family_id, cohort_id in places.values_list("family_id", "cohort_id").order_by("pk"):
        for session in by_cohort[cohort_id]:
            yield family_id, _touchpoint(session, session.cohort.delivery_mode)


def upcoming_for_families(
    *,
    families: QuerySet[Family],
    start: datetime,
    end: datetime,
    limit: int,
    extra: dict[str, Any] | None = None,
) -> list[tuple[int, Touchpoint, dict[str, Any]]]:
    """(family id, touchpoint, extra values) for these families' calls or sessions that
    start in [start, end), soonest first. One query, whatever the number of families or
    whether there are any: ``extra`` are annotations that may use OuterRef("for_family").
    """
    extra = extra or {}
    rows = (
        PlannedSession.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            cohort__enrolments__status__in=Enrolment.OPEN,
            cohort__enrolments__family__in=families,
        )
        .annotate(for_family=F("cohort__enrolments__family_id"))
        .annotate(**extra)
        .select_related("component", "cohort")
        .order_by("starts_at", "pk")[:limit]
    )
    return [
        (
            row.for_family,
            _touchpoint(row, row.cohort.delivery_mode),
            {name: getattr(row, name) for name in extra},
        )
        for row in rows
    ]


def family_touchpoint_times(
    families: QuerySet[Family] | Iterable[int],
) -> dict[tuple[int, int], datetime]:
    """{(family id, component id): starts_at} for many families at once (one query)."""
    ids = (
        list(families.values_list("pk", flat=True))
        if isinstance(families, QuerySet)
        else list(families)
    )
    rows = (
        Enrolment.objects.filter(family_id__in=ids, status__in=Enrolment.HOLDS_PLACE)
        .order_by("family_id", "created_at", "pk")
        .values_list("family_id", "cohort_id")
    )
    cohort_of = dict(rows)  # the newest place wins (ordered last)
    times: dict[tuple[int, int], datetime] = {}
    sessions = PlannedSession.objects.filter(cohort_id__in=set(cohort_of.values()))
    by_cohort: dict[int, list[tuple[int, datetime]]] = {}
    for cohort_id, component_id, starts_at in sessions.values_list(
        "cohort_id", "component_id", "starts_at"
    ):
        by_cohort.setdefault(cohort_id, []).append((component_id, starts_at))
    for family_id, cohort_id in cohort_of.items():
        for component_id, starts_at in by_cohort.get(cohort_id, []):
            times[(family_id, component_id)] = starts_at
    return times


def call_minutes(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int] | None:
    """Actual length in minutes of each (family id, component id) call, from recorded
    contacts. None while no contacts are recorded anywhere (the delivery app is not
    installed): the engagement report then says so instead of guessing."""
    return None
