"""Reading survey exports: formats, encodings, header layouts of four survey tools, column
detection and the tidy table. Expected values come from the fixture definitions
(tests/fixtures/make_exports.py), not from the reader."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nps_xl.io import Columns, SurveyFileError, detect_columns, load_survey, read_survey, tidy
from nps_xl.scores import parse_scores

FIXTURES = Path(__file__).parent / "fixtures"
EXPORTS = FIXTURES / "exports"

spec = importlib.util.spec_from_file_location("make_exports", FIXTURES / "make_exports.py")
make_exports = importlib.util.module_from_spec(spec)
sys.modules["make_exports"] = make_exports
spec.loader.exec_module(make_exports)

SCORES = make_exports.SCORES
REGIONS = make_exports.REGIONS
COMMENTS = make_exports.COMMENTS
DAYS = make_exports.DAYS


def test_committed_fixtures_are_current(tmp_path):
    make_exports.main(tmp_path)
    for path in sorted(EXPORTS.glob("*.csv")):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


# --- the four survey tools ------------------------------------------------------------------

TOOLS = {
    # file: (tool, score column, date column, comment column, id column, segment, first row)
    "surveymonkey.csv": (
        "SurveyMonkey",
        "How likely is it that you would recommend Acme to a friend or colleague?",
        "End Date",
        "What is the primary reason for your score?",
        "Respondent ID",
        "In which region are you located?",
        3,
    ),
    "qualtrics.csv": ("Qualtrics", "Q1", "RecordedDate", "Q2", "ResponseId", "Q3", 4),
    "typeform.csv": (
        "Typeform",
        "How likely are you to recommend Acme to a friend or colleague?",
        "Submit Date (UTC)",
        "What's the main reason for your score?",
        "#",
        "Which region are you in?",
        2,
    ),
    "google_forms.csv": (
        "Google Forms",
        "How likely are you to recommend Acme to a friend or colleague?",
        "Timestamp",
        "Why did you give that score?",
        None,
        "Which region are you in?",
        2,
    ),
}


def _as_xlsx(name: str, tmp_path: Path) -> Path:
    make = {
        "surveymonkey.csv": (make_exports.surveymonkey, 2),
        "qualtrics.csv": (make_exports.qualtrics, 3),
        "typeform.csv": (make_exports.typeform, 1),
        "google_forms.csv": (make_exports.google_forms, 1),
    }[name]
    rows, header_rows = make[0](), make[1]
    return make_exports.write_xlsx(
        rows, tmp_path / name.replace(".csv", ".xlsx"), header_rows=header_rows
    )


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("name", list(TOOLS))
def test_survey_tool_exports(name, fmt, tmp_path):
    tool, score, date, comment, rid, segment, first_row = TOOLS[name]
    path = EXPORTS / name if fmt == "csv" else _as_xlsx(name, tmp_path)
    assert len(read_survey(path)) == 10
    survey = load_survey(path)
    assert survey.source == tool
    cols = survey.columns
    assert cols.score == score
    assert cols.date == date
    assert cols.comment == comment
    assert cols.response_id == rid
    assert cols.segments == (segment,)
    frame = survey.frame
    # the file row of each answer (as a spreadsheet shows it)
    assert frame.index.tolist() == list(range(first_row, first_row + 10))
    assert [float(s) for s in frame["Score"]] == SCORES
    assert frame["Date"].dt.day.tolist() == DAYS
    assert frame["Date"].dt.month.unique().tolist() == [11]
    assert frame["Date"].dt.year.unique().tolist() == [2024]
    got_comments = [c if isinstance(c, str) else "" for c in frame["Comment"]]
    assert got_comments == COMMENTS
    seg_name = "Which region are you in?" if tool == "Qualtrics" else segment
    assert survey.segments == (seg_name,)
    assert frame[seg_name].tolist() == REGIONS
    assert list(frame.columns[:4]) == ["Response ID", "Date", "Score", "Comment"]
    # the tool's other date columns (its start time) are named, with the flag that picks one
    header = read_survey(path).columns
    others = [c for c in header if c != date and "date" in c.lower()]
    assert len(survey.notes) == (1 if others else 0)
    note = survey.notes[0] if others else ""
    assert not others or note.startswith(f'Dates from "{date}"; other date columns: ')
    assert all(repr(c) in note for c in others) and ("--date" in note or not others)
    expected = {"csv": ("utf-8-sig" if tool == "Qualtrics" else "utf-8"), "xlsx": None}[fmt]
    assert survey.encoding == expected


def test_no_side_channel_on_the_frames():
    """The frames carry no attrs: what reading found comes with load_survey's Survey value."""
    raw = read_survey(EXPORTS / "qualtrics.csv")
    frame = tidy(raw, detect_columns(raw), questions={"Q3": "Which region are you in?"})
    assert raw.attrs == {} and frame.attrs == {}
    assert "Which region are you in?" in frame.columns
    survey = load_survey(EXPORTS / "qualtrics.csv")
    assert survey.source == "Qualtrics" and survey.segments == ("Which region are you in?",)


