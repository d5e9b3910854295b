"""Workers that survive their own failures (issue 14, item 3), with real processes.

A task worker killed with SIGKILL mid-batch, at each point of sending a text, leaves
every message sent exactly once or reported as "unknown" once the periodic sweepers have
run and a fresh worker has emptied the queue; with a provider that refuses a repeated
reference, every message is sent exactly once. On PostgreSQL, a worker whose database
connection is cut carries on. Each runs against a database of its own (migrated once for
the module), SQLite's file or a fresh PostgreSQL database."""

import json
import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
HARNESS = "tests.core.worker_harness"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")
SERVER = os.environ.get("DATABASE_URL", "").rsplit("/", 1)[0]


@pytest.fixture(scope="module")
def worker_env(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    folder = tmp_path_factory.mktemp("worker")
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE",)}
    env.update(BABYSTEPS_VAR_DIR=str(folder), CACHE_URL="locmemcache://")
    name = ""
    if ON_POSTGRES:
        name = f"babysteps_worker_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        env["DATABASE_URL"] = f"{SERVER}/{name}?application_name=babysteps-test-worker"
        # The connection pool waits this long for a connection before the worker hears of
        # the outage (its default, 10 s, would hide a short one from the worker entirely).
        env["DATABASE_POOL_TIMEOUT"] = "1"
    else:
        env.pop("DATABASE_URL", None)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    yield env
    if name:
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def harness(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-m", HARNESS, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=check,
    )


def report(env: dict[str, str]) -> dict:
    return json.loads(harness(env, "report").stdout)


def scenario_env(worker_env: dict[str, str], tmp_path: Path, *, deduplicating: bool) -> dict:
    backend = "DeduplicatingFileSmsBackend" if deduplicating else "FileSmsBackend"
    return {
        **worker_env,
        "SMS_BACKEND": f"{HARNESS}.{backend}",
        "SMS_OUTBOX_FILE": str(tmp_path / "outbox.txt"),
    }


@pytest.mark.parametrize(
    ("mode", "point", "deduplicating", "expected_for_the_killed_one"),
    [
        # Claimed, never sent: reported as unknown (nothing reached the family).
        ("each", "before-send", False, ("unknown", 0)),
        # The provider has it, the worker died before marking it: unknown, never sent again.
        ("each", "after-send", False, ("unknown", 1)),
        # Marked sent, the task never finished: the task runs again and sends nothing.
        ("each", "after-mark", False, ("sent", 1)),
        # A provider that refuses a repeated reference: sent again, so exactly once.
        ("each", "before-send", True, ("sent", 1)),
        ("each", "after-send", True, ("sent", 1)),
        # One task for the batch: the same for the one being sent; the rest of its batch
        # (claimed, never handed over) go again. With a de-duplicating provider the killed
        # one is handled as with a task per message (above), so not repeated here.
        ("batch", "before-send", False, ("unknown", 0)),
        ("batch", "after-send", False, ("unknown", 1)),
        ("batch", "after-mark", False, ("sent", 1)),
    ],
)
def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    worker_env, tmp_path, point, deduplicating, expected_for_the_killed_one, mode
):
    """``each``: a task per text; ``batch``: one task claims the texts together (all six
    are in "sending" when it dies) and sends them in turn."""
    env = scenario_env(worker_env, tmp_path, deduplicating=deduplicating)
    killed = harness(env, "start", "6", point, "3", mode, check=False)
    assert killed.returncode == -9, killed.stderr  # SIGKILL: it died as it was told to

    before = report(env)
    assert before["messages"][2]["status"] == ("sent" if point == "after-mark" else "sending")
    assert "running" in {t.lower() for t in before["tasks"]}  # the dead worker's task
    not_reached = "sending" if mode == "batch" else "pending"
    assert [m["status"] for m in before["messages"][3:]] == [not_reached] * 3

    harness(env, "finish")
    after = report(env)
    outcomes = [(m["status"], m["provider_got"]) for m in after["messages"]]
    assert outcomes[2] == expected_for_the_killed_one
    expected_after = [("sent", 1)] * 3
    if mode == "batch" and point == "after-mark" and not deduplicating:
        # Nothing says whether the worker died before or while sending the next one of
        # its batch, so that one is reported, never guessed (the rest go again).
        expected_after[0] = ("unknown", 0)
    assert outcomes[:2] == [("sent", 1)] * 2
    assert outcomes[3:] == expected_after
    assert {t.lower() for t in after["tasks"]} == {"successful"}


@pytest.mark.skipif(not ON_POSTGRES, reason="a connection to cut: PostgreSQL only")
def test_a_worker_whose_database_connection_is_cut_carries_on(worker_env, tmp_path):
    env = scenario_env(worker_env, tmp_path, deduplicating=False)
    harness(env, "start", "1", "none", "0")  # a clean queue, one text sent
    worker = subprocess.Popen(  # noqa: S603 - our own code
        [sys.executable, "-m", HARNESS, "serve"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        name = env["DATABASE_URL"].rsplit("/", 1)[1].split("?")[0]
        with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
            # A restart as the worker sees it: its connection cut, and new ones refused for
            # a few seconds (a health check alone would reconnect at once).
            connected = 0
            for _attempt in range(200):
                connected = admin.execute(
                    "SELECT count(*) FROM pg_stat_activity WHERE datname = %s "
                    "AND application_name = 'babysteps-test-worker'",
                    [name],
                ).fetchone()[0]
                if connected:
                    break
                time.sleep(0.1)
            admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
            try:
                cut = admin.execute(
                    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                    "WHERE datname = %s AND application_name = 'babysteps-test-worker'",
                    [name],
                ).fetchone()[0]
                time.sleep(3)
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
        assert cut, "the worker never connected"
        harness(env, "enqueue", "2")
        for _attempt in range(100):
            statuses = [m["status"] for m in report(env)["messages"]]
            if statuses == ["sent"] * 3:
                break
            time.sleep(0.2)
        assert statuses == ["sent"] * 3
        assert worker.poll() is None, worker.stderr.read() if worker.stderr else ""
    finally:
        worker.terminate()
        _out, err = worker.communicate(timeout=30)
    assert "lost the database (OperationalError)" in err
