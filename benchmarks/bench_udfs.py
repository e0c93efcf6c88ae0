"""How fast a full Excel column reaches an answer through classic xlwings.

A 1,048,576-cell column (Excel's row limit), shaped as COM delivers it — a tuple of 1-tuples of
floats with some blank cells (None) — goes through ``XLPython.CallUDF`` (the VBA entry point:
xlwings' argument conversion, the function, the return conversion) into ``NPS`` and
``NPS_COUNTS``. The reference is ``np.asarray`` of the same tuple in the same run; the goal is
at most 2× that. Run: ``python benchmarks/bench_udfs.py``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from classic_runner import MISSING, classic_excel

CELLS = 1_048_576
REPEATS = 5


def best(function) -> float:
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    global CELLS, REPEATS
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cells", type=int, default=CELLS, help="cells in the column")
    parser.add_argument("--repeat", type=int, default=REPEATS, help="runs; the fastest counts")
    args = parser.parse_args()
    CELLS, REPEATS = args.cells, max(1, args.repeat)
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, CELLS).astype(float).tolist()
    for i in rng.choice(CELLS, CELLS // 50, replace=False):  # 2% blank cells
        scores[i] = None
    column = tuple((v,) for v in scores)

    reference = best(lambda: np.asarray(column, dtype=float))
    with classic_excel() as xl:
        rows = [
            ("np.asarray (reference)", reference),
            ("NPS", best(lambda: xl.call("NPS", column, MISSING, MISSING))),
            ("NPS_COUNTS", best(lambda: xl.call("NPS_COUNTS", column, MISSING, MISSING, MISSING))),
        ]
    print(f"{CELLS:,} cells as COM delivers them, best of {REPEATS}")
    print(f"{'':24} {'seconds':>8} {'× asarray':>10}")
    for name, seconds in rows:
        print(f"{name:24} {seconds:8.3f} {seconds / reference:10.2f}")


if __name__ == "__main__":
    main()
