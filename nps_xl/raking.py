"""Raking: weights that make the answers match known shares of several columns at once.

:func:`rake` adjusts weights by iterative proportional fitting (IPF; Deming and Stephan
1940). With margins ``j = 1 … K`` (a column each, such as Region and Product), level shares
``P_jl`` (summing to 1 within a column) and base weights ``w⁽⁰⁾`` (1 for every answer when
none are given), one iteration visits the margins in turn and, for each, multiplies the
weight of every answer at level ``l`` by the same factor::

    w_i ← w_i · P_jl · T / Σ_{h in level l} w_h          T = Σ w⁽⁰⁾  (kept by every step)

so that after the step the weighted share of every level of column ``j`` is exactly
``P_jl``. Fitting one margin disturbs the others; the iterations repeat until the largest
gap ``max_jl |Σ_{l} w / T − P_jl|`` over every level of every margin is below ``tolerance``
(or ``max_iterations`` is reached: then ``converged`` is False, and the weights are those of
the last iteration). When the margins can be met together, IPF converges to the weights
closest to the base weights in the raking (multiplicative) sense (Deming and Stephan 1940;
Ireland and Kullback 1968).

The total of the weights stays the total of the base weights — the number of answers
without base weights (mean weight 1) — as R ``survey::rake`` does when the population
margins are given as ``P_jl · Σ w⁽⁰⁾``: each of its ``postStratify`` steps is the step above.
The weights are equal to R's (``tests/test_rake.py`` compares them with R 4.2 and survey).
R stops when the cell totals change by less than ``epsilon`` between iterations; here the
rule is the gap to the targets, which says directly how far the margins are from being met.

The cost of raking is told by Kish's design effect of weighting (Kish 1965, *Survey
Sampling*, §11.7): ``deff_w = 1 + cv² = n Σw² / (Σw)²`` (cv² with the variance's ``n``
denominator), the factor by which unequal weights alone inflate the variance of a mean.

References
    Deming, W. E. and Stephan, F. F. (1940). On a least squares adjustment of a sampled
    frequency table when the expected marginal totals are known. *The Annals of Mathematical
    Statistics* 11(4), 427–444.
    Lumley, T. (2010). *Complex Surveys: A Guide to Analysis Using R*. Wiley, §7.3 (raking).
    R package survey: ``rake(design, sample.margins, population.margins)``.
    Kish, L. (1965). *Survey Sampling*. Wiley, §11.7.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.errors import LocalizedError, Message
from nps_xl.io._common import rows_message

__all__ = ["Raking", "RakingError", "rake"]

#: How far the shares of one column may sum from 1 (or 100), relative, for rounded published
#: figures (33.3 + 33.3 + 33.3 = 99.9); they are then divided by their sum.
SUM_TOLERANCE = 0.005

#: The headers of a margins table (file or DataFrame), in this order.
MARGIN_COLUMNS = ("column", "level", "share")


class RakingError(LocalizedError, ValueError):
    """A margins table or a raked column that raking cannot use; one line naming the column,
    the level or the row, and what to do (an i18n key: :class:`nps_xl.errors.LocalizedError`)."""


@dataclass(frozen=True)
class Raking:
    """The result of :func:`rake`.

    * ``weights`` — the raked weights, a Series aligned with the frame's index; their total is
      the total of the base weights (the number of answers without them: mean 1).
    * ``converged`` — whether every level's share came within ``tolerance`` of its target.
    * ``iterations`` — how many passes over the margins were made.
    * ``largest_gap`` — the largest |achieved share − target share| over every level of every
      margin after the last iteration (a share: 0.001 is 0.1 points).
    * ``margins`` — the targets as used, ``{column: {level: share}}``, shares summing to 1.
    * ``percent_columns`` — the columns whose shares were given as percentages (sum 100).
    * ``design_effect_of_weights`` — Kish's ``1 + cv² = n Σw² / (Σw)²`` of the raked weights.
    """

    weights: pd.Series
    converged: bool
    iterations: int
    largest_gap: float
    margins: dict[str, dict[object, float]]
    percent_columns: tuple[str, ...]
    design_effect_of_weights: float


def rake(
    frame: pd.DataFrame,
    margins: Mapping[str, Mapping[object, float]] | pd.DataFrame,
    *,
    weight: str | None = None,
    max_iterations: int = 100,
    tolerance: float = 1e-6,
) -> Raking:
    """Rake the answers of ``frame`` to ``margins`` (iterative proportional fitting).

    ``margins``: ``{column: {level: share}}`` or a DataFrame with the columns ``column``,
    ``level``, ``share`` (one row per level, as a margins file holds them). The shares of one
    column sum to 1, or to 100 as percentages (``percent_columns`` says which were taken so),
    within 0.5 % for rounding (:data:`SUM_TOLERANCE`; they are divided by their sum).
    Levels compare as the text a person sees, without surrounding spaces and case kept; a
    number compares with the same number written as text (``"1"`` and ``1``). ``weight``: a
    column of base weights (finite, ≥ 0), raked from instead of 1 per answer.

    Raises :class:`RakingError` (one line) for a margin column the frame lacks, a level of the
    frame without a share, a level of the margins without answers, a blank in a raked column
    (naming its row) and shares that are not numbers or do not sum to 1 or 100. Not meeting
    the margins within ``max_iterations`` is no error: ``converged`` is False.

    Raking keeps the base weights' odds ratio of a 2 × 2 table (Deming and Stephan 1940):
    here it is 1·2 / (1·1) = 2, so the N·a cell ``x`` of the raked table with every margin
    2.5 solves ``x² / (2.5 − x)² = 2``, ``x = 2.5·√2 / (1 + √2) = 1.4645``:

    >>> frame = pd.DataFrame({"Region": list("NNSSS"), "Plan": list("ababb")})
    >>> r = rake(frame, {"Region": {"N": 0.5, "S": 0.5}, "Plan": {"a": 0.5, "b": 0.5}})
    >>> [round(w, 4) for w in r.weights], r.converged
    ([1.4645, 1.0355, 1.0355, 0.7322, 0.7322], True)
    """
    if max_iterations < 1:
        raise ValueError(f"max_iterations must be 1 or more, not {max_iterations}.")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be above 0, not {tolerance}.")
    targets, percent = _targets(margins)
    base = _base_weights(frame, weight)
    total = float(base.sum())
    codes, shares = [], []
    for column, levels in targets.items():
        code, share = _codes(frame, column, levels, base)
        codes.append(code)
        shares.append(share)
    w = base.copy()
    gap, iterations = math.inf, 0
    while iterations < max_iterations:
        for code, share in zip(codes, shares, strict=True):
            sums = np.bincount(code, weights=w, minlength=len(share))
            want = share * total
            # a level whose weight is all gone (another margin's share of 0 took it) stays so
            factor = np.divide(want, sums, out=np.ones_like(sums), where=sums > 0)
            w = w * factor[code]
        iterations += 1
        gap = _largest_gap(w, codes, shares, total)
        if gap < tolerance:
            break
    n = len(w)
    squares = float(np.dot(w, w))
    deff = n * squares / float(w.sum()) ** 2 if w.sum() > 0 else math.nan
    return Raking(
        weights=pd.Series(w, index=frame.index, name="Weight"),
        converged=bool(gap < tolerance),
        iterations=iterations,
        largest_gap=float(gap),
        margins={c: dict(levels) for c, levels in targets.items()},
        percent_columns=percent,
        design_effect_of_weights=deff,
    )


def _largest_gap(
    w: np.ndarray, codes: list[np.ndarray], shares: list[np.ndarray], total: float
) -> float:
    """max over margins and levels of |Σ w of the level / total − share|."""
    gaps = [
        np.max(np.abs(np.bincount(code, weights=w, minlength=len(share)) / total - share))
        for code, share in zip(codes, shares, strict=True)
    ]
    return float(max(gaps)) if gaps else 0.0


# ----------------------------------------------------------------------------- margins


def level_key(value: object) -> tuple[str, object] | None:
    """How a level compares: a number as its value (``"1"``, ``1`` and ``1.0`` alike), other
    text as written without surrounding spaces (case kept); ``None`` for a blank."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return None
    if isinstance(value, (bool, np.bool_)):
        return ("text", str(value))
    if isinstance(value, (int, float, np.integer, np.floating)):
        return ("number", float(value))
    shown = str(value).strip()
    if not shown:
        return None
    try:
        number = float(shown)
    except ValueError:
        return ("text", shown)
    return ("number", number) if math.isfinite(number) else ("text", shown)


