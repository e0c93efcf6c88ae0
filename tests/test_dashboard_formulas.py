"""The Dashboard's weighted, finite-population and small-sample formulas, recalculated by
LibreOffice and compared with R (scripts/make_dashboard_reference.R → dashboard_reference.py:
R ``survey::svymean`` with and without ``fpc`` for the design-based variance and f = 1 − n/N,
the adjusted-Wald interval of decisions D1–D3 written out in R on those figures).

Weighted answers are written with ``write_report(weight=…)`` together with rows R never sees
(a text score with a text weight, an out-of-range score with a large weight, a blank): the
formulas must leave them out as R does. The population is typed into the Dashboard's input
cell as a user would (the sheet XML edited), then the workbook recalculated.
"""

from __future__ import annotations

import math
import re
import shutil
import zipfile
from pathlib import Path

import dashboard_reference as ref
import pandas as pd
import pytest
from r_reference import needs_r, regenerated

from nps_xl.i18n import text
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook.xlsx import write_report

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "workbook_templates" / "nps_dashboard.xlsx"


def _at(name: str) -> str:
    return L.cell(L.FIGURE_BY_NAME[name].row, L.VALUE_COL)


def test_formulas_read_the_weight_column_and_the_population():
    formulas = L.dashboard_formulas("lt", weighted=True)
    weight = L.structured_ref(text("weight", "lt"))
    counts = [formulas[L.cell(L.DIST_FIRST_ROW + k, L.DIST_COUNT_COL)] for k in range(11)]
    assert all(c.startswith(f"=SUMIFS({weight},") for c in counts)
    assert "NPS_Population" in formulas[_at("NPS_Margin")]
    # the unweighted Dashboard keeps its counting formulas
    plain = L.dashboard_formulas("lt")
    assert plain[L.cell(L.DIST_FIRST_ROW, L.DIST_COUNT_COL)].startswith("=COUNTIFS(")
    assert "Weight" not in "".join(plain.values()) and weight not in "".join(plain.values())


@needs_r
def test_reference_is_what_the_r_script_produces(tmp_path):
    assert regenerated("make_dashboard_reference.R", tmp_path)["CASES"] == ref.CASES


# --------------------------------------------------------------------------- workbooks

#: Rows R does not see: an invalid score with a text weight, one outside 0–10 with a big
#: weight, a blank answer without a weight. The Dashboard must leave them out.
EXTRA = [("abc", "n/a"), (11, 100.0), (None, None), (7.5, 50.0)]


def _weighted_frame(case: dict) -> pd.DataFrame:
    scores = [int(s) for s in case["scores"]] + [s for s, _ in EXTRA]
    weights = list(case["weights"]) + [w for _, w in EXTRA]
    return pd.DataFrame(
        {"Score": pd.Series(scores, dtype=object), "Weight": pd.Series(weights, dtype=object)}
    )


def _edit_cell(path: Path, sheet: int, ref_: str, value: object) -> None:
    """Type ``value`` into cell ``ref_`` of sheet ``sheet`` (1-based) inside the file (None:
    empty the cell), as a user would; the cached formula values stay stale."""
    with zipfile.ZipFile(path) as zin:
        parts = {name: zin.read(name) for name in zin.namelist()}
    name = f"xl/worksheets/sheet{sheet}.xml"
    xml = parts[name].decode("utf-8")
    if value is None:
        content = ""
    elif isinstance(value, str):
        content = f' t="inlineStr"><is><t>{value}</t></is></c>'
    else:
        content = f"><v>{value}</v></c>"
    pattern = rf'<c r="{ref_}"( s="\d+")?(?:/>|(?: t="\w+")?>.*?</c>)'

    def typed(m: re.Match) -> str:
        return f'<c r="{ref_}"{m.group(1) or ""}{content or "/>"}'

    xml, count = re.subn(pattern, typed, xml, count=1)
    assert count == 1, ref_
    parts[name] = xml.encode("utf-8")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zout:
        for part, data in parts.items():
            zout.writestr(part, data)


