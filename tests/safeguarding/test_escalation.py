"""Escalation: once per stage, recorded on the referral, never repeated by a worker
retry, a second worker or the periodic sweeper."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection

from babysteps.accounts.models import Membership, Role
from babysteps.audit.models import AuditEvent
from babysteps.core.periodic import jobs
from babysteps.notifications.models import Message
from babysteps.safeguarding import services
from babysteps.safeguarding.escalation import escalations_sweep, referral_escalate
from babysteps.safeguarding.models import Escalation, SafeAndWellReferral
from babysteps.safeguarding.tasks import escalate_referral
from tests.safeguarding.factories import SUMMARY, make_referral

LONDON = ZoneInfo("Europe/London")
MONDAY = datetime(2026, 11, 23, 9, 0, tzinfo=LONDON)
# A 1-working-day referral made Monday 09:00 is due Tuesday 17:00: escalated at 13:00
# if unclaimed, at 17:00 if unresolved, and on Wednesday at 17:00 if still unresolved.
DUE_SOON = datetime(2026, 11, 24, 13, 0, tzinfo=LONDON)
OVERDUE = datetime(2026, 11, 24, 17, 0, tzinfo=LONDON)
FURTHER = datetime(2026, 11, 25, 17, 0, tzinfo=LONDON)


def _escalation_messages(referral) -> list[Message]:
    return list(Message.objects.filter(key__contains=f"referral:{referral.pk}:escalation:"))


@pytest.mark.django_db
def test_each_stage_fires_once_and_is_recorded(cast, lead):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    assert escalations_sweep(now=DUE_SOON - timedelta(minutes=1)) == 0
    assert escalations_sweep(now=DUE_SOON) == 1
    assert escalations_sweep(now=DUE_SOON + timedelta(minutes=30)) == 0  # sweeper again
    assert referral_escalate(referral_id=referral.pk, now=DUE_SOON) is None  # task retry
    escalation = Escalation.objects.get(referral=referral)
    assert escalation.stage == "due_soon"
    # The team lead and the referring site's manager, by email, with no family details.
    assert set(escalation.notified.all()) == {lead, cast.manager_a}
    messages = _escalation_messages(referral)
    assert {m.to for m in messages} == {lead.email, cast.manager_a.email}
    for message in messages:
        assert SUMMARY not in message.body and "Alice" not in message.body
        assert f"/safeguarding/referrals/{referral.pk}/" in message.body

    assert escalations_sweep(now=OVERDUE) == 1
    assert escalations_sweep(now=OVERDUE + timedelta(hours=1)) == 0
    assert escalations_sweep(now=FURTHER) == 1
    assert escalations_sweep(now=FURTHER + timedelta(days=10)) == 0
    assert list(Escalation.objects.filter(referral=referral).values_list("stage", flat=True)) == [
        "due_soon",
        "overdue",
        "overdue_further",
    ]
    assert len(_escalation_messages(referral)) == 6
    events = AuditEvent.objects.filter(object_type="referral", detail__stage__isnull=False)
    assert sorted(e.detail["stage"] for e in events) == ["due_soon", "overdue", "overdue_further"]
    assert {e.actor_label for e in events} == {"system"}


@pytest.mark.django_db
def test_a_claimed_referral_is_not_escalated_until_it_is_overdue(cast, lead):
    referral = make_referral(
        cast.family_a, by=cast.midwife_a, now=MONDAY, claimed_by=cast.safe_and_well
    )
    assert escalations_sweep(now=DUE_SOON) == 0
    assert escalations_sweep(now=OVERDUE) == 1
    escalation = Escalation.objects.get(referral=referral)
    # Overdue: the practitioner holding it is told as well.
    assert set(escalation.notified.all()) == {lead, cast.manager_a, cast.safe_and_well}


@pytest.mark.django_db
def test_closed_and_withdrawn_referrals_are_never_escalated(cast):
    held = make_referral(
        cast.family_a, by=cast.midwife_a, now=MONDAY, claimed_by=cast.safe_and_well
    )
    services.call_attempt_record(
        referral=held, made_by=cast.safe_and_well, at=MONDAY, outcome="spoke", now=MONDAY
    )
    services.referral_close(
        note_for_site="Mother spoken to; nothing further for you to do.",
        referral=held,
        closed_by=cast.safe_and_well,
        outcome="safe_and_well",
        now=MONDAY,
    )
    withdrawn = make_referral(cast.family_b, by=cast.facilitator_b, now=MONDAY)
    services.referral_withdraw(referral=withdrawn, withdrawn_by=cast.facilitator_b, reason="No")
    assert escalations_sweep(now=FURTHER + timedelta(days=5)) == 0
    assert referral_escalate(referral_id=held.pk, now=FURTHER) is None
    assert not Escalation.objects.exists()


@pytest.mark.django_db
def test_a_worker_stopped_for_days_sends_one_escalation_not_a_burst(cast, lead):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    assert escalations_sweep(now=FURTHER + timedelta(days=3)) == 1
    assert [e.stage for e in Escalation.objects.filter(referral=referral)] == ["overdue_further"]
    assert len(_escalation_messages(referral)) == 2


@pytest.mark.django_db
def test_the_deferred_task_and_its_retry(cast, lead, monkeypatch):
    from django.utils import timezone

    referral = make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    monkeypatch.setattr(timezone, "now", lambda: OVERDUE + timedelta(minutes=1))
    first = escalate_referral.call(referral.pk)
    retry = escalate_referral.call(referral.pk)
    assert (first, retry) == ("overdue", None)
    assert Escalation.objects.filter(referral=referral).count() == 1
    assert AuditEvent.objects.filter(detail__stage="overdue").get().channel == "task"


@pytest.mark.django_db
def test_a_failure_before_commit_leaves_nothing_so_the_retry_does_it_all(cast, lead, monkeypatch):
    from babysteps.safeguarding import notify

    referral = make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    real = notify.referral_escalated

    def flaky(**kwargs):
        real(**kwargs)
        raise RuntimeError("mail server went away")

    monkeypatch.setattr(notify, "referral_escalated", flaky)
    with pytest.raises(RuntimeError):
        referral_escalate(referral_id=referral.pk, now=OVERDUE)
    assert not Escalation.objects.exists() and not _escalation_messages(referral)
    monkeypatch.setattr(notify, "referral_escalated", real)
    assert referral_escalate(referral_id=referral.pk, now=OVERDUE) == "overdue"
    assert len(_escalation_messages(referral)) == 2


@pytest.mark.django_db
def test_without_a_team_lead_the_nspcc_admins_are_told(cast):
    referral = make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    assert not Membership.objects.filter(role=Role.NSPCC_SAFE_AND_WELL_LEAD).exists()
    referral_escalate(referral_id=referral.pk, now=DUE_SOON)
    assert set(Escalation.objects.get().notified.all()) == {cast.admin, cast.manager_a}


@pytest.mark.django_db
def test_the_sweeper_is_a_registered_periodic_job(cast, lead):
    make_referral(cast.family_a, by=cast.midwife_a, now=MONDAY)
    assert jobs()["escalate safe-and-well referrals"](OVERDUE) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (threads share one SQLite test database)",
)
def test_two_workers_escalate_a_stage_once(cast, lead, reasons):
    # Made now, so its stage tasks lie in the future (the immediate backend skips them).
    referral = make_referral(cast.family_a, by=cast.midwife_a)
    overdue = referral.due_by
    barrier = threading.Barrier(4)
    results: list[object] = []

    def worker() -> None:
        barrier.wait()
        try:
            results.append(referral_escalate(referral_id=referral.pk, now=overdue))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(map(str, results)) == ["None", "None", "None", "overdue"]
    assert Escalation.objects.filter(referral=referral).count() == 1
    assert len(_escalation_messages(referral)) == 2
    assert SafeAndWellReferral.objects.get().status == "open"
