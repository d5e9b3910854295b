"""``export_participants``: the pseudonymised participant file in CSV, XLSX, SPSS and Stata,
read back with the tools evaluators use (pyreadstat, openpyxl, csv), with the same values,
variable labels and value labels; formula-looking text stays text."""

import csv
import io

import numpy as np
import pandas as pd
import pyreadstat
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from babysteps.audit.models import Action, AuditEvent
from babysteps.evaluation import selectors, statfiles
from babysteps.evaluation.participants import participant_table
from babysteps.licensing.models import Site
from babysteps.measures.models import Administration
from tests.evaluation.helpers import attended, completers

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://example.org","x")'
FIXED = [
    "pseudonym",
    "family_pseudonym",
    "parent_role",
    "site",
    "cohort",
    "instrument",
    "timepoint",
    "total",
    "planned_mode",
    "delivered_mode",
    "remote_share",
    "components_received",
]


@pytest.fixture
def families(cast):
    Site.objects.filter(pk=cast.site_a.pk).update(name=FORMULA)
    made = completers(cast, cast.cohort_a, [(14, 9), (12, 10), (8, None)])
    attended(cast.cohort_a, made, ["phone"] * 4 + ["group"], by=cast.admin)
    return made


def _export(tmp_path, fmt: str, *filters: str):
    output = tmp_path / f"participants.{fmt}"
    call_command("export_participants", "--format", fmt, "--output", str(output), *filters)
    return output


def _table():
    return participant_table(selectors.Filters(), site_ids=None)


def test_the_csv_has_the_fixed_columns_and_a_codebook_and_notes(families, tmp_path):
    output = _export(tmp_path, "csv", "--delivery-mode", "remote")
    rows = list(csv.DictReader(io.StringIO(output.read_text())))
    assert set(FIXED) <= set(rows[0])
    assert len(rows) == 5  # 3 pre, 2 post
    assert {r["delivered_mode"] for r in rows} == {"remote"}
    assert {r["remote_share"] for r in rows} == {"0.8"}
    assert {r["components_received"] for r in rows} == {"5"}
    assert {r["site"] for r in rows} == {"'" + FORMULA}  # inert in a spreadsheet
    first = rows[0]
    assert first["item_1_position"] != "" and first["item_1_score"] != ""
    codebook = list(
        csv.DictReader(io.StringIO((tmp_path / "participants.codebook.csv").read_text()))
    )
    described = {r["column"] for r in codebook}
    assert set(rows[0]) == described
    notes = (tmp_path / "participants.notes.txt").read_text()
    assert "filter: delivery_mode: remote" in notes and "software: babysteps" in notes
    assert "exported at:" in notes
    event = AuditEvent.objects.get(action=Action.EXPORT, reason="participant file")
    assert event.detail["rows"] == 5 and event.detail["filters"] == {"delivery_mode": "remote"}


@pytest.mark.parametrize("fmt", ["sav", "dta"])
def test_spss_and_stata_files_read_back_with_values_and_labels(families, tmp_path, fmt):
    output = _export(tmp_path, fmt)
    read = pyreadstat.read_sav if fmt == "sav" else pyreadstat.read_dta
    df, meta = read(str(output))
    table = _table()
    expected, value_labels = statfiles.frame(table)

    assert list(df.columns) == [c.name for c in table.columns]
    labels = {c.name: (c.label if fmt == "sav" else c.label[:80]) for c in table.columns}
    assert meta.column_names_to_labels == labels
    for name, mapping in value_labels.items():
        assert meta.variable_value_labels[name] == {float(k): v for k, v in mapping.items()}
    assert meta.variable_value_labels["timepoint"][1.0] == "Pre (baseline)"
    for column in table.columns:
        got, want = df[column.name], expected[column.name]
        if column.kind == "text":
            assert list(got) == list(want), column.name
        else:
            assert np.allclose(
                got.astype(float), pd.to_numeric(want).astype(float), equal_nan=True
            ), column.name
    assert set(df["site"]) == {FORMULA}  # text stays text, exactly
    assert "Baby Steps participants" in meta.file_label


def test_the_xlsx_has_data_codebook_and_notes_sheets_with_inert_text(families, tmp_path):
    book = load_workbook(_export(tmp_path, "xlsx"))
    assert book.sheetnames == ["Participants", "Codebook", "Notes"]
    sheet = book["Participants"]
    header = [c.value for c in sheet[1]]
    site = sheet.cell(row=2, column=header.index("site") + 1)
    assert site.data_type == "s" and site.value == "'" + FORMULA
    total = sheet.cell(row=2, column=header.index("total") + 1).value
    assert isinstance(total, float | int) and round(total, 2) == total
    assert [r[0].value for r in book["Codebook"].iter_rows(min_row=2)] == header


