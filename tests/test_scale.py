"""The answer scale reaches every surface: the command line, the report workbook (Dashboard
formulas recalculated by LibreOffice), and the ribbon refresh of that workbook.

Reference: a 1–5 question counts 5 as a promoter, 4 as a passive and 1–3 as detractors
(``SCALES["1-5"]``, README "Scales"); here the figures are counted with plain Python.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from test_refresh import payload_from_file, run, written
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.i18n import text
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook.xlsx import write_report

SCORES = [5, 5, 4, 3, 1, 2, 5, 4, 5, 3, 5, 1, "N/A", None, 5, 4]
DATES = [f"2025-0{1 + i % 3}-{1 + i:02d}" for i in range(len(SCORES))]


def _nps_1_to_5(values) -> tuple[float, int, int, int]:
    valid = [v for v in values if isinstance(v, int) and 1 <= v <= 5]
    pro = sum(v == 5 for v in valid)
    pas = sum(v == 4 for v in valid)
    det = sum(v <= 3 for v in valid)
    return 100 * (pro - det) / len(valid), pro, pas, det


def _frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Response ID": [f"R{i:02d}" for i in range(len(SCORES))],
            "Date": pd.to_datetime(DATES),
            "Score": SCORES,
            "Comment": ["too expensive" if i % 3 else "great support" for i in range(len(SCORES))],
        }
    )


def test_the_command_line_reads_a_1_to_5_question(tmp_path: Path) -> None:
    export = tmp_path / "five.csv"
    _frame().to_csv(export, index=False)
    nps, pro, _pas, det = _nps_1_to_5(SCORES)
    result = CliRunner().invoke(app, ["summary", str(export), "--scale", "1-5", "--brief"])
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert f"NPS {nps:+.1f}" in flat
    assert f"Promoters │ {pro}" in flat and f"Detractors │ {det}" in flat
    bad = CliRunner().invoke(app, ["summary", str(export), "--scale", "5-1"])
    assert bad.exit_code == 2 and "Traceback" not in bad.output


@pytest.fixture(scope="module")
def five(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("scale") / "five.xlsx"
    write_report(path, _frame(), scale="1-5")
    return path


def test_the_workbook_remembers_its_scale_and_counts_by_it(five: Path) -> None:
    grid = CalamineWorkbook.from_path(str(five)).get_sheet_by_index(0).to_python()
    nps = _nps_1_to_5(SCORES)[0]
    assert grid[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL] == pytest.approx(nps)
    points = [grid[L.DIST_FIRST_ROW + i][L.DIST_SCORE_COL] for i in range(5)]
    assert points == [1, 2, 3, 4, 5]
    assert grid[L.DIST_FIRST_ROW + 5][L.DIST_SCORE_COL] in ("", None)  # no row for a 6
    counts = [grid[L.DIST_FIRST_ROW + i][L.DIST_COUNT_COL] for i in range(5)]
    assert counts == [SCORES.count(k) for k in range(1, 6)]


@pytest.mark.libreoffice
@pytest.mark.skipif(lo.find_soffice() is None, reason="LibreOffice is not installed")
def test_the_dashboard_formulas_count_on_the_scale_in_a_real_engine(
    five: Path, tmp_path: Path
) -> None:
    csv = lo.recalculated_csv([five], tmp_path)[five]
    grid = lo.read_csv_grid(csv)
    nps, pro, pas, det = _nps_1_to_5(SCORES)

    def value(name: str) -> float:
        return float(grid[L.FIGURE_BY_NAME[name].row][L.VALUE_COL])

    assert value("NPS_Score") == pytest.approx(nps)
    assert (value("NPS_Promoters"), value("NPS_Passives"), value("NPS_Detractors")) == (
        pro,
        pas,
        det,
    )
    assert value("NPS_Invalid") == 1 and value("NPS_Blank") == 1


def test_the_refresh_reads_the_workbooks_scale(five: Path) -> None:
    payload = payload_from_file(five, len(SCORES))
    payload["names"].append(
        {
            "name": L.SCALE_NAME,
            "refers_to": L.defined_names("en", "1-5")[L.SCALE_NAME],
            "book_scope": True,
            "scope_sheet_name": None,
            "scope_sheet_index": None,
            "sheet_index": None,
            "address": None,
        }
    )
    trend = written(run(payload), payload)[L.sheet_name("trend")]
    header = trend[0]
    by_month = {}
    for score, date in zip(SCORES, DATES, strict=True):
        by_month.setdefault(date[:7], []).append(score)
    want = [_nps_1_to_5(v)[0] for _, v in sorted(by_month.items())]
    assert [r[header.index(text("nps"))] for r in trend[1:]] == pytest.approx(want)
