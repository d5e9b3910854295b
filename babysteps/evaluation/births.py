"""Birth outcomes of the evaluation's families (those consenting to it), per site, cohort
and delivered mode, each a rate with its n and 95% Wilson interval, beside the reference
rates for the general population (``ReferenceRate``). Cells with fewer than the minimum
babies are suppressed."""

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import OuterRef, QuerySet, Subquery

from babysteps.cohorts.models import Enrolment
from babysteps.delivery.selectors import received_by_parent
from babysteps.evaluation import adjusted, dose
from babysteps.evaluation.models import BirthOutcome, ReferenceRate
from babysteps.evaluation.selectors import (
    DELIVERY_MODES,
    NO_CONTACTS,
    Filters,
    families_consenting_to_evaluation,
)
from babysteps.families.models import Baby, Family

PRETERM_WEEKS = 37
LOW_WEIGHT_GRAMS = 2500


@dataclass
class Rate:
    k: int
    n: int
    percent: float | None = None
    ci95: tuple[float, float] | None = None
    suppressed: bool = False


@dataclass
class Group:
    label: str
    babies: int
    rates: dict[str, Rate] = field(default_factory=dict)


def outcome_flags(gestation_weeks: int | None, weight: int | None, mode: str) -> dict[str, Any]:
    """Which outcomes one baby had (None where it was not recorded)."""
    return {
        BirthOutcome.PRETERM: None if gestation_weeks is None else gestation_weeks < PRETERM_WEEKS,
        BirthOutcome.LOW_BIRTH_WEIGHT: None if weight is None else weight < LOW_WEIGHT_GRAMS,
        BirthOutcome.PLANNED_CAESAREAN: None if not mode else mode == "planned_caesarean",
        BirthOutcome.EMERGENCY_CAESAREAN: None if not mode else mode == "emergency_caesarean",
    }


def _rate(flags: list[bool], min_n: int) -> Rate:
    k, n = sum(flags), len(flags)
    if n < min_n:
        return Rate(k=0, n=n, suppressed=True)
    return Rate(k=k, n=n, percent=100 * k / n, ci95=adjusted.wilson(k, n))


def birth_outcomes(
    *, filters: Filters, site_ids: frozenset[int] | None, min_n: int | None = None
) -> dict[str, list[Group]]:
    """Groups by site, cohort and delivered mode (the mother's, else the partner's), plus
    "All"."""
    min_n = settings.EVALUATION_MIN_CELL if min_n is None else min_n
    families: QuerySet[Family] = families_consenting_to_evaluation()
    if site_ids is not None:
        families = families.filter(site_id__in=site_ids)
    if filters.site:
        families = families.filter(site_id=filters.site)
    cohort = Enrolment.objects.filter(family=OuterRef("family_id")).order_by("-pk")
    if filters.cohort:
        families = families.filter(enrolments__cohort_id=filters.cohort)
    if filters.planned_mode:
        families = families.filter(enrolments__cohort__delivery_mode=filters.planned_mode)
    babies = (
        Baby.objects.filter(family__in=families)
        .annotate(cohort_name=Subquery(cohort.values("cohort__name")[:1]))
        .values_list(
            "family_id",
            "family__site__name",
            "cohort_name",
            "gestation_weeks",
            "birth_weight_grams",
            "mode_of_birth",
        )
    )
    # Only the families with a baby recorded are grouped: only theirs are read.
    received = received_by_parent(families=families.filter(pk__in=babies.values("family_id")))
    groups: dict[str, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for family_id, site, cohort_name, weeks, weight, mode in babies.iterator(chunk_size=5000):
        parent = received.get((family_id, "mother"))
        if parent is None or parent.attended == 0:
            parent = received.get((family_id, "partner"))
        delivered = (
            dose.delivered_mode(
                parent.remote,
                parent.attended,
                face_to_face_max=settings.DELIVERED_MODE_FACE_TO_FACE_MAX,
                remote_min=settings.DELIVERED_MODE_REMOTE_MIN,
            )
            if parent
            else ""
        )
        if filters.delivery_mode and delivered != filters.delivery_mode:
            continue
        flags = outcome_flags(weeks, weight, mode)
        for by, label in (
            ("all", "All"),
            ("site", site),
            ("cohort", cohort_name or "No cohort"),
            ("delivered_mode", DELIVERY_MODES.get(delivered, NO_CONTACTS)),
        ):
            groups[by][label].append(flags)
    out: dict[str, list[Group]] = {}
    for by, labelled in groups.items():
        out[by] = []
        for label in sorted(labelled):
            rows = labelled[label]
            group = Group(label=label, babies=len(rows))
            for outcome in BirthOutcome.values:
                known = [r[outcome] for r in rows if r[outcome] is not None]
                group.rates[outcome] = _rate(known, min_n)
            out[by].append(group)
    return out


def reference_rates() -> dict[str, ReferenceRate]:
    return {rate.outcome: rate for rate in ReferenceRate.objects.all()}
