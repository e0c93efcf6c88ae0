"""The committed templates in workbook_templates/ are what the code writes today.

XlsxWriter output is deterministic here (fixed creation date, fixed zip timestamps), so a fresh
regeneration must match byte for byte. When it does not, the content comparison (cell values
and formulas via python-calamine, XML parts) says what changed. Fix: run `nps-xl templates`.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from nps_xl.i18n import LANGUAGES
from nps_xl.workbook.xlsx import TEMPLATE_FILES, write_templates

TEMPLATES = Path(__file__).resolve().parent.parent / "workbook_templates"
FILES = [
    Path(name) if lang == "en" else Path(lang) / name
    for lang in LANGUAGES
    for name in TEMPLATE_FILES
]


@pytest.fixture(scope="module")
def fresh(tmp_path_factory):
    folder = tmp_path_factory.mktemp("templates")
    written = write_templates(folder)
    assert sorted(p.relative_to(folder) for p in written) == sorted(FILES)
    return folder


def _cells(path: Path) -> dict[str, list]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def _parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist() if n != "docProps/core.xml"}


@pytest.mark.parametrize("name", FILES, ids=str)
def test_committed_template_is_fresh(fresh, name):
    committed, new = TEMPLATES / name, fresh / name
    assert committed.exists(), f"{committed} is missing: run `nps-xl templates`."
    hint = f"{committed} is stale: run `nps-xl templates` and commit the result."
    assert _cells(new) == _cells(committed), hint
    old_parts, new_parts = _parts(committed), _parts(new)
    assert sorted(old_parts) == sorted(new_parts), hint
    changed = [n for n in new_parts if new_parts[n] != old_parts[n]]
    assert not changed, f"{hint} Changed parts: {changed}"
    assert new.read_bytes() == committed.read_bytes(), hint


def test_generation_is_deterministic(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    write_templates(a)
    write_templates(b)
    for name in FILES:
        assert (a / name).read_bytes() == (b / name).read_bytes(), name
