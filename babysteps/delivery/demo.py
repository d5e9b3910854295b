# Over 400 lines: the demo's lockdown story, told in order in one place.
"""Demo delivery: the lockdown story, told by the records.

- ``Blackpool Autumn 2019 (group)``: face-to-face group sessions with both facilitators,
  full home visits, a couple of missed sessions caught up by phone.
- ``Blackpool Spring 2020 (remote)``: group sessions until mid-March 2020; on 20 March the
  manager pauses group delivery site-wide from 23 March ("national lockdown"): each
  session becomes a phone call with each family, up to an hour long. From 27 April the
  calls are video-first, shorter, with the bitesize videos watched beforehand. The
  postnatal home visits are shortened and made by the midwife alone, and the family
  support worker follows each up by phone. Group delivery resumes in September 2021.
- ``Blackpool Summer 2020 (remote)`` (added by the questionnaire demo): planned in May
  2020, during the pause, so every session was a video-first call with each family from
  the start; shorter home visits by the midwife, followed up by phone.
- ``Riverside current cohort``: this month's registers and visits by its one trained
  facilitator (so co-facilitation shows as missing), catch-up calls booked ahead, and
  weekly tips for families who opted in.

Everything goes through the services, with ``now`` set to the moment it happened and no
messages for the past.
"""

import random
from datetime import date, datetime, time, timedelta

from django.utils import timezone

from babysteps.accounts.models import User
from babysteps.bookings.models import Availability, CallBooking, PlannedCall
from babysteps.bookings.selectors import free_slots
from babysteps.bookings.services import (
    availability_add,
    call_book,
    call_no_show,
    call_rebook,
    planned_call_catch_up,
)
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.delivery.models import Contact, FollowUpTask
from babysteps.delivery.services import (
    AttendanceIn,
    cohort_delivery_sync,
    contact_record,
    delivery_pause,
    delivery_resume,
    follow_up_close,
    register_families,
    register_record,
)
from babysteps.demo.registry import DemoContext, seeder
from babysteps.families.models import Family

COHORT_2019 = "Blackpool Autumn 2019 (group)"
COHORT_2020 = "Blackpool Spring 2020 (remote)"
COHORT_RIVERSIDE = "Riverside current cohort"
# Added by the questionnaire demo (``babysteps.measures.demo``); its delivery is told here.
COHORT_SUMMER_2020 = "Blackpool Summer 2020 (remote)"
LOCKDOWN = date(2020, 3, 23)
VIDEO_FIRST = date(2020, 4, 27)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def _weekday(day: date, index: int) -> date:
    """The ``index``-th weekday on or after two days before ``day``."""
    out = day - timedelta(days=2)
    seen = -1
    while True:
        if out.weekday() < 5:
            seen += 1
            if seen == index:
                return out
        out += timedelta(days=1)


def _sessions(cohort: Cohort) -> dict[str, PlannedSession]:
    return {
        s.component.code: s
        for s in PlannedSession.objects.filter(cohort=cohort).select_related("component", "cohort")
    }


def _families(cohort: Cohort) -> list[Family]:
    return [
        e.family
        for e in Enrolment.objects.filter(cohort=cohort)
        .select_related("family")
        .prefetch_related("family__parents")
        .order_by("family_id")
    ]


def _who(family: Family, *, baby: bool = False, rng: random.Random) -> AttendanceIn:
    partner = family.partner
    return AttendanceIn(
        mother=True,
        partner=bool(partner and partner.role == "partner" and rng.random() > 0.15),
        supporter=bool(partner and partner.role == "supporter"),
        baby=baby,
    )


def _register(
    session: PlannedSession,
    *,
    facilitators: list[User],
    absent: set[int],
    rng: random.Random,
    baby: bool = False,
    offer_catch_up: bool = False,
) -> Contact:
    families = register_families(session=session)
    attendance = {
        f.pk: _who(f, baby=baby, rng=rng) for i, f in enumerate(families) if i not in absent
    }
    return register_record(
        session=session,
        starts_at=session.starts_at,
        planned_minutes=session.duration_minutes,
        actual_minutes=rng.randint(108, 124),
        facilitators=facilitators,
        recorded_by=facilitators[0],
        attendance=attendance,
        key_messages=list(session.component.key_messages.all()),
        offer_catch_up=offer_catch_up,
        now=session.starts_at + timedelta(hours=3),
    )


