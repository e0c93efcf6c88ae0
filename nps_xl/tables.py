"""Analysis tables: answers in, tidy DataFrames out.

Each table is two steps. First the answers are counted per group into
:class:`~nps_xl.counts.GroupedCounts` (per distinct raw date, segment value or comment, with
one ``numpy.bincount``); then the table is built from those counts alone and hands each
group's :class:`~nps_xl.counts.Counts` to :mod:`nps_xl.stats` — no statistic is computed here.
So the counts can come from anywhere (numpy, pandas, an SQL engine), and a report that reads
its answers once (:class:`~nps_xl.counts.Answers`, see :mod:`nps_xl.report`) builds every
table with the ``*_of`` functions; ``trend(frame, …)`` and the others read a frame for you.
Column names are the i18n keys of :mod:`nps_xl.i18n` (``period``, ``n``, ``nps``, ``low``, …), so
one table feeds a sheet, a chart, the CLI and a test.

Conventions shared by the tables

* **Scores** are read with ``parse_scores(..., invalid="skip")``: blanks are not answers, invalid
  answers are left out *and reported* (an :class:`~nps_xl.counts.InvalidAnswersWarning`, and the
  full list from :func:`invalid_answers`).
* **Weights** (``weight="Weight"``): ``promoters``/``passives``/``detractors`` become weight sums,
  shares and NPS are weighted, intervals and tests use the design-based effective sample size
  ``n_eff = V/v`` (:func:`nps_xl.stats.effective_n`: ``v`` the linearization variance of R
  ``survey::svymean``; Kish's ``(Σw)²/Σw²`` for counts without the Σw² per category).
  ``n`` is always the unweighted number of answers; the extra columns ``weighted_n`` (Σw) and
  ``effective_n`` appear after it, and the summary also has ``design_effect``.
* **Small samples**: ``small_sample`` is true when ``effective_n`` (= ``n`` unweighted) is below
  ``min_n``. Such rows are flagged, never hidden.
* **Intervals**: :func:`nps_xl.stats.interval` with ``method`` (default adjusted Wald).
  **Tests**: :func:`nps_xl.stats.compare` (``method="wald"`` when ``method="wald"``, adjusted Wald
  otherwise). **Multiple comparisons** (segments and trend): the tests of one table are one
  family; ``p_value`` is each test's raw p-value, ``p_adjusted`` the family's adjusted one
  (``adjust="holm"`` by default, ``"bh"`` Benjamini–Hochberg, ``"none"``;
  :mod:`nps_xl.multiplicity`), ``significant`` is ``p_adjusted < 1 − confidence`` and
  ``significant_raw`` is ``p_value < 1 − confidence``; both are ``<NA>`` where nothing was
  compared. Themes keep the raw test.
"""

from __future__ import annotations

import datetime as _dt
import math
import warnings
from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd

from nps_xl import companions
from nps_xl.benchmarks import band
from nps_xl.comments import ThemesLike, discover, distinct_theme_hits, load_themes
from nps_xl.control import control_limits
from nps_xl.counts import DETRACTOR, PASSIVE, Answers, Counts, GroupedCounts, warn_skipped
from nps_xl.dates import (
    PERIODS,
    distinct_dates,
    parse_dates,
    period_keys,
    period_label,
    trend_period,
)
from nps_xl.multiplicity import adjust_p, check_adjust
from nps_xl.scores import Scale
from nps_xl.stats import compare, design_effect, effective_n, interval

__all__ = [
    "DatesMissingWarning",
    "crosstab",
    "discover_terms",
    "follow_up",
    "invalid_answers",
    "latest_per_customer",
    "parse_dates",
    "segments",
    "summary",
    "themes",
    "trend",
]

ScaleLike = str | Scale | Sequence[int] | None

_COUNT_COLUMNS = ["promoters", "passives", "detractors"]
_SHARE_COLUMNS = ["promoter_share", "passive_share", "detractor_share"]


class DatesMissingWarning(UserWarning):
    """Issued when answers with a valid score have no date, so a trend cannot place them."""


# ----------------------------------------------------------------------------- inputs


def _require(frame: pd.DataFrame, *columns: str | None) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"Expected a pandas DataFrame of answers, got {type(frame).__name__}.")
    missing = [c for c in columns if c is not None and c not in frame.columns]
    if missing:
        raise KeyError(
            f"Column{'s' if len(missing) > 1 else ''} {', '.join(map(repr, missing))} not found. "
            f"Columns present: {', '.join(map(repr, map(str, frame.columns)))}. Pass the column "
            "name with score=, date=, … as it appears in the header."
        )


def read_answers(
    frame: pd.DataFrame,
    score: str = "Score",
    weight: str | None = None,
    scale: ScaleLike = None,
    *,
    warn: bool = True,
) -> Answers:
    """The ``score`` column of ``frame`` read once (invalid answers kept and listed), with the
    ``weight`` column's weights. Warns (:class:`~nps_xl.counts.InvalidAnswersWarning`) when
    invalid answers are left out of the figures."""
    _require(frame, score, weight)
    answers = Answers.read(
        frame[score], scale=scale, weights=None if weight is None else frame[weight]
    )
    if warn:
        rows = file_rows(frame.index, answers.parsed.invalid_positions[:10])
        warn_skipped(answers.parsed, rows.tolist())
    return answers


