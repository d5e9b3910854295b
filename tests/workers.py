"""The project's task worker as tests run it: one pass over what is due, then stop."""

from contextlib import contextmanager
from datetime import datetime
from unittest import mock

from django_tasks_db.management.commands.db_worker import Worker

from babysteps.core.worker import ResilientWorker


def a_worker() -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    )


@contextmanager
def clock(moment: datetime):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def run_worker_at(moment: datetime) -> None:
    """One worker pass over everything due at ``moment``, then stop. The worker's own
    ``close_old_connections`` would close the connection holding the test's transaction
    (PostgreSQL), so it is suspended, as Django's test client does for requests."""
    with clock(moment), mock.patch(f"{Worker.__module__}.close_old_connections"):
        a_worker().run()
