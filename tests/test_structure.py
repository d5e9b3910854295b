"""The codebase's own rules, checked: no module over 400 lines without a reason on its first
line, no import inside a function except where an app registers itself when ready, and no
function that translates with ``_()`` while using ``_`` as a throwaway name."""

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


def _own_nodes(scope: ast.AST):
    """The nodes of a function or module, not of the functions and classes inside it."""
    stack = list(ast.iter_child_nodes(scope))
    while stack:
        node = stack.pop()
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda | ast.ClassDef):
            continue
        yield node
        stack.extend(ast.iter_child_nodes(node))


def _shadowed_gettext(source: str) -> list[str]:
    tree = ast.parse(source)
    scopes = [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]
    found = []
    for scope in scopes:
        assigns_ = any(
            isinstance(n, ast.Name) and n.id == "_" and isinstance(n.ctx, ast.Store)
            for n in _own_nodes(scope)
        )
        calls_ = any(
            isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id == "_"
            for n in ast.walk(scope)
        )
        if assigns_ and calls_:
            found.append(getattr(scope, "name", "<module>"))
    return found


def test_the_shadowing_check_finds_a_throwaway_underscore():
    assert _shadowed_gettext("def f():\n    for _ in x:\n        pass\n    return _('a')\n") == [
        "f"
    ]
    assert _shadowed_gettext("def f():\n    a, _b = g()\n    return _('a')\n") == []


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_function_shadows_the_translation_function(path):
    """``for _ in ...`` or ``obj, _ = ...`` in a function that calls ``_("...")`` makes the
    call fail (or, before the assignment, an UnboundLocalError): use ``_created`` etc."""
    assert _shadowed_gettext(path.read_text()) == []
