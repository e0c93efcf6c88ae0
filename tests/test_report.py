"""One Report, shown three ways: the terminal, the workbook file and the ribbon refresh carry
the same figures, and those figures equal an independent count with plain pandas."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from python_calamine import CalamineWorkbook
from test_refresh import payload_from_file, run, survey, written
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.i18n import text
from nps_xl.report import ReportColumns, ReportOptions, build_report
from nps_xl.workbook import layout as L
from nps_xl.workbook.xlsx import write_report


def _nps(scores: pd.Series) -> float:
    return 100 * ((scores >= 9).mean() - (scores <= 6).mean())


@pytest.fixture(scope="module")
def shown(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The survey of tests/test_refresh.py through the CLI (terminal + file) and the refresh."""
    folder = tmp_path_factory.mktemp("report")
    frame = survey()
    export = folder / "survey.csv"
    frame.assign(Date=frame["Date"].dt.strftime("%Y-%m-%d")).to_csv(export, index=False)
    book = folder / "report.xlsx"
    result = CliRunner().invoke(
        app, ["report", str(export), "-o", str(book), "--segment", "Region", "--segment", "Plan"]
    )
    assert result.exit_code == 0, result.output
    # the refresh runs on the workbook the report wrote, as Excel would send it
    payload = payload_from_file(book, len(frame))
    refreshed = written(run(payload), payload)
    score = pd.to_numeric(frame["Score"], errors="coerce")
    valid = frame[score.between(0, 10)].assign(s=score)
    return {
        "frame": frame,
        "valid": valid,
        "terminal": " ".join(result.output.split()),
        "book": book,
        "refreshed": refreshed,
    }


def _sheet(path: Path, sid: str) -> list[list[object]]:
    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(L.sheet_name(sid)).to_python()


def _column(grid: list[list[object]], key: str) -> list[object]:
    header = grid[0]
    j = header.index(text(key))
    return [row[j] for row in grid[1:]]


def test_headline_is_the_same_in_the_terminal_and_the_workbook(shown: dict) -> None:
    want = _nps(shown["valid"]["s"])
    assert f"NPS {want:+.1f}" in shown["terminal"]
    dash = _sheet(shown["book"], "dashboard")
    nps = dash[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL]
    assert nps == pytest.approx(want, abs=1e-9)
    n = dash[L.FIGURE_BY_NAME["NPS_N"].row][L.VALUE_COL]
    assert n == len(shown["valid"])
    assert f"Total valid │ {len(shown['valid'])}" in shown["terminal"]


def test_trend_is_the_same_on_all_three_surfaces(shown: dict) -> None:
    valid = shown["valid"]
    months = valid.groupby(valid["Date"].dt.to_period("M"))["s"]
    want = [_nps(s) for _, s in months]
    file_trend = _column(_sheet(shown["book"], "trend"), "nps")
    refresh_trend = _column(shown["refreshed"][L.sheet_name("trend")], "nps")
    assert file_trend == pytest.approx(want, abs=1e-9)
    assert refresh_trend == pytest.approx(want, abs=1e-9)
    # the terminal's compact trend: one line per month, NPS with one decimal
    for (period, _), value in zip(months, want, strict=True):
        month = text(f"month_{period.month}")
        line = rf"{month} {period.year} │ \d+( !)? │ {re.escape(f'{value:+.1f}')} "
        assert re.search(line, shown["terminal"])


def test_segments_are_the_same_on_all_three_surfaces(shown: dict) -> None:
    valid = shown["valid"]
    file_grid = _sheet(shown["book"], "segments")
    refresh_grid = shown["refreshed"][L.sheet_name("segments")]
    for grid in (file_grid, refresh_grid):
        got = dict(
            zip(
                zip(_column(grid, "segment"), _column(grid, "group"), strict=True),
                _column(grid, "nps"),
                strict=True,
            )
        )
        for column in ("Region", "Plan"):
            for group, s in valid.groupby(column)["s"]:
                assert got[(column, group)] == pytest.approx(_nps(s), abs=1e-9)
                line = rf"{group} │ {len(s)}( !)? │ {re.escape(f'{_nps(s):+.1f}')} "
                assert re.search(line, shown["terminal"]), (column, group)


def test_invalid_answers_and_follow_up_agree(shown: dict) -> None:
    file_invalid = _sheet(shown["book"], "invalid")
    refresh_invalid = shown["refreshed"][L.sheet_name("invalid")]
    assert file_invalid[1:] == refresh_invalid[1:] == [[7, "11"], [19, "ten"]]
    # the terminal names the same answers by their line of the CSV file (header = line 1)
    assert "'11' in line 7" in shown["terminal"] and "'ten' in line 19" in shown["terminal"]
    file_ids = _column(_sheet(shown["book"], "followup"), "response_id")
    refresh_ids = _column(shown["refreshed"][L.sheet_name("followup")], "response_id")
    assert file_ids == refresh_ids
    score = pd.to_numeric(shown["frame"]["Score"], errors="coerce")
    assert len(file_ids) == int((score <= 6).sum())