def period_id(period: str) -> str:
    """``"month"`` for ``"M"``, ``"monthly"``…; ``ValueError`` for anything else."""
    key = PERIODS.get(str(period).strip().lower())
    if key is None:
        raise ValueError(f"period must be 'week', 'month', 'quarter' or 'year', got {period!r}.")
    return key


def position_unit(index: pd.Index) -> str | None:
    """What the file positions of a frame count: ``"line"`` (the physical line of a CSV or
    text file, as a text editor numbers it), ``"row"`` (the Excel row of a spreadsheet, or a
    Parquet file's row as a spreadsheet would show it), or ``None`` for a frame that was not
    read from a file (its answers are numbered where the workbook shows them)."""
    return index.name if index.name in ("line", "row") else None


def file_rows(index: pd.Index, positions: np.ndarray) -> np.ndarray:
    """The rows a person sees for answers at 0-based ``positions``: the frame's index when it
    holds them (files read by :mod:`nps_xl.io`), else data rows counted from 1 (a frame with
    the default index 0, 1, 2…)."""
    positions = np.asarray(positions, dtype=np.int64)
    default = isinstance(index, pd.RangeIndex) and index.start == 0 and index.step == 1
    if pd.api.types.is_integer_dtype(index.dtype) and not default:
        return np.asarray(index)[positions].astype(np.int64)
    return positions + 1


# ----------------------------------------------------------------------------- rows of counts


def _usable(c: Counts) -> bool:
    return c.n > 0 and c.effective_n > 0


def _compare_method(method: str) -> str:
    return "wald" if method == "wald" else "adjusted-wald"


def _counts_row(
    c: Counts,
    n: int,
    confidence: float,
    method: str,
    min_n: float,
    *,
    margin: bool = False,
    population: float | None = None,
) -> dict:
    """The count, share, NPS and interval columns of one group (and ``margin_of_error``)."""
    row: dict = {"n": int(n)}
    if c.is_weighted:
        row["weighted_n"] = float(c.n)
        row["effective_n"] = float(_effective(c))
    row.update(promoters=c.promoters, passives=c.passives, detractors=c.detractors)
    row.update(
        promoter_share=c.promoter_share,
        passive_share=c.passive_share,
        detractor_share=c.detractor_share,
        nps=c.nps,
    )
    if _usable(c):
        # one note per table says where Wald or bootstrap fail, not one warning per row
        ci = interval(c, confidence=confidence, method=method, warn=False, population=population)
        row.update(low=ci.low, high=ci.high)
        if margin:
            row["margin_of_error"] = ci.margin
    else:
        row.update(low=math.nan, high=math.nan)
        if margin:
            row["margin_of_error"] = math.nan
    row["small_sample"] = bool(_effective(c) < min_n)
    return row


def _effective(c: Counts) -> float:
    """The effective n a row is judged by: ``n`` unweighted, else the design-based one."""
    return effective_n(c) if c.is_weighted and c.n > 0 else c.effective_n


def _test(a: Counts, b: Counts, confidence: float, method: str) -> tuple[float, float, object]:
    """(difference, p_value, significant) of a − b, or NaN/NaN/NA when either side is empty."""
    if not (_usable(a) and _usable(b)):
        return math.nan, math.nan, pd.NA
    cmp = compare(a, b, confidence=confidence, method=_compare_method(method))
    return cmp.difference, cmp.p_value, bool(cmp.significant)


def _finish(rows: list[dict], columns: list[str], weighted: bool) -> pd.DataFrame:
    if weighted:
        i = columns.index("n") + 1
        columns = [*columns[:i], "weighted_n", "effective_n", *columns[i:]]
    out = pd.DataFrame(rows, columns=columns)
    out["n"] = out["n"].astype(np.int64)
    if not weighted:
        for col in _COUNT_COLUMNS:
            out[col] = out[col].astype(np.int64)
    if "significant" in out:
        out["significant"] = out["significant"].astype("boolean")
    if "small_sample" in out:
        out["small_sample"] = out["small_sample"].astype(bool)
    return out


def _minus(total: Counts, part: Counts) -> Counts:
    """The answers of ``total`` outside ``part`` (rounding guarded at 0)."""
    return total.without(part)


def _adjusted(out: pd.DataFrame, adjust: str, confidence: float) -> pd.DataFrame:
    """``p_adjusted`` of the table's family of tests, ``significant`` from it and the raw flag
    as ``significant_raw`` (the ``significant`` column of the rows as tested)."""
    alpha = 1 - confidence
    p = out["p_value"].to_numpy(dtype=float)
    adjusted = adjust_p(p, adjust)
    tested = ~np.isnan(adjusted)
    out["p_adjusted"] = adjusted
    raw = pd.array([pd.NA] * len(out), dtype="boolean")
    flag = pd.array([pd.NA] * len(out), dtype="boolean")
    raw[tested] = p[tested] < alpha
    flag[tested] = adjusted[tested] < alpha
    out["significant"] = flag
    out["significant_raw"] = raw
    return out


def tests_in(table: pd.DataFrame) -> int:
    """The number of tests in a table's family (rows with a p-value)."""
    return int(table["p_value"].notna().sum()) if "p_value" in table else 0


# ----------------------------------------------------------------------------- trend

TREND_COLUMNS = [
    "period",
    "start",
    "n",
    *_COUNT_COLUMNS,
    *_SHARE_COLUMNS,
    "nps",
    "low",
    "high",
    "centre",
    "lower_limit",
    "upper_limit",
    "out_of_control",
    "change",
    "p_value",
    "p_adjusted",
    "significant",
    "significant_raw",
    "small_sample",
]


