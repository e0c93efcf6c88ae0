"""Counting engines on big files: time and peak memory against the fastest bare parse.

    python benchmarks/bench_engines.py                       # 10M and 1M answers (README)
    python benchmarks/bench_engines.py --rows 2000 --xlsx-rows 500 --big-rows 0   # quick

For each size the script writes the same answers as CSV and Parquet (DuckDB generates them),
and a 1M-answer XLSX (``--xlsx-rows``), into a temporary folder it removes afterwards. Every
case runs in a fresh Python process; its peak memory is that process's ``ru_maxrss``
(``os.wait4``). Ratios are against the fastest *bare parse* measured in the same run (Polars
``read_csv``/``read_parquet``, a DuckDB scan touching every column, fastexcel for XLSX), so a
busy machine shifts the seconds but hardly the ratios.

Cases: ``duckdb`` and ``pandas`` are :func:`nps_xl.engines.count_file` (the full
``ReportCounts``); ``duckdb grouping sets`` and ``polars group-by`` are the same raw grouping
alone in each embedded engine — the measurement behind choosing DuckDB. ``--spark`` adds Spark
(local mode) at the smallest size, its JVM start-up shown apart. ``--big-rows`` (default 100M)
generates Parquet with DuckDB and counts it: it must finish within 1 GB.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

COLUMNS = dict(
    score="Score",
    date="Date",
    comment="Comment",
    response_id="Response ID",
    segments=("Region", "Product"),
)
KEYS = ["Date", "Region", "Product", "Comment"]


# ----------------------------------------------------------------------------- data


def generate(folder: Path, rows: int, formats: tuple[str, ...]) -> dict[str, Path]:
    """The same answers as CSV and/or Parquet, written by DuckDB from ``range(rows)``:
    whole-number scores with 1 % blanks, 0.2 % "N/A" and 0.5 % labelled answers, two years of
    ISO dates, 40 % comments from 2,000 texts, two segments."""
    import duckdb

    select = f"""
        SELECT 'R' || lpad(i::VARCHAR, 9, '0') AS "Response ID",
          strftime(DATE '2024-01-01' + (hash(i) % 730)::INTEGER, '%Y-%m-%d') AS "Date",
          CASE WHEN hash(i * 3) % 1000 < 10 THEN NULL
               WHEN hash(i * 3) % 1000 < 12 THEN 'N/A'
               WHEN hash(i * 3) % 1000 < 17 THEN '10 - Extremely likely'
               ELSE (hash(i * 7) % 11)::VARCHAR END AS "Score",
          CASE WHEN hash(i * 5) % 10 < 6 THEN NULL
               ELSE 'comment number ' || (hash(i * 11) % 2000)::VARCHAR END AS "Comment",
          ['Europe', 'Asia', 'Americas', 'Africa'][1 + (hash(i * 13) % 4)::INTEGER] AS "Region",
          ['Essentials', 'Professional', 'Smart Hub'][1 + (hash(i * 17) % 3)::INTEGER]
            AS "Product"
        FROM range(1, {rows} + 1) t(i)"""
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    con.execute("SET preserve_insertion_order = true")
    out = {}
    for fmt in formats:
        path = folder / f"answers_{rows}.{fmt}"
        option = "(HEADER, DELIMITER ',')" if fmt == "csv" else "(FORMAT parquet)"
        con.execute(f"COPY ({select}) TO '{path}' {option}")
        out[fmt] = path
    con.close()
    return out


def generate_xlsx(folder: Path, rows: int) -> Path:
    """An XLSX of the same kind (XlsxWriter, constant memory), every cell written as text."""
    import numpy as np
    import xlsxwriter

    path = folder / f"answers_{rows}.xlsx"
    book = xlsxwriter.Workbook(path, {"constant_memory": True})
    sheet = book.add_worksheet()
    header = ["Response ID", "Date", "Score", "Comment", "Region", "Product"]
    for c, name in enumerate(header):
        sheet.write_string(0, c, name)
    rng = np.random.default_rng(1)
    scores = rng.integers(0, 11, rows)
    kind = rng.integers(0, 1000, rows)
    days = rng.integers(0, 730, rows)
    comments = rng.integers(0, 5000, rows)
    regions = ["Europe", "Asia", "Americas", "Africa"]
    products = ["Essentials", "Professional", "Smart Hub"]
    base = np.datetime64("2024-01-01")
    for i in range(rows):
        r = i + 1
        sheet.write_string(r, 0, f"R{i:09d}")
        sheet.write_string(r, 1, str(base + days[i]))
        k = int(kind[i])
        if k >= 10:
            score = "N/A" if k < 12 else ("10 - Extremely likely" if k < 17 else str(scores[i]))
            sheet.write_string(r, 2, score)
        if comments[i] < 2000:
            sheet.write_string(r, 3, f"comment number {comments[i]}")
        sheet.write_string(r, 4, regions[i % 4])
        sheet.write_string(r, 5, products[i % 3])
    book.close()
    return path


# ----------------------------------------------------------------------------- cases


def _grouping_sql() -> str:
    sets = ", ".join(['("Score")'] + [f'("Score", "{k}")' for k in KEYS])
    return (
        f'SELECT "Score", {", ".join(chr(34) + k + chr(34) for k in KEYS)}, count(*) AS n, '
        f"min(_row) AS first_row FROM answers GROUP BY GROUPING SETS ({sets})"
    )


def run_case(case: str, path: str) -> int:
    """One measured case (in its own process); returns a number to check it did the work."""
    p = Path(path)
    fmt = p.suffix.lstrip(".")
    if case == "bare polars":
        import polars as pl

        if fmt == "csv":
            return pl.read_csv(p, infer_schema=False).height
        return pl.read_parquet(p).height
    if case == "bare duckdb scan":
        import duckdb

        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        src = (
            f"read_csv('{p}', all_varchar = true, header = false, delim = ',', quote = '\"', "
            "escape = '\"', auto_detect = false, columns = {"
            + ", ".join(f"'c{j}': 'VARCHAR'" for j in range(6))
            + "}, skip = 1)"
            if fmt == "csv"
            else f"read_parquet('{p}')"
        )
        cols = [f"c{j}" for j in range(6)] if fmt == "csv" else ['"Score"', '"Date"',
                '"Comment"', '"Region"', '"Product"', '"Response ID"']  # fmt: skip
        # every value decoded (a Parquet max() could be answered from the file's statistics)
        lengths = ", ".join(f"sum(length({c}))" for c in cols)
        got = con.execute(f"SELECT count(*), {lengths} FROM {src}")
        return int(got.fetchone()[0])
    if case == "bare fastexcel":
        import fastexcel

        sheet = fastexcel.read_excel(str(p)).load_sheet(0, dtypes="string", eager=True)
        return sheet.num_rows
    if case == "duckdb grouping sets":
        import duckdb

        con = duckdb.connect()
        con.execute("SET enable_progress_bar = false")
        con.execute("SET memory_limit = '512MB'")
        if fmt == "csv":
            scan = f"read_csv('{p}', all_varchar = true)"
            src = f"SELECT row_number() OVER () AS _row, * FROM {scan}"
        else:
            scan = f"read_parquet('{p}', file_row_number = true)"
            src = f"SELECT file_row_number AS _row, * FROM {scan}"
        con.execute(f"CREATE VIEW answers AS {src}")
        return len(con.execute(_grouping_sql()).fetchall())
    if case == "polars group-by":
        import polars as pl

        if fmt == "csv":
            lf = pl.scan_csv(p, infer_schema=False, row_index_name="_row")
        else:
            lf = pl.scan_parquet(p, row_index_name="_row")
        aggs = [pl.len().alias("n"), pl.col("_row").min().alias("first_row")]
        queries = [lf.group_by("Score").agg(aggs)]
        queries += [lf.group_by(["Score", k]).agg(aggs) for k in KEYS]
        return sum(f.height for f in pl.collect_all(queries, engine="streaming"))
    if case.startswith("spark"):
        from nps_xl.engines import count_file
        from nps_xl.engines.spark import session
        from nps_xl.report import ReportColumns

        start = time.perf_counter()
        session()
        started = time.perf_counter() - start
        first = time.perf_counter()
        counts, _ = count_file(p, ReportColumns(**COLUMNS), engine="spark")
        first = time.perf_counter() - first
        warm = time.perf_counter()
        count_file(p, ReportColumns(**COLUMNS), engine="spark")
        warm = time.perf_counter() - warm
        print(json.dumps({"start": started, "first": first, "warm": warm}))
        return counts.rows
    from nps_xl.engines import count_file
    from nps_xl.report import ReportColumns

    counts, _ = count_file(p, ReportColumns(**COLUMNS), engine=case)
    return counts.rows


def measure(case: str, path: Path) -> dict:
    """Run ``case`` in a fresh process: wall seconds, peak RSS (MB), its own output."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, __file__, "--child", case, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read()
    proc.stdout.close()
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"case {case!r} on {path.name} failed:\n{err[-3000:]}")
    lines = [ln for ln in out.splitlines() if ln.strip()]
    result = json.loads(lines[-1])
    result.update(wall=wall, peak_mb=usage.ru_maxrss / 1024)
    for ln in lines[:-1]:
        if ln.startswith("{"):
            result["spark"] = json.loads(ln)
    return result


