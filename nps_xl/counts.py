"""The ``Counts`` value: how many answers were detractors, passives and promoters.

Every NPS statistic is a function of these three numbers (with weights: their weight sums plus
the sum of squared weights, which gives Kish's effective sample size). Whatever can count — numpy
over an Excel range, pandas over a survey export, SQL over a warehouse — produces ``Counts``, and
the statistics never see raw rows.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.scores import ParsedScores, Scale, parse_scores, position_label, resolve_scale


class InvalidAnswersWarning(UserWarning):
    """Issued when ``invalid="skip"`` left answers out, so they are never dropped silently."""


@dataclass(frozen=True)
class Counts:
    """Detractors, passives and promoters of one group of answers.

    Unweighted counts are whole numbers. Weighted counts are weight sums and carry
    ``sum_squared_weights`` so the Kish effective sample size
    ``n_eff = (Σw)² / Σw²`` (Kish 1965, *Survey Sampling*, §11.7) survives merging.
    """

    detractors: float = 0
    passives: float = 0
    promoters: float = 0
    sum_squared_weights: float | None = None

    def __post_init__(self) -> None:
        for name in ("detractors", "passives", "promoters"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise TypeError(f"{name} must be a number, got {value!r}.")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}.")
        if self.sum_squared_weights is not None and not self.sum_squared_weights >= 0:
            raise ValueError(f"sum_squared_weights must be ≥ 0, got {self.sum_squared_weights!r}.")

    @property
    def n(self) -> float:
        """Answers (or total weight) counted: detractors + passives + promoters."""
        return self.detractors + self.passives + self.promoters

    @property
    def is_weighted(self) -> bool:
        return self.sum_squared_weights is not None

    @property
    def effective_n(self) -> float:
        """Kish effective sample size (Σw)²/Σw²; equals ``n`` for unweighted counts."""
        if self.sum_squared_weights is None:
            return self.n
        return self.n**2 / self.sum_squared_weights if self.sum_squared_weights else 0.0

    @property
    def promoter_share(self) -> float:
        return self.promoters / self.n if self.n else math.nan

    @property
    def passive_share(self) -> float:
        return self.passives / self.n if self.n else math.nan

    @property
    def detractor_share(self) -> float:
        return self.detractors / self.n if self.n else math.nan

    @property
    def nps(self) -> float:
        """NPS = 100 × (promoters − detractors) / n, from −100 to 100 (NaN when n = 0).

        Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review.
        """
        return 100.0 * (self.promoters - self.detractors) / self.n if self.n else math.nan

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        if self.sum_squared_weights is None and other.sum_squared_weights is None:
            ssw = None
        else:  # an unweighted group has weights 1, so its Σw² is its n
            ssw = _ssw(self) + _ssw(other)
        return Counts(
            self.detractors + other.detractors,
            self.passives + other.passives,
            self.promoters + other.promoters,
            ssw,
        )

    def __radd__(self, other: object) -> Counts:
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented

    def to_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "promoter_share": self.promoter_share,
            "passive_share": self.passive_share,
            "detractor_share": self.detractor_share,
            "nps": self.nps,
            "effective_n": self.effective_n,
        }

    @classmethod
    def from_codes(cls, codes: np.ndarray, weights: np.ndarray | None = None) -> Counts:
        """Count category codes (−1 detractor, 0 passive, +1 promoter)."""
        codes = np.asarray(codes)
        if weights is None:
            tally = np.bincount((codes + 1).astype(np.intp), minlength=3)
            return cls(int(tally[0]), int(tally[1]), int(tally[2]))
        w = np.asarray(weights, dtype=float)
        tally = np.bincount((codes + 1).astype(np.intp), weights=w, minlength=3)
        return cls(float(tally[0]), float(tally[1]), float(tally[2]), float(np.sum(w * w)))

    @classmethod
    def from_histogram(
        cls,
        histogram: np.ndarray,
        scale: str | Scale | Sequence[int] | None = "0-10",
        sum_squared_weights: float | None = None,
    ) -> Counts:
        """Count from answers per scale point (``minimum..maximum``)."""
        sc = resolve_scale(scale)
        cuts = np.cumsum(histogram)
        detractors = cuts[sc.detractor_max - sc.minimum]
        passives = cuts[sc.passive_max - sc.minimum] - detractors
        promoters = cuts[-1] - detractors - passives
        kind = int if sum_squared_weights is None else float
        return cls(kind(detractors), kind(passives), kind(promoters), sum_squared_weights)

    @classmethod
    def from_scores(
        cls,
        scores: np.ndarray,
        scale: str | Scale | Sequence[int] | None = "0-10",
        weights: np.ndarray | None = None,
    ) -> Counts:
        """Count already-valid scores (see :func:`counts` for raw answers)."""
        return cls.from_codes(resolve_scale(scale).categorize(scores), weights)


def _ssw(c: Counts) -> float:
    return c.n if c.sum_squared_weights is None else c.sum_squared_weights


def counts(
    scores: object,
    *,
    scale: str | Scale | Sequence[int] | None = "0-10",
    invalid: str = "error",
    weights: object = None,
) -> Counts:
    """Count raw answers into :class:`Counts`.

    ``scores`` may be a list, nested rows, a numpy array, a pandas Series, or a ``Counts``
    (returned as it is). ``weights`` has the same shape as ``scores``; every valid answer needs a
    finite weight ≥ 0. With ``invalid="skip"`` an :class:`InvalidAnswersWarning` says how many
    answers were left out and where.
    """
    if isinstance(scores, Counts):
        return scores
    parsed = parse_scores(scores, scale=scale, invalid=invalid)
    warn_skipped(parsed)
    sc, values = parsed.scale, parsed.values  # NaN wherever the answer is not a valid score
    if weights is None:
        detractors = int(np.count_nonzero(values <= sc.detractor_max))
        passives = int(np.count_nonzero(values <= sc.passive_max)) - detractors
        return Counts(detractors, passives, parsed.n - detractors - passives)
    w = np.where(parsed.valid, parse_weights(weights, parsed), 0.0)
    return Counts.from_histogram(parsed.histogram(w), sc, float(np.dot(w, w)))


def warn_skipped(parsed: ParsedScores) -> None:
    if parsed.invalid:
        warnings.warn(
            f"Left out {parsed.invalid} invalid answer{'s' if parsed.invalid > 1 else ''}: "
            f"{parsed.invalid_report()}.",
            InvalidAnswersWarning,
            stacklevel=3,
        )


def parse_weights(weights: object, parsed: ParsedScores) -> np.ndarray:
    """Weights as floats aligned with ``parsed``; each valid answer needs a weight ≥ 0."""
    w = pd.to_numeric(pd.Series(np.asarray(weights, dtype=object).reshape(-1)), errors="coerce")
    w = w.to_numpy(dtype=float)
    if len(w) != len(parsed.values):
        raise ValueError(
            f"weights has {len(w)} values but there are {len(parsed.values)} answers; "
            "give one weight per answer."
        )
    bad = parsed.valid & ~(np.isfinite(w) & (w >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raw = np.asarray(weights, dtype=object).reshape(-1)[i]
        raise ValueError(
            f"Weight {raw!r} at {position_label(i, parsed.shape)} is not a number ≥ 0 "
            f"({int(bad.sum())} such weights). Every answer with a score needs a weight."
        )
    return w


def count_by(
    codes: np.ndarray,
    keys: Sequence[Hashable] | np.ndarray | pd.Series,
    weights: np.ndarray | None = None,
) -> pd.DataFrame:
    """Counts per group as a DataFrame (index: group; columns: detractors, passives,
    promoters, sum_squared_weights). ``codes`` are −1/0/+1 (NaN rows are ignored)."""
    codes = np.asarray(codes, dtype=float)
    keep = ~np.isnan(codes)
    frame = pd.DataFrame(
        {
            "key": np.asarray(keys, dtype=object)[keep],
            "detractors": codes[keep] == -1,
            "passives": codes[keep] == 0,
            "promoters": codes[keep] == 1,
        }
    )
    cols = ["detractors", "passives", "promoters"]
    if weights is None:
        out = frame.groupby("key", sort=True, dropna=False)[cols].sum().astype(np.int64)
        out["sum_squared_weights"] = np.nan
    else:
        w = np.asarray(weights, dtype=float)[keep]
        frame[cols] = frame[cols].to_numpy() * w[:, None]
        frame["sum_squared_weights"] = w * w
        out = frame.groupby("key", sort=True, dropna=False)[[*cols, "sum_squared_weights"]].sum()
    out.index.name = None
    return out


def counts_from_row(row: pd.Series) -> Counts:
    """One row of :func:`count_by` as a :class:`Counts`."""
    ssw = row.get("sum_squared_weights", np.nan)
    kind = int if pd.isna(ssw) else float
    return Counts(
        kind(row["detractors"]),
        kind(row["passives"]),
        kind(row["promoters"]),
        None if pd.isna(ssw) else float(ssw),
    )
