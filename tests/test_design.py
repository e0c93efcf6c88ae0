"""Weighted answers with the design-based (linearization) variance, and the finite population
correction, against R ``survey`` (scripts/make_design_reference.R → tests/design_reference.py):
the statistics core, the tables, and the command line."""

from __future__ import annotations

import json
import math

import design_reference as ref
import numpy as np
import pandas as pd
import pytest
from r_reference import constants, needs_r, regenerated

from nps_xl import stats, tables
from nps_xl.cli import main
from nps_xl.counts import counts

W = ref.WEIGHTED
G = ref.GROUPS
U = ref.UNWEIGHTED


def _code(scores) -> np.ndarray:
    s = np.asarray(scores)
    return np.where(s >= 9, 1.0, np.where(s >= 7, 0.0, -1.0))


def _share_variance(scores, weights) -> float:
    """V = p + d − (p − d)², the weighted shares counted here with numpy."""
    y, w = _code(scores), np.asarray(weights, dtype=float)
    p, d = w[y == 1].sum() / w.sum(), w[y == -1].sum() / w.sum()
    return p + d - (p - d) ** 2


def test_weighted_wald_interval_is_svymeans():
    c = counts(W["scores"], weights=W["weights"])
    ci = stats.interval(c, method="wald", warn=False)
    assert ci.estimate == pytest.approx(W["nps"], rel=1e-12)
    assert (ci.low, ci.high) == pytest.approx(W["wald"], rel=1e-11)
    assert 100 * math.sqrt(stats.design_variance(c)) == pytest.approx(W["se"], rel=1e-12)
    assert ci.design == "linearization"


def test_design_effect_and_effective_n_are_surveys():
    c = counts(W["scores"], weights=W["weights"])
    n = len(W["scores"])
    # survey's deff = "replace" compares with svyvar/n, whose svyvar has the n − 1 divisor
    assert stats.design_effect(c) * (n - 1) / n == pytest.approx(W["deff_replace"], rel=1e-11)
    v = (W["se"] / 100) ** 2
    assert stats.effective_n(c) == pytest.approx(_share_variance(W["scores"], W["weights"]) / v)
    # Kish's size, kept as an option, from the weights alone
    w = np.asarray(W["weights"])
    assert stats.effective_n(c, design="kish") == pytest.approx(w.sum() ** 2 / (w**2).sum())
    kish = stats.interval(c, method="wald", design="kish", warn=False)
    assert kish.design == "kish" and kish.effective_n == pytest.approx(w.sum() ** 2 / (w**2).sum())


def test_weighted_interval_with_a_finite_population_is_svymean_with_fpc():
    c = counts(W["scores"], weights=W["weights"])
    ci = stats.interval(c, method="wald", population=W["population"], warn=False)
    assert (ci.low, ci.high) == pytest.approx(W["wald_fpc"], rel=1e-11)
    assert ci.population == W["population"]
    se = stats.standard_error(c, population=W["population"])
    assert 100 * se == pytest.approx(W["se_fpc"], rel=1e-12)


def test_unweighted_interval_with_a_finite_population_is_svymean_with_fpc():
    ci = stats.interval(U["scores"], method="wald", population=U["population"], warn=False)
    assert ci.estimate == pytest.approx(U["nps"], rel=1e-12)
    # unweighted Wald is the R package NPS's V/n; svymean's variance of a mean divides by
    # n − 1, so the two SEs differ by sqrt(n/(n − 1)) and the correction f by nothing
    n = len(U["scores"])
    se = U["se_fpc"] * math.sqrt((n - 1) / n)
    assert ci.margin == pytest.approx(stats.z_value(0.95) * se, rel=1e-11)
    assert U["wald_fpc"][0] < ci.low < ci.high < U["wald_fpc"][1]


def test_weighted_comparison_is_two_independent_svymeans():
    a = counts(G["scores_a"], weights=G["weights_a"])
    b = counts(G["scores_b"], weights=G["weights_b"])
    cmp = stats.compare(a, b, method="wald")
    assert cmp.difference == pytest.approx(G["difference"], rel=1e-12)
    assert cmp.standard_error == pytest.approx(G["se"], rel=1e-11)
    assert (cmp.low, cmp.high) == pytest.approx(G["wald"], rel=1e-11)
    assert cmp.p_value == pytest.approx(G["p_value"], rel=1e-6)
    assert cmp.design == "linearization"
    raw = stats.compare(
        G["scores_a"], G["scores_b"], weights_a=G["weights_a"], weights_b=G["weights_b"],
        method="wald",
    )  # fmt: skip
    assert raw.standard_error == pytest.approx(G["se"], rel=1e-11)
    fpc = stats.compare(a, b, method="wald", population=G["population"])
    assert fpc.standard_error == pytest.approx(G["se_fpc"], rel=1e-11)


