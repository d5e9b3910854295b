"""The participant table (``participants.Table``) as files evaluators' tools read: CSV,
XLSX (data, codebook and notes sheets), SPSS ``.sav`` and Stata ``.dta`` through
``pyreadstat``, with variable labels and value labels. In ``.sav`` and ``.dta`` a coded
column is stored as integers 1..n with its labels (as SPSS and Stata expect); CSV and
XLSX keep the codes as text. Text that a spreadsheet would run as a formula is made inert
in CSV and XLSX; the statistical formats store text as text."""

import io
import os
import tempfile
import textwrap
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from openpyxl import Workbook

from babysteps.core import spreadsheets
from babysteps.core.lazy import lazy
from babysteps.core.spreadsheets import SafeCsvWriter, safe_row
from babysteps.evaluation.participants import Column, Table

if TYPE_CHECKING:
    import pandas as pd
    import pyreadstat
else:  # loaded on first use (core/lazy.py)
    pd = lazy("pandas")
    pyreadstat = lazy("pyreadstat")

FORMATS = ("csv", "xlsx", "sav", "dta")
CODEBOOK_HEADER = ["column", "label", "type", "values"]


def _values(column: Column) -> str:
    return "; ".join(f"{code} = {label}" for code, label in column.values.items())


def _numbering(column: Column) -> dict[str, int]:
    return {code: n for n, code in enumerate(column.values, start=1)}


def codebook_rows(table: Table) -> list[list[str]]:
    rows = []
    for column in table.columns:
        if column.kind == "coded":
            numbers = _numbering(column)
            values = "; ".join(
                f"{code} (SPSS/Stata {numbers[code]}) = {label}"
                for code, label in column.values.items()
            )
        else:
            values = ""
        rows.append([column.name, column.label, column.kind, values])
    return rows


def codebook_csv(table: Table) -> str:
    out = io.StringIO()
    writer = SafeCsvWriter(out)
    writer.writerow(CODEBOOK_HEADER)
    writer.writerows(codebook_rows(table))
    return out.getvalue()


def notes_text(table: Table) -> str:
    return "".join(f"{what}: {value}\n" for what, value in table.notes)


def _blank(value: Any) -> Any:
    return "" if value is None else value


def _blank_rows(table: Table) -> Iterator[list[Any]]:
    # A generator function, not an expression: nothing is read until the first row is.
    for row in table.rows():
        yield [_blank(v) for v in row]


def csv_chunks(table: Table) -> Iterator[bytes]:
    """The CSV a chunk of rows at a time (the web download streams it)."""
    return spreadsheets.csv_chunks([c.name for c in table.columns], _blank_rows(table))


def to_csv(table: Table) -> bytes:
    return b"".join(csv_chunks(table))


def to_xlsx(table: Table) -> bytes:
    book = Workbook(write_only=True)
    data = book.create_sheet("Participants")
    data.append([c.name for c in table.columns])
    for row in table.rows():
        data.append(safe_row(row))
    codebook = book.create_sheet("Codebook")
    codebook.append(CODEBOOK_HEADER)
    for row in codebook_rows(table):
        codebook.append(safe_row(row))
    notes = book.create_sheet("Notes")
    for what, value in table.notes:
        notes.append(safe_row([what, value]))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def frame(table: Table) -> tuple["pd.DataFrame", dict[str, dict[int | float, str]]]:
    """The table as SPSS/Stata see it: coded columns as integers with value labels."""
    columns: dict[str, Any] = {}
    value_labels: dict[str, dict[int | float, str]] = {}
    by_column: list[list[Any]] = [[] for _ in table.columns]
    for row in table.rows():
        for values, value in zip(by_column, row, strict=True):
            values.append(value)
    for column, values in zip(table.columns, by_column, strict=True):
        if column.kind == "coded":
            numbers = _numbering(column)
            columns[column.name] = pd.array([numbers.get(v) for v in values], dtype="Int64")
            value_labels[column.name] = {numbers[c]: label for c, label in column.values.items()}
        elif column.kind == "integer":
            columns[column.name] = pd.array(values, dtype="Int64")
        elif column.kind == "number":
            columns[column.name] = pd.array(
                [float("nan") if v is None else float(v) for v in values], dtype="float64"
            )
        else:
            columns[column.name] = pd.array(["" if v is None else str(v) for v in values])
    return pd.DataFrame(columns), value_labels


def _via_file(write: Any, suffix: str, **kwargs: Any) -> bytes:
    handle, path = tempfile.mkstemp(suffix=suffix)
    os.close(handle)
    try:
        write(dst_path=path, **kwargs)
        with open(path, "rb") as f:
            return f.read()
    finally:
        os.unlink(path)


def _label(table: Table, limit: int) -> str:
    notes = dict(table.notes)
    return f"Baby Steps participants {notes['exported at']} {notes['software']}"[:limit]


def to_sav(table: Table) -> bytes:
    df, value_labels = frame(table)
    return _via_file(
        pyreadstat.write_sav,
        ".sav",
        df=df,
        file_label=_label(table, 64),
        column_labels={c.name: c.label for c in table.columns},
        variable_value_labels=value_labels,
        # SPSS documents are lines of at most 80 characters.
        note=[
            line
            for what, value in table.notes
            for line in textwrap.wrap(f"{what}: {value}", 80, subsequent_indent="  ")
        ],
    )


def to_dta(table: Table) -> bytes:
    df, value_labels = frame(table)
    return _via_file(
        pyreadstat.write_dta,
        ".dta",
        df=df,
        file_label=_label(table, 80),
        column_labels={c.name: c.label[:80] for c in table.columns},
        variable_value_labels=value_labels,
    )


WRITERS = {"csv": to_csv, "xlsx": to_xlsx, "sav": to_sav, "dta": to_dta}
