"""Excel cell values, as xlwings hands them to a function, made ready for the core.

The Excel functions declare their range arguments ``"raw"``, so they see what Excel itself sent:

* classic xlwings (Windows, COM): a single cell is a scalar, a range is a tuple of row tuples;
  blank cells are ``None``, numbers are floats, dates are ``datetime`` objects and error values
  (``#N/A``, ``#DIV/0!``, …) are the integers of :data:`COM_ERRORS`;
* Office.js (xlwings Server / Lite, on every platform): a single cell is a scalar, a range is a
  list of row lists; blank cells are ``""``, numbers are ints or floats, dates are serial
  numbers and error values are objects ``{"type": "Error", "basicValue": "#N/A", …}``.

Every error value becomes its name ("#N/A"), which ``scores.py`` treats as an invalid answer,
so a message can name it. Nothing here computes a statistic.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from itertools import chain

import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from nps_xl.dates import LAST_DATE, serial_to_date
from nps_xl.errors import LocalizedError, Message
from nps_xl.scores import (
    ParsedScores,
    ScaleError,
    ScoreError,
    parse_scores,
    quote,
    resolve_scale,
    scale_error,
)

#: HRESULTs that pywin32 delivers for Excel's error values: 0x800A0000 + the ``XlCVError``
#: number (Microsoft, "XlCVError enumeration (Excel)"). The first seven are the classic ones.
COM_ERRORS: dict[int, str] = {
    -2146826281: "#DIV/0!",  # xlErrDiv0 2007
    -2146826246: "#N/A",  # xlErrNA 2042
    -2146826259: "#NAME?",  # xlErrName 2029
    -2146826288: "#NULL!",  # xlErrNull 2000
    -2146826252: "#NUM!",  # xlErrNum 2036
    -2146826265: "#REF!",  # xlErrRef 2023
    -2146826273: "#VALUE!",  # xlErrValue 2015
    -2146826243: "#SPILL!",  # xlErrSpill 2045
    -2146826238: "#CALC!",  # xlErrCalc 2050
    -2146826239: "#FIELD!",  # xlErrField 2049
    -2146826241: "#BLOCKED!",  # xlErrBlocked 2047
    -2146826242: "#CONNECT!",  # xlErrConnect 2046
    -2146826237: "#BUSY!",  # xlErrBusy 2051
    -2146826240: "#UNKNOWN!",  # xlErrUnknown 2048
    -2146826245: "#GETTING_DATA",  # xlErrGettingData 2043
}


class CellError(LocalizedError, ValueError):
    """Cells an Excel function cannot work with. The frequent case (no valid answer) carries an
    i18n key, so a function with a ``lang`` argument shows it in that language."""


#: The dates the tables count with (:mod:`nps_xl.dates`): Excel's first date to the last one a
#: report can place (nanosecond timestamps end on 11 April 2262).
_FIRST_DATE = dt.datetime(1899, 12, 30)
_LAST_DATE = LAST_DATE.to_pydatetime() + dt.timedelta(days=1)

#: The most characters an Excel cell holds (Microsoft, "Excel specifications and limits").
CELL_LIMIT = 32_767
#: The longest text a single-value argument (method, scale, lang, …) may be: Excel's own limit
#: for a text in a formula. Longer text can only come from a cell and is never a valid option.
OPTION_LIMIT = 255


def error_name(value: object) -> str | None:
    """The name of an Excel error value ("#N/A"), or None if ``value`` is not one."""
    if type(value) is int:
        return COM_ERRORS.get(value)
    if isinstance(value, dict) and value.get("type") == "Error":
        return str(value.get("basicValue") or "#" + str(value.get("errorType", "ERROR")))
    return None


def clean(value: object) -> object:
    """One cell: error values become their names, "" and Office.js null become None, Office.js
    data-type objects their basic value; everything else stays as it is."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        name = error_name(value)
        return name if name is not None else clean(value.get("basicValue"))
    if type(value) is int and value in COM_ERRORS:
        return COM_ERRORS[value]
    return value


