from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from babysteps.notifications.models import Message
from babysteps.safeguarding.due import due_by
from babysteps.safeguarding.models import SafeAndWellReferral
from tests.factories import sign_in

pytestmark = pytest.mark.django_db
ACCOUNTS = ["safeandwell@nspcc.demo", "safeandwell.lead@nspcc.demo"]


def _demo() -> str:
    out = StringIO()
    call_command("demo", stdout=out)
    return out.getvalue()


def test_demo_has_an_open_urgent_referral_and_a_closed_one_with_an_outcome(settings):
    first = _demo()
    assert _demo() and SafeAndWellReferral.objects.count() == 2  # idempotent
    for email in ACCOUNTS:
        assert email in first
    open_ = SafeAndWellReferral.objects.get(status="open")
    # Its due-by time follows from when it was made (not from when the suite runs: made at
    # 16:30 it is due at 17:00, and overdue by the evening).
    assert open_.urgency == "same_day" and open_.referred_at < timezone.now()
    assert open_.due_by == due_by(timezone.localtime(open_.referred_at), "same_day")
    assert open_.site.name == "Riverside"
    closed = SafeAndWellReferral.objects.get(status="closed")
    assert closed.outcome == "support_accepted"
    assert closed.referred_at.year == 2020
    cohorts = {e.cohort.name for e in closed.family.enrolments.select_related("cohort")}
    assert cohorts == {"Blackpool Spring 2020 (remote)"}
    assert [c.reached for c in closed.call_attempts.all()] == [False, True]
    # The 2020 emails are history, not sent today; today's referral tells the team.
    assert not Message.objects.filter(
        group=f"safeguarding:referral:{closed.pk}", status="pending"
    ).exists()
    assert Message.objects.filter(group=f"safeguarding:referral:{open_.pk}").exists()


def test_demo_team_signs_in_and_sees_the_queue(settings):
    _demo()
    for email in ACCOUNTS:
        client = Client()
        sign_in(client, email, settings.DEMO_PASSWORD)  # and the demo key's code
        queue = client.get(reverse("safeguarding:queue"))
        assert queue.status_code == 200, email
        assert len(queue.context["rows"]) == 1
