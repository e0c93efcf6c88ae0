"""Read a survey export into a DataFrame whose index is the file row of each answer.

The format is decided from the file's first bytes, not its name. Each reader returns a
:class:`RawSurvey`: the export's own columns, the header facts of the survey tool, and (for
text files) the encoding used.

**Row numbers** are what a person sees, and say what they count: the index is named
``"line"`` for a text file and ``"row"`` for a spreadsheet or Parquet file
(:func:`nps_xl.tables.position_unit`), so every message says "line 12" or "row 12" as the file
shows it. They are: for a spreadsheet, the row number Excel shows (header
rows and blank rows counted); for a CSV file, the line number in a text editor where the
answer starts (a comment quoted over several lines takes several lines, blank lines count);
for Parquet, data row *k* is row *k* + 1 (the header being row 1), as the file would show
once opened in a spreadsheet.

**Missing-value markers.** What programs write for "no value" — R's ``NA``, ``NaN``, ``nan``,
``null``/``NULL``, ``None``, ``<NA>``, SPSS/SAS ``.`` and Excel's ``#N/A`` — are read as empty
cells (:data:`MISSING_MARKERS`), so a numeric column stays numeric and a score column counts
them as blank answers. Text a person typed (``N/A``, ``n/a``, ``none``) is kept: as a score it
is an invalid answer, listed with its row. One exception: ``NA`` in a column of short upper-case
codes (``EU``, ``APAC``, ``NA``) is North America and is kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from nps_xl import progress
from nps_xl.io._common import Message, Note, SurveyFileError, norm, one_line
from nps_xl.io.encoding import TextDecoding, detect_encoding, is_utf16_text
from nps_xl.io.guards import check_parquet, check_sheet_extent, check_zip
from nps_xl.io.webpage import is_web_page
from nps_xl.optional import installed, require
from nps_xl.scores import MISSING_MARKERS  # read as empty cells (exact text)

__all__ = ["MISSING_MARKERS", "RawSurvey", "read_raw"]

_MARKER_SET = frozenset(MISSING_MARKERS)
_CODE = re.compile(r"^[A-Z]{2,5}$")
_PROLOG_BYTES = 64 * 1024
_ROWS_PER_CHUNK = 100_000


@dataclass
class RawSurvey:
    """A file as read: ``frame`` has the export's column names and the file row as index."""

    frame: pd.DataFrame
    kind: str  # "csv", "xlsx", "xls", "ods", "parquet", "html"
    source: str | None = None
    questions: dict[str, str] = field(default_factory=dict)
    comment_hint: str | None = None
    encoding: str | None = None
    notes: list[Note] = field(default_factory=list)
    _csv: _CsvSource | None = None

    def raw_text(self, column: str) -> pd.Series | None:
        """The column exactly as written in a CSV file (text, markers kept, aligned with
        ``frame``), or ``None`` for other formats and columns already read as text."""
        if self._csv is None or column not in self.frame.columns:
            return None
        return self._csv.text_column(column, self.frame.index)


def read_raw(
    path: str | Path,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    score: str | None = None,
) -> RawSurvey:
    """Read ``path``; ``sheet`` is a sheet name or a 1-based position (text digits too).

    ``-`` (standard input) and pipes are copied once into a private temp file
    (:mod:`nps_xl.io.streams`). Without ``sheet``, a workbook's sheet is the one whose columns
    hold the score (``score``: its column name, else detected)."""
    from nps_xl.io.streams import staged

    with staged(path) as path:
        return _read_file(path, sheet=sheet, encoding=encoding, score=score)


def _read_file(
    path: Path, *, sheet: str | int | None, encoding: str | None, score: str | None
) -> RawSurvey:
    """:func:`read_raw` of a file on disk."""
    if not path.exists():
        raise SurveyFileError.from_key("error_file_not_found", name=str(path))
    if path.is_dir():
        raise SurveyFileError.from_key("error_file_folder", name=path.name)
    size = path.stat().st_size
    if size == 0:
        raise SurveyFileError.from_key("error_file_empty", name=path.name)
    progress.phase("reading", size)  # the parsers cannot tell how far they are: done at the end
    with open(path, "rb") as fh:
        head = fh.read(_PROLOG_BYTES)
    kind = _sniff_kind(head, path)
    holds = _score_finder(score)
    if kind == "zip":
        extents = check_zip(path, reader_stops_at_declared_size=_stops_at_declared_size())
        raw = _read_calamine(path, sheet, extents, holds)
    elif kind == "xls":
        raw = _read_calamine(path, sheet, None, holds)
    elif kind == "parquet":
        raw = _read_parquet(path)
    elif kind == "html":
        raw = _read_web_page(path, holds)
    else:
        raw = _read_csv(path, head, encoding)
    frame = raw.frame
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise SurveyFileError.from_key("error_file_no_answers", name=path.name)
    progress.advance(size)
    return raw