#: Modules a case imports before its clock starts (import time is not counting time).
IMPORTS = {
    "bare polars": ["polars"],
    "polars group-by": ["polars"],
    "bare duckdb scan": ["duckdb"],
    "duckdb grouping sets": ["duckdb"],
    "bare fastexcel": ["fastexcel", "pyarrow"],
}
ENGINE_IMPORTS = ["duckdb", "fastexcel", "nps_xl.engines", "nps_xl.engines.counting",
                  "nps_xl.engines.duck", "nps_xl.io"]  # fmt: skip


def child(case: str, path: str) -> None:
    import importlib

    for module in IMPORTS.get(case, ENGINE_IMPORTS):
        importlib.import_module(module)
    start = time.perf_counter()
    rows = run_case(case, path)
    print(json.dumps({"seconds": time.perf_counter() - start, "rows": rows}))


# ----------------------------------------------------------------------------- report


def table(results: list[dict]) -> str:
    lines = [
        "| answers | format | case | seconds | × fastest bare parse | peak MB |",
        "|---:|---|---|---:|---:|---:|",
    ]
    for group in _groups(results):
        bare = min(r["seconds"] for r in group if r["case"].startswith("bare"))
        for r in group:
            lines.append(
                f"| {r['n']:,} | {r['format'].upper()} | {r['case']} | {r['seconds']:.2f} | "
                f"{r['seconds'] / bare:.2f}× | {r['peak_mb']:,.0f} |"
            )
    return "\n".join(lines)


