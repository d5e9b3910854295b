"""Reads about calls: where a family is next (``next_touchpoint``), free slots, and the lists the
pages show. Scope comes from the access chokepoints (``babysteps.bookings.access``); these narrow
and load."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings import slots as slot_logic
from babysteps.bookings.models import Availability, CallBooking, PlannedCall
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.families.models import Family
from babysteps.programme.models import Component

# An open planned call stays "next" for this long after its due time: it still needs booking.
OVERDUE_CALL_WINDOW = timedelta(days=14)
# A booked call stays "next" until it has been running this long.
CALL_IN_PROGRESS_WINDOW = timedelta(hours=1)


# --- Where a family is in the programme -------------------------------------------------


def family_place(*, family: Family) -> Enrolment | None:
    """The family's cohort place: the open one, else the latest completed one. A family
    that has withdrawn (and holds no other place) has none."""
    places = list(
        Enrolment.objects.filter(family=family, status__in=Enrolment.HOLDS_PLACE)
        .select_related("cohort", "cohort__site")
        .order_by("-created_at", "-pk")
    )
    open_places = [e for e in places if e.status in Enrolment.OPEN]
    chosen = open_places or places
    return chosen[0] if chosen else None


@dataclass(frozen=True)
class Touchpoint:
    """A family's plan for one component: a booked (or held) call, a call still to book,
    or the cohort's session (group session or home visit).

    ``kind`` is "call" (a booking, or a planned call already booked or done),
    "call_to_book" (a planned call with no booking yet) or "session".
    ``mode`` is "group", "home_visit", "phone" or "video".
    """

    kind: str
    component: Component
    starts_at: datetime
    mode: str
    cohort: Cohort
    booking: CallBooking | None = None
    planned_call: PlannedCall | None = None
    planned_session: PlannedSession | None = None
    prework: bool = False

    @property
    def is_call(self) -> bool:
        return self.kind in ("call", "call_to_book")

    @property
    def needs_booking(self) -> bool:
        return self.kind == "call_to_book"


def family_touchpoints(*, family: Family) -> list[Touchpoint]:
    """One touchpoint per component of the family's cohort, in time order, in four
    queries whatever the family's history. Past ones are included (e.g. for a release
    schedule); ``next_touchpoint`` picks the one that matters now."""
    place = family_place(family=family)
    if place is None:
        return []
    cohort = place.cohort
    bookings: dict[int, CallBooking] = {}
    for booking in (
        CallBooking.objects.filter(family=family, cohort=cohort, status__in=CallBooking.HOLDS_SLOT)
        .select_related("component", "facilitator", "planned_call")
        .order_by("starts_at", "pk")
    ):
        current = bookings.get(booking.component_id)
        # A booked call beats a completed one; otherwise the latest wins.
        if current is None or booking.status == CallBooking.Status.BOOKED:
            bookings[booking.component_id] = booking
    calls: dict[int, PlannedCall] = {}
    for call in (
        PlannedCall.objects.filter(family=family, cohort=cohort)
        .exclude(status=PlannedCall.Status.WITHDRAWN)
        .select_related("component")
        .order_by("due_at", "pk")
    ):
        calls[call.component_id] = call
    out: list[Touchpoint] = []
    for session in PlannedSession.objects.filter(cohort=cohort).select_related("component"):
        component = session.component
        booked = bookings.get(component.pk)
        planned = calls.get(component.pk)
        if booked is not None:
            out.append(
                Touchpoint(
                    kind="call",
                    component=component,
                    starts_at=booked.starts_at,
                    mode=booked.mode,
                    cohort=cohort,
                    booking=booked,
                    planned_call=booked.planned_call,
                    planned_session=session,
                    prework=bool(booked.planned_call and booked.planned_call.prework),
                )
            )
        elif planned is not None:
            out.append(
                Touchpoint(
                    kind="call_to_book" if planned.status == PlannedCall.Status.OPEN else "call",
                    component=component,
                    starts_at=planned.due_at,
                    mode=planned.mode,
                    cohort=cohort,
                    planned_call=planned,
                    planned_session=session,
                    prework=planned.prework,
                )
            )
        else:
            out.append(
                Touchpoint(
                    kind="session",
                    component=component,
                    starts_at=session.starts_at,
                    mode="group" if component.is_group_session else "home_visit",
                    cohort=cohort,
                    planned_session=session,
                )
            )
    out.sort(key=lambda t: (t.starts_at, t.component.order))
    return out


def next_touchpoint(
    *, family: Family, component: Component | None = None, now: datetime | None = None
) -> Touchpoint | None:
    """The family's next call or session: their booked call if they have one, else the
    call they still need to book, else the cohort's planned session.

    With ``component``: the family's plan for that component (past or future). Without:
    the soonest that still lies ahead (a booked call until an hour into it; a call still to
    book up to two weeks after it was due; a session until it starts).
    """
    points = family_touchpoints(family=family)
    if component is not None:
        return next((t for t in points if t.component.pk == component.pk), None)
    moment = now or timezone.now()

    def ahead(t: Touchpoint) -> bool:
        if t.kind == "call_to_book":
            return t.starts_at >= moment - OVERDUE_CALL_WINDOW
        if t.kind == "call":
            if t.booking is None or t.booking.status != CallBooking.Status.BOOKED:
                return False
            return t.starts_at >= moment - CALL_IN_PROGRESS_WINDOW
        return t.starts_at >= moment

    return next((t for t in points if ahead(t)), None)


# --- Slots ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Slot:
    facilitator: User
    starts_at: datetime
    ends_at: datetime

    @property
    def value(self) -> str:
        """How a form names the slot: ``<facilitator id>|<ISO start>``."""
        return f"{self.facilitator.pk}|{self.starts_at.isoformat()}"


def _rules(rows: Iterable[Availability]) -> list[slot_logic.Rule]:
    return [
        slot_logic.Rule(
            id=a.pk,
            weekly=a.kind == Availability.Kind.WEEKLY,
            weekday=a.weekday,
            valid_from=a.valid_from,
            valid_until=a.valid_until,
            start_time=a.start_time,
            end_time=a.end_time,
            slot_minutes=a.slot_minutes,
        )
        for a in rows
    ]


def availability_of(*, facilitators: Iterable[User]) -> QuerySet[Availability]:
    return Availability.objects.filter(facilitator__in=list(facilitators), active=True)


def published_slot(*, facilitator: User, starts_at: datetime) -> tuple[datetime, datetime] | None:
    """The facilitator's published slot that starts at ``starts_at`` (aware), if any."""
    local = timezone.localtime(starts_at).replace(tzinfo=None)
    found = slot_logic.slot_at(_rules(availability_of(facilitators=[facilitator])), local)
    if found is None:
        return None
    start = timezone.make_aware(found.starts)
    return start, timezone.make_aware(found.ends)


