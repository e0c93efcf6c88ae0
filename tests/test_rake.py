"""Raking (nps_xl.raking.rake and ``--rake``) against R's survey::rake.

The reference numbers are written by scripts/make_rake_reference.R (tests/rake_reference.py):
survey::rake of svydesign(ids = ~1, weights = ~w) on the bundled sample and a small hand-made
frame, with and without base weights, and svymean of the −1/0/+1 code with the SE of the raked
design and the SE of svydesign(weights = ~raked), the one nps-xl's interval uses.
"""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import rake_reference as ref
from r_reference import constants, needs_r, regenerated
from typer.testing import CliRunner

import nps_xl as nx
from nps_xl.cli import app, main
from nps_xl.io import load_survey
from nps_xl.raking import RakingError, rake
from nps_xl.stats import standard_error

HERE = Path(__file__).parent
SAMPLE = HERE.parent / "nps_xl" / "data" / "sample_survey.csv"
MARGINS_FILE = HERE / "fixtures" / "rake_margins.csv"
TIGHT = 1e-12
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture(scope="module")
def sample() -> pd.DataFrame:
    frame = load_survey(SAMPLE).frame
    # the base weights of the R script: 1, 1.5, 2, 1, … by data row
    return frame.assign(Base=1 + (np.arange(len(frame)) % 3) / 2)


def hand(base: bool = False) -> pd.DataFrame:
    frame = pd.DataFrame({"Sex": ref.HAND_SEX, "Age": ref.HAND_AGE, "Score": ref.HAND_SCORE})
    return frame.assign(Base=ref.HAND_BASE) if base else frame


HAND_MARGINS = {"Sex": {"F": 0.52, "M": 0.48}, "Age": {"1": 0.3, "2": 0.45, "3": 0.25}}


def cell_sums(frame: pd.DataFrame, weights: pd.Series) -> dict:
    return weights.groupby([frame["Region"], frame["Product"]]).sum().to_dict()


def assert_cells(got: dict, want: dict) -> None:
    assert set(got) == set(want)
    for cell, value in want.items():
        assert got[cell] == pytest.approx(value, rel=1e-9), cell


# ----------------------------------------------------------------------------- equal to R


@pytest.mark.parametrize("prefix, base", [("SAMPLE", None), ("SAMPLE_BASE", "Base")])
def test_sample_weights_equal_r_survey_rake(sample, prefix, base):
    raking = rake(sample, ref.SAMPLE_MARGINS, weight=base, tolerance=TIGHT)
    assert raking.converged
    assert raking.largest_gap < TIGHT
    assert_cells(cell_sums(sample, raking.weights), getattr(ref, f"{prefix}_CELL_SUMS"))
    # raking multiplies every base weight of a Region × Product cell by one factor, so the
    # cell sums and the base weights pin every weight
    start = sample[base] if base else pd.Series(1.0, index=sample.index)
    factor = raking.weights / start
    spread = factor.groupby([sample["Region"], sample["Product"]]).agg(np.ptp)
    assert (spread < 1e-12).all()
    # the total of the base weights is kept (the number of answers without them)
    assert raking.weights.sum() == pytest.approx(start.sum(), rel=1e-12)
    assert raking.design_effect_of_weights == pytest.approx(
        getattr(ref, f"{prefix}_DESIGN_EFFECT_OF_WEIGHTS"), rel=1e-9
    )
    assert raking.weights.index.equals(sample.index)


