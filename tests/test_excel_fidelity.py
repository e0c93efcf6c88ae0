"""What real Excel does that LibreOffice forgives: every workbook we ship or write is checked
by the stand-ins for Excel in ``tests/ooxml.py`` (ECMA-376 schemas, the package rules, the
SpreadsheetML rules Excel enforces, the ribbon's VBA callbacks).

Checked: the shipped templates (every language) and add-in, the demo report, a report in every
language, a streamed report (Responses written in constant_memory mode), and reports of hostile
text in comments, ids, segment names and values, and scores — both ways of writing text
(shared strings and the streamed sheet's inline strings). The hostile text must also read back
exactly as given (cut, with a mark, only past Excel's 32,767 characters per cell).
"""

from __future__ import annotations

import warnings
import zipfile
from pathlib import Path

import ooxml
import pandas as pd
import pytest
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.excel import addin
from nps_xl.i18n import LANGUAGES, text
from nps_xl.workbook import cells, xlsx
from nps_xl.workbook import layout as L
from nps_xl.workbook.xlsx import read_sample_survey, write_report

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
SHIPPED = sorted([*TEMPLATES.glob("**/*.xlsx"), *TEMPLATES.glob("**/*.xlam")], key=str)
SEGMENTS = ["Region", "Product", "Channel", "Customer tenure"]

#: Text that breaks writers: XlsxWriter's pre-built rich-string marker (malformed, invalid,
#: silently changed), control characters, Excel's own _xHHHH_ escape, a non-character,
#: a formula, more than a cell holds, and text that looks like a number or a date.
HOSTILE = (
    "<r>a & b</r>",
    "<r>x</r>",
    "<r><t>hi</t></r>",
    "<r>\x01 and _x0041_ and \ufffe</r>",
    "bell\x07, escape\x1b, unit separator\x1f",
    "carriage return\r\nand\ttab",
    "_x0041_",
    "_x0041_x0042_",
    "non-character \ufffe and \uffff",
    '=HYPERLINK("http://x","y")',
    "@SUM(A1)",
    "x" * 40_000,
    "<r>" + "&" * 33_000 + "</r>",
    "<r>" + "&" * 8_000 + "_x0041_</r>",  # fits a cell, but not once escaped
    "😀" * 20_000,
    "1e1",
    "0012",
    "2025-05",
    "  spaces around  ",
)
#: Segment columns Excel would refuse as Table headers as they are.
HOSTILE_SEGMENTS = ("Region", "REGION", "SCORE", "<r>x & y</r>", "_x0041_", "tab\there")


def _problems(path: Path) -> str:
    found = ooxml.package_problems(path)
    return "\n".join(found)


# --------------------------------------------------------------------------- workbooks


def test_the_schemas_are_there():
    """CI puts shared/ beside the repository; without it the checks below cannot run."""
    folder = ooxml.schema_dir()
    assert (folder / "sml.xsd").is_file()
    ooxml.schema("sml.xsd")


def _hostile_frame() -> pd.DataFrame:
    n = len(HOSTILE)
    scores = [*HOSTILE]
    scores[0:3] = [9, "10 ", 3]  # valid answers too, so the report has figures
    frame = pd.DataFrame(
        {
            "Response ID": list(HOSTILE),
            "Date": pd.date_range("2025-01-01", periods=n, freq="5D"),
            "Score": scores,
            "Comment": list(reversed(HOSTILE)),
        }
    )
    for j, name in enumerate(HOSTILE_SEGMENTS):
        frame[name] = [HOSTILE[(i + j) % n] for i in range(n)]
    return frame


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> dict[str, Path]:
    """Every kind of workbook we write, built once."""
    tmp = tmp_path_factory.mktemp("fidelity")
    out: dict[str, Path] = {}
    demo = tmp / "demo.xlsx"
    result = CliRunner().invoke(app, ["demo", "-o", str(demo)], env={"NO_COLOR": "1"})
    assert result.exit_code == 0, result.output
    out["demo"] = demo
    sample = read_sample_survey()
    for lang in LANGUAGES:
        path = tmp / f"report_{lang}.xlsx"
        write_report(path, sample, segments=SEGMENTS, lang=lang, target=30, period="quarter")
        out[f"report_{lang}"] = path
    hostile = _hostile_frame()
    with pytest.MonkeyPatch.context() as mp, warnings.catch_warnings():
        warnings.simplefilter("ignore", cells.TextCutWarning)
        write_report(tmp / "hostile.xlsx", hostile, segments=HOSTILE_SEGMENTS)
        mp.setattr(xlsx, "STREAM_ANSWERS_FROM", 10)
        write_report(tmp / "streamed.xlsx", sample.head(300), segments=SEGMENTS, lang="lt")
        write_report(tmp / "hostile_streamed.xlsx", hostile, segments=HOSTILE_SEGMENTS)
    for name in ("hostile", "streamed", "hostile_streamed"):
        out[name] = tmp / f"{name}.xlsx"
    return out


