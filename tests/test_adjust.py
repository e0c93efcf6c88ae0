"""Multiple comparisons and trend control limits, against R (scripts/make_adjust_reference.R:
``p.adjust`` and control limits computed from the coded answers in base R)."""

from __future__ import annotations

import runpy
from pathlib import Path

import adjust_reference as ref
import numpy as np
import pandas as pd
import pytest
from r_reference import constants, needs_r, regenerated

from nps_xl import tables
from nps_xl.multiplicity import adjust_p
from nps_xl.report import ReportOptions, table_note


def _same(got, want) -> None:
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    assert np.array_equal(np.isnan(got), np.isnan(want))
    ok = ~np.isnan(want)
    np.testing.assert_allclose(got[ok], want[ok], rtol=1e-12, atol=1e-15)


@pytest.mark.parametrize("p, holm, bh", ref.ADJUSTED)
def test_adjusted_p_values_equal_r_p_adjust(p, holm, bh):
    _same(adjust_p(p, "holm"), holm)
    _same(adjust_p(p, "bh"), bh)
    _same(adjust_p(p, "none"), p)


def test_bad_adjust_names_the_argument():
    with pytest.raises(ValueError, match="adjust must be one of 'holm', 'bh'"):
        adjust_p([0.1], "bonferroni")
    with pytest.raises(ValueError, match="adjust must be one of"):
        ReportOptions(adjust="sidak")


def _limit_frame() -> pd.DataFrame:
    rows = []
    for i, (det, pas, pro) in enumerate(ref.LIMIT_PERIODS):
        day = pd.Timestamp(2025, 1 + i, 15)
        rows += [(day, 0)] * int(det) + [(day, 7)] * int(pas) + [(day, 10)] * int(pro)
    return pd.DataFrame(rows, columns=["Date", "Score"])


def test_control_limits_equal_base_r():
    got = tables.trend(_limit_frame(), period="month")
    assert len(got) == len(ref.LIMIT_PERIODS)
    assert got["centre"].to_numpy() == pytest.approx([ref.LIMIT_CENTRE] * len(got), rel=1e-12)
    _same(got["lower_limit"], ref.LIMIT_LOWER)
    _same(got["upper_limit"], ref.LIMIT_UPPER)
    want = ref.LIMIT_OUTSIDE  # None where the month has no answers
    flags = [None if pd.isna(x) else bool(x) for x in got["out_of_control"]]
    assert flags == want
    assert any(want)  # the case has points outside, so the flag is tested both ways
    note = table_note(got, "holm", "en", "month")
    assert f"{sum(bool(x) for x in want)} of {sum(x is not None for x in want)} periods" in note


def test_tables_adjust_the_family_of_their_testable_rows():
    got = tables.trend(_limit_frame(), period="month", adjust="bh")
    raw = got["p_value"].to_numpy(dtype=float)
    # independent route: the p-values of the testable rows only, adjusted as one family
    tested = ~np.isnan(raw)
    assert tested.sum() < len(raw)  # empty months and the month after them are not tests
    _same(got["p_adjusted"][tested], adjust_p(raw[tested], "bh"))
    assert got["p_adjusted"][~tested].isna().all()
    alpha = 0.05
    assert (got["significant"][tested] == (got["p_adjusted"][tested] < alpha)).all()
    assert (got["significant_raw"][tested] == (raw[tested] < alpha)).all()
    assert got["significant"][~tested].isna().all()
    note = table_note(got, "bh", "en", "month")
    assert f"Benjamini–Hochberg correction (false discovery rate) over {tested.sum()} tests" in note
    none = tables.trend(_limit_frame(), period="month", adjust="none")
    assert (none["significant"].fillna(False) == none["significant_raw"].fillna(False)).all()


def test_segment_rows_of_every_column_are_one_family():
    rng = np.random.default_rng(7)
    frame = pd.DataFrame(
        {
            "Score": rng.integers(0, 11, 400),
            "Region": rng.choice(["N", "S", "E"], 400),
            "Plan": rng.choice(["a", "b"], 400),
        }
    )
    got = tables.segments(frame, ["Region", "Plan"])
    _same(got["p_adjusted"], adjust_p(got["p_value"], "holm"))
    assert len(got) == 5


def test_family_wise_rate_benchmark_small_run():
    """The Monte Carlo of benchmarks/bench_error_control.py at a few hundred draws (fixed seed):
    Holm keeps the family-wise false-alarm rate near 5%, no correction does not."""
    bench = runpy.run_path(str(Path(__file__).parent.parent / "benchmarks/bench_error_control.py"))
    rates = bench["family_wise_rates"](draws=300, seed=2026)
    for family in ("segments", "trend"):
        assert rates[family]["none"] > 0.2, rates
        assert rates[family]["holm"] <= 0.08, rates
        assert rates[family]["bh"] <= 0.08, rates  # all nulls true: BH's FDR is the FWER


@needs_r
def test_adjust_reference_is_what_the_r_script_produces(tmp_path):
    again = regenerated("make_adjust_reference.R", tmp_path)
    for name in constants(ref):
        assert repr(again[name]) == repr(getattr(ref, name)), name
