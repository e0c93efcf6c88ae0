"""The refresh explains itself (issue 23, item 5): a Responses table it cannot read is named,
with what to do, and nothing is written. Run through xlwings' own Book (tests/refresh_runner.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_refresh import USER_SHEET, payload_from_file, run, survey

from nps_xl.i18n import text
from nps_xl.workbook.xlsx import write_report

#: Actions that change the workbook (an alert only reports).
WRITES = {"setValues", "setFormula", "addSheet", "addTable", "namesAdd", "sheetClearContents"}


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