@dataclass(frozen=True)
class Cells:
    """The cells of one range argument, flattened row by row, and the range's shape."""

    values: np.ndarray
    shape: tuple[int, int]
    argument: str

    def __len__(self) -> int:
        return len(self.values)

    def where(self, index: int) -> str:
        """Where flat cell ``index`` is, in words: "row 4 of scores"."""
        return where(index, self.shape, self.argument)


def cells(value: object, argument: str = "scores") -> Cells:
    """Flatten a range argument (scalar, rows of cells) into :class:`Cells`.

    A column of plain numbers and blanks — what a COM range of scores is — goes straight to a
    float array (blank → NaN); anything else becomes an object array of cleaned cells.
    """
    if isinstance(value, (list, tuple)):
        rows = value if value and isinstance(value[0], (list, tuple)) else [value]
    else:
        rows = [[value]]
    widths = {len(row) for row in rows}
    if len(widths) != 1 or 0 in widths:
        raise ValueError(f"{argument} must be a rectangular range of cells.")
    shape = (len(rows), widths.pop())
    flat = list(chain.from_iterable(rows)) if shape[1] > 1 or shape[0] > 1 else [rows[0][0]]
    # infer_dtype is a C loop: a column of floats and blanks needs no Python-level look at
    # every cell (the 1,048,576-cell benchmark); ints may be COM error codes, so they don't.
    if infer_dtype(flat, skipna=True) in ("floating", "empty"):
        return Cells(np.asarray(flat, dtype=float), shape, argument)
    out = np.empty(len(flat), dtype=object)
    out[:] = [clean(v) for v in flat]
    return Cells(out, shape, argument)


def where(index: int, shape: tuple[int, int], argument: str) -> str:
    return str(where_message(index, shape, argument))


def where_message(index: int, shape: tuple[int, int], argument: str) -> Message:
    """:func:`where` as an i18n message: "row 4 of scores" in any language."""
    rows, columns = shape
    if rows == 1 and columns == 1:
        return Message("udf_where_cell", argument=argument)
    row, column = (str(i + 1) for i in divmod(int(index), columns))
    if columns == 1:
        return Message("udf_where_row", row=row, argument=argument)
    if rows == 1:
        return Message("udf_where_column", column=column, argument=argument)
    return Message("udf_where_row_column", row=row, column=column, argument=argument)