def _score_finder(score: str | None):
    """A test whether a frame has the score column (``score`` by name, else detected): what
    picks the sheet of a workbook and the table of a web page."""

    def holds_score(frame: pd.DataFrame) -> bool:
        from nps_xl.io.detect import detect

        try:
            detect(frame, score=score, segments=[])
        except SurveyFileError as exc:
            return exc.key not in ("error_score_not_found", "error_column_missing")
        return True

    return holds_score


# ----------------------------------------------------------------------------- format

_MAGIC = {
    b"\x89PNG": Message("file_kind_image", format="PNG"),
    b"\xff\xd8\xff": Message("file_kind_image", format="JPEG"),
    b"GIF8": Message("file_kind_image", format="GIF"),
    b"%PDF": Message("file_kind_document", format="PDF"),
    b"\x1f\x8b": Message("file_kind_archive", format="gzip"),
    b"7z\xbc\xaf": Message("file_kind_archive", format="7-Zip"),
    b"Rar!": Message("file_kind_archive", format="RAR"),
    b"\x7fELF": Message("file_kind_program"),
}


def _sniff_kind(head: bytes, path: Path) -> str:
    """'zip', 'xls', 'parquet', 'html' (a web page) or 'text', from the first bytes; refuse
    known non-spreadsheets."""
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    if is_web_page(head):
        return "html"
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise SurveyFileError.from_key("error_file_kind", name=path.name, kind=what)
    if not (is_utf16_text(head) or _looks_like_text(head)):
        raise SurveyFileError.from_key("error_file_not_text", name=path.name)
    return "text"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith(b"\xef\xbb\xbf"):
        return True
    if b"\x00" in head:
        return False
    # control characters other than tab/CR/LF/FF are rare in text and common in binary files
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


# ----------------------------------------------------------------------------- markers


def _markers_for(values: Iterable[object]) -> frozenset[str]:
    """The markers that mean "empty" in one column: all of them, except ``NA`` among short
    upper-case codes (EU, APAC, NA: North America)."""
    seen_na = False
    codes = set()
    for v in values:
        if not isinstance(v, str):
            continue
        t = v.strip()
        if not t or (t in _MARKER_SET and t != "NA"):
            continue
        if t == "NA":
            seen_na = True
        elif _CODE.match(t):
            codes.add(t)
        else:
            return _MARKER_SET
    if seen_na and len(codes) >= 2:
        return _MARKER_SET - {"NA"}
    return _MARKER_SET


def _blank_markers(series: pd.Series, markers: frozenset[str]) -> pd.Series:
    """``series`` with marker texts (and empty text) as missing; numbers inferred again."""
    if series.dtype.kind in "iufbmM":
        return series
    text = series if _is_text(series) else None
    if text is not None:
        mask = text.str.strip().isin([*markers, ""]).to_numpy(dtype=bool, na_value=False)
    else:
        mask = series.map(
            lambda v: isinstance(v, str) and (not v.strip() or v.strip() in markers)
        ).to_numpy(dtype=bool)
    if not mask.any():
        return series
    out = series.astype(object).mask(mask)
    if text is not None:
        return pd.Series(out, index=series.index).astype(series.dtype)
    return out.infer_objects()


def _is_text(series: pd.Series) -> bool:
    return series.dtype != object and pd.api.types.is_string_dtype(series.dtype)


# ----------------------------------------------------------------------------- CSV


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        return csv.Sniffer().sniff(sample, delimiters=",;\t|").delimiter
    except csv.Error:
        pass
    counts = {d: _count_outside_quotes(lines[0], d) for d in (",", ";", "\t")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] else ","


def _count_outside_quotes(line: str, delimiter: str) -> int:
    n, quoted = 0, False
    for ch in line:
        if ch == '"':
            quoted = not quoted
        elif ch == delimiter and not quoted:
            n += 1
    return n


