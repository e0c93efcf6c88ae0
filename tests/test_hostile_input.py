"""Hostile and non-survey files: each gets a one-line SurveyFileError, in bounded time and
memory, never a hang or a traceback. Every file is built here, in a temporary folder."""

from __future__ import annotations

import io
import json
import os
import struct
import subprocess
import sys
import textwrap
import zipfile
import zlib
from pathlib import Path

import pytest
import xlsxwriter

from nps_xl.io import (
    MAX_COMPRESSION_RATIO,
    MAX_PARQUET_ROWS,
    SurveyFileError,
    load_survey,
    read_survey,
)
from nps_xl.io.guards import column_letters

TIME_LIMIT = 10.0  # seconds per file, including the Python start-up of the subprocess
MEMORY_LIMIT_MB = 600  # peak RSS of the subprocess (pandas alone takes ~100 MB)
ADDRESS_SPACE_GB = 3  # RLIMIT_AS of the subprocess: a runaway allocation fails there, not here


def _valid_xlsx(path: Path) -> Path:
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Score", "Comment"])
    sheet.write_row(1, 0, [9, "fine"])
    book.close()
    return path


def _rewrite(source: Path, target: Path, replace: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = replace.get(item.filename, zin.read(item.filename))
            zout.writestr(item.filename, data)
    return target


LAUGHS = b"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<!DOCTYPE sst [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="2" uniqueCount="2">
<si><t>Score</t></si><si><t>&lol9;</t></si></sst>"""


def _quadratic() -> bytes:
    entity = "A" * 100_000
    body = "&a;" * 50_000
    return (
        '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY a "' + entity + '">]>\n'
        '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f"<si><t>Score</t></si><si><t>{body}</t></si></sst>"
    ).encode()


def _billion_laughs(tmp: Path) -> Path:
    return _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "laughs.xlsx", {"xl/sharedStrings.xml": LAUGHS}
    )


def _billion_laughs_utf16(tmp: Path) -> Path:
    data = LAUGHS.decode().replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    return _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "laughs16.xlsx", {"xl/sharedStrings.xml": data}
    )


def _quadratic_blowup(tmp: Path) -> Path:
    return _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "quadratic.xlsx", {"xl/sharedStrings.xml": _quadratic()}
    )


def _doctype_in_worksheet_after_long_comment(tmp: Path) -> Path:
    sheet = (
        b'<?xml version="1.0"?><!--' + b"x" * 100_000 + b'--><!DOCTYPE worksheet [<!ENTITY e "e">]>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'
    )
    return _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "hidden.xlsx", {"xl/worksheets/sheet1.xml": sheet}
    )


def _zip_bomb(tmp: Path) -> Path:
    """An honest directory: 300 MB of '<' padding deflated to ~300 KB (ratio ~1000)."""
    path = tmp / "bomb.xlsx"
    ok = _valid_xlsx(tmp / "ok.xlsx")
    with zipfile.ZipFile(ok) as zin, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with zout.open(item.filename, "w", force_zip64=True) as fh:
                    head = zin.read(item.filename)
                    fh.write(head[: head.index(b"<sheetData>")] + b"<sheetData>")
                    row = b'<row r="2"><c r="A2"><v>9</v></c></row>' * 25_000
                    for _ in range(300):
                        fh.write(row)
                    fh.write(b"</sheetData></worksheet>")
            else:
                zout.writestr(item.filename, zin.read(item.filename))
    return path


def _lying_directory(tmp: Path) -> Path:
    """The directory claims 40 KB; the deflated data inflates to 40 MB (ratio check passes)."""
    inner = (
        b'<?xml version="1.0"?><worksheet><sheetData>'
        + b" " * 40_000_000
        + b"</sheetData></worksheet>"
    )
    path = _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "lying.xlsx", {"xl/worksheets/sheet1.xml": inner}
    )
    data = bytearray(path.read_bytes())
    name = b"xl/worksheets/sheet1.xml"
    claimed = 40_000
    # local header: signature PK\3\4, uncompressed size at offset 22
    pos = data.index(b"PK\x03\x04" + b"\x14\x00")
    while True:
        n = struct.unpack_from("<H", data, pos + 26)[0]
        if data[pos + 30 : pos + 30 + n] == name:
            struct.pack_into("<I", data, pos + 22, claimed)
            break
        pos = data.index(b"PK\x03\x04", pos + 4)
    # central directory: signature PK\1\2, uncompressed size at offset 24
    pos = data.index(b"PK\x01\x02")
    while True:
        n = struct.unpack_from("<H", data, pos + 28)[0]
        if data[pos + 46 : pos + 46 + n] == name:
            struct.pack_into("<I", data, pos + 24, claimed)
            break
        pos = data.index(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


def _huge_declared_total(tmp: Path) -> Path:
    """Two members each claiming 1.5 GB (the data is tiny)."""
    path = _rewrite(_valid_xlsx(tmp / "ok.xlsx"), tmp / "huge.xlsx", {})
    data = bytearray(path.read_bytes())
    pos = data.index(b"PK\x01\x02")
    for _ in range(2):
        struct.pack_into("<I", data, pos + 24, 1_500_000_000)
        pos = data.index(b"PK\x01\x02", pos + 4)
    path.write_bytes(bytes(data))
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _sheet_xlsx(path: Path, sheet_data: bytes, dimension: str | None = None) -> Path:
    """A minimal XLSX written by hand, so cells can sit anywhere (5 KB on disk)."""
    dim = f'<dimension ref="{dimension}"/>'.encode() if dimension else b""
    sheet = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="'
        + _MAIN.encode()
        + b'">'
        + dim
        + b"<sheetData>"
        + sheet_data
        + b"</sheetData></worksheet>"
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://'
        'schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default '
        'Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"'
        '/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxml'
        'formats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
        'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
        f'Type="{_REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" '
        f'xmlns:r="{_REL}"><sheets><sheet name="Answers" sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships '
        'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
        f'Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


def _cells(*cells: tuple[str, object]) -> bytes:
    out = []
    for ref, value in cells:
        row = "".join(ch for ch in ref if ch.isdigit())
        if isinstance(value, str):
            cell = f'<c r="{ref}" t="inlineStr"><is><t>{value}</t></is></c>'
        else:
            cell = f'<c r="{ref}"><v>{value}</v></c>'
        out.append(f'<row r="{row}">{cell}</row>')
    return "".join(out).encode()


def _a1_and_xfd1048576(tmp: Path) -> Path:
    """549 GB for calamine's dense grid: the process used to abort (Rust panic)."""
    data = _cells(("A1", "Score"), ("A2", 9), ("XFD1048576", 1))
    return _sheet_xlsx(tmp / "corners.xlsx", data, "A1:XFD1048576")


def _header_in_column_one_million(tmp: Path) -> Path:
    far = column_letters(1_000_000)
    data = _cells(("A1", "Score"), (f"{far}1", "Comment"), ("A2", 9))
    return _sheet_xlsx(tmp / "wide.xlsx", data, f"A1:{far}2")


def _one_cell_at_z1048576(tmp: Path) -> Path:
    data = _cells(("A1", "Score"), ("A2", 9), ("Z1048576", 1))
    return _sheet_xlsx(tmp / "tall.xlsx", data, "A1:Z1048576")


def _far_cell_behind_a_small_dimension(tmp: Path) -> Path:
    data = _cells(("A1", "Score"), ("A2", 9), ("Z1048576", 1))
    return _sheet_xlsx(tmp / "lying_dimension.xlsx", data, "A1:A2")


def _far_cell_with_odd_attribute_spelling(tmp: Path) -> Path:
    data = _cells(("A1", "Score"), ("A2", 9)) + (
        b"<row r='1048576'><c t=\"n\"\n r = 'Z1048576'><v>1</v></c></row>"
    )
    return _sheet_xlsx(tmp / "odd_spelling.xlsx", data, "A1:A2")


def _rows_without_references(tmp: Path) -> Path:
    """Rows and cells without r attributes: 150,000 empty rows, then a row of 2,000 cells
    (300 million grid cells; each part stays under the size where the zip ratio is checked)."""
    data = (
        _cells(("A1", "Score"), ("A2", 9))
        + b"<row/>" * 150_000
        + (b"<row>" + b"<c><v>1</v></c>" * 2_000 + b"</row>")
    )
    return _sheet_xlsx(tmp / "no_refs.xlsx", data, "A1:A2")


def _doctype_after_a_comment_that_looks_like_xml(tmp: Path) -> Path:
    """75 KB of comment holding an element-like "<a>" (which satisfied the old 64 KB check),
    then the DTD."""
    sheet = (
        b'<?xml version="1.0"?><!-- <a> ' + b"x" * 75_000 + b" --><!DOCTYPE worksheet "
        b'[<!ENTITY e "e">]><worksheet xmlns="' + _MAIN.encode() + b'"/>'
    )
    return _rewrite(
        _valid_xlsx(tmp / "ok.xlsx"), tmp / "comment_dtd.xlsx", {"xl/worksheets/sheet1.xml": sheet}
    )


def _two_hundred_million_parquet_rows(tmp: Path) -> Path:
    """0.7 MB on disk: one constant column in 20 row groups of 10 million rows."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    path = tmp / "huge.parquet"
    table = pa.table({"Score": pa.array(np.full(10_000_000, 9, dtype=np.int8))})
    with pq.ParquetWriter(path, table.schema, compression="zstd") as writer:
        for _ in range(20):
            writer.write_table(table, row_group_size=10_000_000)
    return path


def _png(tmp: Path) -> Path:
    path = tmp / "chart.xlsx"
    raw = b"\x00" + b"\xff\x00\x00" * 4
    png = (
        b"\x89PNG\r\n\x1a\n"
        + struct.pack(">I", 13)
        + b"IHDR"
        + struct.pack(">IIBBBBB", 4, 1, 8, 2, 0, 0, 0)
    )
    png += struct.pack(">I", zlib.crc32(png[12:29]))
    comp = zlib.compress(raw)
    png += (
        struct.pack(">I", len(comp))
        + b"IDAT"
        + comp
        + struct.pack(">I", zlib.crc32(b"IDAT" + comp))
    )
    png += struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))
    path.write_bytes(png)
    return path


def _random_bytes(tmp: Path, name: str) -> Path:
    path = tmp / name
    path.write_bytes(os.urandom(200_000))
    return path


def _empty(tmp: Path) -> Path:
    path = tmp / "empty.xlsx"
    path.write_bytes(b"")
    return path


def _truncated_xlsx(tmp: Path) -> Path:
    ok = _valid_xlsx(tmp / "ok.xlsx").read_bytes()
    path = tmp / "truncated.xlsx"
    path.write_bytes(ok[: len(ok) // 2])
    return path


def _zip_not_spreadsheet(tmp: Path) -> Path:
    path = tmp / "photos.xlsx"
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "hello")
    path.write_bytes(buf.getvalue())
    return path


CASES = {
    "billion laughs": (_billion_laughs, "declares XML entities"),
    "billion laughs, UTF-16": (_billion_laughs_utf16, "declares XML entities"),
    "quadratic blow-up": (_quadratic_blowup, "declares XML entities"),
    "DTD after a 100 KB comment": (_doctype_in_worksheet_after_long_comment, "refused"),
    "zip bomb": (_zip_bomb, f"limit {MAX_COMPRESSION_RATIO}×"),
    "lying zip directory": (_lying_directory, "inflates beyond the size"),
    "2 GB declared": (_huge_declared_total, "would expand to 2.8 GB"),
    "PNG renamed .xlsx": (_png, "is a PNG image, not a survey export"),
    "random bytes .xlsx": (lambda t: _random_bytes(t, "noise.xlsx"), "not a spreadsheet or a text"),
    "random bytes .csv": (lambda t: _random_bytes(t, "noise.csv"), "not a spreadsheet or a text"),
    "empty file": (_empty, "is empty"),
    "truncated xlsx": (_truncated_xlsx, "is damaged"),
    "zip without a workbook": (_zip_not_spreadsheet, "cannot be read as a spreadsheet"),
    "cells at A1 and XFD1048576": (_a1_and_xfd1048576, "spans A1:XFD1048576"),
    "a header cell in column 1,000,000": (_header_in_column_one_million, "beyond Excel's"),
    "one cell at Z1048576": (_one_cell_at_z1048576, "writes only"),
    "a far cell behind a small dimension": (_far_cell_behind_a_small_dimension, "writes only"),
    "a far cell, oddly spelled": (_far_cell_with_odd_attribute_spelling, "writes only"),
    "rows and cells without references": (_rows_without_references, "refused: sheet"),
    "DTD after a 75 KB comment holding <a>": (_doctype_after_a_comment_that_looks_like_xml,
                                              "refused"),
    "200 million Parquet rows": (
        _two_hundred_million_parquet_rows,
        f"holds 200,000,000 rows (the limit is {MAX_PARQUET_ROWS:,})",
    ),
}  # fmt: skip

PROBE = textwrap.dedent(
    f"""
    import json, resource, sys, time
    limit = {ADDRESS_SPACE_GB} * 1024**3
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    from nps_xl.io import SurveyFileError, read_survey
    t = time.perf_counter()
    try:
        frame = read_survey(sys.argv[1])
        outcome = {{"ok": True, "rows": len(frame), "message": None}}
    except SurveyFileError as exc:
        outcome = {{"ok": False, "message": str(exc)}}
    outcome["seconds"] = time.perf_counter() - t
    # this process's own peak: VmHWM belongs to the memory map exec made, while ru_maxrss
    # also keeps the RSS of the test process this one was forked from
    try:
        with open("/proc/self/status") as status:
            hwm = [line for line in status if line.startswith("VmHWM:")]
        outcome["peak_mb"] = int(hwm[0].split()[1]) / 1024
    except (OSError, IndexError, ValueError):
        outcome["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(outcome))
    """
)


def _probe(path: Path) -> dict:
    proc = subprocess.run(
        [sys.executable, "-c", PROBE, str(path)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT * 3,
    )
    assert proc.returncode == 0, proc.stderr  # never an abort (-6) or a MemoryError
    assert "Traceback" not in proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("case", list(CASES))
def test_refused_in_one_line_with_bounded_time_and_memory(case, tmp_path):
    make, expected = CASES[case]
    path = make(tmp_path)
    got = _probe(path)
    assert got["ok"] is False, f"{case} was read: {got}"
    assert expected in got["message"]
    assert path.name in got["message"]
    assert "\n" not in got["message"]
    assert got["seconds"] < TIME_LIMIT
    assert got["peak_mb"] < MEMORY_LIMIT_MB, got


def test_ten_megabyte_cell_is_read_and_clipped_for_excel(tmp_path):
    """A 10 MB comment is text, not an attack: read in bounded time and memory; tidy() keeps
    Excel's 32,767-character limit and names the row."""
    path = tmp_path / "long.csv"
    with open(path, "w") as fh:
        fh.write("Score,Comment\n9,short\n")
        fh.write('3,"' + "very long complaint " * 524_288 + '"\n')
        fh.write("10,great\n")
    assert path.stat().st_size > 10_000_000
    got = _probe(path)
    assert got["ok"] is True and got["rows"] == 3
    assert got["seconds"] < TIME_LIMIT
    assert got["peak_mb"] < MEMORY_LIMIT_MB
    survey = load_survey(path)
    assert len(survey.frame.loc[3, "Comment"]) == 32_767
    assert "line 3" in survey.notes[0]


def test_the_cli_refuses_hostile_files_with_exit_code_2(tmp_path):
    path = _billion_laughs(tmp_path)
    proc = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", "summary", str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "400"},
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1 and "declares XML entities" in lines[0]


def test_a_valid_xlsx_passes_the_guards(tmp_path):
    frame = read_survey(_valid_xlsx(tmp_path / "ok.xlsx"))
    assert frame["Score"].tolist() == [9.0]


def test_guard_errors_are_value_errors():
    assert issubclass(SurveyFileError, ValueError)


def _lie_about(path: Path, part: str, claimed: int) -> Path:
    """``part``'s uncompressed size written as ``claimed`` in both its local header (offset
    22) and its central-directory entry (offset 24)."""
    data = bytearray(path.read_bytes())
    name = part.encode()
    for signature, name_length, size, header in ((b"PK\x03\x04", 26, 22, 30),
                                                 (b"PK\x01\x02", 28, 24, 46)):  # fmt: skip
        pos = data.index(signature)
        while struct.unpack_from("<H", data, pos + name_length)[0] != len(name) or (
            data[pos + header : pos + header + len(name)] != name
        ):
            pos = data.index(signature, pos + 4)
        struct.pack_into("<I", data, pos + size, claimed)
    path.write_bytes(bytes(data))
    return path


def _lying_shared_strings(tmp: Path) -> Path:
    """sharedStrings.xml declared as 2 KB; its data inflates to ~4 MB of strings."""
    strings = b"".join(b"<si><t>comment %d</t></si>" % i for i in range(200_000))
    part = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="' + _MAIN.encode() + b'">'
        b"<si><t>Score</t></si><si><t>fine</t></si>" + strings + b"</sst>"
    )
    ok = _valid_xlsx(tmp / "ok.xlsx")
    path = _rewrite(ok, tmp / "lying_strings.xlsx", {"xl/sharedStrings.xml": part})
    return _lie_about(path, "xl/sharedStrings.xml", 2_000)


def test_a_part_larger_than_declared_is_never_read_past_its_size(tmp_path):
    """The guard reads sizes from the central directory and streams only the worksheets; a
    lying part it does not scan is then bounded by the reader or by the guard (docs:
    reliability.md, "Zip bombs")."""
    from python_calamine import CalamineWorkbook

    from nps_xl.io.guards import check_zip
    from nps_xl.io.readers import _stops_at_declared_size

    path = _lying_shared_strings(tmp_path)
    assert zipfile.ZipFile(path).getinfo("xl/sharedStrings.xml").file_size == 2_000
    # python's zipfile (openpyxl's reader) stops at the declared size and fails the CRC
    with pytest.raises(zipfile.BadZipFile, match="CRC"):
        zipfile.ZipFile(path).read("xl/sharedStrings.xml")
    # python-calamine refuses to read on (this is what lets the guard skip the part) ...
    assert _stops_at_declared_size()
    with pytest.raises(Exception, match="larger than its declared uncompressed size"):
        CalamineWorkbook.from_path(str(path)).get_sheet_by_index(0).to_python()
    check_zip(path, reader_stops_at_declared_size=True)  # only the prolog of the part read
    with pytest.raises(SurveyFileError, match="declared uncompressed size"):
        read_survey(path)
    # ... while for fastexcel, which reads the strings on, the guard inflates every part
    with pytest.raises(SurveyFileError, match="inflates beyond the size"):
        check_zip(path)


def _big_sheet(path: Path, rows: int, far_at: int | None) -> Path:
    """``rows`` answers (about 40 bytes of XML each, so several of the guard's 8 MB search
    blocks) under a true dimension, and one far cell (Z1048576) after answer ``far_at``."""
    cells = [b'<row r="1"><c r="A1" t="inlineStr"><is><t>Score</t></is></c></row>']
    for r in range(2, rows + 2):
        cells.append(b'<row r="%d"><c r="A%d"><v>9</v></c></row>' % (r, r))
        if r == far_at:
            cells.append(b'<row r="1048576"><c r="Z1048576"><v>1</v></c></row>')
    return _sheet_xlsx(path, b"".join(cells), f"A1:A{rows + 1}")


@pytest.mark.parametrize("where", [0.0, 0.37, 0.5, 1.0])
def test_a_far_cell_is_found_in_any_block_of_a_big_sheet(tmp_path, where):
    """The worksheet is searched in blocks on two threads: a cell beyond the dimension is
    found wherever it lies (first block, middle, last), and a sheet without one keeps its
    dimension (no exact rescan)."""
    from nps_xl.io.guards import _BLOCK, check_zip

    rows = 600_000  # ≈ 25 MB of sheet XML: three to four search blocks
    far = 2 + int(where * (rows - 1))
    path = _big_sheet(tmp_path / "big.xlsx", rows, far)
    with zipfile.ZipFile(path) as z:
        assert z.getinfo("xl/worksheets/sheet1.xml").file_size > 3 * _BLOCK
    (extent,) = check_zip(path).values()
    assert (extent.rows, extent.columns) == (1_048_576, 26)  # the far cell, counted exactly
    clean = check_zip(_big_sheet(tmp_path / "clean.xlsx", rows, None))
    (extent,) = clean.values()
    assert (extent.rows, extent.columns, extent.exact) == (rows + 1, 1, False)