@pytest.mark.parametrize("prefix, base", [("SAMPLE", None), ("SAMPLE_BASE", "Base")])
def test_nps_of_the_raked_weights_equals_r_svymean(sample, prefix, base):
    """The NPS of the raked weights is svymean's estimate; its SE is that of
    svydesign(weights = ~raked) (the raked weights taken as given), larger than the raked
    design's calibration-aware SE."""
    raking = rake(sample, ref.SAMPLE_MARGINS, weight=base, tolerance=TIGHT)
    with pytest.warns(nx.InvalidAnswersWarning):  # the two 'N/A' answers
        c = nx.counts(sample["Score"], weights=raking.weights, invalid="skip")
    assert c.nps == pytest.approx(getattr(ref, f"{prefix}_NPS"), abs=1e-9)
    se = 100 * standard_error(c)
    assert se == pytest.approx(getattr(ref, f"{prefix}_SE_GIVEN_WEIGHTS"), rel=1e-9)
    assert getattr(ref, f"{prefix}_SE_CALIBRATED") < se


def test_one_iteration_equals_r_with_maxit_1(sample):
    raking = rake(sample, ref.SAMPLE_MARGINS, max_iterations=1)
    assert raking.iterations == 1
    assert not raking.converged  # one pass leaves the Region margin off by more than 1e-6
    assert_cells(cell_sums(sample, raking.weights), ref.SAMPLE_ONE_PASS_CELL_SUMS)
    # the largest gap, counted here from the weights: |share achieved − target|
    total = raking.weights.sum()
    gaps = [
        abs(raking.weights[sample[column] == level].sum() / total - share)
        for column, levels in ref.SAMPLE_MARGINS.items()
        for level, share in levels.items()
    ]
    assert raking.largest_gap == pytest.approx(max(gaps), rel=1e-9)
    assert raking.largest_gap > 1e-6


@pytest.mark.parametrize("prefix, base", [("HAND", False), ("HAND_BASE", True)])
def test_hand_made_frame_equals_r_row_by_row(prefix, base):
    frame = hand(base)
    raking = rake(frame, HAND_MARGINS, weight="Base" if base else None, tolerance=TIGHT)
    assert raking.converged
    np.testing.assert_allclose(raking.weights, getattr(ref, f"{prefix}_WEIGHTS"), rtol=1e-9)
    c = nx.counts(frame["Score"], weights=raking.weights)
    assert c.nps == pytest.approx(getattr(ref, f"{prefix}_NPS"), abs=1e-9)
    se = 100 * standard_error(c)
    assert se == pytest.approx(getattr(ref, f"{prefix}_SE_GIVEN_WEIGHTS"), rel=1e-9)
    assert raking.design_effect_of_weights == pytest.approx(
        getattr(ref, f"{prefix}_DESIGN_EFFECT_OF_WEIGHTS"), rel=1e-9
    )


def test_numbers_compare_with_numbers_written_as_text():
    """Age holds numbers; margins keyed 1, "1", " 1 " or 1.0 are the same level."""
    want = ref.HAND_WEIGHTS
    for keys in ([1, 2, 3], ["1", "2", "3"], [" 1 ", "2 ", "3"], [1.0, 2.0, 3.0]):
        margins = {
            "Sex": {"F": 0.52, "M": 0.48},
            "Age": dict(zip(keys, (0.3, 0.45, 0.25), strict=True)),
        }
        got = rake(hand(), margins, tolerance=TIGHT).weights
        np.testing.assert_allclose(got, want, rtol=1e-9)
    as_text = hand().assign(Age=[f" {a} " for a in ref.HAND_AGE])
    got = rake(as_text, {"Sex": {"F": 0.52, "M": 0.48}, "Age": {1: 0.3, 2: 0.45, 3: 0.25}})
    np.testing.assert_allclose(got.weights, want, rtol=1e-6)


def test_percentages_and_tables_give_the_same_weights():
    percent = {"Sex": {"F": 52, "M": 48}, "Age": {"1": 30, "2": 45, "3": 25}}
    raking = rake(hand(), percent, tolerance=TIGHT)
    np.testing.assert_allclose(raking.weights, ref.HAND_WEIGHTS, rtol=1e-9)
    assert raking.percent_columns == ("Sex", "Age")
    assert raking.margins["Sex"] == pytest.approx({"F": 0.52, "M": 0.48})
    table = pd.DataFrame(
        [("Sex", "F", 0.52), ("Sex", "M", 0.48), ("Age", 1, 30), ("Age", 2, 45), ("Age", 3, 25)],
        columns=["Column", "Level", "SHARE"],  # headers in any case
    )
    raking = rake(hand(), table, tolerance=TIGHT)
    np.testing.assert_allclose(raking.weights, ref.HAND_WEIGHTS, rtol=1e-9)
    assert raking.percent_columns == ("Age",)


