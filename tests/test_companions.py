"""CSAT, CES and CRR against hand-computed cases."""

from __future__ import annotations

import pytest

from nps_xl.companions import ces, crr, csat
from nps_xl.scores import ScoreError


def test_csat_top_two_boxes_on_five_points():
    # 5, 4, 3, 2, 5 → 4s and 5s: 3 of 5 = 60%
    assert csat([5, 4, 3, 2, 5]) == pytest.approx(60.0)
    # blanks are not answers: 3 of 4 = 75%
    assert csat([5, None, 4, "", 1, 5]) == pytest.approx(75.0)


def test_csat_on_ten_and_seven_points_and_custom_threshold():
    # 1–10: 8, 9, 10 satisfied → 10, 8 of 10, 8, 7, 1 = 3 of 5 = 60%
    assert csat([10, 8, 8, 7, 1], scale_max=10) == pytest.approx(60.0)
    assert csat([7, 6, 5, 1], scale_max=7) == pytest.approx(50.0)
    assert csat([3, 2, 1, 5], satisfied_min=3) == pytest.approx(50.0)
    assert csat(["5 - Very satisfied", "2"]) == pytest.approx(50.0)


def test_csat_rejects_what_is_not_a_rating():
    with pytest.raises(ScoreError, match="6 at position 2 is not a score on the 1–5 scale"):
        csat([5, 6])
    assert csat([5, 6, 1], invalid="skip") == pytest.approx(50.0)
    with pytest.raises(ValueError, match="No valid rating"):
        csat([None, ""])
    with pytest.raises(ValueError, match="Give satisfied_min"):
        csat([3], scale_max=6)
    with pytest.raises(ValueError, match="between 1 and scale_max"):
        csat([3], satisfied_min=6)


def test_ces_is_the_mean_effort():
    assert ces([7, 6, 5, 2]) == pytest.approx(5.0)  # 20 / 4
    assert ces([1, 2], scale_max=5) == pytest.approx(1.5)
    with pytest.raises(ScoreError, match="8 at position 1 is not a score on the 1–7 scale"):
        ces([8])
    with pytest.raises(ValueError, match="No valid rating"):
        ces([])


def test_crr():
    # (210 − 30) / 200 × 100 = 90
    assert crr(200, 210, 30) == pytest.approx(90.0)
    assert crr(100, 100, 0) == pytest.approx(100.0)
    assert crr(50, 20, 20) == pytest.approx(0.0)
    with pytest.raises(ValueError, match="start must be above 0"):
        crr(0, 10, 1)
    with pytest.raises(ValueError, match="cannot exceed end"):
        crr(100, 10, 20)
    with pytest.raises(ValueError, match="more than the 100 at the start"):
        crr(100, 150, 10)
    with pytest.raises(ValueError, match="≥ 0"):
        crr(100, -1, 0)
    with pytest.raises(TypeError):
        crr("100", 1, 0)


def test_crr_near_the_largest_float():
    # Found by fuzzing: 100 × 1e308 overflowed, and CRR(1e308, 1e308, 0) was inf.
    from fractions import Fraction

    assert crr(1e308, 1e308, 0) == 100.0
    expected = 100 * (Fraction(1.7e308) - Fraction(1e307)) / Fraction(1.7e308)
    assert crr(1.7e308, 1.7e308, 1e307) == pytest.approx(float(expected), rel=1e-15)
    assert crr(200, 210, 30) == 90.0  # the usual sizes unchanged
