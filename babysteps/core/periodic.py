"""Periodic jobs: sweepers that act on whatever has fallen due (messages to send,
alerts to escalate, referrals nearing their due-by time). Each is idempotent and safe to
run from several processes at once. ``manage.py run_periodic`` runs them (``--loop`` for
a long-running process, as ``make run`` does; or from cron once a minute)."""

from collections.abc import Callable
from datetime import datetime

PeriodicJob = Callable[[datetime], int]
_jobs: dict[str, PeriodicJob] = {}


def periodic(name: str) -> Callable[[PeriodicJob], PeriodicJob]:
    """Register ``fn(now) -> number of things done`` as a periodic job."""

    def decorator(fn: PeriodicJob) -> PeriodicJob:
        _jobs[name] = fn
        return fn

    return decorator


def jobs() -> dict[str, PeriodicJob]:
    return dict(_jobs)
