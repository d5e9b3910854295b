from io import StringIO

import pytest
from django.core.management import call_command

from babysteps.core.periodic import jobs

pytestmark = pytest.mark.django_db


def test_the_foundation_registers_its_sweepers():
    assert {"deliver due messages", "licence renewals and expiry"} <= set(jobs())


def test_run_periodic_runs_every_job_once_and_survives_a_failing_one(monkeypatch, cast):
    calls: list[str] = []

    def failing(now):
        calls.append("failing")
        raise RuntimeError("boom")

    from babysteps.core import periodic

    monkeypatch.setitem(periodic._jobs, "a failing job", failing)
    call_command("run_periodic", stdout=StringIO())
    assert calls == ["failing"]
