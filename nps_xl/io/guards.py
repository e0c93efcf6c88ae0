"""Refuse hostile files before a parser opens them, in bounded time and memory.

Spreadsheet files are zip archives of XML, and the readers behind them allocate what the file
asks for. Every check here runs on the raw bytes, streamed, before calamine or pyarrow sees the
file:

* **Zip bombs** (:func:`check_zip`), from the zip's central directory alone: the declared
  uncompressed total may not exceed :data:`MAX_UNCOMPRESSED_BYTES` (2 GB); a part larger than
  :data:`RATIO_CHECK_MIN_BYTES` may not expand more than :data:`MAX_COMPRESSION_RATIO` (200)
  times (real sheets compress 5–30×). A directory that lies (a part declared smaller than its
  data inflates to) can only be caught while inflating, so no part is ever read past its
  declared size: a worksheet is streamed by us anyway (its extent, below) with that limit;
  every other part is inflated to its end with that limit only when the reader that follows
  would not stop there itself. python-calamine 0.9 (its zip crate refuses "File is larger than
  its declared uncompressed size") and openpyxl (Python's ``zipfile`` stops at the declared size,
  then fails the CRC) do stop; fastexcel 0.21 reads on (measured:
  tests/test_hostile_input.py), so for it (``reader_stops_at_declared_size=False``, the default)
  every part is inflated to its end.
* **XML entities**: the prolog of every XML part (what comes before its first element) is read
  to its end: it may hold the XML declaration, comments and processing instructions only. A
  document type declaration (``<!DOCTYPE``/``<!ENTITY``, the vehicle of "billion laughs" and
  quadratic blow-ups) is refused wherever it hides, also after a long comment, and a prolog
  longer than :data:`MAX_PROLOG_BYTES` (64 KB; real ones are under 200 bytes) is refused too.
* **Sheet extent** (:func:`check_sheet_extent`): calamine allocates a dense grid spanning the
  first to the last cell, so a 5 KB file with cells at A1 and XFD1048576 would ask for 549 GB and
  abort the process. Each worksheet's extent is read from its ``<dimension ref>`` and verified
  by one regular-expression pass that only looks for cell references *beyond* it (cheap: in an
  honest file nothing matches); when the dimension is missing, lies or the attributes are
  written unusually, every row and cell reference is scanned. The sheet is refused when it
  reaches past Excel's own limits (:data:`MAX_SHEET_ROWS` rows, :data:`MAX_SHEET_COLUMNS`
  columns), when its grid has more than :data:`MAX_SHEET_CELLS` cells (30 million: about
  1.5 GB while reading; export larger surveys as CSV or Parquet), or when it is mostly empty
  space: more than :data:`SPARSE_RATIO` (20) grid cells per written cell once the grid exceeds
  :data:`SPARSE_FLOOR` (2 million) cells.
* **Parquet** (:func:`check_parquet`): the row count and uncompressed size are read from the
  file's footer; more than :data:`MAX_PARQUET_ROWS` (20 million) rows or
  :data:`MAX_PARQUET_BYTES` (4 GB) of data are refused before any row is read.
"""

from __future__ import annotations

import os
import re
import threading
import zipfile
import zlib
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from nps_xl.io._common import SurveyFileError

__all__ = [
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
    "SheetExtent",
    "check_parquet",
    "check_sheet_extent",
    "check_zip",
]

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024**2
MAX_PROLOG_BYTES = 64 * 1024
MAX_SHEET_ROWS = 1_048_576
MAX_SHEET_COLUMNS = 16_384
MAX_SHEET_CELLS = 30_000_000
SPARSE_FLOOR = 2_000_000
SPARSE_RATIO = 20
MAX_PARQUET_ROWS = 20_000_000
MAX_PARQUET_BYTES = 4 * 1024**3
_CHUNK = 1024**2


# ----------------------------------------------------------------------------- zip and XML


