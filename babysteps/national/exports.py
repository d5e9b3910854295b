"""The national dashboard as CSV and XLSX (text cells made inert, as every export)."""

import io
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook

from babysteps.core.spreadsheets import SafeCsvWriter, safe_row
from babysteps.national.figures import SiteFigures

COLUMNS = (
    "site",
    "licence_status",
    "renewal_date",
    "active_cohorts",
    "families_enrolled",
    "families_completed",
    "families_dosed_7_of_11",
    "dose_share",
    "group_sessions",
    "group_sessions_both_roles",
    "co_facilitation_share",
    "facilitator_minutes",
    "facilitator_minutes_per_family",
    "calls_known_watched",
    "calls_watched_first",
    "watched_first_share",
    "pre_questionnaires",
    "pre_completion",
    "post_questionnaires",
    "post_completion",
    "referrals",
    "referrals_claimed_on_time",
    "referrals_closed",
    "referrals_closed_on_time",
    "alerts",
    "alerts_acknowledged_on_time",
    "epds_mean_change",
    "epds_families",
)


def _round(value: float | None) -> float | str:
    return "" if value is None else round(value, 4)


def row_values(row: SiteFigures) -> list[Any]:
    change, n = row.epds
    return [
        row.label,
        row.licence_status,
        row.renewal_date.isoformat() if isinstance(row.renewal_date, date) else "",
        row.active_cohorts,
        row.families,
        row.completed,
        row.dosed,
        _round(row.dose_share),
        row.group_sessions,
        row.group_sessions_both_roles,
        _round(row.co_facilitation),
        row.facilitator_minutes,
        _round(row.minutes_per_family),
        row.calls_known,
        row.calls_watched,
        _round(row.watched_first),
        row.pre_done,
        _round(row.pre_completion),
        row.post_done,
        _round(row.post_completion),
        row.referrals,
        row.referrals_claimed_on_time,
        row.referrals_closed,
        row.referrals_closed_on_time,
        row.alerts,
        row.alerts_on_time,
        _round(change),
        n if change is not None else ("fewer than 5" if n else 0),
    ]


def as_csv(rows: Sequence[SiteFigures]) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(COLUMNS)
    writer.writerows(row_values(r) for r in rows)
    return out.getvalue()


def as_xlsx(rows: Sequence[SiteFigures]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Sites"
    sheet.append(safe_row(COLUMNS))
    for row in rows:
        sheet.append(safe_row(row_values(row)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
