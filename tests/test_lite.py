"""nps-xl where the heavy engines cannot load (xlwings Lite: Pyodide in Excel).

Every check runs in a separate process in which fastexcel, DuckDB, PyArrow, PySpark, Polars and
python-calamine are unimportable (tests/blocked_imports.py), as in the Pyodide of xlwings Lite.
The Excel functions and the refresh run from the Lite workbook's main.py
(``nps_xl.excel.lite_main``) through xlwings' own Office.js machinery
(``custom_functions_call`` / ``custom_scripts_call``), as Lite runs them. Expected numbers are
counted independently (the csv module, R's interval in tests/reference_results.py).
"""

from __future__ import annotations

import ast
import csv
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import officejs_runner
import pytest
import reference_results as R
from blocked_imports import LITE_MISSING
from test_refresh import RUNNER as REFRESH_RUNNER
from test_refresh import payload_from_file, survey, written

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "nps_xl" / "data" / "sample_survey.csv"


def _python(code: str, tmp_path: Path, also: tuple[str, ...] = ()) -> dict:
    """Run ``code`` with the Lite-missing libraries (and ``also``) blocked; it prints one JSON
    object."""
    tests = Path(__file__).resolve().parent
    script = f"import sys; sys.path.insert(0, {str(tests)!r})\n" + textwrap.dedent(
        """
        import blocked_imports
        blocked_imports.block(blocked_imports.LITE_MISSING + ALSO)
        """
    ).replace("ALSO", repr(tuple(also)))
    done = subprocess.run(
        [sys.executable, "-c", script + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _independent_counts(path: Path) -> tuple[int, int, int, int]:
    """(detractors, passives, promoters, valid) of the Score column, with the csv module."""
    d = p = pr = 0
    with open(path, encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh):
            # a plain score, or a labelled one ("10 - Extremely likely"); "N/A" and blanks not
            found = re.fullmatch(r"(\d+)(?: - .*)?", row["Score"].strip())
            if not found or int(found.group(1)) > 10:
                continue
            s = int(found.group(1))
            d, p, pr = d + (s <= 6), p + (7 <= s <= 8), pr + (s >= 9)
    return d, p, pr, d + p + pr


def test_core_statistics_csv_and_report_writer_without_the_engines(tmp_path: Path) -> None:
    d, p, pr, n = _independent_counts(SAMPLE)
    got = _python(
        f"""
        import json, sys
        import nps_xl
        from nps_xl.io import load_survey
        from nps_xl.workbook.xlsx import write_report

        survey = load_survey({str(SAMPLE)!r})
        c = nps_xl.counts(survey.frame["Score"], invalid="skip")
        report = nps_xl.build_report(survey.frame)
        write_report("report.xlsx", survey.frame, segments=survey.segments)
        loaded = sorted(m for m in {LITE_MISSING!r} if m in sys.modules)
        print(json.dumps({{
            "nps_list": nps_xl.nps([10, 9, 9, 8, 7, 6, 0, 3, 10]),
            "counts": [c.detractors, c.passives, c.promoters],
            "nps": nps_xl.nps(c),
            "report_nps": report.headline.nps,
            "loaded": loaded,
        }}))
        """,
        tmp_path,
    )
    assert got["loaded"] == []
    assert got["nps_list"] == pytest.approx(100 * (4 - 3) / 9)
    assert got["counts"] == [d, p, pr]
    assert got["nps"] == pytest.approx(100 * (pr - d) / n)
    assert got["report_nps"] == pytest.approx(100 * (pr - d) / n)
    # the report workbook was written without PyArrow/calamine; read it here, where calamine is
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(tmp_path / "report.xlsx"))
    assert len(book.sheet_names) > 3


def test_xlsx_without_calamine_or_openpyxl_says_what_to_install(tmp_path: Path) -> None:
    from nps_xl.workbook.xlsx import write_template

    write_template(tmp_path / "answers.xlsx")
    got = _python(
        """
        import json
        from nps_xl.io import SurveyFileError, load_survey
        try:
            load_survey("answers.xlsx")
        except SurveyFileError as exc:
            print(json.dumps({"message": str(exc), "lt": exc.localized("lt")}))
        """,
        tmp_path,
        also=("openpyxl",),
    )
    assert got["message"].startswith("Reading answers.xlsx needs python-calamine, which is not")
    assert "pip install 'nps-xl[engines]'" in got["message"]
    assert "\n" not in got["message"]
    assert got["lt"].startswith("Skaitant answers.xlsx: reikia python-calamine")


def test_big_file_auto_engine_falls_back_to_pandas_and_explicit_engine_says_why(
    tmp_path: Path,
) -> None:
    big = tmp_path / "big.csv"
    big.write_text("Score\n" + "10\n9\n3\n7\n" * 4_000_000, encoding="utf-8")  # > 15 MB
    got = _python(
        """
        import json
        from nps_xl.engines import choose_engine, count_file
        from nps_xl.optional import MissingPackageError
        from nps_xl.report import ReportColumns
        choice = choose_engine("big.csv")
        try:
            count_file("big.csv", ReportColumns(score="Score"), engine="duckdb")
        except MissingPackageError as exc:
            message = str(exc)
        print(json.dumps({"engine": choice.engine, "reason": choice.reason, "message": message}))
        """,
        tmp_path,
    )
    assert got["engine"] == "pandas"
    assert "duckdb, pyarrow not installed" in got["reason"]
    assert got["message"].startswith("The duckdb engine needs duckdb, which is not installed.")


# --------------------------------------------------------------------------- Lite's main.py

LITE_MAIN = "nps_xl.excel.lite_main"


def _xlfuncs(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        f.name
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        and any(ast.unparse(d).startswith("xw.func") for d in f.decorator_list)
    ]


@pytest.fixture(scope="module")
def lite_functions() -> dict:
    calls = [
        ["NPS", [[[10], [9], [9], [8], [7], [6], [0], [3], [""], [10]], None, None]],
        ["NPS_CI", [[[3], [7], [7], [10], [10], [10]], [[0.95]], None, None, None]],
        ["NPS_COUNTS", [[[10], [9], [8], [3], [""]], None, None, None]],
        ["NPS_FROM_COUNTS", [[[70]], [[20]], [[10]]]],
    ]
    return officejs_runner.run(calls, meta=True, module=LITE_MAIN, without=LITE_MISSING)


def test_lite_main_registers_every_excel_function(lite_functions: dict) -> None:
    registered = {f["id"] for f in lite_functions["meta"]["functions"]}
    assert registered == set(_xlfuncs(ROOT / "nps_xl" / "excel" / "udfs.py"))


def test_lite_main_functions_give_independent_numbers(lite_functions: dict) -> None:
    nps, ci, counts, from_counts = (r.get("value", r) for r in lite_functions["results"])
    assert nps == [[pytest.approx(100 * (4 - 3) / 9)]]  # 4 promoters, 2 passives, 3 detractors
    low, high, _center = R.ADJUSTED_WALD[((1, 2, 3), 0.95)]  # R, tests/reference_results.py
    assert ci[0][0] == pytest.approx(100 * low)
    assert ci[0][-1] == pytest.approx(100 * high)
    table = {row[0]: row[1] for row in counts[1:]}
    assert (table["Promoters"], table["Passives"], table["Detractors"]) == (2, 1, 1)
    assert from_counts == [[pytest.approx(60.0)]]  # 70 % − 10 %


def test_lite_main_refresh_script_writes_independent_numbers(tmp_path: Path) -> None:
    """The @script in main.py refreshes the workbook Lite hands over (xw.Book(json=...))."""
    from nps_xl.i18n import text
    from nps_xl.workbook import layout as L
    from nps_xl.workbook.xlsx import write_report

    frame = survey()
    path = tmp_path / "report.xlsx"
    write_report(path, frame, segments=("Region", "Plan"))
    payload = payload_from_file(path, len(frame))
    env = {
        **os.environ,
        "NPS_XL_SCRIPT_MODULE": LITE_MAIN,
        "NPS_XL_TEST_WITHOUT": ",".join(LITE_MISSING),
    }
    done = subprocess.run(
        [sys.executable, str(REFRESH_RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    actions = json.loads(done.stdout)["actions"]
    trend = written(actions, payload)[L.sheet_name("trend")]
    header = trend[0]
    scores = [s for s in frame["Score"] if isinstance(s, int) and 0 <= s <= 10]
    months = frame["Date"].dt.month[[isinstance(s, int) for s in frame["Score"]]]
    by_month: dict[int, list[int]] = {}
    for month, s in zip(months, scores, strict=True):
        by_month.setdefault(month, []).append(s)
    expected = [
        100 * (sum(s >= 9 for s in v) - sum(s <= 6 for s in v)) / len(v)
        for _, v in sorted(by_month.items())
    ]
    assert [row[header.index(text("nps"))] for row in trend[1:]] == pytest.approx(expected)
    assert [row[header.index(text("n"))] for row in trend[1:]] == [
        len(v) for _, v in sorted(by_month.items())
    ]


def _offset_workbook(path: Path) -> None:
    """The sample survey on a sheet that starts at C3, after two blank rows, plus a second
    sheet; written with XlsxWriter (independent of the reader)."""
    import xlsxwriter

    with open(SAMPLE, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write(0, 0, "not the answers")
    sheet = book.add_worksheet("Answers")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value == "":
                continue
            number = value.isdigit() and r > 0
            sheet.write(2 + r, 2 + c, int(value) if number else value)
    book.close()


def test_xlsx_read_with_openpyxl_where_calamine_is_missing(tmp_path: Path) -> None:
    """In Pyodide without python-calamine, an .xlsx is read by openpyxl (pure Python) as
    calamine reads it: same columns, values and Excel row numbers."""
    import openpyxl  # noqa: F401 - the test extra installs it; without it the test fails

    path = tmp_path / "answers.xlsx"
    _offset_workbook(path)
    code = f"""
        import json
        from nps_xl.io import load_survey
        import nps_xl
        s = load_survey({str(path)!r}, sheet="Answers")
        c = nps_xl.counts(s.frame["Score"], invalid="skip")
        print(json.dumps({{"rows": [int(i) for i in s.frame.index],
                           "scores": [None if v != v else str(v) for v in s.frame["Score"]],
                           "counts": [c.detractors, c.passives, c.promoters],
                           "columns": list(s.frame.columns)}}))
        """
    without = _python(code, tmp_path)
    from nps_xl.io import load_survey

    with_calamine = load_survey(path, sheet="Answers")
    assert without["columns"] == list(with_calamine.frame.columns)
    assert without["rows"] == [int(i) for i in with_calamine.frame.index]
    assert without["scores"] == [None if v != v else str(v) for v in with_calamine.frame["Score"]]
    d, p, pr, _ = _independent_counts(SAMPLE)
    assert without["counts"] == [d, p, pr]
    assert without["rows"][0] == 4  # the first answer is in Excel row 4 (header in row 3)