def test_qualtrics_group_column_is_never_the_score():
    raw = read_survey(EXPORTS / "qualtrics.csv")
    assert "Q1_NPS_GROUP" in raw.columns
    assert detect_columns(raw).score == "Q1"
    assert "Q1_NPS_GROUP" not in detect_columns(raw).segments


def test_surveymonkey_multiple_choice_columns_are_named_by_option():
    raw = read_survey(EXPORTS / "surveymonkey.csv")
    assert "Which product do you use? - Professional" in raw.columns
    assert "Which product do you use? - Smart Hub" in raw.columns


def test_generated_response_ids_when_the_export_has_none():
    frame = load_survey(EXPORTS / "google_forms.csv").frame
    assert frame["Response ID"].tolist() == [f"R{i:05d}" for i in range(1, 11)]


# --- encodings, delimiters, decimal commas ---------------------------------------------------


def test_semicolon_cp1252_decimal_commas():
    survey = load_survey(EXPORTS / "semicolon_decimal_comma.csv")
    cols = survey.columns
    assert cols.score == "Wie wahrscheinlich ist es, dass Sie uns weiterempfehlen?"
    assert cols.comment == "Begründung"  # cp1252 "ü" decoded
    assert cols.date == "Datum"
    assert cols.weight == "Gewicht"
    assert survey.encoding == "windows-1252"
    frame = survey.frame
    parsed = parse_scores(frame["Score"], invalid="skip")  # "9,0" is 9
    assert parsed.values.tolist() == [float(s) for s in SCORES]
    assert frame["Weight"].tolist() == [0.5, 1.5] * 5
    # 05.11.2024 … 28.11.2024: only day-first fits the days above 12
    assert frame["Date"].tolist() == [pd.Timestamp(2024, 11, d) for d in DAYS]


@pytest.mark.parametrize(
    ("encoding", "sep"),
    [("utf-8", ","), ("utf-8-sig", ","), ("utf-16", "\t"), ("cp1252", ";"), ("utf-8", "\t")],
)
def test_encodings_and_delimiters(tmp_path, encoding, sep):
    text = sep.join(["Date", "Score", "Comment", "Région"]) + "\r\n"
    rows = [(f"2025-01-0{i + 1}", str(s), f"café n°{i}", "Île" if i % 2 else "Nord")
            for i, s in enumerate([9, 3, 10, 7])]  # fmt: skip
    text += "".join(sep.join(r) + "\r\n" for r in rows)
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode(encoding))
    raw = read_survey(path)
    assert list(raw.columns) == ["Date", "Score", "Comment", "Région"]
    frame = load_survey(path).frame
    assert frame["Score"].astype(float).tolist() == [9, 3, 10, 7]
    assert frame["Comment"].tolist() == [f"café n°{i}" for i in range(4)]
    assert frame["Région"].tolist() == ["Nord", "Île", "Nord", "Île"]