def _groups_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Score": [*G["scores_a"], *G["scores_b"]],
            "Weight": [*G["weights_a"], *G["weights_b"]],
            "Group": ["A"] * len(G["scores_a"]) + ["B"] * len(G["scores_b"]),
        }
    )


def test_segment_rows_carry_the_design_based_effective_n():
    table = tables.segments(_groups_frame(), ["Group"], weight="Weight").set_index("group")
    for group in ("a", "b"):
        scores, weights = G[f"scores_{group}"], G[f"weights_{group}"]
        v = (G[f"se_{group}"] / 100) ** 2
        row = table.loc[group.upper()]
        assert row["nps"] == pytest.approx(G[f"nps_{group}"], rel=1e-12)
        assert row["effective_n"] == pytest.approx(_share_variance(scores, weights) / v)


def test_summary_of_a_weighted_frame_reports_the_design_effect():
    frame = pd.DataFrame({"Score": W["scores"], "Weight": W["weights"]})
    s = tables.summary(frame, weight="Weight", population=W["population"])
    n = len(W["scores"])
    assert s["design_effect"] * (n - 1) / n == pytest.approx(W["deff_replace"], rel=1e-11)
    assert s["population"] == W["population"]
    # the population narrows the interval by sqrt(1 − n/N), here for adjusted Wald
    wide = tables.summary(frame, weight="Weight")
    shrink = (s["high"] - s["low"]) / (wide["high"] - wide["low"])
    assert shrink == pytest.approx(math.sqrt(1 - n / W["population"]), abs=0.01)


def _run_json(argv, capsys) -> dict:
    assert main(argv) == 0
    return json.loads(capsys.readouterr().out)


def test_command_line_weighted_summary_with_population(tmp_path, capsys):
    path = tmp_path / "weighted.csv"
    pd.DataFrame({"Score": W["scores"], "Weight": W["weights"]}).to_csv(path, index=False)
    argv = ["summary", str(path), "--weight", "Weight", "--population", "600", "--json"]
    h = _run_json(argv, capsys)["headline"]
    n = len(W["scores"])
    assert h["nps"] == pytest.approx(W["nps"], rel=1e-12)
    assert h["design_effect"] * (n - 1) / n == pytest.approx(W["deff_replace"], rel=1e-11)
    v = (W["se"] / 100) ** 2
    assert h["effective_n"] == pytest.approx(_share_variance(W["scores"], W["weights"]) / v)
    assert h["population"] == 600
    # the terminal says both, in words
    assert main(["summary", str(path), "--weight", "Weight", "--population", "600"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "design effect" in out and "1 − n/N = 0.600" in out


def test_command_line_population_below_the_answers_is_one_line(tmp_path, capsys):
    path = tmp_path / "weighted.csv"
    pd.DataFrame({"Score": W["scores"], "Weight": W["weights"]}).to_csv(path, index=False)
    assert main(["summary", str(path), "--population", "100"]) != 0
    err = capsys.readouterr().err.strip()
    assert "population" in err and "240" in err
    assert len(err.splitlines()) == 1


def test_command_line_weighted_comparison(tmp_path, capsys):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    pd.DataFrame({"Score": G["scores_a"], "Weight": G["weights_a"]}).to_csv(first, index=False)
    pd.DataFrame({"Score": G["scores_b"], "Weight": G["weights_b"]}).to_csv(second, index=False)
    argv = ["compare", str(first), str(second), "--weight", "Weight", "--json"]
    doc = _run_json(argv, capsys)
    assert doc["difference"] == pytest.approx(-G["difference"], rel=1e-12)  # second − first
    assert doc["design"] == "linearization"
    assert doc["first"]["nps"] == pytest.approx(G["nps_a"], rel=1e-12)
    narrow = _run_json([*argv, "--population", "1000"], capsys)
    assert narrow["high"] - narrow["low"] < doc["high"] - doc["low"]


@needs_r
def test_design_reference_is_what_the_r_script_produces(tmp_path):
    again = regenerated("make_design_reference.R", tmp_path)
    for name in constants(ref):
        assert again[name] == getattr(ref, name), name
