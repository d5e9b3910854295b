"""The fidelity and facilitator-time reports, for one cohort or several (a site): the
records are read once (fixed queries), the figures computed by ``fidelity`` and drawn
by ``figures``."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from babysteps.accounts.models import User
from babysteps.cohorts.models import Cohort, Enrolment
from babysteps.delivery import fidelity, figures, selectors
from babysteps.delivery.fidelity import MODES, ContactRow
from babysteps.delivery.models import Contact
from babysteps.families.models import Family


def _rows(cohorts: list[Cohort]) -> list[ContactRow]:
    return selectors.contact_rows(contacts=Contact.objects.filter(cohort__in=cohorts))


def _rows_by_cohort(rows: list[ContactRow]) -> dict[int, list[ContactRow]]:
    """The rows grouped once (a site's 200 cohorts must not each scan every row)."""
    out: dict[int, list[ContactRow]] = defaultdict(list)
    for row in rows:
        out[row.cohort_id].append(row)
    return out


def _families_by_cohort(cohorts: list[Cohort]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    for cohort_id, family_id in Enrolment.objects.filter(cohort__in=cohorts).values_list(
        "cohort_id", "family_id"
    ):
        out[cohort_id].add(family_id)
    return out


@dataclass(frozen=True)
class CohortFidelity:
    cohort: Cohort
    result: fidelity.Fidelity


def fidelity_report(*, cohorts: list[Cohort], chart_prefix: str) -> dict[str, Any]:
    """Fidelity for the cohorts together, and per cohort: dose per family, families with
    at least 7 of the 11 components, both professional roles at group sessions, and the
    delivery-mode mix by month (charts and tables)."""
    rows = _rows(cohorts)
    total = selectors.component_count()
    by_cohort = _families_by_cohort(cohorts)
    all_families = set().union(*by_cohort.values()) if by_cohort else set()
    overall = fidelity.fidelity(rows, all_families, total_components=total)
    mix = fidelity.mode_mix_by_month(rows)
    rows_by_cohort = _rows_by_cohort(rows)
    per_cohort = [
        CohortFidelity(
            cohort,
            fidelity.fidelity(
                rows_by_cohort.get(cohort.pk, []),
                by_cohort.get(cohort.pk, set()),
                total_components=total,
            ),
        )
        for cohort in cohorts
    ]
    return {
        "fidelity": overall,
        "per_cohort": per_cohort,
        "dose_figure": figures.dose_figure(overall, chart_id=f"{chart_prefix}-dose"),
        "mix_figure": figures.mode_mix_figure(mix, chart_id=f"{chart_prefix}-mix") if mix else None,
        "doses": fidelity.doses(rows, all_families),
        "total_components": total,
    }


@dataclass(frozen=True)
class PersonTime:
    person: User
    by_mode: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_mode.values())


@dataclass(frozen=True)
class FamilyTime:
    family: Family
    minutes: float
    components: int


@dataclass(frozen=True)
class FamilyTimes:
    """Per-family time, largest first, as a sequence a paginator can slice: only the
    families of the page shown are loaded (a site has thousands)."""

    ranked: list[tuple[int, float, int]]  # family id, minutes, components

    def __len__(self) -> int:
        return len(self.ranked)

    def __getitem__(self, index: slice) -> list[FamilyTime]:
        chosen = self.ranked[index]
        families = Family.objects.prefetch_related("parents").in_bulk([r[0] for r in chosen])
        return [FamilyTime(families[pk], minutes, n) for pk, minutes, n in chosen]


def time_report(*, cohorts: list[Cohort], chart_prefix: str) -> dict[str, Any]:
    """Facilitator time by mode, component and month, per facilitator and per family, and
    call length before and after each cohort went video-first."""
    rows = _rows(cohorts)
    result = fidelity.facilitator_time(rows)
    people = User.objects.filter(pk__in=list(result.by_facilitator)).order_by("full_name")
    by_person = [PersonTime(u, result.by_facilitator[u.pk]) for u in people]
    doses = fidelity.doses(rows, result.by_family)
    by_family = FamilyTimes(
        sorted(
            ((pk, minutes, doses.get(pk, 0)) for pk, minutes in result.by_family.items()),
            key=lambda t: (-t[1], t[0]),
        )
    )
    video_first = selectors.video_first_dates(cohorts=cohorts)
    comparison = fidelity.call_comparison(rows, video_first)
    rows_by_cohort = _rows_by_cohort(rows)
    per_cohort_calls = [
        (
            cohort,
            video_first.get(cohort.pk),
            fidelity.call_comparison(rows_by_cohort.get(cohort.pk, []), video_first),
        )
        for cohort in cohorts
    ]
    return {
        "time": result,
        "modes": [(m, fidelity.MODE_LABELS[m]) for m in MODES],
        "by_component": [
            (code, [by_mode[m] for m in MODES], sum(by_mode.values()))
            for code, by_mode in result.by_component
        ],
        "by_person": [(p.person, [p.by_mode[m] for m in MODES], p.total) for p in by_person],
        "by_family": by_family,
        "time_figure": (
            figures.time_by_month_figure(result, chart_id=f"{chart_prefix}-time")
            if result.by_month_mode
            else None
        ),
        "calls": comparison,
        "calls_figure": figures.call_length_figure(comparison, chart_id=f"{chart_prefix}-calls"),
        "per_cohort_calls": per_cohort_calls,
    }
