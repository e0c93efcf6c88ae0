"""The workbooks recalculated by a real spreadsheet engine (headless LibreOffice).

Every Dashboard formula of every shipped template (all languages), of reports made by
``write_report`` and of a workbook whose Responses table was edited after writing (rows added, a
score changed) is recalculated by LibreOffice (private profile, OOXMLRecalcMode = 0) and read
back through the CSV export. Each value must equal what the Python engine (nps_xl.counts,
nps_xl.stats, nps_xl.benchmarks) computes on the answers in that workbook's Responses table.
The Dashboard is also rendered to PNG and checked not to be blank.
"""

from __future__ import annotations

import math
import os
import re
import shutil
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from nps_xl import benchmarks
from nps_xl.counts import Counts
from nps_xl.i18n import LANGUAGES, text
from nps_xl.scores import parse_scores
from nps_xl.stats import interval
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook.xlsx import TEMPLATE_FILES, read_sample_survey, write_report

pytestmark = [
    pytest.mark.libreoffice,
    pytest.mark.skipif(
        lo.find_soffice() is None,
        reason="LibreOffice (soffice) is not installed; CI installs libreoffice-calc-nogui",
    ),
]

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
#: Pictures land here so a person can look at them (the folder is not committed).
OUTPUT = Path(os.environ.get("NPS_XL_TEST_OUTPUT", ROOT / "tests" / "output"))
Z95 = 1.959963984540054
NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


# --------------------------------------------------------------------------- workbooks


def _messy_frame() -> pd.DataFrame:
    """Answers a real export has: labels, blanks, junk, a decimal, formula-like comments."""
    scores = [10, 9, "7", "10 - Extremely likely", 0, 6, None, "n/a", 11, 7.5, 8, 3, " ", 9, 5]
    n = len(scores)
    comments = ["=1+1", "+SUM(A1)", "-2", "@x", "ok", *[f"c{i}" for i in range(n - 5)]]
    return pd.DataFrame(
        {
            "Response ID": [f"R{i:03d}" for i in range(n)],
            "Date": pd.date_range("2025-01-05", periods=n, freq="9D"),
            "Score": scores,
            "Comment": comments,
            "Region": ["North", "South", "East"] * 5,
        }
    )


def _edit_responses(src: Path, dst: Path, changes: dict[int, float], extra: list[float]) -> None:
    """Edit the Responses sheet inside the zip as a user would: change scores (by 0-based data
    row), append rows to the table (the Table range grows). Dashboard caches stay stale."""
    with zipfile.ZipFile(src) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    sheet = "xl/worksheets/sheet2.xml"  # Responses is the second sheet (layout.SHEETS)
    xml = parts[sheet].decode("utf-8")
    col = L.col_letter(L.SCORE_COLUMN)
    for row, value in changes.items():
        ref = f"{col}{row + 2}"
        xml, count = re.subn(
            rf'<c r="{ref}"( s="\d+")?><v>[^<]*</v></c>', rf'<c r="{ref}"\1><v>{value}</v></c>', xml
        )
        assert count == 1, ref
    table_name = next(n for n in parts if n.startswith("xl/tables/table"))
    table = parts[table_name].decode("utf-8")
    ref = re.search(r'ref="A1:([A-Z]+)(\d+)"', table)
    last_col, last_row = ref.group(1), int(ref.group(2))
    rows = "".join(
        f'<row r="{last_row + i + 1}"><c r="{col}{last_row + i + 1}"><v>{v}</v></c></row>'
        for i, v in enumerate(extra)
    )
    xml = xml.replace("</sheetData>", rows + "</sheetData>")
    xml = re.sub(r'<dimension ref="[^"]*"/>', "", xml)
    new_last = last_row + len(extra)
    table = table.replace(f"A1:{last_col}{last_row}", f"A1:{last_col}{new_last}")
    parts[sheet], parts[table_name] = xml.encode("utf-8"), table.encode("utf-8")
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in parts.items():
            zout.writestr(name, data)


def _table_scores(path: Path) -> list:
    """The Score column of the Responses table as stored in the file (table range, padded
    with blanks), read with python-calamine — the same cells the formulas see."""
    with zipfile.ZipFile(path) as z:
        name = next(n for n in z.namelist() if n.startswith("xl/tables/table"))
        ref = ElementTree.fromstring(z.read(name)).get("ref")
    last_row = int(re.search(r"(\d+)$", ref).group(1))
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(1).to_python(skip_empty_area=False)
    values = []
    for r in range(1, last_row):
        row = rows[r] if r < len(rows) else []
        v = row[L.SCORE_COLUMN] if len(row) > L.SCORE_COLUMN else ""
        values.append(None if v == "" else v)
    return values


