"""Bands and benchmarks, pinned to the source guides and the published benchmark reports.

The expected numbers and words below are copied from the sources, not from our output:
guide 000 (zh-Hans) / 002 (lt) for the five bands, guide 001 for the three bands, guide 003
(SurveyMonkey, zh-Hant) for the global and industry figures, the XM Institute "Economics of
NPS" snapshots (2023, 2024) and Temkin Group's NPS Benchmark Studies (2014, 2017, 2018).
"""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from nps_xl.benchmarks import (
    BAND_SCHEMES,
    band,
    band_key,
    benchmark,
    benchmark_table,
    industries,
    resolve_scheme,
    verdict,
)
from nps_xl.i18n import CATALOGUE, LANGUAGES, text

CSV_PATH = Path(__file__).resolve().parents[1] / "nps_xl" / "data" / "benchmarks.csv"


# ------------------------------------------------------------------------------------------
# Bands: every boundary of every scheme
# ------------------------------------------------------------------------------------------

FIVE = [
    (-100, "Needs improvement"),
    (-0.01, "Needs improvement"),
    (0, "Acceptable"),  # "below 0" is strict: 0 opens the "0-30" band
    (29.99, "Acceptable"),
    (30, "Good"),
    (49.99, "Good"),
    (50, "Excellent"),
    (69.99, "Excellent"),
    (70, "World class"),  # zh-Hans "70以上" includes 70
    (100, "World class"),
]
THREE = [
    (-100, "Low"),
    (29.99, "Low"),
    (30, "Medium"),
    (49.99, "Medium"),
    (50, "High"),  # "50分以上" includes 50
    (100, "High"),
]
BAIN = [
    (-100, "Needs improvement"),
    (0, "Needs improvement"),  # "above 0 is good": 0 itself is not
    (0.01, "Good"),
    (20, "Good"),
    (20.01, "Great"),
    (50, "Great"),
    (50.01, "Excellent"),
    (80, "Excellent"),
    (80.01, "World class"),
    (100, "World class"),
]


@pytest.mark.parametrize(("nps", "label"), FIVE)
def test_five_band_boundaries(nps, label):
    assert band(nps) == label
    assert band(nps, "five") == label


@pytest.mark.parametrize(("nps", "label"), THREE)
def test_three_band_boundaries(nps, label):
    assert band(nps, "three") == label


@pytest.mark.parametrize(("nps", "label"), BAIN)
def test_bain_boundaries(nps, label):
    assert band(nps, "bain") == label


@pytest.mark.parametrize(
    ("promoters", "passives", "detractors", "nps", "label"),
    [
        (70, 15, 15, 55, "Excellent"),  # guide 000: "NPS = 70% – 15% = 55", "a strong score"
        (70, 20, 10, 60, "Excellent"),  # guide 003: NPS 60
    ],
)
def test_worked_examples_of_the_guides(promoters, passives, detractors, nps, label):
    n = promoters + passives + detractors
    score = 100 * (promoters - detractors) / n
    assert score == nps
    assert band(score) == label


def test_floating_point_noise_stays_in_the_band_of_the_threshold():
    share_difference = 100 * (0.7 - 0.4)  # 29.999999999999996 in binary floating point
    assert share_difference < 30
    assert band(share_difference) == "Good"
    assert band(100 * (0.9 - 0.2), "five") == "World class"  # 69.99999999999999


def test_numpy_numbers_are_accepted():
    np = pytest.importorskip("numpy")
    assert band(np.float64(50.0)) == "Excellent"
    assert band(np.int64(-5)) == "Needs improvement"


# Words from the source guides: 000 (zh-Hans) "可以接受 / 良好 / 优秀 / 世界级",
# 002 (lt) "Priimtina / Gera / Puiku / Pasaulio klasės", 001 (zh-Hans) 低 / 中 / 高 NPS.
@pytest.mark.parametrize(
    ("nps", "scheme", "lang", "word"),
    [
        (55, "five", "zh-Hans", "优秀"),
        (10, "five", "zh-Hans", "可以接受"),
        (35, "five", "zh-Hans", "良好"),
        (85, "five", "zh-Hans", "世界级"),
        (55, "five", "lt", "Puiku"),
        (10, "five", "lt", "Priimtina"),
        (35, "five", "lt", "Gera"),
        (85, "five", "lt", "Pasaulio klasės"),
        (20, "three", "zh-Hans", "低"),
        (40, "three", "zh-Hans", "中"),
        (60, "three", "zh-Hans", "高"),
    ],
)
def test_band_words_are_the_source_guides_words(nps, scheme, lang, word):
    assert band(nps, scheme, lang) == word


