"""``manage.py db_worker``: django-tasks' database worker, made to survive a lost database
(``babysteps.core.worker``). Same options; this app is listed before django-tasks' so its
command is the one run."""

from typing import Any

from django_tasks_db.management.commands import db_worker

from babysteps.core import worker


class Command(db_worker.Command):
    help = "Run the background task worker (waits for the database if it goes away)."

    def handle(self, *args: Any, **options: Any) -> None:
        # django-tasks builds its Worker by name in this module; run ours instead.
        original = db_worker.Worker
        db_worker.Worker = worker.ResilientWorker  # type: ignore[misc]
        try:
            super().handle(*args, **options)
        finally:
            db_worker.Worker = original  # type: ignore[misc]
