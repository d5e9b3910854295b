"""Enqueueing background tasks at the right moment."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django_tasks import task_backends


def enqueue_at(task: Any, when: datetime | None, *args: Any, **kwargs: Any) -> None:
    """Enqueue ``task`` to run at ``when`` (now if None), once the current transaction
    commits (so the worker sees the rows it needs).

    Backends that cannot defer (the immediate backend in tests) only get tasks that are
    already due; later ones are picked up by the periodic sweeper (``run_periodic``),
    which also catches anything a stopped worker missed.
    """

    def go() -> None:
        backend = task_backends[task.backend]
        if when is not None and when > timezone.now():
            if backend.supports_defer:
                task.using(run_after=when).enqueue(*args, **kwargs)
            return
        task.enqueue(*args, **kwargs)

    transaction.on_commit(go)
