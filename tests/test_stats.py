"""Tests for nps_xl.stats.

Every number asserted here comes from outside nps_xl: published worked examples (quoted with
their source next to the test) or ``tests/reference_results.py``, which R computed with
``scripts/make_reference_results.R`` by a different route than the Python code. Where no
outside number exists (the Monte Carlo bootstrap, the score interval's root search), the test
checks against an exact enumeration or a brute-force search written differently here.
"""

from __future__ import annotations

import itertools
import math
import warnings

import numpy as np
import pytest
import reference_results as ref
from hypothesis import given, settings
from hypothesis import strategies as st
from r_reference import constants, needs_r, regenerated
from scipy import optimize, stats

from nps_xl.counts import Counts
from nps_xl.stats import (
    COMPARE_METHODS,
    INTERVAL_METHODS,
    Comparison,
    Interval,
    compare,
    compare_paired,
    interval,
    nps,
    sample_size,
    sample_size_difference,
    standard_error,
    variance,
)


def _counts(k: tuple) -> Counts:
    return Counts(detractors=k[0], passives=k[1], promoters=k[2])


def _clip(x: float) -> float:
    return min(max(x, -100.0), 100.0)


def _held(low: float, high: float, k: tuple) -> tuple[float, float]:
    """R's bounds (proportions) with rule D1 applied: moved to hold R's NPS, then clipped."""
    estimate = 100 * ref.ONE_SAMPLE[k][1]
    return _clip(min(100 * low, estimate)), _clip(max(100 * high, estimate))


pytestmark = pytest.mark.filterwarnings("ignore::nps_xl.stats.SmallSampleWarning")


# --------------------------------------------------------------------------- published values


@pytest.mark.parametrize(
    ("k", "expected_variance"),
    [((1, 2, 3), 5 / 9), ((1, 0, 1), 1.0), ((0, 1, 1), 0.25), ((1, 1, 1), 2 / 3)],
)
def test_variance_published_examples(k, expected_variance):
    # Rocks (2016), eq. 1, and the worked variances quoted in the project brief.
    assert variance(_counts(k)) == pytest.approx(expected_variance, abs=1e-15)


def test_one_two_three_example():
    c = _counts((1, 2, 3))
    assert round(nps(c), 2) == 33.33
    assert round(standard_error(c), 3) == 0.304


def test_1162_answers_example():
    # 291 promoters, 476 passives, 395 detractors: NPS −9 with a 95% margin of about 4.4
    # (talkstats.com thread "Net Promoter Score – Calculating Confidence Intervals and Margin
    # of Error"; 4.39 to two decimals).
    c = Counts(detractors=395, passives=476, promoters=291)
    assert round(nps(c), 2) == -8.95
    iv = interval(c, method="wald")
    assert round(iv.margin, 2) == 4.39
    assert iv.estimate == pytest.approx(-8.950086, abs=1e-6)


@pytest.mark.parametrize(("margin", "expected"), [(20, 94), (10, 382), (5, 1534)])
def test_sample_size_published_values(margin, expected):
    assert sample_size(margin) == expected


# --------------------------------------------------------------------------- R: one sample


@pytest.mark.parametrize("k", list(ref.ONE_SAMPLE))
def test_one_sample_basics_match_r(k):
    n, nps_r, var_r, se_r = ref.ONE_SAMPLE[k]
    c = _counts(k)
    assert c.n == n
    assert nps(c) == pytest.approx(100 * nps_r, abs=1e-12)
    assert variance(c) == pytest.approx(var_r, abs=1e-14)
    assert standard_error(c) == pytest.approx(se_r, abs=1e-14)


@pytest.mark.parametrize(("k", "confidence"), list(ref.WALD))
def test_wald_matches_r(k, confidence):
    low, high = ref.WALD[(k, confidence)]
    iv = interval(_counts(k), confidence=confidence, method="wald")
    assert iv.low == pytest.approx(_clip(100 * low), abs=1e-10)
    assert iv.high == pytest.approx(_clip(100 * high), abs=1e-10)
    assert iv.margin == pytest.approx(100 * (high - low) / 2, abs=1e-10)
    assert iv.estimate == pytest.approx(100 * ref.ONE_SAMPLE[k][1], abs=1e-12)


