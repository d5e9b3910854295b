# Over 400 lines: the dataset and the report share one row layout (F) and are read together.
"""Reads for the evaluation: the consenting families' questionnaire totals, filtered and
grouped as the page asks, turned into arrays for ``statistics``. Nothing identifying
leaves here: participants are codes (or keyed pseudonyms in the participant export)."""

from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import compress
from typing import Any

import numpy as np
from django.conf import settings
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery

from babysteps.cohorts.models import Cohort
from babysteps.delivery.selectors import Received, received_by_parent
from babysteps.evaluation import adjusted, dose, statistics
from babysteps.families.models import Consent, Family
from babysteps.measures.definition import Instrument as Spec
from babysteps.measures.models import Administration, Instrument

GROUP_BY = {
    "delivered_mode": "Delivered mode (what they attended)",
    "planned_mode": "Planned mode (the cohort's label)",
    "site": "Site",
    "cohort": "Cohort",
    "parent_role": "Parent role",
    "baseline_band": "Baseline band",
}
PARENT_ROLES = {"mother": "Mother", "partner": "Partner or supporter"}
# The mode each participant really received (evaluation/dose.py), and the cohort's label.
DELIVERY_MODES: dict[str, str] = {
    dose.FACE_TO_FACE: "Face-to-face",
    dose.REMOTE: "Remote",
    dose.BLENDED: "Blended",
}
PLANNED_MODES: dict[str, str] = {
    Cohort.DeliveryMode.GROUP.value: "Face-to-face (group)",
    Cohort.DeliveryMode.REMOTE.value: "Remote",
    Cohort.DeliveryMode.BLENDED.value: "Blended",
}
NO_CONTACTS = "No sessions or calls recorded"
BASELINE_BANDS = {
    "elevated": "Moderate or high at the start (e.g. EPDS 10 or more)",
    "not_elevated": "Below that at the start",
}
TIMEPOINT_CODES = {"pre": statistics.PRE, "post": statistics.POST, "mid": 2, "follow_up": 3}


def rules_for(spec: Spec) -> statistics.Rules:
    return statistics.Rules(
        code=spec.code,
        lower_is_better=spec.lower_is_better,
        reliable_change_fixed=spec.reliable_change_fixed,
        retest_r=spec.retest_r,
        caseness_min=spec.caseness_min,
        caseness_max=spec.caseness_max,
    )


def families_consenting_to_evaluation() -> QuerySet[Family]:
    """Families whose latest evaluation consent decision is a yes (one query)."""
    latest = (
        Consent.objects.filter(family=OuterRef("pk"), kind=Consent.Kind.EVALUATION)
        .order_by("-decided_on", "-recorded_at", "-pk")
        .values("given")[:1]
    )
    return Family.objects.annotate(evaluation_consent=Subquery(latest)).filter(
        evaluation_consent=True
    )


@dataclass(frozen=True)
class Filters:
    site: int | None = None
    cohort: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    parent_role: str = ""
    delivery_mode: str = ""  # the delivered mode
    planned_mode: str = ""  # the cohort's label
    baseline_band: str = ""
    group_by: str = ""

    def describe(self) -> list[tuple[str, str]]:
        return [(k, str(v)) for k, v in self.__dict__.items() if v not in (None, "")]


@dataclass
class Dataset:
    """One row per questionnaire total kept by the filters, as arrays."""

    participant: np.ndarray  # participant code (a parent in a cohort)
    instrument: np.ndarray  # index into ``instruments``
    timepoint: np.ndarray
    total: np.ndarray
    group: np.ndarray  # index into ``group_labels``
    delivery_mode: np.ndarray  # index into ``mode_keys`` (the delivered mode; -1: none)
    instruments: list[Instrument]
    group_labels: list[str]
    mode_keys: list[str]
    rows: list[tuple[Any, ...]] = field(default_factory=list)  # for the participant file
    received: list[Any] = field(default_factory=list)  # per row: what the parent attended
    # Per row, for the models and the dose analyses: cohort and family ids, components
    # attended, and the share of remote calls with the videos watched beforehand (nan).
    cohort: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    family: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    components: np.ndarray = field(default_factory=lambda: np.empty(0, dtype=np.int64))
    watched: np.ndarray = field(default_factory=lambda: np.empty(0))
    # The questionnaires the rows were read from (before the filters applied in numpy):
    # ``with_items`` reads their answers again from here, in the same order.
    source: QuerySet[Administration] | None = None