def _groups(results: list[dict]) -> list[list[dict]]:
    out: dict[tuple, list[dict]] = {}
    for r in results:
        out.setdefault((r["n"], r["format"]), []).append(r)
    return [g for g in out.values() if any(r["case"].startswith("bare") for r in g)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 1_000_000])
    ap.add_argument("--xlsx-rows", type=int, default=1_000_000, help="0: no XLSX")
    ap.add_argument("--big-rows", type=int, default=100_000_000, help="0: no big Parquet")
    ap.add_argument("--pandas-max", type=int, default=1_000_000, help="largest size for pandas")
    ap.add_argument("--spark", action="store_true", help="Spark (local) at the smallest size")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    ap.add_argument("--json", type=Path, default=None, help="save the measurements")
    ap.add_argument("--child", nargs=2, metavar=("CASE", "PATH"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*args.child)
        return
    work = args.workdir or Path(tempfile.mkdtemp(prefix="nps-xl-bench-engines-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []

    def record(n: int, fmt: str, case: str, path: Path) -> dict:
        r = measure(case, path)
        r.update(n=n, format=fmt, case=case)
        results.append(r)
        print(f"{n:>12,} {fmt:8} {case:22} {r['seconds']:8.2f} s {r['peak_mb']:8,.0f} MB",
              flush=True)  # fmt: skip
        return r

    try:
        for n in sorted(args.rows, reverse=True):
            files = generate(work, n, ("csv", "parquet"))
            for fmt, path in files.items():
                for case in ("bare polars", "bare duckdb scan", "duckdb grouping sets",
                             "polars group-by", "duckdb"):  # fmt: skip
                    record(n, fmt, case, path)
                if n <= args.pandas_max:
                    record(n, fmt, "pandas", path)
            if args.spark and n == min(args.rows):
                r = record(n, "csv", "spark", files["csv"])
                s = r["spark"]
                print(f"Spark local: JVM start {s['start']:.1f} s, first count "
                      f"{s['first']:.1f} s, warm count {s['warm']:.1f} s")  # fmt: skip
            for path in files.values():
                path.unlink()
        if args.xlsx_rows:
            path = generate_xlsx(work, args.xlsx_rows)
            for case in ("bare fastexcel", "duckdb", "pandas"):
                record(args.xlsx_rows, "xlsx", case, path)
            path.unlink()
        if args.big_rows:
            path = generate(work, args.big_rows, ("parquet",))["parquet"]
            print(f"{args.big_rows:,} answers as Parquet: {path.stat().st_size / 1e6:,.0f} MB")
            record(args.big_rows, "parquet", "bare duckdb scan", path)
            big = record(args.big_rows, "parquet", "duckdb", path)
            verdict = "within" if big["peak_mb"] <= 1024 else "OVER"
            print(f"100M check: {big['rows']:,} answers counted, peak {big['peak_mb']:,.0f} MB "
                  f"({verdict} 1 GB)")  # fmt: skip
            path.unlink()
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
