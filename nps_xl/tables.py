"""Analysis tables: a pandas DataFrame of answers in, tidy DataFrames out.

Every table counts answers into :class:`~nps_xl.counts.Counts` per group (vectorised with
``numpy.bincount``) and hands the counts to :mod:`nps_xl.stats`; no statistic is computed here.
Column names are the i18n keys of :mod:`nps_xl.i18n` (``period``, ``n``, ``nps``, ``low``, …), so
one table feeds a sheet, a chart, the CLI and a test.

Conventions shared by the tables

* **Scores** are read with ``parse_scores(..., invalid="skip")``: blanks are not answers, invalid
  answers are left out *and reported* (an :class:`~nps_xl.counts.InvalidAnswersWarning`, and the
  full list from :func:`invalid_answers`).
* **Weights** (``weight="Weight"``): ``promoters``/``passives``/``detractors`` become weight sums,
  shares and NPS are weighted, intervals and tests use the Kish effective sample size
  ``n_eff = (Σw)²/Σw²`` (Kish 1965, §11.7). ``n`` is always the unweighted number of answers; the
  extra columns ``weighted_n`` (Σw) and ``effective_n`` appear after it.
* **Small samples**: ``small_sample`` is true when ``effective_n`` (= ``n`` unweighted) is below
  ``min_n``. Such rows are flagged, never hidden.
* **Intervals**: :func:`nps_xl.stats.interval` with ``method`` (default adjusted Wald).
  **Tests**: :func:`nps_xl.stats.compare` (``method="wald"`` when ``method="wald"``, adjusted Wald
  otherwise); ``significant`` is ``p_value < 1 − confidence``; it is ``<NA>`` where nothing was
  compared.
"""

from __future__ import annotations

import datetime as _dt
import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl import companions
from nps_xl.benchmarks import band
from nps_xl.comments import ThemesLike, discover, distinct_theme_hits, load_themes
from nps_xl.counts import Counts, parse_weights, warn_skipped
from nps_xl.scores import ParsedScores, Scale, parse_scores
from nps_xl.stats import compare, interval

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

PERIODS = {
    "week": "week",
    "w": "week",
    "weekly": "week",
    "month": "month",
    "m": "month",
    "monthly": "month",
    "quarter": "quarter",
    "q": "quarter",
    "quarterly": "quarter",
    "year": "year",
    "y": "year",
    "yearly": "year",
    "annual": "year",
}

#: Excel's 1900 date system: serial 1 = 1900-01-01, but Excel counts a 29 February 1900 that
#: never existed, so from serial 61 (1900-03-01) on, day 0 is 1899-12-30 (45658 = 2025-01-01).
EXCEL_EPOCH = np.datetime64("1899-12-30", "ns")
_NS_PER_DAY = 86_400_000_000_000
_MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31

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


@dataclass(frozen=True)
class _Answers:
    """Scores of a frame's rows as category codes, aligned with the rows."""

    parsed: ParsedScores
    codes: np.ndarray  # int8 −1/0/+1 (0 where not valid: always combine with ``valid``)
    valid: np.ndarray
    weights: np.ndarray | None
    category: np.ndarray  # codes + 1 as intp: 0 detractor, 1 passive, 2 promoter
    squared_weights: np.ndarray | None

    @property
    def weighted(self) -> bool:
        return self.weights is not None


def _answers(
    frame: pd.DataFrame, score: str, weight: str | None, scale: ScaleLike, warn: bool = True
) -> _Answers:
    _require(frame, score, weight)
    parsed = parse_scores(frame[score], scale=scale, invalid="skip")
    if warn:
        warn_skipped(parsed)
    valid = parsed.valid
    codes = np.zeros(len(valid), dtype=np.int8)
    codes[valid] = parsed.scale.categorize(parsed.values[valid])
    weights = None
    if weight is not None:
        weights = parse_weights(frame[weight], parsed)
        weights = np.where(valid, weights, 0.0)
    category = codes.astype(np.intp) + 1
    squared = None if weights is None else weights * weights
    return _Answers(parsed, codes, valid, weights, category, squared)