def trend(
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    date: str = "Date",
    period: str = "month",
    confidence: float = 0.95,
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = None,
    method: str = "adjusted-wald",
    adjust: str = "holm",
) -> pd.DataFrame:
    """NPS per calendar period, with the change from the previous period and its test.

    Columns: ``period`` (label: ``"2025"``, ``"2025-Q2"``, ``"2025-05"``, ISO week
    ``"2025-W19"``), ``start`` (first day of the period; weeks start on Monday), ``n``, counts,
    shares, ``nps`` = 100·(promoters − detractors)/n (Reichheld 2003), ``low``/``high`` (interval
    at ``confidence``, :func:`nps_xl.stats.interval`), ``change`` = NPS − NPS of the previous
    calendar period, ``p_value`` and ``significant`` from the two-sample test
    :func:`nps_xl.stats.compare` on the two periods' counts, ``p_adjusted`` (the periods'
    tests adjusted as one family, ``adjust``), ``significant`` (adjusted), ``significant_raw``,
    ``small_sample``; and control limits as a p-chart's (:func:`nps_xl.control.control_limits`):
    ``centre`` (the pooled NPS of the whole window), ``lower_limit``/``upper_limit``
    (centre ± 3 standard errors of the period's n) and ``out_of_control``.

    Every calendar period between the first and the last dated answer is a row: an empty
    period has ``n`` 0 and NaN statistics (a gap in a chart, not a zero). The change is taken
    against the previous calendar period only; when that period is empty the change is NaN
    (comparing across a gap would silently change the time step). Answers with a valid score
    but no date are left out with a :class:`DatesMissingWarning`.
    """
    key = period_id(period)
    answers = read_answers(frame, score, weight, scale)
    _require(frame, date)
    by_date, undated = count_by_date(answers, frame[date], column=date)
    if undated.any():
        rows = tuple(file_rows(frame.index, np.flatnonzero(undated)[:5]).tolist())
        message = undated_message(int(undated.sum()), rows, date)
        warnings.warn(message, DatesMissingWarning, stacklevel=2)
    key = trend_period_of(by_date, key)  # answers dated by quarter: a trend by quarter
    return trend_table(periods_of(by_date, key), key, confidence, min_n, method, adjust=adjust)


def count_by_date(
    answers: Answers, dates: pd.Series, *, column: str = "Date"
) -> tuple[GroupedCounts, np.ndarray]:
    """Answers per distinct date (keys: ``datetime64[ns]``), and the mask of answers with a
    valid score but no date. Each distinct date is read once
    (:func:`nps_xl.dates.distinct_dates`)."""
    codes, distinct = distinct_dates(dates, column)
    return GroupedCounts.count(answers, codes, distinct), answers.valid & (codes < 0)


def undated_message(count: int, rows: Sequence[int], column: str = "Date") -> str:
    """``Left out 3 answer(s) with a score but no 'Date' (rows 4, 9, 17).``"""
    return (
        f"Left out {count} answer(s) with a score but no {column!r} "
        f"(rows {', '.join(map(str, rows))}{', …' if count > len(rows) else ''})."
    )


def trend_period_of(by_date: GroupedCounts, period: str) -> str:
    """The period of a trend of ``by_date``: ``period``, or coarser when the answers are
    dated by month, quarter or year only (:func:`nps_xl.dates.trend_period`)."""
    dates = np.asarray(by_date.keys.tolist(), dtype="datetime64[ns]")
    return trend_period(dates[by_date.n > 0], period)


