"""Run ``refresh_report`` the way xlwings Server / Lite run a script (the Office.js mode).

Used by ``tests/test_refresh.py`` in a separate process, because xlwings chooses its Office.js
decorators when it is imported. Reads a workbook payload (the JSON Excel sends) on stdin and
prints the JSON xlwings sends back: ``{"actions": [...]}``.

``XLWINGS_LICENSE_KEY=noncommercial``: xlwings' Office.js code is xlwings PRO under the
PolyForm Noncommercial licence, which covers the tests of this open-source project.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys

os.environ["XLWINGS_ON_SERVER"] = "true"
os.environ.setdefault("XLWINGS_LICENSE_KEY", "noncommercial")

import importlib
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import blocked_imports

blocked_imports.from_environment()  # as in xlwings Lite, where some libraries cannot load

import xlwings as xw  # noqa: E402 - after the blocker, as Lite imports it
from xlwings.server import custom_scripts_call  # noqa: E402

#: The module whose ``refresh_report`` script runs: the ribbon's (nps_xl.excel.refresh) or the
#: xlwings Lite main.py (nps_xl.excel.lite_main).
module = importlib.import_module(os.environ.get("NPS_XL_SCRIPT_MODULE", "nps_xl.excel.refresh"))


def run(payload: dict) -> dict:
    book = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(module, "refresh_report", typehint_to_value={xw.Book: book}))
    return book.json()


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin)), default=str))