def parse_dates(values: object, *, column: str = "Date") -> pd.Series:
    """Dates as a ``datetime64[ns]`` Series (NaT for blanks), index kept from a Series input.

    Accepted: datetimes/Timestamps/dates, ISO 8601 text (``2025-05-31``, ``2025-05-31 14:05``,
    ``2025-05-31T14:05:00Z``; time zones are converted to UTC and dropped) and Excel serial
    numbers in the 1900 date system (``45658`` = 2025-01-01, fractions are times of day), as
    numbers or as text. Anything else raises ``ValueError`` naming the (1-based) data row.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    codes, uniques = _distinct_dates(s, column)
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    has = codes >= 0
    out[has] = uniques[codes[has]]
    return pd.Series(out, index=s.index)


def _distinct_dates(s: pd.Series, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes (−1 = blank) into the distinct dates of ``s`` and those dates (datetime64[ns]).

    Survey exports hold few distinct dates, so each distinct value is converted once.
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(None)
    if s.dtype.kind == "M":
        codes, uniques = pd.factorize(s.astype("datetime64[ns]"), use_na_sentinel=True)
        return np.asarray(codes), np.asarray(uniques, dtype="datetime64[ns]")
    if s.dtype.kind in "iuf":
        codes, uniques = pd.factorize(s.astype(float), use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=float)
        with np.errstate(invalid="ignore"):
            ok = (uniques >= 1) & (uniques <= _MAX_EXCEL_SERIAL)
        if not ok.all():
            _bad_date(s, ~ok[codes] & (codes >= 0), column)
        ns = np.round(uniques * _NS_PER_DAY).astype(np.int64)
        return np.asarray(codes), EXCEL_EPOCH + ns.astype("timedelta64[ns]")
    if s.dtype.kind == "b":
        _bad_date(s, np.ones(len(s), bool), column)
    # text (Arrow-backed or object) and mixed columns: factorize the column itself (fast for
    # Arrow strings), then look at each distinct value once
    codes, uniques = pd.factorize(s, use_na_sentinel=True)
    codes = np.asarray(codes)
    uniques = np.asarray(uniques, dtype=object)
    parsed = np.full(len(uniques), np.datetime64("NaT"), dtype="datetime64[ns]")
    bad = np.zeros(len(uniques), dtype=bool)
    blank = np.zeros(len(uniques), dtype=bool)
    text_idx, text_val = [], []
    for i, u in enumerate(uniques):
        if isinstance(u, (bool, np.bool_)):
            bad[i] = True
        elif isinstance(u, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
            ts = pd.Timestamp(u)
            if ts.tz is not None:
                ts = ts.tz_convert(None)
            parsed[i] = ts.to_datetime64()
        elif isinstance(u, (int, float, np.integer, np.floating)):
            parsed[i], ok = _serial_to_date(float(u))
            bad[i] = not ok
        elif isinstance(u, str):
            text_idx.append(i)
            text_val.append(u.strip())
        else:
            bad[i] = True
    if text_idx:
        texts = pd.Series(text_val, dtype=object)
        numbers = pd.to_numeric(texts, errors="coerce").to_numpy(dtype=float)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            iso = pd.to_datetime(texts, format="ISO8601", errors="coerce", utc=True)
        iso = iso.dt.tz_convert(None).astype("datetime64[ns]").to_numpy()
        for j, i in enumerate(text_idx):
            if text_val[j] == "":
                blank[i] = True
            elif not np.isnan(numbers[j]):
                parsed[i], ok = _serial_to_date(numbers[j])
                bad[i] = not ok
            elif not np.isnat(iso[j]):
                parsed[i] = iso[j]
            else:
                bad[i] = True
    if bad.any():
        _bad_date(s, bad[codes] & (codes >= 0), column)
    if blank.any():
        codes = np.where((codes >= 0) & blank[np.maximum(codes, 0)], -1, codes)
    return codes, parsed


def _serial_to_date(x: float) -> tuple[np.datetime64, bool]:
    if not math.isfinite(x) or not 1 <= x <= _MAX_EXCEL_SERIAL:
        return np.datetime64("NaT"), False
    return EXCEL_EPOCH + np.timedelta64(round(x * _NS_PER_DAY), "ns"), True


def _bad_date(s: pd.Series, bad: np.ndarray, column: str) -> None:
    first = int(np.flatnonzero(bad)[0])
    raise ValueError(
        f"{s.iloc[first]!r} in row {first + 1} of column {column!r} is not a date "
        f"({int(bad.sum())} such value{'s' if bad.sum() > 1 else ''}). Use an ISO date such as "
        "2025-05-31, an Excel date, or leave the cell blank."
    )


# ----------------------------------------------------------------------------- counting


@dataclass(frozen=True)
class _Tally:
    """Per-group answers: unweighted n, category sums (det, pas, pro) and Σw² (weighted)."""

    n: np.ndarray
    detractors: np.ndarray
    passives: np.ndarray
    promoters: np.ndarray
    ssw: np.ndarray | None

    def counts(self, i: int) -> Counts:
        if self.ssw is None:
            return Counts(int(self.detractors[i]), int(self.passives[i]), int(self.promoters[i]))
        return Counts(
            float(self.detractors[i]),
            float(self.passives[i]),
            float(self.promoters[i]),
            float(self.ssw[i]),
        )

    def total(self) -> Counts:
        if self.ssw is None:
            return Counts(
                int(self.detractors.sum()), int(self.passives.sum()), int(self.promoters.sum())
            )
        return Counts(
            float(self.detractors.sum()),
            float(self.passives.sum()),
            float(self.promoters.sum()),
            float(self.ssw.sum()),
        )


def _tally(group: np.ndarray, n_groups: int, answers: _Answers) -> _Tally:
    """Count answers per group; ``group`` holds 0..n_groups−1, or −1 to leave a row out."""
    cells = 3 * n_groups
    # one flat bincount over (group, category) cells; rows left out go to a spare last cell
    cell = np.where(answers.valid & (group >= 0), group * 3 + answers.category, cells)
    t = np.bincount(cell, minlength=cells + 1)[:cells].reshape(n_groups, 3)
    n = t.sum(axis=1)
    ssw = None
    if answers.weights is not None:
        t = np.bincount(cell, weights=answers.weights, minlength=cells + 1)[:cells]
        t = t.reshape(n_groups, 3)
        w2 = np.bincount(cell, weights=answers.squared_weights, minlength=cells + 1)[:cells]
        ssw = w2.reshape(n_groups, 3).sum(axis=1)
    return _Tally(n, t[:, 0], t[:, 1], t[:, 2], ssw)


def _usable(c: Counts) -> bool:
    return c.n > 0 and c.effective_n > 0


def _compare_method(method: str) -> str:
    return "wald" if method == "wald" else "adjusted-wald"


def _counts_row(
    c: Counts, n: int, confidence: float, method: str, min_n: float, *, margin: bool = False
) -> dict:
    """The count, share, NPS and interval columns of one group (and ``margin_of_error``)."""
    row: dict = {"n": int(n)}
    if c.is_weighted:
        row["weighted_n"] = float(c.n)
        row["effective_n"] = float(c.effective_n)
    row.update(promoters=c.promoters, passives=c.passives, detractors=c.detractors)
    row.update(
        promoter_share=c.promoter_share,
        passive_share=c.passive_share,
        detractor_share=c.detractor_share,
        nps=c.nps,
    )
    if _usable(c):
        ci = interval(c, confidence=confidence, method=method)
        row.update(low=ci.low, high=ci.high)
        if margin:
            row["margin_of_error"] = ci.margin
    else:
        row.update(low=math.nan, high=math.nan)
        if margin:
            row["margin_of_error"] = math.nan
    row["small_sample"] = bool(c.effective_n < min_n)
    return row


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
    for col in ("significant",):
        if col in out:
            out[col] = out[col].astype("boolean")
    if "small_sample" in out:
        out["small_sample"] = out["small_sample"].astype(bool)
    return out


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
    "change",
    "p_value",
    "significant",
    "small_sample",
]


def _period_keys(dates: np.ndarray, period: str) -> tuple[np.ndarray, int, str]:
    """Integer period key per date (NaT → min int), its step and numpy unit."""
    if period == "year":
        return dates.astype("datetime64[Y]").astype(np.int64), 1, "Y"
    if period in ("month", "quarter"):
        months = dates.astype("datetime64[M]").astype(np.int64)
        if period == "month":
            return months, 1, "M"
        return months - np.mod(months, 3), 3, "M"
    days = dates.astype("datetime64[D]").astype(np.int64)
    return days - np.mod(days + 3, 7), 7, "D"  # 1970-01-01 was a Thursday; weeks start Monday


def _period_label(start: pd.Timestamp, period: str) -> str:
    if period == "year":
        return f"{start.year}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    iso = start.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


def trend(
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    date: str = "Date",
    period: str = "month",
    confidence: float = 0.95,
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = "0-10",
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """NPS per calendar period, with the change from the previous period and its test.

    Columns: ``period`` (label: ``"2025"``, ``"2025-Q2"``, ``"2025-05"``, ISO week
    ``"2025-W19"``), ``start`` (first day of the period; weeks start on Monday), ``n``, counts,
    shares, ``nps`` = 100·(promoters − detractors)/n (Reichheld 2003), ``low``/``high`` (interval
    at ``confidence``, :func:`nps_xl.stats.interval`), ``change`` = NPS − NPS of the previous
    calendar period, ``p_value`` and ``significant`` from the two-sample test
    :func:`nps_xl.stats.compare` on the two periods' counts, ``small_sample``.

    Every calendar period between the first and the last dated answer is a row: an empty
    period has ``n`` 0 and NaN statistics (a gap in a chart, not a zero). The change is taken
    against the previous calendar period only; when that period is empty the change is NaN
    (comparing across a gap would silently change the time step). Answers with a valid score
    but no date are left out with a :class:`DatesMissingWarning`.
    """
    key = PERIODS.get(str(period).strip().lower())
    if key is None:
        raise ValueError(f"period must be 'week', 'month', 'quarter' or 'year', got {period!r}.")
    answers = _answers(frame, score, weight, scale)
    _require(frame, date)
    codes, distinct = _distinct_dates(frame[date], date)
    undated = answers.valid & (codes < 0)
    if undated.any():
        rows = np.flatnonzero(undated)[:5] + 1
        warnings.warn(
            f"Left out {int(undated.sum())} answer(s) with a score but no {date!r} "
            f"(rows {', '.join(map(str, rows))}{', …' if undated.sum() > 5 else ''}).",
            DatesMissingWarning,
            stacklevel=2,
        )
    dated = answers.valid & (codes >= 0)
    if not dated.any():
        return _finish([], TREND_COLUMNS, answers.weighted)
    # periods are worked out once per distinct date, then spread to the rows by code
    keys, step, unit = _period_keys(distinct, key)
    used = np.bincount(codes[dated], minlength=len(distinct)) > 0
    first, last = keys[used].min(), keys[used].max()
    n_groups = int((last - first) // step) + 1
    group = np.where(dated, ((keys - first) // step)[np.maximum(codes, 0)], -1)
    tally = _tally(group, n_groups, answers)
    rows: list[dict] = []
    previous: Counts | None = None
    for i in range(n_groups):
        start = pd.Timestamp(np.datetime64(int(first + i * step), unit))
        c = tally.counts(i)
        row = {"period": _period_label(start, key), "start": start}
        row.update(_counts_row(c, tally.n[i], confidence, method, min_n))
        if previous is None:
            row.update(change=math.nan, p_value=math.nan, significant=pd.NA)
        else:
            change, p, sig = _test(c, previous, confidence, method)
            row.update(change=change, p_value=p, significant=sig)
        rows.append(row)
        previous = c
    out = _finish(rows, TREND_COLUMNS, answers.weighted)
    out["start"] = pd.to_datetime(out["start"]).astype("datetime64[ns]")
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
    "significant",
    "impact",
    "small_sample",
]


def _factorize(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Group codes and group values, sorted; blank values are a last group of their own (NaN)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    codes, uniques = np.asarray(codes), np.asarray(uniques, dtype=object)
    try:
        order = np.argsort(uniques, kind="stable")
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


def segments(
    frame: pd.DataFrame,
    by: str | Sequence[str],
    *,
    score: str = "Score",
    confidence: float = 0.95,
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = "0-10",
    method: str = "adjusted-wald",
) -> pd.DataFrame:
    """NPS of every value of one or more segment columns, against the rest of the answers.

    One row per (``segment`` = column name, ``group`` = value); blank values form their own
    group (``group`` NaN) so no answer is lost. Besides counts, shares, ``nps`` and its interval:

    * ``difference_from_rest`` = NPS(group) − NPS(all other answers), with ``p_value`` and
      ``significant`` from :func:`nps_xl.stats.compare` (two independent samples);
    * ``impact`` = overall NPS − NPS of the answers outside the group: how many points the group
      adds to (positive) or takes from (negative) the overall score. Equivalent to
      ``share_of_answers × difference_from_rest``.
    """
    columns = [by] if isinstance(by, str) else list(by)
    if not columns:
        raise ValueError("Give at least one segment column in by=.")
    answers = _answers(frame, score, weight, scale)
    _require(frame, *columns)
    rows: list[dict] = []
    total: Counts | None = None
    for column in columns:
        codes, values = _factorize(frame[column])
        tally = _tally(codes, len(values), answers)
        if total is None:
            total = tally.total()
        for i, value in enumerate(values):
            c = tally.counts(i)
            rest = _minus(total, c)
            row = {"segment": column, "group": value}
            row.update(_counts_row(c, tally.n[i], confidence, method, min_n))
            diff, p, sig = _test(c, rest, confidence, method)
            row.update(difference_from_rest=diff, p_value=p, significant=sig)
            row["impact"] = total.nps - rest.nps if _usable(rest) else math.nan
            rows.append(row)
    return _finish(rows, SEGMENT_COLUMNS, answers.weighted)


def _sum_where(tally: _Tally, mask: np.ndarray) -> Counts:
    """The answers of the groups selected by ``mask``, merged."""
    if tally.ssw is None:
        return Counts(
            int(tally.detractors[mask].sum()),
            int(tally.passives[mask].sum()),
            int(tally.promoters[mask].sum()),
        )
    return Counts(
        float(tally.detractors[mask].sum()),
        float(tally.passives[mask].sum()),
        float(tally.promoters[mask].sum()),
        float(tally.ssw[mask].sum()),
    )


def _minus(total: Counts, part: Counts) -> Counts:
    """The answers of ``total`` outside ``part`` (rounding guarded at 0)."""
    if total.sum_squared_weights is None:
        return Counts(
            total.detractors - part.detractors,
            total.passives - part.passives,
            total.promoters - part.promoters,
        )
    return Counts(
        max(total.detractors - part.detractors, 0.0),
        max(total.passives - part.passives, 0.0),
        max(total.promoters - part.promoters, 0.0),
        max(total.sum_squared_weights - (part.sum_squared_weights or 0.0), 0.0),
    )


def crosstab(
    frame: pd.DataFrame,
    rows: str,
    columns: str,
    *,
    score: str = "Score",
    min_n: int = 30,
    weight: str | None = None,
    scale: ScaleLike = "0-10",
) -> pd.DataFrame:
    """NPS of every combination of two segment columns, as a pivot.

    Returns a DataFrame indexed by the values of ``rows`` whose columns are a two-level index:
    ``"nps"``, ``"n"`` (unweighted answers) and ``"small_sample"`` (effective n < ``min_n``) ×
    the values of ``columns``; select one block with ``table["nps"]``. Empty combinations have
    n 0 and NaN NPS.
    """
    answers = _answers(frame, score, weight, scale)
    _require(frame, rows, columns)
    r_codes, r_values = _factorize(frame[rows])
    c_codes, c_values = _factorize(frame[columns])
    nc = len(c_values)
    tally = _tally(r_codes * nc + c_codes, len(r_values) * nc, answers)
    cells = [tally.counts(i) for i in range(len(r_values) * nc)]
    shape = (len(r_values), nc)
    nps_values = np.array([c.nps for c in cells], dtype=float).reshape(shape)
    n_values = tally.n.reshape(shape).astype(np.int64)
    small = np.array([c.effective_n < min_n for c in cells]).reshape(shape)
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
    scale: ScaleLike = "0-10",
    target: float | None = None,
    industry: str = "global",
    lang: str = "en",
    method: str = "adjusted-wald",
    csat: str | None = "CSAT",
    ces: str | None = "CES",
    crr: tuple[float, float, float] | None = None,
) -> dict:
    """Headline figures: ``n``, counts, shares, ``nps``, ``low``, ``high``,
    ``margin_of_error`` (half the interval width, :func:`nps_xl.stats.interval`), ``band``
    (:func:`nps_xl.benchmarks.band`), ``blank``, ``invalid``, ``target`` and
    ``gap_to_target`` = NPS − target (negative: below target; None without a target),
    ``industry``. Weighted: also ``weighted_n`` and ``effective_n``.

    Companion metrics (:mod:`nps_xl.companions`): ``csat`` / ``ces`` when the
    frame has the named column (``companions.csat(ratings)`` / ``companions.ces(ratings)``),
    ``crr`` from ``crr=(customers at start, at end, new customers)`` (``companions.crr``).
    """
    answers = _answers(frame, score, weight, scale)
    total = _tally(np.zeros(len(frame), dtype=np.intp), 1, answers).total()
    out = _counts_row(total, answers.valid.sum(), confidence, method, 0, margin=True)
    del out["small_sample"]  # a headline has no minimum sample to flag
    out["confidence"] = confidence
    out["band"] = _band(total.nps, lang)
    out["blank"] = answers.parsed.blank
    out["invalid"] = answers.parsed.invalid
    out["target"] = None if target is None else float(target)
    out["gap_to_target"] = (
        None if target is None or math.isnan(total.nps) else total.nps - float(target)
    )
    out["industry"] = industry
    out.update(_companions(frame, csat, ces, crr))
    return out


def _band(value: float, lang: str) -> str | None:
    return None if math.isnan(value) else band(value, lang=lang)


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
    scale: ScaleLike = "0-10",
) -> pd.DataFrame:
    """Every answer that is not a score: ``[row, response_id, value]``, ``row`` 1-based data row
    (the header is not counted). Blank answers are not listed (they are counted as blanks)."""
    _require(frame, score, response_id)
    parsed = parse_scores(frame[score], scale=scale, invalid="skip")
    positions = parsed.invalid_positions
    ids = (
        frame[response_id].to_numpy(dtype=object)[positions]
        if response_id is not None
        else np.full(len(positions), None, dtype=object)
    )
    return pd.DataFrame(
        {
            "row": (positions + 1).astype(np.int64),
            "response_id": ids,
            "value": np.asarray(parsed.invalid_values, dtype=object),
        }
    )


def latest_per_customer(frame: pd.DataFrame, customer: str, date: str) -> pd.DataFrame:
    """Keep only each customer's latest answer (by ``date``; on equal dates, the lower row).

    Rows without a customer are all kept (anonymous answers). Rows of a known customer need a
    date; a blank one raises ``ValueError`` naming the row. The original row order is kept.
    """
    _require(frame, customer, date)
    dates = parse_dates(frame[date], column=date).to_numpy()
    who = frame[customer]
    known = who.notna().to_numpy()
    missing = known & np.isnat(dates)
    if missing.any():
        first = int(np.flatnonzero(missing)[0])
        raise ValueError(
            f"Row {first + 1} (customer {who.iloc[first]!r}) has no {date!r}, so its latest answer "
            "cannot be found. Fill in the date or clear the customer cell."
        )
    order = pd.DataFrame({"customer": who.to_numpy(), "date": dates, "row": np.arange(len(frame))})[
        known
    ]
    # stable sort by date: among equal dates the later row stays last
    latest = order.sort_values("date", kind="stable").drop_duplicates("customer", keep="last")
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
    scale: ScaleLike = "0-10",
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
    answers = _answers(frame, score, None, scale, warn=False)
    _require(frame, *cols, *segments)
    wanted = answers.valid & (
        (answers.codes == -1) | ((answers.codes == 0) & bool(include_passives))
    )
    idx = np.flatnonzero(wanted)
    if date is not None:
        # every date is checked (a bad one raises, naming its row), only the wanted ones kept
        dates = parse_dates(frame[date], column=date).to_numpy()[idx]
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
            "category": np.where(answers.codes[rows] == -1, "detractor", "passive"),
            "comment": column(comment)
            if comment is not None
            else np.full(len(rows), None, dtype=object),
        }
    )
    for name in segments:
        out[name] = column(name)
    out["status"] = _carry_status(out["response_id"], previous, response_id)
    return out


def _carry_status(ids: pd.Series, previous: pd.DataFrame | None, id_name: str | None) -> list:
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
    known = {}
    for key, value in zip(previous[id_col], previous[status_col], strict=True):
        if pd.notna(key) and pd.notna(value) and str(value) != "":
            known[_id_key(key)] = value
    return [known.get(_id_key(k), "") for k in ids]


def _id_key(value: object) -> object:
    # IDs read back from a sheet may come as floats (12.0) or text ("12"): compare as text
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


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
    scale: ScaleLike = "0-10",
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
    answers = _answers(frame, score, weight, scale)
    _require(frame, comment)
    theme_list = load_themes(themes)
    # count once per distinct comment, then add up the comments that mention each theme
    codes, hits, filled = distinct_theme_hits(frame[comment], theme_list)
    per_comment = _tally(codes, len(filled), answers)
    total = _tally(np.zeros(len(frame), dtype=np.intp), 1, answers).total()
    n_commented = int(per_comment.n[filled].sum())
    rows = []
    for theme in theme_list:
        c = _sum_where(per_comment, hits[theme])
        mentions = int(per_comment.n[hits[theme]].sum())
        rest = _minus(total, c)
        row = {"theme": theme, "mentions": mentions}
        row["share"] = mentions / n_commented if n_commented else math.nan
        stats = _counts_row(c, mentions, confidence, method, min_n)
        row.update({k: v for k, v in stats.items() if k != "n"})
        row["impact"] = total.nps - rest.nps if _usable(rest) else math.nan
        rows.append(row)
    columns = list(THEME_COLUMNS)
    if answers.weighted:
        columns[2:2] = ["weighted_n", "effective_n"]
    out = pd.DataFrame(rows, columns=columns)
    out["mentions"] = out["mentions"].astype(np.int64)
    if not answers.weighted:
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
    scale: ScaleLike = "0-10",
) -> pd.DataFrame:
    """Frequent terms per category (``"detractors"``, ``"passives"``, ``"promoters"``):
    ``[category, term, count, share, lift]``; see :func:`nps_xl.comments.discover` for the
    tokenisation (words; bigrams of Chinese characters) and the lift formula."""
    answers = _answers(frame, score, None, scale)
    _require(frame, comment)
    names = np.array(["detractors", "passives", "promoters"], dtype=object)
    labels = np.where(answers.valid, names[answers.codes.astype(np.intp) + 1], None)
    groups = pd.Categorical(labels, categories=list(names))
    return discover(
        frame[comment].to_numpy(dtype=object),
        groups,
        top=top,
        min_count=min_count,
        min_lift=min_lift,
    )
