"""The codebase's own rules, checked: no module over 400 lines without a reason on its first
line, and no import inside a function except where an app registers itself when ready."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent / "babysteps"
MODULES = sorted(p for p in ROOT.rglob("*.py") if "migrations" not in p.parts)


def test_long_modules_say_why_on_their_first_line():
    long = [
        str(p.relative_to(ROOT))
        for p in MODULES
        if len(p.read_text().splitlines()) > 400
        and not p.read_text().startswith("# Over 400 lines: ")
    ]
    assert long == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_imports_are_at_the_top(path):
    """Only ``AppConfig.ready`` imports inside a function: that is how an app's panels,
    periodic jobs and hooks register themselves (importing them earlier would load models
    before the registry is ready)."""
    tree = ast.parse(path.read_text())
    late = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        if path.name == "apps.py" and node.name == "ready":
            continue
        late += [
            f"{node.name}:{inner.lineno}"
            for inner in ast.walk(node)
            if isinstance(inner, ast.Import | ast.ImportFrom)
        ]
    assert late == []