def periods_of(by_date: GroupedCounts, period: str) -> GroupedCounts:
    """Counts per distinct date summed into calendar periods (keys: the periods' first days as
    ``Timestamp``), every period from the first to the last one with a valid answer."""
    dates = np.asarray(by_date.keys.tolist(), dtype="datetime64[ns]")
    used = by_date.n > 0
    if not used.any():
        return by_date.regroup(np.full(len(by_date), -1), [])
    keys, step, unit = period_keys(dates, period)
    first, last = keys[used].min(), keys[used].max()
    size = int((last - first) // step) + 1
    codes = (keys - first) // step
    codes = np.where((codes >= 0) & (codes < size), codes, -1)
    starts = [pd.Timestamp(np.datetime64(int(first + i * step), unit)) for i in range(size)]
    return by_date.regroup(codes, starts)


def trend_table(
    by_period: GroupedCounts,
    period: str = "month",
    confidence: float = 0.95,
    min_n: int = 30,
    method: str = "adjusted-wald",
    *,
    adjust: str = "holm",
) -> pd.DataFrame:
    """The trend table of counts per consecutive period (:func:`periods_of`)."""
    adjust = check_adjust(adjust)
    rows: list[dict] = []
    previous: Counts | None = None
    for i, start in enumerate(by_period.keys.tolist()):
        c = by_period.counts(i)
        row = {"period": period_label(start, period), "start": start}
        row.update(_counts_row(c, by_period.n[i], confidence, method, min_n))
        if previous is None:
            row.update(change=math.nan, p_value=math.nan, significant=pd.NA)
        else:
            change, p, sig = _test(c, previous, confidence, method)
            row.update(change=change, p_value=p, significant=sig)
        rows.append(row)
        previous = c
    out = _finish(rows, TREND_COLUMNS, by_period.weighted)
    out["start"] = pd.to_datetime(out["start"]).astype("datetime64[ns]")
    out = _adjusted(out, adjust, confidence)
    return _with_limits(out, by_period)


def _with_limits(out: pd.DataFrame, by_period: GroupedCounts) -> pd.DataFrame:
    """The control-limit columns of a trend table, around the pooled NPS of its periods."""
    pooled = by_period.total() if len(by_period) else Counts(0, 0, 0)
    effective = [_effective(by_period.counts(i)) for i in range(len(by_period))]
    centre, lower, upper, outside = control_limits(
        pooled.promoter_share, pooled.detractor_share, effective, out["nps"]
    )
    out["centre"] = centre if len(out) else np.nan
    out["lower_limit"] = lower
    out["upper_limit"] = upper
    flag = pd.array([pd.NA] * len(out), dtype="boolean")
    known = ~np.isnan(outside)
    flag[known] = outside[known] > 0
    out["out_of_control"] = flag
    return out


# ----------------------------------------------------------------------------- segments

SEGMENT_COLUMNS = [
    "segment",
    "group",
    "n",
    *_COUNT_COLUMNS,
    *_SHARE_COLUMNS,
    "nps",
    "low",
    "high",
    "difference_from_rest",
    "p_value",
    "p_adjusted",
    "significant",
    "significant_raw",
    "impact",
    "small_sample",
]


def factorize(values: pd.Series, *, sort: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Group codes and group values, sorted (``sort=False``: in order of appearance); blank
    values are a last group of their own (NaN)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes, uniques = np.asarray(codes), np.asarray(uniques, dtype=object)
    try:
        order = np.argsort(uniques, kind="stable") if sort else np.arange(len(uniques))
    except TypeError:  # values of mixed types do not sort: keep their order of appearance
        order = np.arange(len(uniques))
    rank = np.empty(len(order), dtype=np.intp)
    rank[order] = np.arange(len(order))
    blank = codes < 0
    codes = np.where(blank, len(uniques), rank[np.maximum(codes, 0)] if len(uniques) else 0)
    uniques = uniques[order]
    if blank.any():
        uniques = np.append(uniques, np.array([np.nan], dtype=object))
    return codes, uniques


def count_by_value(answers: Answers, values: pd.Series, *, sort: bool = True) -> GroupedCounts:
    """Answers per value of a column (sorted unless ``sort=False``; blank values last, NaN)."""
    codes, keys = factorize(values, sort=sort)
    return GroupedCounts.count(answers, codes, keys)


def segments(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    *,
    score: str = "Score",
    confidence: float = 0.95,
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = None,
    method: str = "adjusted-wald",
    adjust: str = "holm",
) -> pd.DataFrame:
    """NPS of every value of one or more segment columns, against the rest of the answers.

    One row per (``segment`` = column name, ``group`` = value); blank values form their own
    group (``group`` NaN) so no answer is lost. Besides counts, shares, ``nps`` and its interval:

    * ``difference_from_rest`` = NPS(group) − NPS(all other answers), with ``p_value`` and
      ``significant`` from :func:`nps_xl.stats.compare` (two independent samples); every row
      of the table is one family of tests: ``p_adjusted`` by ``adjust`` (Holm by default),
      ``significant`` from it, ``significant_raw`` from ``p_value``;
    * ``impact`` = overall NPS − NPS of the answers outside the group: how many points the group
      adds to (positive) or takes from (negative) the overall score. Equivalent to
      ``share_of_answers × difference_from_rest``.
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not columns:
        raise ValueError("Give at least one segment column in by=.")
    answers = read_answers(frame, score, weight, scale)
    _require(frame, *columns)
    grouped = {column: count_by_value(answers, frame[column]) for column in columns}
    return segment_table(
        grouped, confidence, min_n, method, weighted=answers.weighted, adjust=adjust
    )


def segment_table(
    by_segment: Mapping[str, GroupedCounts],
    confidence: float = 0.95,
    min_n: int = 30,
    method: str = "adjusted-wald",
    *,
    weighted: bool = False,
    adjust: str = "holm",
) -> pd.DataFrame:
    """The segments table of counts per value of each segment column (:func:`count_by_value`)."""
    adjust = check_adjust(adjust)
    rows: list[dict] = []
    for column, grouped in by_segment.items():
        total = grouped.total()  # every answer is in one group (blank values too)
        for i, value in enumerate(grouped.keys.tolist()):
            c = grouped.counts(i)
            rest = _minus(total, c)
            row = {"segment": column, "group": value}
            row.update(_counts_row(c, grouped.n[i], confidence, method, min_n))
            diff, p, sig = _test(c, rest, confidence, method)
            row.update(difference_from_rest=diff, p_value=p, significant=sig)
            row["impact"] = total.nps - rest.nps if _usable(rest) else math.nan
            rows.append(row)
    return _adjusted(_finish(rows, SEGMENT_COLUMNS, weighted), adjust, confidence)


def crosstab(
    frame: pd.DataFrame,
    rows: str,
    columns: str,
    *,
    score: str = "Score",
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = None,
) -> pd.DataFrame:
    """NPS of every combination of two segment columns, as a pivot.

    Returns a DataFrame indexed by the values of ``rows`` whose columns are a two-level index:
    ``"nps"``, ``"n"`` (unweighted answers) and ``"small_sample"`` (effective n < ``min_n``) ×
    the values of ``columns``; select one block with ``table["nps"]``. Empty combinations have
    n 0 and NaN NPS.
    """
    answers = read_answers(frame, score, weight, scale)
    _require(frame, rows, columns)
    r_codes, r_values = factorize(frame[rows])
    c_codes, c_values = factorize(frame[columns])
    nc = len(c_values)
    size = len(r_values) * nc
    grouped = GroupedCounts.count(answers, r_codes * nc + c_codes, np.arange(size))
    cells = [grouped.counts(i) for i in range(size)]
    shape = (len(r_values), nc)
    nps_values = np.array([c.nps for c in cells], dtype=float).reshape(shape)
    n_values = grouped.n.reshape(shape).astype(np.int64)
    small = np.array([_effective(c) < min_n for c in cells]).reshape(shape)
    index = pd.Index(r_values, name=rows)
    col_index = pd.Index(c_values, name=columns)
    return pd.concat(
        {
            "nps": pd.DataFrame(nps_values, index=index, columns=col_index),
            "n": pd.DataFrame(n_values, index=index, columns=col_index),
            "small_sample": pd.DataFrame(small, index=index, columns=col_index),
        },
        axis=1,
    )


# ----------------------------------------------------------------------------- summary


def summary(
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    confidence: float = 0.95,
    weight: str | None = None,
    scale: ScaleLike = None,
    target: float | None = None,
    industry: str = "global",
    lang: str = "en",
    method: str = "adjusted-wald",
    csat: str | None = "CSAT",
    ces: str | None = "CES",
    crr: tuple[float, float, float] | None = None,
    min_n: int = 30,
    population: float | None = None,
) -> dict:
    """Headline figures: ``n``, counts, shares, ``nps``, ``low``, ``high``,
    ``margin_of_error`` (half the interval width, :func:`nps_xl.stats.interval`), ``band``
    (:func:`nps_xl.benchmarks.band`), ``blank``, ``invalid``, ``target`` and
    ``gap_to_target`` = NPS − target (negative: below target; None without a target),
    ``industry``, ``small_sample`` (effective n below ``min_n``, default 30, the tables'
    threshold) and ``min_n``. Weighted: also ``weighted_n``, ``effective_n`` (design-based)
    and ``design_effect`` (:func:`nps_xl.stats.design_effect`). ``population=N``: the interval
    gets the finite population correction ``f = 1 − n/N`` and the dict has ``population``.

    Companion metrics (:mod:`nps_xl.companions`): ``csat`` / ``ces`` when the
    frame has the named column (``companions.csat(ratings)`` / ``companions.ces(ratings)``),
    ``crr`` from ``crr=(customers at start, at end, new customers)`` (``companions.crr``).
    """
    answers = read_answers(frame, score, weight, scale)
    out = summary_of(
        GroupedCounts.overall(answers),
        confidence=confidence,
        method=method,
        target=target,
        industry=industry,
        lang=lang,
        min_n=min_n,
        population=population,
    )
    out.update(_companions(frame, csat, ces, crr))
    return out


def summary_of(
    overall: GroupedCounts,
    *,
    confidence: float = 0.95,
    method: str = "adjusted-wald",
    target: float | None = None,
    industry: str = "global",
    lang: str = "en",
    min_n: int = 30,
    population: float | None = None,
) -> dict:
    """The headline figures of :func:`summary` from the counts of all answers as one group;
    ``small_sample`` is true when the effective n is below ``min_n`` (the tables' threshold).
    ``population``: the N the answers were drawn from; the interval gets the finite population
    correction (:func:`nps_xl.stats.finite_population_correction`)."""
    total = overall.total()
    out = _counts_row(
        total,
        int(overall.n.sum()),
        confidence,
        method,
        min_n,
        margin=True,
        population=population,
    )
    if total.is_weighted:
        out["design_effect"] = design_effect(total) if total.n > 0 else math.nan
    out["min_n"] = min_n
    out["confidence"] = confidence
    out["band"] = None if math.isnan(total.nps) else band(total.nps, lang=lang)
    out["blank"] = int(overall.blank.sum())
    out["invalid"] = int(overall.invalid.sum())
    out["target"] = None if target is None else float(target)
    out["gap_to_target"] = (
        None if target is None or math.isnan(total.nps) else total.nps - float(target)
    )
    out["industry"] = industry
    if population is not None:
        out["population"] = float(population)
    return out


def _companions(frame: pd.DataFrame, csat: str | None, ces: str | None, crr: tuple | None) -> dict:
    out = {}
    if csat is not None and csat in frame.columns:
        out["csat"] = companions.csat(frame[csat])
    if ces is not None and ces in frame.columns:
        out["ces"] = companions.ces(frame[ces])
    if crr is not None:
        out["crr"] = companions.crr(*crr)
    return out


# ----------------------------------------------------------------------------- data hygiene


def invalid_answers(
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    response_id: str | None = None,
    scale: ScaleLike = None,
) -> pd.DataFrame:
    """Every answer that is not a score: ``[row, response_id, value]``. ``row`` is the row a
    person sees: the Excel row of a spreadsheet read by :mod:`nps_xl.io` (the frame's index),
    else the data row counted from 1; for a CSV file read by :mod:`nps_xl.io` the column is
    ``line``, the line a text editor shows — the number the CLI, its JSON and the workbook
    give. Blank answers are not listed (they are counted as blanks)."""
    _require(frame, score, response_id)
    answers = read_answers(frame, score, None, scale, warn=False)
    ids = None if response_id is None else frame[response_id]
    table = invalid_of(answers, ids, frame.index)
    return table.rename(columns={"row": "line"}) if position_unit(frame.index) == "line" else table


def invalid_of(
    answers: Answers, ids: pd.Series | None = None, index: pd.Index | None = None
) -> pd.DataFrame:
    """``[row, response_id, value]`` of every invalid answer: ``row`` is the row a person sees
    (:func:`file_rows` of ``index``; without it, data rows counted from 1)."""
    parsed = answers.parsed
    positions = parsed.invalid_positions
    taken = (
        ids.to_numpy(dtype=object)[positions]
        if ids is not None
        else np.full(len(positions), None, dtype=object)
    )
    return pd.DataFrame(
        {
            "row": (positions + 1 if index is None else file_rows(index, positions)).astype(
                np.int64
            ),
            "response_id": taken,
            "value": np.asarray(parsed.invalid_values, dtype=object),
        }
    )


def latest_per_customer(
    frame: pd.DataFrame,
    customer: str,
    date: str,
    *,
    score: str | None = None,
    scale: ScaleLike = None,
) -> pd.DataFrame:
    """Keep only each customer's latest answer (by ``date``; on equal dates, the lower row).

    With ``score``, the latest *valid* answer counts: a later blank or invalid answer ("N/A")
    never hides the same customer's earlier score; a customer with no valid answer keeps their
    latest answer (so it is still reported as blank or invalid). Rows without a customer are
    all kept (anonymous answers). Rows of a known customer need a date; a blank one raises
    ``ValueError`` naming the row. The original row order is kept.
    """
    _require(frame, customer, date, score)
    dates = parse_dates(frame[date], column=date).to_numpy()
    who = frame[customer]
    known = who.notna().to_numpy()
    missing = known & np.isnat(dates)
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        row = int(file_rows(frame.index, np.array([first]))[0])
        raise ValueError(
            f"Row {row} (customer {who.iloc[first]!r}) has no {date!r}, so its latest answer "
            "cannot be found. Fill in the date or clear the customer cell."
        )
    valid = (
        np.ones(len(frame), dtype=bool)
        if score is None
        else read_answers(frame, score, None, scale, warn=False).valid
    )
    order = pd.DataFrame(
        {"customer": who.to_numpy(), "valid": valid, "date": dates, "row": np.arange(len(frame))}
    )[known]
    # valid answers sort after the others, then by date (stable: among equal dates the later
    # row stays last), so the last row of each customer is their latest valid answer if any
    latest = order.sort_values(["valid", "date"], kind="stable").drop_duplicates(
        "customer", keep="last"
    )
    keep = ~known
    keep[latest["row"].to_numpy()] = True
    return frame[keep]


# ----------------------------------------------------------------------------- follow-up


def follow_up(
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    date: str | None = "Date",
    comment: str | None = "Comment",
    response_id: str | None = "Response ID",
    segments: Sequence[str] = (),
    include_passives: bool = False,
    previous: pd.DataFrame | None = None,
    scale: ScaleLike = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """Who to call back: detractors (and passives with ``include_passives``), newest first.

    Columns: ``response_id``, ``date``, ``score``, ``category`` (``"detractor"`` /
    ``"passive"``, i18n keys), ``comment``, the ``segments`` columns under their own names, and
    ``status``. ``status`` is carried over from ``previous`` (an earlier follow-up table with
    columns ``response_id``/``status``, or with the ``response_id`` column's own name and
    ``Status``) by response ID, so notes typed in the sheet survive a refresh; new rows get "".
    Without ``response_id`` the 1-based data row stands in for it. Answers without a date come
    last; equal dates keep the file order. ``limit`` keeps only the first (newest) ``limit``
    rows; the table's length without it is the number of detractors (plus passives).
    """
    cols = [c for c in (date, comment, response_id) if c is not None]
    answers = read_answers(frame, score, None, scale, warn=False)
    _require(frame, *cols, *segments)
    return follow_up_of(
        answers,
        frame,
        date=date,
        comment=comment,
        response_id=response_id,
        segments=segments,
        include_passives=include_passives,
        previous=previous,
        limit=limit,
    )


def follow_up_of(
    answers: Answers,
    frame: pd.DataFrame,
    *,
    date: str | None = "Date",
    comment: str | None = "Comment",
    response_id: str | None = "Response ID",
    segments: Sequence[str] = (),
    include_passives: bool = False,
    previous: pd.DataFrame | None = None,
    limit: int | None = None,
    dates: np.ndarray | None = None,
) -> pd.DataFrame:
    """:func:`follow_up` of answers already read; ``dates`` (``datetime64[ns]`` per row) saves
    parsing the ``date`` column again."""
    wanted = (answers.category == DETRACTOR) | (
        (answers.category == PASSIVE) & bool(include_passives)
    )
    idx = np.flatnonzero(wanted)
    if dates is None and date is not None:
        # every date is checked (a bad one raises, naming its row), only the wanted ones kept
        dates = parse_dates(frame[date], column=date).to_numpy()
    if dates is not None:
        dates = np.asarray(dates, dtype="datetime64[ns]")[idx]
    else:
        dates = np.full(len(idx), np.datetime64("NaT"), dtype="datetime64[ns]")
    # newest first, stable (equal dates keep the file order), answers without a date last
    missing = np.isnat(dates)
    dated = np.flatnonzero(~missing)
    order = dated[np.argsort(-dates[dated].astype(np.int64), kind="stable")]
    order = np.concatenate([order, np.flatnonzero(missing)])
    if limit is not None:
        order = order[: max(int(limit), 0)]
    rows = idx[order]

    def column(name: str) -> np.ndarray:
        return frame[name].take(rows).to_numpy(dtype=object)

    out = pd.DataFrame(
        {
            "response_id": column(response_id)
            if response_id is not None
            else (rows + 1).astype(np.int64),
            "date": dates[order],
            "score": answers.parsed.values[rows],
            "category": np.where(answers.category[rows] == DETRACTOR, "detractor", "passive"),
            "comment": column(comment)
            if comment is not None
            else np.full(len(rows), None, dtype=object),
        }
    )
    for name in segments:
        out[name] = column(name)
    if previous is None:
        out["status"] = ""
        return out
    out["status"] = carry_status(out["response_id"], previous, response_id)
    return out


#: Columns of a Follow-up list that the report fills; any other column belongs to the user.
FOLLOW_UP_COLUMNS = ("response_id", "date", "score", "category", "comment")


def carry_status(ids: pd.Series, previous: pd.DataFrame | None, id_name: str | None) -> list:
    """The Status notes of ``previous`` (an earlier Follow-up list) for ``ids``, by ID."""
    if previous is None or len(previous) == 0:
        return [""] * len(ids)
    id_col = next(
        (c for c in ("response_id", id_name) if c is not None and c in previous.columns), None
    )
    status_col = next((c for c in ("status", "Status") if c in previous.columns), None)
    if id_col is None or status_col is None:
        raise KeyError(
            "previous must have a response ID column ('response_id' or "
            f"{id_name!r}) and a 'status' column; it has {list(previous.columns)}."
        )
    current = pd.DataFrame({"response_id": ids.to_numpy(dtype=object)})
    before = pd.DataFrame(
        {"response_id": previous[id_col].to_numpy(dtype=object), "status": previous[status_col]}
    )
    return carry_notes(current, before, ids=True)["status"].tolist()


def answer_keys(frame: pd.DataFrame, *, ids: bool, content: Sequence[str] = ()) -> list[tuple]:
    """What identifies each answer of a Follow-up list, whatever order its rows are in.

    An answer is its Response ID (``ids``: the export has one and this row's is not blank);
    otherwise its content — the ``content`` columns (date, comment, segment values), never the
    score, so a corrected score keeps its key. The k-th repeat of the same key (a duplicated
    ID, two identical anonymous answers) is told apart by k, in the list's order.
    """
    columns = [frame[c].to_numpy(dtype=object) if c in frame.columns else None for c in content]
    id_values = frame["response_id"].to_numpy(dtype=object) if ids else None
    seen: dict[tuple, int] = {}
    keys = []
    for i in range(len(frame)):
        rid = _key_text(id_values[i]) if id_values is not None else ""
        if rid:
            base: tuple = ("id", rid)
        else:
            base = ("content", *(_key_text(c[i]) if c is not None else "" for c in columns))
        k = seen.get(base, 0)
        seen[base] = k + 1
        keys.append((*base, k))
    return keys


def carry_notes(
    follow_up: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    ids: bool,
    content: Sequence[str] = ("date", "comment"),
) -> pd.DataFrame:
    """``follow_up`` with the user's notes from ``previous`` (the list as they left it): the
    ``status`` column and every column of theirs (any column not in ``FOLLOW_UP_COLUMNS``,
    ``content`` or ``follow_up`` itself, e.g. "Owner"), matched by :func:`answer_keys`.

    Notes follow their answer through re-sorting; the notes of answers that are no longer on
    the list (a corrected score, an answer removed, the limit) are given by
    :func:`notes_left_behind`, so nothing the user typed is lost.
    """
    out = follow_up.copy()
    if previous is None or len(previous) == 0:
        out["status"] = ""
        return out
    theirs = [c for c in _note_columns(previous, content) if c != "status"]
    before = answer_keys(previous, ids=ids, content=content)
    now = answer_keys(out, ids=ids, content=content)
    for column in ("status", *theirs):
        if column not in previous.columns:
            out[column] = ""
            continue
        known = {
            key: value
            for key, value in zip(before, previous[column].to_numpy(dtype=object), strict=True)
            if not _blank_note(value)
        }
        out[column] = [known.get(key, "") for key in now]
    return out


def notes_left_behind(
    follow_up: pd.DataFrame,
    previous: pd.DataFrame | None,
    *,
    ids: bool,
    content: Sequence[str] = ("date", "comment"),
) -> pd.DataFrame:
    """The rows of ``previous`` that hold a note (status or a column of the user's) for an
    answer that is not on ``follow_up`` any more, as the user left them."""
    if previous is None or len(previous) == 0:
        return previous.iloc[0:0] if previous is not None else pd.DataFrame()
    notes = _note_columns(previous, content)
    if not notes:
        return previous.iloc[0:0]
    noted = np.array(
        [any(not _blank_note(v) for v in row) for row in previous[notes].to_numpy(dtype=object)],
        dtype=bool,
    )
    listed = set(answer_keys(follow_up, ids=ids, content=content))
    before = answer_keys(previous, ids=ids, content=content)
    gone = noted & np.array([key not in listed for key in before], dtype=bool)
    return previous[gone]


def _note_columns(previous: pd.DataFrame, content: Sequence[str]) -> list[str]:
    """The columns of ``previous`` that hold the user's notes: ``status`` and every column the
    report does not fill (not in ``FOLLOW_UP_COLUMNS`` nor the ``content`` columns, which
    name the segments too)."""
    report = {*FOLLOW_UP_COLUMNS, *content}
    return [c for c in previous.columns if c not in report and str(c).strip()]


def _blank_note(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value == ""


def _key_text(value: object) -> str:
    """One cell as comparable text: a sheet gives back 12.0 for "12", a datetime or its serial
    number for a date, padded text; blanks are ""."""
    if value is None or value is pd.NaT or value is pd.NA:
        return ""
    if isinstance(value, (float, np.floating)):
        if math.isnan(value):
            return ""
        if float(value).is_integer():
            return str(int(value))
        return repr(float(value))
    if isinstance(value, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        return "" if pd.isna(stamp) else stamp.isoformat()
    text = str(value).strip()
    if len(text) >= 10 and text[4:5] == "-" and text[:4].isdigit():
        try:  # ISO dates as Office.js sends date cells
            return pd.Timestamp(text).isoformat()
        except ValueError:
            return text
    return text


# ----------------------------------------------------------------------------- themes

THEME_COLUMNS = [
    "theme",
    "mentions",
    "share",
    *_COUNT_COLUMNS,
    "nps",
    "low",
    "high",
    "impact",
    "small_sample",
]


def themes(
    frame: pd.DataFrame,
    *,
    comment: str = "Comment",
    score: str = "Score",
    themes: ThemesLike = None,
    confidence: float = 0.95,
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = None,
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """How often each theme is mentioned, by whom, and what it does to the NPS.

    ``themes`` is a theme list (see :func:`nps_xl.comments.load_themes`; default: the shipped
    list). Among answers with a valid score: ``mentions`` = answers whose comment matches the
    theme (unweighted), ``share`` = mentions / answers with a comment, ``promoters`` /
    ``passives`` / ``detractors`` of those answers, ``nps`` of those answers with its interval,
    and ``impact`` = overall NPS − NPS of the answers *not* mentioning the theme (negative: the
    theme drags the score down).
    """
    answers = read_answers(frame, score, weight, scale)
    _require(frame, comment)
    return themes_of(answers, frame[comment], themes, confidence, min_n, method)


def themes_of(
    answers: Answers,
    comments: pd.Series,
    themes: ThemesLike = None,
    confidence: float = 0.95,
    min_n: int = 30,
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """:func:`themes` of answers already read."""
    by_comment = count_by_value(answers, comments, sort=False)
    total = GroupedCounts.overall(answers).total()
    return theme_table(by_comment, total, themes, confidence, min_n, method)


def theme_table(
    by_comment: GroupedCounts,
    total: Counts,
    themes: ThemesLike = None,
    confidence: float = 0.95,
    min_n: int = 30,
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """The themes table of counts per distinct comment (keys: the comments; NaN: none). Each
    distinct comment is matched against the theme patterns once; the comments that mention a
    theme are then added up."""
    theme_list = load_themes(themes)
    keys = pd.Series(by_comment.keys, dtype=object)
    codes, hits, filled = distinct_theme_hits(keys, theme_list)
    per_comment = by_comment.regroup(codes, np.arange(len(filled)))
    n_commented = int(per_comment.n[filled].sum())
    rows = []
    for theme in theme_list:
        c = per_comment.where(hits[theme])
        mentions = int(per_comment.n[hits[theme]].sum())
        rest = _minus(total, c)
        row = {"theme": theme, "mentions": mentions}
        row["share"] = mentions / n_commented if n_commented else math.nan
        stats = _counts_row(c, mentions, confidence, method, min_n)
        row.update({k: v for k, v in stats.items() if k != "n"})
        row["impact"] = total.nps - rest.nps if _usable(rest) else math.nan
        rows.append(row)
    columns = list(THEME_COLUMNS)
    if by_comment.weighted:
        columns[2:2] = ["weighted_n", "effective_n"]
    out = pd.DataFrame(rows, columns=columns)
    out["mentions"] = out["mentions"].astype(np.int64)
    if not by_comment.weighted:
        for col in _COUNT_COLUMNS:
            out[col] = out[col].astype(np.int64)
    out["small_sample"] = out["small_sample"].astype(bool)
    return out


def discover_terms(
    frame: pd.DataFrame,
    *,
    comment: str = "Comment",
    score: str = "Score",
    top: int = 15,
    min_count: int = 2,
    min_lift: float = 1.0,
    scale: ScaleLike = None,
) -> pd.DataFrame:
    """Frequent terms per category (``"detractors"``, ``"passives"``, ``"promoters"``):
    ``[category, term, count, share, lift]``; see :func:`nps_xl.comments.discover` for the
    tokenisation (words; bigrams of Chinese characters) and the lift formula."""
    answers = read_answers(frame, score, None, scale)
    _require(frame, comment)
    names = np.array(["detractors", "passives", "promoters", None, None], dtype=object)
    groups = pd.Categorical(names[answers.category], categories=list(names[:3]))
    return discover(
        frame[comment].to_numpy(dtype=object),
        groups,
        top=top,
        min_count=min_count,
        min_lift=min_lift,
    )