FIELDS = (
    "pk",
    "parent_id",
    "cohort_id",
    "instrument_id",
    "timepoint",
    "total",
    "administered_on",
    "family_id",
    "family__site_id",
    "family__site__name",
    "cohort__name",
    "cohort__delivery_mode",
    "respondent_role",
    "elevated",
    "band",
    "raw_total",
    "is_case",
    "mode",
    "scoring_version",
)
F = {name: i for i, name in enumerate(FIELDS)}
# Rows of the participant files' item columns are read this many at a time.
ITEM_CHUNK = 2000


def all_instruments() -> list[Instrument]:
    """Every questionnaire, in the evaluation's order."""
    return list(Instrument.objects.order_by("short_name"))


def dataset(
    *,
    filters: Filters,
    site_ids: frozenset[int] | None,
    instruments: list[Instrument] | None = None,
) -> Dataset:
    """The filtered rows of consenting families within ``site_ids`` (None: every site),
    for ``instruments`` (already read, or read here). The answers and item scores (two
    JSON columns, read only by the participant files) are not among them: ``with_items``
    reads them a chunk at a time."""
    instruments = all_instruments() if instruments is None else instruments
    index = {i.pk: n for n, i in enumerate(instruments)}
    families = families_consenting_to_evaluation()
    # The families in scope, so a site's evaluation reads its own families' delivery only.
    if site_ids is not None:
        families = families.filter(site_id__in=site_ids)
    if filters.site:
        families = families.filter(site_id=filters.site)
    rows = Administration.objects.counted().filter(family__in=families)
    if filters.cohort:
        rows = rows.filter(cohort_id=filters.cohort)
    if filters.parent_role == "mother":
        rows = rows.filter(respondent_role="mother")
    elif filters.parent_role == "partner":
        rows = rows.filter(~Q(respondent_role="mother"))
    if filters.planned_mode:
        rows = rows.filter(cohort__delivery_mode=filters.planned_mode)
    data = list(rows.order_by("pk").values_list(*FIELDS))
    mode_keys = list(DELIVERY_MODES)
    if not data:
        empty = np.empty(0, dtype=np.int64)
        return Dataset(empty, empty, empty, np.empty(0), empty, empty, instruments, [], mode_keys)
    columns = list(zip(*data, strict=True))
    parent = np.asarray(columns[F["parent_id"]], dtype=np.int64)
    cohort = np.nan_to_num(np.asarray(columns[F["cohort_id"]], dtype=float)).astype(np.int64)
    _, participant = np.unique(parent * (cohort.max() + 1) + cohort, return_inverse=True)
    instrument_ids = np.asarray(columns[F["instrument_id"]], dtype=np.int64)
    lookup = np.zeros(max(index) + 1, dtype=np.int64)
    lookup[list(index)] = list(index.values())
    instrument = lookup[instrument_ids]
    timepoint = _codes(columns[F["timepoint"]], TIMEPOINT_CODES, missing=9)
    total = np.asarray(columns[F["total"]], dtype=float)
    # What each participant's baseline (their pre row for the instrument) says.
    unit = participant * len(instruments) + instrument
    is_pre = timepoint == statistics.PRE
    pre_units = unit[is_pre]
    pre_elevated = np.asarray(columns[F["elevated"]], dtype=bool)[is_pre]
    pre_dates = np.asarray(columns[F["administered_on"]], dtype="datetime64[D]")[is_pre]
    if pre_units.size:
        order = np.argsort(pre_units)
        sorted_units = pre_units[order]
        position = np.clip(np.searchsorted(sorted_units, unit), 0, pre_units.size - 1)
        has_pre = sorted_units[position] == unit
        baseline_elevated = pre_elevated[order][position] & has_pre
        baseline_date = pre_dates[order][position]
    else:
        has_pre = np.zeros(unit.size, dtype=bool)
        baseline_elevated = has_pre
        baseline_date = None
    keep = np.ones(unit.size, dtype=bool)
    if filters.date_from or filters.date_to or filters.baseline_band:
        keep &= has_pre
    if filters.date_from and baseline_date is not None:
        keep &= baseline_date >= np.datetime64(filters.date_from)
    if filters.date_to and baseline_date is not None:
        keep &= baseline_date <= np.datetime64(filters.date_to)
    if filters.baseline_band == "elevated":
        keep &= baseline_elevated
    elif filters.baseline_band == "not_elevated":
        keep &= ~baseline_elevated
    received, delivered = _delivered(families, columns)
    if filters.delivery_mode:
        keep &= delivered == filters.delivery_mode
    group, labels = _groups(filters.group_by, columns, baseline_elevated, has_pre, delivered)
    mode = _codes(tuple(delivered), {m: n for n, m in enumerate(mode_keys)}, missing=-1)
    return Dataset(
        participant=participant[keep],
        instrument=instrument[keep],
        timepoint=timepoint[keep],
        total=total[keep],
        group=group[keep],
        delivery_mode=mode[keep],
        instruments=instruments,
        group_labels=labels,
        mode_keys=mode_keys,
        rows=list(compress(data, keep)),
        received=list(compress(received, keep)),
        cohort=cohort[keep],
        family=np.asarray(columns[F["family_id"]], dtype=np.int64)[keep],
        components=np.fromiter((r.components for r in received), np.int64, len(received))[keep],
        watched=np.fromiter(
            (
                r.remote_watched / r.remote_watch_known if r.remote_watch_known else np.nan
                for r in received
            ),
            float,
            len(received),
        )[keep],
        source=rows,
    )