@dataclass
class _CsvSource:
    path: Path
    options: dict
    names: list[str]
    lines: np.ndarray  # the file line of every record read (before blank rows were dropped)

    def text_column(self, column: str, index: pd.Index) -> pd.Series:
        position = self.names.index(column)
        opts = dict(self.options, usecols=[position], dtype=str, na_values=[""])
        opts["names"] = [column]
        series = pd.read_csv(self.path, **opts)[column]
        series.index = pd.Index(self.lines, name="line")
        return series.reindex(index)


@dataclass(frozen=True)
class CsvLayout:
    """How a CSV export is laid out, from its first 64 KB: the text encoding, the delimiter,
    the lines above the header (Excel's ``sep=;``), the header (one to three rows) and the
    records that follow it in those bytes. The pandas reader and the engines both read it."""

    decoding: object  # nps_xl.io.encoding.TextDecoding
    delimiter: str
    skip_lines: int
    header: _Header
    header_lines: int  # text lines above the first answer
    sample: list[list[str]]  # the first records after the header

    @property
    def decimal(self) -> str:
        return "," if self.delimiter == ";" else "."


def csv_layout(path: Path, head: bytes, encoding: str | None) -> CsvLayout:
    """The :class:`CsvLayout` of ``path`` whose first bytes are ``head``."""
    decoding = detect_encoding(path, head, encoding=encoding)
    decoder = codecs.getincrementaldecoder(decoding.codec)("replace")
    text = decoder.decode(head, final=len(head) < _PROLOG_BYTES).lstrip("\ufeff")
    skip_lines = 0
    declared = re.match(r"sep=(.)\r?\n", text)  # Excel's "sep=;" first line
    if declared:
        delimiter = declared.group(1)
        text = text[declared.end() :]
        skip_lines = 1
    else:
        delimiter = _sniff_delimiter(text)
    head_rows = _rows_of(text, delimiter, complete=len(head) < _PROLOG_BYTES)
    if not head_rows or not any(c.strip() for c in head_rows[0]):
        raise SurveyFileError.from_key("error_file_no_header", name=path.name)
    header = _Header.from_rows(head_rows[:3])
    header_lines = skip_lines + sum(
        1 + sum(c.count("\n") for c in row) for row in head_rows[: header.rows]
    )
    return CsvLayout(
        decoding, delimiter, skip_lines, header, header_lines, head_rows[header.rows :]
    )


def _read_csv(path: Path, head: bytes, encoding: str | None) -> RawSurvey:
    layout = csv_layout(path, head, encoding)
    decoding, delimiter, skip_lines = layout.decoding, layout.delimiter, layout.skip_lines
    header, header_lines, sample = layout.header, layout.header_lines, layout.sample
    markers = {
        name: [*sorted(_markers_for(r[j] if j < len(r) else None for r in sample)), ""]
        for j, name in enumerate(header.names)
    }
    options = dict(
        sep=delimiter,
        header=None,
        names=header.names,
        skiprows=skip_lines + header.rows,
        encoding=decoding.codec,
        encoding_errors=decoding.errors,
        keep_default_na=False,  # "N/A" typed by a respondent is an invalid answer, not a blank
        decimal="," if delimiter == ";" else ".",
        skip_blank_lines=False,  # blank lines count in the line numbers
        index_col=False,
        on_bad_lines="error",
    )
    try:
        frame = _read_csv_whole_columns(path, dict(options, na_values=markers))
    except UnicodeDecodeError:  # a code page that fits the sample fails further down
        raise SurveyFileError.from_key(
            "error_file_not_encoding",
            name=path.name,
            encoding=decoding.name,
            where=_bad_line(path, decoding),
        ) from None
    except pd.errors.ParserError as exc:
        raise SurveyFileError.from_key(
            "error_file_bad_csv", name=path.name, detail=_csv_problem(exc, skip_lines)
        ) from None
    except (ValueError, OverflowError, MemoryError) as exc:
        raise SurveyFileError.from_key(
            "error_file_csv_unreadable", name=path.name, detail=one_line(exc)
        ) from None
    multiline = decoding.codec.startswith(("utf-16", "utf-32")) or (
        _physical_lines(path) != header_lines + len(frame)
    )
    lines = _record_lines(frame, header_lines + 1, multiline=multiline)
    frame.index = pd.Index(lines, name="line")
    frame = _drop_r_row_names(frame, header)
    raw = _finish(frame, header, "csv")
    raw.encoding = decoding.name
    if decoding.note:
        raw.notes.append(decoding.note)
    raw._csv = _CsvSource(path, options, list(options["names"]), lines)
    return raw


