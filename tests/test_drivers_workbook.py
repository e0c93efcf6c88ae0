"""The Drivers sheet: written by ``nps-xl report``, read back by LibreOffice and checked against
the ECMA-376 schemas, and rebuilt by the Refresh report button (Office.js mode, the harness of
tests/test_refresh.py) from the Responses table.

Expected numbers come from R (tests/drivers_reference.py, scripts/make_drivers_reference.R) and,
for the correlations, from pandas' own ``corr`` on the complete answers of the CSV file."""

from __future__ import annotations

import json
from pathlib import Path

import drivers_reference as ref
import numpy as np
import pandas as pd
import pytest
import test_refresh as tr
from ooxml import package_problems
from python_calamine import CalamineWorkbook

from nps_xl.i18n import LANGUAGES, text
from nps_xl.io import load_survey
from nps_xl.report import ReportColumns, ReportOptions, build_report
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook.xlsx import write_report

HERE = Path(__file__).parent
SURVEY = HERE / "fixtures" / "drivers_survey.csv"
LEVELS_AT = L.DRIVER_LEVELS_COL


def _write(path: Path, lang: str = "en", drivers: str | None = None, weight: bool = False):
    survey = load_survey(SURVEY, drivers=drivers)
    frame = survey.frame
    if weight:
        frame = frame.assign(Weight=np.linspace(0.5, 2.0, len(frame)))
    roles = ReportColumns(
        segments=survey.segments,
        drivers=survey.drivers,
        weight="Weight" if weight else None,
    )
    report = build_report(frame, roles, ReportOptions(lang=lang))
    write_report(path, frame, report=report)
    return path, report


def _rows(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _numbers(columns: list[str]) -> pd.DataFrame:
    """The CSV's score (its leading whole number: "10 - Extremely likely" is 10, as the R
    script reads it) and driver columns as numbers, complete answers only."""
    raw = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    numbers = raw[columns].apply(pd.to_numeric, errors="coerce")
    numbers["Score"] = pd.to_numeric(raw["Score"].str.extract(r"^\s*(\d+)")[0])
    complete = numbers.dropna()
    return complete[complete["Score"].between(0, 10)]


def _r_correlations() -> dict[str, float]:
    complete = _numbers(["Score", *ref.SURVEY["drivers"]])
    assert len(complete) == ref.SURVEY["n"]  # the same complete answers as R's lm()
    return complete.corr()["Score"].drop("Score").to_dict()


def assert_drivers_sheet_equals_r(rows: list[list[object]]) -> None:
    """The importance table (left) and the levels table (right) against R."""
    r2 = ref.SURVEY["r_squared"]
    lmg = dict(zip(ref.SURVEY["drivers"], ref.SURVEY["lmg"], strict=True))
    ranked = sorted(lmg, key=lmg.get, reverse=True)
    corr = _r_correlations()
    body = rows[1:]
    for rank, name in enumerate(ranked, start=1):
        row = body[rank - 1]
        assert [float(row[0]), row[1]] == [rank, name]
        assert float(row[2]) == pytest.approx(lmg[name], abs=1e-10)
        assert float(row[3]) == pytest.approx(100 * lmg[name] / r2, abs=1e-8)
        assert float(row[4]) == pytest.approx(corr[name], abs=1e-10)
    assert all(r[0] in ("", None) for r in body[len(ranked) :])
    levels = [r[LEVELS_AT : LEVELS_AT + 6] for r in body]
    i = 0
    for name in ranked:  # the levels of each driver, in rank order
        expected = ref.SURVEY["levels"][name]
        for k in range(len(expected["level"])):
            got = levels[i]
            assert got[0] == name
            for j, column in enumerate(("level", "n", "promoters", "detractors", "nps"), 1):
                assert float(got[j]) == pytest.approx(expected[column][k], abs=1e-9), (name, k)
            i += 1
    assert all(r[0] in ("", None) for r in levels[i:])


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, object]:
    return _write(tmp_path_factory.mktemp("drivers") / "drivers.xlsx")