def test_typed_na_is_an_answer_programs_na_is_a_blank(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Score,Comment\n9,ok\nN/A,no idea\n,\nNA,x\n,empty score\n")
    raw = read_survey(path)
    assert raw["Score"].tolist()[:2] == ["9", "N/A"]
    assert pd.isna(raw["Score"].tolist()[2])  # R's NA: a blank answer
    assert pd.isna(raw["Score"].tolist()[3])
    # an entirely empty line is not an answer; the others keep their file rows
    assert raw.index.tolist() == [2, 3, 5, 6]


def test_quoted_multiline_comment(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text('Score,Comment\n9,"line one\nline two, with comma"\n3,"said ""no"""\n')
    frame = load_survey(path).frame
    assert frame["Comment"].tolist() == ["line one\nline two, with comma", 'said "no"']
    assert frame.index.tolist() == [2, 4]  # the second answer starts on line 4


def test_parquet(tmp_path):
    pytest.importorskip("pyarrow")
    path = tmp_path / "a.parquet"
    pd.DataFrame(
        {
            "Response ID": ["a", "b"],
            "NPS": [10, 6],
            "Date": pd.to_datetime(["2025-01-02", "2025-02-03"]),
        }
    ).to_parquet(path)
    survey = load_survey(path)
    cols = survey.columns
    assert (cols.score, cols.date, cols.response_id) == ("NPS", "Date", "Response ID")
    frame = survey.frame
    assert frame["Date"].tolist() == [pd.Timestamp("2025-01-02"), pd.Timestamp("2025-02-03")]
    assert frame.index.tolist() == [2, 3] and survey.encoding is None


def test_parquet_without_pyarrow_says_how_to_install(tmp_path, monkeypatch):
    path = tmp_path / "a.parquet"
    path.write_bytes(b"PAR1" + b"\x00" * 64 + b"PAR1")
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "pyarrow.parquet", None)
    with pytest.raises(SurveyFileError, match=r"pip install 'nps-xl\[parquet\]'"):
        read_survey(path)


def test_xlsx_typed_cells_and_sheet_choice(tmp_path):
    import xlsxwriter

    path = tmp_path / "typed.xlsx"
    book = xlsxwriter.Workbook(str(path))
    book.add_worksheet("Notes").write_string(0, 0, "nothing here")
    sheet = book.add_worksheet("Answers")
    date_fmt = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, ["Date", "Likely to recommend", "Segment"])
    for r, (d, s, g) in enumerate(
        [(dt.date(2025, 3, 1), 10, "A"), (dt.date(2025, 3, 2), "10 - Extremely likely", "B"),
         (dt.date(2025, 3, 3), None, "A")], start=1
    ):  # fmt: skip
        sheet.write_datetime(r, 0, dt.datetime.combine(d, dt.time()), date_fmt)
        if s is not None:
            sheet.write(r, 1, s)
        sheet.write_string(r, 2, g)
    book.close()
    with pytest.raises(SurveyFileError, match=r"no sheet 'Nope'.*'Notes' \(1\), 'Answers' \(2\)"):
        read_survey(path, sheet="Nope")
    raw = read_survey(path, sheet="Answers")
    cols = detect_columns(raw)
    assert cols == Columns(score="Likely to recommend", date="Date", segments=("Segment",))
    frame = tidy(raw, cols)
    assert frame["Date"].tolist() == [pd.Timestamp(2025, 3, d) for d in (1, 2, 3)]
    assert frame["Score"].tolist()[:2] == [10.0, "10 - Extremely likely"]
    assert pd.isna(frame["Score"].tolist()[2])
    assert read_survey(path, sheet=1).shape == raw.shape  # an int is 0-based here, as before
    assert read_survey(path, sheet="2").shape == raw.shape  # text digits: 1-based


# --- column detection -------------------------------------------------------------------------


def _frame(**columns) -> pd.DataFrame:
    return pd.DataFrame(columns)


