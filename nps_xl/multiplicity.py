"""Adjusted p-values for a family of tests (the rows of one segment or trend table).

Each row of a segment table is tested against the rest, and each trend period against the
previous one; at 5% each, a table of many rows flags something by chance far more often than
5% of the time. The family is the tests of one table with a usable test (rows whose p-value is
NaN are not tests: they stay NaN and are not counted).

* **Holm** (the default) controls the family-wise error rate — the chance of at least one false
  flag — for any dependence between the tests. With the m p-values sorted,
  p₍₁₎ ≤ … ≤ p₍ₘ₎: ``p̃₍ᵢ₎ = max_{j ≤ i} min(1, (m − j + 1)·p₍ⱼ₎)``.
  Holm, S. (1979) "A simple sequentially rejective multiple test procedure",
  *Scandinavian Journal of Statistics* 6:65–70; R ``p.adjust(p, "holm")``.
* **Benjamini–Hochberg** (``"bh"``) controls the false discovery rate — the expected share of
  false flags among the flags — for independent or positively dependent tests:
  ``p̃₍ᵢ₎ = min_{j ≥ i} min(1, m·p₍ⱼ₎ / j)``. Benjamini, Y. and Hochberg, Y. (1995)
  "Controlling the false discovery rate", *JRSS B* 57:289–300; R ``p.adjust(p, "BH")``;
  computed by :func:`scipy.stats.false_discovery_control`.
* ``"none"``: the raw p-values.
"""

from __future__ import annotations

import numpy as np

__all__ = ["ADJUST_METHODS", "adjust_p", "check_adjust", "holm"]

#: The corrections, as the user names them.
ADJUST_METHODS = ("holm", "bh", "none")


def check_adjust(adjust: object) -> str:
    """``adjust`` as one of :data:`ADJUST_METHODS`, or a one-line error naming the argument."""
    word = str(adjust).strip().lower() if isinstance(adjust, str) else adjust
    if word in ("benjamini-hochberg", "fdr"):
        word = "bh"
    if word not in ADJUST_METHODS:
        raise ValueError(
            f"adjust must be one of 'holm', 'bh' (Benjamini–Hochberg) or 'none', got {adjust!r}."
        )
    return word


def holm(p: np.ndarray) -> np.ndarray:
    """Holm's step-down adjusted p-values of the finite ``p`` (Holm 1979)."""
    p = np.asarray(p, dtype=float)
    m = len(p)
    if m == 0:
        return p.copy()
    order = np.argsort(p, kind="stable")
    stepped = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.maximum.accumulate(stepped)
    return out


def adjust_p(p_values, adjust: str = "holm") -> np.ndarray:
    """The adjusted p-values of one family; NaN entries (no test) stay NaN and are not counted."""
    method = check_adjust(adjust)
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    tested = ~np.isnan(p)
    if not tested.any() or method == "none":
        out[tested] = p[tested]
        return out
    if method == "holm":
        out[tested] = holm(p[tested])
    else:
        from scipy.stats import false_discovery_control

        out[tested] = false_discovery_control(p[tested], method="bh")
    return out