def test_a_report_reads_its_scores_once(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib

    counts = importlib.import_module("nps_xl.counts")
    real, calls = counts.parse_scores, []
    monkeypatch.setattr(counts, "parse_scores", lambda *a, **k: calls.append(1) or real(*a, **k))
    frame = survey()
    report = build_report(
        frame,
        ReportColumns(segments=("Region", "Plan")),
        ReportOptions(period="quarter", target=10),
    )
    assert calls == [1]
    assert report.trend is not None and report.segments is not None and report.themes is not None
    assert report.headline.gap == pytest.approx(report.headline.nps - 10)


def test_report_options_refuse_absurd_values() -> None:
    for bad in (float("nan"), float("inf"), -500, 1e308):
        with pytest.raises(ValueError, match="target"):
            ReportOptions(target=bad)
    with pytest.raises(ValueError, match="period"):
        ReportOptions(period="fortnight")
    with pytest.raises(ValueError, match="industry"):
        ReportOptions(industry="astrology")


def test_follow_up_limit_is_honoured_by_the_refresh(tmp_path: Path) -> None:
    """The file and the refresh list the same newest detractors and say how many more."""
    rng = np.random.default_rng(3)
    n = 300
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:04d}" for i in range(n)],
            "Date": pd.date_range("2025-01-01", periods=n, freq="D"),
            "Score": rng.integers(0, 11, n),
            "Comment": ["slow delivery"] * n,
        }
    )
    path = tmp_path / "r.xlsx"
    write_report(path, frame, follow_up_limit=10)
    payload = payload_from_file(path, n)
    # the refresh's report uses the report's default limit; with fewer detractors than that
    # every one is listed, newest first, exactly as a file written without a limit
    refreshed = written(run(payload), payload)[L.sheet_name("followup")]
    detractors = frame[frame["Score"] <= 6].sort_values("Date", ascending=False)
    assert _column(refreshed, "response_id") == list(detractors["Response ID"])
    file_rows = _sheet(path, "followup")
    assert _column(file_rows, "response_id") == list(detractors["Response ID"].head(10))
    assert str(len(detractors) - 10) in file_rows[0][-1]


def test_answers_without_a_date_are_said_everywhere(tmp_path: Path) -> None:
    """55 of 100 answers undated: the terminal says so (also without --brief), the Trend sheet
    says so, and the API warns; a file with no date column says "no trend", not "left out"."""
    import warnings

    from nps_xl import tables

    n = 100
    scores = [(i * 7) % 11 for i in range(n)]
    dates = [f"2025-0{1 + i % 3}-0{1 + i % 9}" if i % 20 < 9 else "" for i in range(n)]
    undated = sum(1 for d in dates if not d)
    export = tmp_path / "half.csv"
    pd.DataFrame({"Date": dates, "Score": scores}).to_csv(export, index=False)
    for extra in ([], ["--brief"]):
        result = CliRunner().invoke(app, ["summary", str(export), *extra])
        assert result.exit_code == 0, result.output
        flat = " ".join(result.output.split())
        assert f"{undated} answers with a score have no date and are not in the trend" in flat
    book = tmp_path / "half.xlsx"
    CliRunner().invoke(app, ["report", str(export), "-o", str(book)])
    header = _sheet(book, "trend")[0]
    assert any(f"{undated} answers with a score have no date" in str(v) for v in header)
    frame = pd.DataFrame({"Date": pd.to_datetime(dates), "Score": scores})
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        tables.trend(frame)
    assert any(issubclass(w.category, tables.DatesMissingWarning) for w in seen)

    no_dates = tmp_path / "nodates.csv"
    pd.DataFrame({"Score": scores}).to_csv(no_dates, index=False)
    result = CliRunner().invoke(app, ["summary", str(no_dates)])
    flat = " ".join(result.output.split())
    assert "No trend: the export has no date column" in flat and "left out" not in flat.lower()


def test_a_date_column_without_any_date_leaves_every_answer_undated():
    # a Date column whose cells are all blank (a fresh Responses table, an export without
    # dates filled in): the NPS is counted, the trend is empty and the note names the rows
    frame = pd.DataFrame({"Score": [9, 10, 3, 7], "Date": [None, "", None, None]})
    report = build_report(frame, ReportColumns(score="Score", date="Date"))
    assert report.headline.nps == pytest.approx(100 * (2 - 1) / 4)
    assert report.undated == 4
    assert report.trend is not None and len(report.trend) == 0
    assert "4 answers" in report.trend_note and "rows 1, 2, 3, 4" in report.trend_note
