"""What other apps do when a cohort's sessions are (re)planned: a tiny registry, so the
cohorts app need not depend on them. Delivery registers its sync here, so a cohort created
(or re-planned) while its site's group sessions are paused follows the pause at once,
rather than showing face-to-face sessions until the periodic sync runs."""

from collections.abc import Callable

from babysteps.cohorts.models import Cohort

ScheduleListener = Callable[[Cohort], object]
_listeners: list[ScheduleListener] = []


def on_schedule_planned(fn: ScheduleListener) -> ScheduleListener:
    """Register ``fn(cohort)`` (usable as a decorator; registering twice keeps one)."""
    if fn not in _listeners:
        _listeners.append(fn)
    return fn


def schedule_planned(cohort: Cohort) -> None:
    for fn in list(_listeners):
        fn(cohort)
