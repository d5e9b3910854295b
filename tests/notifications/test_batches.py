"""Messages due together are claimed in batches and sent by one task per minute (issue
14: 10,000 reminders were 10,000 tasks), still once each: a worker that stops mid-batch
leaves only the message it may have been sending to be reported; the rest go again."""

from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from babysteps.core.periodic import jobs
from babysteps.notifications import sending
from babysteps.notifications.models import DeliveryRun, Message
from babysteps.notifications.sending import deliver_due_messages, recover_stale_sending
from babysteps.notifications.services import delivery_schedule, message_to_staff
from babysteps.notifications.sms import LocmemSmsBackend
from tests.workers import run_worker_at

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_outbox():
    LocmemSmsBackend.outbox.clear()


def due_texts(count: int, *, due: datetime | None = None) -> list[Message]:
    when = due or timezone.now() - timedelta(minutes=1)
    return Message.objects.bulk_create(
        Message(
            key=f"k{i}", channel="sms", to="07700 900123", subject="", body=f"m{i}", send_after=when
        )
        for i in range(count)
    )


def claims(queries: CaptureQueriesContext) -> int:
    """How many times the due messages were read for claiming."""
    return sum(
        q["sql"].startswith('SELECT "notifications_message"') for q in queries.captured_queries
    )


def test_due_messages_are_claimed_a_batch_at_a_time_and_each_sent_once(settings):
    settings.MESSAGE_BATCH_SIZE = 3
    due_texts(7)
    helpers = []
    with CaptureQueriesContext(connection) as queries:
        sent = deliver_due_messages(limit=None, on_full_batch=lambda: helpers.append(1))
    assert sent == 7
    assert sorted(m["body"] for m in LocmemSmsBackend.outbox) == [f"m{i}" for i in range(7)]
    assert claims(queries) == 3  # 3 + 3 + 1, not one read per message
    assert helpers == [1]  # more than a batch was waiting: one more worker asked for, once
    assert set(Message.objects.values_list("status", flat=True)) == {"sent"}
    assert Message.objects.values("batch").distinct().count() == 3


def test_a_limit_and_a_short_batch_ask_for_no_help(settings):
    settings.MESSAGE_BATCH_SIZE = 5
    due_texts(4)
    helpers = []
    assert deliver_due_messages(limit=None, on_full_batch=lambda: helpers.append(1)) == 4
    assert helpers == []
    Message.objects.update(status="pending")
    LocmemSmsBackend.outbox.clear()
    assert deliver_due_messages(limit=2) == 2
    assert Message.objects.filter(status="pending").count() == 2


def test_what_is_not_due_yet_is_left_alone(settings):
    settings.MESSAGE_BATCH_SIZE = 2
    due_texts(1)
    Message.objects.bulk_create(
        [
            Message(
                key="later",
                channel="sms",
                to="07700 900123",
                subject="",
                body="later",
                send_after=timezone.now() + timedelta(hours=1),
            )
        ]
    )
    assert deliver_due_messages(limit=None) == 1
    assert Message.objects.get(key="later").status == "pending"


def test_a_provider_failure_in_a_batch_fails_that_message_only(settings):
    settings.MESSAGE_BATCH_SIZE = 5
    due_texts(3)
    real = sending._send

    def flaky(message: Message) -> str:
        if message.body == "m1":
            raise ConnectionError("provider down")
        return real(message)

    with mock.patch.object(sending, "_send", flaky):
        assert deliver_due_messages(limit=None) == 2
    statuses = dict(Message.objects.values_list("body", "status"))
    assert statuses == {"m0": "sent", "m1": "failed", "m2": "sent"}


@contextmanager
def a_stopped_worker_after(sends: int):
    """A worker that stops (as if killed) when it is about to make send number
    ``sends + 1``: what it had claimed stays claimed."""

    class Stopped(BaseException):
        pass

    real = sending._send
    made: list[int] = []

    def send(message: Message) -> str:
        if len(made) == sends:
            raise Stopped
        made.append(message.pk)
        return real(message)

    with mock.patch.object(sending, "_send", send), suppress(Stopped):
        yield