@pytest.mark.parametrize(("k", "confidence"), list(ref.ADJUSTED_WALD))
def test_adjusted_wald_matches_r(k, confidence):
    low, high, margin = ref.ADJUSTED_WALD[(k, confidence)]
    iv = interval(_counts(k), confidence=confidence)  # the default method
    assert iv.method == "adjusted-wald"
    shown_low, shown_high = _held(low, high, k)
    assert iv.low == pytest.approx(shown_low, abs=1e-10)
    assert iv.high == pytest.approx(shown_high, abs=1e-10)
    assert iv.widened == (100 * low > iv.estimate or 100 * high < iv.estimate)
    assert iv.margin == pytest.approx(100 * margin, abs=1e-10)


@pytest.mark.parametrize(("k", "confidence"), list(ref.SCORE))
def test_score_matches_r(k, confidence):
    # R found the restricted MLE with optimize(), good to about 1e-8; 1e-5 points is ample.
    low, high = ref.SCORE[(k, confidence)]
    iv = interval(_counts(k), confidence=confidence, method="score")
    assert iv.low == pytest.approx(100 * low, abs=1e-5)
    assert iv.high == pytest.approx(100 * high, abs=1e-5)


# --------------------------------------------------------------------------- score: brute force


def _brute_force_score_interval(k: tuple, confidence: float) -> tuple[float, float]:
    """The score interval by another route: numerical restricted MLE, grid, then bisection."""
    det, pas, pro = (float(x) for x in k)
    n = det + pas + pro
    z = stats.norm.ppf(0.5 + confidence / 2)

    def restricted_q(delta: float) -> float:
        lo, hi = max(0.0, -delta), (1.0 - delta) / 2.0
        if hi - lo < 1e-14:
            return lo

        def neg_loglik(q: float) -> float:
            total = 0.0
            for count, prob in ((det, q), (pas, 1 - 2 * q - delta), (pro, q + delta)):
                if count:
                    total += count * math.log(max(prob, 1e-300))
            return -total

        return optimize.minimize_scalar(
            neg_loglik, bounds=(lo, hi), method="bounded", options={"xatol": 1e-13}
        ).x

    def statistic(delta: float) -> float:
        var = 2 * restricted_q(delta) + delta - delta**2
        return (
            (pro - det - n * delta) / math.sqrt(n * var)
            if var > 0
            else -math.copysign(math.inf, delta - (pro - det) / n)
        )

    grid = np.linspace(-1 + 1e-9, 1 - 1e-9, 401)
    inside = [d for d in grid if abs(statistic(d)) <= z]
    bounds = []
    for edge, step in ((min(inside), -1), (max(inside), 1)):
        a, b = edge, min(max(edge + step * (grid[1] - grid[0]), -1.0), 1.0)
        if abs(statistic(b)) <= z:  # the interval reaches ±1
            bounds.append(b)
            continue
        for _ in range(60):  # plain bisection between "inside" a and "outside" b
            mid = (a + b) / 2
            a, b = (mid, b) if abs(statistic(mid)) <= z else (a, mid)
        bounds.append((a + b) / 2)
    return 100 * bounds[0], 100 * bounds[1]


@pytest.mark.parametrize(
    ("k", "confidence"),
    [((1, 2, 3), 0.95), ((10, 20, 30), 0.9), ((40, 35, 25), 0.99), ((1, 17, 2), 0.95)],
)
def test_score_matches_brute_force(k, confidence):
    low, high = _brute_force_score_interval(k, confidence)
    iv = interval(_counts(k), confidence=confidence, method="score")
    assert iv.low == pytest.approx(low, abs=1e-4)
    assert iv.high == pytest.approx(high, abs=1e-4)


def _exact_coverage(shares: tuple, n: int, method: str, confidence: float = 0.95) -> float:
    """P(interval covers the true NPS), summed over every possible sample of size n."""
    truth = 100 * (shares[2] - shares[0])
    total = 0.0
    for det in range(n + 1):
        for pro in range(n - det + 1):
            pas = n - det - pro
            prob = stats.multinomial.pmf([det, pas, pro], n, shares)
            iv = interval(Counts(det, pas, pro), confidence=confidence, method=method)
            if iv.low - 1e-9 <= truth <= iv.high + 1e-9:
                total += prob
    return total


