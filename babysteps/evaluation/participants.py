"""The pseudonymised participant file for evaluators' own tools: one row per questionnaire
total, with stable keyed pseudonyms, what the participant really received, and each item's
printed position *and* score (columns named to say which). Every column is described
(name, label, type, and the labels of coded values), so the same table becomes a CSV, an
XLSX with a codebook and notes, an SPSS ``.sav`` or a Stata ``.dta`` with variable and
value labels (``statfiles.py``), and the codebook page.

No names, contacts, identifiers or exact dates: months only; families, participants and
cohorts by keyed pseudonym (``pseudonyms.py``).
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib.metadata import PackageNotFoundError, version
from typing import Any

from django.conf import settings
from django.utils import timezone

from babysteps.evaluation import dose, selectors
from babysteps.evaluation.pseudonyms import Pseudonyms
from babysteps.evaluation.selectors import Dataset, F, Filters
from babysteps.measures.models import Administration, Instrument

TIMEPOINTS = dict(Administration.Timepoint.choices)
ROLES = {"mother": "Mother", "partner": "Partner or supporter"}
ADMINISTRATION_MODES = dict(Administration.Mode.choices)
DOSE = {band: f"{band} components" for band, _, _ in dose.DOSE_BANDS}


@dataclass(frozen=True)
class Column:
    name: str
    label: str
    kind: str  # "text", "integer", "number" or "coded" (text codes with value labels)
    values: dict[str, str] = field(default_factory=dict)  # code -> label, for "coded"


@dataclass
class Table:
    """The participant file: its columns and notes (known from the questionnaires and
    the filters alone, so a download can begin at once), and its rows, made as they are
    read: the dataset is loaded when first needed, and ``rows()`` reads its answers a
    chunk at a time, afresh on each call."""

    columns: list[Column]
    notes: list[tuple[str, str]]  # (what, value): filters, time, software version
    load: Callable[[], Dataset]

    @cached_property
    def data(self) -> Dataset:
        return self.load()

    def rows(self) -> Iterator[list[Any]]:
        return _table_rows(self.data)

    @property
    def size(self) -> int:
        """Rows in the file (fewer by any family erased while it is being written)."""
        return len(self.data.rows)


def software_version() -> str:
    try:
        return f"babysteps {version('babysteps')}"
    except PackageNotFoundError:  # pragma: no cover - running from a checkout not installed
        return "babysteps (not installed)"


def _columns(instruments: list[Instrument]) -> list[Column]:
    bands = {
        band.code: f"{instrument.short_name}: {band.label}"
        for instrument in instruments
        for band in instrument.spec.bands
    }
    columns = [
        Column("pseudonym", "Participant (a parent in a cohort), keyed pseudonym", "text"),
        Column("family_pseudonym", "Family, keyed pseudonym", "text"),
        Column("parent_role", "Who answered", "coded", ROLES),
        Column("site", "Site", "text"),
        Column("cohort", "Cohort, keyed pseudonym", "text"),
        Column(
            "instrument",
            "Questionnaire",
            "coded",
            {i.code: i.short_name for i in instruments},
        ),
        Column("timepoint", "Time point", "coded", {k: str(v) for k, v in TIMEPOINTS.items()}),
        Column("month", "Month answered (YYYY-MM)", "text"),
        Column("total", "Total score (2 decimals; metric where the instrument has one)", "number"),
        Column("raw_total", "Raw total (sum of item scores)", "integer"),
        Column("band", "Severity band of the total", "coded", bands),
        Column("caseness", "At or past the caseness cut-off (1 yes, 0 no)", "integer"),
        Column(
            "planned_mode", "Planned mode (the cohort's label)", "coded", selectors.PLANNED_MODES
        ),
        Column(
            "delivered_mode",
            "Delivered mode (what the parent attended)",
            "coded",
            selectors.DELIVERY_MODES,
        ),
        Column("remote_share", "Share of attended contacts that were remote (0-1)", "number"),
        Column("components_received", "Programme components attended (of 11)", "integer"),
        Column("dose_band", "Components attended, banded", "coded", DOSE),
        Column(
            "videos_watched_share",
            "Share of remote calls with the videos watched beforehand, where known (0-1)",
            "number",
        ),
        Column(
            "administration_mode",
            "How it was answered",
            "coded",
            {k: str(v) for k, v in ADMINISTRATION_MODES.items()},
        ),
        Column("scoring_version", "Version of the instrument's scoring rules", "integer"),
    ]
    width = max((len(i.spec.items) for i in instruments), default=0)
    for n in range(1, width + 1):
        columns.append(
            Column(
                f"item_{n}_position",
                f"Item {n}: printed position of the chosen option (0 = first printed)",
                "integer",
            )
        )
        columns.append(Column(f"item_{n}_score", f"Item {n}: score after keying", "integer"))
    return columns


def _round(value: float | None, places: int) -> float | None:
    return None if value is None else round(float(value), places)


def _table_rows(data: Dataset) -> Iterator[list[Any]]:
    codes = {i.pk: i.code for i in data.instruments}
    items_width = max((len(i.spec.items) for i in data.instruments), default=0)
    pseudonym = Pseudonyms()
    for row, received, positions, scores in selectors.with_items(data):
        items: list[Any] = []
        for n in range(items_width):
            items.append(positions[n] if n < len(positions) else None)
            items.append(scores[n] if n < len(scores) else None)
        yield [
            pseudonym("participant", f"{row[F['parent_id']]}:{row[F['cohort_id']] or 0}"),
            pseudonym("family", row[F["family_id"]]),
            "mother" if row[F["respondent_role"]] == "mother" else "partner",
            row[F["family__site__name"]],
            pseudonym("cohort", row[F["cohort_id"]]) if row[F["cohort_id"]] else "",
            codes[row[F["instrument_id"]]],
            row[F["timepoint"]],
            row[F["administered_on"]].strftime("%Y-%m"),
            _round(row[F["total"]], 2),
            row[F["raw_total"]],
            row[F["band"]],
            int(row[F["is_case"]]),
            row[F["cohort__delivery_mode"]] or "",
            dose.delivered_mode(
                received.remote,
                received.attended,
                face_to_face_max=settings.DELIVERED_MODE_FACE_TO_FACE_MAX,
                remote_min=settings.DELIVERED_MODE_REMOTE_MIN,
            ),
            dose.remote_share(received.remote, received.attended),
            received.components,
            dose.dose_band(received.components),
            dose.remote_share(received.remote_watched, received.remote_watch_known),
            row[F["mode"]],
            row[F["scoring_version"]],
            *items,
        ]


def participant_table(filters: Filters, *, site_ids: frozenset[int] | None) -> Table:
    """The participant file of the consenting families within ``site_ids`` (None: all)
    kept by ``filters``; nothing is read but the questionnaires until its rows are."""
    instruments = selectors.all_instruments()
    notes = [
        ("exported at", timezone.localtime().isoformat(timespec="seconds")),
        ("software", software_version()),
        ("who is included", "families whose latest evaluation consent is yes"),
        (
            "delivered mode",
            f"remote if at least {settings.DELIVERED_MODE_REMOTE_MIN:.0%} of attended "
            f"contacts were by phone or video call, face-to-face if at most "
            f"{settings.DELIVERED_MODE_FACE_TO_FACE_MAX:.0%}, blended between",
        ),
        *[(f"filter: {name}", value) for name, value in filters.describe()],
    ]
    return Table(
        columns=_columns(instruments),
        notes=notes,
        load=lambda: selectors.dataset(filters=filters, site_ids=site_ids, instruments=instruments),
    )


# --- The page's participant CSV (its first four columns are what `evaluate --input` reads)

PARTICIPANT_HEADER = [
    "participant",
    "instrument",
    "timepoint",
    "total",
    "raw_total",
    "band",
    "caseness",
    "family",
    "site",
    "cohort",
    "planned_mode",
    "parent_role",
    "month",
    "mode",
    "scoring_version",
    "delivered_mode",
    "remote_share",
    "components_received",
    "dose_band",
    "remote_calls_videos_watched_share",
]


def participant_header(instruments: list[Instrument]) -> list[str]:
    """The page's participant CSV header: it depends on the questionnaires only, so a
    download can begin before its rows are read."""
    width = max((len(i.spec.items) for i in instruments), default=0)
    return PARTICIPANT_HEADER + [f"item_{n}" for n in range(1, width + 1)]


def participant_rows(data: Dataset) -> Iterator[list[Any]]:
    """The pseudonymised participant-level file's rows (under ``participant_header``),
    made as they are read: stable keyed pseudonyms for participants, families and
    cohorts; no names, contacts, identifiers or exact dates. The first four columns are
    what ``manage.py evaluate --input`` reads."""
    codes = {i.pk: i.code for i in data.instruments}
    width = max((len(i.spec.items) for i in data.instruments), default=0)
    pseudonym = Pseudonyms()
    for row, received, answers, _scores in selectors.with_items(data):
        watched = dose.remote_share(received.remote_watched, received.remote_watch_known)
        yield [
            pseudonym("participant", f"{row[F['parent_id']]}:{row[F['cohort_id']] or 0}"),
            codes[row[F["instrument_id"]]],
            row[F["timepoint"]],
            f"{row[F['total']]:g}",
            row[F["raw_total"]],
            row[F["band"]],
            int(row[F["is_case"]]),
            pseudonym("family", row[F["family_id"]]),
            row[F["family__site__name"]],
            pseudonym("cohort", row[F["cohort_id"]]) if row[F["cohort_id"]] else "",
            row[F["cohort__delivery_mode"]] or "",
            "mother" if row[F["respondent_role"]] == "mother" else "partner",
            row[F["administered_on"]].strftime("%Y-%m"),
            row[F["mode"]],
            row[F["scoring_version"]],
            dose.delivered_mode(
                received.remote,
                received.attended,
                face_to_face_max=settings.DELIVERED_MODE_FACE_TO_FACE_MAX,
                remote_min=settings.DELIVERED_MODE_REMOTE_MIN,
            ),
            _blank(dose.remote_share(received.remote, received.attended)),
            received.components,
            dose.dose_band(received.components),
            _blank(watched),
            *answers,
            *[""] * (width - len(answers)),
        ]


def _blank(value: float | None) -> Any:
    return "" if value is None else value