@pytest.mark.parametrize("lang", LANGUAGES)
def test_band_is_localized_in_every_language(lang):
    for scheme in BAND_SCHEMES:
        for nps in (-50, 10, 35, 55, 75, 90):
            assert band(nps, scheme, lang) == text(band_key(nps, scheme), lang)
            assert band(nps, scheme, lang).strip()


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("five", "five"),
        ("5", "five"),
        (5, "five"),
        (" FIVE ", "five"),
        ("Five", "five"),
        ("three", "three"),
        ("3", "three"),
        (3, "three"),
        ("THREE", "three"),
        ("bain", "bain"),
        ("Bain", "bain"),
    ],
)
def test_scheme_aliases_are_case_insensitive(alias, name):
    assert resolve_scheme(alias) is BAND_SCHEMES[name]


def test_unknown_scheme_lists_the_schemes():
    with pytest.raises(ValueError, match=r"Unknown band scheme 'seven'.*'five'.*'three'.*'bain'"):
        band(50, "seven")
    with pytest.raises(ValueError, match="Unknown band scheme"):
        band(50, True)


@pytest.mark.parametrize("bad", [math.nan, float("inf"), -math.inf, 100.01, -100.5, 250])
def test_band_rejects_nan_and_out_of_range(bad):
    with pytest.raises(ValueError, match=r"NaN|between -100 and 100"):
        band(bad)


@pytest.mark.parametrize("bad", ["55", None, True, [55]])
def test_band_rejects_non_numbers(bad):
    with pytest.raises(TypeError, match="must be a number"):
        band(bad)


def test_every_scheme_documents_its_source_and_boundaries():
    for name, scheme in BAND_SCHEMES.items():
        assert scheme.name == name
        assert scheme.source.strip() and scheme.boundaries.strip()
        assert len(scheme.keys) == len(scheme.thresholds) + 1
        for key in scheme.keys:
            assert set(CATALOGUE[key]) == set(LANGUAGES)
    assert BAND_SCHEMES["five"].thresholds == (0, 30, 50, 70)
    assert BAND_SCHEMES["three"].thresholds == (30, 50)
    assert BAND_SCHEMES["bain"].thresholds == (0, 20, 50, 80)


# ------------------------------------------------------------------------------------------
# The cited table
# ------------------------------------------------------------------------------------------

