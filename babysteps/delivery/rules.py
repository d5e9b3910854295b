"""Delivery rules that need no database. Pure: no Django.

- Which switch governs a cohort's session on a given day (the remote-delivery switch).
- When a home visit needs a follow-up call.
"""

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime

PAUSE = "pause"
RESUME = "resume"


@dataclass(frozen=True)
class SwitchPoint:
    """A use of the switch as the rules see it. ``site_level``: made for the whole site."""

    id: int
    site_level: bool
    action: str
    from_date: date
    created_at: datetime
    mode: str = ""
    prework: bool = True

    @property
    def order(self) -> tuple[date, datetime, int]:
        # The later start date governs; for the same date, the later decision.
        return (self.from_date, self.created_at, self.id)


@dataclass(frozen=True)
class Governing:
    paused: bool
    switch_id: int | None = None
    mode: str = ""
    prework: bool = True
    # The next day on which ``paused`` flips (a resume or a pause already decided for a
    # later date), if any: "paused until 4 January".
    until: date | None = None


NOT_PAUSED = Governing(paused=False)


def _latest(points: Iterable[SwitchPoint], day: date) -> SwitchPoint | None:
    applicable = [p for p in points if p.from_date <= day]
    return max(applicable, key=lambda p: p.order) if applicable else None


def governing_on(points: Iterable[SwitchPoint], day: date) -> Governing:
    """Whether a cohort's group session on ``day`` is delivered as per-family calls.

    Two layers of decisions apply to a cohort: the site's (lockdown) and the cohort's own
    (a family in prison, a facilitator shortage). In each layer the switch with the latest
    start date on or before ``day`` holds. Then:
    - the cohort paused on its own stays paused, even when the site resumes;
    - the cohort resumed on its own, after the site paused, is not paused;
    - otherwise the site's layer decides.
    While paused, the mode (phone or video-first) is that of the newer of the two pauses.
    """
    points = list(points)
    own = _latest((p for p in points if not p.site_level), day)
    site = _latest((p for p in points if p.site_level), day)
    site_pause = site if site is not None and site.action == PAUSE else None
    if own is not None and own.action == PAUSE:
        source = site_pause if site_pause and site_pause.order > own.order else own
        return Governing(True, source.id, source.mode, source.prework)
    if own is not None and own.action == RESUME and (site is None or own.order > site.order):
        return NOT_PAUSED
    if site_pause is not None:
        return Governing(True, site_pause.id, site_pause.mode, site_pause.prework)
    return NOT_PAUSED


def state_on(points: Iterable[SwitchPoint], day: date) -> Governing:
    """``governing_on`` for ``day``, with ``until``: the first later switch date on which
    the cohort stops being paused (or starts), so every page can say "paused until"."""
    points = list(points)
    today = governing_on(points, day)
    for later in sorted({p.from_date for p in points if p.from_date > day}):
        if governing_on(points, later).paused != today.paused:
            return replace(today, until=later)
    return today


# --- Home visits ----------------------------------------------------------------------------

SHORTENED = "shortened"
HEALTH_ALONE = "health_alone"
BOTH = "both"


def is_shortened(*, planned_minutes: int, actual_minutes: int, tolerance_minutes: int) -> bool:
    """A visit is shortened when the time in the home fell short of the plan by at least
    ``tolerance_minutes`` (a few minutes either way is just a visit)."""
    return planned_minutes - actual_minutes >= tolerance_minutes


def follow_up_reason(
    *,
    planned_minutes: int,
    actual_minutes: int,
    disciplines: Iterable[str],
    tolerance_minutes: int,
) -> str | None:
    """Why a home visit needs a follow-up call from the children's services practitioner,
    or None. ``disciplines`` are those of the practitioners who visited ("health",
    "childrens_services")."""
    seen = set(disciplines)
    shortened = is_shortened(
        planned_minutes=planned_minutes,
        actual_minutes=actual_minutes,
        tolerance_minutes=tolerance_minutes,
    )
    health_alone = bool(seen) and seen == {"health"}
    if shortened and health_alone:
        return BOTH
    if shortened:
        return SHORTENED
    if health_alone:
        return HEALTH_ALONE
    return None
