"""Distinct raw values of one column, read as ``nps_xl.io`` reads the whole column.

An engine groups by the raw text of a cell; the pandas path sees the value pandas made of it
(``"9"`` in a column of whole numbers is the number 9, ``"NA"`` a blank, ``"9,0"`` in a
semicolon file 9.0…). The type pandas gives a column depends only on the *set* of its values
(whole numbers without blanks: int64; numbers with blanks: float64; anything else: text), so
reading the distinct values of a column with the same ``read_csv`` options gives each value
exactly the type and value it has in the pandas path. Then the score, date and text rules of
:mod:`nps_xl.io` and :mod:`nps_xl.scores` run once per distinct value.
"""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from nps_xl.engines.source import Source


def column_values(source: Source, name: str, raws: list) -> pd.Series:
    """The values ``nps_xl.io.read_raw`` gives the raw values ``raws`` of column ``name``
    (``None``: an empty cell), typed as the whole column is."""
    if source.kind == "csv":
        return csv_values(raws, source, name)
    return typed_values(raws, source, name)


def csv_values(raws: list, source: Source, name: str) -> pd.Series:
    """``pandas.read_csv`` of the distinct texts, with the reader's options for this column."""
    if not raws:
        return pd.Series([], dtype=object)
    text = "".join("\n" if v is None else '"' + v.replace('"', '""') + '"\n' for v in raws)
    frame = pd.read_csv(
        io.StringIO(text),
        sep=source.delimiter,
        header=None,
        names=["v"],
        keep_default_na=False,
        na_values=[*source.markers.get(name, []), ""],
        decimal=source.decimal,
        skip_blank_lines=False,
        index_col=False,
        low_memory=False,
    )
    return frame["v"]


def typed_values(raws: list, source: Source, name: str) -> pd.Series:
    """Parquet and spreadsheet values: already typed by the engine; text markers blanked."""
    from nps_xl.io.readers import _blank_markers

    series = pd.Series(raws) if raws else pd.Series([], dtype=object)
    if series.dtype == object and all(isinstance(v, str) or v is None for v in raws):
        series = series.astype("str")
    markers = source.markers.get(name)
    if markers:
        series = _blank_markers(series, frozenset(markers))
    return series


class _DistinctRaw:
    """The distinct raw values of the score column, shaped as the ``RawSurvey`` that
    ``nps_xl.io``'s score-as-written rule reads (its frame column and its raw text)."""

    kind = "csv"

    def __init__(self, name: str, values: pd.Series, raws: list) -> None:
        self.frame = pd.DataFrame({name: values.reset_index(drop=True)})
        self._text = pd.Series(raws, dtype="str")

    def raw_text(self, column: str) -> pd.Series:
        return self._text


def score_values(
    source: Source, name: str, raws: list, counts: np.ndarray
) -> tuple[pd.Series, str | None]:
    """The score column's distinct values as the pandas path reads them, and the note on
    missing-value markers counted as blank answers.

    For CSV files ``nps_xl.io.load_survey`` reads the score *as written* ("1e1" and "10.0000"
    stay text, plain whole numbers become numbers, markers blanks): that rule
    (``nps_xl.io.survey._score_as_written``) runs here on the distinct texts; the note is made
    again with each text's number of answers, which the distinct values do not know.
    """
    values = column_values(source, name, raws)
    if source.kind != "csv":
        return values, None
    from nps_xl.io._common import plural
    from nps_xl.io.readers import MISSING_MARKERS
    from nps_xl.io.survey import _score_as_written

    written = _score_as_written(_DistinctRaw(name, values, raws), name, [])
    if written is None:
        return values, None
    markers = frozenset(MISSING_MARKERS)
    found = [
        (v, int(c))
        for v, c in zip(raws, counts.tolist(), strict=True)
        if v is not None and v.strip() in markers
    ]
    note = None
    if found:
        found.sort(key=lambda item: -item[1])
        shown = ", ".join(f"{v!r} ×{c}" for v, c in found)
        total = sum(c for _, c in found)
        note = (
            f"{name}: {plural(total, 'missing-value marker')} ({shown}) counted as blank answers."
        )
    return written.reset_index(drop=True), note


def text_values(series: pd.Series, name: str) -> pd.Series:
    """Segment and comment values as ``nps_xl.io.tidy`` leaves them (categories as text,
    text beyond Excel's cell limit shortened)."""
    from nps_xl.io.tidy import _categorical_text, _clip_text

    return _clip_text(_categorical_text(series), [], name)


def id_values(raws: list, numeric: bool) -> pd.Series:
    """Response IDs as ``nps_xl.io.tidy`` writes them: a column of numbers gives
    ``"11402345678"`` for 11402345678.0, a text column its text."""
    from nps_xl.io.tidy import _as_text

    if numeric:
        numbers = pd.to_numeric(pd.Series(raws, dtype=object), errors="coerce")
        return _as_text(numbers).reset_index(drop=True)
    return _as_text(pd.Series(raws, dtype="str")).reset_index(drop=True)