def test_the_streamed_reports_really_stream(reports):
    for name in ("streamed", "hostile_streamed"):
        with zipfile.ZipFile(reports[name]) as z:
            assert b't="inlineStr"' in z.read("xl/worksheets/sheet2.xml"), name
    with zipfile.ZipFile(reports["hostile"]) as z:
        assert b't="inlineStr"' not in z.read("xl/worksheets/sheet2.xml")


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(TEMPLATES)))
def test_shipped_files_are_what_excel_opens(path):
    assert not _problems(path), _problems(path)


@pytest.mark.parametrize(
    "name",
    ["demo", *[f"report_{lang}" for lang in LANGUAGES], "streamed", "hostile", "hostile_streamed"],
)
def test_written_reports_are_what_excel_opens(reports, name):
    assert not _problems(reports[name]), _problems(reports[name])


def test_a_fresh_addin_is_what_excel_opens(tmp_path):
    built = addin.build_addin(tmp_path / "nps_xl.xlam", lang="lt")
    assert not _problems(built), _problems(built)
    assert not ooxml.ribbon_problems(built)


def test_the_shipped_ribbon_calls_subs_of_its_vba():
    """onAction="RibbonMyAddin.RunMain" is xlwings' Sub RunMain(control As IRibbonControl)."""
    shipped = TEMPLATES / addin.ADDIN_NAME
    assert not ooxml.ribbon_problems(shipped)
    subs = ooxml.vba_subs(zipfile.ZipFile(shipped).read("xl/vbaProject.bin"))
    assert "IRibbonControl" in subs[("ribbonmyaddin", "runmain")]


# --------------------------------------------------------------------------- hostile text


def _table_columns(path: Path) -> dict[str, int]:
    grid = ooxml.sheet_cells(path, text("sheet_responses", "en"))
    return {value: col for (row, col), value in grid.items() if row == 1}


@pytest.mark.parametrize("name", ["hostile", "hostile_streamed"])
def test_hostile_text_reads_back_exactly(reports, name):
    """Every cell shows the characters given (past 32,767: the first ones and the mark)."""
    path = reports[name]
    frame = _hostile_frame()
    grid = ooxml.sheet_cells(path, text("sheet_responses", "en"))
    headers = cells.unique_headers(
        [text(k, "en") for k in L.RESPONSE_COLUMNS] + list(HOSTILE_SEGMENTS)
    )
    assert [grid[(1, j + 1)] for j in range(len(headers))] == headers
    for column in ("Response ID", "Comment", *HOSTILE_SEGMENTS):
        col = list(frame.columns).index(column) + 1  # the table keeps the frame's order
        for i, given in enumerate(frame[column]):
            shown = grid.get((i + 2, col))
            assert shown == cells.excel_text(given), (column, i, given[:40], str(shown)[:40])
    for i, given in enumerate(frame["Score"]):  # invalid answers stay text, as typed
        shown = grid.get((i + 2, L.SCORE_COLUMN + 1))
        want = float(str(given).strip()) if i < 3 else cells.excel_text(given)
        assert shown == want, (i, str(given)[:40], str(shown)[:40])
    # the Invalid answers sheet lists the same text
    invalid = ooxml.sheet_cells(path, text("sheet_invalid", "en"))
    listed = [v for (row, col), v in sorted(invalid.items()) if col == 2 and row > 1]
    assert listed == [cells.excel_text(s) for s in HOSTILE[3:]]