def _visit(
    family: Family,
    session: PlannedSession,
    when: datetime,
    *,
    facilitators: list[User],
    actual: int,
    rng: random.Random,
    baby: bool = False,
) -> Contact:
    return contact_record(
        family=family,
        cohort=session.cohort,
        component=session.component,
        mode="home_visit",
        starts_at=when,
        planned_minutes=60,
        actual_minutes=actual,
        facilitators=facilitators,
        recorded_by=facilitators[0],
        attendance=_who(family, baby=baby, rng=rng),
        key_messages=list(session.component.key_messages.all()),
        now=when + timedelta(hours=4),
    )


def weekly_call_times(
    person: User,
    site,
    weekday: int,
    start: date,
    *,
    until: date | None = None,
    minutes: int = 30,
    from_time: time = time(9, 30),
    to_time: time = time(16, 30),
) -> None:
    """A facilitator's weekly times for calls on one weekday, published on ``start``
    (the portal demo publishes its cohort's times with this too)."""
    availability_add(
        facilitator=person,
        site=site,
        created_by=person,
        kind=Availability.Kind.WEEKLY,
        weekday=weekday,
        valid_from=start,
        valid_until=until,
        start_time=from_time,
        end_time=to_time,
        slot_minutes=minutes,
        today=start,
    )


def _call(
    call: PlannedCall,
    facilitator: User,
    when: datetime,
    *,
    actual: int,
    watched: bool | None,
    rng: random.Random,
) -> Contact:
    """Book a planned call three days ahead, then record it just after it happened."""
    booking = _book(call, facilitator, when)
    return _record_call(booking, actual=actual, watched=watched, rng=rng)


def _book(call: PlannedCall, facilitator: User, when: datetime) -> CallBooking:
    """Book a planned call, as its facilitator did three days before it."""
    return call_book(
        family=call.family,
        component=call.component,
        facilitator=facilitator,
        starts_at=when,
        mode=call.mode,
        booked_by=facilitator,
        planned_call=call,
        notify=False,
        now=when - timedelta(days=3),
    )


def _record_call(
    booking: CallBooking, *, actual: int, watched: bool | None, rng: random.Random
) -> Contact:
    family = booking.family
    return contact_record(
        family=family,
        cohort=booking.cohort,
        component=booking.component,
        mode=booking.mode,
        starts_at=booking.starts_at,
        planned_minutes=booking.duration_minutes,
        actual_minutes=actual,
        facilitators=[booking.facilitator],
        recorded_by=booking.facilitator,
        attendance=AttendanceIn(
            mother=True,
            partner=bool(family.partner and rng.random() > 0.3),
            watched_videos_beforehand=watched,
        ),
        key_messages=list(booking.component.key_messages.all()),
        booking=booking,
        now=booking.starts_at + timedelta(hours=2),
    )


def _follow_up_call(
    task: FollowUpTask, by: User, when: datetime, who: AttendanceIn, rng: random.Random
) -> Contact:
    """The family support worker's phone call after a shortened home visit."""
    return contact_record(
        family=task.family,
        cohort=task.visit.cohort,
        component=task.component,
        mode="phone",
        starts_at=when,
        planned_minutes=20,
        actual_minutes=rng.randint(15, 25),
        facilitators=[by],
        recorded_by=by,
        attendance=who,
        key_messages=list(task.component.key_messages.all()),
        follow_up=task,
        now=when + timedelta(hours=1),
    )


@seeder(20, "delivery: contacts, registers, the lockdown switch, calls and bookings")
def seed_delivery(ctx: DemoContext) -> None:
    if Contact.objects.filter(cohort__name=COHORT_2019).exists():
        return
    rng = random.Random(20200323)  # noqa: S311 - demo data, not security
    manager = ctx.user("manager@blackpool.demo")
    midwife = ctx.user("midwife@blackpool.demo")
    support = ctx.user("familysupport@blackpool.demo")
    _autumn_2019(ctx.cohort(COHORT_2019), midwife, support, rng)
    _spring_2020(ctx.cohort(COHORT_2020), manager, midwife, support, rng)
    _riverside(ctx, ctx.cohort(COHORT_RIVERSIDE), rng)


