"""Answers dated by period, not by day (docs: reading.md, "Periods"): 202401, 2024-01,
2024 Q1, Q1 2024, 2024-W05 and month names in the five languages are dates — their periods'
first days — and the trend is never finer than they are. Expected first days are the
calendar's (ISO 8601 weeks: week 1 holds the year's first Thursday, weeks start on Monday);
expected counts per period are counted here with pandas from the file's own text."""

from __future__ import annotations

import json
import random
import warnings
from pathlib import Path

import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from typer.testing import CliRunner

import nps_xl
from nps_xl.cli import app
from nps_xl.dates import parse_period
from nps_xl.io import load_survey
from nps_xl.workbook import layout as L

runner = CliRunner()
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}
T = pd.Timestamp


@pytest.mark.parametrize(
    ("value", "start", "grain"),
    [
        (202401, T("2024-01-01"), "month"),
        ("202412", T("2024-12-01"), "month"),
        (202407.0, T("2024-07-01"), "month"),  # a spreadsheet's number cell
        ("2024-03", T("2024-03-01"), "month"),
        ("2024/3", T("2024-03-01"), "month"),
        ("03/2024", T("2024-03-01"), "month"),
        ("2024 Q1", T("2024-01-01"), "quarter"),
        ("Q3 2024", T("2024-07-01"), "quarter"),
        ("2024-Q4", T("2024-10-01"), "quarter"),
        ("2024年第2季度", T("2024-04-01"), "quarter"),
        ("2024 m. 3 ketv.", T("2024-07-01"), "quarter"),
        ("2024-W01", T("2024-01-01"), "week"),  # 1 January 2024 was a Monday
        ("2021-W01", T("2021-01-04"), "week"),  # 2021 began on a Friday: week 1 from the 4th
        ("2020-W53", T("2020-12-28"), "week"),  # 2020 had 53 ISO weeks
        ("2024-W05", T("2024-01-29"), "week"),
        ("January 2024", T("2024-01-01"), "month"),
        ("Sep 2024", T("2024-09-01"), "month"),
        ("2024年1月", T("2024-01-01"), "month"),
        ("2024年11月", T("2024-11-01"), "month"),
        ("2024 m. sausis", T("2024-01-01"), "month"),
        ("2024 m. rugsėjo", T("2024-09-01"), "month"),
        ("януари 2024", T("2024-01-01"), "month"),
        ("октомври 2024 г.", T("2024-10-01"), "month"),
        ("marzo 2024", T("2024-03-01"), "month"),
    ],
)
def test_period_values_are_their_first_days(value, start, grain):
    assert parse_period(value) == (start, grain)


@pytest.mark.parametrize(
    "value", ["2024-05-31", "202413", "2021-W53", "2024", "Q5 2024", "Total", "", 45658, True]
)
def test_what_is_not_a_period(value):
    assert parse_period(value) is None


def _export(tmp_path: Path, name: str, header: str, periods: list[object], seed: int = 0):
    """40 answers per period (scores drawn at random), a response id and a region."""
    rng = random.Random(seed)
    rows = [
        {"Response ID": f"R{k:04d}", header: p, "Score": rng.randrange(11), "Region": "NS"[k % 2]}
        for k, p in enumerate(p for p in periods for _ in range(40))
    ]
    path = tmp_path / name
    pd.DataFrame(rows).to_csv(path, index=False)
    return path, pd.read_csv(path, dtype=str)


def _nps(scores: pd.Series) -> float:
    s = scores.astype(int)
    return 100 * (int((s >= 9).sum()) - int((s <= 6).sum())) / len(s)


