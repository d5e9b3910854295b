"""OWASP's rule for spreadsheet cells: text that a spreadsheet would run as a formula is
made inert; numbers (a negative change) stay numbers."""

import io

import pytest

from babysteps.core.spreadsheets import SafeCsvWriter, safe_cell


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
