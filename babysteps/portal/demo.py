"""Demo: a current Blackpool cohort delivered video-first (short videos, then a video call
with each family), with the demo parent ``parent@blackpool.demo`` (and her partner)
part-way through: videos watched before the S1 and S2 calls (recorded, with their
lengths), questions sent, and her S3 call booked for the next days."""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from babysteps.bookings.models import Availability, CallBooking, PlannedCall
from babysteps.bookings.selectors import free_slots
from babysteps.bookings.services import availability_add, call_book
from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.cohorts.services import (
    cohort_create,
    cohort_facilitator_add,
    enrolment_change_status,
    family_register,
)
from babysteps.delivery.demo import weekly_call_times
from babysteps.delivery.services import AttendanceIn, contact_record, delivery_pause
from babysteps.demo.demo import test_range_nhs_numbers
from babysteps.demo.registry import DemoContext, mother_of, partner_of, seeder
from babysteps.families.models import Family, Parent
from babysteps.families.services import ParentDetails
from babysteps.portal.models import ParentQuestion
from babysteps.portal.services import question_ask, question_mark_discussed
from babysteps.programme.models import Component
from babysteps.videos.models import Video
from babysteps.videos.watching import watch_record

COHORT = "Blackpool current cohort (video-first)"
PARENT_EMAIL = "parent@blackpool.demo"
PARTNER_EMAIL = "partner@blackpool.demo"
# (mother, partner, email of mother, email of partner, mobile)
FAMILIES = [
    ("Lucy Fairclough", "Adam Fairclough", PARENT_EMAIL, PARTNER_EMAIL, "07700 900461"),
    ("Shannon Kaye", "Dean Kaye", "shannon.kaye@example.com", "", "07700 900462"),
    ("Priya Mistry", "Nikhil Mistry", "priya.mistry@example.com", "", "07700 900463"),
]


def _watch(parent: Parent, video: Video, share: float, at: datetime) -> None:
    duration = video.length_seconds
    watch_record(parent=parent, video=video, intervals=[[0.0, round(duration * share, 1)]], now=at)


def _book(parent: Parent, person, code: str, *, ahead: bool = False) -> CallBooking:
    """Book the family's call for a component in the facilitator's first free slot from
    the day it is due (``ahead``: from tomorrow, booked now by the parent in the portal,
    within the call's window, which opens with its videos)."""
    call = PlannedCall.objects.select_related("component").get(
        family_id=parent.family_id, component__code=code
    )
    due = timezone.localtime(call.due_at).date()
    first = timezone.localdate() + timedelta(days=1) if ahead else due
    booked_at = timezone.now() if ahead else call.due_at - timedelta(days=3)
    slot = free_slots(
        facilitators=[person], first=first, last=first + timedelta(days=7), now=booked_at
    )[0]
    return call_book(
        family=call.family,
        component=call.component,
        facilitator=person,
        starts_at=slot.starts_at,
        mode="video",
        booked_by_parent=parent if ahead else None,
        booked_by=None if ahead else person,
        planned_call=call,
        notify=ahead,
        now=booked_at,
    )


def _record(booking: CallBooking, *, minutes: int, partner: bool) -> None:
    """The facilitator records the call; "watched beforehand" comes from the portal."""
    contact_record(
        family=booking.family,
        cohort=booking.cohort,
        component=booking.component,
        mode=booking.mode,
        starts_at=booking.starts_at,
        planned_minutes=booking.duration_minutes,
        actual_minutes=minutes,
        facilitators=[booking.facilitator],
        recorded_by=booking.facilitator,
        attendance=AttendanceIn(mother=True, partner=partner),
        key_messages=list(booking.component.key_messages.all()),
        booking=booking,
        now=booking.starts_at + timedelta(hours=2),
    )


def _families(ctx: DemoContext, cohort: Cohort, manager, start) -> list[Family]:
    used = set(Family.objects.values_list("identifier", flat=True))
    numbers = (n for n in test_range_nhs_numbers() if n not in used)
    families = []
    for index, (mother, partner, email, partner_email, mobile) in enumerate(FAMILIES):
        given, surname = mother.split(" ", 1)
        p_given, p_surname = partner.split(" ", 1)
        family = family_register(
            site=cohort.site,
            cohort=cohort,
            created_by=manager,
            today=start - timedelta(days=30),
            mother=ParentDetails(given_name=given, family_name=surname, email=email, mobile=mobile),
            partner=ParentDetails(
                given_name=p_given,
                family_name=p_surname,
                email=partner_email,
                role=Parent.Role.PARTNER,
            ),
            estimated_due_date=start + timedelta(days=70 + 9 * index),
            identifier_type="nhs",
            identifier=next(numbers),
            postcode=f"FY1 {index + 2}AB",
            preferred_language="English",
            preferred_channel="email",
            safe_call_from=None,
            safe_call_to=None,
        )
        enrolment = Enrolment.objects.get(family=family, cohort=cohort)
        for status, day in (("enrolled", start - timedelta(days=30)), ("active", start)):
            enrolment_change_status(
                enrolment=enrolment, status=status, changed_by=manager, today=day
            )
        families.append(family)
    return families