def _target(path: Path) -> float | None:
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_index(0).to_python(skip_empty_area=False)
    v = rows[L.FIGURE_BY_NAME["NPS_Target"].row][L.VALUE_COL]
    return None if v == "" else float(v)


def _expected(path: Path, lang: str, industry: str = "global") -> dict[str, object]:
    """Python-engine value of every Dashboard formula cell, keyed by A1 reference."""
    raw = _table_scores(path)
    parsed = parse_scores(np.asarray(raw, dtype=object), invalid="skip")
    c = Counts.from_scores(parsed.scores)
    target = _target(path)
    exp: dict[str, object] = {}
    fig = {f.name: L.cell(f.row, L.VALUE_COL) for f in L.FIGURES}
    share = {f.share_name: L.cell(f.row, L.SHARE_COL) for f in L.FIGURES if f.share_name}
    hist = np.bincount(parsed.scores.astype(int), minlength=11)
    for k in range(11):
        exp[L.cell(L.DIST_FIRST_ROW + k, L.DIST_COUNT_COL)] = float(hist[k])
    exp[fig["NPS_N"]] = float(c.n)
    exp[fig["NPS_Promoters"]] = float(c.promoters)
    exp[fig["NPS_Passives"]] = float(c.passives)
    exp[fig["NPS_Detractors"]] = float(c.detractors)
    exp[fig["NPS_Blank"]] = float(parsed.blank)
    exp[fig["NPS_Invalid"]] = float(parsed.invalid)
    bench = benchmarks.benchmark(c.nps if c.n else 0.0, industry, lang)
    for i, row in enumerate(bench.head(L.BENCH_MAX_ROWS).itertuples()):
        r = L.BENCH_FIRST_ROW + i
        exp[L.cell(r, 1)] = float(row.value)
        exp[L.cell(r, 2)] = float(row.your_gap) if c.n else ""
        exp[L.cell(r, 3)] = row.verdict if c.n else ""
    small = text("wb_small_sample", lang, min_n=L.SMALL_SAMPLE_N)
    exp[L.cell(*L.SMALL_SAMPLE_CELL)] = small if 0 < c.n < L.SMALL_SAMPLE_N else ""
    if c.n == 0:
        for name in ("NPS_Score", "NPS_Margin", "NPS_Low", "NPS_High", "NPS_Band", "NPS_Gap"):
            exp[fig[name]] = ""
        for ref in share.values():
            exp[ref] = ""
        return exp
    ci = interval(c, confidence=0.95, method="adjusted-wald")
    exp[fig["NPS_Score"]] = c.nps
    exp[fig["NPS_Margin"]] = ci.margin
    exp[fig["NPS_Low"]] = ci.low
    exp[fig["NPS_High"]] = ci.high
    exp[fig["NPS_Band"]] = benchmarks.band(c.nps, lang=lang)
    exp[fig["NPS_Gap"]] = "" if target is None else c.nps - target
    exp[share["NPS_Promoter_Share"]] = c.promoter_share
    exp[share["NPS_Passive_Share"]] = c.passive_share
    exp[share["NPS_Detractor_Share"]] = c.detractor_share
    return exp


def _cell_value(grid: list[list[str]], ref: str) -> str:
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    col = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(m.group(1)))) - 1
    row = int(m.group(2)) - 1
    return grid[row][col] if row < len(grid) and col < len(grid[row]) else ""


def _as_number(s: str) -> float:
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)


def _check(grid: list[list[str]], expected: dict[str, object], label: str) -> None:
    formulas = set(L.dashboard_formulas("en", ()))
    missing = {r for r in formulas if r not in expected}
    assert not missing, f"{label}: no expected value for formula cells {sorted(missing)}"
    for ref, want in expected.items():
        got = _cell_value(grid, ref)
        if isinstance(want, str):
            assert got == want, f"{label} {ref}: LibreOffice {got!r}, Python {want!r}"
        else:
            assert got != "", f"{label} {ref}: LibreOffice left it empty, Python {want!r}"
            assert math.isclose(_as_number(got), want, rel_tol=1e-9, abs_tol=1e-9), (
                f"{label} {ref}: LibreOffice {got}, Python {want!r}"
            )


