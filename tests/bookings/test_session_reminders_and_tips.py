"""Group-session reminders (queued as they fall due) and weekly tips (opted-in families)."""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from babysteps.bookings.reminders import session_reminders_due, weekly_tips_due
from babysteps.cohorts.models import Enrolment, PlannedSession
from babysteps.cohorts.services import cohort_schedule_generate
from babysteps.families.models import Family
from babysteps.notifications.models import Message

pytestmark = pytest.mark.django_db


@pytest.fixture
def s2(cast):
    sessions = {s.component.code: s for s in cohort_schedule_generate(cohort=cast.cohort_a)}
    return sessions["S2"]


def move(session, when):
    PlannedSession.objects.filter(pk=session.pk).update(starts_at=when)


def test_a_session_gets_one_day_before_and_one_hour_before_reminder(cast, s2):
    now = timezone.now()
    move(s2, now + timedelta(hours=23))
    assert session_reminders_due(now=now) == 1
    assert session_reminders_due(now=now) == 0  # idempotent
    assert session_reminders_due(now=now + timedelta(hours=22, minutes=30)) == 1
    keys = sorted(Message.objects.values_list("key", flat=True))
    assert [k.split(":")[3] for k in keys] == ["1h", "24h"]


def test_moving_a_session_cancels_reminders_still_pending_for_the_old_time(cast, s2):
    now = timezone.now()
    move(s2, now + timedelta(hours=23))
    session_reminders_due(now=now)
    Message.objects.update(send_after=now + timedelta(hours=10))  # held for a safe time
    move(s2, now + timedelta(days=5))
    session_reminders_due(now=now + timedelta(minutes=1))
    assert set(Message.objects.values_list("status", flat=True)) == {"cancelled"}


def test_withdrawn_families_get_no_session_reminder(cast, s2):
    Enrolment.objects.filter(pk=cast.enrolment_a.pk).update(
        status="withdrawn", withdrawal_reason="x"
    )
    move(s2, timezone.now() + timedelta(hours=23))
    assert session_reminders_due(now=timezone.now()) == 0


def monday_at(hour: int) -> datetime:
    day = date.today() + timedelta(days=7 - date.today().weekday())
    return timezone.make_aware(datetime.combine(day, time(hour, 5)))


def test_weekly_tips_go_to_opted_in_families_once_a_week(cast, s2):
    Family.objects.filter(pk=cast.family_a.pk).update(weekly_tips_opt_in=True)
    assert weekly_tips_due(now=monday_at(9)) == 0  # before the week's tip time
    assert weekly_tips_due(now=monday_at(10)) == 1
    assert weekly_tips_due(now=monday_at(15)) == 0
    assert weekly_tips_due(now=monday_at(10) + timedelta(days=7)) == 1
    tips = Message.objects.filter(key__startswith="tip:")
    assert set(tips.values_list("family", flat=True)) == {cast.family_a.pk}
    assert "tip this week" in tips.first().body
