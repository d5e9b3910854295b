"""The task worker's recovery, in one process: the sweeper for tasks of stopped workers
and the back-off when the database is unavailable (the same with real processes:
test_worker_survival.py)."""

from datetime import timedelta
from unittest import mock

import pytest
from django.db.utils import OperationalError
from django.utils import timezone
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from babysteps.core import worker
from babysteps.core.periodic import jobs
from babysteps.notifications.models import Message
from babysteps.notifications.tasks import deliver_message
from tests.workers import a_worker

pytestmark = pytest.mark.django_db


def running_task(*, started_minutes_ago: int, claims: int) -> DBTaskResult:
    result = deliver_message.enqueue(1)
    DBTaskResult.objects.filter(pk=result.id).update(
        status=TaskResultStatus.RUNNING,
        started_at=timezone.now() - timedelta(minutes=started_minutes_ago),
        worker_ids=[f"worker-{n}" for n in range(claims)],
    )
    return DBTaskResult.objects.get(pk=result.id)


def test_tasks_of_stopped_workers_are_queued_again_then_failed(db_queue, settings):
    settings.TASK_RUNNING_TIMEOUT_MINUTES = 10
    settings.TASK_MAX_ATTEMPTS = 3
    recent = running_task(started_minutes_ago=5, claims=1)
    stopped = running_task(started_minutes_ago=11, claims=1)
    tried_enough = running_task(started_minutes_ago=11, claims=3)

    assert jobs()["recover tasks of stopped workers"](timezone.now()) == 2

    statuses = dict(DBTaskResult.objects.values_list("pk", "status"))
    assert statuses[recent.pk] == TaskResultStatus.RUNNING  # its worker may be at it
    assert statuses[stopped.pk] == TaskResultStatus.READY
    assert statuses[tried_enough.pk] == TaskResultStatus.FAILED
    failed = DBTaskResult.objects.get(pk=tried_enough.pk)
    assert failed.exception_class_path == "babysteps.core.worker.WorkerStopped"
    assert failed.finished_at is not None
    assert worker.recover_stopped_tasks(now=timezone.now()) == 0  # nothing left to do


def test_the_worker_waits_for_the_database_with_a_growing_pause(db_queue, settings):
    settings.TASK_WORKER_RECONNECT_MAX_SECONDS = 4
    message = Message.objects.create(
        key="k",
        channel=Message.Channel.EMAIL,
        to="a@example.test",
        subject="s",
        body="b",
        send_after=timezone.now(),
    )
    deliver_message.enqueue(message.pk)
    real_ready = DBTaskResult.objects.ready
    outages = iter([OperationalError("connection refused")] * 4)

    def ready():  # the database is away for four polls, then back
        error = next(outages, None)
        if error:
            raise error
        return real_ready()

    the_worker = a_worker()
    with (
        mock.patch.object(DBTaskResult.objects, "ready", side_effect=ready),
        mock.patch.object(the_worker, "wait") as wait,
        mock.patch("django_tasks_db.management.commands.db_worker.close_old_connections"),
        mock.patch.object(worker.connections, "close_all"),
    ):
        the_worker.run()

    assert [c.args[0] for c in wait.call_args_list] == [1.0, 2.0, 4.0, 4.0]
    message.refresh_from_db()
    assert message.status == Message.Status.SENT


def test_other_database_errors_are_not_mistaken_for_an_outage(db_queue):
    the_worker = a_worker()
    with (
        mock.patch.object(DBTaskResult.objects, "ready", side_effect=ValueError("a bug")),
        pytest.raises(ValueError, match="a bug"),
    ):
        the_worker.run()
