"""The xlwings Lite workbooks (workbook_templates/**/nps_lite.xlsx).

Each is the template nps_survey.xlsx of its language, every part unchanged, plus the xlwings
Lite add-in's parts in the format xlwings Lite itself saves ([MS-OWEXML] web extension and task
pane parts): main.py is nps_xl/excel/lite_main.py byte for byte, requirements.txt names nps-xl
and its Lite-safe dependencies. Checked as a package (tests/ooxml.py: schemas, content types,
relationships) and recalculated by LibreOffice to the numbers of the template.
"""

from __future__ import annotations

import json
import posixpath
import shutil
import zipfile
from pathlib import Path

import pytest
from defusedxml import ElementTree
from ooxml import package_problems
from packaging.requirements import Requirement

from nps_xl.excel import lite
from nps_xl.i18n import LANGUAGES
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES = ROOT / "workbook_templates"
WE = "{http://schemas.microsoft.com/office/webextensions/webextension/2010/11}"
WETP = "{http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11}"
R_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"


def folder(lang: str) -> Path:
    return TEMPLATES if lang == "en" else TEMPLATES / lang


def parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {name: z.read(name) for name in z.namelist()}


def properties(path: Path) -> dict[str, str]:
    root = ElementTree.fromstring(parts(path)[lite.WEBEXTENSION_PART])
    return {
        p.get("name"): json.loads(p.get("value"))
        for p in root.find(f"{WE}properties").findall(f"{WE}property")
    }


def test_regenerated_lite_workbooks_match_the_committed_ones(tmp_path: Path) -> None:
    written = lite.write_lite_templates(tmp_path)
    assert len(written) == len(LANGUAGES)
    for path in written:
        committed = TEMPLATES / path.relative_to(tmp_path)
        assert committed.exists(), f"{committed} missing; run `nps-xl templates`"
        assert parts(path) == parts(committed), f"{committed} is stale; run `nps-xl templates`"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lite_workbook_is_the_template_plus_the_addin_parts(lang: str) -> None:
    lite_book = parts(folder(lang) / lite.LITE_FILE)
    template = parts(folder(lang) / "nps_survey.xlsx")
    added = {
        lite.TASKPANES_PART,
        "xl/webextensions/_rels/taskpanes.xml.rels",
        lite.WEBEXTENSION_PART,
    }
    assert set(lite_book) == set(template) | added
    changed = {n for n in template if lite_book[n] != template[n]}
    assert changed == {"[Content_Types].xml", "_rels/.rels"}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_lite_parts_are_wired_as_excel_expects(lang: str) -> None:
    path = folder(lang) / lite.LITE_FILE
    assert package_problems(path) == []
    p = parts(path)
    types = ElementTree.fromstring(p["[Content_Types].xml"])
    overrides = {o.get("PartName"): o.get("ContentType") for o in types.iter(f"{CT}Override")}
    assert (
        overrides[f"/{lite.TASKPANES_PART}"]
        == "application/vnd.ms-office.webextensiontaskpanes+xml"
    )
    assert overrides[f"/{lite.WEBEXTENSION_PART}"] == "application/vnd.ms-office.webextension+xml"
    rels = ElementTree.fromstring(p["_rels/.rels"])
    to_panes = [r for r in rels.iter(f"{PKG}Relationship") if r.get("Type") == lite.REL_TASKPANES]
    assert [r.get("Target") for r in to_panes] == [lite.TASKPANES_PART]
    assert len({r.get("Id") for r in rels.iter(f"{PKG}Relationship")}) == len(list(rels))
    # the task pane points, through its relationships, at the web extension part
    panes = ElementTree.fromstring(p[lite.TASKPANES_PART])
    ref = panes.find(f"{WETP}taskpane/{WETP}webextensionref").get(R_ID)
    pane_rels = ElementTree.fromstring(p["xl/webextensions/_rels/taskpanes.xml.rels"])
    target = {r.get("Id"): r for r in pane_rels.iter(f"{PKG}Relationship")}[ref]
    assert target.get("Type") == lite.REL_WEBEXTENSION
    assert posixpath.join("xl/webextensions", target.get("Target")) == lite.WEBEXTENSION_PART
    extension = ElementTree.fromstring(p[lite.WEBEXTENSION_PART])
    reference = extension.find(f"{WE}reference")
    assert (reference.get("id"), reference.get("storeType")) == ("wa200008175", "OMEX")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_main_py_and_requirements_txt_inside_the_workbook(lang: str) -> None:
    props = properties(folder(lang) / lite.LITE_FILE)
    main_py = (ROOT / "nps_xl" / "excel" / "lite_main.py").read_text(encoding="utf-8")
    assert props["main.py"] == main_py  # line breaks survived the XML attribute
    assert props["pyodideVersion"] == lite.PYODIDE_VERSION
    lines = [line.split("#")[0].strip() for line in props["requirements.txt"].splitlines()]
    reqs = {Requirement(line).name.lower(): Requirement(line) for line in lines if line}
    from nps_xl import __version__

    assert str(reqs["nps-xl"].specifier) == f"=={__version__}"
    for name in ("numpy", "pandas", "scipy", "xlsxwriter", "xlwings"):
        assert name in reqs, name
    for heavy in ("fastexcel", "duckdb", "pyarrow", "python-calamine", "pyspark"):
        assert heavy not in reqs, heavy
    assert all(r.marker is None for r in reqs.values())


@pytest.mark.libreoffice
def test_lite_workbooks_recalculate_like_the_template(tmp_path: Path) -> None:
    """LibreOffice opens each Lite workbook (the add-in parts do not stop it) and recalculates
    the Dashboard to what it gives for the plain template."""
    books = []
    for lang in LANGUAGES:
        for name in (lite.LITE_FILE, "nps_survey.xlsx"):
            dst = tmp_path / f"{lang}_{name}"
            shutil.copy(folder(lang) / name, dst)
            books.append(dst)
    csvs = lo.recalculated_csv(books, tmp_path / "csv", sheet=1)
    for lang in LANGUAGES:
        lite_grid = lo.read_csv_grid(csvs[tmp_path / f"{lang}_{lite.LITE_FILE}"])
        plain = lo.read_csv_grid(csvs[tmp_path / f"{lang}_nps_survey.xlsx"])
        assert lite_grid == plain, lang
        n_row = L.FIGURE_BY_NAME["NPS_N"].row
        assert lite_grid[n_row][1] in ("0", "0.0"), lite_grid[n_row]  # an empty Responses table
