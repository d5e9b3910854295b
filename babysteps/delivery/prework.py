"""Whether a family had watched a component's videos before a contact: a tiny registry.

The video library (another app, built later) knows what each family watched; delivery
must not depend on it. So that app registers a function here, in its ``AppConfig.ready``:

    from babysteps.delivery.prework import register_prework_source

    def watched(*, family, component, before) -> bool | None: ...
    register_prework_source(watched)

``watched_beforehand`` is called when a contact is recorded, for each family present, and
fills ``Attendance.watched_videos_beforehand``. None means "not known" (no source, or no
videos for the component); a source that knows says True or False.
"""

from datetime import datetime
from typing import Protocol

from babysteps.families.models import Family
from babysteps.programme.models import Component


class PreworkSource(Protocol):
    def __call__(
        self, *, family: Family, component: Component, before: datetime
    ) -> bool | None: ...


_sources: list[PreworkSource] = []


def register_prework_source(fn: PreworkSource) -> PreworkSource:
    """Register ``fn(*, family, component, before) -> bool | None`` (usable as a decorator;
    registering the same function twice keeps one)."""
    if fn not in _sources:
        _sources.append(fn)
    return fn


def unregister_prework_source(fn: PreworkSource) -> None:
    if fn in _sources:
        _sources.remove(fn)


def watched_beforehand(*, family: Family, component: Component, before: datetime) -> bool | None:
    """True if any source says the family watched the videos before ``before``; False if
    a source knows they did not (and none says they did); None if nobody knows."""
    answers = [fn(family=family, component=component, before=before) for fn in list(_sources)]
    if any(a is True for a in answers):
        return True
    if any(a is False for a in answers):
        return False
    return None
