"""What a report looks like on paper and in its charts.

* Page setup read from the sheet XML, by Excel's rules (which LibreOffice relaxes): "fit to
  pages" only counts when ``sheetPr/pageSetUpPr fitToPage="1"`` (ECMA-376 Part 1 §18.3.1.65);
  ``pageSetup fitToHeight="0"`` means as many pages tall as needed (§18.3.1.63); the repeated
  header row is the sheet-scoped defined name ``_xlnm.Print_Titles`` = ``'Sheet'!$1:$1``
  (§18.2.5). Orientation is checked against the widths of the sheet's own ``<cols>``.
* The demo report printed by LibreOffice (whole workbook → PDF, pages counted by poppler's
  ``pdfinfo``, each page's sheet read from its footer): the Dashboard on exactly one page, every
  other sheet at most one page per 40 of its rows (counted independently with python-calamine)
  plus one, its header on every page.
* Charts: category labels are text caches of the sheet's own cells (``c:strRef``), below the
  plot (``tickLblPos="low"``), turned so they never wrap; in the PDF each period label is one
  word and each chart title one line.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from lxml import etree
from python_calamine import CalamineWorkbook

from nps_xl.i18n import LANGUAGES, text
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
C = "http://schemas.openxmlformats.org/drawingml/2006/chart"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS = {"m": M, "c": C, "a": A}
ROWS_PER_PAGE = 40


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> Path:
    """The report ``nps-xl demo`` writes (through the CLI, as a user makes it)."""
    folder = tmp_path_factory.mktemp("demo")
    out = folder / "nps_demo_report.xlsx"
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", "demo", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


@pytest.fixture(scope="module")
def questions(tmp_path_factory) -> Path:
    """A report of three NPS questions (``--score`` repeated): Dashboard 2 and 3 follow."""
    import sys

    import pandas as pd

    folder = tmp_path_factory.mktemp("questions")
    scores = {
        "Recommend us": [10, 9, 9, 7, 3, 10, 8, 2],
        "Recommend the app": [6, 6, 9, 10, 10, 7, 5, 9],
        "Recommend working here": [9, 8, 7, 3, 4, 10, 10, 10],
    }
    dates = [f"2025-0{1 + i % 3}-1{i}" for i in range(8)]
    pd.DataFrame({"Date": dates, **scores}).to_csv(folder / "three.csv", index=False)
    out = folder / "three.xlsx"
    args = [arg for q in scores for arg in ("--score", q)]
    cmd = [sys.executable, "-m", "nps_xl.cli", "report", str(folder / "three.csv"), "-o"]
    done = subprocess.run([*cmd, str(out), *args], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    return out


def _sheets(path: Path) -> list[tuple[str, etree._Element]]:
    """``[(sheet name, worksheet XML)]`` in workbook order."""
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
        rels = etree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
        target = {r.get("Id"): r.get("Target") for r in rels}
        out = []
        for s in book.iterfind("m:sheets/m:sheet", NS):
            part = "xl/" + target[s.get(f"{{{R}}}id")].lstrip("/").removeprefix("xl/")
            out.append((s.get("name"), etree.fromstring(z.read(part))))
        return out


def _defined(path: Path) -> dict[tuple[str, int | None], str]:
    with zipfile.ZipFile(path) as z:
        book = etree.fromstring(z.read("xl/workbook.xml"))
    out = {}
    for d in book.iterfind("m:definedNames/m:definedName", NS):
        local = d.get("localSheetId")
        out[(d.get("name"), None if local is None else int(local))] = d.text
    return out


def _width_px(sheet: etree._Element) -> float:
    """Sum of the used columns' widths in pixels (Excel: 7 px per character + 5 padding);
    a column without a ``<col>`` is 64 px."""
    widths = {}
    for col in sheet.iterfind("m:cols/m:col", NS):
        for j in range(int(col.get("min")), int(col.get("max")) + 1):
            widths[j] = int(float(col.get("width")) * 7 + 0.5)  # width includes the padding
    ref = sheet.find("m:dimension", NS).get("ref").split(":")[-1]
    last = sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(re.sub(r"\d", "", ref))))
    last = max(last, max(widths, default=1))
    return sum(widths.get(j, 64) for j in range(1, last + 1))


def _files() -> list[Path]:
    return sorted(TEMPLATES.rglob("*.xlsx"))


@pytest.mark.parametrize(
    "name", ["demo", "questions", *[str(p.relative_to(TEMPLATES)) for p in _files()]]
)
def test_every_sheet_has_excels_print_setup(request, name):
    path = request.getfixturevalue(name) if name in ("demo", "questions") else TEMPLATES / name
    defined = _defined(path)
    sheets = _sheets(path)
    lang = next((lg for lg in LANGUAGES if text("sheet_dashboard", lg) == sheets[0][0]), "en")
    names = {text(f"sheet_{sid}", lang): sid for sid in L.SHEETS}
    assert [names.get(n) for n, _ in sheets[: len(L.SHEETS)]] == list(L.SHEETS)
    for index, (sheet_name, sheet) in enumerate(sheets):
        sid = names.get(sheet_name, "question")
        fit = sheet.find("m:sheetPr/m:pageSetUpPr", NS)
        assert fit is not None and fit.get("fitToPage") == "1", sheet_name  # Excel's switch
        setup = sheet.find("m:pageSetup", NS)
        assert setup.get("paperSize") == "9", sheet_name  # A4
        assert setup.get("fitToWidth", "1") == "1", sheet_name
        tall = "1" if sid in ("dashboard", "question") else "0"
        assert setup.get("fitToHeight", "1") == tall, sheet_name
        margins = sheet.find("m:pageMargins", NS)
        printable = (8.27 - float(margins.get("left")) - float(margins.get("right"))) * 96
        wide = _width_px(sheet) > printable / 0.7  # portrait would shrink below 70 %
        if sid == "dashboard":
            wide = True  # the four charts stand right of the tables
        elif sid in ("about", "question"):
            wide = False
        assert setup.get("orientation") == ("landscape" if wide else "portrait"), sheet_name
        footer = sheet.find("m:headerFooter/m:oddFooter", NS)
        assert footer is not None and "&A" in footer.text and "&P" in footer.text
        quoted = "'" + sheet_name.replace("'", "''") + "'"
        titles = defined.get(("_xlnm.Print_Titles", index))
        if sid in ("dashboard", "about", "question"):
            assert titles is None, sheet_name
        else:
            # quotes are optional around a name of letters, digits and underscores only
            plain = re.fullmatch(r"[^\W\d]\w*", sheet_name) is not None
            assert titles in {f"{quoted}!$1:$1", *([f"{sheet_name}!$1:$1"] if plain else [])}
    dash_area = defined[("_xlnm.Print_Area", 0)]
    assert dash_area.endswith("!$A$1:$S$53")
    for index, (sheet_name, _) in enumerate(sheets):
        if sheet_name not in names:  # a further question's Dashboard: its figures and table
            assert defined[("_xlnm.Print_Area", index)].endswith("!$A$1:$G$30")
    if name == "questions":
        assert [n for n, _ in sheets][-2:] == ["Dashboard 2", "Dashboard 3"]


def test_wide_tables_print_landscape_and_long_ones_portrait(demo):
    """The demo's Trend (12 columns) and Segments (15) are landscape, its Responses (8
    columns, 2,000 rows) portrait — the rule above on real widths."""
    orient = {n: s.find("m:pageSetup", NS).get("orientation") for n, s in _sheets(demo)}
    assert orient[text("sheet_trend")] == "landscape"
    assert orient[text("sheet_segments")] == "landscape"
    assert orient[text("sheet_responses")] == "portrait"


# --------------------------------------------------------------------------- charts


def _charts(path: Path) -> list[etree._Element]:
    with zipfile.ZipFile(path) as z:
        names = sorted(
            (n for n in z.namelist() if re.fullmatch(r"xl/charts/chart\d+\.xml", n)),
            key=lambda n: int(re.search(r"\d+", n).group()),
        )
        return [etree.fromstring(z.read(n)) for n in names]


def _column(path: Path, sheet: str, col: int) -> list[str]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()
    return [str(r[col]) for r in rows[1:] if len(r) > col and r[col] != ""]


@pytest.mark.parametrize("name", ["demo", "nps_dashboard.xlsx", "lt/nps_dashboard.xlsx"])
def test_chart_labels_are_the_cells_as_written_below_the_plot(demo, name):
    path = demo if name == "demo" else TEMPLATES / name
    lang = "lt" if name.startswith("lt/") else "en"
    _mix, dist, trend, segments = _charts(path)
    periods = _column(path, text("sheet_trend", lang), 0)
    groups = _column(path, text("sheet_segments", lang), 1)
    assert periods and groups
    for chart, labels in ((trend, periods), (segments, groups)):
        for cat in chart.iter(f"{{{C}}}cat"):
            ref = cat[0]
            assert etree.QName(ref).localname == "strRef"  # text, one level
            cache = [p.findtext("c:v", namespaces=NS) for p in ref.iterfind(".//c:pt", NS)]
            assert cache == labels
    for chart in (dist, trend, segments):
        (axis,) = chart.iterfind(".//c:catAx", NS)
        assert axis.find("c:tickLblPos", NS).get("val") == "low"
    for chart in (trend, segments):
        (axis,) = chart.iterfind(".//c:catAx", NS)
        rot = int(axis.find("c:txPr/a:bodyPr", NS).get("rot"))
        assert rot != 0  # turned labels are never wrapped


# --------------------------------------------------------------------------- on paper

needs_lo = pytest.mark.skipif(
    lo.find_soffice() is None or shutil.which("pdfinfo") is None,
    reason="LibreOffice and poppler are installed in CI (scripts/install_system_deps.sh)",
)


@pytest.fixture(scope="module")
def demo_pdf(demo, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("pdf")
    lo.convert([demo], "pdf", folder)
    pdf = folder / "nps_demo_report.pdf"
    assert pdf.exists()
    return pdf


def _pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", info.stdout, re.MULTILINE).group(1))


def _page_text(pdf: Path, page: int, *args: str) -> str:
    cmd = ["pdftotext", *args, "-f", str(page), "-l", str(page), str(pdf), "-"]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


_FOOTER = re.compile(r"^\s*(\S.*?)\s{2,}(\d+) / (\d+)\s*$")


@pytest.mark.libreoffice
@needs_lo
def test_the_demo_prints_about_one_page_per_40_rows(demo, demo_pdf):
    book = CalamineWorkbook.from_path(str(demo))
    rows = {}
    for name in book.sheet_names:  # data rows below the header row, counted from the cells
        grid = book.get_sheet_by_name(name).to_python()
        rows[name] = sum(any(v != "" for v in r) for r in grid[1:])
    total = _pages(demo_pdf)
    assert total <= len(rows) + sum(rows.values()) / ROWS_PER_PAGE
    per_sheet: dict[str, list[int]] = {}
    for page in range(1, total + 1):
        lines = [ln for ln in _page_text(demo_pdf, page, "-layout").splitlines() if ln.strip()]
        m = _FOOTER.match(lines[-1])
        assert m and int(m.group(2)) == page and int(m.group(3)) == total, lines[-1]
        per_sheet.setdefault(m.group(1), []).append(page)
    assert set(per_sheet) == set(rows)
    assert per_sheet[text("sheet_dashboard")] == [1]
    for name, pages in per_sheet.items():
        assert len(pages) <= 1 + rows[name] / ROWS_PER_PAGE, name
    # the header row on every page of a long table
    header = text("response_id")
    for sid in ("responses", "followup"):
        pages = per_sheet[text(f"sheet_{sid}")]
        assert len(pages) > 1
        for page in pages:
            assert header in _page_text(demo_pdf, page), (sid, page)


@pytest.mark.libreoffice
@needs_lo
@pytest.mark.parametrize("lang", ["en", "lt", "bg"])
def test_the_printed_charts_keep_labels_and_titles_whole(demo, demo_pdf, lang, tmp_path):
    """The demo (English) and the filled templates of the languages written with spaces."""
    if lang != "en":
        demo = TEMPLATES / lang / "nps_dashboard.xlsx"
        lo.convert([demo], "pdf", tmp_path)
        demo_pdf = tmp_path / "nps_dashboard.pdf"
    words = _page_text(demo_pdf, 1, "-bbox")
    found = [
        (html_unescape(m.group(5)), float(m.group(2)))
        for m in re.finditer(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>',
            words,
        )
    ]
    # turned labels come out of pdftotext's raw mode, one word each
    present = set(_page_text(demo_pdf, 1, "-raw").split())
    for period in _column(demo, text("sheet_trend", lang), 0):
        assert period in present, period  # "2025-05", not "2025" and "-05"
    # (pdftotext splits turned words with wide letters, "N|orth": the group labels are
    # checked in the chart XML above)
    for key in ("chart_category_mix", "chart_distribution", "chart_trend", "chart_by_segment"):
        title = text(key, lang).split()
        tops = [y for w, y in found if w == title[0]]
        assert tops, key
        # every word of the title on the first word's line (one yMin, within a point)
        assert any(
            all(any(w == word and abs(y - top) < 1 for w, y in found) for word in title)
            for top in tops
        ), key


def html_unescape(s: str) -> str:
    import html

    return html.unescape(s)
