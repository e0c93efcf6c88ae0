"""Key drivers on the surfaces: which columns detection makes the drivers, the Report's drivers
table, the terminal's Key drivers table and the CLI's --drivers.

Expected figures come from R (tests/drivers_reference.py, written by
scripts/make_drivers_reference.R: LMG by lm() on every subset, levels by table()) or from the
frames built here, whose rating, id and code columns are known by construction."""

from __future__ import annotations

import json
from pathlib import Path

import drivers_reference as ref
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.i18n import LANGUAGES, text
from nps_xl.io import SurveyFileError, load_survey
from nps_xl.io.detect import detect, detect_columns, parse_drivers_option
from nps_xl.key_drivers import MAX_DRIVERS
from nps_xl.report import ReportColumns, ReportOptions, build_report

HERE = Path(__file__).parent
SURVEY = HERE / "fixtures" / "drivers_survey.csv"
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str):
    result = CliRunner().invoke(app, list(args), env=ENV)
    result.flat = " ".join(result.output.split())  # rich wraps long lines
    return result


def _built(n: int = 60, seed: int = 7) -> pd.DataFrame:
    """A survey whose columns' kinds are known: two rating questions (1–5 and 0–10), a
    numbers-only id, a store code 1–12, a region text segment and a yes/no text column."""
    rng = np.random.default_rng(seed)
    store = np.resize(np.arange(1, 13), n)  # 1–12: beyond 10, so no rating
    return pd.DataFrame(
        {
            "Score": rng.integers(0, 11, n),
            "Region": rng.choice(["North", "South", "East"], n),
            "Ease (1-5)": rng.integers(1, 6, n),
            "Respondent": np.arange(100_001, 100_001 + n),  # an id: many values, all > 10
            "Store": store,
            "Value for money": rng.integers(0, 11, n),
            "Member": rng.choice(["yes", "no"], n),
        }
    )


# --------------------------------------------------------------------------- detection


def test_fixture_rating_columns_are_the_drivers_and_never_segments():
    survey = load_survey(SURVEY)
    assert survey.columns.drivers == tuple(ref.SURVEY["drivers"])  # R's list of drivers
    assert survey.drivers == tuple(ref.SURVEY["drivers"])
    assert not set(survey.columns.drivers) & set(survey.columns.segments)
    assert survey.columns.score == "Score"
    assert list(survey.frame.columns[-3:]) == ref.SURVEY["drivers"]
    note = next(n for n in survey.notes if "key drivers" in n)
    assert "--drivers none" in note and "--segment" in note
    assert all(repr(d) in note for d in ref.SURVEY["drivers"])


def test_built_frame_ratings_only_not_ids_or_codes_beyond_ten():
    frame = _built()
    columns = detect_columns(frame)
    assert columns.score == "Score"
    assert columns.drivers == ("Ease (1-5)", "Value for money")
    # a store code 1–12 is neither a driver nor (a number) a segment; the id neither
    assert "Store" not in columns.segments and "Respondent" not in columns.segments
    assert set(columns.segments) == {"Region", "Member"}


def test_a_value_beyond_ten_after_the_sample_rows_is_no_rating():
    """Detection profiles the first 2,000 values; the rating rule reads the whole column."""
    frame = _built(n=2_500)
    frame.loc[2_400, "Ease (1-5)"] = 12
    assert detect_columns(frame).drivers == ("Value for money",)


def test_id_header_is_never_a_driver_even_with_small_numbers():
    frame = _built().assign(**{"Store ID": lambda f: np.resize(np.arange(1, 9), len(f))})
    assert "Store ID" not in detect_columns(frame).drivers


def test_explicit_drivers_win_and_none_turns_them_off():
    frame = _built()
    assert detect_columns(frame, drivers=["Value for money"]).drivers == ("Value for money",)
    assert detect_columns(frame, drivers="none").drivers == ()
    assert detect_columns(frame, drivers=[]).drivers == ()
    # a rating named as a segment is a segment, not a driver
    columns = detect_columns(frame, segments=["Ease (1-5)"])
    assert columns.segments == ("Ease (1-5)",) and columns.drivers == ("Value for money",)


@pytest.mark.parametrize(
    ("given", "parsed"),
    [
        (None, None),
        ("none", ()),
        ("NONE", ()),
        ("Product, Support", ("Product", "Support")),
        (["Product", "Product"], ("Product",)),
        ("", ()),
    ],
)
def test_drivers_option(given, parsed):
    assert parse_drivers_option(given) == parsed


def test_explicit_driver_errors_name_the_column_row_and_flag(tmp_path):
    path = tmp_path / "s.csv"
    path.write_text("Score,Support,Region\n9,4,N\n3,x,S\n7,2,N\n", encoding="utf-8")
    with pytest.raises(SurveyFileError) as caught:
        load_survey(path, drivers="Support")
    message = str(caught.value)
    assert "'Support'" in message and "'x'" in message and "line 3" in message
    assert "--drivers" in message
    with pytest.raises(SurveyFileError, match="--drivers"):
        load_survey(path, drivers="Nope")
    with pytest.raises(SurveyFileError, match="--score"):
        load_survey(path, score="Score", drivers="Score")


