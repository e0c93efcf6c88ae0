"""The refresh explains itself (issue 23, item 5): a Responses table it cannot read is named,
with what to do, and nothing is written. Run through xlwings' own Book (tests/refresh_runner.py)."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pandas as pd
import pytest
from test_refresh import USER_SHEET, payload_from_file, run, survey, written

from nps_xl.excel import refresh
from nps_xl.i18n import text
from nps_xl.report import FOLLOW_UP_LIMIT
from nps_xl.workbook import layout as L
from nps_xl.workbook.xlsx import write_report

#: Actions that change the workbook (an alert only reports).
WRITES = {
    "setValues",
    "setFormula",
    "addSheet",
    "addTable",
    "namesAdd",
    "setNameRefersTo",
    "sheetClearContents",
}


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("explains") / "report.xlsx"
    write_report(path, survey(), segments=("Region", "Plan"))
    return path


def _payload(report: Path) -> dict:
    return payload_from_file(report, len(survey()))


def _responses(payload: dict) -> dict:
    return next(s for s in payload["sheets"] if s["name"] == text("sheet_responses"))


def _message(actions: list[dict]) -> str:
    (alert,) = [a for a in actions if a["func"] == "alert"]
    return alert["args"][0]


def _nothing_written(actions: list[dict]) -> bool:
    return not [a for a in actions if a["func"] in WRITES]


def test_a_renamed_table_is_named_with_its_sheet_and_nothing_written(report: Path) -> None:
    payload = _payload(report)
    _responses(payload)["tables"][0]["name"] = "Answers2025"
    actions = run(payload)
    message = _message(actions)
    assert _nothing_written(actions)
    assert "Answers2025" in message and text("sheet_responses") in message
    assert "back to Responses" in message and "\n" not in message
    assert "added the sheets" not in message


def test_a_plain_range_is_named_and_nothing_written(report: Path) -> None:
    payload = _payload(report)
    _responses(payload)["tables"] = []
    actions = run(payload)
    message = _message(actions)
    assert _nothing_written(actions)
    assert "plain range" in message and text("sheet_responses") in message
    assert "added the sheets" not in message and " - " not in message


def test_a_table_of_answers_in_a_new_workbook_is_named(report: Path) -> None:
    """No report sheet yet, but a table whose header names the score: rename it, not a new
    empty Responses table beside it."""
    payload = _payload(report)
    sheet = _responses(payload)
    sheet["name"] = "Survey"
    sheet["tables"][0]["name"] = "Table1"
    payload["sheets"] = [sheet, next(s for s in payload["sheets"] if s["name"] == USER_SHEET)]
    actions = run(payload)
    assert _nothing_written(actions)
    assert "Table1" in _message(actions) and "Survey" in _message(actions)


@pytest.mark.parametrize("header", ["Score", "score ", "SCORE", "response  id", "Date"])
def test_two_columns_headed_alike_are_named_by_letter(report: Path, header: str) -> None:
    payload = _payload(report)
    sheet = _responses(payload)
    # the test puts a seventh column G after A:F, headed like one of the fixed columns
    values = sheet["values"]
    sheet["values"] = [[*row[:6], header if i == 0 else 5] for i, row in enumerate(values)]
    table = sheet["tables"][0]
    last = len(survey()) + 1
    table.update(
        range_address=f"$A$1:$G${last}",
        header_row_range_address="$A$1:$G$1",
        data_body_range_address=f"$A$2:$G${last}",
    )
    fixed = {"score": "C", "response id": "A", "date": "B"}[" ".join(header.split()).lower()]
    actions = run(payload)
    message = _message(actions)
    assert _nothing_written(actions)
    assert f"Columns {fixed}, G " in message
    assert {"C": "'Score'", "A": "'Response ID'", "B": "'Date'"}[fixed] in message


# --------------------------------------------------------------------------- #REF! names

#: A name of the user's, broken too: never the report's to redefine.
USER_NAME = "MyTarget"


def _name(name: str, refers_to: str, sheet: tuple[str, int] | None = None) -> dict:
    """A defined name as Office.js sends it (``sheet``: the scope of a sheet-scoped name)."""
    return {
        "name": name,
        "refers_to": refers_to,
        "book_scope": sheet is None,
        "scope_sheet_name": None if sheet is None else sheet[0],
        "scope_sheet_index": None if sheet is None else sheet[1],
        "sheet_index": None,
        "address": None,
    }


def _redefined(actions: list[dict]) -> dict[str, str]:
    return {a["args"][0]: a["args"][3] for a in actions if a["func"] == "setNameRefersTo"}


def _broken_names_payload(report: Path, *, drop_dashboard: bool = False) -> dict:
    """The report's names as Excel leaves them after its Dashboard and Benchmarks sheets were
    deleted (``=#REF!$B$9``), the user's own broken name, and a sheet-scoped NPS_Scale."""
    payload = _payload(report)
    if drop_dashboard:
        dashboard = L.sheet_name("dashboard")
        payload["sheets"] = [s for s in payload["sheets"] if s["name"] != dashboard]
    names = [_name(n, "=#REF!$B$9") for n in ("NPS_Score", "NPS_Benchmark")]
    names += [
        _name(L.BENCH_KEY_RANGE, "=#REF!$A$2:$A$9"),
        _name(L.SCALE_NAME, "=#REF!"),
        _name("NPS_Responses_Kept", "='Dashboard'!$B$3"),  # the user's, not broken
        _name(USER_NAME, "=#REF!$A$1"),
        _name(L.SCALE_NAME, "=#REF!$C$1", sheet=(USER_SHEET, len(payload["sheets"]) - 1)),
    ]
    payload["names"] = names
    return payload


def test_ref_names_are_redefined_to_their_sheets_and_said(report: Path) -> None:
    proper = {**L.defined_names("en"), **refresh.report_names("en")}
    actions = run(_broken_names_payload(report))
    redefined = _redefined(actions)
    assert redefined == {
        "NPS_Score": proper["NPS_Score"],
        "NPS_Benchmark": proper["NPS_Benchmark"],
        L.BENCH_KEY_RANGE: proper[L.BENCH_KEY_RANGE],
        L.SCALE_NAME: '=""',  # no scale stated: the answers decide, as on the first click
    }
    assert proper["NPS_Score"].startswith("='Dashboard'!$")
    # the user's broken name, and the sheet-scoped NPS_Scale, stay as they are
    assert USER_NAME not in redefined and "NPS_Responses_Kept" not in redefined
    scoped = [a for a in actions if a["func"] == "setNameRefersTo" and not a["args"][1]]
    assert scoped == []
    message = _message(actions)
    assert "Redefined the report's names NPS_Score, NPS_Benchmark" in message
    assert USER_NAME not in message and "#REF!" in message
    assert "Report refreshed from 57 valid answers" in message


def test_ref_names_are_redefined_after_a_deleted_dashboard_is_set_up_again(report: Path) -> None:
    actions = run(_broken_names_payload(report, drop_dashboard=True))
    funcs = [a["func"] for a in actions]
    assert "addSheet" in funcs
    assert funcs.index("addSheet") < funcs.index("setNameRefersTo")
    added = {a["args"][0] for a in actions if a["func"] == "namesAdd"}
    assert "NPS_Score" not in added  # the name exists: redefined, never added twice
    assert _redefined(actions)["NPS_Score"] == L.defined_names("en")["NPS_Score"]


def test_a_ref_scale_name_is_no_scale_stated(report: Path) -> None:
    """A broken NPS_Scale is read as no scale stated: the 0–10 answers the test wrote are
    refreshed (not refused as a scale "#REF!")."""
    payload = _payload(report)
    payload["names"] = [_name(L.SCALE_NAME, "=#REF!")]
    actions = run(payload)
    message = _message(actions)
    assert "Report refreshed from 57 valid answers" in message
    assert _redefined(actions) == {L.SCALE_NAME: '=""'}


# --------------------------------------------------------------------------- Follow-up limit


def test_the_report_file_states_its_follow_up_limit(tmp_path: Path) -> None:
    path = tmp_path / "limit.xlsx"
    write_report(path, survey(), follow_up_limit=7)
    with zipfile.ZipFile(path) as z:
        workbook = z.read("xl/workbook.xml").decode()
    assert f'name="{L.FOLLOW_UP_NAME}">7</definedName>' in workbook
    none = tmp_path / "none.xlsx"
    write_report(none, survey(), follow_up_limit=None)
    with zipfile.ZipFile(none) as z:
        assert f'name="{L.FOLLOW_UP_NAME}">""</definedName>' in z.read("xl/workbook.xml").decode()
    assert L.FOLLOW_UP_DEFAULT == FOLLOW_UP_LIMIT


def _follow_up_rows(actions: list[dict], payload: dict) -> list[list[object]]:
    return written(actions, payload)[L.sheet_name("followup")]


def _detractors() -> int:
    return int((pd.to_numeric(survey()["Score"], errors="coerce") <= 6).sum())


def test_the_refresh_keeps_the_workbooks_follow_up_limit(report: Path) -> None:
    payload = _payload(report)
    payload["names"] = [_name(L.FOLLOW_UP_NAME, "=3")]
    actions = run(payload)
    rows = _follow_up_rows(actions, payload)
    listed = [r for r in rows[1:] if r[0] is not None and str(r[0]).startswith("R")]
    assert len(listed) == 3 < _detractors()
    assert any(str(_detractors() - 3) in str(v) for v in rows[0] if v)  # the "more" note


def test_a_broken_follow_up_limit_is_the_default_and_redefined(report: Path) -> None:
    payload = _payload(report)
    payload["names"] = [_name(L.FOLLOW_UP_NAME, "=#REF!")]
    actions = run(payload)
    rows = _follow_up_rows(actions, payload)
    listed = [r for r in rows[1:] if r[0] is not None and str(r[0]).startswith("R")]
    assert len(listed) == _detractors()
    assert _redefined(actions) == {L.FOLLOW_UP_NAME: f"={FOLLOW_UP_LIMIT}"}


class _Name:
    def __init__(self, name: str, refers_to: str | None) -> None:
        self.name, self.refers_to = name, refers_to


class _Book:
    def __init__(self, *names: _Name) -> None:
        self.names = list(names)


@pytest.mark.parametrize(
    ("refers_to", "limit"),
    [("=12", 12), ("=0", 0), ('=""', None), ("=-2", FOLLOW_UP_LIMIT), ("=2.5", FOLLOW_UP_LIMIT),
     ("=abc", FOLLOW_UP_LIMIT), (None, FOLLOW_UP_LIMIT), ("=#REF!", FOLLOW_UP_LIMIT)],
)  # fmt: skip
def test_workbook_follow_up_limit(refers_to: str | None, limit: int | None) -> None:
    book = _Book(_Name("MyLimit", "=1"), _Name(L.FOLLOW_UP_NAME.lower(), refers_to))
    assert refresh.workbook_follow_up_limit(book) == limit
    assert refresh.workbook_follow_up_limit(_Book()) == FOLLOW_UP_LIMIT