POPULATION = _at("NPS_Population")


@pytest.fixture(scope="module")
def grids(tmp_path_factory):
    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed")
    tmp = tmp_path_factory.mktemp("dash")
    books: dict[str, Path] = {}
    for name, case in ref.CASES.items():
        path = tmp / f"{name}.xlsx"
        if name.startswith("weighted"):
            write_report(path, _weighted_frame(case), weight="Weight", lang="en")
        elif name.startswith("sample"):
            shutil.copy(TEMPLATE, path)
        else:
            write_report(path, pd.DataFrame({"Score": [int(s) for s in case["scores"]]}))
        if case["population"] is not None:
            _edit_cell(path, 1, POPULATION, int(case["population"]))
        books[name] = path
    for name, value in (("too_small", 1967), ("not_a_number", "about 300")):
        path = tmp / f"population_{name}.xlsx"
        shutil.copy(TEMPLATE, path)
        _edit_cell(path, 1, POPULATION, value)
        books[f"population_{name}"] = path
    path = tmp / "weight_missing.xlsx"
    write_report(path, _weighted_frame(ref.CASES["weighted"]), weight="Weight")
    weight_cell = L.cell(1, L.WEIGHT_COLUMN)  # the first answer's weight, emptied
    _edit_cell(path, 2, weight_cell, None)
    books["weight_missing"] = path
    csvs = lo.recalculated_csv(list(books.values()), tmp / "csv", sheet=1)
    return {name: lo.read_csv_grid(csvs[path]) for name, path in books.items()}


def _value(grid: list[list[str]], ref_: str) -> str:
    row, col = int(re.search(r"\d+", ref_).group()) - 1, _col(ref_)
    return grid[row][col] if row < len(grid) and col < len(grid[row]) else ""


def _col(ref_: str) -> int:
    letters = re.match(r"[A-Z]+", ref_).group()
    return sum((ord(ch) - 64) * 26**i for i, ch in enumerate(reversed(letters))) - 1


def _number(s: str) -> float:
    assert s != "", "empty cell"
    return float(s[:-1]) / 100 if s.endswith("%") else float(s)


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", list(ref.CASES))
def test_dashboard_equals_r(grids, name):
    case, grid = ref.CASES[name], grids[name]
    weighted = case["weights"] is not None
    assert _number(_value(grid, _at("NPS_N"))) == case["n"]
    shown_as = {"NPS_Score": "nps", "NPS_Margin": "margin", "NPS_Low": "low", "NPS_High": "high"}
    for figure, key in shown_as.items():
        shown = _value(grid, _at(figure))
        assert math.isclose(_number(shown), case[key], rel_tol=1e-9, abs_tol=1e-9), (
            figure,
            shown,
            case[key],
        )
    for k, want in enumerate(case["counts"]):
        cell = L.cell(L.DIST_FIRST_ROW + k, L.DIST_COUNT_COL)
        assert math.isclose(_number(_value(grid, cell)), want, rel_tol=1e-12, abs_tol=1e-12)
    low, high = _number(_value(grid, _at("NPS_Low"))), _number(_value(grid, _at("NPS_High")))
    assert low <= _number(_value(grid, _at("NPS_Score"))) <= high  # D1, as shown
    flag = _value(grid, L.cell(*L.SMALL_SAMPLE_CELL))
    if weighted:
        n_eff = _number(_value(grid, _at("NPS_Effective_N")))
        assert math.isclose(n_eff, case["effective_n"], rel_tol=1e-9)
        assert _number(_value(grid, _at("NPS_No_Weight"))) == 0
        small = text("wb_small_sample_effective", "en", min_n=30)
    else:
        small = text("wb_small_sample", "en", min_n=30)
    assert flag == (small if case["effective_n"] < 30 else "")


