"""Key drivers: which other rating questions matter most for the NPS answer.

Pure functions on arrays and frames. :func:`drivers` takes one row per answer (the 0–10 score
plus one column per driver question: product, support, price… rated 0–10, 1–5 or 1–7) and
returns a :class:`DriversTable`: the drivers ranked by their relative importance for the score,
and, for each level of each driver, how many answered it and the share of promoters and
detractors among them.

Importance is a decomposition of the R² of the linear regression of the score on all drivers
into one non-negative part per driver, parts summing to R²:

``method="lmg"`` (default)
    The Shapley value of R² (Lindeman, Merenda & Gold 1980, *Introduction to Bivariate and
    Multivariate Analysis*, p. 119ff; Grömping 2006, "Relative Importance for Linear
    Regression in R: The Package relaimpo", *J. Stat. Software* 17(1); R ``relaimpo`` type
    ``"lmg"``). With ``p`` drivers and ``R²(S)`` the R² of the regression on the subset ``S``::

        lmg_j = Σ_{S ⊆ others} |S|! (p − |S| − 1)! / p! · (R²(S ∪ {j}) − R²(S))

    computed exactly over all 2^p subsets from the correlation matrix
    (``R²(S) = r_yS' R_SS⁻¹ r_yS``); at most :data:`MAX_DRIVERS` drivers.

``method="relative-weights"``
    Johnson's relative weights (Johnson 2000, "A Heuristic Method for Estimating the Relative
    Weight of Predictor Variables in Multiple Regression", *Multivariate Behavioral Research*
    35(1):1–19). With ``R_xx = Q Λ Q'`` and ``Λ_½ = Q Λ^{½} Q'`` (the correlations of the
    drivers with their best orthogonal approximation), ``β = Λ_½⁻¹ r_xy`` and
    ``ε_j = Σ_k Λ_½[j, k]² β_k²``.

Rows: an answer counts when its score is valid and every driver is answered (complete cases,
as R's ``lm()`` and ``relaimpo`` do by default). The rows left out are counted in the note,
per driver, never dropped silently. The levels table uses, per driver, every answer with a
valid score and that driver answered. Unweighted.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.scores import Scale, parse_scores, resolve_scale

#: Exact LMG costs 2^p regressions: 15 drivers are 32,768 small solves (well under a second).
MAX_DRIVERS = 15
METHODS = ("lmg", "relative-weights")
#: Driver ratings are whole numbers on one of these ranges (0–10, 1–5, 1–7 and the like).
RATING_RANGE = (0, 10)


@dataclass(frozen=True)
class DriversTable:
    """The key drivers of one survey.

    ``importance``: one row per driver, most important first — ``driver``, ``rank``,
    ``importance`` (its part of R²), ``share`` (its part as a percentage of R², summing to 100),
    ``correlation`` (with the score). ``levels``: one row per driver and level — ``driver``,
    ``level``, ``n``, ``promoters`` and ``detractors`` (percent of the answers at that level),
    ``nps``.
    """

    importance: pd.DataFrame
    levels: pd.DataFrame
    method: str
    r_squared: float
    n: int  # complete answers the regression used
    left_out: int  # rows with a valid score but a driver unanswered
    left_out_by_driver: dict[str, int]
    no_score: int  # rows without a valid score

    @property
    def note(self) -> str:
        """What the table used and left out, in English (the report words it per language)."""
        missing = ", ".join(f"{k} {v:,}" for k, v in self.left_out_by_driver.items() if v)
        text = (
            f"Key drivers by {_METHOD_NAMES[self.method]} on {self.n:,} complete answers "
            f"(R² = {self.r_squared:.3f})."
        )
        if self.left_out:
            text += f" {self.left_out:,} answers with a driver unanswered are left out ({missing})."
        if self.no_score:
            text += f" {self.no_score:,} rows without a valid score are left out."
        return text


_METHOD_NAMES = {
    "lmg": "Shapley decomposition of R² (LMG)",
    "relative-weights": "Johnson's relative weights",
}


# --------------------------------------------------------------------------- importance


def r_squared_of_subsets(corr: np.ndarray) -> np.ndarray:
    """R² of the regression of variable 0 on every subset of variables 1..p of the correlation
    matrix ``corr`` (``(p+1)×(p+1)``), indexed by bitmask (bit ``j`` = driver ``j``):
    ``R²(S) = r_yS' R_SS⁻¹ r_yS`` (the normal equations in correlation form)."""
    corr = np.asarray(corr, dtype=float)
    p = corr.shape[0] - 1
    rxx, rxy = corr[1:, 1:], corr[1:, 0]
    out = np.zeros(1 << p)
    for mask in range(1, 1 << p):
        idx = [j for j in range(p) if mask >> j & 1]
        r = rxy[idx]
        out[mask] = float(r @ np.linalg.solve(rxx[np.ix_(idx, idx)], r))
    return out


