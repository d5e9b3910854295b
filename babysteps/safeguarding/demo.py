"""Demo: the NSPCC safe-and-well team (a practitioner and the team lead), a closed
referral with its outcome from Blackpool's lockdown remote cohort (spring 2020), and an
open same-day referral from Riverside's current cohort, waiting in the queue.

The open one is current rather than from 2020: a referral from the remote cohort that
was still open today would be six years overdue and escalate on every run."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from babysteps.accounts.models import Role, User
from babysteps.accounts.services import membership_grant, staff_create
from babysteps.demo.registry import DemoContext, give_demo_second_factor, mother_of, seeder
from babysteps.notifications.services import messages_cancel
from babysteps.safeguarding.models import CallAttempt, ReferralReason, SafeAndWellReferral
from babysteps.safeguarding.services import (
    call_attempt_record,
    referral_claim,
    referral_close,
    referral_create,
)

PRACTITIONER = "safeandwell@nspcc.demo"
LEAD = "safeandwell.lead@nspcc.demo"
CLOSED_FAMILY = "zoe.marsden@example.com"  # Blackpool Spring 2020 (remote)
OPEN_FAMILY = "maria.kowalska@example.com"  # Riverside current cohort


def _account(ctx: DemoContext, email: str, name: str, role: str, description: str) -> User:
    user = User.objects.filter(email=email).first() or staff_create(
        email=email, full_name=name, password=ctx.password
    )
    membership_grant(user=user, role=role)
    ctx.add_login(email, description)
    give_demo_second_factor(user)
    return user


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=timezone.get_current_timezone())


def _reasons(*codes: str) -> list[ReferralReason]:
    return list(ReferralReason.objects.filter(code__in=codes))


@seeder(50, "safeguarding: safe-and-well team and referrals")
def seed_safeguarding(ctx: DemoContext) -> None:
    practitioner = _account(
        ctx,
        PRACTITIONER,
        "Nadia Rahman",
        Role.NSPCC_SAFE_AND_WELL,
        "NSPCC safe-and-well practitioner",
    )
    _account(
        ctx, LEAD, "Helen Ward", Role.NSPCC_SAFE_AND_WELL_LEAD, "NSPCC safe-and-well team lead"
    )
    if SafeAndWellReferral.objects.exists():
        return

    # Lockdown, May 2020: the family support worker signposts a mum who is isolated.
    family = ctx.family(CLOSED_FAMILY)
    referred = _at(date(2020, 5, 12), 10, 20)
    closed = referral_create(
        family=family,
        referred_by=ctx.user("familysupport@blackpool.demo"),
        parents=[mother_of(family)],
        reasons=_reasons("isolation", "low_mood"),
        summary=(
            "Zoe's baby is three weeks old. On our call she said she has not left the flat "
            "since the birth, her partner is working long shifts and she feels very low and "
            "alone. She would like someone to talk to."
        ),
        urgency="one_working_day",
        consent_basis="given",
        consent_given_by="mother",
        consent_given_on=referred.date(),
        consent_method="phone",
        safe_number=mother_of(family).mobile or "07700 900314",
        safe_call_from=time(10, 0),
        safe_call_to=time(15, 0),
        safe_times_notes="Weekdays; the baby usually naps after 1pm.",
        voicemail_ok=True,
        language=family.preferred_language,
        source="call",
        now=referred,
    )
    referral_claim(referral=closed, user=practitioner, now=referred + timedelta(hours=3))
    call_attempt_record(
        referral=closed,
        made_by=practitioner,
        at=referred + timedelta(hours=3, minutes=10),
        outcome=CallAttempt.Outcome.NO_ANSWER,
        voicemail_left=True,
        note="Left a short message saying who we are and that we will call tomorrow.",
        now=referred + timedelta(hours=3, minutes=12),
    )
    spoke = _at(date(2020, 5, 13), 10, 30)
    call_attempt_record(
        referral=closed,
        made_by=practitioner,
        at=spoke,
        outcome=CallAttempt.Outcome.SPOKE,
        now=spoke + timedelta(minutes=40),
    )
    referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=closed,
        closed_by=practitioner,
        outcome=SafeAndWellReferral.Outcome.SUPPORT_ACCEPTED,
        outcome_notes=(
            "Zoe and the baby are safe. She accepted weekly support calls and agreed to "
            "talk to her health visitor about her mood."
        ),
        now=spoke + timedelta(minutes=45),
    )
    # These 2020 notifications belong to the story, not to today's inboxes.
    messages_cancel(group=f"safeguarding:referral:{closed.pk}", reason="Demo history.")

    # An hour ago: Riverside's health visitor signposts a mum with money and housing worries.
    family = ctx.family(OPEN_FAMILY)
    referred_at = timezone.now() - timedelta(hours=1)
    referral_create(
        family=family,
        referred_by=ctx.user("hv@riverside.demo"),
        parents=[mother_of(family)],
        reasons=_reasons("money", "housing", "low_mood"),
        summary=(
            "Maria told me at the home visit that the family may lose their flat at the end "
            "of the month and she is not sleeping. She was tearful and asked for help."
        ),
        urgency="same_day",
        consent_basis="given",
        consent_given_by="mother",
        consent_given_on=timezone.localdate(referred_at),
        consent_method="in_person",
        safe_number=mother_of(family).mobile or "07700 900271",
        voicemail_ok=False,
        safe_times_notes="Mornings are best.",
        language=family.preferred_language,
        interpreter_needed=family.interpreter_needed,
        source="family_page",
        now=referred_at,
    )
