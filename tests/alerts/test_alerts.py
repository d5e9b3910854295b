"""Safety alerts: raised with the answers, shown to the right people until acknowledged,
notified without family details, escalated once after the working-hours deadline."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from babysteps.alerts.escalation import alert_escalate, alerts_escalate_due
from babysteps.alerts.models import Alert
from babysteps.alerts.periodic import escalate_due_alerts
from babysteps.alerts.services import alert_acknowledge
from babysteps.audit.models import AuditEvent
from babysteps.measures.models import Administration
from babysteps.notifications.models import Message
from tests.measures.helpers import epds_positions, record

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


def _item10(cast, **kwargs):
    return record(cast.family_a, cast.midwife_a, answers=epds_positions(item_10=1), **kwargs)


def test_a_safety_item_raises_an_alert_with_the_answers(cast):
    result = _item10(cast)
    alert = result.alerts[0]
    assert alert.reason == Alert.Reason.SAFETY_ITEM and "item 10" in alert.detail
    assert alert.administration == result.administration and alert.is_open
    assert AuditEvent.objects.filter(
        object_type="alert", object_id=str(alert.pk), action="create"
    ).exists()


def test_a_total_in_the_highest_band_raises_an_alert_whatever_item_10(cast):
    result = record(
        cast.family_a,
        cast.midwife_a,
        answers=epds_positions(item_1=3, item_2=3, item_3=3, item_4=3, item_5=1),
    )
    assert [a.reason for a in result.alerts] == [Alert.Reason.HIGHEST_BAND]
    below = record(
        cast.family_a,
        cast.midwife_a,
        timepoint="post",
        answers=epds_positions(item_1=3, item_2=3, item_3=3),
    )
    assert below.alerts == []


def test_phq9_item_9_raises_an_alert(cast):
    result = record(cast.family_a, cast.midwife_a, code="phq9", answers=[0] * 8 + [1])
    assert result.alerts and "PHQ-9 item 9" in result.alerts[0].detail


def test_if_raising_the_alert_fails_the_answers_are_not_stored(cast, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("alert store down")

    # The alerts app raises alerts through the measures hook; make its handler fail.
    monkeypatch.setattr("babysteps.measures.hooks._handlers", [broken])
    with pytest.raises(RuntimeError):
        _item10(cast)
    assert not Administration.objects.exists()


def test_facilitators_and_managers_are_emailed_a_link_without_family_details(
    cast, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        alert = _item10(cast).alerts[0]
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([cast.midwife_a.email, cast.support_a.email, cast.manager_a.email])
    for message in mail.outbox:
        assert reverse("alerts:detail", args=[alert.pk]) in message.body
        mother = cast.family_a.mother
        for secret in (mother.given_name, mother.family_name, cast.family_a.postcode, mother.email):
            assert secret not in message.body and secret not in message.subject


def test_staff_with_a_work_mobile_also_get_a_text_without_family_details(
    cast, django_capture_on_commit_callbacks
):
    from babysteps.notifications.sms import LocmemSmsBackend

    LocmemSmsBackend.outbox.clear()
    cast.midwife_a.work_mobile = "07700 900111"
    cast.midwife_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        alert = _item10(cast).alerts[0]
    assert [t["to"] for t in LocmemSmsBackend.outbox] == ["07700 900111"]  # only she gave one
    text = LocmemSmsBackend.outbox[0]["body"]
    assert reverse("alerts:detail", args=[alert.pk]) in text
    mother = cast.family_a.mother
    for secret in (mother.given_name, mother.family_name, cast.family_a.postcode):
        assert secret not in text
    assert len(mail.outbox) == 3  # everyone still gets the email


def test_acknowledging_cancels_a_pending_text_and_escalation_texts_the_manager(cast):
    from django.utils import timezone

    cast.midwife_a.work_mobile = "07700 900111"
    cast.midwife_a.save()
    cast.manager_a.work_mobile = "07700 900222"
    cast.manager_a.save()
    alert = _item10(cast).alerts[0]
    texts = Message.objects.filter(key__startswith=f"alert:{alert.pk}:raised:", channel="sms")
    assert sorted(texts.values_list("to", flat=True)) == ["07700 900111", "07700 900222"]
    later = max(alert.escalate_at, timezone.now())
    assert alert_escalate(alert_id=alert.pk, now=later)
    escalated = Message.objects.get(key__startswith=f"alert:{alert.pk}:escalated:", channel="sms")
    assert escalated.to == "07700 900222" and "not acknowledged" in escalated.body
    pending = Message.objects.filter(group=f"alert:{alert.pk}", status="pending")
    assert pending.filter(channel="sms").count() == 3
    alert_acknowledge(
        alert=alert, acknowledged_by=cast.midwife_a, action_taken="Called her; GP informed."
    )
    assert not pending.exists()


def test_a_work_mobile_is_checked_and_normalised(cast):
    user = cast.midwife_a
    user.work_mobile = "+44 7700 900333"
    user.full_clean()
    assert user.work_mobile == "+447700900333"  # E.164
    user.work_mobile = "0161 496 0000"
    with pytest.raises(ValidationError) as error:
        user.full_clean()
    assert "work_mobile" in error.value.message_dict


def _home(user) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("home:index")).content.decode()


def test_the_alert_is_on_the_home_pages_of_the_family_facilitators_and_manager_only(cast):
    alert = _item10(cast).alerts[0]
    link = reverse("alerts:detail", args=[alert.pk])
    for user in (cast.midwife_a, cast.support_a, cast.manager_a):
        assert link in _home(user), user
    for user in (cast.facilitator_a2, cast.manager_b, cast.facilitator_b, cast.evaluator):
        assert link not in _home(user), user
    listed = AuditEvent.objects.filter(object_type="alert", action="list", actor=cast.manager_a)
    assert listed.exists() and alert.pk in listed.first().detail["alert_ids"]


def test_acknowledging_needs_an_action_and_removes_the_alert(cast):
    alert = _item10(cast).alerts[0]
    client = Client()
    client.force_login(cast.manager_a)
    url = reverse("alerts:detail", args=[alert.pk])
    assert "Acknowledge the alert" in client.get(url).content.decode()
    response = client.post(url, {"action_taken": ""})
    assert response.status_code == 200 and Alert.objects.get().is_open
    response = client.post(url, {"action_taken": "Called her; GP appointment today."})
    assert response.status_code == 302
    alert.refresh_from_db()
    assert alert.acknowledged_by == cast.manager_a and "GP" in alert.action_taken
    assert alert.escalation == Alert.Escalation.NOT_NEEDED
    assert reverse("alerts:detail", args=[alert.pk]) not in _home(cast.manager_a)
    assert (
        AuditEvent.objects.filter(
            object_type="alert", action="acknowledge", actor=cast.manager_a
        ).count()
        == 1
    )
    assert AuditEvent.objects.filter(
        object_type="alert", action="view", object_id=str(alert.pk)
    ).exists()
    with pytest.raises(ValidationError):
        alert_acknowledge(
            alert=alert, acknowledged_by=cast.midwife_a, action_taken="Again, twice over."
        )


def test_acknowledging_cancels_the_pending_notifications(cast):
    alert = _item10(cast).alerts[0]
    assert Message.objects.filter(group=f"alert:{alert.pk}", status="pending").count() == 3
    alert_acknowledge(
        alert=alert, acknowledged_by=cast.midwife_a, action_taken="Safety plan agreed by phone."
    )
    assert not Message.objects.filter(group=f"alert:{alert.pk}", status="pending").exists()


def test_escalation_comes_after_four_working_hours_and_happens_once(cast):
    friday_4pm = datetime(2026, 6, 5, 16, 0, tzinfo=LONDON)
    alert = _item10(cast, now=friday_4pm).alerts[0]
    # One working hour on Friday, three on Monday morning.
    assert alert.escalate_at == datetime(2026, 6, 8, 12, 0, tzinfo=LONDON)
    assert not alert_escalate(alert_id=alert.pk, now=datetime(2026, 6, 8, 11, 59, tzinfo=LONDON))
    later = datetime(2026, 6, 8, 12, 1, tzinfo=LONDON)
    assert alerts_escalate_due(now=later) == 1
    assert alerts_escalate_due(now=later) == 0
    assert escalate_due_alerts(later) == 0
    assert not alert_escalate(alert_id=alert.pk, now=later)
    alert.refresh_from_db()
    assert alert.escalation == Alert.Escalation.ESCALATED and alert.escalated_at == later
    escalations = Message.objects.filter(key__startswith=f"alert:{alert.pk}:escalated:")
    assert [m.user for m in escalations] == [cast.manager_a]
    assert (
        AuditEvent.objects.filter(
            object_type="alert", action="change", object_id=str(alert.pk)
        ).count()
        == 1
    )


def test_the_escalation_time_is_configurable(cast, settings):
    settings.ALERT_ESCALATION_WORKING_HOURS = 1
    monday_9am = datetime(2026, 6, 8, 9, 0, tzinfo=LONDON)
    assert _item10(cast, now=monday_9am).alerts[0].escalate_at == datetime(
        2026, 6, 8, 10, 0, tzinfo=LONDON
    )


def test_an_acknowledged_alert_is_never_escalated(cast):
    monday_9am = datetime(2026, 6, 8, 9, 0, tzinfo=LONDON)
    alert = _item10(cast, now=monday_9am).alerts[0]
    alert_acknowledge(
        alert=alert, acknowledged_by=cast.support_a, action_taken="Spoke to her within the hour."
    )
    assert alerts_escalate_due(now=datetime(2026, 6, 9, 9, 0, tzinfo=LONDON)) == 0
    assert not Message.objects.filter(key__contains="escalated").exists()


def test_the_family_page_shows_open_alerts_at_the_top(cast):
    alert = _item10(cast).alerts[0]
    client = Client()
    client.force_login(cast.midwife_a)
    page = client.get(reverse("families:detail", args=[cast.family_a.pk])).content.decode()
    assert (
        "Safety alerts to acknowledge" in page and reverse("alerts:detail", args=[alert.pk]) in page
    )


def test_the_alert_list_is_scoped(cast):
    alert = _item10(cast).alerts[0]
    for user, sees in (
        (cast.manager_a, True),
        (cast.manager_b, False),
        (cast.facilitator_a2, False),
    ):
        client = Client()
        client.force_login(user)
        page = client.get(reverse("alerts:list")).content.decode()
        assert (reverse("alerts:detail", args=[alert.pk]) in page) == sees, user


@pytest.mark.parametrize(
    ("next_url", "expected"),
    [("/families/", "/families/"), ("https://evil.example/phish", "/"), ("//evil.example/", "/")],
)
def test_acknowledging_returns_only_to_a_page_of_this_site(cast, next_url, expected):
    alert = _item10(cast).alerts[0]
    client = Client()
    client.force_login(cast.midwife_a)
    response = client.post(
        reverse("alerts:detail", args=[alert.pk]),
        {"action_taken": "Called her; GP appointment today.", "next": next_url},
    )
    assert response.status_code == 302
    assert response["Location"] == expected
