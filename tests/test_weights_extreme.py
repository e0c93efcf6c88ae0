"""Weights at the ends of the double range, and bad weights named where they are.

NPS, the shares and the design-based effective sample size ``V/v`` (as Kish's ``(Σw)²/Σw²``)
do not change when every weight is multiplied by one constant, so weights of 1e308 (whose sum
overflows) and subnormal weights (whose squares underflow to 0) must give the figures of the
same weights divided by their largest. The expected figures are computed here with exact
fractions (``fractions.Fraction`` holds every double exactly), independently of the engine. A
bad weight is refused in one line naming the user's weight column and the file's line (CSV) or
Excel row (workbook).
"""

from __future__ import annotations

import json
import subprocess
import sys
import warnings
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest

import nps_xl

SCORES = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5, 9, 2]
HUGE = [1e308, 5e307, 1.7e308, 1e306, 8e307, 1e308, 3e307, 1.2e308, 9e307, 1e300, 1e308, 6e307]
TINY = [
    5e-324,
    1e-322,
    2e-320,
    5e-324,
    3e-321,
    1e-323,
    7e-322,
    5e-324,
    2e-321,
    4e-323,
    1e-320,
    9e-324,
]
ORDINARY = [1.0, 2.5, 0.5, 3.0, 1.0, 1.5, 2.0, 1.0, 0.25, 4.0, 1.0, 2.0]


def exact(scores, weights):
    """(NPS, effective n) with every weight an exact fraction: no overflow, no underflow.

    The effective n is the design-based one (decision D3): ``V / v`` with ``V = p + d − (p − d)²``
    of the weighted shares and ``v = n/(n − 1) · Σ w²(y − ȳ)² / (Σw)²`` the linearization
    variance of R ``survey::svymean`` on the −1/0/+1 code; both are unchanged when every weight
    is multiplied by one constant."""
    w = [Fraction(x) for x in weights]
    y = [1 if s >= 9 else 0 if s >= 7 else -1 for s in scores]
    total = sum(w)
    promoters = sum(x for x, c in zip(w, y, strict=True) if c == 1) / total
    detractors = sum(x for x, c in zip(w, y, strict=True) if c == -1) / total
    mean = promoters - detractors
    n = len(w)
    v = Fraction(n, n - 1) * sum(x * x * (c - mean) ** 2 for x, c in zip(w, y, strict=True))
    v /= total * total
    big_v = promoters + detractors - mean**2
    return float(100 * mean), float(big_v / v)


@pytest.mark.parametrize("weights", [HUGE, TINY, ORDINARY], ids=["1e308", "subnormal", "ordinary"])
def test_the_api_gives_the_exact_figures_without_a_warning(weights):
    want_nps, want_n_eff = exact(SCORES, weights)
    frame = pd.DataFrame({"Score": SCORES, "Weight": weights})
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a RuntimeWarning (overflow, underflow) fails the test
        got = nps_xl.summary(frame, score="Score", weight="Weight")
        alone = nps_xl.nps(SCORES, weights=weights)
    assert got["nps"] == pytest.approx(want_nps, rel=1e-12)
    assert alone == pytest.approx(want_nps, rel=1e-12)
    assert got["effective_n"] == pytest.approx(want_n_eff, rel=1e-12)
    assert np.isfinite(got["low"]) and got["low"] < want_nps < got["high"]


def test_huge_equal_weights_are_the_unweighted_answers():
    # every weight 1e308: the weighted figures are the unweighted ones, counted here
    pro = sum(s >= 9 for s in SCORES)
    det = sum(s <= 6 for s in SCORES)
    got = nps_xl.summary(
        pd.DataFrame({"Score": SCORES, "Weight": [1e308] * len(SCORES)}), weight="Weight"
    )
    assert got["nps"] == pytest.approx(100 * (pro - det) / len(SCORES))
    # equal weights: v = V/(n − 1) (svymean's n − 1 divisor), so the design-based n is n − 1
    assert got["effective_n"] == pytest.approx(len(SCORES) - 1)


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", *args], capture_output=True, text=True, timeout=300
    )


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize("weights", [HUGE, TINY], ids=["1e308", "subnormal"])
def test_the_command_line_gives_the_exact_figures_and_prints_no_warning(tmp_path, engine, weights):
    path = tmp_path / "weighted.csv"
    pd.DataFrame({"Score": SCORES, "Peso": [repr(w) for w in weights]}).to_csv(path, index=False)
    run = _cli("summary", str(path), "--weight", "Peso", "--json", "--engine", engine)
    assert run.returncode == 0, run.stderr
    assert run.stderr == ""  # no RuntimeWarning text, no traceback
    headline = json.loads(run.stdout)["headline"]
    want_nps, want_n_eff = exact(SCORES, weights)
    assert headline["nps"] == pytest.approx(want_nps, rel=1e-9)
    assert headline["effective_n"] == pytest.approx(want_n_eff, rel=1e-9)


BAD = [("abc", "holds 'abc'"), ("inf", "holds 'inf'"), ("", "has no weight")]


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
@pytest.mark.parametrize(("bad", "said"), BAD, ids=["text", "infinite", "blank"])
def test_a_bad_weight_is_named_by_column_and_line(tmp_path, engine, bad, said):
    # the last row has no answer: its weight is not asked for
    rows = [("9", "1"), ("7", "2"), ("3", bad), ("10", "1"), ("", "none")]
    path = tmp_path / "weighted.csv"
    text = "Recommend,Peso\n" + "".join(f"{s},{w}\n" for s, w in rows)
    path.write_text(text, encoding="utf-8")
    line = 2 + 2  # the header is line 1; the third answer is on line 4
    run = _cli("summary", str(path), "--weight", "Peso", "--engine", engine)
    assert run.returncode == 2, run.stdout + run.stderr
    message = run.stderr.strip()
    assert "\n" not in message and "Traceback" not in message
    assert f"The weight column 'Peso' {said} in line {line}" in message, message
    assert "promoters" not in message and "detractors" not in message


def test_a_bad_weight_in_a_workbook_is_named_by_its_excel_row(tmp_path):
    path = tmp_path / "weighted.xlsx"
    frame = pd.DataFrame({"Recommend": [9, 7, 3, 10], "Peso": [1, 2, "two", 1]})
    frame.to_excel(path, index=False)
    run = _cli("summary", str(path), "--weight", "Peso")
    assert run.returncode == 2, run.stdout
    # header in Excel row 1, so the third answer is in row 4
    assert "The weight column 'Peso' holds 'two' in row 4" in run.stderr, run.stderr


def test_the_api_names_the_column_and_the_position():
    frame = pd.DataFrame({"Score": [9, 7, 3], "Weight": [1.0, -1.0, 2.0]})
    with pytest.raises(ValueError) as raised:
        nps_xl.summary(frame, score="Score", weight="Weight")
    message = str(raised.value)
    assert message.startswith("The weight column 'Weight' holds -1 in position 2, which is not")
    assert "finite" not in message and "promoters" not in message
