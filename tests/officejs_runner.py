"""Run the Excel functions the way Excel on the web / Mac / Windows calls them via Office.js.

xlwings Server and xlwings Lite receive one JSON body per function call from the add-in's
``custom-functions-code`` JavaScript and hand it to ``xlwings.server.custom_functions_call``.
This script does the same in its own process, where ``XLWINGS_ON_SERVER=true`` makes
``xw.func``/``xw.arg``/``xw.ret`` the Office.js decorators and
``XLWINGS_LICENSE_KEY=noncommercial`` unlocks the xlwings PRO code they live in (PolyForm
Noncommercial 1.0.0, fine for this open-source project's own tests).

Usage: ``python officejs_runner.py < calls.json > results.json`` where ``calls.json`` is
``{"calls": [[func_name, args], ...], "meta": true}``. Each ``args`` item is what Excel sends
for one parameter: a 2-D list of cells (``""`` blank, numbers, text, booleans, error objects
``{"type": "Error", "basicValue": "#N/A", "errorType": "NotAvailable"}``) or ``null`` when the
argument is omitted. The answer is ``{"results": [...], "meta": ...}``; a call whose Python
code raised yields ``{"exception": "Type: message"}`` (what xlwings Server would turn into an
HTTP error) so that the tests can tell it apart from a value.

:func:`run` starts the process from a test and returns the parsed answer.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from pathlib import Path

UDF_MODULE = "nps_xl.excel.udfs"

#: Error objects as Excel sends them for cells holding error values (allowErrorForDataTypeAny).
ERRORS = {
    "#N/A": "NotAvailable",
    "#DIV/0!": "Div0",
    "#VALUE!": "Value",
    "#REF!": "Ref",
    "#NAME?": "Name",
    "#NUM!": "Num",
    "#NULL!": "Null",
}


def error(name: str) -> dict:
    return {"type": "Error", "basicValue": name, "errorType": ERRORS.get(name, "Value")}


def body(func_name: str, args: list, version: str) -> dict:
    """The JSON body the xlwings add-in posts for one custom function call."""
    return {
        "client": "Office.js",
        "func_name": func_name,
        "args": args,
        "caller_address": "[nps.xlsx]Sheet1!B1",
        "session_id": "test-session",
        "culture_info_name": "en-US",
        "date_format": "M/d/yyyy",
        "version": version,
        "runtime": "1.4",
    }


def _main() -> None:
    import importlib

    import xlwings
    from xlwings import server

    request = json.load(sys.stdin)
    module = importlib.import_module(UDF_MODULE)

    async def call_all() -> list:
        results = []
        for func_name, args in request["calls"]:
            try:
                value = await server.custom_functions_call(
                    body(func_name, args, xlwings.__version__), module
                )
                results.append({"value": value})
            except Exception as exc:  # reported, and the tests fail on it
                results.append({"exception": f"{type(exc).__name__}: {exc}"})
        return results

    answer = {"results": asyncio.run(call_all())}
    if request.get("meta"):
        answer["meta"] = server.custom_functions_meta(module)
    json.dump(answer, sys.stdout, ensure_ascii=False, default=str)


def run(calls: list, *, meta: bool = False, timeout: float = 600) -> dict:
    """Run ``calls`` (``[func_name, args]`` pairs) in one Office.js process."""
    env = {**os.environ, "XLWINGS_ON_SERVER": "true", "XLWINGS_LICENSE_KEY": "noncommercial"}
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        input=json.dumps({"calls": calls, "meta": meta}),
        capture_output=True,
        text=True,
        env=env,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Office.js runner failed:\n{done.stderr}")
    return json.loads(done.stdout)


if __name__ == "__main__":
    _main()