@pytest.mark.parametrize("method", ["score", "adjusted-wald"])
@pytest.mark.parametrize("shares", [(0.2, 0.3, 0.5), (0.1, 0.2, 0.7), (0.4, 0.3, 0.3)])
def test_exact_coverage_near_nominal(method, shares):
    # Rocks (2016) found both methods close to nominal coverage; with n = 30 the exact
    # coverage of a 95% interval should be within 2.5 points of 95%.
    coverage = _exact_coverage(shares, 30, method)
    assert 0.925 <= coverage <= 0.975, coverage


# --------------------------------------------------------------------------- bootstrap


def _exact_quantile(values: tuple, cdf: tuple, prob: float) -> float:
    return 100 * values[int(np.searchsorted(np.asarray(cdf), prob - 1e-12))]


@pytest.mark.parametrize("k", list(ref.BOOTSTRAP_EXACT))
def test_bootstrap_approaches_exact_percentiles(k):
    # R enumerated the exact multinomial distribution of the resampled NPS; a 20,000-resample
    # percentile bootstrap must land between its quantiles at α/2 ± 0.01 (about 6.5 Monte
    # Carlo standard errors).
    values, cdf = ref.BOOTSTRAP_EXACT[k]
    iv = interval(_counts(k), method="bootstrap", resamples=20_000, seed=7)
    assert _exact_quantile(values, cdf, 0.015) <= iv.low <= _exact_quantile(values, cdf, 0.035)
    assert _exact_quantile(values, cdf, 0.965) <= iv.high <= _exact_quantile(values, cdf, 0.985)


@pytest.mark.parametrize("k", [(395, 476, 291), (700, 1800, 7500)])
def test_bootstrap_close_to_wald_for_large_n(k):
    low, high = ref.WALD[(k, 0.95)]
    iv = interval(_counts(k), method="bootstrap", resamples=20_000)
    width = 100 * (high - low)
    assert iv.low == pytest.approx(100 * low, abs=0.05 * width)
    assert iv.high == pytest.approx(100 * high, abs=0.05 * width)


def test_bootstrap_is_reproducible_and_seeded():
    c = _counts((10, 20, 30))
    assert interval(c, method="bootstrap") == interval(c, method="bootstrap")
    assert interval(c, method="bootstrap", seed=1) == interval(c, method="bootstrap", seed=1)
    big = _counts((3950, 4760, 2910))  # atoms 0.009 points apart: different draws differ
    assert interval(big, method="bootstrap", seed=1) != interval(big, method="bootstrap", seed=2)
    with pytest.raises(ValueError, match="at least 2000"):
        interval(c, method="bootstrap", resamples=500)


# --------------------------------------------------------------------------- two samples


@pytest.mark.parametrize("key", list(ref.TWO_SAMPLE))
@pytest.mark.parametrize("method", COMPARE_METHODS)
def test_compare_matches_r(key, method):
    ka, kb, confidence = key
    expected = ref.TWO_SAMPLE[key]
    low, high, z, p, se = expected[method]
    result = compare(_counts(ka), _counts(kb), confidence=confidence, method=method)
    difference = 100 * expected["difference"]
    assert result.difference == pytest.approx(difference, abs=1e-10)
    # rule D1: R's bounds moved to hold R's difference, then clipped to ±200
    assert result.low == pytest.approx(max(min(100 * low, difference), -200), abs=1e-10)
    assert result.high == pytest.approx(min(max(100 * high, difference), 200), abs=1e-10)
    assert result.widened == (100 * low > difference or 100 * high < difference)
    assert result.z == pytest.approx(z, rel=1e-12, abs=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-9, abs=1e-15)
    assert result.standard_error == pytest.approx(100 * se, abs=1e-10)
    assert result.significant == (p < 1 - confidence)


def test_compare_wald_is_nps_test_of_r_package():
    # nps.test(x, y) reports |NPS_x − NPS_y| and a two-sided p from the unpooled Wald z: the
    # same p and SE as compare(..., method="wald"), whose difference keeps its sign.
    key = ((395, 476, 291), (350, 480, 332), 0.95)
    result = compare(_counts(key[0]), _counts(key[1]), method="wald")
    assert result.difference < 0
    assert result.p_value == pytest.approx(ref.TWO_SAMPLE[key]["wald"][3], rel=1e-9)
    assert result.significant


def test_compare_adjusted_agrees_with_its_interval():
    for key in ref.TWO_SAMPLE:
        ka, kb, confidence = key
        r = compare(_counts(ka), _counts(kb), confidence=confidence)
        assert r.significant == (r.low > 0 or r.high < 0)


