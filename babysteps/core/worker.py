"""The task worker, made to survive its own failures.

django-tasks' database worker (``manage.py db_worker``) with two additions:

- **It outlives the database going away.** A lost or refused connection (a PostgreSQL
  restart, a fail-over, a network cut) no longer ends the process: the worker drops its
  connections, waits (1 s, then doubling up to ``TASK_WORKER_RECONNECT_MAX_SECONDS``) and
  carries on. A task that was running when the connection went stays "running" and is
  picked up by the sweeper below.
- **Tasks of a worker that died are run again.** A worker killed mid-task (``kill -9``, an
  out-of-memory kill, a lost machine) leaves its task "running" for good. The periodic
  sweeper puts a task that has been running for longer than
  ``TASK_RUNNING_TIMEOUT_MINUTES`` back in the queue, or, after ``TASK_MAX_ATTEMPTS``
  workers have each claimed it, marks it failed (a task that kills its worker must not kill
  them all). Every task in this project may run again safely: each checks what is still to
  do when it runs, and sending a message is at most once per message (``sending.py``).
"""

import logging
import time
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import connections
from django.db.models import Func, IntegerField
from django.db.utils import InterfaceError, OperationalError
from django_tasks.base import TaskResultStatus
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from babysteps.core.periodic import periodic

logger = logging.getLogger(__name__)

LOST_DATABASE = (OperationalError, InterfaceError)


class ResilientWorker(Worker):
    """django-tasks' database worker that waits for the database instead of dying."""

    def run(self) -> None:
        delay = 1.0
        while self.running:
            tasks_before = self._run_tasks
            try:
                super().run()
                return
            except LOST_DATABASE as exc:
                if self._run_tasks > tasks_before:
                    delay = 1.0  # it had been working: start the back-off again
                # The error's type only: a driver's message can name the host and user.
                logger.warning(
                    "task worker %s lost the database (%s); trying again in %.0f s",
                    self.worker_id,
                    type(exc).__name__,
                    delay,
                )
                self.running_task = False
                connections.close_all()
                self.wait(delay)
                delay = min(delay * 2, float(settings.TASK_WORKER_RECONNECT_MAX_SECONDS))

    def wait(self, seconds: float) -> None:
        """The pause between attempts (a method so tests need not sleep)."""
        time.sleep(seconds)


class _Length(Func):
    """The number of workers that have claimed a task (its JSON list of worker ids)."""

    function = "json_array_length"
    output_field = IntegerField()

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        return self.as_sql(compiler, connection, function="jsonb_array_length", **extra)


def recover_stopped_tasks(*, now: datetime) -> int:
    """Tasks "running" for longer than the timeout belonged to a worker that stopped: queue
    each again, or fail it once ``TASK_MAX_ATTEMPTS`` workers have tried. Returns how many
    were recovered either way."""
    cutoff = now - timedelta(minutes=settings.TASK_RUNNING_TIMEOUT_MINUTES)
    stopped = DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).annotate(claims=_Length("worker_ids"))
    failed = stopped.filter(claims__gte=settings.TASK_MAX_ATTEMPTS).update(
        status=TaskResultStatus.FAILED,
        finished_at=now,
        exception_class_path="babysteps.core.worker.WorkerStopped",
        traceback=(
            f"{settings.TASK_MAX_ATTEMPTS} workers stopped while running this task; "
            "it is not tried again."
        ),
    )
    requeued = stopped.filter(claims__lt=settings.TASK_MAX_ATTEMPTS).update(
        status=TaskResultStatus.READY
    )
    if failed or requeued:
        logger.warning(
            "tasks of stopped workers: %s queued again, %s failed after %s attempts",
            requeued,
            failed,
            settings.TASK_MAX_ATTEMPTS,
        )
    return failed + requeued


@periodic("recover tasks of stopped workers")
def recover_stopped(now: datetime) -> int:
    return recover_stopped_tasks(now=now)
