"""Every date rule of nps-xl: reading dates from cells and files, Excel serial numbers, and the
calendar periods of a trend.

* **Excel's 1900 date system** (``EXCEL_EPOCH``): serial 1 = 1900-01-01, but Excel counts a
  29 February 1900 that never existed (Microsoft, "Excel incorrectly assumes that the year 1900
  is a leap year", KB 214326), so from serial 61 (1900-03-01) on, day 0 is 1899-12-30
  (45658 = 2025-01-01). The largest serial is 2,958,465 (9999-12-31).
* **Distinct values once**: survey exports hold few distinct dates, so each distinct value is
  converted once and spread back to the rows by code (:func:`distinct_dates`).
* **Periods**: ISO weeks start on Monday; months, quarters and years are calendar periods.
"""

from __future__ import annotations

import datetime as _dt
import math
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
    text_idx, text_val = [], []
    for i, u in enumerate(uniques):
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
