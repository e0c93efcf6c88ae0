"""The aggregates-only report against the bare parse of the same file, in one interleaved run.

    python benchmarks/bench_oneparse.py                                # 10M + 1M CSV, 1M XLSX
    python benchmarks/bench_oneparse.py --rows 2000 --xlsx-rows 300 --rounds 1   # quick

Whole processes, as a user runs them: ``nps-xl report FILE -o OUT --aggregates-only`` (engine
``auto``: DuckDB for these sizes) beside Polars' bare ``read_csv`` of the same CSV and
fastexcel's bare read of the same XLSX. Each case runs ``--rounds`` times, the cases of one
file interleaved (round 1 of every case, then round 2…), so a busy machine slows them alike;
the table shows the fastest wall time, the largest peak RSS (``os.wait4``) and the ratio to
the bare parse measured in the same run. The issue's goals: 10M CSV ≤ 2.0× and ≤ 1 GB,
1M CSV ≤ 2.0×, 1M XLSX ≤ 1.3×. The data are those of ``bench_engines.py`` (whole-number
scores with blanks, "N/A" and labelled answers, ISO dates, comments, two segments), written
into a temporary folder (``--workdir`` keeps them). The package is byte-compiled first
(``compileall``), as an installed package is, so no run pays for compiling nps-xl's modules.
"""

from __future__ import annotations

import argparse
import compileall
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
sys.path.insert(0, str(Path(__file__).resolve().parent))

GOALS = {"csv": 2.0, "xlsx": 1.3}


def bare_command(path: Path) -> list[str]:
    """The peer: Polars' ``read_csv`` (every column as text) or fastexcel's read."""
    if path.suffix == ".csv":
        code = (
            "import polars as pl, sys; print(pl.read_csv(sys.argv[1], infer_schema=False).height)"
        )
    else:
        code = (
            "import fastexcel, sys; "
            "print(fastexcel.read_excel(sys.argv[1]).load_sheet(0, eager=True).num_rows)"
        )
    return [sys.executable, "-c", code, str(path)]


def report_command(path: Path, out: Path, memory: str | None) -> list[str]:
    code = "import sys; from nps_xl.cli import main; sys.exit(main(sys.argv[1:]))"
    cmd = [sys.executable, "-c", code, "report", str(path), "-o", str(out),
           "--aggregates-only", "--force", "--brief"]  # fmt: skip
    return cmd + (["--memory", memory] if memory else [])


def measure(cmd: list[str]) -> dict:
    """One whole process: wall seconds and peak RSS (MB)."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    err = proc.stderr.read().decode(errors="replace")
    proc.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd[3:5])} failed:\n{err[-3000:]}")
    return {"wall": wall, "peak_mb": usage.ru_maxrss / 1024}


def run_file(path: Path, n: int, rounds: int, memory: str | None, work: Path) -> list[dict]:
    fmt = path.suffix.lstrip(".")
    cases = {
        f"bare {'polars read_csv' if fmt == 'csv' else 'fastexcel'}": bare_command(path),
        "nps-xl report --aggregates-only": report_command(path, work / f"report_{n}.xlsx", memory),
    }
    got: dict[str, list[dict]] = {case: [] for case in cases}
    for r in range(rounds):
        for case, cmd in cases.items():
            m = measure(cmd)
            got[case].append(m)
            print(f"round {r + 1} {n:>12,} {fmt:5} {case:34} {m['wall']:7.2f} s "
                  f"{m['peak_mb']:7,.0f} MB", flush=True)  # fmt: skip
    out = []
    for case, runs in got.items():
        out.append(dict(n=n, format=fmt, case=case, wall=min(x["wall"] for x in runs),
                        peak_mb=max(x["peak_mb"] for x in runs)))  # fmt: skip
    return out


def table(results: list[dict]) -> str:
    lines = [
        "| answers | format | case | wall s | peak MB | × bare parse | goal |",
        "|---:|---|---|---:|---:|---:|---|",
    ]
    for r in results:
        bare = next(x for x in results if x["n"] == r["n"] and x["format"] == r["format"]
                    and x["case"].startswith("bare"))  # fmt: skip
        ratio = r["wall"] / bare["wall"]
        goal = ""
        if not r["case"].startswith("bare"):
            limit = GOALS[r["format"]]
            goal = f"≤ {limit:.1f}×: {'met' if ratio <= limit else 'not met'}"
            if r["format"] == "csv" and r["n"] >= 10_000_000:
                goal += f"; ≤ 1 GB: {'met' if r['peak_mb'] <= 1024 else 'not met'}"
        lines.append(f"| {r['n']:,} | {r['format'].upper()} | {r['case']} | {r['wall']:.2f} | "
                     f"{r['peak_mb']:,.0f} | {ratio:.2f}× | {goal} |")  # fmt: skip
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--rows", type=int, nargs="+", default=[10_000_000, 1_000_000])
    ap.add_argument("--xlsx-rows", type=int, default=1_000_000, help="0: no XLSX")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--memory", default=None, help="the report's --memory (default: its own)")
    ap.add_argument("--workdir", type=Path, default=None, help="keep the files here")
    ap.add_argument("--json", type=Path, default=None, help="save the measurements")
    args = ap.parse_args()
    from bench_engines import generate, generate_xlsx

    compileall.compile_dir(ROOT / "nps_xl", quiet=1)

    work = args.workdir or Path(tempfile.mkdtemp(prefix="nps-xl-bench-oneparse-"))
    work.mkdir(parents=True, exist_ok=True)
    results: list[dict] = []
    try:
        for n in sorted(args.rows, reverse=True):
            path = work / f"answers_{n}.csv"
            if not path.exists():
                path = generate(work, n, ("csv",))["csv"]
            results += run_file(path, n, args.rounds, args.memory, work)
        if args.xlsx_rows:
            path = work / f"answers_{args.xlsx_rows}.xlsx"
            if not path.exists():
                path = generate_xlsx(work, args.xlsx_rows)
            results += run_file(path, args.xlsx_rows, args.rounds, args.memory, work)
    finally:
        if args.workdir is None:
            shutil.rmtree(work, ignore_errors=True)
    print()
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