def with_items(data: Dataset) -> Iterator[tuple[tuple[Any, ...], Any, list[Any], list[Any]]]:
    """Each row of ``data`` with what its parent received, its answers (printed positions)
    and its item scores, in order. The two JSON columns come from one query in id order,
    read ``ITEM_CHUNK`` rows at a time (a server-side cursor on PostgreSQL) beside the
    rows: the national participant file never holds 270,000 answer lists at once. A row
    gone since the dataset was read (its family erased meanwhile) is left out."""
    if data.source is None or not data.rows:
        return
    items = (
        data.source.order_by("pk")
        .values_list("pk", "answers", "item_scores")
        .iterator(chunk_size=ITEM_CHUNK)
    )
    item = next(items, None)
    for row, received in zip(data.rows, data.received, strict=True):
        pk = row[F["pk"]]
        while item is not None and item[0] < pk:  # a row the filters left out
            item = next(items, None)
        if item is None:
            return
        if item[0] == pk:
            yield row, received, list(item[1] or []), list(item[2] or [])


def _delivered(
    families: QuerySet[Family], columns: list[tuple[Any, ...]]
) -> tuple[list[Any], np.ndarray]:
    """Each row's parent's attendance (delivery.selectors.Received) and delivered mode."""
    by_parent = received_by_parent(families=families)
    nothing = Received()
    received = [
        by_parent.get((family_id, "mother" if role == "mother" else "partner"), nothing)
        for family_id, role in zip(
            columns[F["family_id"]], columns[F["respondent_role"]], strict=True
        )
    ]
    delivered = dose.delivered_modes(
        np.fromiter((r.remote for r in received), dtype=float, count=len(received)),
        np.fromiter((r.attended for r in received), dtype=float, count=len(received)),
        face_to_face_max=settings.DELIVERED_MODE_FACE_TO_FACE_MAX,
        remote_min=settings.DELIVERED_MODE_REMOTE_MIN,
    )
    return received, delivered


def _codes(values: tuple[Any, ...], codes: dict[str, int], *, missing: int) -> np.ndarray:
    """Map a column of labels to integer codes (a loop over the few labels, not the rows)."""
    labels = np.asarray(values, dtype=object)
    out = np.full(labels.size, missing, dtype=np.int64)
    for label, code in codes.items():
        out[labels == label] = code
    return out


