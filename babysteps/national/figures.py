"""The national dashboard's figures from per-site counts. Pure: no Django."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from statistics import mean

# The programme's headline outcome is suppressed below this many families (as on the
# evaluation page: a mean of fewer could identify someone).
MIN_FAMILIES = 5
DOSE_THRESHOLD = 7  # components of 11


def share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def quarter_of(day: date) -> str:
    return f"{day.year} Q{(day.month - 1) // 3 + 1}"


def quarters_between(first: str, last: str) -> list[str]:
    """Every quarter from ``first`` to ``last`` ("2026 Q1"), no gaps."""
    year, q = int(first[:4]), int(first[-1])
    end = (int(last[:4]), int(last[-1]))
    out = []
    while (year, q) <= end:
        out.append(f"{year} Q{q}")
        year, q = (year + 1, 1) if q == 4 else (year, q + 1)
    return out


def mean_change(pairs: Iterable[tuple[float, float]]) -> tuple[float | None, int]:
    """The mean of post minus pre, and how many families, suppressed (None) under
    ``MIN_FAMILIES``."""
    changes = [post - pre for pre, post in pairs]
    if len(changes) < MIN_FAMILIES:
        return None, len(changes)
    return mean(changes), len(changes)


@dataclass
class SiteFigures:
    """One site's row: counts as recorded, and the shares derived from them."""

    site_id: int
    label: str
    licence_status: str = ""
    renewal_date: date | None = None
    active_cohorts: int = 0
    families: int = 0  # holding a place (referred, enrolled, active or completed)
    completed: int = 0
    dosed: int = 0  # received at least DOSE_THRESHOLD components
    group_sessions: int = 0
    group_sessions_both_roles: int = 0
    facilitator_minutes: int = 0
    calls_known: int = 0  # calls where it is known whether the family watched first
    calls_watched: int = 0
    pre_done: int = 0
    post_done: int = 0
    referrals: int = 0
    referrals_claimed_on_time: int = 0
    referrals_closed: int = 0
    referrals_closed_on_time: int = 0
    alerts: int = 0
    alerts_on_time: int = 0
    # The EPDS mean change (None when suppressed) and how many families it is of.
    epds_mean: float | None = None
    epds_n: int = 0

    @property
    def dose_share(self) -> float | None:
        return share(self.dosed, self.families)

    @property
    def co_facilitation(self) -> float | None:
        return share(self.group_sessions_both_roles, self.group_sessions)

    @property
    def minutes_per_family(self) -> float | None:
        return self.facilitator_minutes / self.families if self.families else None

    @property
    def watched_first(self) -> float | None:
        return share(self.calls_watched, self.calls_known)

    @property
    def pre_completion(self) -> float | None:
        return share(self.pre_done, self.families)

    @property
    def post_completion(self) -> float | None:
        return share(self.post_done, self.families)

    @property
    def referrals_claimed_share(self) -> float | None:
        return share(self.referrals_claimed_on_time, self.referrals)

    @property
    def referrals_closed_share(self) -> float | None:
        return share(self.referrals_closed_on_time, self.referrals_closed)

    @property
    def alerts_share(self) -> float | None:
        return share(self.alerts_on_time, self.alerts)

    @property
    def epds(self) -> tuple[float | None, int]:
        return self.epds_mean, self.epds_n


# (key, heading, how to sort: the attribute or property)
COLUMNS: tuple[tuple[str, str], ...] = (
    ("label", "Site"),
    ("licence_status", "Licence"),
    ("renewal_date", "Renewal due"),
    ("active_cohorts", "Active cohorts"),
    ("families", "Families enrolled"),
    ("completed", "Families completed"),
    ("dose_share", "Dose (7+ of 11)"),
    ("co_facilitation", "Group sessions co-facilitated"),
    ("minutes_per_family", "Facilitator minutes per family"),
    ("watched_first", "Calls with videos watched first"),
    ("pre_completion", "Pre questionnaires"),
    ("post_completion", "Post questionnaires"),
    ("referrals_claimed_share", "Referrals claimed on time"),
    ("referrals_closed_share", "Referrals closed on time"),
    ("alerts_share", "Alerts acknowledged on time"),
    ("epds_change", "EPDS mean change"),
)
SORT_KEYS = frozenset(key for key, _ in COLUMNS)


def sort_value(row: SiteFigures, key: str) -> tuple[int, object]:
    """Sort with the unknown (None) last whatever the direction is."""
    value = row.epds[0] if key == "epds_change" else getattr(row, key)
    if isinstance(value, date):
        value = value.toordinal()
    return (1, 0) if value is None else (0, value)