def test_rounded_percentages_are_divided_by_their_sum():
    """33.3 + 33.3 + 33.3 = 99.9: within rounding of 100, each level gets a third."""
    frame = pd.DataFrame({"Plan": list("aabbbc")})
    raking = rake(frame, {"Plan": {"a": 33.3, "b": 33.3, "c": 33.3}})
    assert raking.percent_columns == ("Plan",)
    shares = raking.weights.groupby(frame["Plan"]).sum() / len(frame)
    assert shares.to_dict() == pytest.approx({"a": 1 / 3, "b": 1 / 3, "c": 1 / 3}, rel=1e-12)


def test_the_margins_fixture_holds_the_r_scripts_margins():
    table = pd.read_csv(MARGINS_FILE)
    for column, levels in ref.SAMPLE_MARGINS.items():
        rows = table[table["column"] == column].set_index("level")["share"]
        scale = 100 if rows.sum() > 1.5 else 1
        assert (rows / scale).to_dict() == pytest.approx(levels)


# ----------------------------------------------------------------------------- not converging


def test_margins_impossible_to_meet_together_do_not_converge():
    """Region A answered only about product X (a structural zero in A × Y): A's share 0.5
    and X's share 0.2 cannot both hold, since A's weight is part of X's."""
    frame = pd.DataFrame({"Region": list("AABBBB"), "Product": list("XXXYYY")})
    margins = {"Region": {"A": 0.5, "B": 0.5}, "Product": {"X": 0.2, "Y": 0.8}}
    raking = rake(frame, margins, max_iterations=200)
    assert not raking.converged
    assert raking.iterations == 200
    w = raking.weights
    achieved_a = w[frame["Region"] == "A"].sum() / w.sum()
    achieved_x = w[frame["Product"] == "X"].sum() / w.sum()
    assert achieved_a <= achieved_x + 1e-12  # A ⊂ X
    assert raking.largest_gap == pytest.approx(
        max(abs(achieved_a - 0.5), abs(achieved_x - 0.2), abs(1 - achieved_a - 0.5)), rel=1e-9
    )
    assert raking.largest_gap > 0.1


def test_non_convergence_is_said_by_the_cli(tmp_path):
    """The Baltics answered only about Smart Hub: a Baltics share of 0.4 cannot be met with
    a Smart Hub share of 0.2. The run goes on, and its note says so."""
    answers = tmp_path / "answers.csv"
    rows = ["Score,Region,Product"] + [
        f"{s},{r},{p}"
        for s, r, p in [
            (10, "North America", "Essentials"),
            (9, "Europe", "Professional"),
            (3, "Asia Pacific", "Essentials"),
            (7, "Baltics", "Smart Hub"),
            (8, "North America", "Professional"),
            (6, "Europe", "Essentials"),
            (10, "Asia Pacific", "Smart Hub"),
            (9, "North America", "Smart Hub"),
        ]
    ]
    answers.write_text("\n".join(rows) + "\n", encoding="utf-8")
    impossible = tmp_path / "impossible.csv"
    impossible.write_text(
        "column,level,share\nRegion,North America,0.2\nRegion,Europe,0.2\n"
        "Region,Asia Pacific,0.2\nRegion,Baltics,0.4\nProduct,Essentials,0.4\n"
        "Product,Professional,0.4\nProduct,Smart Hub,0.2\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        app, ["summary", str(answers), "--rake", str(impossible), "--brief", "--segment",
              "Region", "--segment", "Product"], env=ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "did not converge in 100 iterations" in flat


# ----------------------------------------------------------------------------- errors