@pytest.mark.parametrize("stream", [False, True], ids=["shared", "streamed"])
def test_rich_string_lookalikes_stay_plain_text(tmp_path, monkeypatch, stream):
    """XlsxWriter writes a string shaped ``<r>…</r>`` unescaped as pre-built rich text: in
    Responses (shared strings, or inline when streamed) and on Follow-up alike."""
    lookalikes = ["<r>a & b</r>", "<r>x</r>", "<r><t>hi</t></r>", "<r>\x01_x0041_</r>"]
    frame = pd.DataFrame(
        {
            "Response ID": lookalikes,
            "Score": [1, 2, 3, 4],
            "Comment": list(reversed(lookalikes)),
            "Date": pd.date_range("2025-03-01", periods=4),
        }
    )
    if stream:
        monkeypatch.setattr(xlsx, "STREAM_ANSWERS_FROM", 1)
    path = write_report(tmp_path / "r.xlsx", frame)
    assert not _problems(path), _problems(path)
    responses = ooxml.sheet_cells(path, text("sheet_responses", "en"))
    followup = ooxml.sheet_cells(path, text("sheet_followup", "en"))
    for grid in (responses, followup):
        shown = {v for v in grid.values() if isinstance(v, str) and v.startswith("<r>")}
        assert shown == set(lookalikes)


def test_text_past_the_cell_limit_is_cut_with_a_mark_and_a_warning(tmp_path):
    frame = pd.DataFrame({"Score": [9, 3], "Comment": ["y" * 40_000, "😀" * 20_000]})
    with pytest.warns(cells.TextCutWarning, match="32,767") as caught:
        write_report(tmp_path / "long.xlsx", frame)
    assert "Responses" in str(caught[0].message)
    grid = ooxml.sheet_cells(tmp_path / "long.xlsx", text("sheet_responses", "en"))
    comment = text("comment", "en")
    col = next(c for (r, c), v in grid.items() if r == 1 and v == comment)
    first, second = grid[(2, col)], grid[(3, col)]
    assert first == "y" * (32_767 - 3) + "[…]"
    assert cells.utf16_len(second) <= 32_767 and second.endswith("😀[…]")


def test_excel_text_never_splits_a_surrogate_pair():
    for prefix in ("", "a"):
        cut = cells.excel_text(prefix + "😀" * 20_000)
        assert cells.utf16_len(cut) <= cells.EXCEL_MAX_TEXT
        cut.encode("utf-8")  # would raise on half a pair


# --------------------------------------------------------------------------- table headers


@pytest.mark.parametrize(
    "segments",
    [("Region", "REGION"), ("score",), ("Score Group", "score group", "SCORE GROUP")],
    ids=["case", "score", "three"],
)
def test_segments_differing_only_in_case_make_a_valid_table(tmp_path, segments):
    """Excel compares Table column names without case; the later ones get " (2)", " (3)"."""
    frame = pd.DataFrame({"Score": [9, 3, 7], **{s: ["a", "b", "c"] for s in segments}})
    path = write_report(tmp_path / "seg.xlsx", frame, segments=segments)
    assert not _problems(path), _problems(path)
    grid = ooxml.sheet_cells(path, text("sheet_responses", "en"))
    header = [v for (r, c), v in sorted(grid.items()) if r == 1]
    assert len({h.casefold() for h in header}) == len(header)
    assert header[: len(L.RESPONSE_COLUMNS)] == [text(k, "en") for k in L.RESPONSE_COLUMNS]
    assert header[len(L.RESPONSE_COLUMNS)] == segments[0] or segments == ("score",)


@pytest.mark.parametrize("segment", ["score", "date"])
def test_a_segment_named_like_a_fixed_column_keeps_its_own_data(tmp_path, segment):
    frame = pd.DataFrame(
        {"Score": [9, 3], "Date": ["2025-01-02", "2025-02-03"], segment: ["north", "south"]}
    )
    path = write_report(tmp_path / "seg.xlsx", frame, segments=[segment])
    grid = ooxml.sheet_cells(path, text("sheet_responses", "en"))
    col = len(L.RESPONSE_COLUMNS) + 1
    assert [grid.get((2, col)), grid.get((3, col))] == ["north", "south"]


