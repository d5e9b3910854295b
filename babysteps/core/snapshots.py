"""National figures kept ready: computed at most every ``NATIONAL_SNAPSHOT_SECONDS`` (they
take seconds at national scale and are read far more often than they change much), and
worked out again by a periodic job before they expire, so a reader never waits."""

from datetime import datetime

from django.conf import settings
from django.core.cache import cache


def due_for_refresh(key: str, now: datetime) -> bool:
    """Whether the snapshot kept under ``key`` (an object with its ``at``) is missing or
    half its lifetime old. Never, when nothing is kept (a lifetime of 0)."""
    seconds = settings.NATIONAL_SNAPSHOT_SECONDS
    if not seconds:
        return False
    at = getattr(cache.get(key), "at", None)
    return not isinstance(at, datetime) or (now - at).total_seconds() >= seconds / 2