def _message(frame, margins, **kwargs) -> str:
    with pytest.raises(RakingError) as caught:
        rake(frame, margins, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    assert caught.value.key  # told in every language
    return message


def test_a_margin_column_the_answers_lack_is_named():
    message = _message(hand(), {"Region": {"N": 1.0}})
    assert "'Region'" in message and "Sex, Age, Score" in message


def test_a_level_without_a_share_is_named_with_its_answers():
    message = _message(hand(), {"Sex": {"F": 1.0}})
    assert "'Sex' = 'M'" in message and "answers: 7" in message  # seven M rows
    assert "cannot put weight there" in message


def test_a_level_without_answers_is_named():
    message = _message(hand(), {"Sex": {"F": 0.5, "M": 0.3, "X": 0.2}})
    assert "'Sex' = 'X'" in message and "cannot reach" in message


def test_a_blank_in_a_raked_column_names_the_file_line(tmp_path):
    answers = tmp_path / "answers.csv"
    answers.write_text("Score,Region\n10,N\n9,S\n3,\n7,N\n", encoding="utf-8")
    frame = load_survey(answers, segments=["Region"]).frame
    message = _message(frame, {"Region": {"N": 0.5, "S": 0.5}})
    assert "'Region'" in message and "line 4" in message  # the header is line 1
    # a frame of the Python API: the 1-based position
    message = _message(pd.DataFrame({"Region": ["N", None, "S"]}), {"Region": {"N": 1, "S": 0}})
    assert "position 2" in message


@pytest.mark.parametrize(
    "shares, total",
    [((0.5, 0.6), "1.1"), ((50, 40), "90"), ((0.2, 0.2), "0.4"), ((0.5, 0.49), "0.99")],
)
def test_shares_must_sum_to_1_or_100(shares, total):
    message = _message(hand(), {"Sex": dict(zip("FM", shares, strict=True))})
    assert f"'Sex' sum to {total}," in message and "1 (shares) or 100" in message


def test_a_share_that_is_not_a_number_is_named():
    message = _message(hand(), {"Sex": {"F": "half", "M": 0.5}})
    assert "'Sex' = 'F'" in message and "'half'" in message
    message = _message(hand(), {"Sex": {"F": -0.5, "M": 1.5}})
    assert "'-0.5'" in message


def test_a_margins_table_without_its_headers_is_refused():
    table = pd.DataFrame({"variable": ["Sex"], "value": ["F"], "share": [1.0]})
    message = _message(hand(), table)
    assert "missing: column, level" in message


def test_a_level_given_twice_is_refused():
    message = _message(hand(), {"Age": {1: 0.5, "1": 0.5}})
    assert "'Age' = '1'" in message and "more than once" in message


def test_base_weights_must_be_numbers():
    frame = hand(base=True)
    frame.loc[3, "Base"] = np.nan
    message = _message(frame, HAND_MARGINS, weight="Base")
    assert "'Base'" in message and "position 4" in message


def test_the_errors_are_told_in_every_language():
    with pytest.raises(RakingError) as caught:
        rake(hand(), {"Sex": {"F": 1.0}})
    for lang in ("zh-Hans", "zh-Hant", "lt", "bg"):
        told = caught.value.localized(lang)
        assert told != str(caught.value) and "'M'" in told and "7" in told


# ----------------------------------------------------------------------------- the CLI


def test_cli_summary_rakes_and_gives_r_svymean(capsys):
    code = main(["summary", str(SAMPLE), "--rake", str(MARGINS_FILE), "--json"])
    assert code == 0
    document = json.loads(capsys.readouterr().out)
    assert document["headline"]["nps"] == pytest.approx(ref.SAMPLE_NPS, abs=1e-6)
    notes = " ".join(document["notes"])
    assert "Weights raked to 2 margins (columns Region, Product) in 3 iterations" in notes
    assert "Margins of Product read as percentages" in notes


def test_cli_prints_the_note_in_the_chosen_language():
    result = CliRunner().invoke(
        app, ["summary", str(SAMPLE), "--rake", str(MARGINS_FILE), "--brief", "--lang", "lt"],
        env=ENV,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    flat = " ".join(result.output.split())
    assert "Svoriai suderinti" in flat and "+33,3" in flat


def test_cli_weighted_nps_equals_r_with_base_weights(tmp_path, sample, capsys):
    """``--weight`` gives the base weights raking starts from, as survey::rake of a weighted
    design."""
    with SAMPLE.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    answers = tmp_path / "weighted.csv"
    with answers.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh)
        out.writerow([*records[0], "Base"])
        for record, w in zip(records[1:], sample["Base"], strict=True):
            out.writerow([*record, f"{w:g}"])
    code = main(["summary", str(answers), "--weight", "Base", "--rake", str(MARGINS_FILE),
                 "--json"])  # fmt: skip
    assert code == 0, capsys.readouterr().err
    document = json.loads(capsys.readouterr().out)
    assert document["headline"]["nps"] == pytest.approx(ref.SAMPLE_BASE_NPS, abs=1e-6)


def test_cli_report_writes_the_raked_weights(tmp_path):
    from python_calamine import CalamineWorkbook

    from nps_xl.workbook import layout as L

    out = tmp_path / "raked.xlsx"
    code = main(["report", str(SAMPLE), "-o", str(out), "--rake", str(MARGINS_FILE), "--brief"])
    assert code == 0
    rows = CalamineWorkbook.from_path(str(out)).get_sheet_by_index(1).to_python()
    header = rows[0]
    assert header[L.WEIGHT_COLUMN] == "Weight"
    region, product = header.index("Region"), header.index("Product")
    got: dict = {}
    for row in rows[1:]:
        key = (row[region], row[product])
        got[key] = got.get(key, 0.0) + float(row[L.WEIGHT_COLUMN])
    for cell, value in ref.SAMPLE_CELL_SUMS.items():
        assert got[cell] == pytest.approx(value, rel=1e-6), cell


@pytest.mark.libreoffice
def test_raked_workbook_recalculates_to_r_svymean(tmp_path):
    """The Dashboard's formulas over the raked Weight column, recalculated by LibreOffice, give
    R's svymean NPS of the raked design."""
    from nps_xl.workbook import layout as L
    from nps_xl.workbook import libreoffice as lo

    if lo.find_soffice() is None:
        pytest.skip("LibreOffice (soffice) is not installed; CI installs libreoffice-calc-nogui")
    out = tmp_path / "raked.xlsx"
    code = main(["report", str(SAMPLE), "-o", str(out), "--rake", str(MARGINS_FILE), "--brief"])
    assert code == 0
    csvs = lo.recalculated_csv([out], tmp_path / "csv", sheet=1)
    grid = lo.read_csv_grid(csvs[out])
    got = float(grid[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL])
    assert got == pytest.approx(ref.SAMPLE_NPS, abs=1e-6)


def test_cli_demo_rakes(tmp_path, capsys):
    out = tmp_path / "demo.xlsx"
    code = main(["demo", "-o", str(out), "--rake", str(MARGINS_FILE), "--brief"])
    assert code == 0
    flat = " ".join(capsys.readouterr().out.split())
    assert "Weights raked to 2 margins" in flat and "+33.3" in flat


def test_cli_reads_margins_in_another_encoding_and_delimiter(tmp_path, capsys):
    margins = tmp_path / "margins.csv"
    text = MARGINS_FILE.read_text(encoding="utf-8").replace(",", ";").replace(".", ",")
    margins.write_bytes(text.encode("utf-16"))
    code = main(["summary", str(SAMPLE), "--rake", str(margins), "--json"])
    assert code == 0, capsys.readouterr().err
    document = json.loads(capsys.readouterr().out)
    assert document["headline"]["nps"] == pytest.approx(ref.SAMPLE_NPS, abs=1e-6)


def test_cli_reads_margins_from_a_workbook(tmp_path, capsys):
    import xlsxwriter

    margins = tmp_path / "margins.xlsx"
    with MARGINS_FILE.open(encoding="utf-8", newline="") as fh:
        records = list(csv.reader(fh))
    book = xlsxwriter.Workbook(str(margins))
    sheet = book.add_worksheet("Margins")
    sheet.write_row(0, 0, records[0])
    for i, (column, level, share) in enumerate(records[1:], start=1):
        sheet.write_row(i, 0, [column, level, float(share)])
    book.close()
    code = main(["summary", str(SAMPLE), "--rake", str(margins), "--json"])
    assert code == 0, capsys.readouterr().err
    document = json.loads(capsys.readouterr().out)
    assert document["headline"]["nps"] == pytest.approx(ref.SAMPLE_NPS, abs=1e-6)


def test_a_margins_row_without_a_column_names_its_line(tmp_path, capsys):
    margins = tmp_path / "margins.csv"
    margins.write_text("column,level,share\nRegion,Europe,0.5\n,Baltics,0.5\n", encoding="utf-8")
    code = main(["summary", str(SAMPLE), "--rake", str(margins)])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "no column name in line 3" in err


def test_cli_never_writes_over_the_margins_file(tmp_path, capsys):
    """A margins file is an input: ``--tables`` with ``--force`` does not replace it."""
    from nps_xl.export import TABLE_FILES

    folder = tmp_path / "tables"
    folder.mkdir()
    margins = folder / TABLE_FILES["segments"]
    margins.write_bytes(MARGINS_FILE.read_bytes())
    code = main(["summary", str(SAMPLE), "--rake", str(margins), "--tables", str(folder),
                 "--force"])  # fmt: skip
    assert code == 2
    assert "is the input file" in capsys.readouterr().err
    assert margins.read_bytes() == MARGINS_FILE.read_bytes()


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_cli_refuses_rake_with_an_engine(engine, capsys):
    code = main(["summary", str(SAMPLE), "--rake", str(MARGINS_FILE), "--engine", engine])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert (
        f"--rake needs every answer in memory; pass --engine pandas (or auto) with it, not {engine}"
        in err
    )


def test_cli_names_a_raked_column_that_is_not_a_segment(tmp_path, capsys):
    margins = tmp_path / "margins.csv"
    margins.write_text("column,level,share\nCountry,LT,1\n", encoding="utf-8")
    code = main(["summary", str(SAMPLE), "--rake", str(margins)])
    assert code == 2
    err = " ".join(capsys.readouterr().err.split())
    assert "'Country'" in err and "--segment 'Country'" in err


def test_cli_error_of_a_bad_margins_file_is_one_line(tmp_path, capsys):
    margins = tmp_path / "margins.csv"
    margins.write_text("column,level,share\nRegion,Europe,0.5\nRegion,Mars,0.5\n", encoding="utf-8")
    code = main(["summary", str(SAMPLE), "--rake", str(margins), "--lang", "bg"])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "'Region'" in err and "nps-xl: error:" in err


# ----------------------------------------------------------------------------- the reference


@needs_r
def test_rake_reference_is_what_the_r_script_produces(tmp_path):
    again = regenerated("make_rake_reference.R", tmp_path)
    for name in constants(ref):
        assert repr(again[name]) == repr(getattr(ref, name)), name


def test_docstring_example_holds():
    import doctest

    import nps_xl.raking

    result = doctest.testmod(nps_xl.raking)
    assert result.attempted > 0 and result.failed == 0, result
    # the closed form the example states
    assert 2.5 * math.sqrt(2) / (1 + math.sqrt(2)) == pytest.approx(1.4645, abs=5e-5)


def test_rake_is_exported():
    assert nx.rake is rake and nx.Raking.__name__ == "Raking"
    assert not math.isnan(rake(hand(), HAND_MARGINS).design_effect_of_weights)
