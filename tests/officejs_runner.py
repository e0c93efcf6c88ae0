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
HTTP error) and a value that strict JSON cannot carry (inf, NaN: xlwings Server's response
would fail) yields ``{"not_json": "<repr>"}``, so that the tests can tell both from a value.

:func:`run` starts the process from a test and returns the parsed answer. :func:`session`
keeps one process running and sends it calls one batch at a time (``--serve``: one JSON
request per line in, one JSON answer per line out), for tests and campaigns that make
thousands of calls.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import selectors
import subprocess
import sys
import tempfile
from collections.abc import Iterator
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

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import blocked_imports

    blocked_imports.from_environment()  # as in xlwings Lite, where some libraries cannot load

    import xlwings
    from xlwings import server

    module = importlib.import_module(os.environ.get("NPS_XL_UDF_MODULE", UDF_MODULE))

    async def call_all(calls: list) -> list:
        results = []
        for func_name, args in calls:
            try:
                value = await server.custom_functions_call(
                    body(func_name, args, xlwings.__version__), module
                )
            except Exception as exc:  # reported, and the tests fail on it
                results.append({"exception": f"{type(exc).__name__}: {exc}"})
                continue
            try:  # xlwings Server answers with strict JSON: inf and NaN cannot be sent
                json.dumps(value, allow_nan=False)
            except (ValueError, TypeError):
                results.append({"not_json": repr(value)[:1000]})
                continue
            results.append({"value": value})
        return results

    def answer(request: dict) -> dict:
        out = {"results": asyncio.run(call_all(request["calls"]))}
        if request.get("meta"):
            out["meta"] = server.custom_functions_meta(module)
        return out

    if "--serve" in sys.argv:
        for line in sys.stdin:
            sys.stdout.write(json.dumps(answer(json.loads(line)), ensure_ascii=False) + "\n")
            sys.stdout.flush()
        return
    json.dump(answer(json.load(sys.stdin)), sys.stdout, ensure_ascii=False, default=str)


def _env(module: str = UDF_MODULE, without: tuple[str, ...] = ()) -> dict[str, str]:
    return {
        **os.environ,
        "XLWINGS_ON_SERVER": "true",
        "XLWINGS_LICENSE_KEY": "noncommercial",
        "NPS_XL_UDF_MODULE": module,
        "NPS_XL_TEST_WITHOUT": ",".join(without),
    }


def run(
    calls: list,
    *,
    meta: bool = False,
    timeout: float = 600,
    module: str = UDF_MODULE,
    without: tuple[str, ...] = (),
) -> dict:
    """Run ``calls`` (``[func_name, args]`` pairs) in one Office.js process; ``module`` holds
    the functions (the xlwings Lite main.py: ``nps_xl.excel.lite_main``), ``without`` names
    libraries made unimportable there (tests/blocked_imports.py)."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve())],
        input=json.dumps({"calls": calls, "meta": meta}),
        capture_output=True,
        text=True,
        env=_env(module, without),
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"Office.js runner failed:\n{done.stderr}")
    return json.loads(done.stdout)


class Session:
    """One running Office.js process; :meth:`call` sends a batch of calls and waits."""

    def __init__(self, process: subprocess.Popen, errors, timeout: float):
        self.process = process
        self.errors = errors  # the process's stderr: a file, so that it can never fill a pipe
        self.timeout = timeout
        self._selector = selectors.DefaultSelector()
        self._selector.register(process.stdout, selectors.EVENT_READ)

    def call(self, calls: list) -> list:
        """The results of ``calls`` (``[func_name, args]`` pairs), as :func:`run` gives them."""
        self.process.stdin.write(json.dumps({"calls": calls}) + "\n")
        self.process.stdin.flush()
        if not self._selector.select(self.timeout):
            raise TimeoutError(f"The Office.js runner gave no answer in {self.timeout} s.")
        line = self.process.stdout.readline()
        if not line:
            self.errors.seek(0)
            raise RuntimeError(f"Office.js runner failed:\n{self.errors.read()}")
        return json.loads(line)["results"]


@contextlib.contextmanager
def session(*, timeout: float = 600) -> Iterator[Session]:
    """Start one Office.js process for many batches of calls; stop it on exit."""
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, str(Path(__file__).resolve()), "--serve"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            encoding="utf-8",
            env=_env(),
        )
        try:
            yield Session(process, errors, timeout)
        finally:
            process.stdin.close()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            process.stdout.close()


if __name__ == "__main__":
    _main()
