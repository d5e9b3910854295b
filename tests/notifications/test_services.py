from datetime import datetime, time, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.utils import timezone

from babysteps.families.models import Family
from babysteps.notifications import sending
from babysteps.notifications.models import Message
from babysteps.notifications.sending import deliver_due_messages, message_deliver
from babysteps.notifications.services import (
    Attachment,
    message_to_parent,
    message_to_staff,
    messages_cancel,
)
from babysteps.notifications.sms import LocmemSmsBackend

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")


@pytest.fixture(autouse=True)
def _empty_outbox():
    LocmemSmsBackend.outbox.clear()


@pytest.fixture
def mother(cast):
    parent = cast.family_a.mother
    parent.mobile = "07700 900123"
    parent.save()
    return parent


def _noon_tomorrow() -> datetime:
    tomorrow = timezone.localdate() + timedelta(days=1)
    return datetime.combine(tomorrow, time(12, 0), tzinfo=LONDON)


def test_message_uses_the_preferred_allowed_channel(mother):
    message = message_to_parent(parent=mother, key="k1", subject="Hello", body="Hi")
    assert (message.channel, message.to) == ("sms", "07700 900123")
    Family.objects.filter(pk=mother.family_id).update(contact_by_sms=False)
    mother.family.refresh_from_db()
    message = message_to_parent(parent=mother, key="k2", subject="Hello", body="Hi")
    assert (message.channel, message.to) == ("email", mother.email)


def test_no_allowed_channel_is_recorded_as_skipped(mother):
    Family.objects.filter(pk=mother.family_id).update(contact_by_sms=False, contact_by_email=False)
    mother.family.refresh_from_db()
    message = message_to_parent(parent=mother, key="k", subject="Hello", body="Hi")
    assert message.status == Message.Status.SKIPPED
    assert deliver_due_messages(now=timezone.now() + timedelta(days=3)) == 0


def test_the_same_key_queues_one_message(mother):
    first = message_to_parent(parent=mother, key="same", subject="A", body="A")
    second = message_to_parent(parent=mother, key="same", subject="B", body="B")
    assert first.pk == second.pk
    assert Message.objects.count() == 1


def test_delivery_happens_once_and_only_when_due(mother):
    when = _noon_tomorrow()
    message = message_to_parent(parent=mother, key="k", subject="S", body="Body", send_after=when)
    assert message_deliver(message_id=message.pk, now=when - timedelta(minutes=1)) == "pending"
    assert message_deliver(message_id=message.pk, now=when) == "sent"
    assert message_deliver(message_id=message.pk, now=when) == "sent"
    assert [m["body"] for m in LocmemSmsBackend.outbox] == ["Body"]


def test_safe_times_and_quiet_hours_delay_a_message(mother):
    Family.objects.filter(pk=mother.family_id).update(
        safe_call_from=time(14), safe_call_to=time(16)
    )
    mother.family.refresh_from_db()
    message = message_to_parent(
        parent=mother, key="k", subject="S", body="B", send_after=_noon_tomorrow()
    )
    assert timezone.localtime(message.send_after).time() == time(14)
    late = _noon_tomorrow().replace(hour=22)
    Family.objects.filter(pk=mother.family_id).update(safe_call_from=None, safe_call_to=None)
    mother.family.refresh_from_db()
    message = message_to_parent(parent=mother, key="k2", subject="S", body="B", send_after=late)
    assert timezone.localtime(message.send_after) == late.replace(hour=8) + timedelta(days=1)


def test_a_message_that_cannot_be_sent_safely_in_time_is_skipped(mother):
    Family.objects.filter(pk=mother.family_id).update(
        safe_call_from=time(14), safe_call_to=time(16)
    )
    mother.family.refresh_from_db()
    when = _noon_tomorrow()
    message = message_to_parent(
        parent=mother,
        key="k",
        subject="S",
        body="B",
        send_after=when,
        deliver_by=when + timedelta(hours=1),
    )
    assert message.status == Message.Status.SKIPPED
    assert "safe time" in message.status_reason


def test_sign_in_codes_may_ignore_safe_times(mother):
    Family.objects.filter(pk=mother.family_id).update(
        safe_call_from=time(14), safe_call_to=time(16)
    )
    mother.family.refresh_from_db()
    now = timezone.now()
    message = message_to_parent(
        parent=mother, key="k", subject="S", body="B", ignore_safe_times=True
    )
    assert message.send_after - now < timedelta(seconds=5)


def test_cancelling_a_group_stops_its_pending_messages(mother):
    when = _noon_tomorrow()
    message = message_to_parent(
        parent=mother, key="r1", subject="S", body="B", group="booking:1", send_after=when
    )
    other = message_to_parent(
        parent=mother, key="r2", subject="S", body="B", group="booking:2", send_after=when
    )
    assert messages_cancel(group="booking:1") == 1
    assert deliver_due_messages(now=when) == 1
    message.refresh_from_db()
    other.refresh_from_db()
    assert (message.status, other.status) == ("cancelled", "sent")


def test_a_worker_dying_after_sending_does_not_send_again_on_retry(mother):
    when = _noon_tomorrow()
    message = message_to_parent(parent=mother, key="k", subject="S", body="B", send_after=when)

    class WorkerKilled(BaseException):
        pass

    with (
        mock.patch.object(sending, "_mark_sent", side_effect=WorkerKilled),
        pytest.raises(WorkerKilled),
    ):
        message_deliver(message_id=message.pk, now=when)
    assert len(LocmemSmsBackend.outbox) == 1
    # The task is retried, and the sweeper runs too: nothing more is sent.
    assert message_deliver(message_id=message.pk, now=when) == "sending"
    assert deliver_due_messages(now=when) == 0
    assert len(LocmemSmsBackend.outbox) == 1


def test_a_provider_failure_is_recorded_without_the_text(mother, caplog):
    when = _noon_tomorrow()
    message = message_to_parent(
        parent=mother, key="k", subject="S", body="Secret words", send_after=when
    )
    with mock.patch.object(
        LocmemSmsBackend, "send", side_effect=RuntimeError("07700 900123 Secret words")
    ):
        assert message_deliver(message_id=message.pk, now=when) == "failed"
    message.refresh_from_db()
    assert message.status_reason == "RuntimeError"
    assert "Secret" not in caplog.text and "07700" not in caplog.text


def test_email_with_an_attachment(mother, cast):
    Family.objects.filter(pk=mother.family_id).update(preferred_channel="email")
    mother.family.refresh_from_db()
    message = message_to_parent(
        parent=mother,
        key="k",
        subject="Your call",
        body="See the invitation.",
        attachments=[Attachment("call.ics", "text/calendar", "BEGIN:VCALENDAR\nEND:VCALENDAR\n")],
        send_after=_noon_tomorrow(),
    )
    message_deliver(message_id=message.pk, now=_noon_tomorrow())
    (sent,) = mail.outbox
    assert sent.to == [mother.email]
    assert sent.attachments[0][0] == "call.ics"


def test_staff_messages_are_emails(cast):
    message = message_to_staff(
        user=cast.manager_a, key="alert:1", subject="An alert", body="Open the link"
    )
    assert message_deliver(message_id=message.pk) == "sent"
    assert mail.outbox[0].to == [cast.manager_a.email]


def test_queued_messages_are_delivered_by_the_task_once_committed(
    mother, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message_to_parent(
            parent=mother, key="now", subject="S", body="Due now", ignore_safe_times=True
        )
    assert [m["body"] for m in LocmemSmsBackend.outbox] == ["Due now"]