def free_slots(
    *,
    facilitators: Iterable[User],
    first: date,
    last: date,
    now: datetime | None = None,
    limit: int = 200,
) -> list[Slot]:
    """Published slots of these facilitators from ``first`` to ``last`` that are still in
    the future and not taken, soonest first (two queries)."""
    moment = now or timezone.now()
    people = {u.pk: u for u in facilitators}
    by_person: dict[int, list[Availability]] = {}
    for row in availability_of(facilitators=people.values()):
        by_person.setdefault(row.facilitator_id, []).append(row)
    start = timezone.make_aware(datetime.combine(first, datetime.min.time()))
    end = timezone.make_aware(datetime.combine(last + timedelta(days=1), datetime.min.time()))
    taken: dict[int, list[tuple[datetime, datetime]]] = {}
    for fac_id, s, e in CallBooking.objects.filter(
        facilitator_id__in=list(people),
        status__in=CallBooking.HOLDS_SLOT,
        starts_at__lt=end,
        ends_at__gt=start,
    ).values_list("facilitator_id", "starts_at", "ends_at"):
        taken.setdefault(fac_id, []).append((s, e))
    out: list[Slot] = []
    for fac_id, rows in by_person.items():
        for local in slot_logic.slots_between(_rules(rows), first, last):
            s, e = timezone.make_aware(local.starts), timezone.make_aware(local.ends)
            if s <= moment:
                continue
            if any(slot_logic.overlaps(s, e, ts, te) for ts, te in taken.get(fac_id, [])):
                continue
            out.append(Slot(people[fac_id], s, e))
    out.sort(key=lambda slot: (slot.starts_at, slot.facilitator.full_name))
    # Two entries of one facilitator can offer the same start: keep the first.
    seen: set[tuple[int, datetime]] = set()
    unique = []
    for slot in out:
        if (slot.facilitator.pk, slot.starts_at) not in seen:
            seen.add((slot.facilitator.pk, slot.starts_at))
            unique.append(slot)
    return unique[:limit]


# --- Lists ------------------------------------------------------------------------------


def bookings_loaded(queryset: QuerySet[CallBooking]) -> QuerySet[CallBooking]:
    """Bookings with what a list shows (family and parents, component, facilitator)."""
    return queryset.select_related("component", "facilitator", "cohort", "family").prefetch_related(
        "family__parents"
    )


def facilitator_upcoming_calls(
    *, user: User, now: datetime | None = None, limit: int = 20
) -> list[CallBooking]:
    """The facilitator's booked calls from an hour ago on (so a call can be recorded)."""
    moment = now or timezone.now()
    rows = CallBooking.objects.filter(
        facilitator=user,
        status=CallBooking.Status.BOOKED,
        starts_at__gte=moment - timedelta(days=7),
    ).order_by("starts_at", "pk")
    return list(bookings_loaded(rows)[:limit])


def calls_to_book(*, cohorts: QuerySet[Cohort], limit: int = 50) -> QuerySet[PlannedCall]:
    """Planned calls not yet booked in these cohorts, soonest due first."""
    return (
        PlannedCall.objects.filter(cohort__in=cohorts, status=PlannedCall.Status.OPEN)
        .select_related("component", "cohort", "family")
        .prefetch_related("family__parents")
        .order_by("due_at", "pk")[:limit]
    )


def family_calls(*, family: Family) -> dict[str, list]:
    """A family's planned calls and bookings, for its record."""
    return {
        "planned_calls": list(
            PlannedCall.objects.filter(family=family)
            .exclude(status=PlannedCall.Status.WITHDRAWN)
            .select_related("component", "cohort")
            .order_by("due_at", "pk")
        ),
        "bookings": list(
            CallBooking.objects.filter(family=family)
            .select_related("component", "facilitator")
            .order_by("-starts_at", "-pk")
        ),
    }


def cohort_facilitators(*, cohort: Cohort) -> list[User]:
    return list(
        User.objects.filter(cohort_links__cohort=cohort, is_active=True)
        .select_related("practitioner")
        .order_by("full_name")
    )


def open_planned_calls(*, family: Family) -> QuerySet[PlannedCall]:
    return PlannedCall.objects.filter(family=family, status=PlannedCall.Status.OPEN).select_related(
        "component"
    )