def test_wrong_options_are_refused_clearly(families, tmp_path):
    with pytest.raises(CommandError, match=r"should end in \.sav"):
        call_command("export_participants", "--format", "sav", "--output", str(tmp_path / "x.csv"))
    with pytest.raises(CommandError, match="does not exist"):
        call_command("export_participants", "--format", "csv", "--output", "/nope/x.csv")
    with pytest.raises(CommandError):
        call_command("export_participants", "--format", "pdf", "--output", "x.pdf")
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "sav", "dta"])
def test_the_page_offers_every_format_to_evaluators_only(families, cast, client_for, fmt):
    url = reverse(f"evaluation:labelled_{fmt}")
    response = client_for(cast.evaluator).get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    assert f".{fmt}" in response["Content-Disposition"]
    assert len(response.getvalue()) > 100
    assert client_for(cast.manager_a).get(url).status_code == 403
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail__file=f"participants.{fmt}")


def test_the_codebook_describes_every_column(families, cast, client_for):
    response = client_for(cast.evaluator).get(reverse("evaluation:codebook_csv"))
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["column"] for r in rows] == [c.name for c in _table().columns]
    assert any("SPSS/Stata 1" in r["values"] for r in rows)


@pytest.mark.parametrize("name", ["evaluation:participants_csv", "evaluation:labelled_csv"])
def test_the_csv_downloads_stream_their_header_before_reading_any_row(
    families, cast, client_for, name
):
    response = client_for(cast.evaluator).get(reverse(name))
    assert response.streaming and response["Cache-Control"] == "no-store"
    assert response["X-Accel-Buffering"] == "no"
    chunks = iter(response.streaming_content)
    with CaptureQueriesContext(connection) as before_rows:
        header = next(chunks).decode()
    assert before_rows.captured_queries == []  # the header needs the questionnaires only
    rows = list(csv.DictReader(io.StringIO(header + b"".join(chunks).decode())))
    assert len(rows) == 5  # 3 pre, 2 post
    assert rows[0]["site"] == "'" + FORMULA


def test_answers_are_read_in_one_query_a_chunk_at_a_time_with_the_same_rows(families, monkeypatch):
    whole = [list(r) for r in _table().rows()]
    monkeypatch.setattr(selectors, "ITEM_CHUNK", 2)
    table = _table()
    data = table.data
    with CaptureQueriesContext(connection) as reads:
        chunked = [list(r) for r in table.rows()]
    assert chunked == whole and len(whole) == len(data.rows) == 5
    assert len(reads.captured_queries) == 1  # not one per chunk


@pytest.mark.parametrize("band", ["elevated", "not_elevated"])
def test_the_answers_stay_beside_their_rows_when_filters_leave_rows_out(families, band):
    """The answers are read without the filters applied in numpy (the baseline band
    keeps some participants' rows only): each row still gets its own answers."""
    table = participant_table(selectors.Filters(baseline_band=band), site_ids=None)
    pks = [row[selectors.F["pk"]] for row in table.data.rows]
    assert 0 < len(pks) < Administration.objects.count()
    answers = dict(Administration.objects.values_list("pk", "answers"))
    names = [c.name for c in table.columns]
    positions = [n for n, name in enumerate(names) if name.endswith("_position")]
    made = [[row[n] for n in positions] for row in table.rows()]
    expected = [answers[pk] + [None] * (len(positions) - len(answers[pk])) for pk in pks]
    assert made == expected and len({tuple(a) for a in answers.values()}) > 1


def test_a_row_gone_while_the_file_is_written_is_left_out(families, cast):
    whole = [list(r) for r in _table().rows()]
    table = _table()
    gone = table.data.rows[0][selectors.F["pk"]]  # read before the family is erased
    Administration.objects.filter(pk=gone).delete()
    assert [list(r) for r in table.rows()] == whole[1:]


@pytest.mark.parametrize(
    "name", ["evaluation:participants_csv", "evaluation:labelled_csv", "evaluation:figures_csv"]
)
def test_a_download_with_wrong_filters_is_refused_and_not_audited(families, cast, client_for, name):
    response = client_for(cast.evaluator).get(
        reverse(name), {"date_from": "not a date", "delivery_mode": "by pigeon"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "nothing was exported" in text and "date" in text.lower()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
