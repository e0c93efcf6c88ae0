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

import xlwings as xw
from xlwings.server import custom_scripts_call

import nps_xl.excel.refresh as refresh


def run(payload: dict) -> dict:
    book = xw.Book(json=payload)
    asyncio.run(custom_scripts_call(refresh, "refresh_report", typehint_to_value={xw.Book: book}))
    return book.json()


if __name__ == "__main__":
    print(json.dumps(run(json.load(sys.stdin)), default=str))
