"""``manage.py evaluate``: the fixed interface over a CSV file, and the database mode."""

import json
from pathlib import Path

import numpy as np
import pytest
from django.core.management import execute_from_command_line

from babysteps.evaluation import statistics
from tests.evaluation.helpers import completers

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """run_from_argv closes every connection when it ends, which would end the test's
    transaction on PostgreSQL."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = 0
    try:
        execute_from_command_line(["manage.py", *argv])
    except SystemExit as exit_:
        code = exit_.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def _write(tmp_path: Path, text: str) -> str:
    path = tmp_path / "totals.csv"
    path.write_text(text)
    return str(path)


def test_a_file_is_evaluated_per_instrument_with_the_figures_named_exactly(
    tmp_path, capsys, instruments
):
    rng = np.random.default_rng(3)
    lines = ["participant,instrument,timepoint,total,group"]
    pre, post = rng.integers(0, 31, 30), rng.integers(0, 31, 30)
    for i in range(30):
        group = "remote" if i % 2 else "group"
        lines += [f"p{i},epds,pre,{pre[i]},{group}", f"p{i},epds,post,{post[i]},{group}"]
        lines += [f"p{i},gad7,pre,{pre[i] % 22},{group}"]
    code, out, _ = run(
        capsys, "evaluate", "--input", _write(tmp_path, "\n".join(lines)), "--format", "json"
    )
    rows = json.loads(out)
    assert code == 0 and [r["instrument"] for r in rows] == ["epds", "gad7"]
    for row in rows:
        assert set(statistics.FIGURES) <= set(row)
    epds = rows[0]
    expected = statistics.measure_figures(
        pre.astype(float), post.astype(float), statistics.Rules("epds", True, 4, None, 13)
    )
    for name in statistics.FIGURES:
        assert (
            epds[name] == pytest.approx(expected[name])
            if expected[name] is not None
            else epds[name] is None
        )
    assert rows[1]["n_pairs"] == 0 and rows[1]["n_pre_only"] == 30
    code, out, _ = run(
        capsys,
        "evaluate",
        "--input",
        str(tmp_path / "totals.csv"),
        "--group-by",
        "group",
        "--format",
        "json",
    )
    grouped = json.loads(out)
    assert [(r["instrument"], r["group"]) for r in grouped] == [
        ("epds", "group"),
        ("epds", "remote"),
        ("gad7", "group"),
        ("gad7", "remote"),
    ]
    assert grouped[0]["n_pairs"] + grouped[1]["n_pairs"] == 30


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("participant,instrument,total\na,epds,3\n", "line 1"),
        ("participant,instrument,timepoint,total\na,epds,pre,3\na,epds,post,three\n", "line 3"),
        ("participant,instrument,timepoint,total\na,epds,pre,3\na,epds,later,4\n", "line 3"),
        ("participant,instrument,timepoint,total\na,nosuch,pre,3\n", "line 2"),
        (
            "participant,instrument,timepoint,total\na,epds,pre,3\nb,epds,pre,4\na,epds,pre,5\n",
            "line 4",
        ),
        ("participant,instrument,timepoint,total\na,epds,pre,nan\n", "line 2"),
    ],
)
def test_a_malformed_file_names_the_line_and_exits_2(tmp_path, capsys, instruments, text, line):
    code, out, err = run(capsys, "evaluate", "--input", _write(tmp_path, text), "--format", "json")
    assert code == 2 and out == ""
    assert line in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_a_missing_group_column_is_an_error(tmp_path, capsys, instruments):
    path = _write(tmp_path, "participant,instrument,timepoint,total\na,epds,pre,3\n")
    code, _, err = run(
        capsys, "evaluate", "--input", path, "--group-by", "cohort", "--format", "json"
    )
    assert code == 2 and "cohort" in err


def test_database_mode_uses_the_page_filters_and_suppresses(cast, capsys):
    completers(cast, cast.cohort_a, [(14, 8), (12, 9), (9, 9), (16, 10), (11, 12), (8, 5)])
    completers(cast, cast.cohort_b, [(14, 8), (12, 9)])
    code, out, _ = run(capsys, "evaluate", "--format", "json")
    epds = next(r for r in json.loads(out) if r["instrument"] == "epds")
    assert code == 0 and epds["n_pairs"] == 8
    _, out, _ = run(capsys, "evaluate", "--format", "json", "--site", str(cast.site_b.pk))
    epds = next(r for r in json.loads(out) if r["instrument"] == "epds")
    assert epds["suppressed"] is True and epds["n_pairs"] is None
    _, out, _ = run(capsys, "evaluate", "--format", "json", "--group-by", "site")
    groups = {r["group"]: r["n_pairs"] for r in json.loads(out) if r["instrument"] == "epds"}
    assert groups == {"Site A": 6, "Site B": None}


def test_csv_output(tmp_path, capsys, instruments):
    text = "participant,instrument,timepoint,total\n" + "".join(
        f"p{i},gad7,pre,{10 + i}\np{i},gad7,post,{8 + i % 3}\n" for i in range(6)
    )
    code, out, _ = run(capsys, "evaluate", "--input", _write(tmp_path, text), "--format", "csv")
    lines = out.strip().splitlines()
    assert (
        code == 0
        and lines[0].startswith("instrument,group,n_pairs")
        and lines[1].startswith("gad7,,6,")
    )