@pytest.mark.parametrize(
    "header",
    [
        "您向朋友推荐我们的可能性有多大?",
        "您向朋友推薦我們的可能性有多大?",
        "Ar rekomenduotumėte mus draugui?",
        "Колко вероятно е да ни препоръчате?",
        "Likelihood to recommend",
        "NPS",
        "Score",
    ],
)
def test_score_headers_in_every_language(header):
    frame = _frame(**{"Kommentar": ["a", "b", "c"], header: [9, "10 - 极有可能", 3],
                      "Team size": [1, 2, 3]})  # fmt: skip
    assert detect_columns(frame).score == header


@pytest.mark.parametrize(
    "header", ["原因", "Komentaras", "Коментар", "Why?", "Any other comments?", "Reason"]
)
def test_comment_headers(header):
    frame = _frame(Score=[9, 3, 7], Region=["a", "b", "a"], **{header: ["x", "y", "z"]})
    assert detect_columns(frame).comment == header


def test_value_fallback_finds_the_only_0_to_10_column():
    frame = _frame(Q7=["9", "10", "3", "", "10 - Extremely likely"], Name=["a", "b", "c", "d", "e"])
    assert detect_columns(frame).score == "Q7"


def test_ambiguous_scores_name_the_flag_and_each_candidate():
    frame = _frame(A=[9, 2, 3], B=[9, 10, 0], C=["x", "y", "z"])
    with pytest.raises(
        SurveyFileError,
        match=r"Several columns hold 0–10 answers: 'A' \(n=3, NPS -33\), 'B' \(n=3, NPS \+33\)"
        r".*--score",
    ):
        detect_columns(frame)
    assert detect_columns(frame, score="B").score == "B"


def test_of_several_0_to_10_columns_the_one_using_the_upper_half_is_the_score():
    frame = _frame(Stars=[1, 2, 3, 4, 2], Q7=[9, 10, 3, 0, 8])
    assert detect_columns(frame).score == "Q7"


def test_two_recommend_questions_are_ambiguous():
    frame = _frame(**{"Recommend product?": [9, 3], "Recommend support?": [7, 8]})
    with pytest.raises(SurveyFileError, match=r"Several columns.*--score"):
        detect_columns(frame)


def test_no_score_lists_the_columns():
    frame = _frame(Name=["a", "b"], City=["x", "y"])
    with pytest.raises(SurveyFileError, match=r"--score \"column name\".*'Name', 'City'"):
        detect_columns(frame)


def test_unknown_explicit_column_lists_the_columns():
    frame = _frame(Score=[9, 3])
    with pytest.raises(
        SurveyFileError, match=r"no column 'Rating' \(given with --score\).*'Score'"
    ):
        detect_columns(frame, score="Rating")
    assert detect_columns(frame, score=" score ").score == "Score"  # case/space-insensitive


def test_explicit_arguments_win():
    frame = _frame(
        Score=[9, 3, 7],
        Other=[1, 2, 3],
        When=["2025-01-01", "2025-01-02", "2025-01-03"],
        Date=["x", "y", "z"],
        Note=["a", "b", "c"],
        Region=["n", "s", "n"],
        Tier=["g", "g", "s"],
    )
    cols = detect_columns(frame, score="Other", date="When", comment="Note", segments=["Tier"])
    assert (cols.score, cols.date, cols.comment, cols.segments) == (
        "Other",
        "When",
        "Note",
        ("Tier",),
    )


def test_segments_skip_metadata_ids_high_cardinality_and_constants():
    n = 120
    frame = _frame(
        **{
            "Response ID": [f"r{i}" for i in range(n)],
            "Score": [i % 11 for i in range(n)],
            "Email Address": [f"p{i % 3}@x.org" for i in range(n)],
            "City": [f"c{i}" for i in range(n)],  # 120 distinct: not a segment
            "Plan": ["free", "pro", "team"] * 40,
            "Constant": ["same"] * n,
            "Age": [20 + i % 5 for i in range(n)],  # numbers are not segments
            **{f"S{k}": [f"v{i % (k + 2)}" for i in range(n)] for k in range(8)},
        }
    )
    cols = detect_columns(frame)
    assert cols.segments == ("Plan", "S0", "S1", "S2", "S3", "S4")  # at most six


