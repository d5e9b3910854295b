"""OWASP's rule for spreadsheet cells: text that a spreadsheet would run as a formula is
made inert; numbers (a negative change) stay numbers."""

import io

import pytest

from babysteps.core.spreadsheets import SafeCsvWriter, csv_chunks, safe_cell


@pytest.mark.parametrize(
    "text", ['=HYPERLINK("http://evil","click")', "+1+1", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"]
)
def test_formula_looking_text_gets_an_apostrophe(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("value", ["Cohort A", "", 3, -3.5, "-3.5", "+44", None, "a=b"])
def test_other_values_are_unchanged(value):
    """Text that is a number ("-3.5", "+44") is read as that number, never run."""
    assert safe_cell(value) == value


def test_the_csv_writer_applies_it_to_every_cell():
    out = io.StringIO()
    SafeCsvWriter(out).writerow(["=1+2", "-4", "ok"])
    assert out.getvalue().strip() == "'=1+2,-4,ok"


def test_csv_chunks_send_the_header_first_then_rows_a_chunk_at_a_time():
    made = []

    def rows():
        for n in range(5):
            made.append(n)
            yield [f"=row{n}", n]

    chunks = csv_chunks(["name", "n"], rows(), rows_per_chunk=2)
    assert next(chunks) == b"name,n\r\n"
    assert made == []  # no row made before the header left
    assert next(chunks) == b"'=row0,0\r\n'=row1,1\r\n"
    assert made == [0, 1]  # one chunk made at a time
    assert list(chunks) == [b"'=row2,2\r\n'=row3,3\r\n", b"'=row4,4\r\n"]


def test_csv_chunks_of_no_rows_are_the_header_alone():
    assert list(csv_chunks(["a"], [])) == [b"a\r\n"]
