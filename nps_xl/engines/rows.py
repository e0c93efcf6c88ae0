"""From an answer's place among the file's records to the numbers a person sees.

Engines number the records of a file ``1, 2, 3…`` in file order (``_row``). ``nps_xl.io``
gives each answer two other numbers, and so must the engines:

* its **position** in the table of answers (0-based), after rows whose every cell is empty
  were left out: ``_row − 1 −`` (empty rows before it);
* its **file row**: for a spreadsheet or Parquet, the first answer's row plus ``_row − 1``; for
  a text file, the *line* where the record starts, so line breaks inside quoted cells and blank
  lines push the later rows down. The quick check is the file's line count: when it equals
  header lines + records, every record is one line. Otherwise the records with line breaks
  are asked of the engine (few; first of the kept table's columns, which needs no new parse,
  then of every column), and only a file that also has blank lines (engines skip them)
  is read once more, by Python's ``csv`` module, to place each record.
"""

from __future__ import annotations

import csv
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path

import numpy as np
import pyarrow as pa

from nps_xl.engines import sql
from nps_xl.engines.source import Source

_CHUNK = 8 * 1024 * 1024


def count_lines(path: Path) -> int:
    """Lines of a text file: line feeds, plus one if the last line has none."""
    lines, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            lines += chunk.count(b"\n")
            last = chunk[-1:]
    return lines + (last != b"\n")


class RowMap:
    """Positions and file rows of records, for one file read by one engine."""

    def __init__(self, source: Source, query: Callable[[str], pa.Table]) -> None:
        self.source = source
        self.query = query
        self.records = 0  # records the engine read, empty rows included (set by the counting)
        self.empty = np.zeros(0, dtype=np.int64)  # _row of the rows with every cell empty
        self.kept: list[str] = []  # the text columns of the kept ``answers`` table
        self._lines: tuple[np.ndarray, np.ndarray] | np.ndarray | None = None
        self._counted: Future[int] | None = None

    def count_lines_meanwhile(self) -> None:
        """Count a text file's lines on a thread of its own while the engine parses it (the
        engine works without holding the GIL): 0.35 s of Python per 500 MB no longer adds
        to the parse."""
        if self.source.kind == "csv" and self._counted is None:
            counted: Future[int] = Future()

            def count() -> None:
                try:
                    counted.set_result(count_lines(self.source.data))
                except BaseException as exc:  # told where the count is used
                    counted.set_exception(exc)

            try:
                threading.Thread(target=count, name="nps-xl-lines", daemon=True).start()
            except RuntimeError:  # no threads (Pyodide): counted when needed
                return
            self._counted = counted

    def close(self) -> None:
        """Wait for the line count (it reads the file, which the caller may remove next)."""
        if self._counted is not None:
            self._counted.exception()

    def positions(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        return rows - 1 - np.searchsorted(self.empty, rows, side="left")

    def file_rows(self, rows: np.ndarray) -> np.ndarray:
        rows = np.asarray(rows, dtype=np.int64)
        if self.source.kind != "csv":
            return self.source.first_row + rows - 1
        shift = self._line_shift()
        if isinstance(shift, np.ndarray):  # every record's first line, from the csv module
            return shift[rows - 1]
        at, cumulative = shift
        before = np.concatenate(([0], cumulative))[np.searchsorted(at, rows, side="left")]
        return self.source.header_lines + rows + before

    def _line_shift(self) -> tuple[np.ndarray, np.ndarray] | np.ndarray:
        if self._lines is not None:
            return self._lines
        none = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
        lines = self._counted.result() if self._counted else count_lines(self.source.data)
        expected = self.source.header_lines + self.records
        if lines == expected:
            self._lines = none
            return self._lines
        # first the kept columns (no new parse): when their line breaks make up the whole
        # difference, no other cell holds one and there is no blank line
        tables = [(self.kept, "answers")] if self.kept else []
        tables.append(([f"c{j}" for j in range(len(self.source.names))], "raw"))
        for columns, table in tables:
            got = self.query(sql.newline_query(columns, table))
            at = got.column("_row").to_numpy().astype(np.int64)
            extra = got.column("nl").to_numpy().astype(np.int64)
            if expected + int(extra.sum()) == lines:
                self._lines = (at, np.cumsum(extra))
                return self._lines
        # blank lines too: place every record with the csv module
        self._lines = _record_starts(self.source)
        return self._lines


def _record_starts(source: Source) -> np.ndarray:
    """The first line of every non-blank record (blank lines are no records to an engine)."""
    starts = []
    with open(source.data, encoding="utf-8-sig", newline="") as fh:
        for _ in range(source.header_lines):
            fh.readline()
        reader = csv.reader(fh, delimiter=source.delimiter)
        previous = 0
        for row in reader:
            if row:
                starts.append(source.header_lines + previous + 1)
            previous = reader.line_num
    return np.asarray(starts, dtype=np.int64)
