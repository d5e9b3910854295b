"""When a family meets its facilitators for each component: the one place that knows.

Everything in the video library and the portal that depends on calls or sessions asks
this module: when a component's videos are released, what "the next call" is, whether
videos were watched before it, and how long calls lasted. It reads the delivery apps:
``bookings.selectors.family_touchpoints`` (a booked call, a call still to book, or the
cohort's planned session) and ``delivery`` contacts (what actually took place).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, QuerySet

from babysteps.bookings import selectors as bookings
from babysteps.bookings.models import CallBooking, PlannedCall
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.delivery.models import Attendance, Mode
from babysteps.families.models import Family
from babysteps.programme.models import Component

# A call still to book has no length yet: assume this for "until when is it next".
CALL_MINUTES_GUESS = 60


@dataclass(frozen=True)
class Touchpoint:
    """One meeting of a family with the programme for one component."""

    component: Component
    starts_at: datetime
    duration_minutes: int
    kind: str  # plain words: "group session", "home visit", "phone call", "video call"
    location: str
    cohort_id: int
    is_call: bool = False
    needs_booking: bool = False
    booking_id: int | None = None
    planned_call_id: int | None = None
    facilitator_name: str = ""

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.duration_minutes)


_MODE_WORDS = {
    "phone": "phone call",
    "video": "video call",
    "group": "group session",
    "home_visit": "home visit",
}


def from_bookings(point: bookings.Touchpoint) -> Touchpoint:
    """The booking pages' touchpoint, as the video library and the portal describe it."""
    session = point.planned_session
    booking = point.booking
    if booking is not None:
        minutes = booking.duration_minutes
    elif point.is_call:
        minutes = CALL_MINUTES_GUESS
    else:
        minutes = session.duration_minutes if session else CALL_MINUTES_GUESS
    return Touchpoint(
        component=point.component,
        starts_at=point.starts_at,
        duration_minutes=minutes,
        kind=_MODE_WORDS.get(point.mode, "call" if point.is_call else "session"),
        location="" if point.is_call or session is None else session.location,
        cohort_id=point.cohort.pk,
        is_call=point.is_call,
        needs_booking=point.needs_booking,
        booking_id=booking.pk if booking else None,
        planned_call_id=point.planned_call.pk if point.planned_call else None,
        facilitator_name=booking.facilitator.full_name if booking else "",
    )


def current_enrolment(family: Family) -> Enrolment | None:
    """The family's cohort place: the open one, else the latest completed one."""
    return bookings.family_place(family=family)


def touchpoints_for_family(family: Family) -> list[Touchpoint]:
    """Every call or session of the family's programme, in time order (a few queries)."""
    return [from_bookings(p) for p in bookings.family_touchpoints(family=family)]


def next_touchpoint(family: Family, *, now: datetime) -> Touchpoint | None:
    """The family's next call or session, as the booking pages see it: a booked call
    until an hour into it, a call still to book, or the cohort's next session."""
    point = bookings.next_touchpoint(family=family, now=now)
    return from_bookings(point) if point is not None else None


def touchpoint_for_family(family: Family, component_id: int) -> Touchpoint | None:
    return next((t for t in touchpoints_for_family(family) if t.component.pk == component_id), None)


def touchpoints_starting_between(
    start: datetime, end: datetime
) -> Iterator[tuple[int, Touchpoint]]:
    """(family id, touchpoint) for every family with an open place whose call or session
    starts in [start, end): what the release and reminder sweepers act on. Families are
    found by any of their plans falling in the window (a session, a planned call, a
    booking), then each family's own touchpoints decide (a session turned into a call
    is the call)."""
    open_places = Enrolment.objects.filter(status__in=Enrolment.OPEN)
    in_window = {"starts_at__gte": start, "starts_at__lt": end}
    by_session = open_places.filter(
        Exists(PlannedSession.objects.filter(cohort_id=OuterRef("cohort_id"), **in_window))
    ).values_list("family_id", flat=True)
    by_call = PlannedCall.objects.filter(
        status=PlannedCall.Status.OPEN, due_at__gte=start, due_at__lt=end
    ).values_list("family_id", flat=True)
    by_booking = CallBooking.objects.filter(
        status=CallBooking.Status.BOOKED, **in_window
    ).values_list("family_id", flat=True)
    family_ids = sorted(set(by_session) | set(by_call) | set(by_booking))
    open_ids = set(open_places.filter(family_id__in=family_ids).values_list("family_id", flat=True))
    for family in Family.objects.filter(pk__in=[f for f in family_ids if f in open_ids]):
        for point in touchpoints_for_family(family):
            if start <= point.starts_at < end:
                yield family.pk, point