def test_more_drivers_than_the_limit_keep_the_first_and_say_so():
    rng = np.random.default_rng(3)
    columns = {f"Q{i:02d}": rng.integers(1, 6, 40) for i in range(MAX_DRIVERS + 2)}
    frame = pd.DataFrame({"Score": rng.integers(0, 11, 40), **columns})
    found = detect(frame)
    assert found.columns.drivers == tuple(list(columns)[:MAX_DRIVERS])
    keys = [n.message.key for n in found.notes]
    assert "note_drivers_limit" in keys and "note_ratings_as_drivers" in keys
    note = next(n for n in found.notes if n.message.key == "note_drivers_limit")
    assert "'Q15'" in str(note.message.fields) and "'Q16'" in str(note.message.fields)


# --------------------------------------------------------------------------- the report


def _fixture_report(**options) -> tuple:
    survey = load_survey(SURVEY)
    roles = ReportColumns(
        segments=survey.segments,
        drivers=survey.drivers,
        weight=options.pop("weight", None),
    )
    frame = survey.frame
    if roles.weight:
        frame = frame.assign(**{roles.weight: np.linspace(0.5, 2.0, len(frame))})
    return build_report(frame, roles, ReportOptions(**options)), survey


def _assert_equals_r(table) -> None:
    expected = dict(zip(ref.SURVEY["drivers"], ref.SURVEY["lmg"], strict=True))
    got = dict(zip(table.importance["driver"], table.importance["importance"], strict=True))
    assert got == pytest.approx(expected, abs=1e-10)
    r2 = ref.SURVEY["r_squared"]
    assert table.r_squared == pytest.approx(r2, abs=1e-12)
    shares = dict(zip(table.importance["driver"], table.importance["share"], strict=True))
    assert shares == pytest.approx({k: 100 * v / r2 for k, v in expected.items()}, abs=1e-8)
    assert (table.n, table.left_out) == (ref.SURVEY["n"], ref.SURVEY["left_out"])
    for name, levels in ref.SURVEY["levels"].items():
        mine = table.levels[table.levels["driver"] == name]
        for column, values in levels.items():
            assert mine[column].to_numpy() == pytest.approx(np.array(values, float), abs=1e-10)


def test_report_carries_the_drivers_table_equal_to_r():
    report, _ = _fixture_report()
    _assert_equals_r(report.drivers)
    note = report.drivers_table_note
    assert "1,789 complete answers" in note and "179 answers" in note
    assert "R² = 0.532" in note  # R's 0.53236… to three places


def test_weighted_report_drivers_are_unweighted_and_say_so():
    report, _ = _fixture_report(weight="Weight")
    assert report.weighted
    _assert_equals_r(report.drivers)  # the same as R's unweighted lm()
    assert text("note_drivers_unweighted", "en") in report.notes


def test_report_without_drivers_has_none():
    survey = load_survey(SURVEY, drivers="none")
    report = build_report(survey.frame, ReportColumns(segments=survey.segments))
    assert report.drivers is None and report.drivers_table_note is None


def test_drivers_that_cannot_be_ranked_are_a_note_not_a_stop():
    frame = pd.DataFrame({"Score": [9, 3, 7, 10, 2], "Support": [4, 4, 4, 4, 4]})
    report = build_report(frame, ReportColumns(date=None, comment=None, drivers=("Support",)))
    assert report.drivers is None
    assert any(n.startswith("No key drivers table:") and "same rating" in n for n in report.notes)


# --------------------------------------------------------------------------- terminal and CLI


def test_summary_prints_the_key_drivers_table_with_r_shares():
    result = run("summary", str(SURVEY))
    assert result.exit_code == 0, result.output
    flat = result.flat
    assert "Key drivers (by share of R²)" in flat
    r2 = ref.SURVEY["r_squared"]
    shares = [100 * v / r2 for v in ref.SURVEY["lmg"]]
    product = ref.SURVEY["levels"]["Product quality (0-10)"]
    for share in shares:
        assert f"{share:.1f}%" in flat
    # the NPS at the lowest and highest level, with the level
    assert f"{product['nps'][0]:+.1f} ({product['level'][0]})".replace("+-", "-") in flat
    assert f"{product['nps'][-1]:+.1f} ({product['level'][-1]})" in flat
    assert flat.index("Segments") < flat.index("Key drivers") < flat.index("Themes")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_key_drivers_table_in_every_language(lang):
    result = run("summary", str(SURVEY), "--lang", lang)
    assert result.exit_code == 0, result.output
    title = text("cli_drivers_title", lang)
    assert " ".join(title.split()) in result.flat
    for key in ("rank", "driver", "correlation"):
        assert text(key, lang) in result.flat


def test_drivers_none_and_a_chosen_list_on_the_cli():
    off = run("summary", str(SURVEY), "--drivers", "none")
    assert off.exit_code == 0 and "Key drivers" not in off.flat
    two = run("summary", str(SURVEY), "--drivers", "Support rating,Price satisfaction")
    assert two.exit_code == 0, two.output
    assert "Key drivers" in two.flat and "Product quality (0-10) 47" not in two.flat