CASES = {
    "yyyymm": ("Month", [202401, 202402, 202404], ["2024-01", "2024-02", "2024-03", "2024-04"]),
    "yyyy-mm": ("Period", ["2024-11", "2024-12", "2025-01"], ["2024-11", "2024-12", "2025-01"]),
    "zh-Hans": ("月份", ["2024年1月", "2024年2月"], ["2024-01", "2024-02"]),
    "lt": ("Mėnuo", ["2024 m. sausis", "2024 m. vasaris"], ["2024-01", "2024-02"]),
    "bg": ("Месец", ["януари 2024", "февруари 2024 г."], ["2024-01", "2024-02"]),
    "en": ("Survey month", ["January 2024", "March 2024"], ["2024-01", "2024-02", "2024-03"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_a_column_of_months_is_the_date_and_the_trend_is_by_month(tmp_path, case):
    header, periods, labels = CASES[case]
    path, text = _export(tmp_path, f"{case}.csv", header, periods)
    result = runner.invoke(app, ["summary", str(path)], env=ENV)
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert f"Date ← '{header}'" in flat and f"Segment ← '{header}'" not in flat
    doc = json.loads(runner.invoke(app, ["summary", str(path), "--json"], env=ENV).stdout)
    assert [r["period"] for r in doc["trend"]] == labels
    for row, value in zip(doc["trend"], labels, strict=True):
        got = text[text[header].map(lambda v: parse_period(v)[0].strftime("%Y-%m")) == value]
        assert row["n"] == len(got)  # 40, or 0 for a month with no answer (a real gap)
        if len(got):
            assert row["nps"] == pytest.approx(_nps(got["Score"]), abs=1e-9)
    # --period week on months: by month (no week is invented), said in a note
    weekly = json.loads(
        runner.invoke(app, ["summary", str(path), "--json", "--period", "week"], env=ENV).stdout
    )
    assert [r["period"] for r in weekly["trend"]] == labels
    assert "dated by month, without days" in " ".join(weekly["notes"])


def test_quarters_and_weeks(tmp_path):
    path, text = _export(tmp_path, "q.csv", "Quarter", ["Q1 2024", "Q2 2024", "Q4 2024"])
    doc = json.loads(runner.invoke(app, ["summary", str(path), "--json"], env=ENV).stdout)
    assert [(r["period"], r["n"]) for r in doc["trend"]] == [
        ("2024-Q1", 40),
        ("2024-Q2", 40),
        ("2024-Q3", 0),
        ("2024-Q4", 40),
    ]
    assert doc["options"]["period"] == "quarter"
    assert doc["trend"][1]["nps"] == pytest.approx(
        _nps(text["Score"][text["Quarter"] == "Q2 2024"])
    )
    assert (
        "The answers are dated by quarter, without days: the trend is by quarter." in doc["notes"]
    )
    path, _ = _export(tmp_path, "w.csv", "Week", ["2024-W05", "2024-W06", "2024-W08"])
    args = ["summary", str(path), "--json", "--period", "week"]
    doc = json.loads(runner.invoke(app, args, env=ENV).stdout)
    assert [(r["start"], r["n"]) for r in doc["trend"]] == [
        ("2024-01-29", 40),
        ("2024-02-05", 40),
        ("2024-02-12", 0),
        ("2024-02-19", 40),
    ]


def test_a_yyyymm_number_is_never_the_score_or_an_id(tmp_path):
    """202401 repeated down a column headed "Period": the date, not the customer or answer id,
    not a segment — and with no header word, months that repeat are still months."""
    path, _ = _export(tmp_path, "p.csv", "Period", [202401, 202402, 202403])
    frame = pd.read_csv(path)
    frame = frame.drop(columns=["Response ID"])
    frame.to_csv(path, index=False)
    survey = load_survey(path)
    assert survey.columns.date == "Period" and survey.columns.score == "Score"
    assert survey.columns.response_id is None and "Period" not in survey.segments
    assert getattr(survey.columns, "customer", None) != "Period"
    assert survey.frame["Date"].dt.strftime("%Y-%m").value_counts().to_dict() == {
        "2024-01": 40,
        "2024-02": 40,
        "2024-03": 40,
    }
    plain = tmp_path / "plain.csv"
    frame.rename(columns={"Period": "X"}).to_csv(plain, index=False)
    assert load_survey(plain).columns.date == "X"
    # a real date column beats a period column
    frame["Answered"] = "2024-03-05"
    frame.to_csv(path, index=False)
    assert load_survey(path).columns.date == "Answered"


def test_the_python_api_reads_periods_in_a_frame():
    frame = pd.DataFrame({"Score": [10, 9, 3, 10, 7, 2], "When": ["2024 Q1"] * 3 + ["2024 Q3"] * 3})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no parsing warning of pandas
        got = nps_xl.trend(frame, date="When")
    assert got["period"].tolist() == ["2024-Q1", "2024-Q2", "2024-Q3"]
    assert got["n"].tolist() == [3, 0, 3]
    assert got["nps"].iloc[0] == pytest.approx(100 * (2 - 1) / 3)


def test_the_workbook_and_the_refresh_show_the_same_quarters(tmp_path):
    import test_refresh as tr

    path, text = _export(tmp_path, "q.csv", "Quarter", ["2024 Q1", "2024 Q2", "2024 Q3"])
    out = tmp_path / "r.xlsx"
    result = runner.invoke(app, ["report", str(path), "-o", str(out)], env=ENV)
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(out))
    trend = book.get_sheet_by_name(L.sheet_name("trend")).to_python()
    assert [(r[0], int(r[1])) for r in trend[1:4]] == [
        ("2024-Q1", 40),
        ("2024-Q2", 40),
        ("2024-Q3", 40),
    ]
    responses = book.get_sheet_by_name(L.sheet_name("responses")).to_python()
    width = len(responses[0])
    payload = tr.payload_from_file(out, len(text))
    table = payload["sheets"][[s["name"] for s in payload["sheets"]].index("Responses")]
    last = chr(ord("A") + width - 1)
    table["tables"][0].update(
        range_address=f"$A$1:${last}${len(text) + 1}",
        header_row_range_address=f"$A$1:${last}$1",
        data_body_range_address=f"$A$2:${last}${len(text) + 1}",
    )
    refreshed = tr.written(tr.run(payload), payload)[L.sheet_name("trend")]
    assert [(r[0], int(r[1])) for r in refreshed[1:4]] == [(r[0], int(r[1])) for r in trend[1:4]]
