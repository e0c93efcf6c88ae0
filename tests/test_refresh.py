"""The Refresh report button, run through xlwings' own Book in the Office.js mode.

``tests/refresh_runner.py`` runs ``refresh_report`` in a separate process with
``XLWINGS_ON_SERVER=true`` (xlwings Server / Lite), fed the JSON a workbook sends; we check the
actions xlwings sends back. The workbook is the report ``nps-xl report`` writes
(:func:`nps_xl.workbook.xlsx.write_report`), read with calamine the way Excel would send it.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import json
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from defusedxml import ElementTree
from python_calamine import CalamineWorkbook

from nps_xl import benchmarks
from nps_xl.excel import refresh
from nps_xl.i18n import text
from nps_xl.workbook import layout as L
from nps_xl.workbook import sheets
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


def excel_stores(value: object) -> object:
    """What Excel stores for a value set through ``setValues``: a leading apostrophe is the
    text prefix, not part of the value (Microsoft, "Format numbers as text")."""
    return value[1:] if isinstance(value, str) and value.startswith("'") else value


def apply(payload: dict, actions: list[dict]) -> dict:
    """What Excel does with the actions, for the values the next click would send."""
    result = copy.deepcopy(payload)
    for a in actions:
        if a["func"] == "addSheet":
            new = {"name": a["args"][1], "values": [[]], "pictures": [], "tables": []}
            result["sheets"].insert(a["args"][0], {**new, "charts": []})
        elif a["func"] == "addTable":
            result["sheets"][a["sheet_position"]]["tables"].append(_table(a["args"][0]))
        elif a["func"] == "namesAdd":
            result["names"].append(
                {"name": a["args"][0], "refers_to": a["args"][1], "book_scope": True,
                 "scope_sheet_name": None, "scope_sheet_index": None,
                 "sheet_index": None, "address": None}
            )  # fmt: skip
        elif a["func"] == "addChart":
            name, kind, *_rest = a["args"]
            chart = {"name": name, "chart_type": kind, "left": 0, "top": 0, "width": 1}
            result["sheets"][a["sheet_position"]]["charts"].append({**chart, "height": 1})
        elif a["func"] == "sheetClearContents":
            result["sheets"][a["sheet_position"]]["values"] = [[]]
        elif a["func"] in ("setValues", "setFormula"):
            grid = result["sheets"][a["sheet_position"]]["values"]
            r0, c0 = a["start_row"], a["start_column"]
            for i, row in enumerate(a["values"]):
                while len(grid) <= r0 + i:
                    grid.append([])
                line = grid[r0 + i]
                line.extend([None] * (c0 + len(row) - len(line)))
                line[c0 : c0 + len(row)] = [excel_stores(v) for v in row]
            width = max(len(r) for r in grid)
            for line in grid:
                line.extend([None] * (width - len(line)))
    return result


def _table(address: str) -> dict:
    """The table entry Excel sends for a Responses table at ``address`` ($A$1:$D$2)."""
    first, last = address.split(":")
    last_col = "".join(ch for ch in last if ch.isalpha())
    return {
        "name": "Responses",
        "range_address": address,
        "header_row_range_address": f"{first}:${last_col}$1",
        "data_body_range_address": f"$A$2:{last}",
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
    }


def written(actions: list[dict], payload: dict) -> dict[str, list[list[object]]]:
    """``{sheet name: values written from A1}``, as Excel stores them."""
    out = {}
    for a in actions:
        if a["func"] == "setValues" and (a["start_row"], a["start_column"]) == (0, 0):
            values = [[excel_stores(v) for v in row] for row in a["values"]]
            out[payload["sheets"][a["sheet_position"]]["name"]] = values
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
    assert "=1+1 price too high" in comments  # stored as text, not run as a formula
    raw = [a for a in case["actions"] if a["func"] == "setValues"]
    assert any("'=1+1 price too high" in row for a in raw for row in a["values"])


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

TEMPLATE = Path(__file__).resolve().parent.parent / "workbook_templates" / "nps_survey.xlsx"


def _blank_book() -> dict:
    sheet = {"name": USER_SHEET, "values": [["keep me"]], "pictures": [], "tables": []}
    return {
        "client": "Office.js",
        "version": "0.37.8",
        "book": {"name": "Book1.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{**sheet, "charts": []}],
    }


def _ref(row: int, col: int) -> str:
    return L.cell(row, col)


def _cells(actions: list[dict], position: int, funcs: tuple[str, ...]) -> dict[str, object]:
    """``{A1 cell: value}`` that the actions ``funcs`` write on the sheet at ``position``."""
    out = {}
    for a in actions:
        if a["func"] in funcs and a["sheet_position"] == position:
            for i, row in enumerate(a["values"]):
                for j, value in enumerate(row):
                    out[_ref(a["start_row"] + i, a["start_column"] + j)] = excel_stores(value)
    return out


def _template_formulas() -> dict[str, str]:
    """``{cell: "=formula"}`` of the shipped template's Dashboard, read from its XML."""
    with zipfile.ZipFile(TEMPLATE) as z:
        root = ElementTree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return {
        c.get("r"): "=" + html.unescape(c.find(f"{ns}f").text)
        for c in root.iter(f"{ns}c")
        if c.find(f"{ns}f") is not None
    }


