"""The Refresh report button, run through xlwings' own Book in the Office.js mode.

``tests/refresh_runner.py`` runs ``refresh_report`` in a separate process with
``XLWINGS_ON_SERVER=true`` (xlwings Server / Lite), fed the JSON a workbook sends; we check the
actions xlwings sends back. The workbook is the report ``nps-xl report`` writes
(:func:`nps_xl.workbook.xlsx.write_report`), read with calamine the way Excel would send it.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook

from nps_xl.excel import refresh
from nps_xl.i18n import text
from nps_xl.workbook import layout as L
from nps_xl.workbook.xlsx import write_report

RUNNER = Path(__file__).with_name("refresh_runner.py")
USER_SHEET = "My notes"


def survey() -> pd.DataFrame:
    """60 answers over three months, two segment columns, two invalid answers and a blank."""
    rng = np.random.default_rng(7)
    n = 60
    scores: list[object] = [int(s) for s in rng.integers(0, 11, n)]
    scores[5], scores[17], scores[30] = "11", "ten", None
    return pd.DataFrame(
        {
            "Response ID": [f"R{i:03d}" for i in range(n)],
            "Date": [dt.datetime(2025, 1 + i % 3, 1 + i % 28) for i in range(n)],
            "Score": scores,
            "Comment": [f"comment {i}" if i % 4 else "=1+1 price too high" for i in range(n)],
            "Region": [["North", "South", "East"][i % 3] for i in range(n)],
            "Plan": [["Free", "Pro"][i % 2] for i in range(n)],
        }
    )


def _json_value(value: object) -> object:
    if isinstance(value, (dt.datetime, dt.date)):
        return value.isoformat()  # Office.js sends date cells as ISO text
    if value == "":
        return None
    return value


def payload_from_file(path: Path, responses_rows: int) -> dict:
    """The JSON Excel sends for the workbook at ``path`` plus a user sheet at the end."""
    wb = CalamineWorkbook.from_path(str(path))
    sheets = []
    for name in wb.sheet_names:
        values = [[_json_value(v) for v in row] for row in wb.get_sheet_by_name(name).to_python()]
        sheet = {"name": name, "values": values or [[]], "pictures": [], "tables": []}
        sheet["charts"] = []
        if name == text("sheet_responses"):
            last = responses_rows + 1
            sheet["tables"].append(
                {
                    "name": "Responses",
                    "range_address": f"$A$1:$F${last}",
                    "header_row_range_address": "$A$1:$F$1",
                    "data_body_range_address": f"$A$2:$F${last}",
                    "total_row_range_address": None,
                    "show_headers": True,
                    "show_totals": False,
                    "table_style": "TableStyleMedium2",
                    "show_autofilter": True,
                }
            )
        sheets.append(sheet)
    sheets.append({"name": USER_SHEET, "values": [["keep me"]], "pictures": [], "tables": []})
    for s in sheets:
        s.setdefault("charts", [])
    return {
        "client": "Office.js",
        "version": "0.37.8",
        "book": {"name": path.name, "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def run(payload: dict) -> list[dict]:
    out = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)["actions"]


def apply(payload: dict, actions: list[dict]) -> dict:
    """What Excel does with the actions, for the values the next click would send."""
    result = copy.deepcopy(payload)
    for a in actions:
        if a["func"] == "sheetClearContents":
            result["sheets"][a["sheet_position"]]["values"] = [[]]
        elif a["func"] == "setValues":
            grid = result["sheets"][a["sheet_position"]]["values"]
            r0, c0 = a["start_row"], a["start_column"]
            for i, row in enumerate(a["values"]):
                while len(grid) <= r0 + i:
                    grid.append([])
                line = grid[r0 + i]
                line.extend([None] * (c0 + len(row) - len(line)))
                line[c0 : c0 + len(row)] = row
            width = max(len(r) for r in grid)
            for line in grid:
                line.extend([None] * (width - len(line)))
    return result


def written(actions: list[dict], payload: dict) -> dict[str, list[list[object]]]:
    """``{sheet name: values written from A1}``."""
    out = {}
    for a in actions:
        if a["func"] == "setValues" and (a["start_row"], a["start_column"]) == (0, 0):
            out[payload["sheets"][a["sheet_position"]]["name"]] = a["values"]
    return out


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> dict:
    frame = survey()
    path = tmp_path_factory.mktemp("refresh") / "report.xlsx"
    write_report(path, frame, segments=("Region", "Plan"))
    payload = payload_from_file(path, len(frame))
    actions = run(payload)
    return {"frame": frame, "path": path, "payload": payload, "actions": actions}


# --------------------------------------------------------------------------- where it writes


def test_writes_only_report_sheets_the_layout_owns(case: dict) -> None:
    names = [s["name"] for s in case["payload"]["sheets"]]
    owned = {L.sheet_name(s) for s in refresh.WRITTEN_SHEETS}
    touched = {
        names[a["sheet_position"]] for a in case["actions"] if a["sheet_position"] is not None
    }
    assert touched == owned
    assert text("sheet_responses") not in touched and USER_SHEET not in touched
    assert not [a for a in case["actions"] if a["func"] in ("addSheet", "sheetDelete")]


def test_status_message_is_an_alert_saying_what_was_done(case: dict) -> None:
    (alert,) = [a for a in case["actions"] if a["func"] == "alert"]
    message = alert["args"][0]
    scores = pd.to_numeric(case["frame"]["Score"], errors="coerce")
    assert f"from {int(scores.between(0, 10).sum())} valid answers" in message  # 60 − 2 − blank
    assert "Skipped invalid answers (2)" in message and "Invalid answers" in message


# --------------------------------------------------------------------------- the numbers


def _sheet_values(path: Path, sheet: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def _same(a: object, b: object) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(float(a) - float(b)) < 1e-9
    if a in ("", None) and b in ("", None):
        return True
    if isinstance(b, (dt.datetime, dt.date)):
        return str(a)[:10] == b.isoformat()[:10]
    return a == b


@pytest.mark.parametrize("sheet", ["trend", "segments", "themes", "invalid"])
def test_numbers_equal_the_cli_report(case: dict, sheet: str) -> None:
    name = L.sheet_name(sheet)
    ours = written(case["actions"], case["payload"])[name]
    theirs = _sheet_values(case["path"], name)
    assert len(ours) == len(theirs)
    for r, (a_row, b_row) in enumerate(zip(ours, theirs, strict=True)):
        for c, (a, b) in enumerate(zip(a_row, b_row, strict=False)):
            if isinstance(a, str) and a.startswith("="):
                continue  # the =NPS_Benchmark formula; calamine shows its cached value
            assert _same(a, b), (sheet, r, c, a, b)


def test_headline_numbers_independently(case: dict) -> None:
    """NPS = % promoters (9–10) − % detractors (0–6), with plain pandas."""
    frame = case["frame"]
    score = pd.to_numeric(frame["Score"], errors="coerce")
    valid = frame[score.between(0, 10) & (score == score.round())].assign(s=score)

    def nps(s: pd.Series) -> float:
        return 100 * ((s >= 9).mean() - (s <= 6).mean())

    trend = written(case["actions"], case["payload"])[L.sheet_name("trend")]
    header = trend[0]
    col_nps, col_n = header.index(text("nps")), header.index(text("n"))
    months = valid.groupby(valid["Date"].dt.month)["s"]
    assert [row[col_nps] for row in trend[1:]] == pytest.approx(list(months.apply(nps)))
    assert [row[col_n] for row in trend[1:]] == list(months.size())

    seg = written(case["actions"], case["payload"])[L.sheet_name("segments")]
    h = seg[0]
    got = {
        (r[h.index(text("segment"))], r[h.index(text("group"))]): r[h.index("NPS")] for r in seg[1:]
    }
    for column in ("Region", "Plan"):
        for group, s in valid.groupby(column)["s"]:
            assert got[(column, group)] == pytest.approx(nps(s)), (column, group)


def test_invalid_answers_listed_with_their_excel_row(case: dict) -> None:
    rows = written(case["actions"], case["payload"])[L.sheet_name("invalid")]
    # data row i is Excel row i + 2 (header in row 1)
    assert rows[1:] == [[7, "11"], [19, "ten"]]


def test_follow_up_lists_detractors_newest_first_with_user_text_kept_as_text(case: dict) -> None:
    rows = written(case["actions"], case["payload"])[L.sheet_name("followup")]
    header = rows[0]
    assert header[0] == text("response_id") and header[-1] == text("status")
    frame = case["frame"]
    score = pd.to_numeric(frame["Score"], errors="coerce")
    assert len(rows) - 1 == int((score <= 6).sum())
    comments = [r[header.index(text("comment"))] for r in rows[1:]]
    assert "'=1+1 price too high" in comments  # apostrophe: Excel shows it as text


# --------------------------------------------------------------------------- twice, and notes


def test_second_click_changes_nothing(case: dict) -> None:
    second_payload = apply(case["payload"], case["actions"])
    second = run(second_payload)
    assert second == case["actions"]
    third = run(apply(second_payload, second))
    assert third == second


def test_status_notes_survive_a_refresh_matched_by_response_id(case: dict) -> None:
    payload = apply(case["payload"], case["actions"])
    sheet = next(s for s in payload["sheets"] if s["name"] == L.sheet_name("followup"))
    header = sheet["values"][0]
    id_col, status_col = header.index(text("response_id")), header.index(text("status"))
    notes = {}
    for k, row in enumerate(sheet["values"][1:4]):
        row[status_col] = f"called back {k}"
        notes[row[id_col]] = f"called back {k}"
    # the user also sorted the sheet: notes must follow the ID, not the row
    sheet["values"][1:] = sheet["values"][1:][::-1]
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    kept = {r[id_col]: r[status_col] for r in rows[1:] if r[status_col]}
    assert kept == notes


# --------------------------------------------------------------------------- first click


def test_first_click_sets_the_workbook_up() -> None:
    payload = {
        "client": "Office.js",
        "version": "0.37.8",
        "book": {"name": "Book1.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [
            {"name": USER_SHEET, "values": [["keep me"]], "pictures": [], "tables": []},
        ],
    }
    payload["sheets"][0]["charts"] = []
    actions = run(payload)
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == [L.sheet_name(s) for s in L.SHEETS]
    (table,) = [a for a in actions if a["func"] == "addTable"]
    assert table["args"][3] == "Responses" and table["args"][0] == "$A$1:$D$2"
    positions = {a["sheet_position"] for a in actions if a["sheet_position"] is not None}
    assert 0 not in positions  # the user's sheet
    headers = written(actions, {"sheets": [{"name": USER_SHEET}] + [{"name": n} for n in added]})
    assert headers[text("sheet_responses")] == [["Response ID", "Date", "Score", "Comment"]]
    assert any(a["func"] == "alert" and "Responses" in a["args"][0] for a in actions)


# --------------------------------------------------------------------------- pieces


def test_stretch_series_formula() -> None:
    f = "=SERIES('Trend'!$F$1,'Trend'!$A$2:$A$2,'Trend'!$F$2:$F$2,1)"
    assert refresh.stretch_series_formula(f, "Trend", 7) == (
        "=SERIES('Trend'!$F$1,'Trend'!$A$2:$A$8,'Trend'!$F$2:$F$8,1)"
    )
    other = "=SERIES(Dashboard!$A$6,Dashboard!$A$6:$A$8,Dashboard!$B$6:$B$8,1)"
    assert refresh.stretch_series_formula(other, "Trend", 7) == other
