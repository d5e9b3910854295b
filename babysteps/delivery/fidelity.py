"""Fidelity and facilitator-time figures from delivery records. Pure: no Django.

The selectors turn contacts into the plain rows below; everything here is arithmetic on
them, so it is fast to test and the same for a cohort, a site or the whole programme.

Facilitator time counts each facilitator present for the whole contact: a two-hour group
session run by two facilitators is 240 facilitator-minutes. Per family, a group session's
facilitator time is shared equally among the families present.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from statistics import mean, median

MODES = ("group", "home_visit", "phone", "video")
MODE_LABELS = {
    "group": "Group session",
    "home_visit": "Home visit",
    "phone": "Phone call",
    "video": "Video call",
}
CALL_MODES = ("phone", "video")
COMPLETION_THRESHOLD = 7  # components of the eleven that count as completing


@dataclass(frozen=True)
class ContactRow:
    contact_id: int
    cohort_id: int
    component: str
    component_order: int
    mode: str
    day: date
    planned_minutes: int
    actual_minutes: int
    facilitator_ids: tuple[int, ...]
    disciplines: frozenset[str]
    present_family_ids: tuple[int, ...]
    key_messages_covered: int = 0
    key_messages_total: int = 0
    group_component: bool = True  # the component is a group session (not a home visit)
    watched: tuple[bool | None, ...] = ()  # per present family, same order
    interpreted: bool = False  # an interpreter took part

    @property
    def facilitator_minutes(self) -> int:
        return self.actual_minutes * max(len(self.facilitator_ids), 1)

    @property
    def both_roles(self) -> bool:
        return {"health", "childrens_services"} <= self.disciplines


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def month_label(month: str) -> str:
    year, number = month.split("-")
    names = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    return f"{names[int(number) - 1]} {year}"


def _months_between(first: str, last: str) -> list[str]:
    year, month = (int(x) for x in first.split("-"))
    out = []
    while f"{year:04d}-{month:02d}" <= last:
        out.append(f"{year:04d}-{month:02d}")
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return out


# --- Fidelity --------------------------------------------------------------------------------


def doses(contacts: Iterable[ContactRow], family_ids: Iterable[int]) -> dict[int, int]:
    """Components received per family (distinct components at which it was present)."""
    received: dict[int, set[str]] = {fid: set() for fid in family_ids}
    for row in contacts:
        for fid in row.present_family_ids:
            if fid in received:
                received[fid].add(row.component)
    return {fid: len(components) for fid, components in received.items()}


def dose_distribution(dose: dict[int, int], total_components: int) -> list[int]:
    """How many families received 0, 1, ... ``total_components`` components."""
    counts = [0] * (total_components + 1)
    for value in dose.values():
        counts[min(value, total_components)] += 1
    return counts


@dataclass(frozen=True)
class Fidelity:
    families: int
    completers: int
    mean_dose: float | None
    group_sessions: int
    group_sessions_both_roles: int
    contacts: int
    contacts_both_roles: int
    distribution: list[int]
    threshold: int

    @property
    def completion_share(self) -> float | None:
        return self.completers / self.families if self.families else None


def fidelity(
    contacts: Sequence[ContactRow],
    family_ids: Iterable[int],
    *,
    total_components: int,
    threshold: int = COMPLETION_THRESHOLD,
) -> Fidelity:
    dose = doses(contacts, family_ids)
    groups = [c for c in contacts if c.mode == "group"]
    return Fidelity(
        families=len(dose),
        completers=sum(1 for v in dose.values() if v >= threshold),
        mean_dose=mean(dose.values()) if dose else None,
        group_sessions=len(groups),
        group_sessions_both_roles=sum(1 for c in groups if c.both_roles),
        contacts=len(contacts),
        contacts_both_roles=sum(1 for c in contacts if c.both_roles),
        distribution=dose_distribution(dose, total_components),
        threshold=threshold,
    )


def mode_mix_by_month(contacts: Iterable[ContactRow]) -> list[tuple[str, dict[str, int]]]:
    """Per month (no gaps), how many times a family received a component by each mode."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
    for row in contacts:
        if row.present_family_ids:
            counts[month_of(row.day)][row.mode] += len(row.present_family_ids)
    if not counts:
        return []
    months = _months_between(min(counts), max(counts))
    return [(m, counts.get(m) or dict.fromkeys(MODES, 0)) for m in months]


# --- Facilitator time ---------------------------------------------------------------------------


