"""The fixed command interfaces: ``score`` and ``load_instruments``/``rescore``."""

import json
from pathlib import Path

import pytest
from django.core.management import call_command, execute_from_command_line

from babysteps.measures.models import Administration, Instrument
from tests.measures.helpers import EPDS_ALL_ZERO, record

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _keep_the_test_connection(monkeypatch):
    """run_from_argv closes every connection when it ends, which would end the test's
    transaction on PostgreSQL."""
    monkeypatch.setattr("django.core.management.base.connections.close_all", lambda: None)


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run a command as the shell would (exit code, stdout, stderr)."""
    code = 0
    try:
        execute_from_command_line(["manage.py", *argv])
    except SystemExit as exit_:
        code = exit_.code or 0
    out = capsys.readouterr()
    return code, out.out, out.err


def test_score_prints_the_scores_as_json(capsys, instruments):
    code, out, _ = run(capsys, "score", "epds", "0,1,2,3,0,1,2,3,0,2")
    result = json.loads(out)
    assert code == 0
    assert result["instrument"] == "epds"
    assert result["item_scores"] == [0, 1, 1, 3, 3, 2, 1, 0, 3, 1]
    assert result["total"] == 15 and result["band"] == "probable_depression"
    assert result["safety_flag"] is True and result["subscales"] == {"epds3a": 7}


def test_score_gives_the_swemwbs_metric_beside_the_raw_total(capsys, instruments):
    _, out, _ = run(capsys, "score", "swemwbs", "4,4,4,4,4,4,3")
    result = json.loads(out)
    assert result["raw_total"] == 34 and result["total"] == 32.55 and result["safety_flag"] is False


@pytest.mark.parametrize(
    "argv",
    [
        ("score", "epds", "0,1,2"),
        ("score", "epds", "0,1,2,3,0,1,2,3,0,4"),
        ("score", "epds", "0,1,2,3,0,1,2,3,0,x"),
        ("score", "epds", "0,1,2,3,0,1,2,3,0,-1"),
        ("score", "epds", "0,1,2,3,0,1,2,3,0,"),
        ("score", "nosuch", "1,2"),
    ],
)
def test_bad_input_is_one_line_on_stderr_and_exit_code_2(capsys, instruments, argv):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


def test_load_instruments_adds_a_definition_file(tmp_path: Path, instruments, capsys):
    definition = tmp_path / "rses.yaml"
    definition.write_text(
        """
code: rses
name: Rosenberg Self-Esteem Scale
version: 1
direction: higher_is_better
licence: Public domain (Rosenberg 1965).
options: [Strongly agree, Agree, Disagree, Strongly disagree]
items:
  - {label: Satisfied with myself, keying: reverse}
  - {label: No good at all, keying: forward}
total: {min: 0, max: 6}
reliable_change: {retest_r: 0.85}
"""
    )
    call_command("load_instruments", "--file", str(definition))
    capsys.readouterr()
    assert Instrument.objects.get(code="rses").spec.items[0].keying == "reverse"
    code, out, _ = run(capsys, "score", "rses", "0,0")
    assert json.loads(out)["total"] == 3
    definition.write_text("code: broken\n")
    code, _, err = run(capsys, "load_instruments", "--file", str(definition))
    assert code == 2 and "Traceback" not in err


def test_load_instruments_reads_the_licensed_wording_file(tmp_path: Path, instruments, settings):
    wording = tmp_path / "wording.yaml"
    items = "\n".join(
        f"    - {{text: 'Licensed item {n}', options: [A, B, C, D]}}" for n in range(1, 11)
    )
    wording.write_text(f"epds:\n  stem: 'Licensed stem'\n  items:\n{items}\n")
    settings.MEASURES_WORDING_FILE = str(wording)
    call_command("load_instruments")
    assert Instrument.objects.get(code="epds").wording["items"][9]["text"] == "Licensed item 10"


def test_rescore_command(cast, capsys):
    record(cast.family_a, cast.midwife_a, answers=EPDS_ALL_ZERO)
    Administration.objects.update(total=99, scoring_version=0)
    code, out, _ = run(capsys, "rescore", "epds")
    assert code == 0 and "1 changed" in out
    assert Administration.objects.get().total == 0
