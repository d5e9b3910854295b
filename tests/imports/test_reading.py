"""Reading CSV and XLSX: pure, no database."""

import io
from datetime import datetime

import openpyxl
import pytest

from babysteps.imports import reading


def test_csv_rows_keep_their_line_numbers_and_skip_blank_lines():
    content = "\ufeffMother_First_Name ,postcode\nAisha,FY1 4AB\n,\n\nBeth , LS9 6HZ\n".encode()
    sheet = reading.read(content, "families.csv")
    assert sheet.columns == ["mother_first_name", "postcode"]
    assert sheet.rows == [
        (2, {"mother_first_name": "Aisha", "postcode": "FY1 4AB"}),
        (5, {"mother_first_name": "Beth", "postcode": "LS9 6HZ"}),
    ]


def test_xlsx_dates_and_numbers_become_text():
    book = openpyxl.Workbook()
    book.active.append(["estimated_due_date", "mother_nhs_number", "mother_first_name"])
    book.active.append([datetime(2027, 3, 14), 9434765919, "Aisha"])
    out = io.BytesIO()
    book.save(out)
    sheet = reading.read(out.getvalue(), "families.xlsx")
    assert sheet.rows == [
        (
            2,
            {
                "estimated_due_date": "2027-03-14",
                "mother_nhs_number": "9434765919",
                "mother_first_name": "Aisha",
            },
        )
    ]


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"", "a.csv", "empty"),
        ("mother_first_name\nZo\xeb\n".encode("latin-1"), "a.csv", "not UTF-8"),
        (b"PK\x03\x04not really a zip", "a.xlsx", "cannot be opened"),
        (b"x", "a.pdf", "Upload a .csv or .xlsx"),
        (b"x" * (reading.MAX_BYTES + 1), "a.csv", "over 5 MB"),
    ],
)
def test_unreadable_files_say_why(content, name, message):
    with pytest.raises(reading.UnreadableFile, match=message):
        reading.read(content, name)


def test_a_workbook_longer_than_a_caseload_is_refused_while_reading():
    book = openpyxl.Workbook()
    for n in range(reading.MAX_LINES + 5):
        book.active.append([f"row {n}"])
    out = io.BytesIO()
    book.save(out)
    with pytest.raises(reading.UnreadableFile, match="too long"):
        reading.read(out.getvalue(), "long.xlsx")