def _groups(
    group_by: str,
    columns: list[tuple[Any, ...]],
    elevated: np.ndarray,
    has_pre: np.ndarray,
    delivered: np.ndarray,
) -> tuple[np.ndarray, list[str]]:
    size = len(columns[0])
    if group_by == "site":
        values = np.asarray(columns[F["family__site__name"]], dtype=object)
    elif group_by == "cohort":
        names = np.asarray(columns[F["cohort__name"]], dtype=object)
        values = np.where(names == None, "No cohort", names)  # noqa: E711 - elementwise
    elif group_by == "parent_role":
        roles = np.asarray(columns[F["respondent_role"]], dtype=object)
        values = np.where(roles == "mother", PARENT_ROLES["mother"], PARENT_ROLES["partner"])
    elif group_by == "delivered_mode":
        values = np.full(size, NO_CONTACTS, dtype=object)
        for key, label in DELIVERY_MODES.items():
            values[delivered == key] = label
    elif group_by == "planned_mode":
        modes = np.asarray(columns[F["cohort__delivery_mode"]], dtype=object)
        values = np.full(size, "No cohort", dtype=object)
        for key, label in PLANNED_MODES.items():
            values[modes == key] = label
    elif group_by == "baseline_band":
        values = np.where(
            has_pre,
            np.where(elevated, BASELINE_BANDS["elevated"], BASELINE_BANDS["not_elevated"]),
            "No baseline",
        )
    else:
        return np.zeros(size, dtype=np.int64), ["All"]
    labels, codes = np.unique(np.asarray(values).astype(str), return_inverse=True)
    return codes.astype(np.int64), labels.tolist()


@dataclass
class InstrumentReport:
    instrument: Instrument
    overall: dict[str, Any]
    groups: list[tuple[str, dict[str, Any]]]
    comparison: dict[str, Any] | None
    pairs: tuple[np.ndarray, np.ndarray]  # completers' pre and post (for the paired chart)
    further: dict[str, Any] = field(default_factory=dict)  # adjusted.instrument_analyses
    # Why there is no comparison of modes to show: "filtered" (a delivered-mode filter
    # keeps one mode only), "small" (a mode has fewer than min_n completers), or "".
    comparison_reason: str = ""


@dataclass
class Report:
    filters: Filters
    instruments: list[InstrumentReport]
    mode_a: str
    mode_b: str
    min_n: int
    # Instruments with no questionnaire at all under these filters (listed, with a note).
    without_data: list[Instrument] = field(default_factory=list)


