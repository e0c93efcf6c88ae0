"""Coverage of the NPS confidence intervals: exact for small samples, Monte Carlo beyond.

    python benchmarks/bench_coverage.py [--exact-max 30] [--mc-n 50 100 300] [--draws 2000]
                                        [--confidence 0.95] [--seed 22]

Coverage is the probability that the interval holds the true NPS ``100·(p − d)``. For
``n ≤ --exact-max`` it is computed exactly: every sample (detractors, passives, promoters) of
size ``n`` is enumerated, its interval computed once, and the multinomial probabilities of the
samples whose interval holds the truth are added up — no random noise, and nothing of ours in
it but the bounds themselves. For the larger ``--mc-n`` sizes ``--draws`` samples are drawn per
truth (fixed seed). Truths: promoter and detractor shares on a 0.05…0.95 grid (step 0.1, p + d ≤
1), plus the high-NPS truths (p, d) = (0.8, 0.05), (0.9, 0.05) where Wald fails most.

Methods: ``wald``, ``adjusted-wald (own)`` — the adjusted-Wald bounds before rule D1 moves a
bound to the estimate —, ``adjusted-wald`` as shown (widened, D1), ``score`` and ``bootstrap``
(2,000 seeded resamples). Output: per method and band of n, the minimum and the mean coverage
over the truths (and the share of truths covered below 90%).
"""

from __future__ import annotations

import argparse
import math
import time

import numpy as np
from scipy.special import gammaln

from nps_xl import stats
from nps_xl.counts import Counts

METHODS = ("wald", "adjusted-wald (own)", "adjusted-wald", "score", "bootstrap")
BANDS = ((1, 4), (5, 10), (11, 20), (21, 29), (30, 30))
HIGH_NPS_TRUTHS = ((0.8, 0.05), (0.9, 0.05))


def truths() -> list[tuple[float, float]]:
    """(promoter share, detractor share) of every truth on the grid."""
    grid = [round(0.05 + 0.1 * i, 2) for i in range(10)]
    out = [(p, d) for p in grid for d in grid if p + d <= 1.0 + 1e-9]
    return out + [t for t in HIGH_NPS_TRUTHS if t not in out]


def bounds(det: int, pas: int, pro: int, method: str, confidence: float) -> tuple[float, float]:
    """The interval (points) of one sample by one method."""
    c = Counts(det, pas, pro)
    if method == "adjusted-wald (own)":
        # the method's own bounds, before D1 (stats.hold_estimate) moves one to the estimate
        low, high = stats._adjusted_wald_bounds(c, c.n, stats.z_value(confidence))
        return max(100 * low, -100.0), min(100 * high, 100.0)
    name = "bootstrap" if method == "bootstrap" else method
    extra = {"resamples": 2000, "seed": 7} if name == "bootstrap" else {}
    iv = stats.interval(c, confidence=confidence, method=name, warn=False, **extra)
    return iv.low, iv.high


def samples(n: int) -> np.ndarray:
    """Every (detractors, passives, promoters) of size n, one row each."""
    return np.array(
        [(det, n - det - pro, pro) for det in range(n + 1) for pro in range(n - det + 1)],
        dtype=np.int64,
    )


def log_pmf(k: np.ndarray, n: int, p: float, d: float) -> np.ndarray:
    """Multinomial log-probabilities of the rows of k (written out, not scipy's multinomial)."""
    m = max(1.0 - p - d, 0.0)
    out = gammaln(n + 1) - gammaln(k + 1).sum(axis=1)
    for j, share in enumerate((d, m, p)):
        # a category the truth never gives: samples holding it have probability 0
        out = out + k[:, j] * math.log(share) if share > 0 else np.where(k[:, j] > 0, -np.inf, out)
    return out