def test_customer_and_weight_columns():
    frame = _frame(Score=[9, 3], **{"Customer ID": ["c1", "c2"], "Weight": [1.0, 2.0]})
    cols = detect_columns(frame)
    assert (cols.customer, cols.weight) == ("Customer ID", "Weight")
    frame = tidy(frame, cols)
    assert list(frame.columns) == [
        "Response ID",
        "Date",
        "Score",
        "Comment",
        "Customer ID",
        "Weight",
    ]


# --- tidy: dates and long text -----------------------------------------------------------------


def test_invalid_dates_are_reported_with_file_rows(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Date,Score\n2025-01-02,9\nyesterday,3\n2025-01-04,7\n31/02/2025,8\n")
    survey = load_survey(path)
    assert survey.frame["Date"].isna().tolist() == [False, True, False, True]
    (note,) = survey.notes
    assert "2 values not readable as a date" in note
    assert "lines 3, 5" in note
    assert "'yesterday'" in note


def test_ambiguous_day_month_is_said_and_can_be_overridden(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Date,Score\n03/04/2025,9\n05/06/2025,3\n")
    survey = load_survey(path)
    assert survey.frame["Date"].tolist() == [pd.Timestamp(2025, 3, 4), pd.Timestamp(2025, 5, 6)]
    assert "--dayfirst" in survey.notes[0]
    survey = load_survey(path, dayfirst=True)
    assert survey.frame["Date"].tolist() == [pd.Timestamp(2025, 4, 3), pd.Timestamp(2025, 6, 5)]
    assert survey.notes == ()


def test_day_first_when_only_day_first_fits(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Date,Score\n03/04/2025,9\n25/06/2025,3\n")
    frame = load_survey(path).frame
    assert frame["Date"].tolist() == [pd.Timestamp(2025, 4, 3), pd.Timestamp(2025, 6, 25)]


def test_excel_serial_dates_in_csv(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Date,Score\n45658,9\n45659,3\n")
    frame = tidy(read_survey(path), Columns(score="Score", date="Date"))
    assert frame["Date"].tolist() == [pd.Timestamp(2025, 1, 1), pd.Timestamp(2025, 1, 2)]


def test_text_beyond_the_excel_cell_limit_is_shortened_with_rows(tmp_path):
    path = tmp_path / "long.csv"
    path.write_text(f"Score,Comment\n9,{'x' * 40_000}\n3,short\n")
    survey = load_survey(path)
    assert len(survey.frame["Comment"].iloc[0]) == 32_767
    assert survey.frame["Comment"].iloc[1] == "short"
    assert "line 2" in survey.notes[0] and "32,767" in survey.notes[0]


def test_scores_stay_raw():
    frame = _frame(Score=["9", " 10 - Extremely likely", "N/A", np.nan])
    out = tidy(frame, detect_columns(frame, score="Score"))
    assert out["Score"].tolist()[:3] == ["9", " 10 - Extremely likely", "N/A"]


# --- refusals of ordinary bad files ------------------------------------------------------------


def test_missing_empty_and_header_only_files(tmp_path):
    with pytest.raises(SurveyFileError, match="no such file"):
        read_survey(tmp_path / "nope.csv")
    (tmp_path / "empty.csv").write_bytes(b"")
    with pytest.raises(SurveyFileError, match="is empty"):
        read_survey(tmp_path / "empty.csv")
    (tmp_path / "head.csv").write_text("Score,Comment\n")
    with pytest.raises(SurveyFileError, match="no answers"):
        read_survey(tmp_path / "head.csv")


def test_ragged_csv_names_the_line(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Score,Comment\n9,ok\n3,bad,extra,fields\n")
    with pytest.raises(SurveyFileError, match="line 3 has 4 fields, the header has 2"):
        read_survey(path)
