"""The Counts value, pinned to the worked examples of the source guides."""

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_xl.counts import (
    Counts,
    InvalidAnswersWarning,
    count_by,
    counts,
    counts_from_row,
)


def answers(promoters, passives, detractors):
    return [10] * promoters + [7] * passives + [3] * detractors


@pytest.mark.parametrize(
    ("promoters", "passives", "detractors", "expected"),
    [
        (70, 15, 15, 55.0),  # source 000 (zh-Hans), 002 (lt): 70% − 15% = 55
        (70, 20, 10, 60.0),  # source 003 (zh-Hant, SurveyMonkey): 70% − 10% = 60
        (3, 2, 1, 100 * 2 / 6),  # (1, 2, 3) → 33.33
        (291, 476, 395, -8.950086058519794),  # n = 1162 → −8.95
    ],
)
def test_worked_examples(promoters, passives, detractors, expected):
    c = counts(answers(promoters, passives, detractors))
    assert (c.promoters, c.passives, c.detractors) == (promoters, passives, detractors)
    assert c.nps == pytest.approx(expected, abs=1e-12)


def test_shares_and_n():
    c = Counts(detractors=15, passives=15, promoters=70)
    assert c.n == 100
    assert (c.promoter_share, c.passive_share, c.detractor_share) == (0.70, 0.15, 0.15)
    assert c.effective_n == 100


def test_empty_counts_have_no_nps():
    assert math.isnan(Counts().nps)


@pytest.mark.parametrize("bad", [-1, math.nan, math.inf, "3", True])
def test_counts_refuse_nonsense(bad):
    with pytest.raises((TypeError, ValueError)):
        Counts(detractors=bad)


def test_counts_are_immutable():
    c = Counts(1, 2, 3)
    with pytest.raises(AttributeError):
        c.promoters = 4


def test_weights_give_weight_sums_and_kish_effective_n():
    scores = [10, 9, 7, 2]
    weights = [2.0, 1.0, 1.0, 0.5]
    c = counts(scores, weights=weights)
    assert (c.promoters, c.passives, c.detractors) == (3.0, 1.0, 0.5)
    # Kish: (Σw)² / Σw² = 4.5² / (4 + 1 + 1 + 0.25)
    assert c.effective_n == pytest.approx(20.25 / 6.25)
    assert c.nps == pytest.approx(100 * (3.0 - 0.5) / 4.5)


def test_weights_for_blank_answers_are_ignored_but_valid_answers_need_one():
    c = counts([10, None, 3], weights=[1.0, None, 1.0])
    assert c.n == 2
    with pytest.raises(ValueError, match="position 2"):
        counts([10, 9], weights=[1.0, "heavy"])
    with pytest.raises(ValueError, match="one weight per answer"):
        counts([10, 9], weights=[1.0])


def test_merging_weighted_with_unweighted_keeps_kish_n():
    merged = Counts(1, 0, 1) + Counts(2.0, 0.0, 2.0, sum_squared_weights=4.0)
    assert merged.sum_squared_weights == 6.0
    assert merged.effective_n == pytest.approx(36 / 6)
    assert sum([Counts(1, 0, 0), Counts(0, 0, 1)]) == Counts(1, 0, 1)


def test_skip_warns_with_positions():
    with pytest.warns(InvalidAnswersWarning, match="'N/A' at position 2"):
        c = counts([10, "N/A", 3], invalid="skip")
    assert c == Counts(1, 0, 1)


def test_no_warning_when_nothing_was_skipped():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        counts([10, None], invalid="skip")


def test_count_by_matches_a_plain_groupby():
    rng = np.random.default_rng(7)
    scores = rng.integers(0, 11, 500)
    groups = rng.choice(["North", "South", "East"], 500)
    codes = np.where(scores >= 9, 1, np.where(scores <= 6, -1, 0))
    table = count_by(codes, groups)
    frame = pd.DataFrame({"g": groups, "s": scores})
    for g, part in frame.groupby("g"):
        c = counts_from_row(table.loc[g])
        assert c.promoters == (part.s >= 9).sum()
        assert c.detractors == (part.s <= 6).sum()
        assert c.passives == part.s.between(7, 8).sum()


score_lists = st.lists(st.integers(0, 10), max_size=200)


@given(score_lists)
def test_nps_is_bounded(scores):
    c = counts(scores)
    assert c.n == len(scores)
    if scores:
        assert -100 <= c.nps <= 100


@given(score_lists, st.randoms())
def test_order_does_not_matter(scores, rnd):
    shuffled = list(scores)
    rnd.shuffle(shuffled)
    assert counts(scores) == counts(shuffled)


@given(score_lists, score_lists)
def test_merging_counts_equals_counting_the_concatenation(a, b):
    assert counts(a) + counts(b) == counts(a + b)