# (industry, statistic, value, publisher in the source, year) — as printed in the sources.
PUBLISHED = [
    # SurveyMonkey, guide 003 (zh-Hant): 全球 NPS 平均值為 +32; 中位數為 +44; 下四分位數 0 或更低;
    # 上四分位數 +72 或更高; 專業服務 +43 / +73; 科技公司 +35 / +64; 消費品及服務 +43 / +72.
    ("global", "average", 32, "SurveyMonkey", 2024),
    ("global", "median", 44, "SurveyMonkey", 2024),
    ("global", "bottom_quartile", 0, "SurveyMonkey", 2024),
    ("global", "top_quartile", 72, "SurveyMonkey", 2024),
    ("professional_services", "average", 43, "SurveyMonkey", 2024),
    ("professional_services", "top_quartile", 73, "SurveyMonkey", 2024),
    ("technology", "average", 35, "SurveyMonkey", 2024),
    ("technology", "top_quartile", 64, "SurveyMonkey", 2024),
    ("consumer_goods_services", "average", 43, "SurveyMonkey", 2024),
    ("consumer_goods_services", "top_quartile", 72, "SurveyMonkey", 2024),
    # SurveyMonkey, "What is a good Net Promoter Score?": median NPS +50 / +40 / +50.
    ("professional_services", "median", 50, "SurveyMonkey", 2021),
    ("technology", "median", 40, "SurveyMonkey", 2021),
    ("consumer_goods_services", "median", 50, "SurveyMonkey", 2021),
    # XM Institute, Economics of NPS 2024: grocery 30; streaming media and retail 29;
    # consumer payments -6, car rentals 8, TV/internet service providers 9.
    ("grocery", "average", 30, "XM Institute", 2024),
    ("streaming_media", "average", 29, "XM Institute", 2024),
    ("retail", "average", 29, "XM Institute", 2024),
    ("consumer_payments", "average", -6, "XM Institute", 2024),
    ("car_rental", "average", 8, "XM Institute", 2024),
    ("tv_internet_providers", "average", 9, "XM Institute", 2024),
    # XM Institute, Economics of NPS 2023: retail 28, streaming media 28, grocery 26;
    # consumer payments 1, car rentals 3, airlines 7.
    ("retail", "average", 28, "XM Institute", 2023),
    ("streaming_media", "average", 28, "XM Institute", 2023),
    ("grocery", "average", 26, "XM Institute", 2023),
    ("consumer_payments", "average", 1, "XM Institute", 2023),
    ("car_rental", "average", 3, "XM Institute", 2023),
    ("airlines", "average", 7, "XM Institute", 2023),
    # Temkin Group NPS Benchmark Studies.
    ("auto_dealers", "average", 39, "Temkin", 2018),
    ("streaming_media", "average", 39, "Temkin", 2018),
    ("tv_internet_providers", "average", 0, "Temkin", 2018),
    ("auto_dealers", "average", 43, "Temkin", 2017),
    ("tv_internet_providers", "average", 9, "Temkin", 2017),
    ("auto_dealers", "average", 38, "Temkin", 2014),
    ("grocery", "average", 32, "Temkin", 2014),
    ("insurance", "average", 30, "Temkin", 2014),
    ("utilities", "average", 5, "Temkin", 2014),
]


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return benchmark_table(lang=None)


@pytest.mark.parametrize(("industry", "statistic", "value", "publisher", "year"), PUBLISHED)
def test_published_figures_are_in_the_table(table, industry, statistic, value, publisher, year):
    rows = table[
        (table["industry"] == industry)
        & (table["statistic"] == statistic)
        & (table["year"] == year)
        & table["source"].str.contains(publisher, regex=False)
    ]
    assert rows["value"].tolist() == [value]


def test_table_holds_only_published_figures(table):
    # Every row is one of the figures listed above: nothing unsourced slips in.
    rows = {(r.industry, r.statistic, r.value, r.year) for r in table.itertuples(index=False)}
    assert rows == {(i, s, v, y) for i, s, v, _, y in PUBLISHED}
    assert len(table) == len(PUBLISHED)


def test_csv_file_format():
    raw = CSV_PATH.read_bytes()
    raw.decode("utf-8")  # UTF-8, no other encoding
    with CSV_PATH.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        assert next(reader) == ["industry", "statistic", "value", "source", "year"]
        for row in reader:
            assert len(row) == 5 and all(cell.strip() for cell in row)


def test_table_columns_and_types(table):
    assert list(table.columns) == ["industry", "statistic", "value", "source", "year"]
    assert table["value"].between(-100, 100).all()
    assert table["year"].between(2010, 2026).all()
    assert set(table["statistic"]) <= {"average", "median", "bottom_quartile", "top_quartile"}


def test_localized_table():
    zh = benchmark_table("zh-Hant")
    assert zh.loc[0, "industry"] == text("industry_global", "zh-Hant")
    assert zh.loc[0, "statistic"] == "平均值"
    assert zh.loc[0, "value"] == 32
    assert benchmark_table().loc[0, "industry"] == "Global (all industries)"


def test_industries():
    ids = industries()
    assert ids[0] == "global"
    for required in ("professional_services", "technology", "consumer_goods_services", "retail"):
        assert required in ids
    for industry in ids:
        assert set(CATALOGUE[f"industry_{industry}"]) == set(LANGUAGES)


# ------------------------------------------------------------------------------------------
# benchmark() and verdict()
# ------------------------------------------------------------------------------------------