def _bad_line(path: Path, decoding: TextDecoding) -> Message:
    """The first line that ``decoding`` cannot read (``line 12 (byte 0x98 in '…')``)."""
    from nps_xl.io.encoding import invalid_offsets, stray_message

    offsets = invalid_offsets(path, decoding.codec, limit=1)
    if not offsets:
        return Message("position_some_line")
    return stray_message(path, offsets[0])


def _rows_of(text: str, delimiter: str, *, complete: bool, limit: int = 2000) -> list[list[str]]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    try:
        for row in reader:
            rows.append(row)
            if len(rows) >= limit:
                break
    except csv.Error:
        pass
    if not complete and len(rows) > 1 and len(rows) < limit:
        rows.pop()  # the last row of a cut sample may itself be cut
    return rows


def _physical_lines(path: Path) -> int:
    """Lines of a text file in an ASCII-compatible encoding (a last line without a line end
    counts), streamed."""
    count, last = 0, b"\n"
    with open(path, "rb") as fh:
        while chunk := fh.read(4 * 1024 * 1024):
            count += chunk.count(b"\n")
            last = chunk[-1:]
    return count + (last != b"\n")


def _record_lines(frame: pd.DataFrame, first_line: int, *, multiline: bool = True) -> np.ndarray:
    """The file line where each record starts: quoted line breaks push the later ones down.
    ``multiline=False`` (the file has exactly one line per record) skips looking for them."""
    n = len(frame)
    extra = np.zeros(n, dtype=np.int64)
    for col in frame.columns if multiline else ():
        s = frame[col]
        if s.dtype.kind in "iufbmM":
            continue
        if _is_text(s):
            counts = s.str.count("\n")
        else:
            counts = s.map(lambda v: v.count("\n") if isinstance(v, str) else 0)
        extra += counts.fillna(0).to_numpy(dtype=np.int64)
    shift = np.concatenate(([0], np.cumsum(extra)[:-1])) if n else extra
    return first_line + np.arange(n, dtype=np.int64) + shift


def _drop_r_row_names(frame: pd.DataFrame, header: _Header) -> pd.DataFrame:
    """R's write.csv writes the row names 1, 2, 3… under an empty header: not a survey column."""
    if not len(frame.columns) or frame.columns[0] != "Column 1" or len(frame.columns) < 2:
        return frame
    first = pd.to_numeric(frame.iloc[:, 0], errors="coerce")
    if first.notna().all() and (first.to_numpy() == np.arange(1, len(frame) + 1)).all():
        header.names = header.names[1:]
        return frame.iloc[:, 1:]
    return frame