def _autumn_2019(cohort: Cohort, midwife: User, support: User, rng: random.Random) -> None:
    plan = _sessions(cohort)
    both = [midwife, support]
    families = _families(cohort)
    for i, family in enumerate(families):
        when = at(_weekday(plan["HV1"].starts_at.date(), i), 10 + i % 3)
        _visit(family, plan["HV1"], when, facilitators=both, actual=rng.randint(55, 75), rng=rng)
    absences = {"S2": {1}, "S3": {6}, "S5": {4}}
    for code in ("S1", "S2", "S3", "S4", "S5", "S6"):
        _register(plan[code], facilitators=both, absent=absences.get(code, set()), rng=rng)
    # Missed sessions caught up by phone by the family support worker.
    for code, index in (("S2", 1), ("S5", 4)):
        session = plan[code]
        family = register_families(session=session)[index]
        call = planned_call_catch_up(
            family=family, session=session, created_by=support, now=session.starts_at
        )
        when = at(session.starts_at.date() + timedelta(days=2), 11)
        contact_record(
            family=family,
            cohort=cohort,
            component=session.component,
            mode="phone",
            starts_at=when,
            planned_minutes=45,
            actual_minutes=rng.randint(30, 42),
            facilitators=[support],
            recorded_by=support,
            attendance=AttendanceIn(mother=True),
            key_messages=list(session.component.key_messages.all()),
            planned_call=call,
            catch_up=True,
            now=when + timedelta(hours=1),
        )
    for i, family in enumerate(f for f in families if f.babies.exists()):
        when = at(_weekday(plan["HV2"].starts_at.date(), i), 10 + i % 3)
        _visit(
            family,
            plan["HV2"],
            when,
            facilitators=both,
            actual=rng.randint(58, 72),
            rng=rng,
            baby=True,
        )
    for code in ("S7", "S8", "S9"):
        _register(
            plan[code], facilitators=both, absent={2} if code == "S8" else set(), rng=rng, baby=True
        )