def show(value: object) -> str:
    """A cell value as a message shows it: 11, 7.5, '#N/A', 'great', TRUE, 2025-05-01; long
    text cut to its first characters ('xxxx…'), huge numbers as 1e+308."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e20:
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M") if value.time() != dt.time() else f"{value:%F}"
    if isinstance(value, dt.date):
        return value.isoformat()
    value = quote(value)
    return repr(value) if isinstance(value, str) else str(value)


def read_answers(
    value: object,
    argument: str = "scores",
    *,
    scale: object = None,
    invalid: str = "error",
    allow_empty: bool = False,
) -> tuple[ParsedScores, Cells]:
    """Parse a range of answers with ``scores.parse_scores``; messages name the cell.

    Raises ``ValueError`` (a :class:`~nps_xl.scores.ScoreError` for bad answers) with a message
    for the person at the keyboard: which cell, what it holds, what to do.
    """
    sc = resolve_scale(scale)
    got = cells(value, argument)
    try:  # no scale given: scores.scale_doubt decides whether the answers may be 0–10
        parsed = parse_scores(got.values, scale=None if scale is None else sc, invalid="skip")
    except ScaleError as exc:
        raise scale_error(exc.doubt, "udf") from None
    if parsed.invalid and invalid == "error":
        first = int(parsed.invalid_positions[0])
        more = parsed.invalid - 1
        raise ScoreError(
            f"{show(parsed.invalid_values[0])} in {got.where(first)} is not a score on the "
            f"{sc} scale"
            + (f" ({more} more invalid answer{'s' if more > 1 else ''})" if more else "")
            + '. Fix the cell, or give "skip" as the invalid argument to leave invalid '
            "answers out.",
            positions=parsed.invalid_positions.tolist(),
            values=parsed.invalid_values,
        ).localize(
            "udf_invalid_score",
            value=show(parsed.invalid_values[0]),
            where=where_message(first, got.shape, argument),
            scale=str(sc),
            count=parsed.invalid,
        )
    if parsed.n == 0 and not allow_empty:
        skipped = f", {parsed.invalid} invalid skipped" if parsed.invalid else ""
        raise CellError(
            f"{argument} has no valid answer ({parsed.blank} blank{skipped}), so there is no "
            f"score to compute. Point {argument} at cells holding {sc} scores."
        ).localize(
            "udf_no_valid",
            argument=argument,
            blank=parsed.blank,
            invalid=parsed.invalid,
            scale=str(sc),
        )
    return parsed, got


def read_numbers(value: object, argument: str, count: int) -> np.ndarray:
    """A range of numbers (weights, counts) aligned with ``count`` answers; blank → NaN.

    Cells that are not numbers raise ``ValueError`` naming the cell.
    """
    got = cells(value, argument)
    if len(got) != count:
        raise ValueError(
            f"{argument} has {len(got)} cells but there are {count} answers; give ranges of "
            "the same size."
        )
    if got.values.dtype == float:
        return got.values
    out = np.full(len(got), np.nan)
    for i, v in enumerate(got.values):
        if v is None:
            continue
        if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
            out[i] = float(v)
            continue
        raise ValueError(f"{show(v)} in {got.where(i)} is not a number. Fix the cell.")
    return out


def read_dates(value: object, argument: str, count: int) -> pd.Series:
    """Dates aligned with ``count`` answers: datetimes, Excel serial numbers (how Office.js and
    number-formatted cells deliver them) or ISO text such as "2025-05-01"; blank → NaT.
    Anything else raises ``ValueError`` naming the cell."""
    got = cells(value, argument)
    if len(got) != count:
        raise ValueError(
            f"{argument} has {len(got)} cells but there are {count} answers; give one date "
            "per answer (ranges of the same size)."
        )
    out: list[object] = []
    for i, v in enumerate(got.values.tolist()):
        out.append(_date(v, got, i))
    return pd.Series(pd.to_datetime(pd.Series(out, dtype=object)), name=argument)


def _date(v: object, got: Cells, i: int) -> object:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return pd.NaT
    when = _when(v)
    if when is None:
        raise ValueError(
            f"{show(v)} in {got.where(i)} is not a date. Use date cells (or text like 2025-05-01)."
        )
    if not _FIRST_DATE <= when <= _LAST_DATE:
        raise ValueError(
            f"{show(v)} in {got.where(i)} is a date nps-xl cannot count with: use dates from "
            f"{_FIRST_DATE:%Y-%m-%d} to {_LAST_DATE:%Y-%m-%d}."
        )
    return when


def _when(v: object) -> dt.datetime | None:
    """The date and time a cell holds, without a time zone, or None if it holds none."""
    if isinstance(v, dt.datetime):
        return v.replace(tzinfo=None)  # pywin32 marks COM dates as UTC; they are local
    if isinstance(v, dt.date):
        return dt.datetime(v.year, v.month, v.day)
    if isinstance(v, (int, float, np.number)) and not isinstance(v, bool):
        stamp, ok = serial_to_date(float(v))  # Excel's 1900 date system (nps_xl.dates)
        return pd.Timestamp(stamp).to_pydatetime() if ok else None
    if isinstance(v, str) and len(v) <= OPTION_LIMIT:
        parsed = pd.to_datetime(v.strip(), errors="coerce", format="ISO8601")
        if not pd.isna(parsed):
            # "2025-05-01T09:00+05:00" is 9 o'clock where it was written, as a cell would be
            return parsed.tz_localize(None).to_pydatetime()
    return None


def read_labels(value: object, argument: str, count: int) -> np.ndarray:
    """Group labels aligned with ``count`` answers, as text (12.0 → "12"); blank → None."""
    got = cells(value, argument)
    if len(got) != count:
        raise ValueError(
            f"{argument} has {len(got)} cells but there are {count} answers; give one group "
            "per answer (ranges of the same size)."
        )
    out = np.empty(len(got), dtype=object)
    for i, v in enumerate(got.values.tolist()):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            out[i] = None
        elif isinstance(v, str) and v.startswith("#") and v.upper() in _ERROR_NAMES:
            raise ValueError(f"{v} in {got.where(i)} is an error value, not a group. Fix it.")
        else:
            out[i] = show(v).strip("'") if not isinstance(v, str) else v.strip()
    return out


_ERROR_NAMES = frozenset(COM_ERRORS.values())


# --------------------------------------------------------------------------- single values


def option(value: object, argument: str, default: object) -> object:
    """An optional single-value argument: omitted or blank → ``default``; a range of several
    cells or an error value raises ``ValueError``."""
    if isinstance(value, (list, tuple)):
        flat = list(chain.from_iterable(v if isinstance(v, (list, tuple)) else [v] for v in value))
        if len(flat) != 1:
            raise ValueError(f"{argument} must be a single value, not a range of {len(flat)}.")
        value = flat[0]
    value = clean(value)
    if value is None:
        return default
    if isinstance(value, str) and value.strip().upper() in _ERROR_NAMES:
        raise ValueError(f"{argument} is the error value {value.strip()}. Fix that cell.")
    return value.strip() if isinstance(value, str) else value


def number(value: object, argument: str, default: float | None = None) -> float | None:
    """An optional number argument (numbers, or text such as "0.9")."""
    got = option(value, argument, default)
    if got is None:
        return None
    if isinstance(got, (bool, dt.date, dt.datetime)):
        raise ValueError(f"{argument} must be a number, got {show(got)}.")
    try:
        result = float(got.replace(",", ".") if isinstance(got, str) else got)
    except (TypeError, ValueError):
        raise ValueError(f"{argument} must be a number, got {show(got)}.") from None
    if not math.isfinite(result):
        raise ValueError(f"{argument} must be a finite number, got {show(got)}.")
    return result


def whole_number(value: object, argument: str, default: int) -> int:
    got = number(value, argument, default)
    if got is None or not float(got).is_integer():
        raise ValueError(f"{argument} must be a whole number, got {show(got)}.")
    return int(got)


def word(value: object, argument: str, default: str, choices: tuple[str, ...] = ()) -> str:
    """An optional text argument, matched case-insensitively against ``choices`` if given.
    Text longer than :data:`OPTION_LIMIT` characters is refused."""
    got = option(value, argument, default)
    if not isinstance(got, str):
        got = show(got)
    if len(got) > OPTION_LIMIT:
        raise ValueError(
            f"{argument} is a text of {len(got):,} characters; give a short word"
            + (f": {', '.join(repr(c) for c in choices)}." if choices else ".")
        )
    if choices:
        for choice in choices:
            if got.lower() == choice.lower():
                return choice
        raise ValueError(
            f"{argument} must be one of {', '.join(repr(c) for c in choices)}; got {got!r}."
        )
    return got


# --------------------------------------------------------------------------- results


def cell(value: object) -> object:
    """A result value as Excel takes it: NaN/NaT/None → blank, numpy scalars → Python, text cut
    to the :data:`CELL_LIMIT` characters a cell holds."""
    if value is None:
        return None
    if isinstance(value, str):
        return value if len(value) <= CELL_LIMIT else value[: CELL_LIMIT - 1] + "…"
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return None if math.isnan(value) else float(value)
    if isinstance(value, pd.Timestamp):
        return None if pd.isna(value) else value.to_pydatetime()
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        pass
    return value


def table(header: list[str] | None, rows: list[list[object]]) -> list[list[object]]:
    """A spilled table: an optional header row, then the rows, every value through :func:`cell`."""
    out = [list(header)] if header else []
    out.extend([cell(v) for v in row] for row in rows)
    return out