def _template_names() -> dict[str, str]:
    with zipfile.ZipFile(TEMPLATE) as z:
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    return {
        d.get("name"): "=" + d.text
        for d in root.iter(f"{ns}definedName")
        if not d.get("name").startswith("_xlnm")
    }


def _template_values(sheet: str) -> dict[str, object]:
    """Non-empty cells of a template sheet (formula cells hold their cached value)."""
    grid = CalamineWorkbook.from_path(str(TEMPLATE)).get_sheet_by_name(sheet).to_python()
    return {
        _ref(i, j): v
        for i, row in enumerate(grid)
        for j, v in enumerate(row)
        if v not in ("", None)
    }


@pytest.fixture(scope="module")
def first_click() -> dict:
    payload = _blank_book()
    actions = run(payload)
    after = apply(payload, actions)
    return {
        "payload": payload,
        "actions": actions,
        "after": after,
        "position": {s["name"]: k for k, s in enumerate(after["sheets"])},
    }


def test_first_click_adds_the_layout_sheets_and_the_responses_table(first_click: dict) -> None:
    actions = first_click["actions"]
    added = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == [L.sheet_name(s) for s in L.SHEETS]
    (table,) = [a for a in actions if a["func"] == "addTable"]
    assert table["args"] == ["$A$1:$D$2", True, "TableStyleMedium2", "Responses"]
    assert table["sheet_position"] == first_click["position"][text("sheet_responses")]
    responses = _cells(actions, table["sheet_position"], ("setValues",))
    assert responses == {"A1": "Response ID", "B1": "Date", "C1": "Score", "D1": "Comment"}
    # the table exists before any formula refers to Responses[Score]
    funcs = [a["func"] for a in actions]
    assert funcs.index("addTable") < funcs.index("setFormula")
    assert funcs.index("namesAdd") < funcs.index("setFormula")


def test_first_click_never_addresses_the_users_sheet(first_click: dict) -> None:
    positions = {a["sheet_position"] for a in first_click["actions"]}
    assert 0 not in positions  # My notes stays at position 0: new sheets go after it
    assert first_click["after"]["sheets"][0]["values"] == [["keep me"]]
    assert not [a for a in first_click["actions"] if a["func"] == "sheetDelete"]


def test_first_click_dashboard_formulas_are_the_layouts(first_click: dict) -> None:
    dash = first_click["position"][text("sheet_dashboard")]
    formulas = _cells(first_click["actions"], dash, ("setFormula",))
    bench = sheets.benchmark_keys(refresh.empty_report("en"))
    assert formulas == L.dashboard_formulas("en", bench)
    # ... and exactly the formulas of the shipped template (read from its XML)
    assert formulas == _template_formulas()
    assert formulas["F5"] == '=COUNTIFS(Responses[Score],">=0",Responses[Score],"<=0")'
    assert formulas["B9"] == '=IF(NPS_N=0,"",100*(NPS_Promoters-NPS_Detractors)/NPS_N)'