def test_benchmark_global():
    result = benchmark(55)
    assert list(result.columns) == ["statistic", "value", "your_gap", "verdict", "source", "year"]
    assert result["statistic"].tolist() == ["Average", "Median", "Bottom quartile", "Top quartile"]
    assert result["value"].tolist() == [32, 44, 0, 72]
    assert result["your_gap"].tolist() == [23, 11, 55, -17]
    assert result["verdict"].tolist() == [
        "Above benchmark",
        "Above benchmark",
        "Above benchmark",
        "Below benchmark",
    ]
    assert result["year"].tolist() == [2024] * 4
    assert result["source"].str.contains("SurveyMonkey").all()


@pytest.mark.parametrize(
    ("nps", "top", "bottom"),
    [
        (72, "In the top quartile", "Above benchmark"),  # "+72 or higher"
        (71.9, "Below benchmark", "Above benchmark"),
        (0, "Below benchmark", "In the bottom quartile"),  # "0 or lower"
        (0.1, "Below benchmark", "Above benchmark"),
        (-40, "Below benchmark", "In the bottom quartile"),
    ],
)
def test_quartile_boundaries_are_inclusive(nps, top, bottom):
    verdicts = dict(zip(benchmark(nps)["statistic"], benchmark(nps)["verdict"], strict=True))
    assert verdicts["Top quartile"] == top
    assert verdicts["Bottom quartile"] == bottom


@pytest.mark.parametrize(
    ("nps", "expected"),
    [
        (32, "At benchmark"),
        (32.49, "At benchmark"),
        (31.51, "At benchmark"),
        (32.5, "Above benchmark"),
        (31.5, "Below benchmark"),
    ],
)
def test_at_the_average_means_equal_at_whole_points(nps, expected):
    result = benchmark(nps)
    assert result.loc[result["statistic"] == "Average", "verdict"].item() == expected


def test_benchmark_for_an_industry_with_several_sources():
    result = benchmark(30, "retail")
    assert result["value"].tolist() == [29, 28]  # XM Institute 2024, then 2023
    assert result["year"].tolist() == [2024, 2023]
    assert result["your_gap"].tolist() == [1, 2]


def test_benchmark_is_localized():
    result = benchmark(50, "technology", lang="zh-Hans")
    assert result["statistic"].tolist()[:2] == ["平均值", "上四分位数"]
    assert result["verdict"].tolist()[0] == text("verdict_above", "zh-Hans")
    lt = benchmark(50, lang="lt")
    assert lt["statistic"].tolist()[0] == "Vidurkis"


@pytest.mark.parametrize(
    "name",
    [
        "professional_services",
        "Professional services",
        "PROFESSIONAL-SERVICES",
        "  professional Services ",
        "专业服务",
        "Profesinės paslaugos",
    ],
)
def test_industry_names_are_forgiving(name):
    assert benchmark(50, name)["value"].tolist() == [43, 73, 50]


def test_unknown_industry_lists_the_known_ones():
    with pytest.raises(ValueError, match=r"'mining'.*Known industries: global, .*technology"):
        benchmark(50, "mining")


@pytest.mark.parametrize("bad", [math.nan, 101, -100.1])
def test_benchmark_rejects_bad_nps(bad):
    with pytest.raises(ValueError):
        benchmark(bad)
    with pytest.raises(ValueError):
        verdict(bad)


@pytest.mark.parametrize(
    ("nps", "industry", "expected"),
    [
        (80, "global", "In the top quartile"),
        (72, "global", "In the top quartile"),
        (50, "global", "Above benchmark"),
        (32, "global", "At benchmark"),
        (10, "global", "Below benchmark"),
        (0, "global", "In the bottom quartile"),
        (64, "technology", "In the top quartile"),
        (40, "technology", "Above benchmark"),
        (20, "grocery", "Below benchmark"),  # newest figure: XM Institute 2024, 30
        (30, "grocery", "At benchmark"),
    ],
)
def test_verdict(nps, industry, expected):
    assert verdict(nps, industry) == expected


def test_verdict_is_localized():
    assert verdict(80, lang="zh-Hans") == text("verdict_top_quartile", "zh-Hans")
    assert verdict(10, "Retail", lang="bg") == text("verdict_below", "bg")
