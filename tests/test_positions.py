"""One number for one answer (docs: cli.md, `--json`; reading.md): an invalid answer of a CSV
export is named by the physical line of the file ("line 7"), one of a spreadsheet by its Excel
row ("row 7"), the same in the terminal, the JSON, --tables, the workbook's Invalid answers
sheet, the errors and the Python API. The expected numbers are counted here from the file's
text (a text editor's line numbers) and from openpyxl's own row numbers."""

from __future__ import annotations

import csv
import json

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

import nps_xl
from nps_xl.cli import app
from nps_xl.io import load_survey

runner = CliRunner()
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}

#: a comment quoted over three lines and a blank line: the lines a text editor shows differ
#: from the record count
CSV = (
    "Response ID,Score,Comment\n"
    "r1,9,fine\n"
    'r2,3,"slow\nand\nrude"\n'
    "r3,N/A,\n"
    "\n"
    "r4,11,too good\n"
    "r5,10,ok\n"
)


def _editor_lines(text: str, values: set[str]) -> dict[str, int]:
    """The line a text editor shows for each record whose score is in ``values``."""
    found, line = {}, 1
    reader = csv.reader(text.splitlines(keepends=True))
    for record in reader:
        if record and record[1] in values:
            found[record[1]] = line
        line = reader.line_num + 1
    return found


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "answers.csv"
    path.write_text(CSV, encoding="utf-8")
    return path


def test_a_csv_answer_is_named_by_its_line_everywhere(tmp_path, export):
    lines = _editor_lines(CSV, {"N/A", "11"})
    assert lines == {"N/A": 6, "11": 8}  # what the editor shows: header 1, r2 over 3–5
    out, folder = tmp_path / "r.xlsx", tmp_path / "tables"
    folder.mkdir()
    result = runner.invoke(
        app, ["report", str(export), "-o", str(out), "--tables", str(folder), "--score", "Score"]
    )
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "'N/A' in line 6" in flat and "'11' in line 8" in flat and " in row " not in flat
    doc = json.loads(
        runner.invoke(app, ["summary", str(export), "--json", "--score", "Score"], env=ENV).stdout
    )
    assert doc["invalid"] == [
        {"line": 6, "response_id": "r3", "value": "N/A"},
        {"line": 8, "response_id": "r4", "value": "11"},
    ]
    with open(folder / "invalid_answers.csv", encoding="utf-8") as fh:
        assert list(csv.reader(fh))[:3] == [
            ["line", "response_id", "value"],
            ["6", "r3", "N/A"],
            ["8", "r4", "11"],
        ]
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Invalid answers").to_python()
    assert grid[0][:2] == ["Line", "Value"]
    assert [(int(r[0]), r[1]) for r in grid[1:]] == [(6, "N/A"), (8, "11")]
    stop = runner.invoke(
        app, ["summary", str(export), "--invalid", "error", "--score", "Score"], env=ENV
    )
    assert stop.exit_code == 2 and "'N/A' in line 6" in " ".join(stop.output.split())
    # the Python API: the same numbers, in a column named for what they count
    survey = load_survey(export, score="Score")
    table = nps_xl.invalid_answers(survey.frame, response_id="Response ID")
    assert list(table.columns) == ["line", "response_id", "value"]
    assert table["line"].tolist() == [6, 8]


def test_a_spreadsheet_answer_is_named_by_its_excel_row_everywhere(tmp_path):
    path = tmp_path / "answers.xlsx"
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Response ID", "Score"])
    for rid, score in [("r1", 9), (None, None), ("r2", "N/A"), ("r3", 10), ("r4", 12)]:
        sheet.append([rid, score])  # a blank row between the answers: Excel counts it
    book.save(path)
    rows = {
        c.value: c.row for c in openpyxl.load_workbook(path).active["B"] if c.value in ("N/A", 12)
    }
    assert rows == {"N/A": 4, 12: 6}
    doc = json.loads(
        runner.invoke(app, ["summary", str(path), "--json", "--score", "Score"], env=ENV).stdout
    )
    assert [r["row"] for r in doc["invalid"]] == [4, 6] and "line" not in doc["invalid"][0]
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["report", str(path), "-o", str(out), "--score", "Score"], env=ENV)
    flat = " ".join(result.output.split())
    assert "'N/A' in row 4" in flat and "12 in row 6" in flat and " in line " not in flat
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Invalid answers").to_python()
    assert grid[0][0] == "Row" and [int(r[0]) for r in grid[1:]] == [4, 6]
    table = nps_xl.invalid_answers(load_survey(path, score="Score").frame)
    assert table["row"].tolist() == [4, 6]
