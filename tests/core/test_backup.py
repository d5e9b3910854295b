"""Backups that restore: the demo with its video files is backed up, verified, restored
into an empty database and media folder (on the engine the suite runs on: SQLite, or
PostgreSQL in CI's second pass), and the restored demo serves its videos; a tampered
backup fails its check, and a non-empty database is refused."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent.parent
PROBE = Path(__file__).with_name("backup_probe.py")


def _manage(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True
    )
    if ok:
        assert result.returncode == 0, result.stderr[-2000:]
    return result


class Databases:
    """Fresh databases of the engine the suite runs on, dropped afterwards."""

    def __init__(self, tmp: Path) -> None:
        self.tmp, self.made = tmp, []
        self.postgresql = settings.DATABASES["default"]["ENGINE"].endswith("postgresql")

    def url(self, name: str) -> str:
        if not self.postgresql:
            return f"sqlite:///{self.tmp / name}.sqlite3"
        db = settings.DATABASES["default"]
        host, port, user = db["HOST"] or "127.0.0.1", db["PORT"] or 5432, db["USER"] or "postgres"
        server = f"postgres://{user}@{host}:{port}"
        database = f"bs_backup_{name}_{uuid.uuid4().hex[:8]}"
        self._psql(server, f"CREATE DATABASE {database}")
        self.made.append((server, database))
        return f"{server}/{database}"

    def _psql(self, server: str, sql: str) -> None:
        command = ["psql", f"{server}/postgres", "-qc", sql]
        subprocess.run(command, check=True, capture_output=True)  # noqa: S603 - psql

    def drop(self) -> None:
        for server, database in self.made:
            self._psql(server, f"DROP DATABASE IF EXISTS {database} WITH (FORCE)")


@pytest.fixture
def databases(tmp_path):
    made = Databases(tmp_path)
    yield made
    made.drop()


def _env(url: str, media: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "babysteps.test_settings",
        "DATABASE_URL": url,
        "MEDIA_ROOT": str(media),
        "BABYSTEPS_TEST_NOW": "",
        "ALLOWED_HOSTS": "testserver",  # the probe's test client
    }


def test_a_backup_verifies_restores_into_an_empty_database_and_serves_its_videos(
    tmp_path, databases
):
    source = _env(databases.url("source"), tmp_path / "media-source")
    _manage(source, "migrate", "--noinput", "-v", "0")
    _manage(source, "demo", "--quiet")
    backup = tmp_path / "backup"
    out = _manage(source, "backup", "--output", str(backup)).stdout
    assert "Backed up to" in out
    manifest = json.loads((backup / "manifest.json").read_text())
    assert manifest["tables"]["families_family"] > 0
    videos = [name for name in manifest["media"] if name.endswith(".webm")]
    assert videos, manifest["media"]
    assert "The backup verifies" in _manage(source, "backup", "--verify", str(backup)).stdout

    # Into a new database and media folder: every count and checksum matches.
    target = _env(databases.url("target"), tmp_path / "media-target")
    out = _manage(target, "restore", "--input", str(backup)).stdout
    assert "Restored and verified" in out
    assert f"{sum(manifest['tables'].values())} rows" in out
    served = json.loads(_manage(target, "shell", "-c", PROBE.read_text()).stdout.splitlines()[-1])
    for name in videos:
        assert served[name] == [200, manifest["media"][name]["sha256"]], name

    # Restoring again over what is now there is refused.
    again = _manage(target, "restore", "--input", str(backup), ok=False)
    assert again.returncode != 0
    assert "is not empty" in again.stderr

    # A tampered or altered backup fails its check, naming what is wrong.
    tampered = tmp_path / "tampered"
    shutil.copytree(backup, tampered)
    video = next((tampered / "media").rglob("*.webm"))
    video.write_bytes(video.read_bytes() + b"x")
    result = _manage(source, "backup", "--verify", str(tampered), ok=False)
    assert result.returncode != 0
    assert f"media file {video.relative_to(tampered / 'media').as_posix()} does not match" in (
        result.stderr
    )

    manifest = json.loads((backup / "manifest.json").read_text())
    manifest["tables"]["families_family"] += 1
    (backup / "manifest.json").write_text(json.dumps(manifest))
    result = _manage(source, "backup", "--verify", str(backup), ok=False)
    assert "table families_family:" in result.stderr

    refused = _manage(source, "backup", "--output", str(backup), ok=False)
    assert "is not empty" in refused.stderr