def test_first_click_prints_the_dashboard_as_the_template(first_click: dict) -> None:
    """Office.js has no PageSetup but a print area: the first click sets the Dashboard's to
    the template's (its ``_xlnm.Print_Area``, read from the XML); no other sheet gets one."""
    with zipfile.ZipFile(TEMPLATE) as z:
        root = ElementTree.fromstring(z.read("xl/workbook.xml"))
    ns = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    (area,) = [d.text for d in root.iter(f"{ns}definedName") if d.get("name") == "_xlnm.Print_Area"]
    sent = [a for a in first_click["actions"] if a["func"] == "setPrintArea"]
    assert [(a["sheet_position"], a["args"]) for a in sent] == [
        (first_click["position"][text("sheet_dashboard")], [area.split("!")[1]])
    ]


def test_first_click_defined_names_are_the_templates(first_click: dict) -> None:
    added = {a["args"][0]: a["args"][1] for a in first_click["actions"] if a["func"] == "namesAdd"}
    assert added == _template_names()
    assert added["NPS_Score"] == "='Dashboard'!$B$9"
    assert added["NPS_Bench_Value"] == "='Benchmarks'!$C$2:$C$35"
    assert set(L.defined_names("en")) <= set(added)


def test_first_click_labels_benchmarks_and_about_match_the_template(first_click: dict) -> None:
    formulas = _template_formulas()
    for sid in ("dashboard", "benchmarks", "about", *refresh.WRITTEN_SHEETS):
        name = L.sheet_name(sid)
        ours = _cells(first_click["actions"], first_click["position"][name], ("setValues",))
        ours = {k: v for k, v in ours.items() if v not in ("", None)}
        theirs = _template_values(name)
        if sid == "dashboard":
            theirs = {k: v for k, v in theirs.items() if k not in formulas}
        elif sid in ("followup", "invalid"):  # the template's empty-table rows
            theirs = {k: v for k, v in theirs.items() if k.endswith("1") and len(k) == 2}
        assert ours.keys() == theirs.keys(), sid
        for ref, value in theirs.items():
            assert _same(ours[ref], value), (sid, ref, ours[ref], value)


def test_first_click_benchmark_values_are_the_cited_figures(first_click: dict) -> None:
    sheet = first_click["position"][text("sheet_benchmarks")]
    cells = _cells(first_click["actions"], sheet, ("setValues",))
    table = benchmarks.benchmark_table(lang=None)
    key = L.BENCHMARK_SHEET_COLUMNS.index("key")
    value = L.BENCHMARK_SHEET_COLUMNS.index("value")
    looked_up = {cells[_ref(i + 1, key)]: cells[_ref(i + 1, value)] for i in range(len(table))}
    for r in table.itertuples():
        assert looked_up[L.bench_key(r.industry, r.statistic, r.year)] == r.value
    # the band table LOOKUP reads: ascending lower bounds, −100 opens the lowest band
    bounds = [cells[_ref(i + 1, L.BAND_FROM_COL)] for i in range(5)]
    assert bounds == [-100.0, 0.0, 30.0, 50.0, 70.0]
    dash = _cells(first_click["actions"], first_click["position"]["Dashboard"], ("setValues",))
    assert dash["B18"] == 0.95 and dash["B19"] == pytest.approx(1.959963984540054, abs=1e-15)


def test_first_click_adds_the_charts(first_click: dict) -> None:
    charts = [a for a in first_click["actions"] if a["func"] == "addChart"]
    assert [c["args"][0] for c in charts] == list(refresh.CHART_NAMES.values())
    sources = {c["args"][0]: (c["args"][2], c["args"][3]) for c in charts}
    # NPS, Low, High, Centre line, Lower and Upper control limit
    assert sources["NPS trend"] == ("Trend", "$F$1:$K$2")
    assert sources["NPS category mix"] == ("Dashboard", "$A$6:$B$8")