def test_a_batch_whose_worker_stopped_goes_again_except_the_one_in_its_hands(settings):
    settings.MESSAGE_BATCH_SIZE = 5
    settings.MESSAGE_SENDING_TIMEOUT_MINUTES = 10
    texts = due_texts(5)
    with a_stopped_worker_after(2):
        deliver_due_messages(limit=None)
    ids = [m.pk for m in texts]
    assert list(Message.objects.order_by("pk").values_list("status", flat=True)) == [
        "sent",
        "sent",
        "sending",
        "sending",
        "sending",
    ]
    # Within the timeout nothing moves.
    assert recover_stale_sending() == 0
    later = timezone.now() + timedelta(minutes=11)
    assert recover_stale_sending(now=later) == 3
    statuses = dict(Message.objects.values_list("pk", "status"))
    # The third may have reached the provider (nothing says it did not): reported, never
    # sent again; the two after it were never handed over: queued again.
    assert [statuses[pk] for pk in ids] == ["sent", "sent", "unknown", "pending", "pending"]
    assert deliver_due_messages(now=later, limit=None) == 2
    bodies = [m["body"] for m in LocmemSmsBackend.outbox]
    assert sorted(bodies) == ["m0", "m1", "m3", "m4"]  # each once; m2 never


def test_messages_due_in_the_same_minute_share_one_task(
    cast, db_queue, settings, django_capture_on_commit_callbacks
):
    settings.MESSAGE_BATCH_SIZE = 2
    nine = (timezone.now() + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    with django_capture_on_commit_callbacks(execute=True):
        for number, second in enumerate((0, 20, 40)):
            message_to_staff(
                user=cast.manager_a,
                key=f"r{number}",
                subject="Reminder",
                body="b",
                send_after=nine - timedelta(minutes=1) + timedelta(seconds=second),
            )
        message_to_staff(
            user=cast.manager_a,
            key="later",
            subject="Later",
            body="b",
            send_after=nine + timedelta(minutes=30),
        )
    assert list(DeliveryRun.objects.order_by("run_at").values_list("run_at", flat=True)) == [
        nine - timedelta(minutes=1),
        nine,
        nine + timedelta(minutes=30),
    ]
    assert DBTaskResult.objects.count() == 3  # one per minute, not one per message
    run_worker_at(nine + timedelta(seconds=5))
    statuses = dict(Message.objects.values_list("key", "status"))
    assert statuses == {"r0": "sent", "r1": "sent", "r2": "sent", "later": "pending"}
    assert list(DeliveryRun.objects.values_list("run_at", flat=True)) == [
        nine + timedelta(minutes=30)
    ]


def test_a_message_due_now_gets_a_task_of_its_own(
    cast, db_queue, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        message = message_to_staff(user=cast.manager_a, key="now", subject="s", body="b")
    assert not DeliveryRun.objects.exists()
    task = DBTaskResult.objects.get()
    assert task.args_kwargs["args"] == [message.pk]
    assert task.task_path.endswith("deliver_message")


def test_a_minute_already_scheduled_queues_no_second_task(
    db_queue, django_capture_on_commit_callbacks
):
    when = timezone.now() + timedelta(hours=2)
    before = when - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        delivery_schedule(message_id=1, send_after=when, now=before)
        delivery_schedule(message_id=2, send_after=when, now=before)
    assert DeliveryRun.objects.count() == 1
    assert DBTaskResult.objects.count() == 1


def test_the_sweeper_sends_what_a_lost_run_was_for_and_clears_the_run():
    due_texts(2, due=timezone.now() - timedelta(hours=2))
    DeliveryRun.objects.create(run_at=timezone.now() - timedelta(hours=2))
    fresh = DeliveryRun.objects.create(run_at=timezone.now() + timedelta(hours=1))
    assert jobs()["deliver due messages"](timezone.now()) == 2
    assert list(DeliveryRun.objects.all()) == [fresh]
