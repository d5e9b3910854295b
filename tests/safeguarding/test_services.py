"""Signposting, claiming, calls, the outcome and withdrawal: the rules and what each
write leaves behind (the referral, its audit event, the messages)."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from babysteps.audit.models import AuditEvent
from babysteps.licensing.models import Site
from babysteps.notifications.models import Message
from babysteps.safeguarding import services
from babysteps.safeguarding.models import (
    CallAttempt,
    ImmediateRiskAction,
    ReferralReason,
    SafeAndWellReferral,
)
from tests.factories import ParentFactory
from tests.safeguarding.factories import NO_CONSENT_REASON, SUMMARY, make_referral

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
NOW = datetime(2026, 11, 25, 10, 0, tzinfo=LONDON)  # a Wednesday


def _messages(event: str) -> dict[str, Message]:
    return {m.to: m for m in Message.objects.filter(key__contains=f":{event}:")}


def test_signposting_with_consent(cast, lead):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=NOW)
    assert referral.status == "open" and referral.claimed_by is None
    assert referral.site == cast.site_a
    assert referral.due_by == datetime(2026, 11, 26, 17, tzinfo=LONDON)
    assert referral.due_soon_at == datetime(2026, 11, 26, 13, tzinfo=LONDON)
    assert referral.safe_number == "+447700900461"  # E.164
    assert list(referral.parents.all()) == [cast.family_a.mother]
    # The whole NSPCC team hears of it, and nobody else; without any family detail.
    sent = _messages("new")
    assert set(sent) == {cast.safe_and_well.email, lead.email}
    for message in sent.values():
        assert "Within 1 working day" in message.body
        assert "/safeguarding/queue/" in message.body
        assert SUMMARY not in message.body and "Alice" not in message.body
    event = AuditEvent.objects.get(object_type="referral", action="create")
    assert (event.object_id, event.family_id, event.site_id) == (
        str(referral.pk),
        cast.family_a.pk,
        cast.site_a.pk,
    )
    assert "summary" in event.detail["fields"]
    assert SUMMARY not in str(event.detail)


def test_due_by_uses_the_family_nation(cast):
    Site.objects.filter(pk=cast.site_b.pk).update(nation="scotland")
    cast.family_b.site.refresh_from_db()
    friday = datetime(2026, 11, 27, 11, tzinfo=LONDON)
    scottish = make_referral(cast.family_b, by=cast.facilitator_b, now=friday)
    english = make_referral(cast.family_a, by=cast.midwife_a, now=friday)
    assert scottish.due_by == datetime(2026, 12, 1, 17, tzinfo=LONDON)  # St Andrew's Day
    assert english.due_by == datetime(2026, 11, 30, 17, tzinfo=LONDON)


@pytest.mark.parametrize("basis", ["refused", "not_sought"])
def test_proceeding_without_consent_requires_the_safeguarding_reason(cast, basis):
    with pytest.raises(ValidationError) as error:
        make_referral(
            cast.family_a,
            by=cast.midwife_a,
            now=NOW,
            consent=False,
            consent_basis=basis,
            no_consent_reason="   ",
        )
    assert "no_consent_reason" in error.value.message_dict
    assert not SafeAndWellReferral.objects.exists()
    assert not AuditEvent.objects.filter(object_type="referral").exists()
    assert not Message.objects.exists()
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=NOW, consent=False)
    assert referral.no_consent_reason == NO_CONSENT_REASON
    assert not referral.with_consent


def test_consent_details_are_checked(cast):
    def errors(**values):
        with pytest.raises(ValidationError) as error:
            make_referral(cast.family_a, by=cast.midwife_a, now=NOW, **values)
        return error.value.message_dict

    assert "consent_given_by" in errors(consent_given_by="partner")  # not a parent concerned
    assert "consent_given_on" in errors(consent_given_on=None)
    assert "consent_given_on" in errors(consent_given_on=NOW.date() + timedelta(days=1))
    assert (
        "ask the parent again"
        in errors(consent_given_on=NOW.date() - timedelta(days=31))["consent_given_on"][0]
    )
    assert "consent_method" in errors(consent_method="telepathy")
    assert "no_consent_reason" in errors(no_consent_reason="A reason as well")
    assert "consent_basis" in errors(consent_basis="maybe")


def test_everything_else_is_checked_before_anything_is_written(cast):
    other_family_parent = cast.family_b.mother
    retired = ReferralReason.objects.create(code="retired", label="Retired", active=False)
    with pytest.raises(ValidationError) as error:
        make_referral(
            cast.family_a,
            by=cast.midwife_a,
            now=NOW,
            parents=[other_family_parent],
            reasons=("retired",),
            summary="  ",
            urgency="eventually",
            safe_number="12345",
            safe_call_from=time(14),
            safe_call_to=time(9),
            language="",
            source="rumour",
        )
    assert retired.pk
    assert set(error.value.message_dict) >= {
        "parents",
        "reasons",
        "summary",
        "urgency",
        "safe_number",
        "safe_call_to",
        "language",
        "source",
    }
    assert not SafeAndWellReferral.objects.exists()


def test_one_open_referral_per_family(cast):
    first = make_referral(cast.family_a, by=cast.midwife_a, now=NOW)
    with pytest.raises(ValidationError, match="already has an open"):
        make_referral(cast.family_a, by=cast.support_a, now=NOW)
    services.referral_withdraw(referral=first, withdrawn_by=cast.midwife_a, reason="Duplicate")
    assert make_referral(cast.family_a, by=cast.support_a, now=NOW).pk != first.pk


def test_claim_once(cast, other_practitioner):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=NOW)
    services.referral_claim(referral=referral, user=cast.safe_and_well, now=NOW)
    referral.refresh_from_db()
    assert (referral.status, referral.claimed_by) == ("claimed", cast.safe_and_well)
    with pytest.raises(ValidationError, match="claimed by someone else"):
        services.referral_claim(referral=referral, user=other_practitioner)
    with pytest.raises(ValidationError, match="safe-and-well team"):
        services.referral_claim(referral=referral, user=cast.manager_a)
    referral.refresh_from_db()
    assert referral.claimed_by == cast.safe_and_well
    claim = AuditEvent.objects.get(object_type="referral", action="change")
    assert claim.detail["fields"] == ["status", "claimed_by", "claimed_at"]


def test_lead_assigns(cast, lead, other_practitioner):
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    with pytest.raises(ValidationError, match="team lead"):
        services.referral_assign(referral=referral, to=other_practitioner, assigned_by=cast.admin)
    with pytest.raises(ValidationError, match="member of the safe-and-well team"):
        services.referral_assign(referral=referral, to=cast.midwife_a, assigned_by=lead)
    services.referral_assign(referral=referral, to=other_practitioner, assigned_by=lead)
    referral.refresh_from_db()
    assert referral.claimed_by == other_practitioner
    assert other_practitioner.email in _messages("assigned")


def _call(referral, user, minutes, outcome="no_answer", **extra):
    return services.call_attempt_record(
        referral=referral,
        made_by=user,
        at=NOW + timedelta(minutes=minutes),
        outcome=outcome,
        now=NOW + timedelta(hours=2),
        **extra,
    )


def test_call_attempts(cast, other_practitioner):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=NOW)
    with pytest.raises(ValidationError, match="Claim the referral"):
        _call(referral, cast.safe_and_well, 5)
    services.referral_claim(referral=referral, user=cast.safe_and_well, now=NOW)
    with pytest.raises(ValidationError, match="Only the practitioner holding"):
        _call(referral, other_practitioner, 5)
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, 240)
    assert "at" in error.value.message_dict  # in the future
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, -60)
    assert "at" in error.value.message_dict  # before the referral
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, 5, outcome="spoke", voicemail_left=True)
    assert "voicemail_left" in error.value.message_dict
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, 5, outcome="hung up")
    assert "outcome" in error.value.message_dict
    # The family asked for no voicemail: leaving one is refused, with the reason.
    assert not referral.voicemail_ok
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, 5, voicemail_left=True)
    assert "asked for no voicemail" in error.value.message_dict["voicemail_left"][0]
    assert not CallAttempt.objects.exists()
    attempt = _call(referral, cast.safe_and_well, 5)
    assert not attempt.voicemail_left
    assert CallAttempt.objects.count() == 1


def test_a_call_outside_the_safe_times_needs_a_reason_kept_on_the_record(cast):
    from datetime import time

    referral = make_referral(
        cast.family_a,
        by=cast.midwife_a,
        now=NOW,
        claimed_by=cast.safe_and_well,
        safe_call_from=time(9),
        safe_call_to=time(10, 30),
        voicemail_ok=True,
    )
    # 10:05 and 10:30 are inside 09:00-10:30: no reason asked.
    inside = _call(referral, cast.safe_and_well, 5)
    assert inside.outside_safe_times_reason == ""
    assert _call(referral, cast.safe_and_well, 30).pk
    # 10:50 is not: refused without a reason, kept with one.
    with pytest.raises(ValidationError) as error:
        _call(referral, cast.safe_and_well, 50)
    assert (
        "outside the parent's safe times (09:00 to 10:30)"
        in (error.value.message_dict["outside_safe_times_reason"][0])
    )
    assert CallAttempt.objects.count() == 2
    late = _call(
        referral,
        cast.safe_and_well,
        50,
        outside_safe_times_reason="She texted asking to be called after her appointment.",
    )
    assert late.outside_safe_times_reason.startswith("She texted")
    # A reason given for a call inside the safe times is not kept (nothing to explain).
    assert (
        _call(
            referral, cast.safe_and_well, 10, outside_safe_times_reason="x"
        ).outside_safe_times_reason
        == ""
    )


def test_closing_needs_the_right_calls_and_tells_the_site(cast, settings):
    settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED = 2
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, now=NOW, claimed_by=cast.safe_and_well
    )

    def close(**values):
        return services.referral_close(
            note_for_site="Mother spoken to; nothing further for you to do.",
            referral=referral,
            closed_by=cast.safe_and_well,
            now=NOW + timedelta(hours=3),
            **values,
        )

    with pytest.raises(ValidationError, match="Log the call in which you spoke"):
        close(outcome="support_accepted")
    _call(referral, cast.safe_and_well, 5)
    with pytest.raises(ValidationError, match="at least 2 call attempts"):
        close(outcome="not_reached")
    with pytest.raises(ValidationError) as error:
        close(outcome="onward_referral", onward_to="other_service")
    assert set(error.value.message_dict) == {"onward_service", "onward_reference"}
    with pytest.raises(ValidationError, match="Only the practitioner holding"):
        services.referral_close(
            note_for_site="Mother spoken to; nothing further for you to do.",
            referral=referral,
            closed_by=cast.admin,
            outcome="declined",
        )
    _call(referral, cast.safe_and_well, 30, outcome="spoke")
    with pytest.raises(ValidationError, match="not 'not reached'"):
        close(outcome="not_reached")
    assert not Message.objects.filter(key__contains=":closed:").exists()
    close(outcome="support_accepted", onward_reference="ignored", outcome_notes="Weekly calls.")
    referral.refresh_from_db()
    assert (referral.status, referral.outcome, referral.onward_reference) == (
        "closed",
        "support_accepted",
        "",
    )
    assert referral.outcome_display == "Support offered and accepted"
    # The referrer, the site manager and the family's facilitators are told; nobody else.
    assert set(_messages("closed")) == {
        cast.midwife_a.email,
        cast.support_a.email,
        cast.manager_a.email,
    }
    body = next(iter(_messages("closed").values())).body
    assert f"/families/{cast.family_a.pk}/" in body and "Weekly calls" not in body
    with pytest.raises(ValidationError, match="Claim the referral"):
        close(outcome="declined")


def test_onward_referral_with_its_reference(cast):
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, now=NOW, claimed_by=cast.safe_and_well
    )
    services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=referral,
        closed_by=cast.safe_and_well,
        outcome="onward_referral",
        onward_to="childrens_social_care",
        onward_reference="CSC-2026-0042",
        now=NOW + timedelta(hours=1),
    )
    referral.refresh_from_db()
    assert referral.outcome_display == (
        "Onward referral to Children's social care (reference CSC-2026-0042)"
    )


def test_not_reached_after_enough_attempts(cast, settings):
    settings.SAFE_AND_WELL_ATTEMPTS_BEFORE_NOT_REACHED = 3
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, now=NOW, claimed_by=cast.safe_and_well
    )
    for minutes in (5, 35, 65):
        _call(referral, cast.safe_and_well, minutes)
    services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=referral,
        closed_by=cast.safe_and_well,
        outcome="not_reached",
        now=NOW,
    )
    referral.refresh_from_db()
    assert referral.outcome == "not_reached"


def test_withdrawal_keeps_the_referral_and_tells_the_holder(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a, claimed_by=cast.safe_and_well)
    with pytest.raises(ValidationError) as error:
        services.referral_withdraw(referral=referral, withdrawn_by=cast.midwife_a, reason=" ")
    assert "withdrawal_reason" in error.value.message_dict
    services.referral_withdraw(
        referral=referral, withdrawn_by=cast.midwife_a, reason="Concern resolved at the visit."
    )
    referral.refresh_from_db()
    assert referral.status == "withdrawn" and referral.withdrawn_by == cast.midwife_a
    assert set(_messages("withdrawn")) == {cast.safe_and_well.email}
    with pytest.raises(ValidationError, match="already closed or withdrawn"):
        services.referral_withdraw(referral=referral, withdrawn_by=cast.midwife_a, reason="Again")
    assert SafeAndWellReferral.objects.filter(pk=referral.pk).exists()


def test_the_partner_can_be_the_parent_concerned(cast):
    partner = ParentFactory(family=cast.family_a, role="partner", given_name="Sam")
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, now=NOW, parents=[partner], consent_given_by="partner"
    )
    assert list(referral.parents.all()) == [partner]


def test_immediate_risk_is_recorded_not_referred(cast):
    with pytest.raises(ValidationError) as error:
        services.immediate_risk_record(
            family=cast.family_a,
            recorded_by=cast.midwife_a,
            occurred_at=NOW,
            called_999=False,
            followed_local_procedures=False,
        )
    assert "called_999" in error.value.message_dict
    action = services.immediate_risk_record(
        family=cast.family_a,
        recorded_by=cast.midwife_a,
        occurred_at=NOW,
        called_999=True,
        followed_local_procedures=True,
        reference="Incident 1234",
        now=NOW + timedelta(minutes=10),  # recorded just after, whenever the suite runs
    )
    assert ImmediateRiskAction.objects.get() == action
    assert not SafeAndWellReferral.objects.exists()
    event = AuditEvent.objects.get(object_type="immediateriskaction")
    assert event.family_id == cast.family_a.pk and "Incident" not in str(event.detail)


def test_a_referral_is_never_deleted_with_its_family(cast):
    from django.db.models import ProtectedError

    family = cast.family_a_unplaced  # no cohort place, which would protect it anyway
    make_referral(family, by=cast.manager_a)
    with pytest.raises(ProtectedError):
        family.delete()
    assert SafeAndWellReferral.objects.count() == 1