def test_drivers_sheet_equals_r(book):
    path, report = book
    rows = _rows(path, L.sheet_name("drivers"))
    header = rows[0]
    assert header[:5] == [text(L.DRIVER_HEADERS[c]) for c in L.DRIVER_COLUMNS]
    assert header[LEVELS_AT : LEVELS_AT + 6] == [
        text(L.DRIVER_HEADERS[c]) for c in L.DRIVER_LEVEL_COLUMNS
    ]
    assert report.drivers_table_note in header  # right of the header
    assert_drivers_sheet_equals_r(rows)


def test_responses_table_keeps_the_ratings_as_numbers(book):
    path, _ = book
    rows = _rows(path, L.sheet_name("responses"))
    header = rows[0]
    assert header[-3:] == ref.SURVEY["drivers"]
    raw = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    for name in ref.SURVEY["drivers"]:
        j = header.index(name)
        cells = [r[j] for r in rows[1:]]
        assert all(isinstance(v, float) or v == "" for v in cells)
        want = [float(v) if v else "" for v in raw[name]]
        assert cells == want


def test_drivers_sheet_passes_the_ecma_376_schema_check(book, tmp_path):
    path, _ = book
    assert package_problems(path) == []
    weighted, _ = _write(tmp_path / "weighted.xlsx", weight=True)
    assert package_problems(weighted) == []
    none, _ = _write(tmp_path / "none.xlsx", drivers="none")
    assert package_problems(none) == []


def test_weighted_workbook_says_the_drivers_are_unweighted(tmp_path):
    path, _ = _write(tmp_path / "weighted.xlsx", weight=True)
    rows = _rows(path, L.sheet_name("drivers"))
    assert any(text("note_drivers_unweighted") in str(v) for v in rows[0])
    assert_drivers_sheet_equals_r(rows)


def test_without_drivers_the_sheet_says_why(tmp_path):
    path, _ = _write(tmp_path / "none.xlsx", drivers="none")
    rows = _rows(path, L.sheet_name("drivers"))
    assert rows[1][0] == text("wb_drivers_none")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_drivers_sheet_in_every_language(tmp_path, lang):
    path, _ = _write(tmp_path / f"{lang}.xlsx", lang=lang)
    names = CalamineWorkbook.from_path(str(path)).sheet_names
    assert L.sheet_name("drivers", lang) in names
    rows = _rows(path, L.sheet_name("drivers", lang))
    assert rows[0][:2] == [text("rank", lang), text("driver", lang)]


def test_drivers_chart_draws_the_shares(book):
    import zipfile

    path, report = book
    with zipfile.ZipFile(path) as z:
        charts = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/charts/chart")]
    bars = [c for c in charts if '<c:barDir val="bar"/>' in c]
    assert len(bars) == 1
    sheet = L.sheet_name("drivers")
    rows = len(report.drivers.importance) + 1
    assert f"'{sheet}'!$D$2:$D${rows}" in bars[0]  # Share of R² (%), ranks 1…3
    assert f"'{sheet}'!$B$2:$B${rows}" in bars[0]  # the drivers' names


