"""Libraries nps-xl uses on some paths only, and may be missing where they have no build.

In xlwings Lite (Pyodide, WebAssembly) fastexcel has no build at all, and DuckDB, PyArrow and
python-calamine are missing from some Pyodide releases, so ``pyproject.toml`` requires them only
off ``sys_platform == "emscripten"`` (and in the ``engines`` extra everywhere). The core
(statistics, the Excel functions, the report writer, CSV files) needs none of them; a path that
does asks :func:`require`, which says in one line what to install::

    >>> installed("json")
    True
    >>> try:
    ...     require("no_such_module_here", "reading survey.xlsx")
    ... except MissingPackageError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    reading survey.xlsx needs no_such_module_here, which is not installed. Install it with: ...
"""

from __future__ import annotations

import importlib
from types import ModuleType

from nps_xl.errors import LocalizedError, Message

__all__ = ["EXTRA", "MissingPackageError", "installed", "require"]

#: The extra that installs every optional engine: ``pip install 'nps-xl[engines]'``.
EXTRA = "engines"

#: Import name → the name pip installs it by.
PACKAGES = {
    "python_calamine": "python-calamine",
    "fastexcel": "fastexcel",
    "duckdb": "duckdb",
    "pyarrow": "pyarrow",
    "pyspark": "pyspark",
}


class MissingPackageError(LocalizedError, ValueError):
    """A path needs a library that is not installed; the message names it and the install line.
    A ``ValueError`` so every surface shows it as bad input, in one line."""


def installed(module: str) -> bool:
    """Whether ``module`` can be imported here (imports it: a broken install counts as missing)."""
    try:
        importlib.import_module(module)
    except ImportError:
        return False
    return True


def require(
    module: str, task: str | Message, *, error: type[LocalizedError] = MissingPackageError
) -> ModuleType:
    """``module`` imported, or ``error`` (a :class:`MissingPackageError` unless the caller's
    surface knows another class) saying that ``task`` (``Message("task_reading_file",
    name=...)``, ``Message("task_engine", engine=...)``) needs it and how to install it."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise error.from_key(
            "error_needs_package",
            task=task,
            package=PACKAGES.get(module, module),
            extra=EXTRA,
        ) from None
