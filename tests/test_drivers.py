"""Key drivers (nps_xl.key_drivers) against R: LMG by lm() on every subset and Johnson's relative
weights by eigen() (scripts/make_drivers_reference.R → tests/drivers_reference.py)."""

from __future__ import annotations

from pathlib import Path

import drivers_reference as ref
import numpy as np
import pandas as pd
import pytest
from r_reference import constants, needs_r, regenerated

import nps_xl
from nps_xl import key_drivers as drv

ROOT = Path(__file__).resolve().parent.parent
SURVEY = ROOT / "tests" / "fixtures" / "drivers_survey.csv"


def test_swiss_lmg_and_relative_weights_equal_r():
    data = np.array(ref.SWISS_ROWS)
    for method, key in (("lmg", "lmg"), ("relative-weights", "relative_weights")):
        parts, r2, _ = drv.importance(data[:, 0], data[:, 1:], method)
        assert r2 == pytest.approx(ref.SWISS["r_squared"], abs=1e-12)
        assert parts == pytest.approx(ref.SWISS[key], abs=1e-12)
        assert parts.sum() == pytest.approx(r2, abs=1e-12)


def _frame(data: dict) -> pd.DataFrame:
    return pd.DataFrame({k: [np.nan if v is None else v for v in vs] for k, vs in data.items()})


@pytest.mark.parametrize(
    ("case", "frame"),
    [
        (ref.SMALL, _frame(ref.SMALL_DATA)),
        (ref.SURVEY, pd.read_csv(SURVEY, dtype=str, keep_default_na=False)),
    ],
    ids=["small", "sample-survey"],
)
@pytest.mark.parametrize("method", ["lmg", "relative-weights"])
def test_drivers_table_equals_r(case, frame, method):
    table = nps_xl.drivers(frame, score="Score", drivers=case["drivers"], method=method)
    expected = dict(zip(case["drivers"], case[method.replace("-", "_")], strict=True))
    got = dict(zip(table.importance["driver"], table.importance["importance"], strict=True))
    assert got == pytest.approx(expected, abs=1e-10)
    assert table.r_squared == pytest.approx(case["r_squared"], abs=1e-12)
    assert table.n == case["n"]
    assert table.left_out == case["left_out"]
    assert str(case["left_out"]) in table.note.replace(",", "")
    ranked = sorted(expected, key=expected.get, reverse=True)
    assert list(table.importance["driver"]) == ranked
    assert list(table.importance["rank"]) == list(range(1, len(ranked) + 1))
    assert table.importance["share"].sum() == pytest.approx(100)
    for name, levels in case["levels"].items():
        mine = table.levels[table.levels["driver"] == name]
        for column, values in levels.items():
            assert mine[column].to_numpy() == pytest.approx(np.array(values, float), abs=1e-10)


def test_rows_without_a_valid_score_are_counted():
    frame = pd.read_csv(SURVEY, dtype=str, keep_default_na=False)
    table = nps_xl.drivers(frame, drivers=ref.SURVEY["drivers"])
    assert table.no_score == ref.SURVEY_NO_SCORE
    assert f"{ref.SURVEY_NO_SCORE} rows without a valid score" in table.note


def test_lmg_is_the_average_over_every_order():
    """The definition (Lindeman, Merenda & Gold): the mean R² gain over all p! orders."""
    from itertools import permutations

    data = np.array(ref.SWISS_ROWS)[:, :5]
    corr = np.corrcoef(data, rowvar=False)
    r2 = drv.r_squared_of_subsets(corr)
    p = 4
    total = np.zeros(p)
    orders = list(permutations(range(p)))
    for order in orders:
        mask = 0
        for j in order:
            total[j] += r2[mask | 1 << j] - r2[mask]
            mask |= 1 << j
    assert drv.lmg(corr) == pytest.approx(total / len(orders), abs=1e-14)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.assign(Price=["x", *list(f["Price"][1:])]), "'Price', row 0"),
        (lambda f: f.assign(Price=[11, *list(f["Price"][1:])]), "whole number from 0 to 10"),
        (lambda f: f.assign(Price=[2.5, *list(f["Price"][1:])]), "whole number from 0 to 10"),
        (lambda f: f.assign(Price=4), "same rating"),
        (lambda f: f.assign(Twin=f["Product"]), "collinear"),
    ],
    ids=["text", "out-of-range", "fraction", "constant", "collinear"],
)
def test_bad_driver_columns_say_what_to_do(change, message):
    frame = change(_frame(ref.SMALL_DATA))
    names = [c for c in frame.columns if c != "Score"]
    with pytest.raises(ValueError, match=message):
        nps_xl.drivers(frame, drivers=names)


def test_argument_errors():
    frame = _frame(ref.SMALL_DATA)
    with pytest.raises(ValueError, match="method must be"):
        nps_xl.drivers(frame, drivers=["Price"], method="ols")
    with pytest.raises(ValueError, match="not in the data"):
        nps_xl.drivers(frame, drivers=["Nope"])
    with pytest.raises(ValueError, match="cannot also be a driver"):
        nps_xl.drivers(frame, drivers=["Score", "Price"])
    wide = pd.DataFrame({"Score": range(11), **{f"D{i}": range(11) for i in range(16)}})
    with pytest.raises(ValueError, match="at most 15"):
        nps_xl.drivers(wide, drivers=[f"D{i}" for i in range(16)])


@needs_r
def test_reference_is_what_the_r_script_produces(tmp_path):
    again = regenerated("make_drivers_reference.R", tmp_path)
    for name in constants(ref):
        assert again[name] == getattr(ref, name), name
