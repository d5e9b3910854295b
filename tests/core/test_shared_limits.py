"""Rate limits hold across processes: with the default settings (the database cache) two
worker processes asking at once for a portal sign-in code for one address get 3 through,
not 3 each."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parents[2]
ASK = """
import django, os, sys
os.environ["DJANGO_SETTINGS_MODULE"] = "babysteps.settings"
django.setup()
from django.conf import settings
from babysteps.core.ratelimit import hit
print(settings.CACHES["default"]["BACKEND"], file=sys.stderr)
allowed = sum(
    hit("request-address", "parent@example.test", limit=settings.PORTAL_REQUESTS_PER_ADDRESS,
        window_seconds=900)
    for _ in range(6)
)
print(allowed)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("CACHE_URL", "DJANGO_SETTINGS_MODULE")}
    env["BABYSTEPS_VAR_DIR"] = str(tmp_path)
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        env.setdefault("DATABASE_URL", os.environ.get("DATABASE_URL", ""))
    else:
        env.pop("DATABASE_URL", None)
    return env


def test_a_limit_of_three_lets_three_through_across_two_processes(tmp_path):
    env = _env(tmp_path)
    if env.get("DATABASE_URL"):
        pytest.skip("run on the SQLite file of a fresh var folder (one shared database)")
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=ROOT,
        env=env,
        check=True,
    )
    workers = [
        subprocess.Popen(  # noqa: S603 - our own code
            [sys.executable, "-c", ASK],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
            stderr=subprocess.PIPE,
        )
        for _ in range(2)
    ]
    outputs = [worker.communicate(timeout=120) for worker in workers]
    assert all("DatabaseCache" in err for _, err in outputs), outputs
    assert sum(int(out.strip()) for out, _ in outputs) == 3


def test_production_refuses_a_per_process_cache(tmp_path):
    env = {
        **_env(tmp_path),
        "DJANGO_ENV": "production",
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "babysteps.example",
        "CACHE_URL": "locmemcache://",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode != 0
    assert "per-process cache" in result.stderr
