"""The writer's fast paths behave like the plain ones: the Follow-up limit, the streamed
(constant_memory) Responses sheet, dates written as Excel serial numbers, ``follow_up(limit=)``.

Expected values come from plain pandas on the same answers, from XlsxWriter's own date
conversion, and from LibreOffice recalculating the streamed workbook.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tempfile
import warnings
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import xlsxwriter
from python_calamine import CalamineWorkbook

from nps_xl import tables
from nps_xl.dates import excel_serials
from nps_xl.i18n import LANGUAGES
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook import xlsx
from nps_xl.workbook.xlsx import read_sample_survey, write_report

SEGMENTS = ["Region", "Product", "Channel", "Customer tenure"]


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    return read_sample_survey()


def _sheet(path: Path, sheet_id: str, lang: str = "en") -> list[list[object]]:
    book = CalamineWorkbook.from_path(str(path))
    return book.get_sheet_by_name(L.sheet_name(sheet_id, lang)).to_python()


def _newest_detractors(frame: pd.DataFrame) -> pd.DataFrame:
    """Independent of tables.follow_up: 0–6 answers, newest first, stable."""
    scores = _numeric_scores(frame)
    det = frame[(scores <= 6) & (scores == scores.round())]
    return det.sort_values("Date", ascending=False, kind="stable", na_position="last")


def _numeric_scores(frame: pd.DataFrame) -> pd.Series:
    """Scores as numbers; labelled answers ("10 - Extremely likely") by their number."""
    text = frame["Score"].astype("string").str.replace(r"\s+-\s+\D.*$", "", regex=True)
    return pd.to_numeric(text, errors="coerce")


def _messy() -> pd.DataFrame:
    n = 15
    return pd.DataFrame(
        {
            "Response ID": [f"R{i:03d}" for i in range(n)],
            "Date": [*pd.date_range("2025-01-05", periods=n - 1, freq="9D"), pd.NaT],
            "Score": [10, 9, "7", "n/a", 0, 6, None, 11, 7.5, 8, 3, " ", 9, 5, 2],
            "Comment": ["=1+1", "+SUM(A1)", "-2", "@x", "ok", *[f"c{i}" for i in range(n - 5)]],
            "Region": ["North", "South", "East"] * 5,
        }
    )


# --------------------------------------------------------------------------- Follow-up limit


@pytest.mark.parametrize("embed", [True, False], ids=["answers", "aggregates"])
def test_follow_up_keeps_the_newest_detractors_and_says_how_many_are_left_out(
    tmp_path, sample, embed
):
    out = write_report(
        tmp_path / "r.xlsx", sample, segments=SEGMENTS, embed_answers=embed, follow_up_limit=7
    )
    rows = _sheet(out, "followup")
    want = _newest_detractors(sample)
    assert len(want) == 350  # the sample survey's detractors
    ids = [r[0] for r in rows[1:]]
    assert ids == list(want["Response ID"].head(7))
    note = rows[0][-1]
    assert note.startswith("343 more detractors not listed: this sheet shows the 7 newest.")
    assert ("Responses table" in note) == embed
    assert ("survey export" in note) == (not embed)
    # every figure still counts every answer
    dash = _sheet(out, "dashboard")
    assert dash[L.FIGURE_BY_NAME["NPS_Detractors"].row][L.VALUE_COL] == 350


def test_follow_up_without_limit_or_under_it_lists_all_and_adds_no_note(tmp_path, sample):
    for limit in (None, 350):
        out = write_report(tmp_path / f"r{limit}.xlsx", sample, follow_up_limit=limit)
        rows = _sheet(out, "followup")
        assert len(rows) == 351
        status = rows[0].index("Status")
        assert rows[0][status + 1 :] in ([], [""], ["", ""])


@pytest.mark.parametrize("lang", LANGUAGES)
def test_follow_up_note_in_every_language(tmp_path, sample, lang):
    out = write_report(tmp_path / "r.xlsx", sample, lang=lang, follow_up_limit=10)
    note = _sheet(out, "followup", lang)[0][-1]
    assert "340" in note and "10" in note
    assert L.sheet_name("responses", lang) in note


@pytest.mark.parametrize("bad", [-1, 2.5, "10", True])
def test_follow_up_limit_must_be_a_whole_number(tmp_path, sample, bad):
    with pytest.raises(ValueError, match="follow_up_limit"):
        write_report(tmp_path / "r.xlsx", sample, follow_up_limit=bad)


def test_follow_up_table_limit_is_the_head_of_the_full_table(sample):
    frame = sample.copy()
    frame.loc[frame.index[::5], "Date"] = pd.NaT  # undated answers come last
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        full = tables.follow_up(frame, segments=["Region"], include_passives=True)
        for limit in (0, 1, 25, 10_000):
            got = tables.follow_up(frame, segments=["Region"], include_passives=True, limit=limit)
            pd.testing.assert_frame_equal(got, full.head(limit), check_dtype=limit > 0)
    want = _numeric_scores(frame).between(0, 8).sum()
    assert len(full) == want


# --------------------------------------------------------------------------- dates


def _written_by_write_datetime(stamps: list[dt.datetime], tmp_path: Path) -> list[float]:
    """The numbers XlsxWriter's own ``write_datetime`` stores for ``stamps``."""
    path = tmp_path / "dates.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet()
    for i, stamp in enumerate(stamps):
        sheet.write_datetime(i, 0, stamp)
    book.close()
    with zipfile.ZipFile(path) as z:
        xml = z.read("xl/worksheets/sheet1.xml").decode()
    return [float(v) for v in re.findall(r"<v>([^<]+)</v>", xml)]