# --------------------------------------------------------------------------- paired


@pytest.mark.parametrize("confidence", list(ref.PAIRED))
def test_compare_paired_matches_r(confidence):
    diff, low, high, z, p, se, n_pairs, dropped, nps_a, nps_b = ref.PAIRED[confidence]
    result = compare_paired(ref.PAIRED_AFTER, ref.PAIRED_BEFORE, confidence=confidence)
    assert result.method == "paired"
    assert result.difference == pytest.approx(100 * diff, abs=1e-10)
    assert result.low == pytest.approx(100 * low, abs=1e-10)
    assert result.high == pytest.approx(100 * high, abs=1e-10)
    assert result.z == pytest.approx(z, rel=1e-12)
    assert result.p_value == pytest.approx(p, rel=1e-9)
    assert result.standard_error == pytest.approx(100 * se, abs=1e-10)
    assert (result.n_a, result.n_b, result.dropped) == (n_pairs, n_pairs, dropped)
    assert result.nps_a == pytest.approx(100 * nps_a, abs=1e-10)
    assert result.nps_b == pytest.approx(100 * nps_b, abs=1e-10)


def test_compare_paired_checks_lengths_and_invalid_answers():
    with pytest.raises(ValueError, match="equal length"):
        compare_paired([9, 10, 3], [9, 10])
    with pytest.raises(ValueError):
        compare_paired([9, 11], [9, 10])  # 11 is not on the 0–10 scale
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = compare_paired([9, 11, 10, 0], [9, 10, 3, 5], invalid="skip")
    assert (r.n_a, r.dropped) == (3, 1)
    with pytest.raises(ValueError, match="No valid answers"):
        compare_paired([None, 9], [8, None])


# --------------------------------------------------------------------------- sample size


def _planning_arguments(variance_value: float) -> dict:
    if variance_value == 1:
        return {}
    if variance_value == 0.75:  # no passives and NPS 50: V = 1 − 0.5² = 0.75
        return {"expected_nps": 50}
    if variance_value == pytest.approx(5 / 9):  # 50% promoters, 1/6 detractors
        return {"promoter_share": 0.5, "detractor_share": 1 / 6}
    raise AssertionError(variance_value)


@pytest.mark.parametrize(("margin", "confidence", "v"), list(ref.SAMPLE_SIZE))
def test_sample_size_matches_r(margin, confidence, v):
    expected = ref.SAMPLE_SIZE[(margin, confidence, v)]
    assert sample_size(margin, confidence=confidence, **_planning_arguments(v)) == expected


_SHARES_FOR_VARIANCE = {1: None, 0.75: (0.75, 0.25), 0.6: (0.42, 0.22)}


@pytest.mark.parametrize("key", list(ref.SAMPLE_SIZE_DIFFERENCE))
def test_sample_size_difference_matches_r(key):
    difference, confidence, power, va, vb = key
    got = sample_size_difference(
        difference,
        confidence=confidence,
        power=power,
        shares_a=_SHARES_FOR_VARIANCE[va],
        shares_b=_SHARES_FOR_VARIANCE[vb],
    )
    assert got == ref.SAMPLE_SIZE_DIFFERENCE[key]


def test_sample_size_margin_is_met():
    # The adjusted-Wald margin of the worst case (half promoters, half detractors) at the
    # planned n is within the target.
    for target in (20, 10, 5, 3):
        n = sample_size(target)
        half = n // 2
        assert interval(Counts(half, n - 2 * half, half)).margin <= target + 1e-9


def test_sample_size_arguments_are_checked():
    with pytest.raises(ValueError, match="margin"):
        sample_size(0)
    with pytest.raises(ValueError, match="both"):
        sample_size(5, promoter_share=0.5)
    with pytest.raises(ValueError, match="add up"):
        sample_size(5, promoter_share=0.7, detractor_share=0.5)
    with pytest.raises(ValueError, match="does not match"):
        sample_size(5, expected_nps=10, promoter_share=0.5, detractor_share=0.2)
    with pytest.raises(ValueError, match="power"):
        sample_size_difference(10, power=1.2)
    with pytest.raises(ValueError, match="difference"):
        sample_size_difference(0)


# --------------------------------------------------------------------------- weights, raw data


