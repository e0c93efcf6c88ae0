"""The canonical table of answers: ``Response ID, Date, Score, Comment, <segments…>``, then
``Customer ID`` and ``Weight`` when the export has them, then the key-driver rating columns;
the index (the file row) is kept."""

from __future__ import annotations

import re
import warnings

import numpy as np
import pandas as pd

from nps_xl.dates import parse_periods
from nps_xl.io._common import Note, SurveyFileError, rows_message, rows_text
from nps_xl.io.detect import Columns

__all__ = ["CANONICAL", "EXCEL_CELL_LIMIT", "tidy"]

CANONICAL = ("Response ID", "Date", "Score", "Comment")
EXCEL_CELL_LIMIT = 32_767
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_UNIX = (946_684_800, 4_102_444_800)  # seconds: 2000-01-01 … 2100-01-01


def tidy(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    dayfirst: bool | None = None,
    questions: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The canonical table of answers: ``Response ID, Date, Score, Comment, <segments…>``,
    then ``Customer ID`` and ``Weight`` when the export has them.

    * Response ID: the export's, else ``R00001…`` in file order.
    * Date: parsed to timestamps (time zones dropped, local time kept). ISO dates are read as
      such; ``03/04/2025``-style dates month-first unless a value only fits day-first (or
      ``dayfirst=True``); Excel serial numbers (45658 = 2025-01-01) and Unix timestamps (in
      seconds or milliseconds) as numbers. Unreadable dates become empty and are listed with
      their rows.
    * Score: the raw values, untouched (:mod:`nps_xl.scores` parses them).
    * Text longer than Excel's 32,767-character cell limit is shortened, with the rows listed.

    The index is kept (the file row of each answer). ``questions`` (column → question text)
    names segment columns by their question, as :func:`nps_xl.io.load_survey` does for a
    Qualtrics export; :func:`~nps_xl.io.load_survey` also returns the notes and the segment
    names (a :class:`~nps_xl.io.Survey`).
    """
    result, _segments, _notes = tidy_frame(
        frame, columns, questions=questions or {}, dayfirst=dayfirst
    )
    return result


def tidy_frame(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    questions: dict[str, str] | None = None,
    dayfirst: bool | None = None,
) -> tuple[pd.DataFrame, tuple[str, ...], list[Note]]:
    """:func:`tidy` with what it found: (frame, segment names, notes)."""
    questions = questions or {}
    notes: list[Note] = []
    n = len(frame)
    out: dict[str, object] = {}
    if columns.response_id:
        out["Response ID"] = _as_text(frame[columns.response_id])
    else:
        out["Response ID"] = pd.Series(
            [f"R{i:05d}" for i in range(1, n + 1)], index=frame.index, dtype=object
        )
    if columns.date:
        out["Date"] = parse_dates(frame[columns.date], dayfirst, notes, columns.date)
    else:
        out["Date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    out["Score"] = frame[columns.score]
    if columns.comment:
        out["Comment"] = _clip_text(frame[columns.comment], notes, columns.comment)
    else:
        out["Comment"] = pd.Series(None, index=frame.index, dtype=object)
    for s in columns.segments:
        # Qualtrics names columns Q1, Q2…; the question text is what a reader recognises
        name = questions.get(s, s)
        if name in out or name in ("Customer ID", "Weight"):
            name = s
        if name in out or name in ("Customer ID", "Weight"):
            raise SurveyFileError.from_key("error_segment_name", column=s)
        out[name] = _clip_text(_categorical_text(frame[s]), notes, s)
    segment_names = tuple(c for c in out if c not in CANONICAL)
    if columns.customer:
        out["Customer ID"] = _as_text(frame[columns.customer])
    if columns.weight:
        out["Weight"] = _weights(frame[columns.weight], frame[columns.score], columns.weight)
    for d in columns.drivers:  # the rating questions, as answered; key_drivers reads them
        name = str(questions.get(d, d))
        taken = {str(c).casefold() for c in out}
        if name.casefold() in taken:
            name = str(d)
        # a rating headed like a fixed column ("Score" beside the NPS question): numbered
        k, base = 2, name
        while name.casefold() in taken or name.casefold() in ("customer id", "weight"):
            name, k = f"{base} ({k})", k + 1
        out[name] = frame[d]
    result = pd.DataFrame(out, index=frame.index)
    if columns.weight:  # messages about a weight name the export's own column
        result.attrs["weight_column"] = columns.weight
    return result, segment_names, notes


def _weights(weights: pd.Series, scores: pd.Series, column: str) -> pd.Series:
    """The ``--weight`` column as numbers (decimal commas read as points). A row with an
    answer whose weight is text or infinite is refused, naming the column, the file's line or
    row, and the value (a blank weight is named by :func:`nps_xl.counts.parse_weights` when
    its answer is valid; negative weights by :func:`nps_xl.io.options.check_columns`)."""
    w = weights
    if w.dtype == object or pd.api.types.is_string_dtype(w.dtype):
        w = pd.to_numeric(w.astype(str).str.replace(",", ".", regex=False), errors="coerce")
    w = w.astype(float)
    answered = scores.notna().to_numpy()
    if scores.dtype == object or pd.api.types.is_string_dtype(scores.dtype):
        answered = answered & scores.astype(str).str.strip().ne("").to_numpy()
    given = weights.notna().to_numpy()
    if weights.dtype == object or pd.api.types.is_string_dtype(weights.dtype):
        given = given & weights.astype(str).str.strip().ne("").to_numpy()
    with np.errstate(invalid="ignore"):
        bad = answered & given & ~(np.isfinite(w.to_numpy()) & (w.to_numpy() >= 0))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise SurveyFileError.from_key(
            "error_weight_invalid",
            column=column,
            value=str(weights.iloc[first]).strip()[:60],
            count=int(bad.sum()),
            rows=rows_message(weights.index[first : first + 1]),
        )
    return w


def _is_text_dtype(series: pd.Series) -> bool:
    return series.dtype != object and pd.api.types.is_string_dtype(series.dtype)


def _categorical_text(series: pd.Series) -> pd.Series:
    if isinstance(series.dtype, pd.CategoricalDtype):
        return series.astype(object).where(series.notna(), None)
    return series


def _as_text(series: pd.Series) -> pd.Series:
    """Ids as text: 11402345678.0 (a number cell) becomes "11402345678"."""
    if _is_text_dtype(series):
        return series  # already text (pandas' Arrow-backed strings: no Python objects made)
    if series.dtype.kind in "iu":
        return series.astype(str).astype(object)

    def show(v: object) -> object:
        if v is None or (isinstance(v, float) and np.isnan(v)):
            return None
        if isinstance(v, float) and v.is_integer():
            return str(int(v))
        return str(v)

    return series.map(show).astype(object)


def _clip_text(series: pd.Series, notes: list[str], name: str) -> pd.Series:
    if series.dtype.kind in "iufbmM":
        return series
    if _is_text_dtype(series):
        if _longest_in_bytes(series) <= EXCEL_CELL_LIMIT:
            return series  # no text can have more characters than bytes
        lengths = series.str.len().fillna(0).to_numpy()
    else:
        lengths = series.map(lambda v: len(v) if isinstance(v, str) else 0).to_numpy()
    long = lengths > EXCEL_CELL_LIMIT
    if long.any():
        rows = series.index[long]
        series = series.astype(object).copy()
        series[long] = series[long].map(lambda v: v[: EXCEL_CELL_LIMIT - 1] + "…")
        notes.append(
            Note(
                f"{name}: {len(rows)} text{'s' if len(rows) > 1 else ''} longer than Excel's "
                f"{EXCEL_CELL_LIMIT:,}-character cell limit shortened ({rows_text(rows)}).",
                "note_long_texts",
                column=name,
                count=len(rows),
                limit=EXCEL_CELL_LIMIT,
                rows=rows_message(rows),
            )
        )
    return series


def _longest_in_bytes(series: pd.Series) -> float:
    """The largest UTF-8 length of a text column's values (cheap for Arrow-backed text, where
    it is read from the offsets; ``inf`` when unknown)."""
    if getattr(series.dtype, "storage", None) != "pyarrow":
        return float("inf")
    import pyarrow.compute as pc

    longest = pc.max(pc.binary_length(series.array.__arrow_array__())).as_py()
    return 0 if longest is None else longest


# ----------------------------------------------------------------------------- dates

_TZ_SUFFIX = re.compile(r"\s*(?:GMT|UTC)\s*[+-]?\d{0,2}(?::?\d{2})?\s*$", re.IGNORECASE)


def parse_dates(series: pd.Series, dayfirst: bool | None, notes: list[str], name: str) -> pd.Series:
    """Dates of any export to ``datetime64[ns]``; unreadable ones NaT and named in ``notes``."""
    if isinstance(series.dtype, pd.DatetimeTZDtype):
        return series.dt.tz_localize(None).astype("datetime64[ns]")
    if series.dtype.kind == "M":
        return series.astype("datetime64[ns]")
    # Survey dates repeat (a day has many answers): parse each distinct value once.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    unique_values = pd.Series(np.asarray(uniques, dtype=object), dtype=object)
    try:
        parsed_uniques = _parse_unique_dates(unique_values, dayfirst, notes, name)
    except (ValueError, TypeError, OverflowError):
        # one value pandas cannot hold (9999-12-31 is past its 2262), or offsets that differ
        # (+01:00 and +02:00 across a clock change): each distinct value on its own, and what
        # still fails is an unreadable date, named in the notes like any other
        parsed_uniques = _one_by_one(unique_values, dayfirst, notes, name)
    values = np.asarray(parsed_uniques.to_numpy(dtype="datetime64[ns]"))
    # code -1 (missing) picks the NaT appended at the end
    values = np.append(values, np.datetime64("NaT", "ns"))
    out = pd.Series(values[codes], index=series.index)
    unreadable = parsed_uniques.isna().to_numpy()
    blank_unique = unique_values.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(
        dtype=bool
    )
    bad_codes = np.flatnonzero(unreadable & ~blank_unique)
    if len(bad_codes):
        bad = np.isin(codes, bad_codes)
        rows = series.index[bad]
        first = series[bad].iloc[0]
        count = int(bad.sum())
        notes.append(
            Note(
                f"{name}: {count} value{'s' if count > 1 else ''} not readable as a "
                f"date (first {first!r}; {rows_text(rows)}); those answers count in the totals "
                "but not in the trend.",
                "note_unreadable_dates",
                column=name,
                count=count,
                value=first,
                rows=rows_message(rows),
            )
        )
    return out


def _one_by_one(values: pd.Series, dayfirst: bool | None, notes: list[str], name: str) -> pd.Series:
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    for i, value in values.items():
        try:
            got = _parse_unique_dates(pd.Series([value], dtype=object), dayfirst, notes, name)
            out[i] = got.iloc[0]
        except (ValueError, TypeError, OverflowError):
            pass
    return out


def _parse_unique_dates(
    values: pd.Series, dayfirst: bool | None, notes: list[str], name: str
) -> pd.Series:
    """Distinct date values (no missing ones) to timestamps; NaT where unreadable."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if values.empty:
        return out
    filled = values[~values.map(lambda v: isinstance(v, str) and not v.strip())]
    periods = parse_periods(filled)
    if periods is not None:  # 202401, 2024 Q1, 2024-W05, January 2024: their first days
        out[filled.index] = periods[0]
        return out
    is_dt = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or _is_date(v))
    if is_dt.any():
        stamps = pd.to_datetime(values[is_dt].tolist(), utc=False)
        if getattr(stamps, "tz", None) is not None:
            stamps = stamps.tz_localize(None)
        out[is_dt] = stamps
    is_text = values.map(lambda v: isinstance(v, str) and bool(v.strip()))
    if is_text.any():
        t = values[is_text].astype(str).str.strip().str.replace(_TZ_SUFFIX, "", regex=True)
        numeric_text = pd.to_numeric(t, errors="coerce")
        if numeric_text.notna().all():
            out[is_text] = _from_numbers(numeric_text)
        else:
            out[is_text] = _parse_date_text(t, dayfirst, notes, name)
    numeric = values.map(_is_number) & out.isna()
    if numeric.any():
        out[numeric] = _from_numbers(pd.to_numeric(values[numeric], errors="coerce"))
    return out


