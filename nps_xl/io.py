"""Read survey exports (CSV, XLSX/XLS/ODS, Parquet) into one tidy table of answers.

Three steps, each usable on its own:

1. :func:`read_survey` reads a file into a DataFrame with one row per answer and the export's
   own column names. It decides the format from the file's first bytes (not its name), finds the
   text encoding and delimiter of CSV files, drops the extra header rows of Qualtrics and
   SurveyMonkey exports, and refuses anything that is not a survey export with a one-line
   :class:`SurveyFileError`. The frame's index is the 1-based row of each answer in the file (as
   a spreadsheet shows it), so every later message can name the row the user must fix.
2. :func:`detect_columns` finds which column holds the score, the date, the comment, the
   response id, the customer, the weight and the segments (explicit arguments win).
3. :func:`tidy` renames and orders them into the canonical columns ``Response ID, Date, Score,
   Comment, <segments…>, Customer ID, Weight``.

Scores are left raw (text allowed): :mod:`nps_xl.scores` decides what is a score.

Hostile files. Spreadsheet files are zip archives of XML; both can be made to explode when
opened. Before any parser sees a zip-based file (XLSX, ODS) we read its zip directory and refuse
it when

* the uncompressed total exceeds :data:`MAX_UNCOMPRESSED_BYTES` (2 GB), or a member larger than
  :data:`RATIO_CHECK_MIN_BYTES` expands more than :data:`MAX_COMPRESSION_RATIO` (200) times its
  compressed size (a zip bomb; real survey sheets compress 5–30×);
* any XML part carries a document type declaration (``<!DOCTYPE`` / ``<!ENTITY``), the vehicle of
  the "billion laughs" and quadratic blow-up attacks; spreadsheet XML never needs one. The parts
  are streamed (never held in memory) and the streaming also checks that no part inflates to more
  than its declared size, so a zip directory that lies about sizes is caught too.

CSV text cells may be long: a 10 MB comment is read as it is (the C parser handles it in
bounded memory); :func:`tidy` shortens text longer than Excel's cell limit of 32,767 characters
and says in which rows it did so.
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from nps_xl.i18n import LocalizedError, Message
from nps_xl.scores import VALID, parse_scores

__all__ = [
    "CANONICAL",
    "MAX_COMPRESSION_RATIO",
    "MAX_UNCOMPRESSED_BYTES",
    "Columns",
    "SurveyFileError",
    "detect_columns",
    "read_survey",
    "tidy",
]

MAX_UNCOMPRESSED_BYTES = 2 * 1024**3
MAX_COMPRESSION_RATIO = 200
RATIO_CHECK_MIN_BYTES = 1024**2
EXCEL_CELL_LIMIT = 32_767
MAX_SEGMENTS = 6
MAX_SEGMENT_VALUES = 50
_PROLOG_BYTES = 64 * 1024
_CHUNK = 1024**2

CANONICAL = ("Response ID", "Date", "Score", "Comment")


class SurveyFileError(LocalizedError, ValueError):
    """A survey file cannot be read or its columns cannot be found; the message says why and
    what to do, in one line. The frequent ones carry an i18n ``key`` and ``fields``
    (:class:`nps_xl.i18n.LocalizedError`), so ``exc.localized("lt")`` tells it in Lithuanian;
    the rare ones (Parquet without pyarrow, odd zip compression, a header-less CSV, an empty
    first sheet, a segment column named like a canonical one) are English only."""


# ----------------------------------------------------------------------------- reading


def read_survey(path: str | os.PathLike, *, sheet: str | int | None = None) -> pd.DataFrame:
    """Read a survey export into a DataFrame, one row per answer.

    ``path`` may be CSV/TSV/TXT (UTF-8, UTF-8 with BOM, UTF-16 with BOM or Windows-1252; comma,
    semicolon or tab separated; semicolon files may use decimal commas "9,0"), XLSX/XLSM, XLS,
    ODS (read with calamine) or Parquet (needs ``pyarrow``). ``sheet`` picks a worksheet by name
    or 0-based position (default: the first sheet).

    The index holds the 1-based file row of each answer. ``frame.attrs`` carries ``"source"``
    (the survey tool recognised from the headers, or ``None``), ``"questions"`` (column → the
    full question text, for Qualtrics exports whose column names are ``Q1``, ``Q2``…) and
    ``"comment_hint"`` (a column the export marks as open-ended, or ``None``).

    Raises :class:`SurveyFileError` for a missing, empty, unreadable or hostile file.
    """
    path = Path(path)
    if not path.exists():
        raise SurveyFileError.from_key("error_file_not_found", name=path.name)
    if path.is_dir():
        raise SurveyFileError.from_key("error_file_folder", name=path.name)
    size = path.stat().st_size
    if size == 0:
        raise SurveyFileError.from_key("error_file_empty", name=path.name)
    with open(path, "rb") as fh:
        head = fh.read(_PROLOG_BYTES)
    kind = _sniff_kind(head, path)
    if kind == "zip":
        _check_zip(path)
        frame = _read_calamine(path, sheet)
    elif kind == "xls":
        frame = _read_calamine(path, sheet)
    elif kind == "parquet":
        frame = _read_parquet(path)
    else:
        frame = _read_csv(path, head)
    if frame.shape[1] == 0 or frame.shape[0] == 0:
        raise SurveyFileError.from_key("error_file_no_answers", name=path.name)
    return frame


_MAGIC = {
    b"\x89PNG": Message("file_kind_image", format="PNG"),
    b"\xff\xd8\xff": Message("file_kind_image", format="JPEG"),
    b"GIF8": Message("file_kind_image", format="GIF"),
    b"%PDF": Message("file_kind_document", format="PDF"),
    b"\x1f\x8b": Message("file_kind_archive", format="gzip"),
    b"7z\xbc\xaf": Message("file_kind_archive", format="7-Zip"),
    b"Rar!": Message("file_kind_archive", format="RAR"),
    b"BM": None,  # too short to be sure; left to the text check
    b"\x7fELF": Message("file_kind_program"),
    b"MZ": None,
}


def _sniff_kind(head: bytes, path: Path) -> str:
    """'zip', 'xls', 'parquet' or 'text', from the first bytes; refuse known non-spreadsheets."""
    if head.startswith(b"PK\x03\x04") or head.startswith(b"PK\x05\x06"):
        return "zip"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "xls"
    if head.startswith(b"PAR1"):
        return "parquet"
    for magic, what in _MAGIC.items():
        if what and head.startswith(magic):
            raise SurveyFileError.from_key("error_file_kind", name=path.name, kind=what)
    if not _looks_like_text(head):
        raise SurveyFileError.from_key("error_file_not_text", name=path.name)
    return "text"


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")):
        return True
    if b"\x00" in head:
        return False
    # control characters other than tab/CR/LF/FF are rare in text and common in binary files
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    return controls <= len(head) // 100


# --- zip-based spreadsheets (XLSX, ODS) -----------------------------------------------------


def _check_zip(path: Path) -> None:
    """Refuse zip bombs and XML entity tricks before a parser opens the file."""
    name = path.name
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise SurveyFileError.from_key("error_file_damaged", name=name, detail=str(exc)) from None
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
                _check_xml_member(archive, m, name)


_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def _check_xml_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, name: str) -> None:
    """Stream one XML part: no DTD in its prolog, and no more bytes than the directory says."""
    if member.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise SurveyFileError(
            f"{name} refused: part {member.filename} uses an unusual compression method; "
            "open it in Excel and save it again."
        )
    # Inflate the raw stream here, with our own limit: zipfile would silently stop at the
    # declared size, while another reader might inflate a lying member without bound.
    limit = member.file_size
    produced = 0
    prolog = b""
    inflate = zlib.decompressobj(-15) if member.compress_type == zipfile.ZIP_DEFLATED else None
    with open(archive.filename, "rb") as fh:  # type: ignore[arg-type]
        fh.seek(member.header_offset)
        local = fh.read(30)
        if local[:4] != b"PK\x03\x04":
            raise SurveyFileError(f"{name} is damaged (bad zip entry {member.filename}).")
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
                    piece = inflate.decompress(data, _CHUNK)
                    data = inflate.unconsumed_tail
                produced += len(piece)
                if len(prolog) < _PROLOG_BYTES:
                    prolog += piece[: _PROLOG_BYTES - len(prolog)]
                    _check_prolog(prolog, member.filename, name)
        if inflate is not None and produced <= limit:
            produced += len(inflate.flush())
    if produced > limit:
        raise SurveyFileError.from_key("error_file_zip_lies", name=name, part=member.filename)
    _check_prolog(prolog, member.filename, name, final=True)


def _check_prolog(prolog: bytes, part: str, name: str, *, final: bool = False) -> None:
    text = prolog
    if text.startswith((b"\xff\xfe", b"\xfe\xff")) or text[:4].count(b"\x00") >= 2:
        try:
            text = prolog.decode("utf-16").encode("utf-8", "replace")
        except UnicodeDecodeError:
            text = prolog.replace(b"\x00", b"")
    if _DTD.search(text):
        raise SurveyFileError.from_key("error_file_xml_entities", name=name, part=part)
    # The document type declaration may only come before the root element; if 64 KB of
    # prolog hold no element at all, the part is not a normal spreadsheet part.
    full = final or len(prolog) >= _PROLOG_BYTES
    if full and len(text) >= _PROLOG_BYTES and not re.search(rb"<[A-Za-z_]", text):
        raise SurveyFileError(f"{name} refused: part {part} does not start like spreadsheet XML.")


def _read_calamine(path: Path, sheet: str | int | None) -> pd.DataFrame:
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for damaged files
        raise SurveyFileError.from_key(
            "error_file_unreadable", name=path.name, detail=_one_line(exc)
        ) from None
    try:
        names = book.sheet_names
        if sheet is None:
            sheet_obj = book.get_sheet_by_index(0)
        elif isinstance(sheet, int):
            sheet_obj = book.get_sheet_by_index(sheet)
        else:
            sheet_obj = book.get_sheet_by_name(sheet)
    except Exception:
        raise SurveyFileError.from_key(
            "error_file_no_sheet",
            name=path.name,
            sheet=repr(sheet),
            sheets=", ".join(map(repr, names)),
        ) from None
    try:
        rows = iter(sheet_obj.iter_rows())
        leading, head = _header_rows(rows)
        if not head:
            raise SurveyFileError(f"{path.name} has an empty first sheet; pass --sheet.")
        header = _Header.from_rows([[_cell_text(v) for v in r] for r in head])
        # Convert in chunks: compact pandas columns replace the Python cell objects as we go,
        # so a million-row sheet never exists twice as Python objects.
        chunks = []
        pending = head[header.rows :]
        for row in rows:
            pending.append(row)
            if len(pending) >= _ROWS_PER_CHUNK:
                chunks.append(_cells_to_frame(pending, header.names))
                pending = []
        if pending or not chunks:
            chunks.append(_cells_to_frame(pending, header.names))
    except SurveyFileError:
        raise
    except Exception as exc:
        raise SurveyFileError.from_key(
            "error_file_unreadable", name=path.name, detail=_one_line(exc)
        ) from None
    frame = chunks[0] if len(chunks) == 1 else pd.concat(chunks, ignore_index=True)
    del chunks
    first_row = leading + header.rows + 1
    frame.index = pd.RangeIndex(first_row, first_row + len(frame), name="row")
    return _finish(frame, header)


_ROWS_PER_CHUNK = 100_000


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


def _cells_to_frame(rows: list[list], names: list[str]) -> pd.DataFrame:
    columns = {}
    for j, col in enumerate(names):
        values = [r[j] if j < len(r) else None for r in rows]
        s = pd.Series(values, dtype=object) if not values else pd.Series(values)
        if s.dtype == object or pd.api.types.is_string_dtype(s.dtype):
            # calamine gives "" for empty cells; an empty cell is a missing value
            empty = s.eq("").to_numpy(dtype=bool, na_value=False)
            if empty.any():
                s = s.mask(empty).infer_objects()
        columns[col] = s
    return pd.DataFrame(columns)


def _cell_text(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _read_parquet(path: Path) -> pd.DataFrame:
    try:
        import pyarrow.parquet as pq
    except ImportError:
        raise SurveyFileError(
            f"Reading {path.name} needs pyarrow, which is not installed. "
            "Install it with: pip install 'nps-xl[parquet]'"
        ) from None
    try:
        frame = pq.read_table(path).to_pandas()
    except Exception as exc:
        raise SurveyFileError(
            f"{path.name} cannot be read as Parquet ({_one_line(exc)})."
        ) from None
    header = _Header(names=[str(c) for c in frame.columns], rows=1)
    frame.columns = header.names
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    return _finish(frame, header)


# --- CSV ---------------------------------------------------------------------------------------


def _detect_encoding(head: bytes) -> str:
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a multi-byte character cut at the end of the sample is still UTF-8
        if exc.start >= len(head) - 3:
            return "utf-8"
        return "cp1252"


def _sniff_delimiter(text: str) -> str:
    lines = [ln for ln in text.splitlines()[:30] if ln.strip()]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
        return dialect.delimiter
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


def _read_csv(path: Path, head: bytes) -> pd.DataFrame:
    encoding = _detect_encoding(head)
    try:
        text = head.decode(encoding, errors="ignore")
    except LookupError:  # pragma: no cover - encodings above always exist
        text = head.decode("latin-1")
    text = text.lstrip("\ufeff")
    delimiter = _sniff_delimiter(text)
    # header rows: parse the beginning of the file with the csv module
    head_rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))[:3]
    head_rows = [r for r in head_rows]
    if not head_rows or not any(c.strip() for c in head_rows[0]):
        raise SurveyFileError(
            f"{path.name} has no header row. The first line must name the columns."
        )
    header = _Header.from_rows(head_rows)
    read = dict(
        sep=delimiter,
        header=None,
        names=header.names,
        skiprows=header.rows,
        dtype=None,
        keep_default_na=False,  # "N/A" typed by a respondent is an invalid answer, not a blank
        na_values=[""],
        decimal="," if delimiter == ";" else ".",
        skip_blank_lines=True,
        index_col=False,
        on_bad_lines="error",
    )
    for enc in (encoding, "cp1252") if encoding == "utf-8" else (encoding,):
        try:
            frame = _read_csv_whole_columns(path, enc, read)
            break
        except UnicodeDecodeError:
            continue
        except pd.errors.ParserError as exc:
            raise SurveyFileError.from_key(
                "error_file_bad_csv", name=path.name, detail=_csv_problem(exc)
            ) from None
        except (ValueError, OverflowError, MemoryError) as exc:
            raise SurveyFileError(
                f"{path.name} cannot be read as CSV ({_one_line(exc)})."
            ) from None
    else:
        raise SurveyFileError.from_key("error_file_encoding", name=path.name)
    frame.index = pd.RangeIndex(header.rows + 1, header.rows + 1 + len(frame), name="row")
    return _finish(frame, header)


def _read_csv_whole_columns(path: Path, encoding: str, read: dict) -> pd.DataFrame:
    """``pd.read_csv`` with each column's type inferred from the whole column.

    pandas' chunked reader (``low_memory=True``) is about twice as fast as ``low_memory=False``
    but infers types per chunk; when chunks disagree (numbers in one, text such as "N/A" in
    another) it warns with ``DtypeWarning`` and leaves a column of mixed numbers and text. Only
    then is the file read again in one piece, so the result is that of ``low_memory=False``.
    """
    import warnings

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", pd.errors.DtypeWarning)
        frame = pd.read_csv(path, encoding=encoding, low_memory=True, **read)
    if any(issubclass(w.category, pd.errors.DtypeWarning) for w in caught):
        return pd.read_csv(path, encoding=encoding, low_memory=False, **read)
    for w in caught:  # pass on any other warning as the plain read would have
        warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    return frame


def _csv_problem(exc: Exception) -> Message | str:
    msg = _one_line(exc)
    m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", msg)
    if m:  # numbers as text: a line number is not a quantity to group
        return Message("csv_line_fields", line=m.group(2), got=m.group(3), want=m.group(1))
    return msg


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:200] + ("…" if len(text) > 200 else "")


# --- header rows of the survey tools -----------------------------------------------------------


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
        lowered = {_norm(n) for n in names}
        source = None
        if "#" in names and ({"submit date (utc)", "submitted at"} & lowered or "token" in lowered):
            source = "Typeform"
        elif "timestamp" in lowered:
            source = "Google Forms"
        return cls(names, rows=1, source=source)


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


def _finish(frame: pd.DataFrame, header: _Header) -> pd.DataFrame:
    frame = frame.dropna(axis=0, how="all")
    frame.attrs = {
        "source": header.source,
        "questions": dict(header.questions),
        "comment_hint": header.comment_hint,
    }
    return frame


# ----------------------------------------------------------------------------- columns


@dataclass(frozen=True)
class Columns:
    """Which export column holds what. ``None`` means the export has no such column."""

    score: str
    date: str | None = None
    comment: str | None = None
    segments: tuple[str, ...] = ()
    response_id: str | None = None
    customer: str | None = None
    weight: str | None = None

    def describe(self) -> list[tuple[str, str]]:
        """(role, column) pairs for a summary table."""
        rows = [("score", self.score)]
        for role in ("date", "comment", "response_id", "customer", "weight"):
            value = getattr(self, role)
            if value is not None:
                rows.append((role, value))
        rows.extend(("segment", s) for s in self.segments)
        return rows


def _norm(text: object) -> str:
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


# header patterns, strongest first; matched against the normalised header and question text
_SCORE_STRONG = re.compile(
    r"likely\b.*\brecommend|recommend|推荐|推薦|rekomenduot|rekomenduo|препоръча|препоръч"
)
_SCORE_WEAK = re.compile(
    r"(^|[^a-z])nps([^a-z]|$)|net promoter|(^|[^a-z])score([^a-z]|$)|评分|評分"
)
_SCORE_NOT = re.compile(r"_nps_group$|nps group|reason|why|原因|为什么|為什麼|kodėl|защо")
_DATE_PRIORITY = (
    "date",
    "submitted at",
    "submit date (utc)",
    "submit date",
    "timestamp",
    "recordeddate",
    "recorded date",
    "enddate",
    "end date",
    "date created",
    "date modified",
    "startdate",
    "start date",
    "start date (utc)",
    "日期",
    "data",
    "дата",
    "datum",
    "fecha",
)
_COMMENT = re.compile(
    r"why|comment|reason|feedback|explain|tell us|open-ended|原因|评论|評論|意见|意見|"
    r"komentar|kodėl|priežast|коментар|защо|причина"
)
_RESPONSE_ID = ("response id", "responseid", "respondent id", "#", "token", "response_id", "id")
_CUSTOMER = (
    "customer id",
    "customer_id",
    "customerid",
    "customer",
    "client id",
    "account id",
    "客户id",
    "客戶id",
    "kliento id",
    "клиент id",
)
_WEIGHT = ("weight", "weights", "survey weight", "权重", "權重", "svoris", "тегло", "gewicht")
# metadata columns the survey tools add; never segments
_METADATA = {
    "collector id",
    "ip address",
    "ipaddress",
    "email address",
    "email",
    "first name",
    "last name",
    "custom data 1",
    "status",
    "progress",
    "duration (in seconds)",
    "finished",
    "recipientlastname",
    "recipientfirstname",
    "recipientemail",
    "externalreference",
    "externaldatareference",
    "locationlatitude",
    "locationlongitude",
    "distributionchannel",
    "userlanguage",
    "network id",
    "tags",
    "response type",
    "language",
}


def _labels(frame: pd.DataFrame, column: str) -> list[str]:
    out = [_norm(column)]
    question = frame.attrs.get("questions", {}).get(column)
    if question:
        out.append(_norm(question))
    return out


def _score_like_share(series: pd.Series, sample: int = 5000) -> tuple[float, int]:
    """Share of non-blank values (of a sample) that are valid 0–10 scores, and their count."""
    values = series.iloc[:sample] if len(series) > sample else series
    if values.dtype.kind == "b" or values.dtype.kind == "M":
        return 0.0, 0
    parsed = parse_scores(values, invalid="skip")
    nonblank = parsed.n + parsed.invalid
    if nonblank == 0:
        return 0.0, 0
    return parsed.n / nonblank, nonblank


def _resolve(frame: pd.DataFrame, name: str | None, flag: str) -> str | None:
    """An explicit column name: exact, else case/space-insensitive, else a clear error."""
    if name is None:
        return None
    if name in frame.columns:
        return name
    matches = [c for c in frame.columns if _norm(c) == _norm(name)]
    if len(matches) == 1:
        return matches[0]
    raise SurveyFileError.from_key(
        "error_column_missing", column=name, flag=flag, columns=_list_columns(frame)
    )


def _list_columns(frame: pd.DataFrame, limit: int = 30) -> str:
    cols = [repr(str(c)) for c in frame.columns[:limit]]
    more = len(frame.columns) - limit
    return ", ".join(cols) + (f" and {more} more" if more > 0 else "")


def _first_named(frame: pd.DataFrame, names: Sequence[str], taken: set[str]) -> str | None:
    lowered = {}
    for c in frame.columns:
        lowered.setdefault(_norm(c), c)
    for n in names:
        c = lowered.get(n)
        if c is not None and c not in taken:
            return c
    return None


def detect_columns(
    frame: pd.DataFrame,
    *,
    score: str | None = None,
    date: str | None = None,
    comment: str | None = None,
    segments: Sequence[str] | None = None,
    response_id: str | None = None,
    customer: str | None = None,
    weight: str | None = None,
) -> Columns:
    """Find the columns of a survey export; explicit arguments win.

    * score — a header (or Qualtrics question text) like "How likely are you to recommend…",
      "recommend", "推荐"/"推薦", "rekomenduot…", "препоръча…", else "NPS"/"Score", among
      columns whose answers are mostly (≥ 80 %) 0–10 scores; without such a header, the only
      column whose non-blank values are ≥ 95 % whole numbers 0–10 (or labelled "10 - …").
      Qualtrics' ``…_NPS_GROUP`` columns (1/2/3 category codes) are never the score.
    * date — "Date", "Submitted At"/"Submit Date" (Typeform), "Timestamp" (Google Forms),
      "RecordedDate"/"EndDate" (Qualtrics), "End Date"/"Date Created"/"Start Date"
      (SurveyMonkey), in that order of preference.
    * comment — the column SurveyMonkey marks "Open-Ended Response", a header with "why",
      "comment", "reason", "feedback", "原因", "komentar", "коментар"…, else a free-text column
      right after the score.
    * response_id — "Response ID", "ResponseId", "Respondent ID", "#", "Token".
    * customer — "Customer ID", "Customer"; weight — "Weight".
    * segments — the other text columns with 2–50 distinct values (not metadata such as
      "IP Address" or "Status"), in file order, at most six.

    Raises :class:`SurveyFileError` naming the flag to pass (``--score "column"``) and listing
    the columns when the score column is missing or ambiguous.
    """
    taken: set[str] = set()
    explicit = {
        "score": _resolve(frame, score, "--score"),
        "date": _resolve(frame, date, "--date"),
        "comment": _resolve(frame, comment, "--comment"),
        "response_id": _resolve(frame, response_id, "--response-id"),
        "customer": _resolve(frame, customer, "--customer"),
        "weight": _resolve(frame, weight, "--weight"),
    }
    taken.update(v for v in explicit.values() if v)
    explicit_segments = (
        None if segments is None else tuple(_resolve(frame, s, "--segment") for s in segments)
    )
    if explicit_segments:
        taken.update(explicit_segments)

    rid = explicit["response_id"] or _first_named(frame, _RESPONSE_ID, taken)
    if rid:
        taken.add(rid)
    cust = explicit["customer"] or _first_named(frame, _CUSTOMER, taken)
    if cust:
        taken.add(cust)
    wcol = explicit["weight"] or _first_named(frame, _WEIGHT, taken)
    if wcol:
        taken.add(wcol)
    dcol = (
        explicit["date"]
        or _first_named(frame, _DATE_PRIORITY, taken)
        or _detect_date_by_values(frame, taken)
    )
    if dcol:
        taken.add(dcol)
    # dates in one of the other date-like columns (e.g. Start Date) are not segments
    date_like = {
        c for c in frame.columns if _norm(c) in _DATE_PRIORITY or "date" in _norm(c).split()
    }

    scol = explicit["score"] or _detect_score(frame, taken | date_like)
    taken.add(scol)

    ccol = explicit["comment"] or _detect_comment(frame, scol, taken | date_like)
    if ccol:
        taken.add(ccol)

    if explicit_segments is not None:
        segs = explicit_segments
    else:
        segs = _detect_segments(frame, taken | date_like)
    return Columns(
        score=scol,
        date=dcol,
        comment=ccol,
        segments=tuple(segs),
        response_id=rid,
        customer=cust,
        weight=wcol,
    )


_DATE_TEXT = re.compile(r"^\s*\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}")


def _detect_date_by_values(frame: pd.DataFrame, taken: set[str]) -> str | None:
    """The first column whose values are dates (as dates, or as text like 05.11.2024)."""
    for c in frame.columns:
        if c in taken:
            continue
        s = frame[c]
        if s.dtype.kind == "M":
            return c
        sample = s.iloc[:500].dropna()
        if sample.empty or s.dtype.kind in "iufb":
            continue
        if sample.map(_is_date).mean() >= 0.95:
            return c
        text = sample.astype(str)
        if text.str.match(_DATE_TEXT).mean() >= 0.95:
            return c
    return None


def _detect_score(frame: pd.DataFrame, taken: set[str]) -> str:
    strong, weak = [], []
    for c in frame.columns:
        if c in taken:
            continue
        labels = _labels(frame, c)
        if any(_SCORE_NOT.search(lb) for lb in labels[:1]) or _norm(c).endswith("_nps_group"):
            continue
        if any(_SCORE_STRONG.search(lb) for lb in labels):
            bucket = strong
        elif any(_SCORE_WEAK.search(lb) for lb in labels):
            bucket = weak
        else:
            continue
        share, nonblank = _score_like_share(frame[c])
        if nonblank and share >= 0.8:
            bucket.append(c)
    for bucket in (strong, weak):
        if len(bucket) == 1:
            return bucket[0]
        if len(bucket) > 1:
            raise SurveyFileError.from_key(
                "error_score_ambiguous_named", columns=", ".join(repr(c) for c in bucket)
            )
    numeric = []
    for c in frame.columns:
        if c in taken or _norm(c).endswith("_nps_group"):
            continue
        share, nonblank = _score_like_share(frame[c])
        if nonblank and share >= 0.95:
            numeric.append(c)
    if len(numeric) == 1:
        return numeric[0]
    if numeric:
        raise SurveyFileError.from_key(
            "error_score_ambiguous_values", columns=", ".join(repr(c) for c in numeric)
        )
    raise SurveyFileError.from_key("error_score_not_found", columns=_list_columns(frame))


def _is_free_text(series: pd.Series, sample: int = 2000) -> bool:
    values = series.iloc[:sample].dropna()
    if values.empty or values.dtype.kind in "iufbM":
        return False
    text = values.astype(str)
    return text.str.len().mean() >= 12 and text.nunique() > min(MAX_SEGMENT_VALUES, len(text) // 2)


def _detect_comment(frame: pd.DataFrame, score: str, taken: set[str]) -> str | None:
    hint = frame.attrs.get("comment_hint")
    cols = list(frame.columns)
    after = cols[cols.index(score) + 1 :]
    if hint and hint not in taken and hint in after:
        return hint
    named = [
        c
        for c in cols
        if c not in taken
        and any(_COMMENT.search(lb) for lb in _labels(frame, c))
        and frame[c].dtype.kind not in "iufbM"
    ]
    named_after = [c for c in named if c in after]
    if named_after:
        return named_after[0]
    if named:
        return named[0]
    if hint and hint not in taken:
        return hint
    if after and after[0] not in taken and _is_free_text(frame[after[0]]):
        return after[0]
    return None


def _detect_segments(frame: pd.DataFrame, taken: set[str]) -> list[str]:
    segs = []
    for c in frame.columns:
        if c in taken or _norm(c) in _METADATA or _norm(c).endswith("_nps_group"):
            continue
        s = frame[c]
        if s.dtype.kind in "iufbmM":
            continue
        sample = s.iloc[:20000].dropna()
        if sample.empty or not all(isinstance(v, str) for v in sample.iloc[:100]):
            continue
        distinct = sample.nunique()
        if 2 <= distinct <= MAX_SEGMENT_VALUES and s.nunique(dropna=True) <= MAX_SEGMENT_VALUES:
            segs.append(c)
        if len(segs) == MAX_SEGMENTS:
            break
    return segs


# ----------------------------------------------------------------------------- tidy


def tidy(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    dayfirst: bool | None = None,
) -> pd.DataFrame:
    """The canonical table of answers: ``Response ID, Date, Score, Comment, <segments…>``,
    then ``Customer ID`` and ``Weight`` when the export has them.

    * Response ID: the export's, else ``R00001…`` in file order.
    * Date: parsed to timestamps (time zones dropped, local time kept). ISO dates are read as
      such; ``03/04/2025``-style dates month-first unless a value only fits day-first (or
      ``dayfirst=True``). Unreadable dates become empty and are listed with their rows.
    * Score: the raw values, untouched (:mod:`nps_xl.scores` parses them).
    * Text longer than Excel's 32,767-character cell limit is shortened, with the rows listed.

    The index is kept (the file row of each answer). ``result.attrs["notes"]`` holds one line
    per problem found (dates, long text); ``attrs["columns"]`` the :class:`Columns` used;
    ``attrs["segments"]`` the segment column names of the result (Qualtrics segments are named
    by their question text).
    """
    notes: list[str] = []
    n = len(frame)
    out: dict[str, object] = {}
    if columns.response_id:
        out["Response ID"] = _as_text(frame[columns.response_id])
    else:
        out["Response ID"] = pd.Series(
            [f"R{i:05d}" for i in range(1, n + 1)], index=frame.index, dtype=object
        )
    if columns.date:
        out["Date"] = _parse_dates(frame[columns.date], dayfirst, notes, columns.date)
    else:
        out["Date"] = pd.Series(pd.NaT, index=frame.index, dtype="datetime64[ns]")
    out["Score"] = frame[columns.score]
    if columns.comment:
        out["Comment"] = _clip_text(frame[columns.comment], notes, columns.comment)
    else:
        out["Comment"] = pd.Series(None, index=frame.index, dtype=object)
    questions = frame.attrs.get("questions") or {}
    for s in columns.segments:
        # Qualtrics names columns Q1, Q2…; the question text is what a reader recognises
        name = questions.get(s, s)
        if name in out or name in ("Customer ID", "Weight"):
            name = s
        if name in out or name in ("Customer ID", "Weight"):
            raise SurveyFileError(
                f"A segment column may not be called {s!r}; rename it in the file."
            )
        out[name] = _clip_text(frame[s], notes, s)
    if columns.customer:
        out["Customer ID"] = _as_text(frame[columns.customer])
    if columns.weight:
        w = frame[columns.weight]
        if w.dtype == object or str(w.dtype) in ("str", "string"):
            w = pd.to_numeric(w.astype(str).str.replace(",", ".", regex=False), errors="coerce")
        out["Weight"] = w
    result = pd.DataFrame(out, index=frame.index)
    segment_names = [c for c in out if c not in (*CANONICAL, "Customer ID", "Weight")]
    result.attrs = {
        "segments": tuple(segment_names),
        "notes": notes,
        "columns": columns,
        "source": frame.attrs.get("source"),
    }
    return result


def _is_text_dtype(series: pd.Series) -> bool:
    return series.dtype != object and pd.api.types.is_string_dtype(series.dtype)


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
            f"{name}: {len(rows)} text{'s' if len(rows) > 1 else ''} longer than Excel's "
            f"{EXCEL_CELL_LIMIT:,}-character cell limit shortened ({_rows(rows)})."
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


def _rows(index: Sequence[int], limit: int = 10) -> str:
    shown = [str(int(i)) for i in list(index)[:limit]]
    more = len(index) - len(shown)
    word = "row" if len(index) == 1 else "rows"
    return f"{word} {', '.join(shown)}" + (f" and {more} more" if more > 0 else "")


_TZ_SUFFIX = re.compile(r"\s*(?:GMT|UTC)\s*[+-]?\d{0,2}(?::?\d{2})?\s*$", re.IGNORECASE)


def _parse_dates(
    series: pd.Series, dayfirst: bool | None, notes: list[str], name: str
) -> pd.Series:
    if series.dtype.kind == "M":
        s = series
        if getattr(s.dt, "tz", None) is not None:
            s = s.dt.tz_localize(None)
        return s.astype("datetime64[ns]")
    # Survey dates repeat (a day has many answers): parse each distinct value once.
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    parsed_uniques = _parse_unique_dates(pd.Series(uniques, dtype=object), dayfirst, notes, name)
    values = np.asarray(parsed_uniques.to_numpy(dtype="datetime64[ns]"))
    # code -1 (missing) picks the NaT appended at the end
    values = np.append(values, np.datetime64("NaT", "ns"))
    out = pd.Series(values[codes], index=series.index)
    unreadable = parsed_uniques.isna().to_numpy()
    blank_unique = (
        pd.Series(uniques, dtype=object)
        .map(lambda v: isinstance(v, str) and not v.strip())
        .to_numpy(dtype=bool)
    )
    bad_codes = np.flatnonzero(unreadable & ~blank_unique)
    if len(bad_codes):
        bad = np.isin(codes, bad_codes)
        rows = series.index[bad]
        first = series[bad].iloc[0]
        count = int(bad.sum())
        notes.append(
            f"{name}: {count} value{'s' if count > 1 else ''} not readable as a "
            f"date (first {first!r}; {_rows(rows)}); those answers count in the totals but "
            "not in the trend."
        )
    return out


def _parse_unique_dates(
    values: pd.Series, dayfirst: bool | None, notes: list[str], name: str
) -> pd.Series:
    """Distinct date values (no missing ones) to timestamps; NaT where unreadable."""
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    if values.empty:
        return out
    is_dt = values.map(lambda v: isinstance(v, (pd.Timestamp, np.datetime64)) or _is_date(v))
    if is_dt.any():
        out[is_dt] = pd.to_datetime(values[is_dt].tolist()).tz_localize(None)
    is_text = values.map(lambda v: isinstance(v, str) and bool(v.strip()))
    if is_text.any():
        t = values[is_text].astype(str).str.strip().str.replace(_TZ_SUFFIX, "", regex=True)
        out[is_text] = _parse_date_text(t, dayfirst, notes, name)
    numeric = values.map(_is_number) & out.isna()
    if numeric.any():
        # Excel serial day numbers (days since 1899-12-30) exported as plain numbers
        serial = pd.to_numeric(values[numeric], errors="coerce")
        ok = serial.between(1, 2958465)
        out[serial.index[ok]] = pd.Timestamp("1899-12-30") + pd.to_timedelta(
            serial[ok].astype(float), unit="D"
        )
    return out


def _parse_date_text(t: pd.Series, dayfirst: bool | None, notes: list[str], name: str) -> pd.Series:
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
            notes.append(
                f"{name}: dates such as {t[both].iloc[0]!r} fit both day/month and "
                "month/day; read as month/day. Pass --dayfirst if they are day/month."
            )
    return parsed.fillna(iso).astype("datetime64[ns]")


def _is_number(v: object) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _is_date(v: object) -> bool:
    import datetime as dt

    return isinstance(v, (dt.date, dt.datetime))


def _to_datetime(text: pd.Series, dayfirst: bool, *, check_order: bool = True) -> pd.Series:
    import warnings

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


def valid_score_mask(frame: pd.DataFrame) -> np.ndarray:
    """Which rows of a tidy frame hold a valid 0–10 score (for callers that filter)."""
    return parse_scores(frame["Score"], invalid="skip").status == VALID


def replace_columns(columns: Columns, **changes: object) -> Columns:
    """A copy of ``columns`` with some roles changed (dataclasses.replace, re-exported)."""
    return replace(columns, **changes)