def report(
    *,
    data: Dataset,
    filters: Filters,
    mode_a: str = dose.FACE_TO_FACE,
    mode_b: str = dose.REMOTE,
    min_n: int | None = None,
    mixed_model: bool = False,
) -> Report:
    """Every figure per instrument (and per group), suppressed below the minimum cell
    size, with the comparison of two delivery modes."""
    min_n = settings.EVALUATION_MIN_CELL if min_n is None else min_n
    rules = {n: rules_for(i.spec) for n, i in enumerate(data.instruments)}
    n_groups = max(len(data.group_labels), 1)
    overall = statistics.evaluate(
        data.participant, data.instrument, data.timepoint, data.total, rules
    )
    grouped_rules = {i * n_groups + g: rules[i] for i in rules for g in range(n_groups)}
    grouped = statistics.evaluate(
        data.participant,
        data.instrument * n_groups + data.group,
        data.timepoint,
        data.total,
        grouped_rules,
    )
    paired = statistics.pair(data.participant, data.instrument, data.timepoint, data.total)
    # Each participant's delivered mode, looked up for every completer.
    size = int(data.participant.max(initial=-1)) + 1

    def per_participant(values: np.ndarray, empty: Any) -> np.ndarray:
        out = np.full(size, empty, dtype=values.dtype if values.size else float)
        out[data.participant] = values
        return out

    mode_of = per_participant(data.delivery_mode, -1)
    completer_mode = mode_of[paired.participant]
    of = {
        name: per_participant(values, empty)[paired.participant]
        for name, values, empty in (
            ("cohort", data.cohort, -1),
            ("family", data.family, -1),
            ("components", data.components, 0),
            ("watched", data.watched, np.nan),
        )
    }
    is_pre = data.timepoint == statistics.PRE
    completed = np.zeros((size, max(len(data.instruments), 1)), dtype=bool)
    completed[paired.participant, paired.measure] = True
    reports = []
    for n, instrument in enumerate(data.instruments):
        if n not in overall:
            continue
        mine = paired.measure == n
        change = paired.post[mine] - paired.pre[mine]
        modes = completer_mode[mine]
        comparison = None
        comparison_reason = ""
        if filters.delivery_mode:
            comparison_reason = "filtered"
        elif mode_a in data.mode_keys and mode_b in data.mode_keys and mode_a != mode_b:
            comparison = statistics.suppress(
                statistics.compare(
                    change[modes == data.mode_keys.index(mode_a)],
                    change[modes == data.mode_keys.index(mode_b)],
                ),
                min_n=min_n,
                keys=("n_a", "n_b"),
            )
            comparison_reason = "small" if comparison["suppressed"] else ""
        groups = []
        if filters.group_by:
            for g, label in enumerate(data.group_labels):
                figures = grouped.get(n * n_groups + g)
                if figures is not None:
                    groups.append((label, statistics.suppress(figures, min_n=min_n)))
        suppressed = statistics.suppress(overall[n], min_n=min_n)
        pre_only = is_pre & (data.instrument == n) & ~completed[data.participant, n]
        further = adjusted.instrument_analyses(
            change=change,
            baseline=paired.pre[mine],
            mode=modes,
            cohort=of["cohort"][mine],
            family=of["family"][mine],
            components=of["components"][mine],
            watched=of["watched"][mine].astype(float),
            pre_only_baseline=data.total[pre_only],
            pre_only_mode=data.delivery_mode[pre_only],
            mode_keys=data.mode_keys,
            mode_labels=DELIVERY_MODES,
            mode_a=mode_a,
            mode_b=mode_b,
            dose_bands=list(dose.DOSE_BANDS),
            min_n=min_n,
            mixed_model=mixed_model,
        )
        reports.append(
            InstrumentReport(
                instrument=instrument,
                overall=suppressed,
                groups=groups,
                comparison=comparison,
                pairs=(paired.pre[mine], paired.post[mine])
                if not suppressed["suppressed"]
                else (np.empty(0), np.empty(0)),
                further=further,
                comparison_reason=comparison_reason,
            )
        )
    return Report(
        filters=filters,
        instruments=reports,
        mode_a=mode_a,
        mode_b=mode_b,
        min_n=min_n,
        without_data=[i for n, i in enumerate(data.instruments) if n not in overall and i.active],
    )


def figure_rows(report_: Report) -> list[dict[str, Any]]:
    """Flat rows of figures (one per instrument and group) for the exports and the command."""
    rows = []
    for item in report_.instruments:
        rows.append({"instrument": item.instrument.code, "group": "All", **item.overall})
        for label, figures in item.groups:
            rows.append({"instrument": item.instrument.code, "group": label, **figures})
    return rows


def completers_by_instrument(*, site_ids: frozenset[int] | None) -> list[tuple[Instrument, int]]:
    """Each active questionnaire with its number of completers (a parent in a cohort with
    a pre and a post), over consenting families within ``site_ids`` (None: all): one
    grouped query (the panel suppresses counts below the minimum cell, as the page does)."""
    rows = Administration.objects.counted().filter(
        family__in=families_consenting_to_evaluation(), timepoint__in=["pre", "post"]
    )
    if site_ids is not None:
        rows = rows.filter(family__site_id__in=site_ids)
    both = (
        rows.values("instrument_id", "parent_id", "cohort_id")
        .annotate(timepoints=Count("timepoint", distinct=True))
        .filter(timepoints=2)
        .values_list("instrument_id", flat=True)
    )
    counts = Counter(both)
    instruments = Instrument.objects.filter(active=True).order_by("short_name")
    return [(i, counts.get(i.pk, 0)) for i in instruments]
