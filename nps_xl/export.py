"""A :class:`~nps_xl.report.Report` for scripts and pipelines: one JSON document, or its tables as
CSV files — the figures the terminal and the workbook show, numbers as numbers.

* JSON (``nps-xl summary --json``): ``headline`` (every figure of the summary), ``trend``,
  ``segments``, ``themes`` (one object per row, the tables' own column names), ``invalid``
  (row, response id, value), ``follow_up`` (how many answers to follow up, and how many the
  list shows), ``benchmarks``, ``notes``, ``options``. NaN and infinity become ``null``; dates
  are ISO 8601 text.
* CSV (``--tables DIR``): ``trend.csv``, ``segments.csv``, ``themes.csv``, ``follow_up.csv``,
  ``invalid_answers.csv`` in UTF-8 with a header row and CRLF line ends (RFC 4180); a table
  the data has no column for (no date: no trend) is not written.
* CSV formula injection (OWASP, "CSV Injection"): a spreadsheet opening a CSV runs a cell
  that begins with ``=``, ``+``, ``-`` or ``@`` as a formula (and a leading tab or carriage
  return hides one). Every text cell of every CSV written here — header included — that
  begins with one of those characters gets an apostrophe in front (:func:`neutralise`), as
  OWASP recommends; numbers stay numbers (``-12.5`` is a number, written as one).
  ``raw=True`` (``--raw-csv``) writes the text as it is.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd

from nps_xl.report import Report

#: File name of each table written by :func:`write_tables`.
TABLE_FILES = {
    "trend": "trend.csv",
    "segments": "segments.csv",
    "themes": "themes.csv",
    "follow_up": "follow_up.csv",
    "invalid": "invalid_answers.csv",
    "drivers": "drivers.csv",
    "driver_levels": "driver_levels.csv",
}


#: What a spreadsheet takes for the start of a formula (OWASP, "CSV Injection").
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
#: Text that a spreadsheet reads as a plain number (no formula can hide in it).
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?%?")


def neutralise(value: object) -> object:
    """A CSV cell that no spreadsheet runs: text beginning with ``=``, ``+``, ``-``, ``@``, a
    tab or a carriage return gets an apostrophe in front; numbers, and text that is only a
    number (``-12.5``), stay as they are.

    >>> neutralise("=1+2"), neutralise("@SUM(A1)"), neutralise("-12.5"), neutralise(-3)
    ("'=1+2", "'@SUM(A1)", '-12.5', -3)
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_START):
        return value
    if _NUMBER.fullmatch(value):
        return value
    return "'" + value


def safe_table(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` with every text cell and header :func:`neutralise`-d (numeric columns as they
    are)."""
    out = df.copy()
    for column in out.columns:
        dtype = out[column].dtype
        if dtype is np.dtype(object) or isinstance(dtype, (pd.CategoricalDtype, pd.StringDtype)):
            out[column] = out[column].map(neutralise)
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def plain(value: object) -> object:
    """A value JSON can carry: finite numbers, text, ``None``; dates as ISO text."""
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return None
        return stamp.date().isoformat() if stamp == stamp.normalize() else stamp.isoformat()
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    return str(value)


def records(df: pd.DataFrame | None) -> list[dict] | None:
    """A table as one object per row (``None`` for a table the report does not have)."""
    if df is None:
        return None
    columns = [str(c) for c in df.columns]
    return [
        {c: plain(v) for c, v in zip(columns, row, strict=True)}
        for row in df.itertuples(index=False, name=None)
    ]


def invalid_table(report: Report) -> pd.DataFrame:
    """The invalid answers with where they are, named as the file counts: ``line`` (a CSV
    file's physical line) or ``row`` (a spreadsheet's Excel row), then response id and value."""
    table = report.invalid[["row", "response_id", "value"]]
    return table.rename(columns={"row": "line"}) if report.unit == "line" else table


def report_json(report: Report) -> dict:
    """Every figure of ``report`` as a JSON-ready dict."""
    o = report.options
    return {
        "options": {
            "scale": ",".join(str(b) for b in o.scale.breaks),
            "period": o.period,
            "confidence": o.confidence,
            "method": o.method,
            "min_n": o.min_n,
            "target": o.target,
            "industry": o.industry,
            "lang": o.lang,
            "follow_up_limit": o.follow_up_limit,
        },
        "rows": report.rows,
        "headline": plain(
            {
                **report.summary,
                "distribution": dict(
                    zip(
                        [str(k) for k in range(o.scale.minimum, o.scale.maximum + 1)],
                        report.headline.distribution,
                        strict=True,
                    )
                ),
            }
        ),
        "trend": records(report.trend),
        "segments": records(report.segments),
        "themes": records(report.themes),
        "drivers": _drivers_json(report),
        "invalid": records(invalid_table(report)),
        "follow_up": {
            "listed": 0 if report.follow_up is None else len(report.follow_up),
            "not_listed": report.follow_up_more,
        },
        "benchmarks": [
            plain(
                {
                    "industry": b.industry,
                    "statistic": b.statistic,
                    "value": b.value,
                    "year": b.year,
                    "source": b.source,
                    "gap": b.gap,
                    "verdict": b.verdict_key.removeprefix("verdict_") if b.verdict_key else None,
                }
            )
            for b in report.benchmarks
        ],
        "notes": list(report.notes),
    }


def _drivers_json(report: Report) -> dict | None:
    """The Key drivers table: importance (ranked) and levels, with what they rest on."""
    table = report.drivers
    if table is None:
        return None
    return {
        "method": table.method,
        "r_squared": table.r_squared,
        "n": table.n,
        "left_out": table.left_out,
        "importance": records(table.importance),
        "levels": records(table.levels),
        "note": report.drivers_table_note,
    }


def tables_of(report: Report) -> dict[str, pd.DataFrame]:
    """``{file name: table}`` of the CSV files of ``report`` (tables it does not have left
    out), in :data:`TABLE_FILES` order."""
    tables = {
        "trend": report.trend,
        "segments": report.segments,
        "themes": report.themes,
        "follow_up": report.follow_up,
        "invalid": invalid_table(report),
        "drivers": None if report.drivers is None else report.drivers.importance,
        "driver_levels": None if report.drivers is None else report.drivers.levels,
    }
    return {TABLE_FILES[key]: df for key, df in tables.items() if df is not None}


def write_csv(df: pd.DataFrame, path: str | Path, *, raw: bool = False) -> None:
    """One table as a CSV file (UTF-8, header row, ISO dates), text neutralised unless
    ``raw`` (:func:`neutralise`)."""
    # CRLF line ends (RFC 4180): the csv module then quotes a cell holding a lone carriage
    # return, which a reader would otherwise take for the end of the row
    (df if raw else safe_table(df)).to_csv(
        path, index=False, encoding="utf-8", date_format="%Y-%m-%d", lineterminator="\r\n"
    )


def write_tables(
    report: Report,
    folder: str | Path,
    *,
    raw: bool = False,
    place: Callable[[Path, Callable[[Path], None]], None] | None = None,
) -> list[Path]:
    """Write the report's tables as CSV files into ``folder`` (created if missing).

    ``place(path, write)`` puts each file in place (the CLI's atomic, never-overwrite rule of
    :func:`nps_xl.files.write_atomically`); without it each file is written directly."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, df in tables_of(report).items():
        path = folder / name

        def write(target: Path, df: pd.DataFrame = df) -> None:
            write_csv(df, target, raw=raw)

        if place is None:
            write(path)
        else:
            place(path, write)
        written.append(path)
    return written
