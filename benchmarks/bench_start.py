"""How long ``nps-xl`` takes to start: ``--help`` and ``--version`` as whole processes.

    python benchmarks/bench_start.py [--repeat R] [--top K]

Each case is a fresh ``python -m nps_xl …`` (the console script runs the same ``main``), timed
wall clock from start to exit, best of R; ``python -c pass`` is measured in the same run, in the
same way, so the figure that matters is what nps-xl adds to a bare interpreter. Then
``python -X importtime -m nps_xl --help`` lists the K imports of the largest cumulative time, and
whether any heavy library (pandas, numpy, DuckDB, Polars, pyarrow, XlsxWriter, SciPy) is among
all of them. Goal (issue 21): ``--help`` ≤ 0.3 s wall.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEAVY = ("pandas", "numpy", "duckdb", "polars", "pyarrow", "xlsxwriter", "scipy")
GOAL_HELP = 0.3


def _env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH")
    return {**os.environ, "PYTHONPATH": str(ROOT) + (os.pathsep + path if path else "")}


def wall(args: list[str], repeat: int) -> float:
    """The best of ``repeat`` wall times of ``python *args`` (output discarded)."""
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=_env(),
            check=True,
        )
        best = min(best, time.perf_counter() - start)
    return best


def import_times(args: list[str]) -> list[tuple[int, int, str]]:
    """(self µs, cumulative µs, module) of every import ``python -X importtime *args`` made."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=_env(),
        check=True,
    )
    rows = []
    for line in done.stderr.splitlines():
        if not line.startswith("import time:"):
            continue
        own, total, name = (part.strip() for part in line[len("import time:") :].split("|"))
        if own.isdigit():
            rows.append((int(own), int(total), name))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args()

    bare = wall(["-c", "pass"], args.repeat)
    cases = {
        "python -c pass (reference)": bare,
        "nps-xl --help": wall(["-m", "nps_xl", "--help"], args.repeat),
        "nps-xl --version": wall(["-m", "nps_xl", "--version"], args.repeat),
    }
    print(f"start-up, best of {args.repeat}, whole processes ({sys.executable})")
    print(f"{'case':<28} {'wall s':>7} {'- bare s':>9}")
    for name, seconds in cases.items():
        print(f"{name:<28} {seconds:7.3f} {seconds - bare:9.3f}")
    help_wall = cases["nps-xl --help"]
    verdict = "met" if help_wall <= GOAL_HELP else "NOT met"
    print(f"goal: --help <= {GOAL_HELP} s wall: {verdict} ({help_wall:.3f} s)")

    rows = import_times(["-m", "nps_xl", "--help"])
    heavy = sorted({name.partition(".")[0] for _, _, name in rows} & set(HEAVY))
    print(
        f"\nimports of --help: {len(rows)} modules; heavy among them: {', '.join(heavy) or 'none'}"
    )
    print(f"{'cumulative ms':>13} {'self ms':>8}  module")
    for own, total, name in sorted(rows, key=lambda r: -r[1])[: args.top]:
        print(f"{total / 1000:13.1f} {own / 1000:8.1f}  {name.strip()}")


if __name__ == "__main__":
    main()
