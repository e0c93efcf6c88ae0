"""Monte Carlo: how often a table with nothing to find flags something (family-wise error).

Run: ``python benchmarks/bench_error_control.py [--draws 20000] [--seed 22]``.

Two families of tests where every null hypothesis is true:

* **segments**: 8 segments of 100 answers each, all with the same true shares (promoters 45%,
  passives 30%, detractors 25%), each tested against the rest (:func:`nps_xl.tables.segments`);
* **trend**: a flat year, 12 months of 100 answers with those shares, each month tested
  against the previous one (:func:`nps_xl.tables.trend`).

For each draw the table's raw p-values are adjusted three ways (none, Holm, Benjamini–Hochberg;
:func:`nps_xl.multiplicity.adjust_p`) and the draw counts as a false alarm for a correction when
any row is significant at 5%. The printed rate is the share of draws with a false alarm and its
binomial standard error. Holm controls this rate at 5%; with every null true, Benjamini–Hochberg's
false discovery rate equals it too (Benjamini and Hochberg 1995, §2.1).
"""

from __future__ import annotations

import argparse
import math

import numpy as np
import pandas as pd

from nps_xl import tables
from nps_xl.multiplicity import ADJUST_METHODS, adjust_p

SHARES = (0.25, 0.30, 0.45)  # detractors, passives, promoters
SEGMENTS, PER_SEGMENT = 8, 100
MONTHS, PER_MONTH = 12, 100
ALPHA = 0.05


def _scores(rng: np.random.Generator, n: int) -> np.ndarray:
    return rng.choice([0, 7, 10], size=n, p=SHARES)


def family_wise_rates(draws: int = 20000, seed: int = 22) -> dict[str, dict[str, float]]:
    """``{"segments"|"trend": {"none"|"holm"|"bh": share of draws with any flag}}``."""
    rng = np.random.default_rng(seed)
    hits = {f: dict.fromkeys(ADJUST_METHODS, 0) for f in ("segments", "trend")}
    groups = np.repeat([f"s{i}" for i in range(SEGMENTS)], PER_SEGMENT)
    months = np.repeat(pd.date_range("2025-01-01", periods=MONTHS, freq="MS"), PER_MONTH)
    for _ in range(draws):
        seg = pd.DataFrame({"Score": _scores(rng, SEGMENTS * PER_SEGMENT), "Segment": groups})
        trend = pd.DataFrame({"Score": _scores(rng, MONTHS * PER_MONTH), "Date": months})
        p_values = {
            "segments": tables.segments(seg, "Segment", adjust="none")["p_value"],
            "trend": tables.trend(trend, adjust="none")["p_value"],
        }
        for family, p in p_values.items():
            for method in ADJUST_METHODS:
                hits[family][method] += bool(np.nanmin(adjust_p(p, method)) < ALPHA)
    return {f: {m: k / draws for m, k in h.items()} for f, h in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=20000)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()
    rates = family_wise_rates(args.draws, args.seed)
    print(f"Family-wise false-alarm rate at 5%, {args.draws:,} draws (seed {args.seed})")
    print(f"{'family':<34}{'none':>14}{'Holm':>14}{'BH':>14}")
    names = {
        "segments": f"{SEGMENTS} segments × {PER_SEGMENT} answers",
        "trend": f"flat year, {MONTHS} months × {PER_MONTH}",
    }
    for family, by in rates.items():
        cells = []
        for method in ADJUST_METHODS[::-1][:1] + ADJUST_METHODS[:2]:
            r = by[method]
            se = math.sqrt(r * (1 - r) / args.draws)
            cells.append(f"{100 * r:5.1f}% ± {100 * se:.1f}")
        print(f"{names[family]:<34}{cells[0]:>14}{cells[1]:>14}{cells[2]:>14}")


if __name__ == "__main__":
    main()
