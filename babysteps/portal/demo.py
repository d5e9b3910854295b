"""Demo: a current Blackpool cohort delivered video-first (calls after videos), with the
demo parent ``parent@blackpool.demo`` (and her partner) part-way through: videos watched
before earlier calls, questions sent, and a call coming up in two days."""

from datetime import datetime, timedelta

from django.utils import timezone

from babysteps.cohorts.models import Cohort, Enrolment, PlannedSession
from babysteps.cohorts.services import (
    cohort_create,
    cohort_facilitator_add,
    enrolment_change_status,
    family_register,
)
from babysteps.demo.demo import test_range_nhs_numbers
from babysteps.demo.registry import DemoContext, seeder
from babysteps.families.models import Family, Parent
from babysteps.families.services import ParentDetails
from babysteps.portal.models import ParentQuestion
from babysteps.portal.services import question_ask, question_mark_discussed
from babysteps.videos.models import Video
from babysteps.videos.services import watch_record

COHORT = "Blackpool current cohort (video-first)"
PARENT_EMAIL = "parent@blackpool.demo"
PARTNER_EMAIL = "partner@blackpool.demo"
# (mother, partner, email of mother, email of partner, mobile, language)
FAMILIES = [
    ("Lucy Fairclough", "Adam Fairclough", PARENT_EMAIL, PARTNER_EMAIL, "07700 900461", "English"),
    ("Shannon Kaye", "Dean Kaye", "shannon.kaye@example.com", "", "07700 900462", "English"),
    ("Priya Mistry", "Nikhil Mistry", "priya.mistry@example.com", "", "07700 900463", "English"),
]


def _played(video: Video, share: float) -> list[list[float]]:
    duration = video.current_version.duration_seconds
    return [[0.0, round(duration * share, 1)]]


def _watch(parent: Parent, video: Video, share: float, at: datetime) -> None:
    watch_record(parent=parent, video=video, intervals=_played(video, share), now=at)


@seeder(41, "portal: a current video-first Blackpool cohort and the demo parent")
def seed_portal(ctx: DemoContext) -> None:
    ctx.add_login(PARENT_EMAIL, "Parent portal (passwordless: enter this email at /portal/)")
    ctx.add_login(PARTNER_EMAIL, "Her partner, signs in separately to the same family")
    ctx.notes.append(
        "Parent portal: open http://127.0.0.1:8000/portal/ and enter parent@blackpool.demo; "
        "the sign-in link and code are printed in this console (console email backend)."
    )
    if Cohort.objects.filter(name=COHORT).exists():
        return
    site = ctx.site("Blackpool")
    manager = ctx.user("manager@blackpool.demo")
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
    for email in ("midwife@blackpool.demo", "familysupport@blackpool.demo"):
        cohort_facilitator_add(cohort=cohort, user=ctx.user(email), added_by=manager)
    used = set(Family.objects.values_list("identifier", flat=True))
    numbers = (n for n in test_range_nhs_numbers() if n not in used)
    families = []
    for index, (mother, partner, email, partner_email, mobile, language) in enumerate(FAMILIES):
        given, surname = mother.split(" ", 1)
        p_given, p_surname = partner.split(" ", 1)
        family = family_register(
            site=site,
            cohort=cohort,
            created_by=manager,
            today=start - timedelta(days=30),
            mother=ParentDetails(given_name=given, family_name=surname, email=email, mobile=mobile),
            partner=ParentDetails(
                given_name=p_given,
                family_name=p_surname,
                email=partner_email,
                mobile="",
                role=Parent.Role.PARTNER,
            ),
            estimated_due_date=start + timedelta(days=70 + 9 * index),
            identifier_type="nhs",
            identifier=next(numbers),
            postcode=f"FY1 {index + 2}AB",
            preferred_language=language,
            preferred_channel="email",
            safe_call_from=None,
            safe_call_to=None,
        )
        enrolment = Enrolment.objects.get(family=family, cohort=cohort)
        enrolment_change_status(
            enrolment=enrolment,
            status="enrolled",
            changed_by=manager,
            today=start - timedelta(days=30),
        )
        enrolment_change_status(
            enrolment=enrolment, status="active", changed_by=manager, today=start
        )
        families.append(family)

    at = {
        s.component.code: s.starts_at
        for s in PlannedSession.objects.filter(cohort=cohort).select_related("component")
    }
    videos = {
        v.title: v
        for v in Video.objects.filter(site__isnull=True).select_related("current_version")
    }
    if not videos:
        return
    lucy = families[0].mother
    adam = families[0].partner
    day_before = timedelta(days=1)
    for title in ("Welcome to Baby Steps",):
        _watch(lucy, videos[title], 1.0, at["HV1"] - day_before)
    for title in ("Your baby is growing", "Talking to your bump"):
        _watch(lucy, videos[title], 1.0, at["S1"] - day_before)
    _watch(adam, videos["Talking to your bump"], 1.0, at["S1"] - timedelta(hours=3))
    _watch(lucy, videos["Changes for you both"], 0.95, at["S2"] - day_before)
    _watch(lucy, videos["Sharing feelings and tasks"], 0.4, at["S2"] - timedelta(hours=5))
    # The other families: one keen, one who watched nothing.
    shannon = families[1].mother
    for title in ("Welcome to Baby Steps", "Your baby is growing", "Talking to your bump"):
        _watch(shannon, videos[title], 1.0, at["S1"] - timedelta(days=2))
    _watch(shannon, videos["Changes for you both"], 0.5, at["S2"] + timedelta(days=1))

    midwife = ctx.user("midwife@blackpool.demo")
    earlier = question_ask(
        parent=lucy,
        text="Adam and I keep arguing about who gets up in the night once the baby is "
        "here. Is that normal?",
        now=at["S2"] - timedelta(days=2),
    )
    # Asked before the S2 call (created_at is set on save, so put it back in time).
    ParentQuestion.objects.filter(pk=earlier.pk).update(created_at=at["S2"] - timedelta(days=2))
    earlier.refresh_from_db()
    question_mark_discussed(question=earlier, user=midwife, now=at["S2"] + timedelta(minutes=20))
    question_ask(
        parent=lucy,
        text="I have been feeling quite low in the evenings this week. Can we talk about it?",
        now=timezone.now() - timedelta(hours=6),
    )
    question_ask(
        parent=adam,
        text="What can I do to help at the birth?",
        now=timezone.now() - timedelta(hours=2),
    )