@pytest.fixture(scope="module")
def recalculated(tmp_path_factory):
    """Build the workbooks and recalculate them all in one LibreOffice run."""
    tmp = tmp_path_factory.mktemp("lo")
    books: dict[str, tuple[Path, str]] = {}
    for lang in LANGUAGES:
        folder = TEMPLATES if lang == "en" else TEMPLATES / lang
        for name in TEMPLATE_FILES:
            src = folder / name
            assert src.exists(), f"{src} missing; run `nps-xl templates`"
            dst = tmp / f"template_{lang}_{name}"
            shutil.copy(src, dst)
            books[dst.stem] = (dst, lang)
    sample = read_sample_survey()
    segments = ["Region", "Product", "Channel", "Customer tenure"]
    report = tmp / "report_en.xlsx"
    write_report(report, sample, segments=segments, target=40, period="quarter")
    books[report.stem] = (report, "en")
    messy = tmp / "report_messy_lt.xlsx"
    write_report(messy, _messy_frame(), segments=["Region"], lang="lt", target=-5.5)
    books[messy.stem] = (messy, "lt")
    edited = tmp / "edited_en.xlsx"
    _edit_responses(TEMPLATES / TEMPLATE_FILES[1], edited, {0: 0, 5: 10}, [10, 10, 0, 7, 9])
    books[edited.stem] = (edited, "en")
    edited_empty = tmp / "edited_empty_bg.xlsx"
    _edit_responses(TEMPLATES / "bg" / TEMPLATE_FILES[0], edited_empty, {}, [10, 3, 8, 9, 9, 2])
    books[edited_empty.stem] = (edited_empty, "bg")
    csvs = lo.recalculated_csv([p for p, _ in books.values()], tmp / "csv", sheet=1)
    return {
        stem: (path, lang, lo.read_csv_grid(csvs[path])) for stem, (path, lang) in books.items()
    }


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", TEMPLATE_FILES)
def test_shipped_templates_recalculate_to_the_python_values(recalculated, lang, name):
    path, lang, grid = recalculated[f"template_{lang}_{Path(name).stem}"]
    _check(grid, _expected(path, lang), path.name)
    # the Dashboard header speaks the language
    assert grid[L.FIGURE_BY_NAME["NPS_N"].row][0] == text("total_valid", lang)


def test_sample_template_numbers_pinned(recalculated):
    """Independent of our engine: 1030 promoters, 588 passives, 350 detractors (the sample's
    own counts) give NPS 100·680/1968 and the adjusted-Wald margin by hand."""
    _, _, grid = recalculated["template_en_nps_dashboard"]
    n, pro, det = 1968, 1030, 350
    assert _as_number(_cell_value(grid, "B5")) == n
    assert math.isclose(_as_number(_cell_value(grid, "B9")), 100 * (pro - det) / n, rel_tol=1e-12)
    p, d = (pro + 0.75) / (n + 3), (det + 0.75) / (n + 3)
    margin = 100 * Z95 * math.sqrt((p + d - (p - d) ** 2) / (n + 3))
    assert math.isclose(_as_number(_cell_value(grid, "B10")), margin, rel_tol=1e-9)


@pytest.mark.parametrize("stem", ["report_en", "report_messy_lt", "edited_en", "edited_empty_bg"])
def test_reports_and_edited_tables_recalculate_to_the_python_values(recalculated, stem):
    path, lang, grid = recalculated[stem]
    _check(grid, _expected(path, lang), path.name)


def test_edited_table_changes_the_figures(recalculated):
    """The edit really reached the formulas: n grew by 5 and the counts moved."""
    _, _, before = recalculated["template_en_nps_dashboard"]
    _, _, after = recalculated["edited_en"]
    n_before = _as_number(_cell_value(before, "B5"))
    assert _as_number(_cell_value(after, "B5")) == n_before + 5
    _, _, empty = recalculated["edited_empty_bg"]
    assert _as_number(_cell_value(empty, "B5")) == 6  # 10, 3, 8, 9, 9, 2
    assert math.isclose(_as_number(_cell_value(empty, "B9")), 100 * (3 - 2) / 6, rel_tol=1e-12)


def test_messy_report_counts_blank_and_invalid(recalculated):
    _, _, grid = recalculated["report_messy_lt"]
    # n/a, 11 and 7.5 are invalid; None and " " are blank; "7" and the label are valid
    assert _as_number(_cell_value(grid, "B17")) == 3
    assert _as_number(_cell_value(grid, "B16")) == 2
    assert _as_number(_cell_value(grid, "B5")) == 10


@pytest.mark.parametrize("lang", ["en", "zh-Hans"])
def test_dashboard_renders_to_a_picture(tmp_path, lang):
    folder = TEMPLATES if lang == "en" else TEMPLATES / lang
    book = tmp_path / f"dashboard_{lang}.xlsx"
    shutil.copy(folder / TEMPLATE_FILES[1], book)
    out = OUTPUT / "dashboard"
    pngs = lo.render_png(book, out, dpi=110)
    assert pngs and pngs[0].stat().st_size > 20_000
    pixels = lo.page_pixels(out / f"{book.stem}.pdf", dpi=40).astype(float)
    assert pixels.std() > 20, "the rendered Dashboard looks blank"
    # ink in each quarter of the page: figures top left, charts right and bottom
    h, w = pixels.shape
    for part in (pixels[: h // 2, : w // 2], pixels[: h // 2, w // 2 :], pixels[h // 2 :, :]):
        assert (part < 128).mean() > 0.003
