"""Heavy statistics libraries load when first used (core/lazy.py), not at start-up."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from babysteps.core.lazy import lazy

ROOT = Path(__file__).resolve().parents[2]
HEAVY = ("pandas", "scipy.stats", "statsmodels.api", "pyreadstat")


def test_a_lazy_module_is_imported_on_first_use_only():
    module = lazy("colorsys")
    assert not module.loaded
    assert "not loaded yet" in repr(module)
    assert module.rgb_to_hsv(1, 0, 0) == (0.0, 1.0, 1)
    assert module.loaded


def test_threads_first_at_once_all_get_the_module():
    module = lazy("json.decoder")
    got: list[object] = []
    threads = [threading.Thread(target=lambda: got.append(module.JSONDecoder)) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(got) == 8 and len(set(got)) == 1


def test_an_unknown_module_fails_when_used():
    module = lazy("no_such_module_here")
    with pytest.raises(ModuleNotFoundError, match="no_such_module_here"):
        module.anything  # noqa: B018 - the read is the test


def test_starting_the_app_and_its_urls_loads_no_statistics_library():
    """Every web process, worker and command paid ~150 MB and 2.5 s for them before."""
    code = (
        "import sys, django; django.setup(); "
        "from django.urls import get_resolver; get_resolver().url_patterns; "
        f"print(','.join(m for m in {HEAVY!r} if m in sys.modules))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "babysteps.test_settings"}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == ""