def test_the_cli_writes_case_insensitive_duplicate_segments(tmp_path):
    data = tmp_path / "answers.csv"
    data.write_text("Answer,Region,REGION,score\n9,a,b,c\n3,x,y,z\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    args = ["report", str(data), "-o", str(out), "--score", "Answer"]
    args += ["--segment", "Region", "--segment", "REGION", "--segment", "score"]
    result = CliRunner().invoke(app, args, env={"NO_COLOR": "1", "COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    assert not _problems(out), _problems(out)


def test_unique_headers_rules():
    assert cells.unique_headers(["a", "A", "a (2)", None, "x" * 300]) == [
        "a",
        "A (3)",
        "a (2)",
        "Column4",
        "x" * 255,
    ]
    long = cells.unique_headers(["y" * 300, "Y" * 300])
    assert long[1] == "Y" * 251 + " (2)" and len(long[1]) == 255


def test_xstring_round_trips_through_excels_decoding():
    for s in ("_x0041_", "a\x01b", "line\nbreak", "\ufffe", "_x005F_", "plain"):
        assert ooxml.xstring(cells.xstring(s)) == s


# --------------------------------------------------------------------------- number formats


def test_number_formats_quote_non_ascii_literals():
    """Excel reads ``±0.0`` as an unknown code; ``"±"0.0`` or ``\\±0.0`` is the literal."""
    codes = [f.number_format for f in L.FIGURES]
    codes += [*L.NUMBER_FORMATS.values(), *L.BENCH_FORMATS.values(), L.SHARE_FORMAT]
    for code in codes:
        assert not ooxml.number_format_problems(code), code
    assert ooxml.number_format_problems("±0.0")  # the check itself sees the defect


# --------------------------------------------------------------------------- the checks


def _mutated(src: Path, dst: Path, part: str, change) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item.filename, change(data) if item.filename == part else data)
    return dst


@pytest.mark.parametrize(
    ("part", "old", "new", "finding"),
    [
        ("xl/sharedStrings.xml", b"<t>Score</t>", b"<r>a & b</r>", "not well-formed"),
        ("xl/sharedStrings.xml", b"<t>Score</t>", b"<r>x</r>", "invalid against sml.xsd"),
        ("xl/sharedStrings.xml", b'count="', b'count="1', "cells use shared strings"),
        ("xl/tables/table1.xml", b'name="Date"', b'name="score"', "repeats"),
        ("xl/workbook.xml", b"<sheets>", b'<mc:AlternateContent xmlns:mc="http://schemas.'
         b'openxmlformats.org/markup-compatibility/2006"><mc:Choice Requires="x15">'
         b"</mc:Choice></mc:AlternateContent><sheets>", "empty mc:Choice"),
        ("[Content_Types].xml", b'<Override PartName="/xl/styles.xml"', b"<Override PartName="
         b'"/xl/nothing.xml"', "is not one for a styles"),
        ("xl/worksheets/sheet2.xml", b'<c r="A2"', b'<c r="Z2"', "out of order"),
    ],
    ids=["malformed", "schema", "count", "column", "mc", "content-type", "order"],
)  # fmt: skip
def test_the_checks_catch_what_excel_refuses(tmp_path, part, old, new, finding):
    src = TEMPLATES / "nps_dashboard.xlsx"
    bad = _mutated(src, tmp_path / "bad.xlsx", part, lambda b: b.replace(old, new, 1))
    assert zipfile.ZipFile(bad).read(part) != zipfile.ZipFile(src).read(part)
    found = _problems(bad)
    assert finding in found, found


def test_the_checks_see_a_ribbon_callback_without_a_sub(tmp_path):
    src = TEMPLATES / addin.ADDIN_NAME
    bad = _mutated(
        src,
        tmp_path / "bad.xlam",
        "customUI/customUI.xml",
        lambda b: b.replace(b"RibbonMyAddin.RunMain", b"RibbonMyAddin.NoSuchSub"),
    )
    assert any("NoSuchSub" in p for p in ooxml.ribbon_problems(bad))


def test_chart_categories_are_read_as_their_cells(reports):
    assert not ooxml.chart_category_problems(reports["report_en"])


def test_cells_examples_run():
    import doctest

    assert doctest.testmod(cells).failed == 0