def _from_numbers(x: pd.Series) -> pd.Series:
    """Numbers as dates: Unix timestamps (seconds or milliseconds, 2000–2099), else Excel
    serial day numbers (days since 1899-12-30, fractions are times of day)."""
    x = x.astype(float)
    out = pd.Series(pd.NaT, index=x.index, dtype="datetime64[ns]")
    finite = x[np.isfinite(x)]
    if finite.empty:
        return out
    if finite.between(*_UNIX).all():
        return pd.to_datetime(x, unit="s", errors="coerce").astype("datetime64[ns]")
    if finite.between(_UNIX[0] * 1000, _UNIX[1] * 1000).all():
        return pd.to_datetime(x, unit="ms", errors="coerce").astype("datetime64[ns]")
    ok = x.between(1, 2_958_465)
    out[ok] = _EXCEL_EPOCH + pd.to_timedelta(x[ok], unit="D")
    return out


def _parse_date_text(t: pd.Series, dayfirst: bool | None, notes: list[str], name: str) -> pd.Series:
    t = t.str.replace(r"^(\d{4})年(\d{1,2})月(\d{1,2})日", r"\1-\2-\3", regex=True)
    t = t.str.replace(r"\s*г\.?$", "", regex=True)  # Bulgarian Excel: "1.3.2025 г."
    iso = pd.to_datetime(t, format="ISO8601", errors="coerce")
    if getattr(iso.dt, "tz", None) is not None:
        iso = iso.dt.tz_convert(None)
    if iso.notna().all():
        return iso.astype("datetime64[ns]")
    if t.str.match(r"\s*\d{4}[/.\-]").all():  # 2024/11/05 …: year, month, day everywhere
        return _to_datetime(t, False, check_order=False).fillna(iso).astype("datetime64[ns]")
    if dayfirst is not None:
        parsed = _to_datetime(t, dayfirst)
    else:
        month_first, day_first = _to_datetime(t, False), _to_datetime(t, True)
        good_m, good_d = month_first.notna().sum(), day_first.notna().sum()
        parsed = day_first if good_d > good_m else month_first
        both = month_first.notna() & day_first.notna() & (month_first != day_first)
        if good_d == good_m and both.any() and good_m == len(t):
            notes.append(Note(None, "note_dates_ambiguous", column=name, value=t[both].iloc[0]))
    return parsed.fillna(iso).astype("datetime64[ns]")


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)


def _is_date(v: object) -> bool:
    import datetime as dt

    return isinstance(v, (dt.date, dt.datetime))


def _to_datetime(text: pd.Series, dayfirst: bool, *, check_order: bool = True) -> pd.Series:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            got = pd.to_datetime(text, dayfirst=dayfirst, errors="coerce", format="mixed")
        except (ValueError, TypeError):
            return pd.Series(pd.NaT, index=text.index)
    if getattr(got.dt, "tz", None) is not None:
        got = got.dt.tz_localize(None)
    # format="mixed" falls back to the other order when one is impossible (13/01); undo that
    # so the choice between the two orders is made on the whole column
    first = text.str.extract(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{2,4})")
    if check_order and first.notna().all(axis=None) and len(first):
        a = first[0].astype(int)
        b = first[1].astype(int)
        day = a if dayfirst else b
        month = b if dayfirst else a
        wrong = got.notna() & ((got.dt.day != day) | (got.dt.month != month))
        got = got.mask(wrong)
    return got