def test_first_click_then_typed_answers_refresh(first_click: dict, tmp_path: Path) -> None:
    """Second click: the user typed answers into the table the first click made."""
    frame = survey()
    payload = copy.deepcopy(first_click["after"])
    responses = payload["sheets"][first_click["position"]["Responses"]]
    typed = frame.assign(Date=frame["Date"].dt.date)  # date cells, as calamine reads them
    rows = [[_json_value(v) for v in row] for row in typed.to_numpy(dtype=object).tolist()]
    responses["values"] = [list(frame.columns), *rows]
    last = len(frame) + 1
    responses["tables"] = [_table(f"$A$1:$F${last}")]
    actions = run(payload)
    positions = {a["sheet_position"] for a in actions if a["sheet_position"] is not None}
    names = [s["name"] for s in payload["sheets"]]
    owned = {L.sheet_name(s) for s in (*refresh.WRITTEN_SHEETS, "dashboard")}
    assert {names[p] for p in positions} == owned
    # on the Dashboard only the two growing charts get their new ranges
    dash = [a for a in actions if names[a["sheet_position"] or 0] == "Dashboard"]
    assert {a["func"] for a in dash} == {"setChartSourceData", "setChartXAxisValues"}
    trend_rows = 3  # three months of answers
    assert ["Trend", f"$F$1:$K${trend_rows + 1}"] in [a["args"][1:3] for a in dash]
    # the same numbers as nps-xl report for these answers
    path = tmp_path / "report.xlsx"
    write_report(path, frame, segments=("Region", "Plan"))
    ours = written(actions, payload)
    for sid in ("trend", "segments", "themes", "invalid"):
        theirs = _sheet_values(path, L.sheet_name(sid))
        mine = ours[L.sheet_name(sid)]
        assert len(mine) == len(theirs), sid
        for a_row, b_row in zip(mine, theirs, strict=True):
            for a, b in zip(a_row, b_row, strict=False):
                assert (isinstance(a, str) and a.startswith("=")) or _same(a, b), (sid, a, b)
    assert run(apply(payload, actions)) == actions  # and a third click changes nothing


def test_first_click_twice_adds_nothing_more(first_click: dict) -> None:
    """A set-up workbook whose table is still empty: the click refreshes, adds no sheet."""
    actions = run(first_click["after"])
    assert not [a for a in actions if a["func"] in ("addSheet", "addTable", "namesAdd")]
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert alert["args"][0] == text("refresh_no_answers")


# --------------------------------------------------------------------------- pieces


def test_stretch_series_formula() -> None:
    f = "=SERIES('Trend'!$F$1,'Trend'!$A$2:$A$2,'Trend'!$F$2:$F$2,1)"
    assert refresh.stretch_series_formula(f, "Trend", 7) == (
        "=SERIES('Trend'!$F$1,'Trend'!$A$2:$A$8,'Trend'!$F$2:$F$8,1)"
    )
    other = "=SERIES(Dashboard!$A$6,Dashboard!$A$6:$A$8,Dashboard!$B$6:$B$8,1)"
    assert refresh.stretch_series_formula(other, "Trend", 7) == other


# --------------------------------------------------------------------------- the user's notes


def _follow_up_sheet(payload: dict) -> dict:
    return next(s for s in payload["sheets"] if s["name"] == L.sheet_name("followup"))


def _responses_sheet(payload: dict) -> dict:
    return next(s for s in payload["sheets"] if s["name"] == text("sheet_responses"))


def _anonymous_case(tmp_path: Path) -> tuple[pd.DataFrame, dict]:
    """The survey without Response IDs, written and refreshed once."""
    frame = survey().assign(**{"Response ID": None})
    path = tmp_path / "anonymous.xlsx"
    write_report(path, frame, segments=("Region", "Plan"))
    payload = payload_from_file(path, len(frame))
    return frame, apply(payload, run(payload))


def test_notes_follow_anonymous_answers_when_both_lists_are_resorted(tmp_path: Path) -> None:
    """Without Response IDs an answer is its date, comment and segments: re-sorting the answers
    and the Follow-up list keeps every note with its answer (never with a row number)."""
    _frame, payload = _anonymous_case(tmp_path)
    sheet = _follow_up_sheet(payload)
    header = sheet["values"][0]
    comment, status = header.index(text("comment")), header.index(text("status"))
    notes = {}
    for k, row in enumerate(sheet["values"][1:]):
        row[status] = f"note {k}"
        notes[row[comment]] = f"note {k}"
    sheet["values"][1:] = sheet["values"][1:][::-1]
    answers = _responses_sheet(payload)
    answers["values"][1:] = answers["values"][1:][::-1]  # the user sorted the answers too
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    kept = {r[comment]: r[status] for r in rows[1:]}
    assert kept == notes


