"""How :mod:`nps_xl.io` reads a file, told to an engine that reads it itself.

An engine parses the file with its own reader, so it needs the facts ``nps_xl.io`` decides
before parsing: the format, the text encoding, the delimiter, the header rows and the column
names they give (Qualtrics and SurveyMonkey exports have several header rows), the
missing-value markers of each column, the decimal mark, and how a record's position becomes the
file row a person sees. :func:`describe` finds them with ``nps_xl.io``'s own helpers, so the
engines read every file exactly as the pandas path does.

Assumed from ``nps_xl.io`` (its reading layer has no public "layout" function yet; these are
the helpers its CSV reader runs before ``pandas.read_csv``): ``encoding.detect_encoding``,
``readers._sniff_kind``, ``readers._sniff_delimiter``, ``readers._rows_of``,
``readers._Header``, ``readers._markers_for``. The engine tests compare every engine with the
pandas path on the same files, so a change there shows up as a failing test, not as a wrong
report.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from nps_xl.io import SurveyFileError

PROLOG_BYTES = 64 * 1024
#: ``nps_xl.io`` judges a column's missing-value markers on its first 2,000 values.
SAMPLE_ROWS = 2000
_COPY_CHUNK = 8 * 1024 * 1024


@dataclass
class Source:
    """One survey file as an engine reads it.

    ``data`` is the file an engine opens: the export itself, or a UTF-8 copy of a file in
    another encoding (engines read UTF-8). Column ``j`` of ``names`` is read as ``c{j}``.
    """

    path: Path
    kind: str  # "csv", "parquet", "xlsx"
    names: list[str]
    data: Path
    size: int
    delimiter: str = ","
    decimal: str = "."
    header_lines: int = 1  # text lines above the first answer (a "sep=;" line included)
    header_records: int = 1  # CSV records above the first answer
    first_row: int = 2  # the file row of the first answer when rows are not text lines
    markers: dict[str, list[str]] = field(default_factory=dict)  # column → texts read as blank
    numeric: set[str] = field(default_factory=set)  # typed formats: the columns of numbers
    floats: set[str] = field(default_factory=set)  # … of which floating-point ones
    questions: dict[str, str] = field(default_factory=dict)
    encoding: str | None = None
    notes: list[str] = field(default_factory=list)
    sheet: int = 0  # spreadsheets: 0-based position of the sheet
    table: object = None  # spreadsheets: the sheet as Arrow (``_row``, ``c0``…), read once
    sample: list = field(default_factory=list)  # CSV: the first records after the header
    temporary: Path | None = None

    def column(self, name: str) -> str:
        """The engine's name of the export column ``name`` (``c0``, ``c1``…)."""
        try:
            return f"c{self.names.index(name)}"
        except ValueError:
            raise SurveyFileError(
                f"Column {name!r} is not in {self.path.name} (columns: "
                f"{', '.join(map(repr, self.names))})."
            ) from None

    def close(self) -> None:
        if self.temporary is not None:
            self.temporary.unlink(missing_ok=True)
            self.temporary = None


def file_kind(path: str | os.PathLike) -> str:
    """``"csv"``, ``"parquet"``, ``"xlsx"`` (any zip spreadsheet) or ``"xls"``, from the first
    bytes as ``nps_xl.io`` decides it."""
    from nps_xl.io.readers import _sniff_kind

    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(PROLOG_BYTES)
    kind = _sniff_kind(head, path)
    return {"zip": "xlsx", "text": "csv"}.get(kind, kind)


def describe(
    path: str | os.PathLike, *, sheet: str | int | None = None, encoding: str | None = None
) -> Source:
    """The :class:`Source` of ``path`` (CSV, Parquet or XLSX)."""
    path = Path(path)
    if not path.exists():
        raise SurveyFileError.from_key("error_file_not_found", name=str(path))
    size = path.stat().st_size
    if size == 0:
        raise SurveyFileError.from_key("error_file_empty", name=path.name)
    kind = file_kind(path)
    if kind == "csv":
        return _describe_csv(path, size, encoding)
    if kind == "parquet":
        return _describe_parquet(path, size)
    if kind == "xlsx":
        return _describe_xlsx(path, size, sheet)
    raise SurveyFileError(f"{path.name}: the {kind.upper()} format is read by the pandas engine.")


#: The layouts of the CSV files described in this process, by (path, size, mtime, encoding):
#: the columns are found on a sample, then the file is counted, and both describe it.
_LAYOUTS: dict[tuple, object] = {}


def _layout(path: Path, encoding: str | None):
    """``nps_xl.io``'s :func:`~nps_xl.io.readers.csv_layout` of ``path``, found once per file
    version (its encoding check reads the whole file)."""
    from nps_xl.io.readers import csv_layout

    stat = path.stat()
    key = (os.fspath(path.resolve()), stat.st_size, stat.st_mtime_ns, encoding)
    if key not in _LAYOUTS:
        with open(path, "rb") as fh:
            head = fh.read(PROLOG_BYTES)
        _LAYOUTS.clear()  # one file at a time: the last one is kept
        _LAYOUTS[key] = csv_layout(path, head, encoding)
    return _LAYOUTS[key]