@pytest.mark.libreoffice
@pytest.mark.skipif(lo.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_the_drivers_sheet_as_r_says(book, tmp_path):
    path, _ = book
    number = L.SHEETS.index("drivers") + 1
    csv = lo.recalculated_csv([path], tmp_path, sheet=number)[path]
    grid = lo.read_csv_grid(csv)
    rows = [[_number(v) for v in r] for r in grid]
    assert rows[0][0] == text("rank")
    assert_drivers_sheet_equals_r(rows)


def _number(value: str) -> object:
    try:
        return float(value)
    except ValueError:
        return value


# --------------------------------------------------------------------------- the refresh


def _payload(path: Path, answers: int) -> dict:
    """tests/test_refresh.py's payload, the Responses table as wide as the file's."""
    payload = tr.payload_from_file(path, answers)
    sheet = next(s for s in payload["sheets"] if s["name"] == text("sheet_responses"))
    last = L.col_letter(len(sheet["values"][0]) - 1)
    rows = answers + 1
    sheet["tables"][0].update(
        range_address=f"$A$1:${last}${rows}",
        header_row_range_address=f"$A$1:${last}$1",
        data_body_range_address=f"$A$2:${last}${rows}",
    )
    return payload


@pytest.fixture(scope="module")
def refreshed(book) -> dict:
    path, report = book
    payload = _payload(path, report.rows)
    actions = tr.run(payload)
    return {"payload": payload, "actions": actions, "path": path}


def test_refresh_rebuilds_the_drivers_sheet_as_the_file_has_it(refreshed):
    name = L.sheet_name("drivers")
    ours = tr.written(refreshed["actions"], refreshed["payload"])[name]
    assert_drivers_sheet_equals_r(ours)
    theirs = _rows(refreshed["path"], name)
    assert len(ours) == len(theirs)
    for a_row, b_row in zip(ours, theirs, strict=True):
        for a, b in zip(a_row, b_row, strict=False):
            assert tr._same(a, b), (a, b)


def test_refresh_keeps_the_ratings_out_of_the_segments(refreshed):
    seg = tr.written(refreshed["actions"], refreshed["payload"])[L.sheet_name("segments")]
    segments = {row[0] for row in seg[1:]}
    assert segments == {"Region", "Product", "Channel", "Customer tenure"}
    touched = {
        refreshed["payload"]["sheets"][a["sheet_position"]]["name"]
        for a in refreshed["actions"]
        if a["sheet_position"] is not None
    }
    assert text("sheet_responses") not in touched  # the user's table is never written


def test_refresh_after_a_driver_column_is_removed(book, tmp_path):
    """The user deletes the Price column from the Responses table: the next click ranks the
    two that are left, as R's lm() on those two does (their R² parts sum to the R² of the
    regression on them, which the R reference gives for the drivers' subsets)."""
    path, report = book
    payload = _payload(path, report.rows)
    sheet = next(s for s in payload["sheets"] if s["name"] == text("sheet_responses"))
    j = sheet["values"][0].index("Price satisfaction")
    sheet["values"] = [row[:j] + row[j + 1 :] for row in sheet["values"]]
    payload = json.loads(json.dumps(payload))
    payload = _payload_width(payload, sheet, report.rows)
    actions = tr.run(payload)
    rows = tr.written(actions, payload)[L.sheet_name("drivers")]
    names = [r[1] for r in rows[1:] if r[1] not in ("", None)]
    assert names == ["Product quality (0-10)", "Support rating"]
    # two drivers in closed form: R² = (r1² + r2² − 2 r1 r2 r12) / (1 − r12²) and
    # LMG_1 = (r1² + R² − r2²) / 2 (the mean gain over the two orders), on pandas' corr
    c = _numbers(["Score", *names]).corr()
    r1, r2, r12 = c.loc["Score", names[0]], c.loc["Score", names[1]], c.loc[names[0], names[1]]
    total = (r1**2 + r2**2 - 2 * r1 * r2 * r12) / (1 - r12**2)
    lmg = [(r1**2 + total - r2**2) / 2, (r2**2 + total - r1**2) / 2]
    assert [float(r[2]) for r in rows[1:3]] == pytest.approx(lmg, abs=1e-10)
    assert [float(r[3]) for r in rows[1:3]] == pytest.approx([100 * v / total for v in lmg])


def _payload_width(payload: dict, sheet: dict, answers: int) -> dict:
    last = L.col_letter(len(sheet["values"][0]) - 1)
    for s in payload["sheets"]:
        if s["name"] == sheet["name"]:
            s["tables"][0].update(
                range_address=f"$A$1:${last}${answers + 1}",
                header_row_range_address=f"$A$1:${last}$1",
                data_body_range_address=f"$A$2:${last}${answers + 1}",
            )
    return payload


def test_refresh_tells_ratings_from_segments_by_their_cells():
    """As Excel sends them: number cells 0–10 are a rating; text cells, even "4", a segment;
    numbers beyond 10 (a store number) neither a driver nor excluded from the segments."""
    from nps_xl.excel import refresh

    frame = pd.DataFrame(
        {
            "Response ID": ["R1", "R2", "R3", "R4"],
            "Date": [None] * 4,
            "Score": [9.0, 3.0, 7.0, 10.0],
            "Comment": [None] * 4,
            "Region": ["N", "S", "N", "S"],
            "Ease": [4.0, 2.0, None, 5.0],
            "Typed": ["4", "2", "3", "5"],
            "Store": [1.0, 12.0, 3.0, 7.0],
        },
        dtype=object,
    )
    assert refresh.drivers_of(frame, "en") == ("Ease",)
    assert refresh.segments_of(frame, "en") == ("Region", "Typed", "Store")