def test_a_note_on_a_duplicated_id_stays_on_its_own_answer(case: dict) -> None:
    payload = copy.deepcopy(case["payload"])
    answers = _responses_sheet(payload)["values"]
    header = answers[0]
    rid, score = header.index("Response ID"), header.index("Score")
    detractors = [i for i, r in enumerate(answers[1:], start=1) if r[score] in (0, 1, 2, 3)]
    first, second = detractors[:2]
    answers[second][rid] = answers[first][rid]  # two answers share one ID
    payload = apply(payload, run(payload))
    sheet = _follow_up_sheet(payload)
    head = sheet["values"][0]
    id_col, status = head.index(text("response_id")), head.index(text("status"))
    shared = answers[first][rid]
    rows = [r for r in sheet["values"][1:] if r[id_col] == shared]
    assert len(rows) == 2
    rows[0][status] = "called"
    again = written(run(payload), payload)[L.sheet_name("followup")]
    assert sorted(r[status] or "" for r in again[1:] if r[id_col] == shared) == ["", "called"]


def _note_on_first_detractor(payload: dict, status_text: str, owner: str) -> tuple:
    """Type a Status note and an Owner (a column the user adds) on the first Follow-up row;
    returns the Follow-up header positions, that row and the Responses rows."""
    sheet = _follow_up_sheet(payload)
    head = sheet["values"][0]
    id_col, status = head.index(text("response_id")), head.index(text("status"))
    head.append("Owner")
    for row in sheet["values"][1:]:
        row.append(None)
    target = sheet["values"][1]
    target[status], target[-1] = status_text, owner
    return id_col, status, target, _responses_sheet(payload)["values"]


def test_a_note_survives_a_corrected_score_and_the_users_columns_stay(case: dict) -> None:
    payload = apply(case["payload"], case["actions"])
    id_col, status, target, answers = _note_on_first_detractor(payload, "called back", "Ona")
    rid, score = answers[0].index("Response ID"), answers[0].index("Score")
    row = next(r for r in answers[1:] if r[rid] == target[id_col])
    row[score] = 5 if row[score] != 5 else 4  # corrected, still a detractor
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    assert rows[0][-1] == "Owner"
    got = next(r for r in rows[1:] if r[id_col] == target[id_col])
    assert (got[status], got[-1]) == ("called back", "Ona")


def test_a_users_sheet_named_like_a_report_sheet_is_never_cleared(case: dict) -> None:
    payload = copy.deepcopy(case["payload"])
    trend = next(s for s in payload["sheets"] if s["name"] == L.sheet_name("trend"))
    trend["values"] = [["my own trend notes"], ["keep"]]
    actions = run(payload)
    names = [s["name"] for s in payload["sheets"]]
    position = names.index(L.sheet_name("trend"))
    assert not [a for a in actions if a["sheet_position"] == position]
    (added,) = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == "Trend (NPS)"
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert "Trend (NPS)" in alert["args"][0]


def test_invalid_rows_are_excel_rows_when_the_table_starts_lower(case: dict) -> None:
    payload = copy.deepcopy(case["payload"])
    answers = _responses_sheet(payload)
    answers["values"] = [["Survey export"], [None], *answers["values"]]  # two rows above
    (table,) = answers["tables"]
    last = len(case["frame"]) + 3
    table.update(
        range_address=f"$A$3:$F${last}",
        header_row_range_address="$A$3:$F$3",
        data_body_range_address=f"$A$4:$F${last}",
    )
    rows = written(run(payload), payload)[L.sheet_name("invalid")]
    assert rows[1:] == [[9, "11"], [21, "ten"]]  # answers 6 and 18 of the table: rows 9, 21


# --------------------------------------------------------------------------- what Excel parses


def test_no_text_reaches_excel_unprotected(case: dict, first_click: dict) -> None:
    """Excel parses setValues like typed input ("2025-05" → a date, "0012" → 12, "TRUE" → a
    boolean): every text value the refresh sends carries the apostrophe text prefix, except
    the formulas it means (which start with "=")."""
    formulas = {f"={L.BENCHMARK_NAME}"}
    # xlwings sends a datetime as ISO text (a date cell is meant): 2025-03-26 or …T10:00:00
    iso_datetime = re.compile(r"\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2})?")
    for actions in (case["actions"], first_click["actions"]):
        for a in actions:
            if a["func"] != "setValues":
                continue
            for row in a["values"]:
                for v in row:
                    if isinstance(v, str) and v:  # "" is how an empty cell travels
                        protected = v.startswith("'") or v in formulas
                        assert protected or iso_datetime.fullmatch(v), v
    periods = written(case["actions"], case["payload"])[L.sheet_name("trend")]
    assert periods[1][0] == "2025-01"  # stored as text, not as a date