def test_raw_scores_and_counts_agree():
    scores = [10, 9, 9, 8, 7, 6, 0, None, 10, 3, 9, 8]
    c = Counts(detractors=3, passives=3, promoters=5)
    for method in INTERVAL_METHODS:
        assert interval(scores, method=method) == interval(c, method=method)
    assert nps(scores) == pytest.approx(100 * 2 / 11)


def test_equal_weights_change_nothing_with_kish():
    scores = [10, 9, 9, 8, 7, 6, 0, 10, 3, 9, 8]
    for method in INTERVAL_METHODS:
        weighted = interval(scores, method=method, weights=[2.5] * len(scores), design="kish")
        plain = interval(scores, method=method)
        assert weighted.low == pytest.approx(plain.low, abs=1e-9)
        assert weighted.high == pytest.approx(plain.high, abs=1e-9)


def test_equal_weights_cost_one_answer_by_linearization():
    # svymean's variance with equal weights is the n − 1 sample variance over n, i.e. V/(n − 1):
    # the effective n is n − 1 (and the design effect n/(n − 1))
    scores = [10, 9, 9, 8, 7, 6, 0, 10, 3, 9, 8]
    for method in INTERVAL_METHODS:
        weighted = interval(scores, method=method, weights=[2.5] * len(scores))
        assert weighted.design == "linearization"
        assert weighted.effective_n == pytest.approx(len(scores) - 1)
        assert weighted.design_effect == pytest.approx(len(scores) / (len(scores) - 1))


def test_weighted_wald_uses_kish_effective_n():
    scores = np.array([10, 9, 9, 8, 7, 6, 0, 10, 3, 9, 8, 2])
    w = np.array([1, 2, 1, 1, 3, 1, 1, 0.5, 1, 2, 1, 1])
    code = np.where(scores >= 9, 1.0, np.where(scores >= 7, 0.0, -1.0))
    mean = np.average(code, weights=w)
    var = np.average((code - mean) ** 2, weights=w)
    n_eff = w.sum() ** 2 / (w**2).sum()  # Kish (1965)
    half = stats.norm.ppf(0.975) * math.sqrt(var / n_eff)
    iv = interval(scores, weights=w, method="wald", design="kish")
    assert iv.estimate == pytest.approx(100 * mean)
    assert iv.low == pytest.approx(100 * (mean - half))
    assert iv.high == pytest.approx(100 * (mean + half))
    assert iv.effective_n == pytest.approx(n_eff)


# --------------------------------------------------------------------------- errors, edges


def test_no_answers():
    for data in (Counts(0, 0, 0), [None, float("nan"), ""]):
        with pytest.raises(ValueError, match="No valid answers"):
            interval(data)
        with pytest.raises(ValueError, match="No valid answers"):
            nps(data)
    with pytest.raises(ValueError, match="No valid answers"):
        compare(Counts(1, 2, 3), Counts(0, 0, 0))
    with pytest.raises(ValueError, match="No valid answers"):
        variance(Counts(0, 0, 0))


@pytest.mark.parametrize("confidence", [0, 1, 1.5, -0.1, 95, "high", None, float("nan")])
def test_confidence_must_be_between_0_and_1(confidence):
    with pytest.raises(ValueError, match="between 0 and 1"):
        interval(Counts(1, 2, 3), confidence=confidence)
    with pytest.raises(ValueError, match="between 0 and 1"):
        compare(Counts(1, 2, 3), Counts(3, 2, 1), confidence=confidence)


def test_unknown_method_lists_methods():
    with pytest.raises(ValueError, match="'adjusted-wald', 'wald', 'score', 'bootstrap'"):
        interval(Counts(1, 2, 3), method="exact")
    with pytest.raises(ValueError, match="'adjusted-wald', 'wald'"):
        compare(Counts(1, 2, 3), Counts(3, 2, 1), method="score")


def test_weights_with_counts_is_an_error():
    with pytest.raises(ValueError, match="weights"):
        interval(Counts(1, 2, 3), weights=[1, 2])


@pytest.mark.parametrize("n", [1, 5, 40])
def test_all_promoters_give_a_real_interval(n):
    for method in ("adjusted-wald", "score"):
        iv = interval(Counts(0, 0, n), method=method)
        assert -100 <= iv.low < iv.high <= 100
        assert iv.margin > 0
    assert interval(Counts(0, 0, n), method="score").high == 100
    for method in ("wald", "bootstrap"):  # degenerate by construction, but no crash
        iv = interval(Counts(0, 0, n), method=method)
        assert (iv.low, iv.high, iv.margin) == (100, 100, 0)


