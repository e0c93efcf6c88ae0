"""Tables checked against independent computations (plain pandas, hand-worked cases)."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats as sps

from nps_xl import tables
from nps_xl.counts import Counts, InvalidAnswersWarning
from nps_xl.stats import compare, interval

Z95 = 1.959963984540054


def _category(score: pd.Series) -> pd.Series:
    return pd.Series(np.select([score >= 9, score >= 7], ["pro", "pas"], "det"), index=score.index)


def _plain_nps(scores: pd.Series) -> float:
    """Percent promoters minus percent detractors, written from scratch."""
    s = scores.dropna()
    return 100.0 * ((s >= 9).sum() - (s <= 6).sum()) / len(s) if len(s) else math.nan


def _wald(pro: float, det: float, n_eff: float) -> tuple[float, float]:
    p, d = pro, det
    half = Z95 * math.sqrt((p + d - (p - d) ** 2) / n_eff)
    return 100 * (p - d - half), 100 * (p - d + half)


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 3000
    dates = pd.Timestamp("2024-11-03") + pd.to_timedelta(rng.integers(0, 420, n), unit="D")
    region = rng.choice(["North", "South", "East", "West"], n, p=[0.4, 0.3, 0.2, 0.1])
    plan = rng.choice(["Basic", "Pro"], n)
    base = rng.choice(np.arange(11), n)
    score = np.where(region == "North", np.minimum(base + 2, 10), base)
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i:05d}" for i in range(n)],
            "Date": dates,
            "Score": score.astype(float),
            "Region": region,
            "Plan": plan,
            "Weight": rng.uniform(0.2, 3.0, n),
        }
    )
    frame.loc[[5, 17, 400], "Score"] = np.nan  # blanks
    return frame


# ----------------------------------------------------------------------------- trend


def test_trend_matches_plain_pandas_by_month(survey):
    got = tables.trend(survey, period="month")
    f = survey.dropna(subset=["Score"])
    g = f.groupby(f["Date"].dt.to_period("M"))["Score"]
    want = pd.DataFrame({"n": g.size(), "nps": g.apply(_plain_nps)})
    assert list(got["period"]) == [str(p) for p in want.index]
    assert got["n"].tolist() == want["n"].tolist()
    np.testing.assert_allclose(got["nps"], want["nps"], rtol=1e-12)
    np.testing.assert_allclose(got["change"].iloc[1:], np.diff(want["nps"]), rtol=1e-9)
    assert got["promoters"].sum() + got["passives"].sum() + got["detractors"].sum() == len(f)
    assert (got["start"] == want.index.to_timestamp()).all()


@pytest.mark.parametrize(
    ("period", "alias"),
    [("week", "W-SUN"), ("quarter", "Q"), ("year", "Y")],
)
def test_trend_other_periods_match_pandas_periods(survey, period, alias):
    got = tables.trend(survey, period=period)
    f = survey.dropna(subset=["Score"])
    g = f.groupby(f["Date"].dt.to_period(alias))["Score"]
    assert got["n"].tolist() == g.size().tolist()
    np.testing.assert_allclose(got["nps"], g.apply(_plain_nps), rtol=1e-12)
    assert (got["start"] == g.size().index.start_time).all()


def test_period_labels():
    frame = pd.DataFrame({"Date": ["2025-05-07", "2025-01-01", "2024-12-30"], "Score": [9, 9, 9]})
    # 2024-12-30 (a Monday) starts ISO week 1 of 2025; 2025-05-07 is in week 19
    weeks = tables.trend(frame, period="week")["period"].tolist()
    assert weeks == [f"2025-W{w:02d}" for w in range(1, 20)]
    assert tables.trend(frame, period="week")["start"].iloc[0] == pd.Timestamp("2024-12-30")
    assert tables.trend(frame, period="quarter")["period"].tolist() == [
        "2024-Q4",
        "2025-Q1",
        "2025-Q2",
    ]
    assert tables.trend(frame, period="year")["period"].tolist() == ["2024", "2025"]
    assert tables.trend(frame, period="month")["period"].iloc[[0, -1]].tolist() == [
        "2024-12",
        "2025-05",
    ]


def test_trend_hand_case_gap_small_sample_and_change():
    # January: 3 promoters, 1 passive, 1 detractor → NPS 40. February: none.
    # March: 1 promoter, 3 detractors → NPS −50. April: 2 promoters, 2 detractors → 0.
    frame = pd.DataFrame(
        {
            "Date": ["2025-01-05"] * 5 + ["2025-03-01"] * 4 + ["2025-04-30"] * 4,
            "Score": [10, 9, 9, 7, 0, 10, 1, 2, 3, 9, 10, 6, 5],
        }
    )
    got = tables.trend(frame, min_n=5)
    assert got["period"].tolist() == ["2025-01", "2025-02", "2025-03", "2025-04"]
    assert got["n"].tolist() == [5, 0, 4, 4]
    np.testing.assert_allclose(got["nps"], [40.0, np.nan, -50.0, 0.0])
    assert got.loc[1, ["promoters", "passives", "detractors"]].tolist() == [0, 0, 0]
    assert np.isnan(got.loc[1, ["low", "high", "promoter_share"]].astype(float)).all()
    # change only against the previous calendar month: NaN after the empty February
    assert np.isnan(got["change"].iloc[:3]).all()
    assert got["change"].iloc[3] == pytest.approx(50.0)
    assert got["significant"].isna().tolist() == [True, True, True, False]
    assert got["small_sample"].tolist() == [False, True, True, True]


def test_trend_significance_is_the_two_sample_test_on_the_same_counts(survey):
    got = tables.trend(survey, period="quarter")
    f = survey.dropna(subset=["Score"])
    cats = _category(f["Score"]).groupby(f["Date"].dt.to_period("Q")).value_counts().unstack()
    cats = cats.fillna(0).astype(int)
    for i in range(1, len(cats)):
        a = Counts(cats["det"].iloc[i], cats["pas"].iloc[i], cats["pro"].iloc[i])
        b = Counts(cats["det"].iloc[i - 1], cats["pas"].iloc[i - 1], cats["pro"].iloc[i - 1])
        cmp = compare(a, b)
        assert got["p_value"].iloc[i] == pytest.approx(cmp.p_value, rel=1e-12)
        assert bool(got["significant"].iloc[i]) is bool(cmp.p_value < 0.05)
        ci = interval(a)
        assert (got["low"].iloc[i], got["high"].iloc[i]) == pytest.approx((ci.low, ci.high))


def test_trend_wald_interval_and_test_match_textbook_formulas():
    # Period 1: 50 pro, 20 pas, 30 det. Period 2: 40 pro, 30 pas, 30 det.
    scores = [10] * 50 + [8] * 20 + [0] * 30 + [9] * 40 + [7] * 30 + [6] * 30
    frame = pd.DataFrame({"Date": ["2025-01-10"] * 100 + ["2025-02-10"] * 100, "Score": scores})
    got = tables.trend(frame, method="wald")
    assert (got.loc[0, "low"], got.loc[0, "high"]) == pytest.approx(_wald(0.5, 0.3, 100))
    va, vb = 0.5 + 0.3 - 0.2**2, 0.4 + 0.3 - 0.1**2
    z = (0.1 - 0.2) / math.sqrt(va / 100 + vb / 100)
    assert got.loc[1, "p_value"] == pytest.approx(2 * sps.norm.sf(abs(z)), rel=1e-10)


def test_trend_simulation_flags_about_five_percent_when_nothing_changes():
    """Same population every month: a 95% test should flag ≈ 5% of month-to-month changes."""
    rng = np.random.default_rng(20250531)
    months, per_month = 401, 150
    starts = pd.date_range("1990-01-01", periods=months, freq="MS")
    dates = np.repeat(starts.to_numpy(), per_month)
    scores = rng.choice([0, 7, 10], size=months * per_month, p=[0.25, 0.30, 0.45])
    got = tables.trend(pd.DataFrame({"Date": dates, "Score": scores}), min_n=30)
    flags = got["significant_raw"].iloc[1:].astype(bool)  # each test on its own, unadjusted
    assert len(flags) == 400
    # Binomial(400, 0.05): mean 20, sd 4.4; a 99.9% band is 7..35 (30% would be 120).
    lo, hi = sps.binom.ppf([0.0005, 0.9995], 400, 0.05)
    assert lo <= flags.sum() <= hi
    # 3-sigma limits of a stable process: each point outside with probability ≈ 0.27%
    outside = got["out_of_control"].astype(bool).sum()
    assert outside <= sps.binom.ppf(0.9995, 401, 2 * sps.norm.sf(3))


def test_weighted_trend_uses_weighted_shares_and_design_based_se(survey):
    got = tables.trend(survey, period="year", weight="Weight", method="wald")
    f = survey.dropna(subset=["Score"])
    for (year, g), (_, row) in zip(f.groupby(f["Date"].dt.year), got.iterrows(), strict=True):
        w = g["Weight"].to_numpy()
        pro = w[g["Score"] >= 9].sum() / w.sum()
        det = w[g["Score"] <= 6].sum() / w.sum()
        assert row["period"] == str(year)
        assert row["n"] == len(g)  # unweighted n always shown
        assert row["weighted_n"] == pytest.approx(w.sum())
        assert row["promoter_share"] == pytest.approx(pro)
        assert row["nps"] == pytest.approx(100 * (pro - det))
        # the design-based SE of svymean, from the rows: n/(n − 1)·Σw²(y − ȳ)²/(Σw)²
        y = np.where(g["Score"] >= 9, 1.0, np.where(g["Score"] <= 6, -1.0, 0.0))
        mean = np.average(y, weights=w)
        v = len(y) / (len(y) - 1) * np.sum(w**2 * (y - mean) ** 2) / w.sum() ** 2
        # the design-based effective n V/v (decision D3, Korn and Graubard 1998)
        assert row["effective_n"] == pytest.approx((pro + det - (pro - det) ** 2) / v)
        half = sps.norm.ppf(0.975) * math.sqrt(v)
        assert (row["low"], row["high"]) == pytest.approx(
            (100 * (mean - half), 100 * (mean + half))
        )
    assert list(got.columns[:5]) == ["period", "start", "n", "weighted_n", "effective_n"]


def test_trend_reports_invalid_and_undated_answers():
    frame = pd.DataFrame(
        {"Date": ["2025-01-01", "2025-01-02", None, "2025-01-03"], "Score": [9, "N/A", 3, 11]}
    )
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = tables.trend(frame)
    kinds = {type(w.message) for w in caught}
    assert {InvalidAnswersWarning, tables.DatesMissingWarning} <= kinds
    assert got["n"].tolist() == [1]


# ----------------------------------------------------------------------------- dates


def test_parse_dates_accepts_iso_text_timestamps_and_excel_serials():
    got = tables.parse_dates(
        pd.Series(
            [
                "2025-05-31",
                45658,
                45658.5,
                pd.Timestamp("2025-02-03 10:00"),
                "45659",
                None,
                "",
                "2025-05-31T22:00:00+02:00",
            ],
            dtype=object,
        )
    )
    want = [
        "2025-05-31",
        "2025-01-01",
        "2025-01-01 12:00",
        "2025-02-03 10:00",
        "2025-01-02",
        None,
        None,
        "2025-05-31 20:00",
    ]
    assert got.tolist() == [pd.Timestamp(w) if w else pd.NaT for w in want]
    assert tables.parse_dates(np.array([45658.0, np.nan])).iloc[0] == pd.Timestamp("2025-01-01")


@pytest.mark.parametrize("bad", ["31/05/2025 maybe", "soon", True, -3.0])
def test_parse_dates_error_names_the_row(bad):
    values = pd.Series(["2025-01-01", "2025-01-02", bad], dtype=object)
    with pytest.raises(ValueError, match=r"in row 3 of column 'Date' is not a date"):
        tables.parse_dates(values, column="Date")


# ----------------------------------------------------------------------------- segments


def test_segments_match_plain_groupby_and_rest(survey):
    got = tables.segments(survey, ["Region", "Plan"])
    f = survey.dropna(subset=["Score"])
    overall = _plain_nps(f["Score"])
    assert got["segment"].tolist() == ["Region"] * 4 + ["Plan"] * 2
    for _, row in got.iterrows():
        inside = f[f[row["segment"]] == row["group"]]["Score"]
        outside = f[f[row["segment"]] != row["group"]]["Score"]
        assert row["n"] == len(inside)
        assert row["nps"] == pytest.approx(_plain_nps(inside))
        assert row["difference_from_rest"] == pytest.approx(
            _plain_nps(inside) - _plain_nps(outside)
        )
        assert row["impact"] == pytest.approx(overall - _plain_nps(outside))
        # impact is the group's share of answers times its difference from the rest
        assert row["impact"] == pytest.approx(len(inside) / len(f) * row["difference_from_rest"])
        a = Counts(
            *(
                int(x)
                for x in [(inside <= 6).sum(), inside.between(7, 8).sum(), (inside >= 9).sum()]
            )
        )
        b = Counts(
            *(
                int(x)
                for x in [(outside <= 6).sum(), outside.between(7, 8).sum(), (outside >= 9).sum()]
            )
        )
        cmp = compare(a, b)
        assert row["p_value"] == pytest.approx(cmp.p_value, rel=1e-12)
        assert bool(row["significant"]) is bool(cmp.significant)
    north = got[got["group"] == "North"].iloc[0]
    assert north["significant"] and north["difference_from_rest"] > 0  # planted uplift


def test_segments_keep_blank_values_and_flag_small_groups():
    frame = pd.DataFrame(
        {"Score": [10, 9, 0, 7, 10, 3], "Region": ["A", "A", "A", None, "B", None]}
    )
    got = tables.segments(frame, "Region", min_n=3)
    assert got["group"].iloc[:2].tolist() == ["A", "B"] and pd.isna(got["group"].iloc[2])
    assert got["n"].tolist() == [3, 1, 2]
    assert got["n"].sum() == 6  # no answer lost
    np.testing.assert_allclose(got["nps"], [100 / 3, 100.0, -50.0])
    assert got["small_sample"].tolist() == [False, True, True]


def test_weighted_segments(survey):
    got = tables.segments(survey, "Plan", weight="Weight")
    f = survey.dropna(subset=["Score"])
    for _, row in got.iterrows():
        g = f[f["Plan"] == row["group"]]
        w = g["Weight"]
        want = 100 * (w[g["Score"] >= 9].sum() - w[g["Score"] <= 6].sum()) / w.sum()
        assert row["nps"] == pytest.approx(want)
        assert row["n"] == len(g)
        y = np.where(g["Score"] >= 9, 1.0, np.where(g["Score"] <= 6, -1.0, 0.0))
        pro, det = w[y == 1].sum() / w.sum(), w[y == -1].sum() / w.sum()
        v = len(y) / (len(y) - 1) * np.sum(w**2 * (y - (pro - det)) ** 2) / w.sum() ** 2
        assert row["effective_n"] == pytest.approx((pro + det - (pro - det) ** 2) / v)


def test_crosstab_matches_pivot_table(survey):
    got = tables.crosstab(survey, "Region", "Plan")
    f = survey.dropna(subset=["Score"])
    want = f.pivot_table(index="Region", columns="Plan", values="Score", aggfunc=_plain_nps)
    sizes = f.pivot_table(index="Region", columns="Plan", values="Score", aggfunc="size")
    np.testing.assert_allclose(got["nps"].to_numpy(), want.to_numpy())
    assert (got["n"].to_numpy() == sizes.to_numpy()).all()
    assert list(got["nps"].columns) == ["Basic", "Pro"]


def test_crosstab_empty_cell_is_nan():
    frame = pd.DataFrame({"Score": [10, 0, 9], "A": ["x", "x", "y"], "B": ["u", "v", "u"]})
    got = tables.crosstab(frame, "A", "B", min_n=2)
    assert got["n"].loc["y", "v"] == 0 and np.isnan(got["nps"].loc["y", "v"])
    assert got["nps"].loc["x", "u"] == 100.0 and got["small_sample"].loc["x", "u"]


# ----------------------------------------------------------------------------- summary


def test_summary_hand_case_with_target():
    frame = pd.DataFrame({"Score": [10, 9, 9, 8, 7, 6, 0, None, "n/a", 11]})
    with pytest.warns(InvalidAnswersWarning):
        got = tables.summary(frame, target=30, method="wald")
    assert (got["n"], got["promoters"], got["passives"], got["detractors"]) == (7, 3, 2, 2)
    assert got["nps"] == pytest.approx(100 / 7)
    assert (got["low"], got["high"]) == pytest.approx(_wald(3 / 7, 2 / 7, 7))
    assert got["margin_of_error"] == pytest.approx((got["high"] - got["low"]) / 2)
    assert (got["blank"], got["invalid"]) == (1, 2)
    assert got["target"] == 30 and got["gap_to_target"] == pytest.approx(100 / 7 - 30)


def test_invalid_answers_lists_rows_and_ids():
    frame = pd.DataFrame({"ID": ["a", "b", "c", "d"], "Score": [9, "N/A", None, 12]})
    got = tables.invalid_answers(frame, response_id="ID")
    assert got.to_dict("list") == {"row": [2, 4], "response_id": ["b", "d"], "value": ["N/A", 12]}


# ----------------------------------------------------------------------------- hygiene


def test_latest_per_customer_hand_case():
    frame = pd.DataFrame(
        {
            "Customer": ["c1", "c2", "c1", None, "c2", "c3", None, "c1"],
            "Date": [
                "2025-01-01",
                "2025-03-01",
                "2025-02-01",
                "2025-01-01",
                "2025-03-01",  # tie with row 2: the later row wins
                45658,  # Excel serial of 2025-01-01
                None,
                "2025-01-15",
            ],
            "Score": [1, 2, 3, 4, 5, 6, 7, 8],
        }
    )
    got = tables.latest_per_customer(frame, "Customer", "Date")
    assert got["Score"].tolist() == [3, 4, 5, 6, 7]


def test_latest_per_customer_matches_groupby(survey):
    f = survey.assign(Customer=np.arange(len(survey)) % 700)
    got = tables.latest_per_customer(f, "Customer", "Date")
    # independent: per customer, the maximum date, and among those the largest row number
    ranked = f.reset_index().sort_values(["Customer", "Date", "index"])
    want = ranked.groupby("Customer").tail(1)["index"].sort_values()
    assert got.index.tolist() == want.tolist()


def test_latest_per_customer_needs_dates():
    frame = pd.DataFrame({"Customer": ["c1", "c1"], "Date": ["2025-01-01", None]})
    with pytest.raises(ValueError, match=r"Row 2 .*has no 'Date'"):
        tables.latest_per_customer(frame, "Customer", "Date")


# ----------------------------------------------------------------------------- follow-up


def test_follow_up_newest_first_with_status_carried_over():
    frame = pd.DataFrame(
        {
            "Response ID": ["r1", "r2", "r3", "r4", "r5"],
            "Date": ["2025-01-01", "2025-03-01", "2025-02-01", "2025-04-01", "2025-05-01"],
            "Score": [3, 10, 6, 7, 0],
            "Comment": ["slow", "great", "meh", "ok", "bad"],
            "Region": ["A", "B", "A", "B", "B"],
        }
    )
    previous = pd.DataFrame({"response_id": ["r3", "r9"], "status": ["Called", "Closed"]})
    got = tables.follow_up(frame, segments=["Region"], previous=previous)
    assert got["response_id"].tolist() == ["r5", "r3", "r1"]
    assert got["status"].tolist() == ["", "Called", ""]
    assert got["Region"].tolist() == ["B", "A", "A"]
    assert list(got.columns) == [
        "response_id",
        "date",
        "score",
        "category",
        "comment",
        "Region",
        "status",
    ]
    with_passives = tables.follow_up(frame, include_passives=True)
    assert with_passives["response_id"].tolist() == ["r5", "r4", "r3", "r1"]
    assert with_passives["category"].tolist() == ["detractor", "passive", "detractor", "detractor"]


def test_follow_up_status_matches_numeric_ids_read_back_from_a_sheet():
    frame = pd.DataFrame({"Response ID": [101, 102], "Date": ["2025-01-01"] * 2, "Score": [1, 2]})
    previous = pd.DataFrame({"Response ID": [101.0], "Status": ["Done"]})
    got = tables.follow_up(frame, comment=None, previous=previous)
    assert dict(zip(got["response_id"], got["status"], strict=True)) == {101: "Done", 102: ""}


def test_missing_column_message_lists_columns():
    with pytest.raises(KeyError, match=r"'Scor' not found\. Columns present: 'Score'"):
        tables.trend(pd.DataFrame({"Score": [1]}), score="Scor")


def test_summary_reads_companion_metrics_next_to_nps():
    """CSAT (share of 4–5 on 1–5), CES (mean effort) and CRR = (end − new)/start × 100."""
    frame = pd.DataFrame({"Score": [10, 9, 7, 3], "CSAT": [5, 4, 3, 2], "CES": [2, 3, 5, 6]})
    got = tables.summary(frame, crr=(200, 190, 30))
    assert got["nps"] == 25.0
    assert got["csat"] == 50.0  # 2 of 4 answered 4 or 5
    assert got["ces"] == 4.0  # (2 + 3 + 5 + 6) / 4
    assert got["crr"] == 80.0  # (190 − 30) / 200 × 100


def test_a_note_in_the_users_own_column_alone_is_kept_when_its_answer_leaves():
    """Only an Owner typed, no Status: the note is still the user's and is kept."""
    previous = pd.DataFrame(
        {"response_id": ["r1", "r2"], "status": ["", ""], "Owner": ["Ona", ""]}, dtype=object
    )
    listed = pd.DataFrame({"response_id": ["r2"]}, dtype=object)
    carried = tables.carry_notes(listed, previous, ids=True)
    assert carried["Owner"].tolist() == [""]
    kept = tables.notes_left_behind(carried, previous, ids=True)
    assert kept["response_id"].tolist() == ["r1"] and kept["Owner"].tolist() == ["Ona"]