def lmg(corr: np.ndarray) -> np.ndarray:
    """LMG (Shapley) shares of R² of each driver, from the correlation matrix ``corr`` with
    the score first: ``lmg_j = Σ_S |S|!(p−|S|−1)!/p! · (R²(S∪j) − R²(S))`` over the subsets
    ``S`` of the other drivers (Lindeman, Merenda & Gold 1980; Grömping 2006)."""
    r2 = r_squared_of_subsets(corr)
    p = np.asarray(corr).shape[0] - 1
    weight = [math.factorial(s) * math.factorial(p - s - 1) / math.factorial(p) for s in range(p)]
    sizes = np.array([bin(m).count("1") for m in range(1 << p)])
    out = np.zeros(p)
    for j in range(p):
        bit = 1 << j
        without = np.array([m for m in range(1 << p) if not m & bit])
        gains = r2[without | bit] - r2[without]
        out[j] = float(np.sum(np.take(weight, sizes[without]) * gains))
    return out


def relative_weights(corr: np.ndarray) -> np.ndarray:
    """Johnson's (2000) relative weights from the correlation matrix with the score first:
    ``Λ_½ = Q Λ^{½} Q'`` of ``R_xx = Q Λ Q'``, ``β = Λ_½⁻¹ r_xy``, ``ε_j = Σ_k Λ_½[j,k]² β_k²``.
    They sum to the R² of the full regression."""
    corr = np.asarray(corr, dtype=float)
    rxx, rxy = corr[1:, 1:], corr[1:, 0]
    values, vectors = np.linalg.eigh(rxx)
    half = vectors @ np.diag(np.sqrt(np.clip(values, 0, None))) @ vectors.T
    beta = np.linalg.solve(half, rxy)
    return (half**2) @ (beta**2)


def importance(
    score: np.ndarray, ratings: np.ndarray, method: str = "lmg"
) -> tuple[np.ndarray, float, np.ndarray]:
    """(parts of R², R², correlations with the score) of the columns of ``ratings`` (complete
    cases only: no NaN) for ``score``."""
    method = check_method(method)
    score = np.asarray(score, dtype=float)
    ratings = np.asarray(ratings, dtype=float)
    data = np.column_stack([score, ratings])
    corr = np.corrcoef(data, rowvar=False)
    parts = lmg(corr) if method == "lmg" else relative_weights(corr)
    rxy = corr[1:, 0]
    r2 = float(rxy @ np.linalg.solve(corr[1:, 1:], rxy))
    return parts, r2, rxy


def check_method(method: str) -> str:
    key = str(method).strip().lower().replace("_", "-").replace(" ", "-")
    if key in ("shapley", "lmg"):
        return "lmg"
    if key in ("relative-weights", "johnson", "rw"):
        return "relative-weights"
    raise ValueError(
        f"method must be 'lmg' (Shapley decomposition of R²) or 'relative-weights' "
        f"(Johnson), got {method!r}."
    )


# --------------------------------------------------------------------------- levels


def driver_levels(categories: np.ndarray, rating: np.ndarray) -> pd.DataFrame:
    """Per distinct ``rating`` (NaN left out): ``level, n, promoters, detractors, nps`` with
    the shares in percent, from the category codes (−1/0/+1) of the same answers."""
    categories = np.asarray(categories)
    rating = np.asarray(rating, dtype=float)
    keep = ~np.isnan(rating)
    levels, inverse = np.unique(rating[keep], return_inverse=True)
    cat = categories[keep]
    n = np.bincount(inverse, minlength=len(levels))
    pro = np.bincount(inverse, weights=cat == 1, minlength=len(levels))
    det = np.bincount(inverse, weights=cat == -1, minlength=len(levels))
    return pd.DataFrame(
        {
            "level": levels.astype(int),
            "n": n.astype(int),
            "promoters": 100 * pro / n,
            "detractors": 100 * det / n,
            "nps": 100 * (pro - det) / n,
        }
    )


# --------------------------------------------------------------------------- ratings


