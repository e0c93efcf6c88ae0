"""Control limits of a trend: is this period's NPS outside what chance gives around the centre?

As a p-chart with variable sample size does for a share (Montgomery, *Introduction to
Statistical Quality Control*, §7.2), for the NPS of the code y ∈ {−1, 0, +1}:

* centre line = the NPS of every answer in the trend window (pooled): 100·(p̄ − d̄), p̄ and d̄
  the pooled promoter and detractor shares;
* V̄ = p̄ + d̄ − (p̄ − d̄)², the variance of one answer's code under the pooled shares;
* limits = centre ± 3·100·sqrt(V̄ / nᵢ), nᵢ the period's answers (its effective n when
  weighted), clipped to [−100, 100];
* a period is out of control when its NPS is below the lower or above the upper limit.

Three sigma (Shewhart's choice, Montgomery §6.2) rather than a 95% interval: a chart is read
point by point, and at ±3σ a stable process puts a point outside about 0.27% of the time.
Empty periods have no limits (NaN).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = ["SIGMAS", "control_limits"]

#: Width of the limits in standard errors (Shewhart's three sigma).
SIGMAS = 3.0


def control_limits(
    pooled_promoter_share: float,
    pooled_detractor_share: float,
    effective_n,
    nps,
    sigmas: float = SIGMAS,
) -> tuple[float, np.ndarray, np.ndarray, np.ndarray]:
    """(centre, lower, upper, out_of_control) for periods of ``effective_n`` answers and NPS
    ``nps``; ``out_of_control`` is float (1/0, NaN where the period has no answers)."""
    p, d = float(pooled_promoter_share), float(pooled_detractor_share)
    centre = 100.0 * (p - d)
    v = max(p + d - (p - d) ** 2, 0.0)
    n = np.asarray(effective_n, dtype=float)
    score = np.asarray(nps, dtype=float)
    has = (n > 0) & ~np.isnan(score) if not math.isnan(centre) else np.zeros(n.shape, bool)
    half = np.full(n.shape, np.nan)
    half[has] = sigmas * 100.0 * np.sqrt(v / n[has])
    lower = np.clip(centre - half, -100.0, 100.0)
    upper = np.clip(centre + half, -100.0, 100.0)
    out = np.full(n.shape, np.nan)
    out[has] = ((score[has] < lower[has]) | (score[has] > upper[has])).astype(float)
    return centre, lower, upper, out
