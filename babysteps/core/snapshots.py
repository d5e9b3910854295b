"""National figures kept ready: computed at most every ``NATIONAL_SNAPSHOT_SECONDS`` (they
take seconds at national scale and are read far more often than they change much), and
worked out again by a periodic job before they expire, so a reader never waits. A kept
value is an object with its ``at`` (when it was worked out); 0 keeps nothing."""

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache

T = TypeVar("T")


def kept(key: str, kind: type[T], compute: Callable[[], T], *, refresh: bool = False) -> T:
    """The value kept under ``key`` (if it is a ``kind``), else ``compute()``, kept for
    ``NATIONAL_SNAPSHOT_SECONDS``. ``refresh`` computes and keeps it whatever is there."""
    seconds = settings.NATIONAL_SNAPSHOT_SECONDS
    if seconds and not refresh:
        found = cache.get(key)
        if isinstance(found, kind):
            return found
    fresh = compute()
    if seconds:
        cache.set(key, fresh, timeout=seconds)
    return fresh


def due_for_refresh(key: str, now: datetime) -> bool:
    """Whether the snapshot kept under ``key`` is missing or half its lifetime old. Never,
    when nothing is kept (a lifetime of 0)."""
    seconds = settings.NATIONAL_SNAPSHOT_SECONDS
    if not seconds:
        return False
    at = getattr(cache.get(key), "at", None)
    return not isinstance(at, datetime) or (now - at).total_seconds() >= seconds / 2


def refresh_if_due(key: str, now: datetime, kind: type[T], compute: Callable[[], T]) -> int:
    """The periodic job's step: work the value out again if ``due_for_refresh``; 1 if so."""
    if not due_for_refresh(key, now):
        return 0
    kept(key, kind, compute, refresh=True)
    return 1
