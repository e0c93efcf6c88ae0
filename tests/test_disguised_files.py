"""Files that are not what their name says: a web page saved as .xls, the answers on a later
sheet, standard input and pipes. Each file is written here; the expected counts are those of
the answers this test wrote, not of the reader's own output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from nps_xl.io import SurveyFileError, load_survey, read_survey

ROOT = Path(__file__).resolve().parents[1]
SCORES = [10, 9, 9, 3, 7, 0, 10, 8, 6, 10]
PROMOTERS = sum(s >= 9 for s in SCORES)
DETRACTORS = sum(s <= 6 for s in SCORES)


def _cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", *args],
        input=stdin,
        capture_output=True,
        env=env,
        timeout=120,
    )


def _csv_text() -> str:
    return "Customer,Score\n" + "".join(f"c{i},{s}\n" for i, s in enumerate(SCORES))


def _page(*, charset: str = "utf-8", lead: str = "\ufeff  \n<!DOCTYPE HTML>") -> str:
    rows = "".join(
        f"<tr><td>Jonas&nbsp;{i}</td><td>Kaunas<br>LT</td><td>{s}</td></tr>"
        for i, s in enumerate(SCORES)
    )
    return (
        f'{lead}<HTML xmlns:x="urn:schemas-microsoft-com:office:excel"><head>'
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}"></head><body>'
        "<table><tr><td>Survey export</td></tr><tr><td>Šiauliai office</td></tr></table>"
        '<table><thead><tr><th colspan="2">Klientas</th><th>NPS</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></body></HTML>"
    )


def _summary_json(*args: str, stdin: bytes | None = None) -> dict:
    run = _cli("summary", *args, "--json", stdin=stdin)
    assert run.returncode == 0, run.stderr.decode()
    return json.loads(run.stdout)


def _counts(document: dict) -> tuple[int, int, int]:
    h = document["headline"]
    return h["n"], h["promoters"], h["detractors"]


# ----------------------------------------------------------------------------- web pages


@pytest.mark.parametrize("name", ["export.xls", "export.xlsx", "export.csv"])
def test_web_page_named_as_spreadsheet_is_read_as_its_table(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(_page(charset="windows-1257", lead="  \n<!DOCTYPE HTML>").encode("cp1257"))
    frame = read_survey(path)
    assert list(frame["NPS"]) == SCORES
    # header row 1, the answers in table rows 2…
    assert frame.index.name == "row"
    assert list(frame.index) == list(range(2, 2 + len(SCORES)))
    assert frame.iloc[0, 0] == "Jonas 0"  # &nbsp; as a space
    assert frame.iloc[0, 1] == "Kaunas LT"  # <br> as a space


def test_web_page_declared_charset_is_respected(tmp_path):
    path = tmp_path / "crm.xls"
    path.write_bytes(_page(charset="windows-1257", lead="").encode("windows-1257"))
    survey = load_survey(path)
    assert survey.frame["Score"].tolist() == SCORES
    assert any("table 2 of 2" in n for n in survey.notes)


def test_web_page_counts_on_the_cli(tmp_path):
    path = tmp_path / "bank.xls"
    path.write_text(_page(), encoding="utf-8")
    assert _counts(_summary_json(str(path))) == (len(SCORES), PROMOTERS, DETRACTORS)


@pytest.mark.parametrize(
    "html",
    [
        "<html><body><p>Session expired, please log in.</p></body></html>",
        "  <!doctype html><table><tr><th>Only a header</th></tr></table>",
    ],
)
def test_web_page_without_answers_says_so(tmp_path, html):
    path = tmp_path / "export.xls"
    path.write_text(html, encoding="utf-8")
    with pytest.raises(SurveyFileError) as caught:
        read_survey(path)
    assert "is a web page, not a workbook" in str(caught.value)
    run = _cli("summary", str(path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert "export.xls is a web page" in err and "has no answers" not in err


# ----------------------------------------------------------------------------- sheets


def _workbook(path: Path, sheets: dict[str, list[list]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    for name, rows in sheets.items():
        sheet = book.add_worksheet(name)
        for r, row in enumerate(rows):
            sheet.write_row(r, 0, row)
    book.close()


def _answers() -> list[list]:
    return [["Customer", "How likely are you to recommend us?"]] + [
        [f"c{i}", s] for i, s in enumerate(SCORES)
    ]


def test_answers_on_the_second_sheet_are_found(tmp_path):
    path = tmp_path / "export.xlsx"
    _workbook(path, {"About": [["Exported by"], ["Survey tool"]], "Responses": _answers()})
    survey = load_survey(path)
    assert survey.frame["Score"].tolist() == SCORES
    assert any("'Responses'" in n for n in survey.notes)
    assert _counts(_summary_json(str(path))) == (len(SCORES), PROMOTERS, DETRACTORS)


def test_the_duckdb_engine_finds_the_sheet_too(tmp_path):
    # the engine that big workbooks go to picks the sheet by the same rule
    path = tmp_path / "export.xlsx"
    _workbook(path, {"About": [["Exported by"], ["Survey tool"]], "Responses": _answers()})
    document = _summary_json(str(path), "--engine", "duckdb")
    assert _counts(document) == (len(SCORES), PROMOTERS, DETRACTORS)


def test_several_sheets_with_scores_are_refused(tmp_path):
    path = tmp_path / "waves.xlsx"
    _workbook(path, {"Q1": _answers(), "Q2": _answers()})
    run = _cli("summary", str(path))
    assert run.returncode == 2
    err = run.stderr.decode()
    assert "'Q1'" in err and "'Q2'" in err and "--sheet" in err
    assert _counts(_summary_json(str(path), "--sheet", "Q2"))[0] == len(SCORES)


def test_no_sheet_with_scores_lists_the_sheets(tmp_path):
    path = tmp_path / "notes.xlsx"
    _workbook(path, {"Cover": [["Title"], ["x"]], "Notes": [["Text"], ["hello"]]})
    with pytest.raises(SurveyFileError) as caught:
        read_survey(path)
    assert "'Cover'" in str(caught.value) and "'Notes'" in str(caught.value)


# ----------------------------------------------------------------------------- pipes


def test_standard_input_is_read():
    document = _summary_json("-", stdin=_csv_text().encode())
    assert _counts(document) == (len(SCORES), PROMOTERS, DETRACTORS)


def test_report_from_standard_input(tmp_path):
    out = tmp_path / "out.xlsx"
    run = _cli("report", "-", "-o", str(out), "--brief", stdin=_csv_text().encode())
    assert run.returncode == 0, run.stderr.decode()
    assert out.stat().st_size > 0


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_read(tmp_path):
    fifo = tmp_path / "answers"
    os.mkfifo(fifo)
    data = _csv_text().encode()

    def write() -> None:
        with open(fifo, "wb") as fh:
            fh.write(data)

    writer = threading.Thread(target=write, daemon=True)
    writer.start()
    document = _summary_json(str(fifo))
    writer.join(timeout=30)
    assert _counts(document) == (len(SCORES), PROMOTERS, DETRACTORS)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_through_the_python_api(tmp_path):
    fifo = tmp_path / "answers.xls"
    os.mkfifo(fifo)
    data = _page().encode()
    writer = threading.Thread(target=lambda: fifo.write_bytes(data), daemon=True)
    writer.start()
    frame = read_survey(fifo)
    writer.join(timeout=30)
    assert list(frame["NPS"]) == SCORES