@dataclass
class FacilitatorTime:
    by_month_mode: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_component: list[tuple[str, dict[str, int]]] = field(default_factory=list)
    by_facilitator: dict[int, dict[str, int]] = field(default_factory=dict)
    by_family: dict[int, float] = field(default_factory=dict)
    total: int = 0
    # Contacts with an interpreter and without: (contacts, facilitator-minutes, mean length).
    interpreted: "TimeShare | None" = None
    not_interpreted: "TimeShare | None" = None


@dataclass(frozen=True)
class TimeShare:
    contacts: int
    facilitator_minutes: int
    mean_minutes: float | None

    @classmethod
    def of(cls, rows: Sequence[ContactRow]) -> "TimeShare":
        return cls(
            contacts=len(rows),
            facilitator_minutes=sum(r.facilitator_minutes for r in rows),
            mean_minutes=mean(r.actual_minutes for r in rows) if rows else None,
        )


def facilitator_time(contacts: Sequence[ContactRow]) -> FacilitatorTime:
    """Facilitator-minutes by month and mode, by component and mode, per facilitator (by
    mode) and per family."""
    months: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
    components: dict[tuple[int, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
    people: dict[int, dict[str, int]] = defaultdict(lambda: dict.fromkeys(MODES, 0))
    families: dict[int, float] = defaultdict(float)
    total = 0
    for row in contacts:
        minutes = row.facilitator_minutes
        total += minutes
        months[month_of(row.day)][row.mode] += minutes
        components[(row.component_order, row.component)][row.mode] += minutes
        for person in row.facilitator_ids:
            people[person][row.mode] += row.actual_minutes
        if row.present_family_ids:
            share = minutes / len(row.present_family_ids)
            for fid in row.present_family_ids:
                families[fid] += share
    ordered_months = _months_between(min(months), max(months)) if months else []
    return FacilitatorTime(
        by_month_mode=[(m, months.get(m) or dict.fromkeys(MODES, 0)) for m in ordered_months],
        by_component=[(code, modes) for (_, code), modes in sorted(components.items())],
        by_facilitator=dict(people),
        by_family=dict(families),
        total=total,
        interpreted=TimeShare.of([r for r in contacts if r.interpreted]),
        not_interpreted=TimeShare.of([r for r in contacts if not r.interpreted]),
    )


@dataclass(frozen=True)
class CallStats:
    calls: int
    mean_minutes: float | None
    median_minutes: float | None
    mean_facilitator_minutes: float | None
    key_message_coverage: float | None  # share of the component's key messages covered
    watched_share: float | None  # of calls where it is known

    @classmethod
    def of(cls, rows: Sequence[ContactRow]) -> "CallStats":
        if not rows:
            return cls(0, None, None, None, None, None)
        lengths = [r.actual_minutes for r in rows]
        covered = [
            r.key_messages_covered / r.key_messages_total for r in rows if r.key_messages_total
        ]
        known = [w for r in rows for w in r.watched if w is not None]
        return cls(
            calls=len(rows),
            mean_minutes=mean(lengths),
            median_minutes=median(lengths),
            mean_facilitator_minutes=mean(r.facilitator_minutes for r in rows),
            key_message_coverage=mean(covered) if covered else None,
            watched_share=sum(known) / len(known) if known else None,
        )


@dataclass(frozen=True)
class CallComparison:
    """Session calls before a cohort went video-first and after (``video_first`` maps
    cohort ids to the date it did; calls of cohorts that never did count as "before")."""

    before: CallStats
    after: CallStats
    watched: CallStats
    not_watched: CallStats

    @property
    def minutes_saved_per_call(self) -> float | None:
        if self.before.mean_minutes is None or self.after.mean_minutes is None:
            return None
        return self.before.mean_minutes - self.after.mean_minutes


def call_comparison(contacts: Iterable[ContactRow], video_first: dict[int, date]) -> CallComparison:
    """Only calls that deliver a group session's content count (a session delivered
    remotely, or caught up): follow-up calls after home visits are another thing."""
    calls = [
        c for c in contacts if c.mode in CALL_MODES and c.present_family_ids and c.group_component
    ]
    before: list[ContactRow] = []
    after: list[ContactRow] = []
    for row in calls:
        start = video_first.get(row.cohort_id)
        (after if start is not None and row.day >= start else before).append(row)
    watched = [r for r in calls if r.watched and all(w is True for w in r.watched)]
    not_watched = [r for r in calls if r.watched and any(w is False for w in r.watched)]
    return CallComparison(
        before=CallStats.of(before),
        after=CallStats.of(after),
        watched=CallStats.of(watched),
        not_watched=CallStats.of(not_watched),
    )