def _targets(
    margins: Mapping[str, Mapping[object, float]] | pd.DataFrame,
) -> tuple[dict[str, dict[object, float]], tuple[str, ...]]:
    """``{column: {level: share}}`` with shares summing to 1, and the columns given in %."""
    if isinstance(margins, pd.DataFrame):
        margins = _from_table(margins)
    if not margins:
        raise RakingError.from_key("rake_no_margins")
    targets, percent = {}, []
    for column, levels in margins.items():
        column = str(column).strip()
        seen: dict[tuple, object] = {}
        shares: dict[object, float] = {}
        for level, share in levels.items():
            key = level_key(level)
            if key is None:
                raise RakingError.from_key("rake_level_blank", column=column)
            if key in seen:
                raise RakingError.from_key("rake_level_twice", column=column, level=str(level))
            seen[key] = level
            value = _share(share)
            if value is None:
                raise RakingError.from_key(
                    "rake_share_invalid", column=column, level=str(level), value=str(share)
                )
            shares[level] = value
        total = sum(shares.values())
        if math.isclose(total, 100.0, rel_tol=SUM_TOLERANCE):
            percent.append(column)
        elif not math.isclose(total, 1.0, rel_tol=SUM_TOLERANCE):
            raise RakingError.from_key("rake_sum", column=column, total=f"{total:g}")
        # the shares divided by their own sum, so rounding in the file (33.3 + 33.3 + 33.3)
        # cannot leave the targets short of the total
        targets[column] = {level: value / total for level, value in shares.items()}
    return targets, tuple(percent)