def _read_csv_whole_columns(path: Path, read: dict) -> pd.DataFrame:
    """``pd.read_csv`` with each column's type inferred from the whole column.

    pandas' chunked reader (``low_memory=True``) is about twice as fast as ``low_memory=False``
    but infers types per chunk; when chunks disagree (numbers in one, text such as "N/A" in
    another) it warns with ``DtypeWarning`` and leaves a column of mixed numbers and text. Only
    then is the file read again in one piece, so the result is that of ``low_memory=False``.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.DtypeWarning)
        frame = pd.read_csv(path, low_memory=True, **read)
    if any(issubclass(w.category, pd.errors.DtypeWarning) for w in caught):
        return pd.read_csv(path, low_memory=False, **read)
    for w in caught:  # pass on any other warning as the plain read would have
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return frame


def _csv_problem(exc: Exception, skipped: int) -> Message | str:
    msg = one_line(exc)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:  # numbers as text: a line number is not a quantity to group
        line = str(int(m.group(2)) + skipped)
        return Message("csv_line_fields", line=line, got=m.group(3), want=m.group(1))
    return msg


# ----------------------------------------------------------------------------- spreadsheets


def _read_calamine(
    path: Path, sheet: str | int | None, extents: dict | None, holds_score=None
) -> RawSurvey:
    CalamineWorkbook = _spreadsheet_reader(path, xlsx=extents is not None and _is_xlsx(path))

    try:
        book = CalamineWorkbook.from_path(str(path))
        names = list(book.sheet_names)
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise SurveyFileError.from_key(
            "error_file_unreadable", name=path.name, detail=one_line(exc)
        ) from None
    chosen = None
    if sheet is None and len(names) > 1 and holds_score is not None:
        chosen = _choose_sheet(book, path, names, extents, holds_score)
        position = names.index(chosen)
    else:
        position = _sheet_position(path, sheet, names)
    _guard_sheet(path, position, names, extents)
    try:
        sheet_obj = book.get_sheet_by_index(position)
        start_col = (sheet_obj.start or (0, 0))[1]
        rows = iter(sheet_obj.iter_rows())
        leading, head = _header_rows(rows)
        if not head:
            raise SurveyFileError.from_key(
                "error_sheet_empty",
                name=path.name,
                sheet=names[position],
                sheets=_sheet_list(names),
            )
        header = _Header.from_rows([[_cell_text(v) for v in r] for r in head])
        # Convert in chunks: compact pandas columns replace the Python cell objects as we go,
        # so a million-row sheet never exists twice as Python objects.
        chunks = []
        markers: list[frozenset[str]] | None = None
        pending = head[header.rows :]
        for row in rows:
            pending.append(row)
            if len(pending) >= _ROWS_PER_CHUNK:
                chunk, markers = _cells_to_frame(pending, header.names, markers)
                chunks.append(chunk)
                pending = []
        if pending or not chunks:
            chunk, markers = _cells_to_frame(pending, header.names, markers)
            chunks.append(chunk)
    except SurveyFileError:
        raise
    except Exception as exc:
        raise SurveyFileError.from_key(
            "error_file_unreadable", name=path.name, detail=one_line(exc)
        ) from None
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    del chunks
    first_row = leading + header.rows + 1
    frame.index = pd.RangeIndex(first_row, first_row + len(frame), name="row")
    kind = "xls" if extents is None else ("xlsx" if _is_xlsx(path) else "ods")
    raw = _finish(frame, header, kind)
    if start_col > 25:
        raw.notes.append(Note(None, "note_answers_start_column", column=_letters(start_col + 1)))
    if chosen is not None and position > 0:
        raw.notes.append(Note(None, "note_sheet_used", sheet=chosen, name=path.name))
    return raw


_SAMPLE_ROWS = 200


def _guard_sheet(path: Path, position: int, names: list[str], extents: dict | None) -> None:
    """Refuse a sheet whose stated extent is hostile, before calamine reads it."""
    if extents:
        part = _sheet_part(path, position, names)
        parts = [part] if part in extents else list(extents)
        for p in parts:
            check_sheet_extent(path, names[position], p, extents[p])


def _sheet_sample(book, position: int) -> pd.DataFrame | None:
    """The header and first rows of one sheet as a frame, or ``None`` for an empty sheet."""
    rows = iter(book.get_sheet_by_index(position).iter_rows())
    _, head = _header_rows(rows)
    if not head:
        return None
    header = _Header.from_rows([[_cell_text(v) for v in r] for r in head])
    sample = head[header.rows :]
    for row in rows:
        sample.append(row)
        if len(sample) >= _SAMPLE_ROWS:
            break
    return _cells_to_frame(sample, header.names, None)[0]


def choose_sheet(path: Path, extents: dict | None, score: str | None = None) -> str:
    """The sheet of a workbook whose first rows hold the score (``score`` by name, else
    detected), by the rule of :func:`read_raw` without ``sheet``: what the DuckDB and Spark
    engines read too."""
    reader = _spreadsheet_reader(path, xlsx=extents is not None and _is_xlsx(path))
    book = reader.from_path(str(path))
    names = list(book.sheet_names)
    return _choose_sheet(book, path, names, extents, _score_finder(score))


def _choose_sheet(book, path: Path, names: list[str], extents: dict | None, holds_score) -> str:
    """The one sheet whose first rows hold the score column; the first sheet when none does
    (its reading then says no column looks like the score); a one-line refusal naming the
    sheets and ``--sheet`` when several do."""
    holding = []
    for position, name in enumerate(names):
        _guard_sheet(path, position, names, extents)
        try:
            sample = _sheet_sample(book, position)
        except Exception:  # a sheet calamine cannot read (a chart sheet) holds no answers
            continue
        if sample is not None and len(sample) and holds_score(sample):
            holding.append(name)
    if len(holding) > 1:
        raise SurveyFileError.from_key(
            "error_sheets_several_scores",
            name=path.name,
            sheets=", ".join(map(repr, holding)),
        )
    if not holding:
        raise SurveyFileError.from_key(
            "error_sheets_no_score", name=path.name, sheets=_sheet_list(names)
        )
    return holding[0]


def _read_web_page(path: Path, holds_score) -> RawSurvey:
    """The table of a web page saved as a spreadsheet (:mod:`nps_xl.io.webpage`) that holds
    the score, rows numbered as the table shows them (the header is row 1)."""
    from nps_xl.io.webpage import note_table, pick_table, web_page_tables

    require("lxml", Message("task_reading_file", name=path.name), error=SurveyFileError)
    named = []
    for cells, frame in web_page_tables(path):
        header = _Header.from_rows([cells])
        named.append((header, frame.set_axis(header.names, axis=1)))
    position = pick_table([(h.names, f) for h, f in named], holds_score or (lambda f: True))
    header, frame = named[position]
    for col in frame.columns:
        if frame[col].dtype == object:
            frame[col] = _blank_markers(frame[col], _markers_for(frame[col].iloc[:2000]))
    raw = _finish(frame, header, "html")
    note = note_table(position, len(named))
    if note is not None:
        raw.notes.append(Note(None, note.key, **note.fields))
    return raw


def _spreadsheet_reader(path: Path, *, xlsx: bool):
    """python-calamine's workbook class; where it is not installed (it has no WebAssembly
    build in the Pyodide of xlwings Lite) :class:`_OpenpyxlWorkbook` for ``.xlsx`` when
    openpyxl (pure Python) is, else the one-line message what to install."""
    if xlsx and not installed("python_calamine") and installed("openpyxl"):
        return _OpenpyxlWorkbook
    calamine = require(
        "python_calamine", Message("task_reading_file", name=path.name), error=SurveyFileError
    )
    return calamine.CalamineWorkbook


#: The first python-calamine whose zip reader was seen refusing a part that inflates past its
#: declared size ("File is larger than its declared uncompressed size"; test_hostile_input.py).
CALAMINE_STOPS_AT_DECLARED_SIZE = (0, 9)


def _stops_at_declared_size() -> bool:
    """Whether the .xlsx reader stops at each part's declared size (then the guard need not
    inflate the parts it does not scan): python-calamine from 0.9, or openpyxl (Python's
    ``zipfile``) where python-calamine is missing."""
    if not installed("python_calamine"):
        return True  # openpyxl's zipfile, or no reader at all (then the message says so)
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = tuple(int(p) for p in version("python-calamine").split(".")[:2])
    except (PackageNotFoundError, ValueError):
        return False
    return found >= CALAMINE_STOPS_AT_DECLARED_SIZE


class _OpenpyxlWorkbook:
    """The part of python-calamine's ``CalamineWorkbook`` the reader uses, over openpyxl in
    read-only mode: sheet names, a sheet's first used cell (``start``, 0-based row, column)
    and its rows (from the sheet's first row, from the first used column), numbers as float and
    empty cells as ``""``, as calamine gives them."""

    def __init__(self, book) -> None:
        self._book = book
        self.sheet_names = list(book.sheetnames)

    @classmethod
    def from_path(cls, path: str) -> _OpenpyxlWorkbook:
        import openpyxl

        return cls(openpyxl.load_workbook(path, read_only=True, data_only=True))

    def get_sheet_by_index(self, position: int) -> _OpenpyxlSheet:
        return _OpenpyxlSheet(self._book.worksheets[position])


class _OpenpyxlSheet:
    def __init__(self, sheet) -> None:
        self._sheet = sheet
        sheet.reset_dimensions()  # the stored dimension may be wrong; read the cells themselves
        # as calamine: numbers as float, empty cells as ""
        self._rows = [
            ["" if v is None else float(v) if type(v) is int else v for v in row]
            for row in sheet.iter_rows(values_only=True)
        ]
        used = [(r, c) for r, row in enumerate(self._rows) for c, v in enumerate(row) if v != ""]
        top = min((r for r, _ in used), default=0)
        left = min((c for _, c in used), default=0)
        self.start = (top, left) if used else None
        width = max((c for _, c in used), default=-1) + 1
        # calamine's rows start at row 1 of the sheet, its columns at the first used one
        self._rows = [row[left:width] for row in self._rows]
        while self._rows and all(v == "" for v in self._rows[-1]):
            self._rows.pop()

    def iter_rows(self):
        width = max((len(r) for r in self._rows), default=0)
        for row in self._rows:
            yield row + [""] * (width - len(row))


def _letters(n: int) -> str:
    from nps_xl.io.guards import column_letters

    return column_letters(n)


def _is_xlsx(path: Path) -> bool:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return "xl/workbook.xml" in z.namelist()


def _sheet_list(names: Sequence[str]) -> str:
    return ", ".join(f"{n!r} ({i})" for i, n in enumerate(names, start=1))


def _sheet_position(path: Path, sheet: str | int | None, names: list[str]) -> int:
    """0-based position of ``sheet``: a name (exact, else case-insensitive) or a 1-based
    number (``2`` or ``"2"``); a clear message listing the sheets otherwise."""
    if not names:
        raise SurveyFileError.from_key(
            "error_file_unreadable", name=path.name, detail=Message("file_no_sheets")
        )
    if sheet is None:
        return 0
    if isinstance(sheet, str):
        if sheet in names:
            return names.index(sheet)
        folded = [i for i, n in enumerate(names) if norm(n) == norm(sheet)]
        if len(folded) == 1:
            return folded[0]
        if sheet.strip().isdigit():
            sheet = int(sheet.strip())
    if isinstance(sheet, (int, np.integer)) and not isinstance(sheet, bool):
        if 1 <= int(sheet) <= len(names):
            return int(sheet) - 1
        shown = str(int(sheet))
    else:
        shown = repr(sheet)
    raise SurveyFileError.from_key(
        "error_file_no_sheet", name=path.name, sheet=shown, sheets=_sheet_list(names)
    )


def _sheet_part(path: Path, position: int, names: list[str]) -> str | None:
    """The zip part (``xl/worksheets/sheetN.xml``) of the sheet at ``position``."""
    import zipfile

    from defusedxml import ElementTree

    try:
        with zipfile.ZipFile(path) as z:
            book = ElementTree.fromstring(z.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    except Exception:
        return None
    rid_attr = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sheets = [el for el in book.iter() if el.tag.endswith("}sheet") or el.tag == "sheet"]
    if position >= len(sheets):
        return None
    rid = sheets[position].get(rid_attr)
    for rel in rels.iter():
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else "xl/" + target
    return None


def _header_rows(rows: Iterator[list]) -> tuple[int, list[list]]:
    """Skip blank rows at the top; return their number and the next three rows."""
    leading = 0
    head: list[list] = []
    for row in rows:
        if not head and all(v in ("", None) for v in row):
            leading += 1
            continue
        head.append(row)
        if len(head) == 3:
            break
    return leading, head


def _cells_to_frame(
    rows: list[list], names: list[str], markers: list[frozenset[str]] | None
) -> tuple[pd.DataFrame, list[frozenset[str]]]:
    columns = {}
    found = []
    for j, col in enumerate(names):
        values = [r[j] if j < len(r) else None for r in rows]
        column_markers = markers[j] if markers is not None else _markers_for(values[:2000])
        found.append(column_markers)
        s = pd.Series(values, dtype=object) if not values else pd.Series(values)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            # calamine gives "" for empty cells; an empty cell is a missing value
            s = _blank_markers(s, column_markers)
        columns[col] = s
    return pd.DataFrame(columns), found


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


# ----------------------------------------------------------------------------- Parquet


def _read_parquet(path: Path) -> RawSurvey:
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise SurveyFileError.from_key("error_parquet_needs_pyarrow", name=path.name) from None
    check_parquet(path)
    try:
        table = pq.read_table(path)
        table = _plain_arrow(table, pa)
        frame = table.to_pandas(ignore_metadata=True)
    except SurveyFileError:
        raise
    except Exception as exc:
        raise SurveyFileError.from_key(
            "error_parquet_unreadable", name=path.name, detail=one_line(exc)
        ) from None
    header = _Header(names=_dedupe(str(c) for c in frame.columns), rows=1)
    frame.columns = header.names
    for col in frame.columns:
        if frame[col].dtype == object or _is_text(frame[col]):
            frame[col] = _blank_markers(frame[col], _markers_for(frame[col].iloc[:2000]))
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return _finish(frame, header, "parquet")


def _plain_arrow(table, pa):
    """Dictionary (categorical) columns decoded, time zones and exotic types made plain, so
    every later step sees numbers, text, booleans or timestamps."""
    import pyarrow.compute as pc

    arrays, names = [], []
    for name, column in zip(table.column_names, table.columns, strict=True):
        t = column.type
        if pa.types.is_dictionary(t):
            column = column.cast(t.value_type)
            t = column.type
        if pa.types.is_timestamp(t) and t.tz is not None:
            column = column.cast(pa.timestamp(t.unit))
        elif pa.types.is_date(t):
            column = column.cast(pa.timestamp("ms"))
        elif pa.types.is_decimal(t):
            column = column.cast(pa.float64())
        elif pa.types.is_large_string(t) or pa.types.is_string_view(t):
            column = column.cast(pa.string())
        elif not (
            pa.types.is_integer(t)
            or pa.types.is_floating(t)
            or pa.types.is_boolean(t)
            or pa.types.is_string(t)
            or pa.types.is_timestamp(t)
            or pa.types.is_null(t)
        ):
            try:
                column = pc.cast(column, pa.string())
            except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
                column = pa.chunked_array(
                    [pa.array([None if v is None else str(v) for v in column.to_pylist()])],
                    type=pa.string(),
                )
        arrays.append(column)
        names.append(name)
    return pa.table(arrays, names=names)


# ----------------------------------------------------------------------------- header rows


@dataclass
class _Header:
    names: list[str]
    rows: int = 1
    source: str | None = None
    questions: dict[str, str] = field(default_factory=dict)
    comment_hint: str | None = None

    @classmethod
    def from_rows(cls, rows: list[list[str]]) -> _Header:
        first = [c.strip() for c in rows[0]]
        second = [c.strip() for c in rows[1]] if len(rows) > 1 else []
        third = [c.strip() for c in rows[2]] if len(rows) > 2 else []
        # Qualtrics: row 2 = question text, row 3 = {"ImportId": ...} JSON
        if third and any(c.startswith('{"ImportId"') for c in third):
            names = _dedupe(first)
            questions = {n: q for n, q in zip(names, second, strict=False) if q and q != n}
            return cls(names, rows=3, source="Qualtrics", questions=questions)
        # SurveyMonkey: row 2 = "Response" / "Open-Ended Response" / option labels
        if second and any(c in ("Response", "Open-Ended Response") for c in second):
            names, hint, current = [], None, ""
            for j, top in enumerate(first):
                sub = second[j] if j < len(second) else ""
                if top:
                    current = top
                name = current or f"Column {j + 1}"
                if sub and sub not in ("Response", "Open-Ended Response") and not top:
                    name = f"{current} - {sub}"
                elif sub and sub not in ("Response", "Open-Ended Response") and top:
                    # first option of a multi-choice question
                    followers = j + 1 < len(first) and not first[j + 1]
                    if followers:
                        name = f"{current} - {sub}"
                names.append(name)
                if sub == "Open-Ended Response" and hint is None:
                    hint = j
            names = _dedupe(names)
            return cls(
                names,
                rows=2,
                source="SurveyMonkey",
                comment_hint=None if hint is None else names[hint],
            )
        names = _dedupe([c or f"Column {j + 1}" for j, c in enumerate(first)])
        lowered = {norm(n) for n in names}
        source = None
        if "#" in names and ({"submit date (utc)", "submitted at"} & lowered or "token" in lowered):
            source = "Typeform"
        elif lowered & _GOOGLE_FORMS_TIMESTAMP:
            source = "Google Forms"
        return cls(names, rows=1, source=source)


# Google Forms' first column, in the languages of the form's owner
GOOGLE_FORMS_TIMESTAMPS = (
    "timestamp",
    "marca temporal",
    "carimbo de data/hora",
    "horodateur",
    "zeitstempel",
    "informazioni cronologiche",
    "tijdstempel",
    "sygnatura czasowa",
    "отметка времени",
    "タイムスタンプ",
    "타임스탬프",
    "时间戳记",
    "時間戳記",
    "laiko žymė",
    "клеймо за време",
)
_GOOGLE_FORMS_TIMESTAMP = frozenset(GOOGLE_FORMS_TIMESTAMPS)


def _dedupe(names: Iterable[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for name in names:
        base = name
        if base in seen:
            seen[base] += 1
            name = f"{base} ({seen[base]})"
        else:
            seen[base] = 1
        out.append(name)
    return out


def _finish(frame: pd.DataFrame, header: _Header, kind: str) -> RawSurvey:
    frame = frame.dropna(axis=0, how="all")
    return RawSurvey(
        frame,
        kind,
        source=header.source,
        questions=dict(header.questions),
        comment_hint=header.comment_hint,
    )