@seeder(41, "portal: a current video-first Blackpool cohort and the demo parent")
def seed_portal(ctx: DemoContext) -> None:
    ctx.add_login(PARENT_EMAIL, "Parent portal (passwordless: enter this email at /portal/)")
    ctx.add_login(PARTNER_EMAIL, "Her partner, signs in separately to the same family")
    ctx.notes.append(
        f"Parent portal: open {settings.SITE_URL}/portal/ and enter parent@blackpool.demo; "
        "the sign-in link and code are printed in this console (console email backend)."
    )
    if Cohort.objects.filter(name=COHORT).exists():
        return
    site = ctx.site("Blackpool")
    manager = ctx.user("manager@blackpool.demo")
    midwife = ctx.user("midwife@blackpool.demo")
    support = ctx.user("familysupport@blackpool.demo")
    start = ctx.today - timedelta(days=12)
    cohort = cohort_create(
        site=site,
        created_by=manager,
        name=COHORT,
        start_date=start,
        due_date_from=start + timedelta(days=63),
        due_date_to=start + timedelta(days=100),
        delivery_mode=Cohort.DeliveryMode.REMOTE,
        venue="Calls from Revoe Children's Centre",
    )
    for person in (midwife, support):
        cohort_facilitator_add(cohort=cohort, user=person, added_by=manager)
    lucy_family, shannon_family, priya_family = _families(ctx, cohort, manager, start)
    # Video-first from the start: every group session is a video call with each family,
    # with the videos as pre-work (the delivery app's switch, as a manager sets it).
    decided = start - timedelta(days=20)
    delivery_pause(
        site=site,
        cohort=cohort,
        from_date=decided,
        reason="Video-first: short videos, then a video call with each family",
        mode="video",
        prework=True,
        changed_by=manager,
        notify=False,
        now=timezone.make_aware(datetime.combine(decided, time(9))),
    )
    for person in (midwife, support):
        for weekday in range(5):  # weekdays, half-hour calls
            weekly_call_times(person, site, weekday, decided)
    videos = {
        v.title: v
        for v in Video.objects.filter(site__isnull=True).select_related("current_version")
    }
    if not videos:
        return
    lucy, adam = mother_of(lucy_family), partner_of(lucy_family)
    shannon, priya = mother_of(shannon_family), mother_of(priya_family)
    hv1 = PlannedSession.objects.get(cohort=cohort, component__code="HV1").starts_at
    _watch(lucy, videos["Welcome to Baby Steps"], 1.0, hv1 - timedelta(days=1))
    _watch(shannon, videos["Welcome to Baby Steps"], 1.0, hv1 - timedelta(days=2))
    # S1 and S2 have happened: each family's call was booked, then recorded with its
    # length; "watched beforehand" is filled in from what each family really played.
    both_s1 = [("Your baby is growing", 1.0), ("Talking to your bump", 1.0)]
    both_s2 = [("Changes for you both", 1.0), ("Sharing feelings and tasks", 1.0)]
    calls = [
        ("S1", lucy, midwife, both_s1, 24),
        ("S1", shannon, support, both_s1, 26),
        ("S1", priya, midwife, [], 47),
        (
            "S2",
            lucy,
            midwife,
            [("Changes for you both", 0.95), ("Sharing feelings and tasks", 0.4)],
            38,
        ),
        ("S2", shannon, support, both_s2, 27),
        ("S2", priya, midwife, [("Changes for you both", 0.3)], 52),
    ]
    for code, parent, person, watched, minutes in calls:
        booking = _book(parent, person, code)
        for title, share in watched:
            _watch(parent, videos[title], share, booking.starts_at - timedelta(hours=20))
        if (code, parent) == ("S1", lucy):
            _watch(
                adam, videos["Talking to your bump"], 1.0, booking.starts_at - timedelta(hours=3)
            )
        _record(booking, minutes=minutes, partner=parent == lucy)
    # S3 is in a few days: Lucy has booked her call in the portal; the others have not yet.
    # The midwife also offered times tomorrow, so the booked call is in the next days (and
    # its videos are open) on whatever day of the week the demo is loaded.
    tomorrow = ctx.today + timedelta(days=1)
    availability_add(
        facilitator=midwife,
        site=site,
        created_by=midwife,
        kind=Availability.Kind.ONE_OFF,
        valid_from=tomorrow,
        start_time=time(10),
        end_time=time(12),
        today=ctx.today,
    )
    _book(lucy, midwife, "S3", ahead=True)

    s2_call = CallBooking.objects.get(family=lucy_family, component__code="S2").starts_at
    earlier = question_ask(
        parent=lucy,
        text="Adam and I keep arguing about who gets up in the night once the baby is "
        "here. Is that normal?",
        now=s2_call - timedelta(days=2),
    )
    # Asked before the S2 call, for it (created_at is set on save, so put it back in time;
    # the S2 call is recorded already, so "the next call" would be S3 now).
    ParentQuestion.objects.filter(pk=earlier.pk).update(
        created_at=s2_call - timedelta(days=2),
        component=Component.objects.get(code="S2"),
        touchpoint_at=s2_call,
    )
    earlier.refresh_from_db()
    question_mark_discussed(question=earlier, user=midwife, now=s2_call + timedelta(minutes=20))
    question_ask(
        parent=lucy,
        text="I have been feeling quite low in the evenings this week. Can we talk about it?",
    )
    question_ask(parent=adam, text="What can I do to help at the birth?")