def upcoming_for_families(
    *,
    families: QuerySet[Family],
    start: datetime,
    end: datetime,
    limit: int,
    extra: dict[str, Any] | None = None,
) -> list[tuple[int, Touchpoint, dict[str, Any]]]:
    """(family id, touchpoint, extra values) for these families' booked calls and their
    cohorts' sessions (not turned into calls for them) that start in [start, end),
    soonest first. Two queries whatever the number of families: ``extra`` are
    annotations that may use OuterRef("for_family")."""
    extra = extra or {}
    calls = (
        CallBooking.objects.filter(
            family__in=families, status=CallBooking.Status.BOOKED, starts_at__gte=start
        )
        .filter(starts_at__lt=end)
        .annotate(for_family=F("family_id"))
        .annotate(**extra)
        .select_related("component", "facilitator")
        .order_by("starts_at", "pk")[:limit]
    )
    turned_into_calls = PlannedCall.objects.filter(
        family_id=OuterRef("for_family"), planned_session=OuterRef("pk")
    ).exclude(status=PlannedCall.Status.WITHDRAWN)
    sessions = (
        PlannedSession.objects.filter(
            starts_at__gte=start,
            starts_at__lt=end,
            cohort__enrolments__status__in=Enrolment.OPEN,
            cohort__enrolments__family__in=families,
        )
        .annotate(for_family=F("cohort__enrolments__family_id"))
        .filter(~Exists(turned_into_calls))
        .annotate(**extra)
        .select_related("component", "cohort")
        .order_by("starts_at", "pk")[:limit]
    )
    rows: list[tuple[int, Touchpoint, dict[str, Any]]] = []
    for booking in calls:
        point = Touchpoint(
            component=booking.component,
            starts_at=booking.starts_at,
            duration_minutes=booking.duration_minutes,
            kind=_MODE_WORDS.get(booking.mode, "call"),
            location="",
            cohort_id=booking.cohort_id,
            is_call=True,
            booking_id=booking.pk,
            facilitator_name=booking.facilitator.full_name,
        )
        rows.append((booking.for_family, point, {n: getattr(booking, n) for n in extra}))
    for session in sessions:
        component = session.component
        point = Touchpoint(
            component=component,
            starts_at=session.starts_at,
            duration_minutes=session.duration_minutes,
            kind="group session" if component.is_group_session else "home visit",
            location=session.location,
            cohort_id=session.cohort_id,
        )
        rows.append((session.for_family, point, {n: getattr(session, n) for n in extra}))
    rows.sort(key=lambda row: row[1].starts_at)
    return rows[:limit]


def family_touchpoint_times(
    families: QuerySet[Family] | Iterable[int],
) -> dict[tuple[int, int], datetime]:
    """{(family id, component id): when it happens or happened} for many families at
    once: the cohort's session, else the family's planned call, else its booked or held
    call (later sources win). Four queries."""
    # A queryset stays a subquery: a national report's 100,000 ids are never sent back.
    ids: Any = families.values("pk") if isinstance(families, QuerySet) else list(families)
    rows = (
        Enrolment.objects.filter(family_id__in=ids, status__in=Enrolment.HOLDS_PLACE)
        .order_by("family_id", "created_at", "pk")
        .values_list("family_id", "cohort_id")
    )
    cohort_of = dict(rows)  # the newest place wins (ordered last)
    times: dict[tuple[int, int], datetime] = {}
    by_cohort: dict[int, list[tuple[int, datetime]]] = {}
    for cohort_id, component_id, starts_at in PlannedSession.objects.filter(
        cohort_id__in=set(cohort_of.values())
    ).values_list("cohort_id", "component_id", "starts_at"):
        by_cohort.setdefault(cohort_id, []).append((component_id, starts_at))
    for family_id, cohort_id in cohort_of.items():
        for component_id, starts_at in by_cohort.get(cohort_id, []):
            times[(family_id, component_id)] = starts_at
    for family_id, cohort_id, component_id, due_at in (
        PlannedCall.objects.filter(family_id__in=ids)
        .exclude(status=PlannedCall.Status.WITHDRAWN)
        .order_by("due_at", "pk")
        .values_list("family_id", "cohort_id", "component_id", "due_at")
    ):
        if cohort_of.get(family_id) == cohort_id:
            times[(family_id, component_id)] = due_at
    for family_id, cohort_id, component_id, starts_at in (
        CallBooking.objects.filter(family_id__in=ids, status__in=CallBooking.HOLDS_SLOT)
        .order_by("starts_at", "pk")
        .values_list("family_id", "cohort_id", "component_id", "starts_at")
    ):
        if cohort_of.get(family_id) == cohort_id:
            times[(family_id, component_id)] = starts_at
    return times


def call_minutes(pairs: Iterable[tuple[int, int]]) -> dict[tuple[int, int], int]:
    """Actual length in minutes of each (family id, component id) call the family took
    part in, from recorded contacts (the latest, if several). One query."""
    wanted = set(pairs)
    if not wanted:
        return {}
    families = {f for f, _ in wanted}
    rows = (
        Attendance.objects.filter(
            family_id__in=families,
            present=True,
            contact__mode__in=[Mode.PHONE, Mode.VIDEO],
        )
        .filter(Q(contact__actual_minutes__isnull=False))
        .order_by("contact__starts_at", "pk")
        .values_list("family_id", "contact__component_id", "contact__actual_minutes")
    )
    return {(f, c): m for f, c, m in rows if (f, c) in wanted}