def _describe_csv(path: Path, size: int, encoding: str | None) -> Source:
    from nps_xl.io.readers import _markers_for

    layout = _layout(path, encoding)  # the pandas reader's own reading of the head
    decoding, delimiter, skip_lines = layout.decoding, layout.delimiter, layout.skip_lines
    header, header_lines, sample = layout.header, layout.header_lines, layout.sample
    markers = {
        name: sorted(_markers_for(r[j] if j < len(r) else None for r in sample))
        for j, name in enumerate(header.names)
    }
    source = Source(
        path=path,
        kind="csv",
        names=list(header.names),
        data=path,
        size=size,
        delimiter=delimiter,
        decimal="," if delimiter == ";" else ".",
        header_lines=header_lines,
        header_records=skip_lines + header.rows,
        first_row=header_lines + 1,
        markers=markers,
        questions=dict(header.questions),
        encoding=decoding.name,
        notes=[decoding.note] if decoding.note else [],
        sample=sample,
    )
    if decoding.codec not in ("utf-8", "utf-8-sig") or decoding.errors != "strict":
        source.temporary = source.data = _utf8_copy(path, decoding.codec, decoding.errors)
    return source


def _utf8_copy(path: Path, codec: str, errors: str) -> Path:
    """A UTF-8 copy of a text file in another encoding, decoded in chunks (bounded memory)."""
    decoder = codecs.getincrementaldecoder(codec)(errors)
    handle, name = tempfile.mkstemp(prefix="nps-xl-", suffix=".csv")
    try:
        with open(path, "rb") as src, os.fdopen(handle, "wb") as out:
            while chunk := src.read(_COPY_CHUNK):
                out.write(decoder.decode(chunk).encode("utf-8"))
            out.write(decoder.decode(b"", final=True).encode("utf-8"))
    except UnicodeDecodeError as exc:
        Path(name).unlink(missing_ok=True)
        raise SurveyFileError(
            f"{path.name} is not readable as {codec} text ({exc.reason}). Pass --encoding "
            "with the file's encoding, or save it as UTF-8 CSV."
        ) from None
    return Path(name)


def _describe_parquet(path: Path, size: int) -> Source:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from nps_xl.io.readers import _dedupe, _markers_for

    # nps_xl.io.guards.check_parquet caps rows and bytes because pandas holds every row;
    # an engine streams the file in bounded memory, so only a damaged footer is refused here
    try:
        schema = pq.read_schema(path)
    except Exception as exc:
        raise SurveyFileError(
            f"{path.name} cannot be read as Parquet ({' '.join(str(exc).split())[:200]}). "
            "Export it again."
        ) from None
    names = list(_dedupe(str(c) for c in schema.names))
    floats = {n for n, f in zip(names, schema, strict=True) if pa.types.is_floating(f.type)}
    numeric = floats | {n for n, f in zip(names, schema, strict=True)
                        if pa.types.is_integer(f.type)}  # fmt: skip
    # the missing-value markers of each text column, judged on its first values as
    # nps_xl.io does
    first = next(pq.ParquetFile(path).iter_batches(batch_size=SAMPLE_ROWS), None)
    markers = {}
    for name, f, j in zip(names, schema, range(len(names)), strict=True):
        if first is not None and (pa.types.is_string(f.type) or pa.types.is_large_string(f.type)):
            markers[name] = sorted(_markers_for(first.column(j).to_pylist()))
    return Source(
        path=path,
        kind="parquet",
        names=names,
        data=path,
        size=size,
        first_row=2,
        markers=markers,
        numeric=numeric,
        floats=floats,
    )


def _describe_xlsx(path: Path, size: int, sheet: str | int | None) -> Source:
    """Spreadsheets: read once by fastexcel (calamine → Arrow, every cell as text, so "N/A"
    stays "N/A"); the header rows and markers judged as ``nps_xl.io`` judges them."""
    import fastexcel
    import pyarrow as pa

    from nps_xl.io.guards import check_sheet_extent, check_zip
    from nps_xl.io.readers import (
        _cell_text,
        _Header,
        _header_rows,
        _markers_for,
        _sheet_part,
        _sheet_position,
        choose_sheet,
    )

    extents = check_zip(path)
    reader = fastexcel.read_excel(os.fspath(path))
    names = list(reader.sheet_names)
    if sheet is None and len(names) > 1:  # the sheet that holds the score, as nps_xl.io picks
        sheet = choose_sheet(path, extents)
    if isinstance(sheet, int) and not isinstance(sheet, bool):
        sheet = sheet + 1  # as nps_xl.io.read_survey: an int is a 0-based position
    position = _sheet_position(path, sheet, names)
    if extents:
        part = _sheet_part(path, position, names)
        for p in [part] if part in extents else list(extents):
            check_sheet_extent(path, names[position], p, extents[p])
    loaded = reader.load_sheet(position, header_row=None, skip_rows=0, dtypes="string", eager=True)
    table = loaded if isinstance(loaded, pa.Table) else pa.table(loaded)
    first = table.slice(0, SAMPLE_ROWS + 64).to_pylist()
    rows = iter([list(r.values()) for r in first])
    leading, head = _header_rows(rows)
    if not head:
        raise SurveyFileError(f"{path.name}: sheet {names[position]!r} is empty.")
    header = _Header.from_rows([[_cell_text(v) for v in r] for r in head])
    sample = head[header.rows :]
    for row in rows:
        if len(sample) >= SAMPLE_ROWS:
            break
        sample.append(row)
    markers = {
        name: sorted(_markers_for(r[j] if j < len(r) else None for r in sample))
        for j, name in enumerate(header.names)
    }
    skip = leading + header.rows
    data = table.slice(skip).select(list(range(len(header.names))))
    data = data.rename_columns([f"c{j}" for j in range(len(header.names))])
    data = data.add_column(0, "_row", pa.array(range(1, data.num_rows + 1), type=pa.int64()))
    return Source(
        path=path,
        kind="xlsx",
        names=list(header.names),
        data=path,
        size=size,
        header_lines=skip,
        first_row=skip + 1,
        questions=dict(header.questions),
        markers=markers,
        sheet=position,
        table=data,
    )
