"""Safe cells for every CSV and XLSX the platform writes. Pure: no Django.

A spreadsheet treats a cell whose text begins with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return) as a formula: a cohort renamed ``=HYPERLINK(...)`` would arrive live in
an evaluator's file. OWASP's rule is applied to every text cell: such text gets a leading
apostrophe, which spreadsheets show as text. Numbers stay numbers (a negative change is
``-3.5``, not a formula).
"""

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any, Protocol

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def safe_cell(value: Any) -> Any:
    """The value, or (for text a spreadsheet would read as a formula) the text made inert."""
    if isinstance(value, str) and value.startswith(TRIGGERS) and not _is_number(value):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class _Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


class SafeCsvWriter:
    """``csv.writer`` whose every cell is made safe first."""

    def __init__(self, out: _Writable, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow(safe_row(row))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_chunks(
    header: list[str], rows: Iterable[Iterable[Any]], *, rows_per_chunk: int = 1000
) -> Iterator[bytes]:
    """A CSV (header, then safe rows) as UTF-8 chunks of ``rows_per_chunk`` rows, for a
    streamed download: the header goes first, before any row is made, and no more than a
    chunk is held at a time."""
    out = io.StringIO()
    writer = SafeCsvWriter(out)

    def taken() -> bytes:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text.encode()

    writer.writerow(header)
    yield taken()
    for n, row in enumerate(rows, start=1):
        writer.writerow(row)
        if n % rows_per_chunk == 0:
            yield taken()
    if out.tell():
        yield taken()