def _share(value: object) -> float | None:
    """A share as a number ≥ 0 (a decimal comma read as a point), else None."""
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, str):
        value = value.strip().replace(",", ".")
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) and number >= 0 else None


def _from_table(table: pd.DataFrame) -> dict[str, dict[object, object]]:
    """A margins table (columns ``column``, ``level``, ``share``, any case) as a mapping; a
    row with a blank column name is an error naming the row."""
    names = {" ".join(str(c).split()).casefold(): c for c in table.columns}
    missing = [c for c in MARGIN_COLUMNS if c not in names]
    if missing:
        raise RakingError.from_key(
            "rake_table_columns",
            columns=", ".join(map(str, table.columns)),
            missing=", ".join(missing),
        )
    column, level, share = (table[names[c]] for c in MARGIN_COLUMNS)
    out: dict[str, dict[object, object]] = {}
    for i, (c, lv, s) in enumerate(zip(column, level, share, strict=True)):
        if level_key(c) is None:
            where = _row_of(table.index, i)
            raise RakingError.from_key("rake_table_blank_column", rows=where)
        name = str(c).strip()
        levels = out.setdefault(name, {})
        if any(level_key(k) == level_key(lv) for k in levels) and level_key(lv) is not None:
            raise RakingError.from_key("rake_level_twice", column=name, level=str(lv).strip())
        levels[lv] = s
    return out


def _row_of(index: pd.Index, i: int) -> Message:
    mask = np.zeros(len(index), dtype=bool)
    mask[i] = True
    return _rows(index, mask)


# ----------------------------------------------------------------------------- answers


def _base_weights(frame: pd.DataFrame, weight: str | None) -> np.ndarray:
    if weight is None:
        return np.ones(len(frame))
    if weight not in frame.columns:
        raise RakingError.from_key("rake_column_missing", column=weight, columns=_names(frame))
    w = pd.to_numeric(frame[weight], errors="coerce").to_numpy(dtype=float)
    bad = ~(np.isfinite(w) & (w >= 0))
    if bad.any():
        rows = _rows(frame.index, bad)
        raise RakingError.from_key(
            "rake_weight_invalid", column=weight, rows=rows, count=str(int(bad.sum()))
        )
    return w


def _codes(
    frame: pd.DataFrame, column: str, levels: dict[object, float], base: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Each answer's level position in ``levels`` and the levels' shares; every answer must
    have a level of the margins and every level an answer with a weight above 0."""
    if column not in frame.columns:
        raise RakingError.from_key("rake_column_missing", column=column, columns=_names(frame))
    keys = {level_key(level): i for i, level in enumerate(levels)}
    values = frame[column]
    uniques, inverse = _factorize(values)
    unique_keys = [level_key(u) for u in uniques]
    blank = np.array([k is None for k in unique_keys], dtype=bool)
    if blank.any():
        rows = blank[inverse]
        raise RakingError.from_key(
            "rake_blank",
            column=column,
            rows=_rows(frame.index, rows),
            count=str(int(rows.sum())),
        )
    position = np.array([keys.get(k, -1) for k in unique_keys], dtype=np.intp)
    unknown = np.flatnonzero(position < 0)
    if unknown.size:
        first = int(unknown[0])
        count = int(np.count_nonzero(inverse == first))
        raise RakingError.from_key(
            "rake_level_unknown",
            column=column,
            level=str(uniques[first]).strip(),
            count=str(count),
            levels=", ".join(str(level) for level in levels),
        )
    code = position[inverse]
    share = np.array(list(levels.values()), dtype=float)
    reached = np.bincount(code, weights=base, minlength=len(share)) > 0
    empty = np.flatnonzero(~reached & (share > 0))
    if empty.size:
        level = list(levels)[int(empty[0])]
        raise RakingError.from_key(
            "rake_level_no_answers",
            column=column,
            level=str(level),
            share=f"{levels[level]:.4g}",
        )
    return code, share


def _factorize(values: pd.Series) -> tuple[list[object], np.ndarray]:
    """The distinct values of ``values`` (blanks among them as ``None``) and each row's."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    uniques = list(uniques)
    if (codes < 0).any():
        codes = np.where(codes < 0, len(uniques), codes)
        uniques.append(None)
    return uniques, np.asarray(codes, dtype=np.intp)


def _rows(index: pd.Index, mask: np.ndarray, limit: int = 10) -> Message:
    """The rows a person sees: a file's rows or lines (the index :mod:`nps_xl.io` gives a
    frame), else the 1-based positions in the frame."""
    if index.name in ("line", "row"):
        return rows_message(index[mask], limit)
    where = np.flatnonzero(mask) + 1
    shown = ", ".join(str(int(i)) for i in where[:limit])
    more = len(where) - min(len(where), limit)
    return Message("position_index", index=shown + (f" (+{more})" if more else ""))


def _names(frame: pd.DataFrame) -> str:
    return ", ".join(map(str, frame.columns))