def test_the_table_is_added_on_the_active_responses_sheet(first_click: dict) -> None:
    """Office.js resolves a table's bare address against the active sheet: the Responses sheet
    is activated before its table is added."""
    actions = first_click["actions"]
    (table,) = [k for k, a in enumerate(actions) if a["func"] == "addTable"]
    activated = [a for a in actions[:table] if a["func"] == "activateSheet"]
    assert activated, "no sheet was activated before addTable"
    responses = first_click["position"][text("sheet_responses")]
    assert activated[-1]["args"] in (responses, [responses], responses + 1, [responses + 1])


def test_text_longer_than_a_cell_is_cut_with_a_mark(tmp_path: Path) -> None:
    """Excel holds at most 32,767 characters in a cell (Microsoft, "Excel specifications and
    limits"): a longer comment reaches the refresh's Follow-up list cut, ending in "[…]"."""
    frame = survey()
    frame.loc[0, "Score"], frame.loc[0, "Comment"] = 0, "z" * 40_000  # a detractor
    path = tmp_path / "long.xlsx"
    write_report(path, frame, segments=("Region", "Plan"))
    payload = payload_from_file(path, len(frame))
    responses = _responses_sheet(payload)["values"]
    responses[1][responses[0].index("Comment")] = "z" * 40_000  # as typed in Excel's table
    actions = run(payload)
    longest = max(
        len(v) for a in actions if a["func"] == "setValues" for row in a["values"] for v in row
        if isinstance(v, str)
    )  # fmt: skip
    assert longest == 32_767 + 1  # the apostrophe text prefix is not part of the value
    rows = written(actions, payload)[L.sheet_name("followup")]
    comments = [r[rows[0].index(text("comment"))] for r in rows[1:]]
    assert "z" * (32_767 - 3) + "[…]" in comments


def test_a_header_typed_before_the_more_note_does_not_carry_the_note(tmp_path: Path) -> None:
    """The note "N more detractors not listed" stands right of the table after a gap; a user
    who types a header ("Owner") into that gap keeps their column, and the old note is not
    read back as a column of theirs (it would pile up at every refresh)."""
    frame = survey()
    path = tmp_path / "more.xlsx"
    write_report(path, frame, segments=("Region", "Plan"), follow_up_limit=3)
    payload = payload_from_file(path, len(frame))
    sheet = _follow_up_sheet(payload)
    header = sheet["values"][0]
    gap = header.index(None) if None in header else len(header)
    header[gap] = "Owner"
    before = len(header)
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    assert "Owner" in rows[0]
    # the refresh lists up to 5,000 detractors: all of these, so no note at all, and the file's
    # old note is not carried as a column
    notes = [h for h in rows[0] if isinstance(h, str) and "more detractors not listed" in h]
    assert not notes and len(rows[0]) < before


def test_notes_of_answers_that_leave_the_list_are_kept_below_it(case: dict) -> None:
    """A corrected score takes an answer off the list: its note and Owner stay, below the
    list, as the user left them — and stay there at the next refresh."""
    payload = apply(case["payload"], case["actions"])
    id_col, status, target, answers = _note_on_first_detractor(payload, "promised a refund", "Ona")
    rid, score = answers[0].index("Response ID"), answers[0].index("Score")
    next(r for r in answers[1:] if r[rid] == target[id_col])[score] = 10  # now a promoter
    for _ in range(2):  # and again: the kept note does not vanish on the next click
        actions = run(payload)
        rows = written(actions, payload)[L.sheet_name("followup")]
        listed = [r[id_col] for r in rows[1:]]
        heading = listed.index(text("wb_followup_kept"))  # the line above the kept notes
        assert target[id_col] not in listed[:heading]
        kept = rows[heading + 2 :]  # rows[0] is the header; listed[i] is rows[i + 1]
        got = next(r for r in kept if r[id_col] == target[id_col])
        assert (got[status], got[-1]) == ("promised a refund", "Ona"), kept
        payload = apply(payload, actions)