def exact_coverage(
    n: int, methods: tuple[str, ...], grid: list, confidence: float
) -> dict[str, np.ndarray]:
    """{method: coverage per truth} at sample size n, by enumeration."""
    k = samples(n)
    truth_nps = np.array([100 * (p - d) for p, d in grid])
    weights = np.array([np.exp(log_pmf(k, n, p, d)) for p, d in grid])  # truths × samples
    out = {}
    for method in methods:
        b = np.array([bounds(*row, method, confidence) for row in k.tolist()])
        covered = (b[None, :, 0] - 1e-9 <= truth_nps[:, None]) & (
            truth_nps[:, None] <= b[None, :, 1] + 1e-9
        )
        out[method] = (weights * covered).sum(axis=1)
    return out


def mc_coverage(
    n: int, methods: tuple[str, ...], grid: list, confidence: float, draws: int, seed: int
) -> dict[str, np.ndarray]:
    """{method: coverage per truth} at sample size n, by ``draws`` samples per truth."""
    rng = np.random.default_rng(seed + n)
    drawn = [rng.multinomial(n, [d, max(1 - p - d, 0.0), p], size=draws) for p, d in grid]
    cache: dict = {}
    out = {m: np.zeros(len(grid)) for m in methods}
    for i, (p, d) in enumerate(grid):
        truth = 100 * (p - d)
        rows, freq = np.unique(drawn[i], axis=0, return_counts=True)
        for method in methods:
            hits = 0
            for row, f in zip(rows.tolist(), freq.tolist(), strict=True):
                key = (method, *row)
                if key not in cache:
                    cache[key] = bounds(*row, method, confidence)
                low, high = cache[key]
                hits += f * (low - 1e-9 <= truth <= high + 1e-9)
            out[method][i] = hits / draws
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--exact-max", type=int, default=30)
    parser.add_argument("--mc-n", type=int, nargs="*", default=[50, 100, 300])
    parser.add_argument("--draws", type=int, default=2000)
    parser.add_argument("--confidence", type=float, default=0.95)
    parser.add_argument("--seed", type=int, default=22)
    parser.add_argument("--methods", nargs="*", default=list(METHODS))
    args = parser.parse_args(argv)
    methods = tuple(args.methods)
    grid = truths()
    start = time.perf_counter()
    per_n: dict[int, dict[str, np.ndarray]] = {}
    for n in range(1, args.exact_max + 1):
        per_n[n] = exact_coverage(n, methods, grid, args.confidence)
    for n in args.mc_n:
        per_n[n] = mc_coverage(n, methods, grid, args.confidence, args.draws, args.seed)
    bands = [b for b in BANDS if b[0] <= args.exact_max]
    bands += [(n, n) for n in args.mc_n]
    print(
        f"Coverage of {args.confidence:.0%} intervals, {len(grid)} truths "
        f"(exact for n ≤ {args.exact_max}, {args.draws} draws per truth beyond)"
    )
    print("| method | n | minimum | mean | truths below 90% |")
    print("|---|---|---|---|---|")
    for method in methods:
        for lo, hi in bands:
            ns = [n for n in per_n if lo <= n <= hi]
            if not ns:
                continue
            cov = np.concatenate([per_n[n][method] for n in ns])
            label = str(lo) if lo == hi else f"{lo}–{hi}"
            kind = "" if hi <= args.exact_max else " (MC)"
            print(
                f"| {method} | {label}{kind} | {cov.min():.3f} | {cov.mean():.3f} | "
                f"{(cov < 0.9).mean():.0%} |"
            )
    print()
    print("High-NPS truths, n = 5–10 (exact):")
    for p, d in HIGH_NPS_TRUTHS:
        i = grid.index((p, d))
        cells = []
        for method in methods:
            cov = [per_n[n][method][i] for n in range(5, 11) if n in per_n]
            if cov:
                cells.append(f"{method} {min(cov):.2f}–{max(cov):.2f}")
        print(f"  p = {p}, d = {d} (NPS {100 * (p - d):g}): " + "; ".join(cells))
    print(f"({time.perf_counter() - start:.1f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
