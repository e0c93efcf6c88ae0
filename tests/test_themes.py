"""Comment themes on a multilingual fixture with planted themes (en, zh-Hans, zh-Hant, lt, bg)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nps_xl import comments as themes
from nps_xl import tables

FIXTURE = Path(__file__).parent / "fixtures" / "comments_multilingual.csv"
THEMES = ["price", "support", "quality", "delivery", "usability"]


@pytest.fixture(scope="module")
def comments() -> pd.DataFrame:
    return pd.read_csv(FIXTURE, keep_default_na=False, dtype={"Comment": object})


@pytest.fixture(params=[True, False], ids=["arrow", "python-re"])
def engine(request, monkeypatch):
    if request.param and not themes._USE_ARROW:
        pytest.skip("pyarrow not installed")
    monkeypatch.setattr(themes, "_USE_ARROW", request.param)
    return request.param


def test_default_theme_list_finds_every_planted_theme_and_nothing_else(comments, engine):
    got = themes.match_themes(comments["Comment"])
    assert list(got.columns) == THEMES
    for i, planted in enumerate(comments["Planted themes"]):
        want = set(filter(None, planted.split(";")))
        found = {t for t in THEMES if got[t].iloc[i]}
        assert found == want, comments["Comment"].iloc[i]


def test_every_language_is_covered(comments):
    got = themes.match_themes(comments["Comment"])
    for language in ["en", "zh-Hans", "zh-Hant", "lt", "bg"]:
        rows = comments["Language"] == language
        assert got[rows].any().all() or language in ("zh-Hans", "zh-Hant", "lt", "bg")
        assert got[rows].to_numpy().any(axis=1).sum() >= 5 * 3, language


@pytest.mark.parametrize(
    ("text", "theme"),
    [
        ("Kaina per didelė", "price"),
        ("kainos kyla", "price"),
        ("už tokią kainą", "price"),
        ("Per BRANGU", "price"),
        ("Цената е висока", "price"),
        ("цените", "price"),
        ("Доставката закъсня", "delivery"),
        ("доставка", "delivery"),
        ("物流太慢", "delivery"),
        ("快遞很慢", "delivery"),
        ("價格太高", "price"),
        ("价格太高", "price"),
        ("Pricing is unclear", "price"),
        ("用app很方便", "usability"),
        ("支付很方便app", "usability"),
    ],
)
def test_stems_match_inflected_forms_and_chinese_substrings(text, theme, engine):
    got = themes.match_themes(pd.Series([text]))
    assert got[theme].iloc[0]


@pytest.mark.parametrize("text", ["pakaina", "xprice", "unsupported", ""])
def test_stems_must_start_a_word(text, engine):
    got = themes.match_themes(pd.Series([text]), {"price": ["kain", "pric"], "x": ["support"]})
    assert not got.to_numpy().any()


def test_custom_theme_list_from_dict_csv_and_dataframe(tmp_path, engine):
    text = pd.Series(["Die App stürzt ab", "app crashed", None, "Great"])
    as_dict = themes.match_themes(text, {"Crash": "stürzt; crash"})
    assert as_dict["Crash"].tolist() == [True, True, False, False]
    path = tmp_path / "mine.csv"
    path.write_text("theme,keyword\nCrash,stürzt\nCrash,CRASH\n", encoding="utf-8")
    assert themes.match_themes(text, path)["Crash"].tolist() == [True, True, False, False]
    frame = pd.DataFrame({"Theme": ["Crash"], "Keyword": ["crash"]})
    assert themes.match_themes(text, frame)["Crash"].tolist() == [False, True, False, False]


def test_theme_list_errors_name_the_row():
    with pytest.raises(ValueError, match="Row 2 of the theme list has a keyword but no theme"):
        themes.load_themes(pd.DataFrame({"theme": ["a", ""], "keyword": ["x", "y"]}))
    with pytest.raises(ValueError, match="needs columns 'theme' and 'keyword'"):
        themes.load_themes(pd.DataFrame({"name": ["a"]}))


def test_shipped_list_covers_five_themes_in_five_languages():
    frame = pd.read_csv(themes.default_themes_path())
    pivot = frame.groupby(["theme", "language"]).size().unstack()
    assert set(pivot.index) == set(THEMES)
    assert set(pivot.columns) == {"en", "zh-Hans", "zh-Hant", "lt", "bg"}
    assert pivot.notna().all().all()


def test_themes_table_against_hand_counts(comments):
    got = tables.themes(comments, min_n=5).set_index("theme")
    scores = comments["Score"].astype(float)
    overall = 100 * ((scores >= 9).sum() - (scores <= 6).sum()) / len(scores)
    commented = (comments["Comment"] != "").sum()
    for theme in THEMES:
        mask = comments["Planted themes"].str.split(";").map(lambda ts, t=theme: t in ts)
        s, rest = scores[mask], scores[~mask]
        row = got.loc[theme]
        assert row["mentions"] == mask.sum()
        assert row["share"] == pytest.approx(mask.sum() / commented)
        assert (row["promoters"], row["passives"], row["detractors"]) == (
            (s >= 9).sum(),
            ((s >= 7) & (s <= 8)).sum(),
            (s <= 6).sum(),
        )
        assert row["nps"] == pytest.approx(100 * ((s >= 9).sum() - (s <= 6).sum()) / len(s))
        rest_nps = 100 * ((rest >= 9).sum() - (rest <= 6).sum()) / len(rest)
        assert row["impact"] == pytest.approx(overall - rest_nps)
    # planted: price and delivery only in detractors' comments, usability only in promoters'
    assert got.loc["price", "nps"] == -100 and got.loc["usability", "nps"] == 100
    assert got.loc["price", "impact"] < 0 < got.loc["usability", "impact"]


def test_terms_cut_words_and_chinese_bigrams():
    assert themes.terms("物流太慢了，The delivery was LATE!") == {
        "物流",
        "流太",
        "太慢",
        "delivery",
        "late",
    }
    assert themes.terms("Kainos labai didelės; цената е висока") == {
        "kainos",
        "didelės",
        "цената",
        "висока",
    }


PLANTED_TERMS = {
    "detractors": ["price", "delivery", "价格", "物流", "價格", "pristatymas", "доставката"],
    "passives": ["quality", "质量", "品質", "kokybė", "качеството"],
    "promoters": ["easy", "support", "好用", "客服", "patogu", "удобно", "обслужването"],
}


def test_discovered_terms_include_the_planted_ones(comments):
    got = tables.discover_terms(comments, top=40)
    for category, planted in PLANTED_TERMS.items():
        found = set(got.loc[got["category"] == category, "term"])
        assert set(planted) <= found, (category, set(planted) - found)
    row = got[(got["category"] == "detractors") & (got["term"] == "物流")].iloc[0]
    # 物流 is in 4 distinct detractor comments × 3 copies; no other category uses it
    detractor_comments = (comments["Score"] <= 6) & (comments["Comment"] != "")
    assert row["count"] == 12
    assert row["share"] == pytest.approx(12 / detractor_comments.sum())
    others = (~detractor_comments & (comments["Comment"] != "")).sum()
    assert row["lift"] == pytest.approx((12 / detractor_comments.sum()) / (1 / (others + 1)))


def test_discovery_ranks_by_count_then_lift_and_drops_rare_terms():
    comments = ["slow slow delivery", "slow app", "app crash", "great app", "great"]
    groups = ["d", "d", "d", "p", "p"]
    got = themes.discover(comments, groups, top=5, min_count=2)
    d = got[got["category"] == "d"]
    # equal counts: "slow" (lift (2/3)/(1/3) = 2) before "app" (lift (2/3)/(2/3) = 1);
    # "delivery" and "crash" are said once only
    assert d["term"].tolist() == ["slow", "app"]
    assert d["lift"].tolist() == pytest.approx([2.0, 1.0])
    assert themes.discover(comments, groups, min_lift=1.5)["term"].tolist() == ["slow", "great"]
    p = got[got["category"] == "p"]
    assert p["term"].tolist() == ["great"]
    assert np.isclose(p["lift"].iloc[0], (2 / 2) / ((0 + 1) / (3 + 1)))


def test_weighted_themes_use_weight_sums(comments):
    frame = comments.assign(Weight=np.where(comments["Score"] >= 9, 2.0, 1.0))
    got = tables.themes(frame, weight="Weight", min_n=5).set_index("theme")
    w, s = frame["Weight"], frame["Score"].astype(float)
    overall = 100 * (w[s >= 9].sum() - w[s <= 6].sum()) / w.sum()
    for theme in THEMES:
        mask = frame["Planted themes"].str.split(";").map(lambda ts, t=theme: t in ts)
        row = got.loc[theme]
        assert row["mentions"] == mask.sum()  # unweighted
        assert row["weighted_n"] == pytest.approx(w[mask].sum())
        out = ~mask
        rest = 100 * (w[out & (s >= 9)].sum() - w[out & (s <= 6)].sum()) / w[out].sum()
        assert row["impact"] == pytest.approx(overall - rest)
