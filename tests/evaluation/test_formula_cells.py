"""A name typed by staff (a cohort, a site) can begin like a formula: in every export it
arrives as text, never as a live formula."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from babysteps.cohorts.models import Cohort
from babysteps.licensing.models import Site
from tests.evaluation.helpers import completers
from tests.evaluation.test_command import run

pytestmark = pytest.mark.django_db
EVIL = '=HYPERLINK("http://evil.example","Open")'
PAIRS = [(14, 8), (12, 9), (9, 9), (16, 10), (11, 12), (8, 5)]


@pytest.fixture
def renamed(cast):
    completers(cast, cast.cohort_a, PAIRS)
    Cohort.objects.filter(pk=cast.cohort_a.pk).update(name=EVIL)
    Site.objects.filter(pk=cast.site_a.pk).update(name=EVIL)


def test_figures_csv(renamed, client_for, cast):
    response = client_for(cast.evaluator).get(
        reverse("evaluation:figures_csv"), {"group_by": "cohort"}
    )
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    groups = [r["group"] for r in rows]
    assert "'" + EVIL in groups and EVIL not in groups


def test_figures_xlsx(renamed, client_for, cast):
    response = client_for(cast.evaluator).get(
        reverse("evaluation:figures_xlsx"), {"group_by": "cohort"}
    )
    sheet = load_workbook(io.BytesIO(response.content))["Figures"]
    cells = [c for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    evil = [c for c in cells if EVIL in c.value]
    assert evil and all(c.value == "'" + EVIL and c.data_type == "s" for c in evil)


def test_participant_file(renamed, client_for, cast):
    response = client_for(cast.evaluator).get(reverse("evaluation:participants_csv"))
    rows = list(csv.DictReader(io.StringIO(response.getvalue().decode())))
    assert {r["site"] for r in rows} == {"'" + EVIL}


def test_the_evaluate_command_csv(renamed, capsys):
    code, out, _ = run(capsys, "evaluate", "--format", "csv", "--group-by", "site")
    assert code == 0
    assert "'" + EVIL.replace('"', '""') in out and f",{EVIL}" not in out