def parse_ratings(values: object, name: str, index: Sequence | None = None) -> np.ndarray:
    """A driver column as floats, NaN where unanswered. Anything else than a blank or a whole
    number from 0 to 10 is an error naming the column and the row."""
    series = pd.Series(values, index=index) if not isinstance(values, pd.Series) else values
    blank = series.isna() | series.astype(str).str.strip().isin(["", "nan", "NaN", "None"])
    numbers = pd.to_numeric(series.where(~blank), errors="coerce").to_numpy(dtype=float)
    bad = ~blank.to_numpy() & (
        np.isnan(numbers)
        | (numbers != np.round(numbers))
        | (numbers < RATING_RANGE[0])
        | (numbers > RATING_RANGE[1])
    )
    if bad.any():
        at = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"Driver column {name!r}, row {series.index[at]}: {series.iloc[at]!r} is not a "
            f"rating (a whole number from 0 to 10). Fix the answer, blank it, or leave "
            f"{name!r} out of the drivers."
        )
    return numbers


# --------------------------------------------------------------------------- the table


def drivers(
    frame: pd.DataFrame,
    score: str = "Score",
    drivers: Sequence[str] = (),
    *,
    method: str = "lmg",
    scale: str | Scale | Sequence[int] | None = "0-10",
) -> DriversTable:
    """The key drivers of the score column ``score`` among the rating columns ``drivers``.

    >>> import pandas as pd
    >>> f = pd.DataFrame({"Score": [10, 9, 3, 7, 0, 8], "Support": [5, 4, 1, 4, 2, 3],
    ...                   "Price": [3, 5, 2, 2, 1, 4]})
    >>> t = drivers(f, drivers=["Support", "Price"])
    >>> round(float(t.importance["share"].sum()), 6)
    100.0
    """
    if score not in frame.columns:
        raise ValueError(f"The score column {score!r} is not in the data; pass score='<column>'.")
    names = list(dict.fromkeys(str(d) for d in drivers))
    if not names:
        raise ValueError("Name the driver columns: drivers=['Product', 'Support', …].")
    missing = [d for d in names if d not in frame.columns]
    if missing:
        raise ValueError(f"Driver column(s) {missing} not in the data; check the names.")
    if score in names:
        raise ValueError(f"The score column {score!r} cannot also be a driver.")
    if len(names) > MAX_DRIVERS:
        raise ValueError(
            f"{len(names)} drivers given; exact importance takes at most {MAX_DRIVERS}: "
            f"choose the {MAX_DRIVERS} questions that matter."
        )
    method = check_method(method)
    sc = resolve_scale(scale)
    parsed = parse_scores(frame[score].to_numpy(), scale=sc, invalid="skip")
    valid = parsed.valid
    categories = np.zeros(len(frame), dtype=np.int8)
    categories[valid] = sc.categorize(parsed.values[valid])
    ratings = np.column_stack([parse_ratings(frame[d], d) for d in names])
    answered = ~np.isnan(ratings)
    complete = valid & answered.all(axis=1)
    n = int(complete.sum())
    if n < len(names) + 2:
        raise ValueError(
            f"Only {n} answers have the score and every driver; key drivers need at least "
            f"{len(names) + 2}. Leave out the drivers most often unanswered."
        )
    used = ratings[complete]
    constant = [d for d, col in zip(names, used.T, strict=True) if np.ptp(col) == 0]
    if constant or np.ptp(parsed.values[complete]) == 0:
        what = f"driver(s) {constant}" if constant else f"the score {score!r}"
        raise ValueError(
            f"Every complete answer gives {what} the same rating, so it explains nothing; "
            f"leave it out."
        )
    try:
        parts, r2, corr = importance(parsed.values[complete], used, method)
    except np.linalg.LinAlgError:
        raise ValueError(
            "Some drivers are exact combinations of others (perfectly collinear); "
            "leave one of them out."
        ) from None
    order = np.argsort(-parts, kind="stable")
    table = pd.DataFrame(
        {
            "driver": [names[i] for i in order],
            "rank": np.arange(1, len(names) + 1),
            "importance": parts[order],
            "share": 100 * parts[order] / r2 if r2 > 0 else np.nan,
            "correlation": corr[order],
        }
    )
    levels = pd.concat(
        [
            driver_levels(categories[valid], ratings[valid, i]).assign(driver=names[i])
            for i in order
        ],
        ignore_index=True,
    )[["driver", "level", "n", "promoters", "detractors", "nps"]]
    by_driver = {d: int((valid & ~answered[:, i]).sum()) for i, d in enumerate(names)}
    return DriversTable(
        importance=table,
        levels=levels,
        method=method,
        r_squared=r2,
        n=n,
        left_out=int(valid.sum()) - n,
        left_out_by_driver=by_driver,
        no_score=int((~valid).sum()),
    )


__all__ = [
    "MAX_DRIVERS",
    "METHODS",
    "DriversTable",
    "driver_levels",
    "drivers",
    "importance",
    "lmg",
    "relative_weights",
]