def test_all_same_samples_compare_without_infinite_z():
    r = compare(Counts(0, 0, 2), Counts(0, 0, 3))
    assert r.difference == 0 and math.isfinite(r.z) and r.p_value > 0.5


# --------------------------------------------------------------------------- result objects


def test_result_objects_print_and_convert():
    iv = interval(Counts(395, 476, 291), method="wald")
    assert isinstance(iv, Interval)
    assert repr(iv).startswith("Interval(estimate=-8.95, low=-13.34, high=-4.56, margin=4.39")
    assert "95% CI" in str(iv)
    d = iv.to_dict()
    assert set(d) >= {"estimate", "low", "high", "margin", "confidence", "method", "n"}
    with pytest.raises(AttributeError):
        iv.low = 0  # frozen
    r = compare(Counts(10, 20, 30), Counts(30, 20, 10))
    assert isinstance(r, Comparison)
    assert repr(r).startswith("Comparison(difference=66.67")
    assert "significant" in str(r)
    assert r.to_dict()["difference"] == pytest.approx(200 / 3)


# --------------------------------------------------------------------------- properties

counts_strategy = st.tuples(st.integers(0, 400), st.integers(0, 400), st.integers(0, 400)).filter(
    lambda k: sum(k) > 0
)


@settings(max_examples=150, deadline=None)
@given(counts_strategy)
def test_property_bounds_and_containment(k):
    c = _counts(k)
    assert -100 <= nps(c) <= 100
    for method in ("wald", "adjusted-wald", "score"):
        iv = interval(c, method=method)
        assert -100 <= iv.low <= iv.high <= 100
        if method != "adjusted-wald":  # the adjusted centre is pulled toward 0
            assert iv.low - 1e-9 <= iv.estimate <= iv.high + 1e-9


@settings(max_examples=100, deadline=None)
@given(counts_strategy, st.sampled_from(["wald", "adjusted-wald", "score"]))
def test_property_width_grows_with_confidence(k, method):
    c = _counts(k)
    widths = [interval(c, confidence=conf, method=method).margin for conf in (0.5, 0.8, 0.95, 0.99)]
    assert all(a <= b + 1e-9 for a, b in itertools.pairwise(widths))


@settings(max_examples=100, deadline=None)
@given(counts_strategy, counts_strategy, st.sampled_from(COMPARE_METHODS))
def test_property_compare_is_antisymmetric(ka, kb, method):
    ab = compare(_counts(ka), _counts(kb), method=method)
    ba = compare(_counts(kb), _counts(ka), method=method)
    assert ab.difference == pytest.approx(-ba.difference, abs=1e-9)
    assert ab.low == pytest.approx(-ba.high, abs=1e-9)
    assert ab.high == pytest.approx(-ba.low, abs=1e-9)
    assert ab.z == pytest.approx(-ba.z, abs=1e-9)
    assert ab.p_value == pytest.approx(ba.p_value, abs=1e-12)


# --------------------------------------------------------------------------- the reference file


@needs_r
def test_reference_results_are_what_the_r_script_produces(tmp_path):
    again = regenerated("make_reference_results.R", tmp_path)
    for name in constants(ref):
        assert again[name] == getattr(ref, name), name


# --------------------------------------------------------------------------- at the edges


def _score_statistic(k: tuple, delta: float) -> float:
    """T(Δ) of the score interval, with the restricted MLE found numerically (not in closed
    form as the code does): (pro − det − nΔ) / sqrt(n·(2q̃ + Δ − Δ²))."""
    det, pas, pro = (float(x) for x in k)
    n = det + pas + pro
    lo, hi = max(0.0, -delta), (1.0 - delta) / 2.0

    def neg_loglik(q: float) -> float:
        total = 0.0
        for count, prob in ((det, q), (pas, 1 - 2 * q - delta), (pro, q + delta)):
            if count:
                total += count * math.log(max(prob, 1e-300))
        return -total

    q = lo
    if hi - lo > 1e-14:
        q = optimize.minimize_scalar(
            neg_loglik, bounds=(lo, hi), method="bounded", options={"xatol": 1e-15}
        ).x
    return (pro - det - n * delta) / math.sqrt(n * (2 * q + delta - delta**2))


