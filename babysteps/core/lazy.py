"""Modules loaded when first used, not when the app starts.

The evaluation's statistics libraries (scipy, statsmodels, pandas, pyreadstat) are about
150 MB of memory and 2.5 s of start-up: every web process, task worker and command
loaded them at ``django.setup()``, although only the evaluation's pages and files use
them. ``lazy("pandas")`` stands for the module and imports it on the first attribute
read; the import itself is Python's own (thread-safe, so two threads of a gthread worker
may both be first). Modules write, for the type checker and the reader::

    if TYPE_CHECKING:
        import pandas as pd
    else:
        pd = lazy("pandas")
"""

import importlib
import threading
from types import ModuleType
from typing import Any


class LazyModule:
    """The module called ``name``, imported on first use."""

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None
        self._lock = threading.Lock()

    def _load(self) -> ModuleType:
        module = self._module
        if module is None:
            with self._lock:
                if self._module is None:
                    self._module = importlib.import_module(self._name)
                module = self._module
        return module

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._load(), attribute)

    @property
    def loaded(self) -> bool:
        return self._module is not None

    def __repr__(self) -> str:
        state = "loaded" if self._module is not None else "not loaded yet"
        return f"<lazy module {self._name!r}, {state}>"


def lazy(name: str) -> Any:
    return LazyModule(name)
