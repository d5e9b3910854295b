"""Cutting a facilitator's availability into bookable slots. Pure: no database, no Django.

Times are local wall-clock times (the site's time zone); the caller makes them aware.
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta


@dataclass(frozen=True)
class Rule:
    """One availability entry: weekly on ``weekday`` (0 = Monday) between ``valid_from``
    and ``valid_until`` (open-ended if None), or once on ``valid_from``."""

    id: int
    weekly: bool
    weekday: int | None
    valid_from: date
    valid_until: date | None
    start_time: time
    end_time: time
    slot_minutes: int

    def applies_on(self, day: date) -> bool:
        if not self.weekly:
            return day == self.valid_from
        if day < self.valid_from or (self.valid_until is not None and day > self.valid_until):
            return False
        return day.weekday() == self.weekday


@dataclass(frozen=True)
class LocalSlot:
    rule_id: int
    starts: datetime  # naive, local
    ends: datetime


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def slots_on(rule: Rule, day: date) -> list[LocalSlot]:
    """The rule's slots on one day (whole slots only: a slot never runs past the end)."""
    if not rule.applies_on(day):
        return []
    out = []
    start, end = _minutes(rule.start_time), _minutes(rule.end_time)
    at = start
    while at + rule.slot_minutes <= end:
        begins = datetime.combine(day, time(at // 60, at % 60))
        out.append(LocalSlot(rule.id, begins, begins + timedelta(minutes=rule.slot_minutes)))
        at += rule.slot_minutes
    return out


def slots_between(rules: Iterable[Rule], first: date, last: date) -> Iterator[LocalSlot]:
    """Every slot of the rules from ``first`` to ``last`` inclusive, in time order."""
    rules = list(rules)
    day = first
    while day <= last:
        yield from sorted(
            (slot for rule in rules for slot in slots_on(rule, day)), key=lambda s: s.starts
        )
        day += timedelta(days=1)


def slot_at(rules: Iterable[Rule], starts: datetime) -> LocalSlot | None:
    """The published slot that begins exactly at ``starts`` (naive, local), if any. When
    two entries overlap, the shorter slot wins (the more specific offer)."""
    matches = [s for rule in rules for s in slots_on(rule, starts.date()) if s.starts == starts]
    return min(matches, key=lambda s: s.ends - s.starts) if matches else None


def overlaps(a_start: datetime, a_end: datetime, b_start: datetime, b_end: datetime) -> bool:
    return a_start < b_end and b_start < a_end