@pytest.mark.parametrize("confidence", [1e-9, 1e-15, 0.5, 0.9999, 1 - 1e-12])
@pytest.mark.parametrize("k", [(5, 3, 2), (0, 0, 1), (1, 0, 0), (0, 4, 0), (2, 0, 7), (1, 1, 1)])
def test_score_interval_at_extreme_confidence(k, confidence):
    # Found by fuzzing: at confidence 1e-9 the root lies within 1e-12 of the estimate and
    # Brent's bracket had no sign change ("f(a) and f(b) must have different signs").
    iv = interval(_counts(k), confidence=confidence, method="score")
    z = stats.norm.ppf(0.5 + confidence / 2)
    est = 100 * (k[2] - k[0]) / sum(k)
    assert iv.estimate == pytest.approx(est)
    assert -100 <= iv.low <= est + 1e-9 and est - 1e-9 <= iv.high <= 100
    if confidence < 1e-8:
        assert iv.high - iv.low < 1e-6  # no confidence: the interval is the estimate
        return
    for bound, side in ((iv.low, 1), (iv.high, -1)):
        if abs(bound) < 100 - 1e-9:  # an inner bound is where the statistic is ±z
            assert _score_statistic(k, bound / 100) == pytest.approx(side * z, rel=1e-5)


def test_counts_beyond_the_largest_float():
    # Found by fuzzing: 1e308 + 1e308 overflows to inf, which made NPS_FROM_COUNTS(1, 1e308,
    # 1e308) NaN (#NUM!) instead of −50 and NPS_FROM_COUNTS(1e308, 0, 0) inf.
    from fractions import Fraction

    for det, pas, pro in [(1e308, 1e308, 1.0), (0.0, 0.0, 1e308), (1e308, 0.0, 1.7e308)]:
        c = Counts(det, pas, pro)
        exact = Fraction(pro) - Fraction(det)
        total = Fraction(det) + Fraction(pas) + Fraction(pro)
        assert nps(c) == pytest.approx(float(100 * exact / total), abs=1e-12)
        shares = (c.detractor_share, c.passive_share, c.promoter_share)
        assert sum(shares) == pytest.approx(1.0)
        assert shares[2] == pytest.approx(float(Fraction(pro) / total), abs=1e-15)
        for method in INTERVAL_METHODS:
            iv = interval(c, method=method)
            assert math.isfinite(iv.margin) and iv.low <= iv.estimate + 1e-9 <= iv.high + 2e-9
            # more answers than any survey: the interval is the estimate itself
            assert iv.high - iv.low < 1e-6


def test_bootstrap_of_more_answers_than_numpy_can_draw():
    iv = interval(Counts(1e19, 1e19, 2e19), method="bootstrap")
    assert iv.estimate == pytest.approx(25.0) and iv.high - iv.low < 1e-6


def test_sample_size_never_overflows_and_says_the_smallest_margin():
    # Found by fuzzing: 1e-200 gave ZeroDivisionError, 1e-100 a 205-digit integer.
    from fractions import Fraction

    z = Fraction(stats.norm.ppf(0.975))
    smallest = 100 * math.sqrt(float(z * z / (10**15 + 3)))  # n = 10¹⁵ at the worst case
    for margin in (1e-100, 1e-200, 5e-324, smallest * 0.999):
        with pytest.raises(ValueError, match=r"more than 1,000,000,000,000,000 answers"):
            sample_size(margin)
    with pytest.raises(ValueError) as caught:
        sample_size(1e-200)
    message = str(caught.value)
    shown = float(message.rsplit("at least ", 1)[1].split(" ")[0])
    assert shown >= smallest and sample_size(shown) <= 10**15  # the advice works
    n = sample_size(smallest * 1.001)
    assert n <= 10**15 and n == math.ceil(z * z / (Fraction(smallest * 1.001) / 100) ** 2 - 3)
    assert sample_size(1e-3) == math.ceil(z * z / Fraction(1, 10**5) ** 2 - 3)
    assert sample_size(1e-300, expected_nps=100) == 1  # no variation: one answer tells it
    with pytest.raises(ValueError, match="difference of at least"):
        sample_size_difference(1e-300)