def test_summary_json_names_the_driver_columns():
    result = CliRunner().invoke(app, ["summary", str(SURVEY), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    document = json.loads(result.output)
    assert document["columns"]["drivers"] == ref.SURVEY["drivers"]


def test_an_engine_that_only_counts_leaves_the_drivers_out_with_a_note():
    pytest.importorskip("duckdb")
    result = run("summary", str(SURVEY), "--engine", "duckdb")
    assert result.exit_code == 0, result.output
    assert "Key drivers (by" not in result.flat
    assert "--engine pandas" in result.flat and "'Support rating'" in result.flat


def test_a_second_nps_question_is_not_a_driver_of_the_first():
    result = run("summary", str(SURVEY), "--score", "Score", "--score", "Product quality (0-10)")
    assert result.exit_code == 0, result.output
    document = run(
        "summary", str(SURVEY), "--score", "Score", "--score", "Product quality (0-10)", "--json"
    )
    questions = json.loads(document.output)["questions"]
    assert questions[0]["columns"]["drivers"] == ["Support rating", "Price satisfaction"]
    assert questions[1]["columns"]["drivers"] == ["Support rating", "Price satisfaction"]


def test_summary_json_holds_the_drivers_table_equal_to_r():
    result = CliRunner().invoke(app, ["summary", str(SURVEY), "--json"], env=ENV)
    drivers = json.loads(result.output)["drivers"]
    assert drivers["r_squared"] == pytest.approx(ref.SURVEY["r_squared"], abs=1e-12)
    got = {row["driver"]: row["importance"] for row in drivers["importance"]}
    expected = dict(zip(ref.SURVEY["drivers"], ref.SURVEY["lmg"], strict=True))
    assert got == pytest.approx(expected, abs=1e-10)
    assert drivers["n"] == ref.SURVEY["n"]


def test_tables_folder_holds_the_drivers_tables_equal_to_r(tmp_path):
    out = tmp_path / "tables"
    args = ["summary", str(SURVEY), "--tables", str(out), "--brief"]
    result = CliRunner().invoke(app, args, env=ENV)
    assert result.exit_code == 0, result.output
    importance = pd.read_csv(out / "drivers.csv")
    got = dict(zip(importance["driver"], importance["importance"], strict=True))
    expected = dict(zip(ref.SURVEY["drivers"], ref.SURVEY["lmg"], strict=True))
    assert got == pytest.approx(expected, abs=1e-10)
    levels = pd.read_csv(out / "driver_levels.csv")
    for name, wanted in ref.SURVEY["levels"].items():
        mine = levels[levels["driver"] == name]
        for column, values in wanted.items():
            assert mine[column].to_numpy() == pytest.approx(np.array(values, float), abs=1e-10)
    # a survey without rating questions writes no drivers files
    plain = tmp_path / "plain"
    sample = Path(__file__).resolve().parent.parent / "nps_xl" / "data" / "sample_survey.csv"
    args = ["summary", str(sample), "--tables", str(plain), "--brief"]
    assert CliRunner().invoke(app, args, env=ENV).exit_code == 0
    assert not (plain / "drivers.csv").exists()


def test_numbers_that_code_a_category_or_a_position_are_no_drivers():
    rng = np.random.default_rng(8)
    n = 200
    codes = ["Store code", "Zip", "Row", "Wave", "Quarter", "Age group (1-6)", "Gender", "#"]
    frame = pd.DataFrame({"Score": rng.integers(0, 11, n), "Support": rng.integers(1, 6, n)})
    for name in codes:
        frame[name] = rng.integers(1, 7, n)
    columns = detect_columns(frame, score="Score")
    assert columns.drivers == ("Support",)


def test_a_rating_left_out_for_a_few_answers_is_named_in_a_note(tmp_path):
    rng = np.random.default_rng(9)
    n = 300
    ease = rng.integers(1, 6, n).astype(object)
    ease[[13, 50, 99]] = "N/A"
    value = rng.integers(0, 11, n)
    value[200] = 11
    frame = pd.DataFrame(
        {
            "Score": rng.integers(0, 11, n),
            "Ease": ease,
            "Value": value,
            "Visits": rng.integers(0, 40, n),
        }
    )
    path = tmp_path / "ratings.csv"
    frame.to_csv(path, index=False)
    survey = load_survey(path)
    assert survey.drivers == ()
    notes = " ".join(str(note) for note in survey.notes)
    # lines: the header is line 1, so row i of the frame is line i + 2
    assert "'Ease' reads as a rating question but holds 'N/A' in line 15" in notes
    assert "from 0 to 10: 3)" in notes  # the three N/A, counted here
    assert "'Value' reads as a rating question but holds '11' in line 202" in notes
    assert "'Visits'" not in notes  # a count that runs past 10 is no rating with a typo


def test_naming_the_score_column_a_driver_says_so():
    result = CliRunner().invoke(app, ["summary", str(SURVEY), "--drivers", "Score"], env=ENV)
    assert result.exit_code == 2
    assert "The score column 'Score' cannot also be a key driver" in result.output