def test_date_serials_equal_xlsxwriters_own_conversion(tmp_path):
    stamps = [
        dt.datetime(1900, 1, 1),
        dt.datetime(1900, 2, 28, 12),
        dt.datetime(1900, 3, 1),
        dt.datetime(2025, 1, 1),
        dt.datetime(2025, 5, 31, 14, 5, 7, 250_000),
        dt.datetime(9999, 12, 31),
    ]
    got = excel_serials(np.array(stamps, dtype="datetime64[us]"))
    want = _written_by_write_datetime(stamps, tmp_path)
    assert got.tolist() == pytest.approx(want, abs=1e-9)
    assert got[2] == 61.0  # 1900-03-01 follows Excel's phantom 29 February 1900
    assert got[3] == 45658.0  # 2025-01-01, as Excel shows it


# --------------------------------------------------------------------------- streamed Responses


@pytest.fixture
def streamed(monkeypatch, tmp_path):
    """Stream the Responses sheet at any size; XlsxWriter's row files go to ``tmp_path/rows``."""
    rows = tmp_path / "rows"
    rows.mkdir()
    monkeypatch.setattr(xlsx, "STREAM_ANSWERS_FROM", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(rows))
    return rows


def _all_sheets(path: Path) -> dict[str, list[list[object]]]:
    book = CalamineWorkbook.from_path(str(path))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


@pytest.mark.parametrize("case", ["sample", "messy", "empty"])
def test_streamed_responses_hold_the_same_cells_as_the_plain_writer(
    tmp_path, sample, monkeypatch, case
):
    frame = {"sample": sample, "messy": _messy(), "empty": None}[case]
    segs = SEGMENTS if case == "sample" else ["Region"] if case == "messy" else []
    plain = tmp_path / "plain.xlsx"
    if frame is None:
        xlsx.write_template(plain)
    else:
        write_report(plain, frame, segments=segs)
    rows = tmp_path / "rows"
    rows.mkdir()
    monkeypatch.setattr(xlsx, "STREAM_ANSWERS_FROM", 0)
    monkeypatch.setattr(tempfile, "tempdir", str(rows))
    stream = tmp_path / "stream.xlsx"
    if frame is None:
        xlsx.write_template(stream)
    else:
        write_report(stream, frame, segments=segs)
    assert _all_sheets(stream) == _all_sheets(plain)
    with zipfile.ZipFile(stream) as z:
        sheet = z.read("xl/worksheets/sheet2.xml").decode()  # Responses (layout.SHEETS)
        table = z.read("xl/tables/table1.xml").decode()
    assert 't="inlineStr"' in sheet  # the streamed path really ran
    assert "<f>" not in sheet  # "=1+1" and "+SUM(A1)" stay text
    n = 1 if frame is None else len(frame)
    last = L.col_letter(len(L.RESPONSE_COLUMNS) + len(segs) - 1)
    assert re.search(rf'ref="A1:{last}{n + 1}"', table)
    assert f'<autoFilter ref="A1:{last}{n + 1}"' in table
    assert list(rows.iterdir()) == []  # XlsxWriter's row file was removed


def test_streamed_row_file_is_removed_when_writing_fails(streamed, sample, tmp_path):
    # the Responses rows are streamed first; the unknown period fails afterwards (Trend)
    with pytest.raises(ValueError, match="fortnight"):
        write_report(tmp_path / "r.xlsx", sample, period="fortnight")
    assert list(streamed.iterdir()) == []


@pytest.mark.libreoffice
@pytest.mark.skipif(lo.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_streamed_report_recalculates_in_libreoffice_to_pandas_counts(streamed, sample, tmp_path):
    path = write_report(tmp_path / "streamed_report.xlsx", sample, segments=SEGMENTS, target=40)
    grids = {}
    for number in (1, 2):  # Dashboard, Responses
        csvs = lo.recalculated_csv([path], tmp_path / f"csv{number}", sheet=number)
        grids[number] = lo.read_csv_grid(csvs[path])
    dash = grids[1]
    scores = _numeric_scores(sample)
    scores = scores[scores.between(0, 10) & (scores == scores.round())]
    pro, det = int((scores >= 9).sum()), int((scores <= 6).sum())
    n = len(scores)

    def value(name: str) -> float:
        return float(dash[L.FIGURE_BY_NAME[name].row][L.VALUE_COL])

    assert value("NPS_N") == n == 1968
    assert value("NPS_Promoters") == pro
    assert value("NPS_Detractors") == det
    assert math.isclose(value("NPS_Score"), 100 * (pro - det) / n, rel_tol=1e-12)
    assert math.isclose(value("NPS_Gap"), 100 * (pro - det) / n - 40, rel_tol=1e-12)
    # LibreOffice reads every streamed answer back as written
    responses = grids[2]
    assert len(responses) == len(sample) + 1
    assert [r[0] for r in responses[1:]] == list(sample["Response ID"])
    comments = sample["Comment"].fillna("")
    assert [r[3] for r in responses[1:]] == list(comments)
