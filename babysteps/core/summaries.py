"""Summaries maintained on write, and the one command that rebuilds them all.

A summary is a table derived entirely from other records and kept up to date as they
change (for figures read far more than written). Each app registers its rebuild here;
``manage.py rebuild_summaries`` runs every one (after data loaded in bulk outside the
app's services, or to check nothing has drifted)."""

from collections.abc import Callable

Rebuild = Callable[[], int]
_summaries: dict[str, Rebuild] = {}


def summary(name: str) -> Callable[[Rebuild], Rebuild]:
    """Register ``fn() -> rows written`` as the rebuild of a summary."""

    def decorator(fn: Rebuild) -> Rebuild:
        _summaries[name] = fn
        return fn

    return decorator


def summaries() -> dict[str, Rebuild]:
    return dict(_summaries)
