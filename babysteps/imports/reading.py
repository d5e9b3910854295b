"""Reading a spreadsheet of families: CSV (UTF-8, with or without a byte-order mark) or
XLSX (the first sheet). Pure: no Django.

Every row comes back with its line number as a person counts it in the file (the header
is line 1) and its cells as text keyed by the header's column names, so a message can say
``line 7: postcode: ...`` and the manager finds it.
"""

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import openpyxl
from openpyxl.utils.exceptions import InvalidFileException

# A file bigger than this is not a site's caseload: refuse it before reading it.
MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_LINES = 2 * MAX_ROWS  # blank lines included
MAX_COLUMNS = 50


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX this reader understands; the message says why."""


@dataclass(frozen=True)
class Sheet:
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet(lines: list[tuple[int, list[str]]]) -> Sheet:
    if not lines:
        raise UnreadableFile("The file is empty: it needs a header row and one row per family.")
    _, header = lines[0]
    columns = [c.strip().lower() for c in header]
    while columns and not columns[-1]:
        columns.pop()
    rows: list[tuple[int, dict[str, str]]] = []
    for number, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue  # blank lines are not families
        padded = [*cells, *[""] * (len(columns) - len(cells))]
        rows.append((number, {col: padded[i].strip() for i, col in enumerate(columns) if col}))
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(
            f"The file has {len(rows)} families; import at most {MAX_ROWS} at a time."
        )
    return Sheet(columns=columns, rows=rows)


def _read_csv(content: bytes) -> Sheet:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(
            "The file is not UTF-8 text. Save it as 'CSV UTF-8' or as an Excel workbook."
        ) from exc
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _sheet([(reader.line_num, row) for row in reader])
    except csv.Error as exc:
        raise UnreadableFile(f"line {reader.line_num}: the CSV cannot be read ({exc}).") from exc


def _read_xlsx(content: bytes) -> Sheet:
    try:
        book = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise UnreadableFile("The workbook cannot be opened: save it again as .xlsx.") from exc
    try:
        sheet = book.worksheets[0]
        lines = []
        # A small file can unpack into a huge sheet: read no further than a caseload.
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
        for number, values in enumerate(rows, start=1):
            if number > MAX_LINES:
                raise UnreadableFile(
                    f"The workbook is too long: import at most {MAX_ROWS} families at a time."
                )
            lines.append((number, [_cell_text(v) for v in values]))
    finally:
        book.close()
    return _sheet(lines)


def read(content: bytes, filename: str) -> Sheet:
    """The sheet in ``content``; raises ``UnreadableFile`` with a message for people."""
    if len(content) > MAX_BYTES:
        raise UnreadableFile("The file is over 5 MB: split it into smaller files.")
    name = filename.lower()
    if name.endswith(".xlsx") or content[:4] == b"PK\x03\x04":
        return _read_xlsx(content)
    if name.endswith((".csv", ".txt")) or not name:
        return _read_csv(content)
    raise UnreadableFile("Upload a .csv or .xlsx file.")
