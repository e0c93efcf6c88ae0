"""Benchmark ``nps-xl report`` against the bare read, XlsxWriter's bare write and LibreOffice.

Run from the repository root::

    python benchmarks/bench_report.py                       # 10k, 100k, 1M answers
    python benchmarks/bench_report.py --sizes 10000,100000  # a quicker run
    python benchmarks/bench_report.py --libreoffice-max 0   # without LibreOffice

For every size and input format (CSV, XLSX) it measures, each in a fresh process, wall time and
peak memory (``resource.getrusage(RUSAGE_CHILDREN).ru_maxrss`` of a wrapper process, which
covers the command and everything it starts, e.g. ``soffice.bin``). Each is run ``--repeat``
times (default 3; runs over 15 s once) and the fastest run counts: the machines are shared, and
the slower runs measure the other jobs.

``report (aggregates)``
    ``nps-xl report INPUT -o OUT --aggregates-only`` (results only, no Responses rows).
``report (answers)``
    ``nps-xl report INPUT -o OUT`` (every answer in the Responses table, the default).
``bare read``
    The same reader without anything else: ``pandas.read_csv`` (C parser) for CSV,
    ``pandas.read_excel(engine="calamine")`` for XLSX.
``least report``
    The bare read, then every grouped column (date, three segments, comment) counted by score
    category (``pandas.factorize`` + ``numpy.bincount``) and written to a workbook with
    XlsxWriter: the least any tool that reports these aggregates from the file must do. The
    gap between it and ``report (aggregates)`` is what nps-xl's own work costs.
``bare write``
    The bare read plus XlsxWriter writing the same rows (``write_row`` per answer, no tables,
    formats or formulas): the least any tool that copies the answers into a workbook must do.
``LibreOffice``
    Headless LibreOffice (private profile, recalculation on load) opening the answers-embedded
    report — the Dashboard template holding the same answers — recalculating every formula and
    exporting the Dashboard as CSV. Skipped above ``--libreoffice-max`` answers (default
    100,000: at 1M answers it takes many minutes).

Goals (issue 4): aggregates ≤ 1.3× bare read; answers ≤ 1.2× bare write; ≥ 3× faster than
LibreOffice; peak RSS ≤ 1 GB at 1M answers. Every process pays Python's start-up and imports
(``nps-xl`` imports pandas, scipy, XlsxWriter, rich); at 10k answers that dominates.

The package is byte-compiled first (``compileall``), as an installed package is, so no
process pays for compiling nps-xl's sources (``PYTHONDONTWRITEBYTECODE`` would otherwise make
every run compile them again).

Inputs are synthetic (fixed seed) with the sample survey's columns; XLSX inputs are written with
XlsxWriter in ``constant_memory`` mode. They are cached in ``--workdir``.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd

DEFAULT_SIZES = (10_000, 100_000, 1_000_000)
REGIONS = np.array(["North America", "Europe", "Asia Pacific", "Baltics"], dtype=object)
PRODUCTS = np.array(["Essentials", "Professional", "Smart Hub"], dtype=object)
CHANNELS = np.array(["Web", "Mobile app", "Phone support", "Store/Partner"], dtype=object)
COMMENTS = np.array(
    [
        "",
        "",
        "Great support, fast answers.",
        "Too expensive for what it does.",
        "The app keeps crashing after the update.",
        "Easy to set up and it just works.",
        "Delivery took three weeks.",
        "配送太慢了。",
        "Labai patogu naudotis.",
        "Много добро обслужване.",
    ],
    dtype=object,
)

WRAPPER = textwrap.dedent(
    """
    import json, resource, subprocess, sys, time
    t = time.perf_counter()
    done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    wall = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(json.dumps({"rc": done.returncode, "wall": wall, "peak_mb": peak,
                      "stderr": done.stderr.decode(errors="replace")[-2000:]}))
    """
)

BARE_READ = textwrap.dedent(
    """
    import sys
    import pandas as pd
    path = sys.argv[1]
    if path.endswith(".csv"):
        frame = pd.read_csv(path)
    else:
        frame = pd.read_excel(path, engine="calamine")
    assert len(frame) > 0
    """
)

BARE_WRITE = textwrap.dedent(
    """
    import sys
    import pandas as pd
    import xlsxwriter
    path, out = sys.argv[1], sys.argv[2]
    if path.endswith(".csv"):
        frame = pd.read_csv(path, keep_default_na=False)
    else:
        frame = pd.read_excel(path, engine="calamine", keep_default_na=False)
    book = xlsxwriter.Workbook(out, {"strings_to_formulas": False, "strings_to_numbers": False})
    sheet = book.add_worksheet("Responses")
    sheet.write_row(0, 0, list(frame.columns))
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    """
)

LEAST_REPORT = textwrap.dedent(
    """
    import sys
    import numpy as np
    import pandas as pd
    import xlsxwriter
    path, out = sys.argv[1], sys.argv[2]
    if path.endswith(".csv"):
        frame = pd.read_csv(path)
    else:
        frame = pd.read_excel(path, engine="calamine")
    score = pd.to_numeric(frame["Score"], errors="coerce").to_numpy()
    category = np.select([score <= 6, score <= 8, score <= 10], [0, 1, 2], 3)  # 3: blank
    book = xlsxwriter.Workbook(out)
    for column in ("Date", "Region", "Product", "Channel", "Comment"):
        codes, values = pd.factorize(frame[column])
        ok = codes >= 0
        tally = np.bincount(codes[ok] * 4 + category[ok], minlength=4 * len(values))
        sheet = book.add_worksheet(column)
        for i, (value, row) in enumerate(zip(values[:1000], tally.reshape(-1, 4)[:1000])):
            sheet.write_row(i, 0, [str(value), *row.tolist()])
    book.close()
    """
)

LIBREOFFICE = textwrap.dedent(
    """
    import sys
    from nps_xl.workbook.libreoffice import recalculated_csv
    recalculated_csv([sys.argv[1]], sys.argv[2], sheet=1, timeout=3600)
    """
)


def make_answers(n: int, seed: int = 20251122) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    u = rng.random((n, 6))
    # skewed towards 8–10, like real NPS answers
    weights = np.array([2, 1, 1, 1.5, 2, 4, 5, 10, 18, 22, 30], dtype=float)
    cdf = np.cumsum(weights) / weights.sum()
    scores = np.searchsorted(cdf, u[:, 0]).astype(np.int64)
    days = np.sort((u[:, 1] * 548).astype(np.int64))
    dates = pd.Timestamp("2025-05-01") + pd.to_timedelta(days, unit="D")
    return pd.DataFrame(
        {
            "Response ID": [f"R{i:07d}" for i in range(1, n + 1)],
            "Date": dates.strftime("%Y-%m-%d"),
            "Score": scores,
            "Comment": COMMENTS[(u[:, 2] * len(COMMENTS)).astype(int)],
            "Region": REGIONS[(u[:, 3] * len(REGIONS)).astype(int)],
            "Product": PRODUCTS[(u[:, 4] * len(PRODUCTS)).astype(int)],
            "Channel": CHANNELS[(u[:, 5] * len(CHANNELS)).astype(int)],
        }
    )


def write_inputs(n: int, workdir: Path) -> dict[str, Path]:
    csv_path = workdir / f"answers_{n}.csv"
    xlsx_path = workdir / f"answers_{n}.xlsx"
    if csv_path.exists() and xlsx_path.exists():
        return {"csv": csv_path, "xlsx": xlsx_path}
    frame = make_answers(n)
    frame.to_csv(csv_path, index=False)
    import xlsxwriter

    book = xlsxwriter.Workbook(
        str(xlsx_path), {"constant_memory": True, "strings_to_numbers": False}
    )
    sheet = book.add_worksheet("Sheet1")
    sheet.write_row(0, 0, list(frame.columns))
    for r, row in enumerate(frame.itertuples(index=False, name=None), start=1):
        sheet.write_row(r, 0, row)
    book.close()
    return {"csv": csv_path, "xlsx": xlsx_path}


#: Runs per measurement (``--repeat``); the fastest counts, as the others were slowed by the
#: machine's other jobs. A run longer than ``LONG_RUN`` seconds is not repeated.
REPEAT = 3
LONG_RUN = 15.0


def measure(cmd: list[str]) -> dict:
    """Wall time (fastest of up to ``REPEAT`` runs) and peak RSS (largest) of ``cmd``."""
    best: dict | None = None
    for _ in range(REPEAT):
        done = subprocess.run(
            [sys.executable, "-c", WRAPPER, *cmd], capture_output=True, text=True, check=True
        )
        got = json.loads(done.stdout.strip().splitlines()[-1])
        if got["rc"] != 0:
            raise RuntimeError(f"{' '.join(cmd[:4])}… failed: {got['stderr']}")
        if best is None:
            best = got
        else:
            best["wall"] = min(best["wall"], got["wall"])
            best["peak_mb"] = max(best["peak_mb"], got["peak_mb"])
        if got["wall"] > LONG_RUN:
            break
    return best


def nps_xl(*args: str) -> list[str]:
    return [sys.executable, "-m", "nps_xl.cli", *args]


def run(
    sizes: list[int],
    workdir: Path,
    lo_max: int,
    formats: tuple[str, ...] = ("csv", "xlsx"),
    aggregates_only: bool = False,
) -> list[dict]:
    from nps_xl.workbook.libreoffice import find_soffice

    rows = []
    for n in sizes:
        inputs = write_inputs(n, workdir)
        for fmt, path in inputs.items():
            if fmt not in formats:
                continue
            out_agg = workdir / f"report_agg_{n}_{fmt}.xlsx"
            out_all = workdir / f"report_all_{n}_{fmt}.xlsx"
            bare = workdir / f"bare_{n}_{fmt}.xlsx"
            r = {"n": n, "format": fmt, "input_mb": path.stat().st_size / 1e6}
            r["bare_read"] = measure([sys.executable, "-c", BARE_READ, str(path)])
            r["least_report"] = measure(
                [sys.executable, "-c", LEAST_REPORT, str(path), str(workdir / "least.xlsx")]
            )
            r["report_aggregates"] = measure(
                nps_xl("report", str(path), "-o", str(out_agg), "--aggregates-only", "--force")
            )
            if aggregates_only:
                r["bare_write"] = r["report_answers"] = None
                rows.append(r)
                print(_line(r), flush=True)
                continue
            r["bare_write"] = measure([sys.executable, "-c", BARE_WRITE, str(path), str(bare)])
            r["report_answers"] = measure(
                nps_xl("report", str(path), "-o", str(out_all), "--force")
            )
            if lo_max and n <= lo_max and fmt == "csv" and find_soffice():
                with tempfile.TemporaryDirectory() as tmp:
                    r["libreoffice"] = measure(
                        [sys.executable, "-c", LIBREOFFICE, str(out_all), tmp]
                    )
            rows.append(r)
            print(_line(r), flush=True)
    return rows


def _fmt(m: dict | None) -> str:
    return "—" if not m else f"{m['wall']:6.2f} s {m['peak_mb']:6.0f} MB"


def _ratio(a: dict | None, b: dict | None) -> str:
    return "—" if not a or not b else f"{a['wall'] / b['wall']:.2f}×"


def _line(r: dict) -> str:
    return (
        f"{r['n']:>9,} {r['format']:4}  read {_fmt(r['bare_read'])} | "
        f"least {_fmt(r['least_report'])} ({_ratio(r['least_report'], r['bare_read'])}) | "
        f"report agg {_fmt(r['report_aggregates'])} ({_ratio(r['report_aggregates'], r['bare_read'])}) | "  # noqa: E501
        f"write {_fmt(r['bare_write'])} | report all {_fmt(r['report_answers'])} "
        f"({_ratio(r['report_answers'], r['bare_write'])}) | LibreOffice {_fmt(r.get('libreoffice'))}"  # noqa: E501
    )


def markdown(rows: list[dict]) -> str:
    head = (
        "| answers | input | bare read | least report | ratio | report, aggregates | "
        "ratio (goal ≤ 1.3) | bare write | report, answers | ratio (goal ≤ 1.2) | "
        "LibreOffice recalc | LO ÷ report with answers (goal ≥ 3) | LO ÷ aggregates report |\n"
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n"
    )
    body = ""
    for r in rows:
        lo = r.get("libreoffice")
        body += (
            f"| {r['n']:,} | {r['format'].upper()} {r['input_mb']:.1f} MB | {_fmt(r['bare_read'])} "
            f"| {_fmt(r['least_report'])} | {_ratio(r['least_report'], r['bare_read'])} "
            f"| {_fmt(r['report_aggregates'])} | {_ratio(r['report_aggregates'], r['bare_read'])} "
            f"| {_fmt(r['bare_write'])} | {_fmt(r['report_answers'])} "
            f"| {_ratio(r['report_answers'], r['bare_write'])} | {_fmt(lo)} "
            f"| {_ratio(lo, r['report_answers'])} | {_ratio(lo, r['report_aggregates'])} |\n"
        )
    return head + body


def main(argv: list[str] | None = None) -> None:
    global REPEAT
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        default=",".join(map(str, DEFAULT_SIZES)),
        help="comma-separated numbers of answers (default 10000,100000,1000000)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="where inputs are cached")
    parser.add_argument(
        "--libreoffice-max",
        type=int,
        default=100_000,
        help="largest size LibreOffice is measured at (0: never)",
    )
    parser.add_argument(
        "--formats", default="csv,xlsx", help="comma-separated input formats (default csv,xlsx)"
    )
    parser.add_argument(
        "--aggregates-only",
        action="store_true",
        help="measure only the bare read and the aggregates-only report (quick)",
    )
    parser.add_argument(
        "--repeat", type=int, default=REPEAT, help="runs per measurement; the fastest counts"
    )
    parser.add_argument(
        "--table-from", type=Path, default=None, help="print the table of a saved --json run"
    )
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.table_from:
        print(markdown(json.loads(args.table_from.read_text())))
        return
    REPEAT = max(1, args.repeat)
    sizes = [int(s.replace("_", "")) for s in args.sizes.split(",") if s.strip()]
    workdir = args.workdir or Path(tempfile.gettempdir()) / "nps-xl-bench"
    workdir.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    compileall.compile_dir(Path(__file__).resolve().parents[1] / "nps_xl", quiet=1)
    formats = tuple(f.strip().lower() for f in args.formats.split(",") if f.strip())
    rows = run(sizes, workdir, args.libreoffice_max, formats, args.aggregates_only)
    print()
    print(markdown(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