def _spring_2020(
    cohort: Cohort, manager: User, midwife: User, support: User, rng: random.Random
) -> None:
    plan = _sessions(cohort)
    both = [midwife, support]
    site = cohort.site
    for i, family in enumerate(_families(cohort)):
        when = at(_weekday(plan["HV1"].starts_at.date(), i), 10 + i % 3)
        _visit(family, plan["HV1"], when, facilitators=both, actual=rng.randint(55, 70), rng=rng)
    absences = {"S3": {2}, "S4": {1}}
    for code in ("S1", "S2", "S3", "S4"):
        _register(plan[code], facilitators=both, absent=absences.get(code, set()), rng=rng)

    # 20 March 2020: lockdown. Every group session from the 23rd becomes a phone call with
    # each family. The bitesize videos do not exist yet.
    friday = at(date(2020, 3, 20), 9)
    delivery_pause(
        site=site,
        from_date=LOCKDOWN,
        reason="National lockdown: group sessions paused",
        mode="phone",
        prework=False,
        changed_by=manager,
        notify=False,
        now=friday,
    )
    for person in both:
        for weekday in (1, 3):  # Tuesdays and Thursdays: hour-long phone calls
            weekly_call_times(
                person, site, weekday, LOCKDOWN, until=VIDEO_FIRST - timedelta(days=1), minutes=60
            )
            weekly_call_times(person, site, weekday, VIDEO_FIRST, until=date(2020, 9, 30))

    def calls(code: str) -> list[PlannedCall]:
        return list(
            PlannedCall.objects.filter(planned_session=plan[code], status="open")
            .select_related("family", "component", "cohort")
            .order_by("family_id")
        )

    # S5 and S6 by phone: the key messages one family at a time, up to an hour each.
    for code, days in (
        ("S5", (date(2020, 3, 24), date(2020, 3, 26))),
        ("S6", (date(2020, 3, 31), date(2020, 4, 2))),
    ):
        for i, call in enumerate(calls(code)):
            person = both[i % 2]
            when = at(days[i % 2], 9 + i // 2, 30)
            if code == "S6" and i == 2:
                # Nobody answered: recorded as missed, and rebooked for the next week.
                booking = _book(call, person, when)
                call_no_show(booking=booking, recorded_by=person, now=when + timedelta(minutes=20))
                again = call_rebook(
                    booking=booking,
                    starts_at=at(date(2020, 4, 7), 10, 30),
                    facilitator=person,
                    booked_by=person,
                    notify=False,
                    now=when + timedelta(minutes=30),
                )
                _record_call(again, actual=rng.randint(48, 58), watched=None, rng=rng)
                continue
            _call(call, person, when, actual=rng.randint(44, 60), watched=None, rng=rng)

    # 24 April: the NSPCC's bitesize videos are ready. From the 27th the calls are
    # video-first: parents watch the session's videos beforehand.
    delivery_pause(
        site=site,
        from_date=VIDEO_FIRST,
        reason="Bitesize videos ready: video-first calls",
        mode="video",
        prework=True,
        changed_by=manager,
        notify=False,
        now=at(date(2020, 4, 24), 10),
    )

    # Postnatal home visits: shortened, by the midwife alone, to limit time in the home;
    # the family support worker follows each up by phone.
    for i, family in enumerate(f for f in _families(cohort) if f.babies.exists()):
        when = at(_weekday(plan["HV2"].starts_at.date(), i), 10 + i % 3)
        _visit(
            family,
            plan["HV2"],
            when,
            facilitators=[midwife],
            actual=rng.randint(18, 30),
            rng=rng,
            baby=True,
        )
    for i, task in enumerate(FollowUpTask.objects.filter(visit__cohort=cohort).order_by("pk")):
        if i == 3:
            follow_up_close(
                task=task,
                reason="Family declined a call: their health visitor had just called",
                closed_by=support,
                now=at(task.due_on, 9),
            )
            continue
        _follow_up_call(
            task,
            support,
            at(task.due_on, 11),
            AttendanceIn(mother=True, partner=rng.random() > 0.4, baby=True),
            rng,
        )

    # S7 to S9 by video, after the videos: shorter calls about the parents' own questions.
    weeks = {"S7": date(2020, 7, 7), "S8": date(2020, 7, 14), "S9": date(2020, 7, 21)}
    for code, tuesday in weeks.items():
        for i, call in enumerate(calls(code)):
            day = tuesday + timedelta(days=2 * (i % 2))
            when = at(day, 9, 30) + timedelta(minutes=30 * (i // 2))
            watched = not (code == "S8" and i == 0)
            actual = rng.randint(22, 32) if watched else rng.randint(38, 48)
            _call(call, both[i % 2], when, actual=actual, watched=watched, rng=rng)

    # September 2021: restrictions lifted, group sessions resume.
    delivery_resume(
        site=site,
        from_date=date(2021, 9, 6),
        reason="Restrictions lifted: group sessions resume",
        changed_by=manager,
        notify=False,
        now=at(date(2021, 9, 1), 9),
    )


def _riverside(ctx: DemoContext, cohort: Cohort, rng: random.Random) -> None:
    hv = ctx.user("hv@riverside.demo")
    manager = ctx.user("manager@riverside.demo")
    site = cohort.site
    plan = _sessions(cohort)
    now = timezone.now()
    families = _families(cohort)
    for i, family in enumerate(families):
        when = at(_weekday(plan["HV1"].starts_at.date(), i), 10 + i % 3)
        # The health visitor alone (the cohort has no trained children's services
        # practitioner): each visit needs a follow-up nobody can make.
        _visit(family, plan["HV1"], when, facilitators=[hv], actual=rng.randint(50, 65), rng=rng)
    for task in FollowUpTask.objects.filter(visit__cohort=cohort).order_by("pk")[:2]:
        follow_up_close(task=task, reason="Covered at the first group session", closed_by=manager)
    absences = {"S2": {3}, "S3": {1, 5}, "S4": {2}}
    for code in ("S1", "S2", "S3", "S4"):
        session = plan[code]
        if session.starts_at > now - timedelta(hours=3):
            continue
        _register(
            session,
            facilitators=[hv],
            absent=absences.get(code, set()),
            rng=rng,
            offer_catch_up=True,
        )
    # Times for calls: Mondays and Wednesdays, half-hour calls.
    start = ctx.today - timedelta(days=30)
    for weekday in (0, 2):
        weekly_call_times(hv, site, weekday, start, from_time=time(10), to_time=time(15))
    open_calls = list(
        PlannedCall.objects.filter(cohort=cohort, status="open").select_related(
            "family", "component"
        )
    )
    # The earliest catch-up was booked last week and has just happened: waiting to be recorded.
    if open_calls:
        first = open_calls[0]
        past = ctx.today - timedelta(days=1)
        while past.weekday() not in (0, 2):
            past -= timedelta(days=1)
        call_book(
            family=first.family,
            component=first.component,
            facilitator=hv,
            starts_at=at(past, 11),
            booked_by=hv,
            planned_call=first,
            notify=False,
            now=at(past, 11) - timedelta(days=4),
        )
    # The next one is booked ahead for real: its notice and reminders are queued.
    for call in open_calls[1:2]:
        slot = free_slots(
            facilitators=[hv],
            first=ctx.today + timedelta(days=1),
            last=ctx.today + timedelta(days=14),
        )
        if slot:
            call_book(
                family=call.family,
                component=call.component,
                facilitator=hv,
                starts_at=slot[0].starts_at,
                mode="video",
                booked_by=hv,
                planned_call=call,
            )
    # Two families opted in to weekly tips (the parent portal lets parents change this).
    Family.objects.filter(pk__in=[f.pk for f in families[:2]]).update(weekly_tips_opt_in=True)


@seeder(
    32, "delivery: Blackpool Summer 2020, planned during the pause, taught by video-first calls"
)
def seed_summer_2020(ctx: DemoContext) -> None:
    """The cohort the questionnaire demo adds, which started in June 2020, in the middle
    of the site-wide pause: planned then, its sessions became video-first calls at once,
    and the records say so (no group register, every session a call with each family)."""
    cohort = Cohort.objects.filter(name=COHORT_SUMMER_2020).first()
    if cohort is None or Contact.objects.filter(cohort=cohort).exists():
        return
    rng = random.Random(20200604)  # noqa: S311 - demo data, not security
    midwife = ctx.user("midwife@blackpool.demo")
    support = ctx.user("familysupport@blackpool.demo")
    both = [midwife, support]
    planned_on = at(cohort.start_date - timedelta(days=28), 9)
    cohort_delivery_sync(cohort=cohort, now=planned_on, notify=False)
    plan = _sessions(cohort)
    families = _families(cohort)
    for i, family in enumerate(families):
        # Shorter home visits, the midwife alone; the family support worker follows up.
        when = at(_weekday(plan["HV1"].starts_at.date(), i), 10 + i % 3)
        _visit(
            family, plan["HV1"], when, facilitators=[midwife], actual=rng.randint(25, 35), rng=rng
        )
    for code in ("S1", "S2", "S3", "S4", "S5", "S6", "S7", "S8", "S9"):
        calls = PlannedCall.objects.filter(planned_session=plan[code], status="open")
        for i, call in enumerate(calls.select_related("family", "component").order_by("family_id")):
            day = plan[code].starts_at.date() + timedelta(days=i % 3)
            when = at(day, 9 + i // 3, 30)
            person = both[i % 2]
            contact_record(
                family=call.family,
                cohort=cohort,
                component=call.component,
                mode=call.mode,
                starts_at=when,
                planned_minutes=30,
                actual_minutes=rng.randint(22, 34),
                facilitators=[person],
                recorded_by=person,
                attendance=AttendanceIn(
                    mother=True,
                    partner=bool(call.family.partner and rng.random() > 0.3),
                    baby=code in ("S7", "S8", "S9"),
                    watched_videos_beforehand=rng.random() > 0.15,
                ),
                key_messages=list(call.component.key_messages.all()),
                planned_call=call,
                now=when + timedelta(hours=2),
            )
    for task in FollowUpTask.objects.filter(visit__cohort=cohort).order_by("pk"):
        _follow_up_call(task, support, at(task.due_on, 14), AttendanceIn(mother=True), rng)