@dataclass
class SheetExtent:
    """How far a worksheet part reaches: its last row and column (1-based) and how many cell
    references it writes (from its ``<dimension>``: counted only as far as the sparse-sheet
    rule needs, one more than the grid over :data:`SPARSE_RATIO`)."""

    rows: int = 0
    columns: int = 0
    cells: int = 0
    exact: bool = False


def check_zip(path: Path, *, reader_stops_at_declared_size: bool = False) -> dict[str, SheetExtent]:
    """Refuse zip bombs and XML entity tricks; return the extent of every worksheet part.

    The sizes come from the central directory; worksheets are streamed for their extent; of
    the other parts only the prolog is read when ``reader_stops_at_declared_size`` (the reader
    that follows refuses or truncates a part that inflates past its declared size), else each
    is inflated to its end, with that size as the limit (see the module docstring)."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SurveyFileError.from_key("error_file_damaged", name=name, detail=str(exc)) from None
    extents: dict[str, SheetExtent] = {}
    with archive:
        members = archive.infolist()
        total = sum(m.file_size for m in members)
        if total > MAX_UNCOMPRESSED_BYTES:
            raise SurveyFileError.from_key(
                "error_file_zip_total",
                name=name,
                size=total / 1024**3,
                limit=MAX_UNCOMPRESSED_BYTES // 1024**3,
            )
        for m in members:
            if m.file_size > RATIO_CHECK_MIN_BYTES:
                ratio = m.file_size / max(m.compress_size, 1)
                if ratio > MAX_COMPRESSION_RATIO:
                    raise SurveyFileError.from_key(
                        "error_file_zip_ratio",
                        name=name,
                        part=m.filename,
                        ratio=round(ratio),
                        limit=MAX_COMPRESSION_RATIO,
                    )
        for m in members:
            if m.filename.lower().endswith((".xml", ".rels", ".vml")):
                scanner = _SheetScanner() if _is_worksheet(m.filename) else None
                whole = scanner is not None or not reader_stops_at_declared_size
                _stream_member(path, m, name, scanner, whole=whole)
                if scanner is not None:
                    extents[m.filename] = scanner.finish(lambda m=m: _exact_extent(path, m, name))
    return extents


def _is_worksheet(part: str) -> bool:
    return part.startswith("xl/worksheets/") and part.endswith(".xml")


def _stream_member(
    path: Path,
    member: zipfile.ZipInfo,
    name: str,
    scanner: _SheetScanner | None,
    *,
    whole: bool = True,
) -> None:
    """Inflate one part with our own limit: no DTD in its prolog, no more bytes than the
    directory says (zipfile would silently stop at the declared size, while another reader
    might inflate a lying member without bound). Not ``whole``: only up to the end of the
    prolog."""
    prolog = _Prolog(member.filename, name)
    for piece in _inflate(path, member, name):
        if not prolog.done:
            prolog.feed(piece)
        if scanner is not None:
            scanner.feed(piece)
        elif prolog.done and not whole:
            return
    prolog.finish()


def _inflate(path: Path, member: zipfile.ZipInfo, name: str):
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SurveyFileError.from_key("error_file_zip_method", name=name, part=member.filename)
    limit = member.file_size
    produced = 0
    inflate = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    with open(path, "rb") as fh:
        fh.seek(member.header_offset)
        local = fh.read(30)
        if local[:4] != b"PK\x03\x04":
            raise SurveyFileError.from_key("error_file_zip_entry", name=name, part=member.filename)
        skip = int.from_bytes(local[26:28], "little") + int.from_bytes(local[28:30], "little")
        fh.seek(member.header_offset + 30 + skip)
        left = member.compress_size
        while left > 0 and produced <= limit:
            data = fh.read(min(_CHUNK, left))
            if not data:
                break
            left -= len(data)
            while data and produced <= limit:
                if inflate is None:
                    piece, data = data, b""
                else:
                    try:
                        piece = inflate.decompress(data, _CHUNK)
                    except zlib.error as exc:
                        raise SurveyFileError.from_key(
                            "error_file_damaged", name=name, detail=f"{member.filename}: {exc}"
                        ) from None
                    data = inflate.unconsumed_tail
                produced += len(piece)
                if piece:
                    yield piece
        if inflate is not None and produced <= limit:
            tail = inflate.flush()
            produced += len(tail)
            if tail and produced <= limit:
                yield tail
    if produced > limit:
        raise SurveyFileError.from_key("error_file_zip_lies", name=name, part=member.filename)


_NAME_START = re.compile(rb"<[A-Za-z_:\x80-\xff]")


class _Prolog:
    """Reads an XML part's prolog to its end: declaration, comments, processing instructions
    and white space may come before the root element; anything else is refused."""

    def __init__(self, part: str, name: str) -> None:
        self.part, self.name = part, name
        self.buffer = b""
        self.done = False
        self.utf16: str | None = None

    def feed(self, piece: bytes) -> None:
        self.buffer += piece[: MAX_PROLOG_BYTES * 2 + 4 - len(self.buffer)]
        self._check(final=False)

    def finish(self) -> None:
        if not self.done:
            self._check(final=True)

    def _text(self) -> bytes:
        raw = self.buffer
        if self.utf16 is None:
            if raw.startswith(b"\xff\xfe") or (raw[1:4:2] == b"\x00\x00" and raw[:1] != b"\x00"):
                self.utf16 = "utf-16-le"
            elif raw.startswith(b"\xfe\xff") or raw[0:3:2] == b"\x00\x00":
                self.utf16 = "utf-16-be"
            else:
                self.utf16 = ""
        if not self.utf16:
            return raw
        even = raw[: len(raw) - len(raw) % 2]
        text = even.decode(self.utf16, "replace").lstrip("\ufeff")
        return text.encode("utf-8", "replace")

    def _check(self, *, final: bool) -> None:
        if len(self.buffer) < 4 and not final:
            return
        text = self._text()
        if text.startswith(b"\xef\xbb\xbf"):
            text = text[3:]
        i, n = 0, len(text)
        while True:
            while i < n and text[i : i + 1] in (b" ", b"\t", b"\r", b"\n"):
                i += 1
            if i >= n:
                break
            rest = text[i:]
            if rest.startswith(b"<?"):
                end = text.find(b"?>", i + 2)
                if end < 0:
                    break
                i = end + 2
            elif rest.startswith(b"<!--"):
                end = text.find(b"-->", i + 4)
                if end < 0:
                    break
                i = end + 3
            elif rest.startswith(b"<!"):
                raise SurveyFileError.from_key(
                    "error_file_xml_entities", name=self.name, part=self.part
                )
            elif _NAME_START.match(rest):
                self.done = True
                return
            elif len(rest) < 4 and b"<!--".startswith(rest) and not final:
                break
            else:
                self._refuse("error_xml_not_spreadsheet")
        if len(text) > MAX_PROLOG_BYTES:
            self._refuse("error_xml_prolog", size=MAX_PROLOG_BYTES // 1024)
        if final:
            self._refuse("error_xml_no_element")

    def _refuse(self, key: str, **fields: object) -> None:
        raise SurveyFileError.from_key(key, name=self.name, part=self.part, **fields)


# ---------------------------------------------------------------------------- sheet extent

_DIMENSION = re.compile(
    rb"<(?:[\w.-]+:)?dimension\s+ref\s*=\s*[\"']\s*([A-Za-z]*)(\d*)(?::([A-Za-z]*)(\d*))?"
)
# Cells and rows written other than as Excel writes them (<c r="A1" …>, <row r="1" …>): without
# an r attribute first, or with a namespace prefix. Their positions need the exact scan.
_IRREGULAR = rb"<(?:[\w.-]+:)?(?:c|row)(?:\s*/?>|\s+[^r\s])|<[\w.-]+:(?:c|row)[\s/>]"
_OVERLAP = 64


def column_number(letters: bytes | str) -> int:
    """``"A"`` → 1, ``"XFD"`` → 16384 (case-insensitive)."""
    n = 0
    for ch in letters.upper() if isinstance(letters, str) else letters.upper().decode():
        n = n * 26 + ord(ch) - 64
    return n


def column_letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _digits_greater(n: int) -> bytes:
    """A regex for decimal numbers greater than ``n`` (leading zeros count as digits)."""
    s = str(n)
    alts = [rf"\d{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch != "9":
            rest = len(s) - i - 1
            alts.append(f"{s[:i]}[{int(ch) + 1}-9]" + (rf"\d{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(alts) + ")").encode()


def _letters_greater(n: int) -> bytes:
    """A regex for column letters after column ``n`` (case-insensitive letters)."""
    s = column_letters(max(n, 1))
    alts = [f"[A-Za-z]{{{len(s) + 1},}}"]
    for i, ch in enumerate(s):
        if ch != "Z":
            rest = len(s) - i - 1
            nxt = chr(ord(ch) + 1)
            cls = f"[{nxt}-Z{nxt.lower()}-z]"
            prefix = "".join(f"[{c}{c.lower()}]" for c in s[:i])
            alts.append(prefix + cls + (f"[A-Za-z]{{{rest}}}" if rest else ""))
    return ("(?:" + "|".join(alts) + ")").encode()


def _suspect_pattern(rows: int, columns: int) -> bytes:
    """References beyond ``rows`` × ``columns`` in any spelling of the ``r`` attribute, or
    irregularly written cells and rows."""
    beyond = (
        rb"\sr\s*=\s*[\"']\s*(?:[A-Za-z]*"
        + _digits_greater(rows)
        + rb"|"
        + _letters_greater(columns)
        + rb"\d+)\s*[\"']"
    )
    return beyond + rb"|" + _IRREGULAR


class _Search:
    """``pattern`` searched with RE2 (pyarrow, linear time, ~10× Python's re here) when it is
    installed, else with Python's re."""

    def __init__(self, pattern: bytes) -> None:
        try:
            import pyarrow as pa
            import pyarrow.compute as pc

            self._pa, self._pc = pa, pc
            self._options = pc.MatchSubstringOptions(pattern.decode("ascii"))
        except ImportError:  # pragma: no cover - pyarrow is optional
            self._pa = None
            self._re = re.compile(pattern)

    def __call__(self, data: bytes) -> bool:
        if self._pa is None:  # pragma: no cover
            return self._re.search(data) is not None
        found = self._pc.match_substring_regex(
            self._pa.array([data], self._pa.large_binary()), options=self._options
        )
        return bool(found[0].as_py())

    def submit(self, data: bytes) -> Future:
        """The search of ``data`` on one of :data:`_SEARCHERS` threads (RE2 works without the
        GIL, so the blocks of a sheet are searched side by side and beside the inflating), or
        here when there is no RE2 or no thread (Pyodide)."""
        pool = _pool() if self._pa is not None else None
        if pool is None:
            done: Future = Future()
            done.set_result(self(data))
            return done
        return pool.submit(self, data)


#: A worksheet is searched in blocks of this size (fewer calls than its 1 MB pieces) …
_BLOCK = 8 * 1024**2
#: … on this many threads; at most one more block waits, so memory stays a few blocks.
#: Measured on a 330 MB worksheet (1M rows, 2 cores): 0.86 s in 1 MB pieces on one thread,
#: 0.40 s in 8 MB blocks on two.
_SEARCHERS = 2
_POOL: list[ThreadPoolExecutor | None] = []


_POOL_LOCK = threading.Lock()


def _pool() -> ThreadPoolExecutor | None:
    """The searchers' threads, started on first use (None where threads cannot start)."""
    with _POOL_LOCK:
        if not _POOL:
            try:
                pool = ThreadPoolExecutor(_SEARCHERS, thread_name_prefix="nps-xl-guard")
                pool.submit(int).result()  # a thread really starts (not in Pyodide)
            except RuntimeError:
                pool = None
            _POOL.append(pool)
        return _POOL[0]


if hasattr(os, "register_at_fork"):  # a forked child has none of the parent's threads
    os.register_at_fork(after_in_child=_POOL.clear)


class _SheetScanner:
    """Streams a worksheet part once: reads its ``<dimension>`` and looks only for what lies
    beyond it (or is written irregularly). Anything found, or no dimension, means the exact
    scan (:func:`_exact_extent`)."""

    def __init__(self) -> None:
        self.head = b""
        self.tail = b""
        self.dimension: tuple[int, int] | None = None
        self.search: _Search | None = None
        self.suspect = False
        self.cells = 0
        self.enough = 0  # cells that settle the sparse-sheet rule (0: count them all)
        self.block: list[bytes] = []  # pieces not searched yet
        self.block_size = 0
        self.pending: list[Future] = []  # searches under way, oldest first

    def feed(self, piece: bytes) -> None:
        if self.suspect:
            return
        if self.dimension is None:
            self.head += piece[: 65536 - len(self.head)]
            m = _DIMENSION.search(self.head)
            if m:
                last_col = m.group(3) if m.group(3) is not None else m.group(1)
                last_row = m.group(4) if m.group(4) is not None else m.group(2)
                cols = column_number(last_col) if last_col else MAX_SHEET_COLUMNS + 1
                rows = int(last_row) if last_row else MAX_SHEET_ROWS + 1
                self.dimension = (rows, cols)
                self.search = _Search(_suspect_pattern(rows, cols))
                # the sparse rule needs to know only that the sheet writes more cells than this
                self.enough = rows * cols // SPARSE_RATIO + 1
            elif b"<sheetData" in self.head or len(self.head) >= 65536:
                self.suspect = True  # no dimension: measure exactly
                return
            else:
                return
        rows, cols = self.dimension
        # the count matters only for the sparse-sheet rule, and only up to what settles it
        if rows * cols > SPARSE_FLOOR and self.cells < self.enough:
            self.cells += piece.count(b"<c ")
        self.block.append(piece)
        self.block_size += len(piece)
        if self.block_size >= _BLOCK:
            self._search_block()

    def _search_block(self) -> None:
        """Search the pieces gathered (with the end of the block before: a reference may
        straddle two blocks); wait for the oldest search once all searchers are busy."""
        data = self.tail + b"".join(self.block)
        self.block, self.block_size = [], 0
        self.tail = data[-_OVERLAP:]
        self.pending.append(self.search.submit(data))
        while self.pending and (len(self.pending) > _SEARCHERS or self.pending[0].done()):
            if self.pending.pop(0).result():
                self.suspect = True

    def finish(self, exact) -> SheetExtent:
        if not self.suspect and self.search is not None:
            if self.block:
                self._search_block()
            if any([f.result() for f in self.pending]):  # all waited for
                self.suspect = True
        self.pending = []
        if self.suspect or self.dimension is None:
            return exact()
        rows, cols = self.dimension
        return SheetExtent(rows=rows, columns=cols, cells=self.cells, exact=False)


def _exact_extent(path: Path, member: zipfile.ZipInfo, name: str) -> SheetExtent:
    """Where the cells really are, as calamine places them: a cell's ``r`` attribute, else the
    next column of its row; a row's ``r``, else the next row. Streamed through expat (the part
    has no DTD: :class:`_Prolog` made sure)."""
    from xml.parsers import expat

    ext = SheetExtent(exact=True)
    state = {"row": 0, "col": 0}

    def start(tag: str, attrs: dict) -> None:
        local = tag.rsplit(":", 1)[-1]
        if local == "row":
            r = attrs.get("r")
            state["row"] = _number(r) if r else state["row"] + 1
            state["col"] = 0
            if state["row"] > ext.rows:
                ext.rows = state["row"]
        elif local == "c":
            r = attrs.get("r")
            if r:
                letters = r.strip().rstrip("0123456789")
                row = _number(r.strip()[len(letters) :]) or state["row"]
                col = column_number(letters) if letters.isalpha() and letters.isascii() else 0
                state["row"] = max(row, 1)
                state["col"] = col or state["col"] + 1
            else:
                state["col"] += 1
            ext.cells += 1
            ext.rows = max(ext.rows, state["row"])
            ext.columns = max(ext.columns, state["col"])

    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartElementHandler = start
    try:
        for piece in _inflate(path, member, name):
            parser.Parse(piece, False)
        parser.Parse(b"", True)
    except expat.ExpatError as exc:
        raise SurveyFileError.from_key(
            "error_file_damaged", name=name, detail=f"{member.filename}: {exc}"
        ) from None
    return ext


def _number(text: str | None) -> int:
    text = (text or "").strip()
    return int(text) if text.isdigit() else 0


def check_sheet_extent(path: Path, sheet: str, part: str, extent: SheetExtent) -> None:
    """Refuse a sheet whose grid would exceed the limits (see the module docstring). An
    extent taken from the sheet's ``<dimension>`` that fails is measured exactly first (a
    stale dimension is no reason to refuse)."""
    name = path.name
    if not extent.exact and _too_large(extent):
        with zipfile.ZipFile(path) as archive:
            extent = _exact_extent(path, archive.getinfo(part), name)
    rows, cols = extent.rows, extent.columns
    last = f"{column_letters(max(cols, 1))}{max(rows, 1)}"
    if rows > MAX_SHEET_ROWS or cols > MAX_SHEET_COLUMNS:
        raise SurveyFileError.from_key(
            "error_sheet_beyond_excel",
            name=name,
            sheet=sheet,
            cell=last,
            rows=MAX_SHEET_ROWS,
            columns=MAX_SHEET_COLUMNS,
        )
    grid = rows * cols
    if grid > MAX_SHEET_CELLS:
        raise SurveyFileError.from_key(
            "error_sheet_too_large",
            name=name,
            sheet=sheet,
            cell=last,
            cells=grid,
            limit=MAX_SHEET_CELLS,
        )
    if grid > SPARSE_FLOOR and grid > SPARSE_RATIO * max(extent.cells, 1):
        raise SurveyFileError.from_key(
            "error_sheet_sparse",
            name=name,
            sheet=sheet,
            cell=last,
            cells=grid,
            written=extent.cells,
        )


def _too_large(extent: SheetExtent) -> bool:
    grid = extent.rows * extent.columns
    return (
        extent.rows > MAX_SHEET_ROWS
        or extent.columns > MAX_SHEET_COLUMNS
        or grid > MAX_SHEET_CELLS
        or (grid > SPARSE_FLOOR and grid > SPARSE_RATIO * max(extent.cells, 1))
    )


# ---------------------------------------------------------------------------- Parquet


def check_parquet(path: Path):
    """The file's Parquet metadata (footer only), after checking its size limits."""
    import pyarrow.parquet as pq

    try:
        meta = pq.ParquetFile(path).metadata
    except Exception as exc:
        from nps_xl.io._common import one_line

        raise SurveyFileError.from_key(
            "error_parquet_unreadable", name=path.name, detail=one_line(exc)
        ) from None
    rows = meta.num_rows
    if rows > MAX_PARQUET_ROWS:
        raise SurveyFileError.from_key(
            "error_parquet_rows", name=path.name, rows=rows, limit=MAX_PARQUET_ROWS
        )
    size = sum(meta.row_group(i).total_byte_size for i in range(meta.num_row_groups))
    if size > MAX_PARQUET_BYTES:
        raise SurveyFileError.from_key(
            "error_parquet_size",
            name=path.name,
            size=size / 1024**3,
            limit=MAX_PARQUET_BYTES // 1024**3,
        )
    return meta
