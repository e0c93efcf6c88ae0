"""Counting one full Excel column (1,048,576 answers) three ways.

    python benchmarks/bench_core.py [--rows N] [--repeat R]

(a) a float numpy array, (b) a Python list of floats, as a COM range arrives, (c) that list with
5% None and 1% labelled text ("10 - Extremely likely"). Each time is the best of R runs and is
reported with its ratio to ``np.asarray`` of the same list, measured in the same run, because the
machines are shared and absolute times are noisy. Goals: (a) ≤ 10 ms; (b) ≤ 2× ``np.asarray``.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import numpy as np

from nps_xl.counts import counts

EXCEL_ROWS = 1_048_576


def best_of(repeat: int, func: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        best = min(best, time.perf_counter() - start)
    return best


def make_inputs(rows: int) -> tuple[np.ndarray, list, list]:
    rng = np.random.default_rng(2024)
    array = rng.choice(
        np.arange(11.0),
        rows,
        p=[2, 1, 1, 2, 2, 4, 6, 12, 20, 22, 28] / np.sum([2, 1, 1, 2, 2, 4, 6, 12, 20, 22, 28]),
    )
    floats = array.tolist()
    messy: list = list(floats)
    for i in rng.choice(rows, rows // 20, replace=False):
        messy[i] = None
    for i in rng.choice(rows, rows // 100, replace=False):
        messy[i] = "10 - Extremely likely"
    return array, floats, messy


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=EXCEL_ROWS)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    array, floats, messy = make_inputs(args.rows)

    reference = best_of(args.repeat, lambda: np.asarray(floats))
    cases = {
        "(a) float numpy array": (lambda: counts(array), 0.010),
        "(b) list of floats": (lambda: counts(floats), None),
        "(c) list, 5% None, 1% labelled": (lambda: counts(messy, invalid="skip"), None),
    }
    print(f"{args.rows:,} answers, best of {args.repeat}")
    print(f"{'case':34} {'ms':>8} {'ns/answer':>10} {'× np.asarray(list)':>19}  goal")
    print(
        f"{'np.asarray(list) (reference)':34} {reference * 1e3:8.1f} "
        f"{reference / args.rows * 1e9:10.1f} {1.0:19.2f}"
    )
    for name, (func, goal_seconds) in cases.items():
        seconds = best_of(args.repeat, func)
        goal = "≤ 10 ms" if goal_seconds else ("≤ 2×" if name.startswith("(b)") else "report")
        print(
            f"{name:34} {seconds * 1e3:8.1f} {seconds / args.rows * 1e9:10.1f} "
            f"{seconds / reference:19.2f}  {goal}"
        )


if __name__ == "__main__":
    main()
