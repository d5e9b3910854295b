"""CSV and XLSX files of the evaluation figures (suppressed as on the page)."""

import io
from typing import Any

from openpyxl import Workbook

from babysteps.core.spreadsheets import SafeCsvWriter, safe_row
from babysteps.evaluation import statistics
from babysteps.evaluation.selectors import Report, figure_rows

FIGURE_COLUMNS = [
    "instrument",
    "group",
    "suppressed",
    *statistics.FIGURES,
    *statistics.EXTRA_FIGURES,
]
COMPARISON_COLUMNS = [
    "instrument",
    "mode_a",
    "mode_b",
    "suppressed",
    *statistics.COMPARISON_FIGURES,
]
NOTE = (
    "Baby Steps evaluation. Families consenting to the evaluation only. Figures from fewer "
    "than {min_n} completers are suppressed (empty)."
)


def _comparison_rows(report: Report) -> list[dict[str, Any]]:
    return [
        {
            "instrument": item.instrument.code,
            "mode_a": report.mode_a,
            "mode_b": report.mode_b,
            **item.comparison,
        }
        for item in report.instruments
        if item.comparison is not None
    ]


def _further_rows(report: Report) -> list[list[Any]]:
    """The adjusted and mixed estimates, dose and video bands and attrition, long form."""
    rows: list[list[Any]] = []
    for item in report.instruments:
        code, f = item.instrument.code, item.further
        for analysis in ("adjusted", "mixed"):
            for name, value in (f.get(analysis) or {}).items():
                if name != "note":
                    rows.append([code, analysis, "", name, value])
        for analysis in ("by_dose", "by_videos"):
            for band in f.get(analysis, []):
                for name, value in band.items():
                    rows.append([code, analysis, band["band"], name, value])
        for label, figures in f.get("attrition", []):
            for name, value in figures.items():
                rows.append([code, "attrition", label, name, value])
    return rows


def _cell(value: Any) -> Any:
    return "" if value is None else value


def figures_csv(report: Report) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(FIGURE_COLUMNS)
    for row in figure_rows(report):
        writer.writerow([_cell(row.get(c)) for c in FIGURE_COLUMNS])
    return out.getvalue()


def figures_xlsx(report: Report) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Figures"
    sheet.append(safe_row(FIGURE_COLUMNS))
    for row in figure_rows(report):
        sheet.append(safe_row(_cell(row.get(c)) for c in FIGURE_COLUMNS))
    comparison = book.create_sheet("Delivery modes")
    comparison.append(safe_row(COMPARISON_COLUMNS))
    for row in _comparison_rows(report):
        comparison.append(safe_row(_cell(row.get(c)) for c in COMPARISON_COLUMNS))
    further = book.create_sheet("Adjusted, dose, attrition")
    further.append(["instrument", "analysis", "group", "figure", "value"])
    for line in _further_rows(report):
        further.append(safe_row(_cell(v) for v in line))
    about = book.create_sheet("About")
    about.append([NOTE.format(min_n=report.min_n)])
    for name, value in report.filters.describe():
        about.append(safe_row([name, value]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