# --------------------------------------------------------------------------- notes are the user's


def _typed_notes(payload: dict, column: int, k: int = 3) -> dict[str, str]:
    """Type a note into ``column`` of the first ``k`` Follow-up rows: ``{response ID: note}``."""
    sheet = _follow_up_sheet(payload)
    id_col = sheet["values"][0].index(text("response_id"))
    notes = {}
    for i, row in enumerate(sheet["values"][1 : k + 1]):
        row[column] = f"note {i}"
        notes[row[id_col]] = f"note {i}"
    return notes


@pytest.mark.parametrize(
    "new_header",
    ["status", "  STATUS ", "Notes", None],
    ids=["re-cased", "spaced", "renamed", "cleared"],
)
def test_notes_survive_a_changed_status_header(case: dict, new_header: object) -> None:
    """Re-cased, renamed or cleared, the Status header's notes are the user's: after the
    refresh each note is on its answer's row, in a column headed as the user left it (or,
    re-cased, in Status itself)."""
    payload = apply(case["payload"], case["actions"])
    sheet = _follow_up_sheet(payload)
    header = sheet["values"][0]
    status = header.index(text("status"))
    notes = _typed_notes(payload, status)
    header[status] = new_header
    sheet["values"][1:] = sheet["values"][1:][::-1]  # and sorted the other way
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    head = rows[0]
    id_col = head.index(text("response_id"))
    if new_header is None:
        where = head.index(f"Column{status + 1}")  # as Excel names a column without a header
    elif new_header == "Notes":
        where = head.index("Notes")
    else:
        where = head.index(text("status"))
    got = {r[id_col]: r[where] for r in rows[1:] if r[where]}
    assert got == notes


def test_notes_survive_a_re_cased_response_id_header(case: dict) -> None:
    payload = apply(case["payload"], case["actions"])
    sheet = _follow_up_sheet(payload)
    status = sheet["values"][0].index(text("status"))
    notes = _typed_notes(payload, status)
    sheet["values"][0][0] = " response id"
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    got = {r[0]: r[status] for r in rows[1:] if r[status]}
    assert got == notes


def test_a_follow_up_sheet_that_cannot_be_matched_is_left_and_the_list_written_beside(
    case: dict,
) -> None:
    """Without its Response ID header the answers cannot be told apart: the sheet stays as
    the user left it (no action touches it), the new list goes to a sheet of its own, and the
    message says so."""
    payload = apply(case["payload"], case["actions"])
    sheet = _follow_up_sheet(payload)
    _typed_notes(payload, sheet["values"][0].index(text("status")))
    sheet["values"][0][0] = "Ticket"
    actions = run(payload)
    position = [s["name"] for s in payload["sheets"]].index(L.sheet_name("followup"))
    assert not [a for a in actions if a.get("sheet_position") == position]
    (added,) = [a["args"][1] for a in actions if a["func"] == "addSheet"]
    assert added == f"{L.sheet_name('followup')} (NPS)"
    (alert,) = [a for a in actions if a["func"] == "alert"]
    assert added in alert["args"][0]


def test_follow_up_headers_are_the_responses_tables_de_duplicated_headers(tmp_path: Path) -> None:
    """Two segments "Region" and "REGION": the Responses table (Excel compares headers without
    case) has "REGION (2)", and so has the Follow-up sheet, in the file and after the refresh,
    which then recognises every column and adds none."""
    frame = survey().rename(columns={"Plan": "REGION"})
    path = tmp_path / "twice.xlsx"
    write_report(path, frame, segments=("Region", "REGION"))
    book = CalamineWorkbook.from_path(str(path))
    responses = book.get_sheet_by_name(text("sheet_responses")).to_python()[0]
    follow = book.get_sheet_by_name(L.sheet_name("followup")).to_python()[0]
    assert responses[-2:] == ["Region", "REGION (2)"]
    assert [h for h in follow if h in ("Region", "REGION", "REGION (2)")] == responses[-2:]
    payload = payload_from_file(path, len(frame))
    rows = written(run(payload), payload)[L.sheet_name("followup")]
    assert rows[0] == [h if h != "" else None for h in follow][: len(rows[0])]
    assert len([h for h in rows[0] if h]) == len([h for h in follow if h])
