"""The benchmark scripts still run, at tiny sizes, so the README's figures can be measured again.

Timings are not asserted (shared machines are noisy); what is checked is that every script
finishes, measures every case it promises and that the numbers it reports are consistent: the
report benchmark's saved run gives back the same table, and its least-report reference writes a
workbook whose counts match plain pandas on the same input.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"


def _run(script: str, *args: str) -> str:
    done = subprocess.run(
        [sys.executable, str(BENCHMARKS / script), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_core_measures_the_three_cases():
    out = _run("bench_core.py", "--rows", "20000", "--repeat", "1")
    assert "20,000 answers" in out
    for case in ("np.asarray(list) (reference)", "(a) float numpy array", "(b) list of floats",
                 "(c) list, 5% None, 1% labelled"):  # fmt: skip
        assert re.search(re.escape(case) + r"\s+\d+\.\d", out), case


def test_bench_udfs_calls_both_functions_through_xlwings():
    out = _run("bench_udfs.py", "--cells", "3000", "--repeat", "1")
    assert "3,000 cells as COM delivers them" in out
    for name in ("np.asarray (reference)", "NPS", "NPS_COUNTS"):
        assert re.search(r"^" + re.escape(name) + r"\s+\d+\.\d{3}\s+\d+\.\d{2}$", out, re.M), name


def test_bench_tables_reports_the_goal_and_both_floors():
    out = _run("bench_tables.py", "--rows", "3000", "--repeats", "1")
    assert "3,000 answers" in out
    assert re.search(r"read \+ aggregates / bare read\s+\d+\.\d\d×", out)
    assert re.search(r"floor: read \+ hash 6 grouped columns\s+\d+\.\d\d s = \d+\.\d\d×", out)
    assert re.search(r"floor: dictionary-encoding read\s+\d+\.\d\d s = \d+\.\d\d×", out)


@pytest.fixture(scope="module")
def report_run(tmp_path_factory) -> tuple[Path, list[dict], str]:
    work = tmp_path_factory.mktemp("bench")
    saved = work / "run.json"
    out = _run(
        "bench_report.py", "--sizes", "400", "--libreoffice-max", "0", "--repeat", "1",
        "--workdir", str(work), "--json", str(saved),
    )  # fmt: skip
    return work, json.loads(saved.read_text()), out


def test_bench_report_measures_every_case_for_both_formats(report_run):
    _, rows, out = report_run
    assert [(r["n"], r["format"]) for r in rows] == [(400, "csv"), (400, "xlsx")]
    for r in rows:
        for case in ("bare_read", "least_report", "report_aggregates", "bare_write",
                     "report_answers"):  # fmt: skip
            assert r[case]["rc"] == 0 and r[case]["wall"] > 0 and r[case]["peak_mb"] > 0, case
        assert "libreoffice" not in r  # --libreoffice-max 0
    assert "| 400 | CSV" in out and "| 400 | XLSX" in out


def test_bench_report_prints_a_saved_run_again(report_run):
    work, _, out = report_run
    again = _run("bench_report.py", "--table-from", str(work / "run.json"))
    table = out[out.index("| answers |") :]
    assert again.strip() == table.strip()


def test_least_report_counts_match_plain_pandas(report_run):
    """The reference the report is compared with really does the work it claims."""
    work, _, _ = report_run
    answers = pd.read_csv(work / "answers_400.csv", keep_default_na=False)
    book = CalamineWorkbook.from_path(str(work / "least.xlsx"))  # written last from the XLSX
    grid = book.get_sheet_by_name("Region").to_python()
    got = {row[0]: [int(v) for v in row[1:4]] for row in grid}
    score = answers["Score"].astype(int)
    expected = {
        region: [int((s <= 6).sum()), int(s.between(7, 8).sum()), int((s >= 9).sum())]
        for region, s in score.groupby(answers["Region"])
    }
    assert got == expected


def test_bench_engines_measures_every_engine_against_the_bare_parse():
    out = _run("bench_engines.py", "--rows", "2000", "--xlsx-rows", "300", "--big-rows", "0")
    for fmt in ("CSV", "PARQUET"):
        for case in ("bare polars", "bare duckdb scan", "duckdb grouping sets", "polars group-by",
                     "duckdb", "pandas"):  # fmt: skip
            assert re.search(rf"\| 2,000 \| {fmt} \| {case} \| \d+\.\d\d \| \d+\.\d\d× \| \d", out)
    for case in ("bare fastexcel", "duckdb", "pandas"):
        assert re.search(rf"\| 300 \| XLSX \| {case} \| \d+\.\d\d \| \d+\.\d\d× \| \d", out)


def test_bench_start_times_the_start_against_a_bare_python():
    out = _run("bench_start.py", "--repeat", "1", "--top", "3")
    for case in ("python -c pass (reference)", "nps-xl --help", "nps-xl --version"):
        assert re.search(re.escape(case) + r"\s+\d+\.\d{3}\s+-?\d+\.\d{3}$", out, re.M), case
    assert re.search(r"goal: --help <= 0\.3 s wall: (met|NOT met)", out)
    # the import list is Python's own: typer is on it, no heavy library is
    assert "heavy among them: none" in out
    assert re.search(r"^\s+\d+\.\d\s+\d+\.\d\s+\S", out, re.M)


def test_bench_oneparse_measures_the_report_against_both_bare_reads():
    out = _run("bench_oneparse.py", "--rows", "2000", "--xlsx-rows", "300", "--rounds", "1")
    for n, fmt, case in ((2000, "CSV", "bare polars read_csv"), (300, "XLSX", "bare fastexcel")):
        assert re.search(
            rf"\| {n:,} \| {fmt} \| {re.escape(case)} \| \d+\.\d\d \| [\d,]+ \| 1\.00× \|", out
        )
        assert re.search(
            rf"\| {n:,} \| {fmt} \| nps-xl report --aggregates-only \| \d+\.\d\d \| [\d,]+ \| "
            r"\d+\.\d\d× \| ≤ \d\.\d×: (met|not met)",
            out,
        )


def test_bench_coverage_prints_the_table_and_wald_fails_where_the_issue_says():
    out = _run(
        "bench_coverage.py", "--exact-max", "10", "--mc-n", "40", "--draws", "200",
        "--methods", "wald", "score",
    )  # fmt: skip
    assert "| method | n | minimum | mean | truths below 90% |" in out
    assert re.search(r"\| wald \| 40 \(MC\) \| 0\.\d{3} \|", out)
    # exact coverage of Wald on 90% promoters / 5% detractors at n = 5–10: 0.40–0.65
    line = next(x for x in out.splitlines() if "p = 0.9, d = 0.05" in x)
    low, high = map(float, re.search(r"wald (\d\.\d\d)–(\d\.\d\d)", line).groups())
    assert low > 0.35 and high < 0.70
