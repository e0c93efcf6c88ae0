"""Every date rule of nps-xl: reading dates from cells and files, Excel serial numbers, and the
calendar periods of a trend.

* **Excel's 1900 date system** (``EXCEL_EPOCH``): serial 1 = 1900-01-01, but Excel counts a
  29 February 1900 that never existed (Microsoft, "Excel incorrectly assumes that the year 1900
  is a leap year", KB 214326), so from serial 61 (1900-03-01) on, day 0 is 1899-12-30
  (45658 = 2025-01-01). The largest serial is 2,958,465 (9999-12-31).
* **Distinct values once**: survey exports hold few distinct dates, so each distinct value is
  converted once and spread back to the rows by code (:func:`distinct_dates`).
* **Periods**: ISO weeks start on Monday; months, quarters and years are calendar periods.
* **Period values** (:func:`parse_period`): an export may date its answers by period rather
  than day — ``202401``, ``2024-01``, ``2024 Q1``, ``Q1 2024``, ``2024-W05`` (ISO week),
  ``January 2024``, ``2024年1月``, ``2024 m. sausis``, ``януари 2024 г.``. Each is read as its
  period's first day, and a trend of such dates is never finer than they are
  (:func:`trend_period`): months give no weekly trend, quarters no monthly one, so no day or
  period is invented.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
import warnings

import numpy as np
import pandas as pd

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
EXCEL_EPOCH = np.datetime64("1899-12-30", "us")
#: Serial days are turned into microseconds from the epoch: 2262 minus 1899 years of
#: nanoseconds would overflow int64, microseconds fit up to 9999.
US_PER_SERIAL_DAY = 86_400_000_000
MAX_EXCEL_SERIAL = 2_958_465  # 9999-12-31
#: The dates a report can place: nanosecond timestamps reach 1677-09-21 … 2262-04-11. A date
#: outside (9999-12-31, a typo such as 2300-01-01) is an unreadable date, named with its row.
FIRST_DATE = pd.Timestamp("1677-09-22")
LAST_DATE = pd.Timestamp("2262-04-10")
#: The Excel serial of ``LAST_DATE``: larger serials are outside the range above.
MAX_SERIAL = (LAST_DATE - pd.Timestamp("1899-12-30")).days


#: How fine each trend period is, finest first.
GRAINS = ("week", "month", "quarter", "year")

#: Month names as exports write them (full and short forms; Lithuanian nominative and
#: genitive, as in "2024 m. sausis" and "2024 m. sausio"), 1-based; CJK months use digits.
MONTH_WORDS: dict[str, int] = {}
for _names in (
    "january february march april may june july august september october november december",
    "jan feb mar apr may jun jul aug sep oct nov dec",
    "sausis vasaris kovas balandis gegužė birželis liepa rugpjūtis rugsėjis spalis lapkritis "
    "gruodis",
    "sausio vasario kovo balandžio gegužės birželio liepos rugpjūčio rugsėjo spalio lapkričio "
    "gruodžio",
    "saus vas kov bal geg birž liep rugpj rugs spal lapkr gruod",
    "януари февруари март април май юни юли август септември октомври ноември декември",
    "яну фев мар апр май юни юли авг сеп окт ное дек",
    # the languages of the exports people bring (Spanish, Portuguese, German, French)
    "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "januar februar märz april mai juni juli august september oktober november dezember",
    "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
):
    for _i, _word in enumerate(_names.split(), 1):
        MONTH_WORDS.setdefault(_word, _i)
MONTH_WORDS.update({"sept": 9, "setiembre": 9})

_YEAR = r"((?:19|20)\d\d)"
_MONTH_WORD = r"([^\W\d_]{3,12})\.?"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ZH_NUM = {"一": 1, "二": 2, "三": 3, "四": 4}
#: (pattern, grain, (year group, number group)) — the number is a month, quarter or week
_PERIOD_PATTERNS = [
    (rf"{_YEAR}(0[1-9]|1[0-2])", "month", (1, 2)),  # 202401
    (rf"{_YEAR}\s*[-/.]\s*(0?[1-9]|1[0-2])", "month", (1, 2)),  # 2024-01, 2024/1
    (rf"(0?[1-9]|1[0-2])\s*[-/.]\s*{_YEAR}", "month", (2, 1)),  # 01/2024
    (rf"{_YEAR}\s*(?:年|년)\s*(0?[1-9]|1[0-2])\s*(?:月|월)(?:份)?", "month", (1, 2)),  # 2024年1月
    (rf"{_YEAR}\s*[-/ ]?\s*[qk]\s*([1-4])", "quarter", (1, 2)),  # 2024 Q1, 2024-Q1, 2024K1
    (rf"[qk]\s*([1-4])\s*[-/ ]?\s*{_YEAR}", "quarter", (2, 1)),  # Q1 2024, Q1/2024
    (rf"{_YEAR}\s*年?\s*第?\s*([1-4一二三四])\s*(?:季度|季)", "quarter", (1, 2)),  # 2024年第1季度
    (rf"{_YEAR}\s*m\.?\s*([1-4]|i{{1,3}}|iv)\s*ketv\.?", "quarter", (1, 2)),  # 2024 m. 1 ketv.
    (rf"([1-4])\s*(?:-?во|-?ро|-?то)?\s*тримесечие\s*{_YEAR}\s*(?:г\.?)?", "quarter", (2, 1)),
    (rf"{_YEAR}\s*-?\s*w\s*(0?[1-9]|[1-4]\d|5[0-3])(?:\s*-\s*[1-7])?", "week", (1, 2)),  # 2024-W05
    (rf"w\s*(0?[1-9]|[1-4]\d|5[0-3])\s*[-/ ]?\s*{_YEAR}", "week", (2, 1)),  # W05 2024
    (rf"{_YEAR}\s*年?\s*第\s*(\d{{1,2}})\s*(?:周|週)", "week", (1, 2)),  # 2024年第5周
    (rf"{_MONTH_WORD}\s*[-/,]?\s*{_YEAR}\s*(?:г\.?)?", "month-word", (2, 1)),  # January 2024
    (rf"{_YEAR}\s*(?:m\.)?\s*[-/,]?\s*{_MONTH_WORD}", "month-word", (1, 2)),  # 2024 m. sausis
]
_PERIOD_RES = [(re.compile(rf"\s*{p}\s*", re.IGNORECASE), g, k) for p, g, k in _PERIOD_PATTERNS]


def parse_period(value: object) -> tuple[pd.Timestamp, str] | None:
    """A period value as its first day and its grain (``"week"``, ``"month"``, ``"quarter"``),
    or None when ``value`` is not one: ``202401`` and ``"2024-01"`` → (2024-01-01, month),
    ``"Q3 2024"`` → (2024-07-01, quarter), ``"2024-W05"`` → (2024-01-29, week: ISO 8601, weeks
    start on Monday, week 1 holds the year's first Thursday), ``"февруари 2024 г."`` →
    (2024-02-01, month).

    >>> parse_period("2024 Q2")
    (Timestamp('2024-04-01 00:00:00'), 'quarter')
    >>> parse_period(202411)
    (Timestamp('2024-11-01 00:00:00'), 'month')
    >>> parse_period("2024-05-31") is None  # a day is a date, not a period
    True
    """
    if isinstance(value, (bool, np.bool_)):
        return None
    if isinstance(value, (int, np.integer)) or (
        isinstance(value, (float, np.floating)) and math.isfinite(value) and value == int(value)
    ):
        value = str(int(value))
    if not isinstance(value, str):
        return None
    text = unicodedata.normalize("NFKC", value).strip().casefold()
    if not text or len(text) > 40:
        return None
    for pattern, grain, (y, k) in _PERIOD_RES:
        m = pattern.fullmatch(text)
        if m is None:
            continue
        year, number = int(m.group(y)), m.group(k)
        if grain == "month-word":
            month = MONTH_WORDS.get(number.rstrip("."))
            if month is None:
                continue
            return pd.Timestamp(year, month, 1), "month"
        n = _ZH_NUM.get(number) or _ROMAN.get(number) or int(number)
        if grain == "month":
            return pd.Timestamp(year, n, 1), "month"
        if grain == "quarter":
            return pd.Timestamp(year, 3 * n - 2, 1), "quarter"
        try:
            return pd.Timestamp(_dt.date.fromisocalendar(year, n, 1)), "week"
        except ValueError:  # week 53 of a year with 52
            return None
    return None


#: The share of a column's distinct values that must be periods for the column to be read as
#: periods (the others are then unreadable dates, named with their rows).
PERIOD_SHARE = 0.8


def parse_periods(values: pd.Series) -> tuple[pd.Series, str] | None:
    """Distinct values (no blanks) as their periods' first days (NaT for the values that are
    no period) and the coarsest grain among them, when at least :data:`PERIOD_SHARE` of them
    are periods; None otherwise (the column holds days, or something else)."""
    if values.empty:
        return None
    head = values.iloc[:50].tolist()  # a column of days is told apart on its first values
    if sum(parse_period(v) is not None for v in head) < PERIOD_SHARE * len(head):
        return None
    got = [parse_period(v) for v in values.tolist()]
    found = [g for g in got if g is not None]
    if len(found) < PERIOD_SHARE * len(got):
        return None
    starts = pd.Series(
        [pd.NaT if g is None else g[0] for g in got], index=values.index, dtype="datetime64[ns]"
    )
    return starts, max((g[1] for g in found), key=GRAINS.index)


def dates_or_nat(series: pd.Series) -> pd.Series:
    """``series`` as dates where it holds them, NaT elsewhere (never an error): a column of
    periods (:func:`parse_periods`) as their first days, else what pandas reads as a date."""
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    periods = parse_periods(distinct[~distinct.map(_blank)])
    if periods is not None:
        starts = np.full(len(distinct) + 1, np.datetime64("NaT"), dtype="datetime64[ns]")
        starts[periods[0].index.to_numpy()] = periods[0].to_numpy(dtype="datetime64[ns]")
        return pd.Series(starts[codes], index=series.index)  # code -1 picks the NaT at the end
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pd.to_datetime(series, errors="coerce")


def is_yyyymm(values: np.ndarray) -> bool:
    """Whether numbers are all ``yyyymm`` months (190001 … 209912, month 01–12)."""
    x = np.asarray(values, dtype=float)
    x = x[np.isfinite(x)]
    if not len(x) or not (x == np.floor(x)).all():
        return False
    return bool(((x >= 190001) & (x <= 209912) & np.isin(x % 100, np.arange(1, 13))).all())


def date_grain(dates: np.ndarray) -> str | None:
    """The coarsest calendar period every date starts on at midnight: ``"year"`` (all
    1 January), ``"quarter"`` (the first days of quarters), ``"month"`` (first days of
    months), else None (days). Dates read from period values (:func:`parse_period`) are such
    first days; answers dated by day almost never all are."""
    d = np.asarray(dates, dtype="datetime64[ns]")
    d = d[~np.isnat(d)]
    if not len(d) or (d != d.astype("datetime64[D]")).any():
        return None
    days = d.astype("datetime64[D]")
    months = days.astype("datetime64[M]")
    if (months.astype("datetime64[D]") != days).any():
        return None
    month = months.astype(np.int64) % 12  # 0 = January
    if (month == 0).all() and len(np.unique(days)) > 1:
        return "year"
    if (month % 3 == 0).all() and len(np.unique(days)) > 1:
        return "quarter"
    return "month"


def trend_period(dates: np.ndarray, period: str) -> str:
    """The trend's period for answers on ``dates``: ``period``, or the dates' own grain when
    that is coarser (answers dated by quarter give a trend by quarter even when a monthly one
    was asked for: a month between two quarters would be invented, as would days)."""
    grain = date_grain(dates)
    if grain is not None and GRAINS.index(grain) > GRAINS.index(period):
        return grain
    return period


def parse_dates(values: object, *, column: str = "Date") -> pd.Series:
    """Dates as a ``datetime64[ns]`` Series (NaT for blanks), index kept from a Series input.

    Accepted: datetimes/Timestamps/dates, ISO 8601 text (``2025-05-31``, ``2025-05-31 14:05``,
    ``2025-05-31T14:05:00Z``; time zones are converted to UTC and dropped) and Excel serial
    numbers in the 1900 date system (``45658`` = 2025-01-01, fractions are times of day), as
    numbers or as text. Anything else raises ``ValueError`` naming the (1-based) data row.
    """
    s = values if isinstance(values, pd.Series) else pd.Series(values)
    codes, uniques = distinct_dates(s, column)
    out = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
    has = codes >= 0
    out[has] = uniques[codes[has]]
    return pd.Series(out, index=s.index)


def distinct_dates(s: pd.Series, column: str) -> tuple[np.ndarray, np.ndarray]:
    """Codes (−1 = blank) into the distinct dates of ``s`` and those dates (datetime64[ns]).

    Survey exports hold few distinct dates, so each distinct value is converted once.
    """
    if isinstance(s.dtype, pd.DatetimeTZDtype):
        s = s.dt.tz_convert(None)
    if s.dtype.kind == "M":
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        codes, uniques = np.asarray(codes), np.asarray(uniques)
        ok = (uniques >= FIRST_DATE.to_datetime64()) & (uniques <= LAST_DATE.to_datetime64())
        if not ok.all():
            _bad_date(s, ~ok[codes] & (codes >= 0), column)
        return codes, uniques.astype("datetime64[ns]")
    if s.dtype.kind in "iuf":
        codes, uniques = pd.factorize(s.astype(float), use_na_sentinel=True)
        uniques = np.asarray(uniques, dtype=float)
        if is_yyyymm(uniques):  # 202401: months, not Excel serials
            months = pd.to_datetime(uniques.astype(np.int64).astype(str), format="%Y%m")
            return np.asarray(codes), np.asarray(months, dtype="datetime64[ns]")
        with np.errstate(invalid="ignore"):
            ok = (uniques >= 1) & (uniques <= MAX_SERIAL)
        if not ok.all():
            _bad_date(s, ~ok[codes] & (codes >= 0), column)
        us = np.round(np.where(ok, uniques, 0) * US_PER_SERIAL_DAY).astype(np.int64)
        stamps = EXCEL_EPOCH + us.astype("timedelta64[us]")
        return np.asarray(codes), stamps.astype("datetime64[ns]")
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
    blank[:] = [_blank(u) for u in uniques]
    filled = np.flatnonzero(~blank)
    periods = parse_periods(pd.Series(uniques[filled], dtype=object)) if len(filled) else None
    if periods is not None:  # a column of periods (2024 Q1, 202401, January 2024)
        starts = periods[0].to_numpy(dtype="datetime64[ns]")
        parsed[filled] = starts
        bad[filled] = np.isnat(starts)
    text_idx, text_val = [], []
    for i, u in enumerate(uniques if periods is None else ()):
        if isinstance(u, (bool, np.bool_)):
            bad[i] = True
        elif isinstance(u, (pd.Timestamp, _dt.datetime, _dt.date, np.datetime64)):
            ts = pd.Timestamp(u)
            if ts.tz is not None:
                ts = ts.tz_convert(None)
            if FIRST_DATE <= ts <= LAST_DATE + pd.Timedelta(days=1):
                parsed[i] = ts.to_datetime64()
            else:
                bad[i] = True
        elif isinstance(u, (int, float, np.integer, np.floating)):
            parsed[i], ok = serial_to_date(float(u))
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
        iso = iso.dt.tz_convert(None)
        iso = iso.where((iso >= FIRST_DATE) & (iso <= LAST_DATE + pd.Timedelta(days=1)))
        iso = iso.astype("datetime64[ns]").to_numpy()
        for j, i in enumerate(text_idx):
            if text_val[j] == "":
                blank[i] = True
            elif not np.isnan(numbers[j]):
                parsed[i], ok = serial_to_date(numbers[j])
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


def _blank(value: object) -> bool:
    return isinstance(value, str) and not value.strip()


def serial_to_date(x: float) -> tuple[np.datetime64, bool]:
    if not math.isfinite(x) or not 1 <= x <= MAX_SERIAL:
        return np.datetime64("NaT"), False
    stamp = EXCEL_EPOCH + np.timedelta64(round(x * US_PER_SERIAL_DAY), "us")
    return stamp.astype("datetime64[ns]"), True


def _bad_date(s: pd.Series, bad: np.ndarray, column: str) -> None:
    first = int(np.flatnonzero(bad)[0])
    raise ValueError(
        f"{_shown(s.iloc[first])} in row {first + 1} of column {column!r} is not a date "
        f"({int(bad.sum())} such value{'s' if bad.sum() > 1 else ''}). Use an ISO date such as "
        "2025-05-31 (between 1900 and 2262), an Excel date, or leave the cell blank."
    )


def _shown(value: object) -> str:
    if isinstance(value, (pd.Timestamp, _dt.date)):
        return str(value)
    return repr(value.item() if isinstance(value, np.generic) else value)


def period_keys(dates: np.ndarray, period: str) -> tuple[np.ndarray, int, str]:
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


def period_label(start: pd.Timestamp, period: str) -> str:
    if period == "year":
        return f"{start.year}"
    if period == "month":
        return f"{start.year}-{start.month:02d}"
    if period == "quarter":
        return f"{start.year}-Q{(start.month - 1) // 3 + 1}"
    iso = start.isocalendar()
    return f"{iso[0]}-W{iso[1]:02d}"


#: Excel's serial numbers as XlsxWriter's ``write_datetime`` stores them: days since
#: 1899-12-31, plus one after day 59 (the phantom 29 February 1900), and 1900-01-01 as day 0
#: (XlsxWriter's rule for times of day). Microseconds: years up to 9999 fit in int64.
EXCEL_DAY0 = np.datetime64("1899-12-31", "us")
US_PER_DAY = 86_400_000_000


def excel_serials(stamps: np.ndarray) -> np.ndarray:
    """datetime64 → Excel serial numbers (float), the values ``write_datetime`` stores."""
    us = (stamps.astype("datetime64[us]") - EXCEL_DAY0).astype(np.int64)
    days, rest = np.divmod(us, US_PER_DAY)
    serial = days.astype(float) + (rest / 1e6) / 86_400
    serial = np.where(serial > 59, serial + 1, serial)
    return np.where(days == 1, serial - 1, serial)
