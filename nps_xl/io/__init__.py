"""Read survey exports (CSV, XLSX/XLS/ODS, Parquet) into one tidy table of answers.

:func:`load_survey` does it in one call and returns a :class:`Survey` value (the tidy frame,
the columns found, the segment names, the notes, the encoding and the survey tool). The steps
are also usable on their own:

1. :func:`read_survey` reads a file into a DataFrame with one row per answer and the export's
   own column names (:mod:`nps_xl.io.readers`). The format is decided from the file's first
   bytes (not its name); text files have their encoding detected (:mod:`nps_xl.io.encoding`)
   and their delimiter sniffed; the extra header rows of Qualtrics and SurveyMonkey exports are
   dropped; missing-value markers (``NA``, ``NULL``, ``.``…) become empty cells; hostile files
   are refused before a parser sees them (:mod:`nps_xl.io.guards`). The index is the file row
   of each answer, so every later message can name the row the user must fix.
2. :func:`detect_columns` finds which column holds the score, the date, the comment, the
   response id, the customer, the weight and the segments (:mod:`nps_xl.io.detect`; explicit
   arguments win).
3. :func:`tidy` renames and orders them into the canonical columns ``Response ID, Date, Score,
   Comment, <segments…>, Customer ID, Weight`` (:mod:`nps_xl.io.tidy`).

Scores are left raw (text allowed): :mod:`nps_xl.scores` decides what is a score.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from nps_xl._lazy import lazy_exports

#: Each public name and its module, imported on first use (PEP 562): a module of ``nps_xl.io``
#: that needs no pandas (the guards, the stream staging) loads none through this package.
_EXPORTS = {
    "nps_xl.io._common": ("SurveyFileError",),
    "nps_xl.io.detect": ("MAX_SEGMENT_VALUES", "MAX_SEGMENTS", "Columns", "detect_columns"),
    "nps_xl.io.encoding": ("CANDIDATES as ENCODINGS",),
    "nps_xl.io.guards": (
        "MAX_COMPRESSION_RATIO",
        "MAX_PARQUET_BYTES",
        "MAX_PARQUET_ROWS",
        "MAX_PROLOG_BYTES",
        "MAX_SHEET_CELLS",
        "MAX_SHEET_COLUMNS",
        "MAX_SHEET_ROWS",
        "MAX_UNCOMPRESSED_BYTES",
        "RATIO_CHECK_MIN_BYTES",
        "SPARSE_FLOOR",
        "SPARSE_RATIO",
    ),
    "nps_xl.io.readers": ("MISSING_MARKERS", "read_raw"),
    "nps_xl.io.survey": ("Survey", "load_survey"),
    "nps_xl.io.tidy": ("CANONICAL", "EXCEL_CELL_LIMIT", "tidy"),
}

if TYPE_CHECKING:
    import pandas as pd

    from nps_xl.io._common import SurveyFileError
    from nps_xl.io.detect import MAX_SEGMENT_VALUES, MAX_SEGMENTS, Columns, detect_columns
    from nps_xl.io.encoding import CANDIDATES as ENCODINGS
    from nps_xl.io.guards import (
        MAX_COMPRESSION_RATIO,
        MAX_PARQUET_BYTES,
        MAX_PARQUET_ROWS,
        MAX_PROLOG_BYTES,
        MAX_SHEET_CELLS,
        MAX_SHEET_COLUMNS,
        MAX_SHEET_ROWS,
        MAX_UNCOMPRESSED_BYTES,
        RATIO_CHECK_MIN_BYTES,
        SPARSE_FLOOR,
        SPARSE_RATIO,
    )
    from nps_xl.io.readers import MISSING_MARKERS, read_raw  # noqa: F401 (read_survey's)
    from nps_xl.io.survey import Survey, load_survey
    from nps_xl.io.tidy import CANONICAL, EXCEL_CELL_LIMIT, tidy

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "CANONICAL",
    "ENCODINGS",
    "EXCEL_CELL_LIMIT",
    "MAX_COMPRESSION_RATIO",
    "MAX_PARQUET_BYTES",
    "MAX_PARQUET_ROWS",
    "MAX_PROLOG_BYTES",
    "MAX_SEGMENTS",
    "MAX_SEGMENT_VALUES",
    "MAX_SHEET_CELLS",
    "MAX_SHEET_COLUMNS",
    "MAX_SHEET_ROWS",
    "MAX_UNCOMPRESSED_BYTES",
    "MISSING_MARKERS",
    "RATIO_CHECK_MIN_BYTES",
    "SPARSE_FLOOR",
    "SPARSE_RATIO",
    "Columns",
    "Survey",
    "SurveyFileError",
    "detect_columns",
    "load_survey",
    "read_survey",
    "tidy",
]


def read_survey(
    path: str | os.PathLike, *, sheet: str | int | None = None, encoding: str | None = None
) -> pd.DataFrame:
    """Read a survey export into a DataFrame, one row per answer, the export's column names.

    ``sheet`` picks a worksheet by name, by 0-based position (an ``int``, as before) or by
    1-based position given as text (``"1"`` is the first sheet, as ``--sheet 1``).
    Without ``sheet``, a workbook is read from the one sheet that holds a score column.
    ``encoding`` overrides the detected text encoding of a CSV file. ``"-"`` reads standard
    input; a pipe (FIFO) is read too; a web page saved as ``.xls`` is read as its table.

    The index holds the file row of each answer. The facts found while reading — the survey
    tool, the question texts of a Qualtrics export, the encoding, notes — come with
    :func:`load_survey`, as a :class:`Survey` value (no side channel on the frame).

    Raises :class:`SurveyFileError` for a missing, empty, unreadable or hostile file.
    """
    import numpy as np

    from nps_xl.io.readers import read_raw

    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        sheet = int(sheet) + 1
    return read_raw(path, sheet=sheet, encoding=encoding).frame