@pytest.mark.libreoffice
@pytest.mark.parametrize("name", ["population_too_small", "population_not_a_number"])
def test_a_population_below_n_or_not_a_number_is_said_in_the_margin_cell(grids, name):
    grid = grids[name]
    assert _value(grid, _at("NPS_Margin")) == text("wb_population_invalid", "en")
    assert _value(grid, _at("NPS_Low")) == _value(grid, _at("NPS_High")) == ""
    assert math.isclose(_number(_value(grid, _at("NPS_Score"))), ref.CASES["sample"]["nps"])


@pytest.mark.libreoffice
def test_an_answer_without_a_weight_empties_the_weighted_figures(grids):
    grid = grids["weight_missing"]
    assert _number(_value(grid, _at("NPS_No_Weight"))) == 1
    note = text("wb_no_weight_message", "en", column=text("weight", "en"))
    assert _value(grid, L.cell(*L.NO_WEIGHT_NOTE_CELL)) == note
    for name in ("NPS_Score", "NPS_Margin", "NPS_Low", "NPS_High", "NPS_Effective_N"):
        assert _value(grid, _at(name)) == "", name
    assert _number(_value(grid, _at("NPS_N"))) == ref.CASES["weighted"]["n"]


# --------------------------------------------------------------------------- the refresh


def test_refresh_reads_the_weight_column_as_weights_not_a_segment():
    from nps_xl.excel import refresh

    case = ref.CASES["weighted"]
    frame = _weighted_frame(case).rename(columns={"Score": text("score", "lt")})
    frame = frame.rename(columns={"Weight": text("weight", "lt")})
    frame[text("date", "lt")] = pd.date_range("2025-01-01", periods=len(frame), freq="D")
    frame["Regionas"] = ["A", "B"] * (len(frame) // 2)
    assert refresh.segments_of(frame, "lt") == ("Regionas",)
    report = refresh.report_of(frame, "lt")
    assert report.weighted and report.columns.segments == ("Regionas",)
    assert math.isclose(report.headline.nps, case["nps"], rel_tol=1e-12)  # R's svymean
    assert refresh.weight_problem(frame, "lt", None, 2) is None


def test_refresh_names_the_row_of_an_answer_without_a_weight():
    from nps_xl.excel import refresh

    frame = pd.DataFrame(
        {"Score": [9, "abc", 7, 3], "Weight": pd.Series([1.0, "x", None, -2], dtype=object)}
    )
    message = refresh.weight_problem(frame, "en", None, first_answer_row=2)
    # row 3 holds "abc" (no score: its weight does not matter); rows 4 and 5 lack one
    assert message == text(
        "refresh_weight_invalid", "en", column="Weight", value="''", row=4, count=2
    )


@pytest.mark.parametrize("lang", ["en", "zh-Hant"])
def test_weighted_report_is_valid_ecma_376(tmp_path, lang):
    """What Excel enforces (tests/ooxml.py): the XML parts against the ECMA-376 schemas, the
    Table with its Weight column, the defined names, the data validations."""
    import ooxml

    path = write_report(
        tmp_path / "w.xlsx", _weighted_frame(ref.CASES["weighted_small"]), weight="Weight",
        lang=lang,
    )  # fmt: skip
    assert not ooxml.package_problems(path)


def test_a_dashboard_the_refresh_adds_to_a_weighted_table_is_weighted():
    """The first click's Dashboard for a table with a Weight column: the weighted formulas
    and names, as the file writer's."""
    from nps_xl.excel import refresh
    from nps_xl.workbook import sheets as S

    report = refresh.empty_report("bg", weighted=True)
    assert report.weighted
    cells = S.dashboard_cells(report)
    weight = L.structured_ref(text("weight", "bg"))
    count = cells[L.cell(L.DIST_FIRST_ROW, L.DIST_COUNT_COL)]
    assert count.formula.startswith(f"=SUMIFS({weight},")
    assert "NPS_Effective_N" in refresh.report_names("bg", weighted=True)
    assert "NPS_Effective_N" not in refresh.report_names("bg")
