"""The shipped sample survey: up to date with its script, and shaped as the script documents.

Every figure here is computed with plain pandas on the CSV, never with nps_xl's own statistics,
so these checks stay independent of the code they will later be used to exercise.
NPS = % of scores 9-10 minus % of scores 0-6, over whole-number scores only.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "make_sample_survey.py"
CSV = ROOT / "nps_xl" / "data" / "sample_survey.csv"
COLUMNS = [
    "Response ID",
    "Customer ID",
    "Date",
    "Score",
    "Comment",
    "Region",
    "Product",
    "Channel",
    "Customer tenure",
]
BAD_MONTHS = {"2025-08": "reliability", "2026-01": "price", "2026-06": "delivery"}
THEME_WORDS = {
    "reliability": r"outage|down|宕机|當機|中断|中斷|sutrikim|neveik|прекъсв|срив",
    "price": r"price|expensive|overpriced|20% more|价|價|kain|brang|цен|скъп",
    "delivery": r"deliver|parcel|shipping|warehouse|物流|配送|pristatym|siunt|достав|пратк",
}
# Characters that exist in only one of the two Chinese scripts (pairs: 们/們, 价/價, ...).
SIMPLIFIED = set(
    "们价质费务发货这时还过产体实错应设动单账复杂稳运简装满谢让说买换别题问间户态员两没难烦荐几会给遗骤赞来"
)
TRADITIONAL = set(
    "們價質費務發貨這時還過產體實錯應設動單帳複雜穩運簡裝滿謝讓說買換別題問間戶態員兩沒難煩薦幾會給遺驟讚來"
)
LITHUANIAN = re.compile("[ąčęėįšųūžĄČĘĖĮŠŲŪŽ]")
CYRILLIC = re.compile("[\u0400-\u04ff]")
CJK = re.compile("[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def survey() -> pd.DataFrame:
    frame = pd.read_csv(CSV, dtype=str, keep_default_na=False, encoding="utf-8")
    frame["score"] = pd.to_numeric(frame["Score"].str.extract(r"^(\d+)(?: - .*)?$")[0])
    frame["month"] = frame["Date"].str[:7]
    return frame


def nps(scores: pd.Series) -> float:
    scores = scores.dropna()
    return 100.0 * ((scores >= 9).mean() - (scores <= 6).mean())


def nps_by(frame: pd.DataFrame, column: str) -> pd.Series:
    return frame.groupby(column)["score"].agg(nps)


def language(comment: str) -> str:
    if CJK.search(comment):
        chars = set(comment)
        if chars & SIMPLIFIED and not chars & TRADITIONAL:
            return "zh-Hans"
        if chars & TRADITIONAL and not chars & SIMPLIFIED:
            return "zh-Hant"
        return "zh-?"
    if CYRILLIC.search(comment):
        return "bg"
    if LITHUANIAN.search(comment):
        return "lt"
    return "en"


def test_committed_file_is_what_the_script_writes(tmp_path):
    target = tmp_path / "sample_survey.csv"
    subprocess.run([sys.executable, str(SCRIPT), str(target)], check=True, capture_output=True)
    assert target.read_bytes() == CSV.read_bytes(), (
        "nps_xl/data/sample_survey.csv is stale: run `python scripts/make_sample_survey.py`"
    )


def test_file_format():
    raw = CSV.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" not in raw
    assert raw.decode("utf-8").splitlines()[0] == ",".join(COLUMNS)


def test_columns_ids_and_dates(survey):
    assert list(survey.columns[: len(COLUMNS)]) == COLUMNS
    assert 1900 <= len(survey) <= 2100
    assert survey["Response ID"].str.fullmatch(r"R\d{5}").all()
    assert survey["Response ID"].is_unique
    assert survey["Customer ID"].str.fullmatch(r"C\d{5}").all()
    dates = pd.to_datetime(survey["Date"], format="%Y-%m-%d")
    assert dates.min().strftime("%Y-%m") == "2025-05"
    assert dates.max().strftime("%Y-%m") == "2026-10"
    per_month = survey.groupby("month").size()
    assert len(per_month) == 18
    assert per_month.min() >= 50


def test_some_customers_answer_more_than_once(survey):
    repeated = 1 - survey["Customer ID"].nunique() / len(survey)
    assert 0.05 <= repeated <= 0.11
    # a repeating customer keeps region and tenure
    per_customer = survey.groupby("Customer ID")[["Region", "Customer tenure"]].nunique()
    assert (per_customer <= 1).all().all()


def test_score_column_mess(survey):
    score = survey["Score"]
    blank = (score == "").sum()
    labelled = score.str.fullmatch(r"(?:10 - Extremely likely|0 - Not at all likely)").sum()
    not_applicable = (score == "N/A").sum()
    plain = score.str.fullmatch(r"(?:[0-9]|10)")
    assert 0.01 * len(score) <= blank <= 0.02 * len(score)
    assert 8 <= labelled <= 12
    assert (score == "10 - Extremely likely").any()
    assert (score == "0 - Not at all likely").any()
    assert 1 <= not_applicable <= 2
    assert plain.sum() + blank + labelled + not_applicable == len(score)


def test_scores_skew_high_with_a_plausible_nps(survey):
    scores = survey["score"].dropna()
    assert 0.60 <= (scores >= 8).mean() <= 0.80
    assert 25 <= nps(scores) <= 40
    shares = scores.value_counts(normalize=True)
    assert shares[10] > shares[6] > shares[1]  # not uniform


def test_upward_trend(survey):
    normal = survey[~survey["month"].isin(BAD_MONTHS)]
    months = sorted(normal["month"].unique())
    first = nps(normal.loc[normal["month"].isin(months[:5]), "score"])
    last = nps(normal.loc[normal["month"].isin(months[-5:]), "score"])
    assert last - first >= 10


@pytest.mark.parametrize("month", sorted(BAD_MONTHS))
def test_bad_months_stand_out(survey, month):
    monthly = nps_by(survey, "month")
    position = list(monthly.index).index(month)
    neighbours = monthly.iloc[[position - 1, position + 1]]
    assert monthly[month] <= neighbours.min() - 15
    assert month in monthly.nsmallest(len(BAD_MONTHS)).index


@pytest.mark.parametrize("month, theme", sorted(BAD_MONTHS.items()))
def test_bad_months_complain_about_their_theme(survey, month, theme):
    commented = survey[survey["Comment"] != ""]
    mentions = commented["Comment"].str.contains(THEME_WORDS[theme], case=False)
    in_month = commented["month"] == month
    assert mentions[in_month].mean() >= 2 * mentions[~in_month].mean()


def test_segments_differ(survey):
    products = nps_by(survey, "Product")
    channels = nps_by(survey, "Channel")
    regions = nps_by(survey, "Region")
    tenures = nps_by(survey, "Customer tenure")
    assert 3 <= len(products) <= 4
    assert {"Web", "Mobile app", "Phone support", "Store/Partner"} <= set(channels.index)
    assert {"North America", "Europe", "Asia Pacific", "Baltics"} <= set(regions.index)
    assert products["Smart Hub"] <= products.drop("Smart Hub").min() - 15
    assert channels["Phone support"] <= channels.drop("Phone support").min() - 10
    assert regions["Baltics"] >= regions.drop("Baltics").max() + 10
    assert tenures["<1 year"] < tenures["1-3 years"] < tenures[">3 years"]


def test_comment_share_and_languages(survey):
    comments = survey.loc[survey["Comment"] != "", "Comment"]
    assert 0.55 <= len(comments) / len(survey) <= 0.65
    languages = comments.map(language).value_counts()
    assert "zh-?" not in languages.index
    for code in ("zh-Hans", "zh-Hant", "lt", "bg"):
        assert languages.get(code, 0) >= 30, code
    other = 1 - languages["en"] / len(comments)
    assert 0.12 <= other <= 0.22


def test_languages_follow_regions(survey):
    commented = survey[survey["Comment"] != ""]
    languages = commented["Comment"].map(language)
    assert set(commented.loc[languages.str.startswith("zh"), "Region"]) == {"Asia Pacific"}
    assert set(commented.loc[languages == "lt", "Region"]) == {"Baltics"}
    assert set(commented.loc[languages == "bg", "Region"]) == {"Europe"}


def test_comments_fit_scores(survey):
    def mean_score(pattern: str) -> float:
        return survey.loc[survey["Comment"].str.contains(pattern), "score"].mean()

    assert mean_score(r"Love it|Worth every cent|Very easy to use|非常满意|非常滿意") >= 8.5
    assert mean_score(r"Disappointed|Would not recommend|Too expensive|非常失望") <= 6


def test_comments_that_break_naive_exports(survey):
    comments = survey["Comment"]
    for first in "=+-@":
        assert comments.str.startswith(first).any(), first
    assert comments.str.contains("\n").sum() == 1
    assert (comments.str.contains('"') & comments.str.contains(",")).sum() >= 1
