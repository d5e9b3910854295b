"""Reminders through the task worker (the django-tasks database backend, with the clock
moved forward): a moved call is reminded about only at its new time, once; a worker that
dies after sending does not send again on retry; quiet hours and safe times hold."""

from datetime import time, timedelta
from unittest import mock

import pytest
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babysteps.bookings.services import call_reschedule
from babysteps.families.models import Family
from babysteps.notifications import sending as notifications
from babysteps.notifications.models import Message
from babysteps.notifications.sending import deliver_due_messages, message_deliver
from babysteps.notifications.tasks import deliver_message
from tests.bookings.helpers import book, future_day, local, publish
from tests.workers import clock, run_worker_at

pytestmark = pytest.mark.django_db


def reminders_sent() -> list[str]:
    return [m.body for m in mail.outbox if m.subject.startswith("Reminder")]


def test_a_moved_call_is_reminded_only_at_its_new_time_and_once(
    cast, db_queue, django_capture_on_commit_callbacks
):
    day = future_day(4)
    next_day = day + timedelta(days=1)
    while next_day.weekday() >= 5:
        next_day += timedelta(days=1)
    publish(cast.midwife_a, cast.site_a, day)
    publish(cast.midwife_a, cast.site_a, next_day)
    old, new = local(day, time(10, 0)), local(next_day, time(14, 0))
    with django_capture_on_commit_callbacks(execute=True):
        booking = book(cast, at=old)
    with django_capture_on_commit_callbacks(execute=True):
        call_reschedule(booking=booking, starts_at=new, changed_by=cast.midwife_a)
    # Tasks were queued for the old reminder times too: the worker must find them void.
    queued_for = set(DBTaskResult.objects.values_list("run_after", flat=True))
    assert {old - timedelta(hours=24), old - timedelta(hours=1)} <= queued_for
    for moment in (old - timedelta(hours=24), old - timedelta(hours=1), old):
        run_worker_at(moment + timedelta(minutes=1))
    assert reminders_sent() == []
    run_worker_at(new - timedelta(hours=24) + timedelta(minutes=1))
    assert len(reminders_sent()) == 1
    run_worker_at(new - timedelta(hours=1) + timedelta(minutes=1))
    run_worker_at(new + timedelta(minutes=5))
    # The periodic sweeper running as well changes nothing.
    deliver_due_messages(now=new + timedelta(minutes=5))
    sent = reminders_sent()
    assert len(sent) == 2
    new_text = timezone.localtime(new).strftime("%A %-d %B at %H:%M")
    assert all(new_text in body for body in sent)
    keys = Message.objects.filter(status="sent", key__startswith="reminder:")
    assert sorted(k.split(":")[3] for k in keys.values_list("key", flat=True)) == ["1h", "24h"]


class WorkerKilled(BaseException):
    """Stands for the process dying (SIGKILL) right after the provider accepted a text."""


def test_a_worker_killed_after_sending_does_not_send_again_on_retry(
    cast, db_queue, django_capture_on_commit_callbacks
):
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day)
    start = local(day, time(10, 0))
    with django_capture_on_commit_callbacks(execute=True):
        book(cast, at=start)
    run_worker_at(start - timedelta(hours=24) + timedelta(minutes=1))
    assert len(reminders_sent()) == 1  # the day-before reminder, normally
    due = start - timedelta(hours=1) + timedelta(minutes=1)
    reminder = Message.objects.get(key__contains=":1h:")

    with mock.patch.object(notifications, "_mark_sent", side_effect=WorkerKilled):
        run_worker_at(due)
    assert len(reminders_sent()) == 2  # it went out, but the worker died before marking it
    reminder.refresh_from_db()
    assert reminder.status == Message.Status.SENDING

    # The retry: the task again, a fresh worker, and the periodic sweeper.
    with django_capture_on_commit_callbacks(execute=True), clock(due):
        deliver_message.enqueue(reminder.pk)
    run_worker_at(due + timedelta(minutes=1))
    assert message_deliver(message_id=reminder.pk, now=due) == Message.Status.SENDING
    deliver_due_messages(now=due + timedelta(minutes=2))
    assert len(reminders_sent()) == 2


def test_quiet_hours_hold_an_early_reminder_until_morning(cast):
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(8, 0), end=time(9, 0))
    start = local(day, time(8, 30))
    book(cast, at=start)
    one_hour = Message.objects.get(key__contains=":1h:")
    assert timezone.localtime(one_hour.send_after).time() == time(8, 0)  # not 07:30
    deliver_due_messages(now=local(day, time(7, 45)))
    one_hour.refresh_from_db()
    assert one_hour.status == Message.Status.PENDING
    assert len(reminders_sent()) == 1  # only the day-before one so far
    deliver_due_messages(now=local(day, time(8, 0)))
    one_hour.refresh_from_db()
    assert one_hour.status == Message.Status.SENT
    assert len(reminders_sent()) == 2


def test_a_late_evening_call_gets_its_day_before_reminder_in_the_morning(cast):
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day, start=time(21, 0), end=time(22, 0))
    start = local(day, time(21, 30))
    book(cast, at=start)
    day_before = Message.objects.get(key__contains=":24h:")
    assert timezone.localtime(day_before.send_after) == local(day, time(8, 0))
    deliver_due_messages(now=start - timedelta(hours=24))  # 21:30 the day before: quiet
    assert reminders_sent() == []
    deliver_due_messages(now=local(day, time(8, 0)))
    assert len(reminders_sent()) == 1


def test_a_reminder_that_cannot_go_at_a_safe_time_before_the_call_is_skipped(cast):
    Family.objects.filter(pk=cast.family_a.pk).update(
        safe_call_from=time(10, 0), safe_call_to=time(14, 0)
    )
    day = future_day(4)
    publish(cast.midwife_a, cast.site_a, day)
    book(cast, at=local(day, time(10, 0)), family=Family.objects.get(pk=cast.family_a.pk))
    one_hour = Message.objects.get(key__contains=":1h:")
    assert one_hour.status == Message.Status.SKIPPED  # 09:00 is unsafe; 10:00 is too late
    deliver_due_messages(now=local(day, time(11, 0)))
    assert len(reminders_sent()) == 1  # the day before, inside the safe time
    assert not Message.objects.filter(key__contains=":1h:", status="sent").exists()
