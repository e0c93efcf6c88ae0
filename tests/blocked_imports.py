"""Make libraries unimportable in a test process, as they are where they have no build
(xlwings Lite: Pyodide, WebAssembly).

``NPS_XL_TEST_WITHOUT=fastexcel,duckdb,...`` in a runner's environment: :func:`from_environment`
puts a ``sys.meta_path`` finder first that refuses those top-level packages (and their
submodules) with the ``ModuleNotFoundError`` a missing package raises.
"""

from __future__ import annotations

import importlib.abc
import os
import sys

#: What has no WebAssembly build in the Pyodide of xlwings Lite (0.27.5: fastexcel, calamine)
#: or is not a dependency there (duckdb, pyarrow, pyspark, polars).
LITE_MISSING = ("fastexcel", "duckdb", "pyarrow", "pyspark", "polars", "python_calamine")
VARIABLE = "NPS_XL_TEST_WITHOUT"


class _Refuse(importlib.abc.MetaPathFinder):
    def __init__(self, names: set[str]) -> None:
        self.names = names

    def find_spec(self, fullname, path, target=None):
        if fullname.partition(".")[0] in self.names:
            raise ModuleNotFoundError(f"No module named {fullname!r}", name=fullname)
        return None


def block(names) -> None:
    sys.meta_path.insert(0, _Refuse(set(names)))


def from_environment() -> None:
    names = [n for n in os.environ.get(VARIABLE, "").split(",") if n]
    if names:
        block(names)
