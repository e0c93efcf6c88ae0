"""The catalogue is complete, consistent across languages, valid for Excel, and uses the source
guides' own words.

``CATALOGUE`` is built from the language files (``nps_xl/i18n/<lang>.json``, checked as files in
``test_i18n_data.py``) plus the number conventions of ``nps_xl.numbers``, so every check here
covers both."""

from __future__ import annotations

import datetime as dt
import re
import string

import pytest

from nps_xl.i18n import CATALOGUE, DEFAULT_LANGUAGE, LANGUAGES, normalize_language, text

KEYS = sorted(CATALOGUE)
SHEET_KEYS = sorted(key for key in CATALOGUE if key.startswith("sheet_"))
# Whitespace is the whole point of these values (a no-break space groups lt and bg thousands).
WHITESPACE_VALUES = {"thousands_separator"}


def fields_of(template: str) -> set[tuple[str, str | None]]:
    """(field name, conversion) pairs of a str.format template."""
    return {
        (field, conversion)
        for _, field, _, conversion in string.Formatter().parse(template)
        if field is not None
    }


# --- completeness ---------------------------------------------------------------------------


def test_language_list() -> None:
    assert LANGUAGES == ("en", "zh-Hans", "zh-Hant", "lt", "bg")
    assert DEFAULT_LANGUAGE == "en"


@pytest.mark.parametrize("key", KEYS)
def test_every_key_has_all_languages_and_nothing_else(key: str) -> None:
    assert set(CATALOGUE[key]) == set(LANGUAGES), f"{key}: {sorted(CATALOGUE[key])}"


@pytest.mark.parametrize("key", KEYS)
def test_no_translation_is_empty(key: str) -> None:
    for lang, value in CATALOGUE[key].items():
        assert isinstance(value, str), (key, lang)
        assert value != "", (key, lang)
        if key not in WHITESPACE_VALUES:
            assert value.strip() == value and value.strip(), (key, lang, value)


def test_required_keys_present() -> None:
    required = [
        "promoters",
        "passives",
        "detractors",
        "promoter",
        "passive",
        "detractor",
        "total_valid",
        "blank_or_skipped",
        "blank",
        "invalid",
        "category",
        "count",
        "share",
        "nps",
        "low",
        "high",
        "margin_of_error",
        "confidence",
        "difference",
        "p_value",
        "significant",
        "yes",
        "no",
        "n",
        "band_needs_improvement",
        "band_acceptable",
        "band_good",
        "band_excellent",
        "band_world_class",
        "band_low",
        "band_medium",
        "band_high",
        "band_good_bain",
        "band_great",
        "band_excellent_bain",
        "band_world_class_bain",
        "benchmark_average",
        "benchmark_median",
        "benchmark_bottom_quartile",
        "benchmark_top_quartile",
        "verdict_above",
        "verdict_below",
        "verdict_at",
        "verdict_top_quartile",
        "verdict_bottom_quartile",
        "your_gap",
        "statistic",
        "value",
        "verdict",
        "industry",
        "source",
        "year",
        "industry_global",
        "industry_professional_services",
        "industry_technology",
        "industry_consumer_goods_services",
        "industry_retail",
        "industry_banking",
        "industry_insurance",
        "industry_telecommunications",
        "industry_healthcare",
        "industry_software_saas",
        "industry_airlines",
        "industry_hospitality",
        "industry_ecommerce",
        "industry_education",
        "industry_utilities",
        "industry_automotive",
        "period",
        "group",
        "segment",
        "change",
        "impact",
        "theme",
        "mentions",
        "response_id",
        "date",
        "score",
        "comment",
        "status",
        "region",
        "product",
        "channel",
        "customer_tenure",
        "small_sample",
        "target",
        "gap_to_target",
        "difference_from_rest",
        "sheet_responses",
        "sheet_dashboard",
        "sheet_trend",
        "sheet_segments",
        "sheet_followup",
        "sheet_themes",
        "sheet_benchmarks",
        "sheet_about",
        "sheet_invalid",
        "chart_category_mix",
        "chart_distribution",
        "chart_trend",
        "chart_by_segment",
        "error_no_valid",
        "error_invalid_score",
        "skipped_invalid",
        "error_unknown_scale",
        "error_unknown_method",
        "error_unknown_language",
        "cli_summary_title",
        "cli_written",
        "cli_exists",
        "quarter_label",
        "decimal_separator",
        "thousands_separator",
        "date_format",
        "excel_date_format",
        "scale_end_high",
        "scale_end_low",
    ]
    assert sorted(set(required) - set(CATALOGUE)) == []


# --- placeholders ---------------------------------------------------------------------------


@pytest.mark.parametrize("key", KEYS)
def test_placeholders_identical_across_languages(key: str) -> None:
    english = fields_of(CATALOGUE[key]["en"])
    for lang in LANGUAGES:
        assert fields_of(CATALOGUE[key][lang]) == english, (key, lang)


@pytest.mark.parametrize("key", KEYS)
def test_placeholders_are_named_and_every_template_formats(key: str) -> None:
    names = {name for name, _ in fields_of(CATALOGUE[key]["en"])}
    # Positional fields ("{}" or "{0}") cannot be passed by keyword through text().
    assert all(re.fullmatch(r"[a-z_][a-z0-9_]*", name) for name in names), (key, names)
    values = {name: f"<{name}>" for name in names}
    for lang in LANGUAGES:
        out = text(key, lang, **values)
        assert "{" not in out, (key, lang, out)
        for name in names:
            assert f"<{name}>" in out, (key, lang, name)


@pytest.mark.parametrize(
    ("key", "fields"),
    [
        ("quarter_label", {"q", "year"}),
        ("month_label", {"month", "year"}),
        ("error_no_valid", {"where"}),
        ("error_invalid_score", {"value", "position", "scale", "count"}),
        ("skipped_invalid", {"count", "positions"}),
        ("error_unknown_scale", {"scale", "choices"}),
        ("error_unknown_method", {"method", "choices"}),
        ("error_unknown_language", {"language", "choices"}),
        ("cli_written", {"path"}),
        ("cli_exists", {"path"}),
    ],
)
def test_message_fields(key: str, fields: set[str]) -> None:
    assert {name for name, _ in fields_of(CATALOGUE[key]["en"])} == fields


def test_code_in_messages_is_not_translated() -> None:
    for lang in LANGUAGES:
        assert 'invalid="skip"' in CATALOGUE["error_invalid_score"][lang], lang
        assert "--force" in CATALOGUE["cli_exists"][lang], lang
        assert "{value!r}" in CATALOGUE["error_invalid_score"][lang], lang


# --- the source guides' own words -----------------------------------------------------------

# Copied by hand from ../shared/sources/ (the tests must not need that folder):
SOURCE_CATEGORY_WORDS = {
    # 000_276641347947e0de.txt: 推荐者(得分9和10) / 被动者(得分7或8) / 反对者(得分0到6)
    "zh-Hans": ("推荐者", "被动者", "反对者"),
    # 003_3de58fc11b3a70d4.txt: 推薦型消費者 (9-10) / 被動型消費者 (7-8) / 批評型消費者 (0-6)
    "zh-Hant": ("推薦型", "被動型", "批評型"),
    # 002_e2c9561d7778339b.txt: Šalininkai (balai 9 ir 10) / Pasyvūs (7 arba 8) / Kritikai (0-6)
    "lt": ("Šalininkai", "Pasyvūs", "Kritikai"),
    # 004_0acdbba58d4491c4.txt: "категоризирането на клиентите в защитници, пасивни и критици"
    "bg": ("Защитници", "Пасивни", "Критици"),
}


@pytest.mark.parametrize("lang", sorted(SOURCE_CATEGORY_WORDS))
def test_category_words_are_the_source_guides_words(lang: str) -> None:
    promoters, passives, detractors = SOURCE_CATEGORY_WORDS[lang]
    assert text("promoters", lang) == promoters
    assert text("passives", lang) == passives
    assert text("detractors", lang) == detractors


def test_english_category_words() -> None:
    assert [text(k) for k in ("promoters", "passives", "detractors")] == [
        "Promoters",
        "Passives",
        "Detractors",
    ]
    assert [text(k) for k in ("promoter", "passive", "detractor")] == [
        "Promoter",
        "Passive",
        "Detractor",
    ]


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        # 000_276641347947e0de.txt: 0-30:可以接受… 30-50:良好… 50-70:优秀… 70以上:世界级
        ("zh-Hans", ("可以接受", "良好", "优秀", "世界级")),
        # 002_e2c9561d7778339b.txt: 0-30: Priimtina… 30-50: Gera… 50-70: Puiku… Virš 70:
        # Pasaulio klasės
        ("lt", ("Priimtina", "Gera", "Puiku", "Pasaulio klasės")),
    ],
)
def test_five_band_words_are_the_source_guides_words(lang: str, expected: tuple) -> None:
    keys = ("band_acceptable", "band_good", "band_excellent", "band_world_class")
    assert tuple(text(key, lang) for key in keys) == expected


def test_three_band_words_follow_source_001() -> None:
    # 001_9f4af8314d79c773.txt: 高NPS(50分以上)、中NPS(30-50分)和低NPS(30分以下)
    assert [text(k, "zh-Hans") for k in ("band_low", "band_medium", "band_high")] == [
        "低",
        "中",
        "高",
    ]


def test_benchmark_words_follow_source_003() -> None:
    # 003_3de58fc11b3a70d4.txt: 平均 NPS…  NPS 中位數… 下四分位數… 上四分位數… 消費品及服務
    assert text("benchmark_median", "zh-Hant") == "中位數"
    assert text("benchmark_bottom_quartile", "zh-Hant") == "下四分位數"
    assert text("benchmark_top_quartile", "zh-Hant") == "上四分位數"
    assert text("industry_consumer_goods_services", "zh-Hant") == "消費品及服務"
    assert text("industry_professional_services", "zh-Hant") == "專業服務"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_nps_and_n_are_the_same_everywhere(lang: str) -> None:
    assert text("nps", lang) == "NPS"
    assert text("n", lang) == "n"


def test_scale_end_labels() -> None:
    assert [text("scale_end_high", lang) for lang in LANGUAGES] == [
        "Extremely likely",
        "极有可能",
        "極有可能",
        "Labai tikėtina",
        "Много вероятно",
    ]
    assert [text("scale_end_low", lang) for lang in LANGUAGES] == [
        "Not at all likely",
        "完全不可能",
        "完全不可能",
        "Visiškai netikėtina",
        "Изобщо не е вероятно",
    ]


# --- scripts: catch a wrong-language paste or a Latin/Cyrillic look-alike --------------------

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HAN = re.compile(r"[\u3400-\u9fff]")
LATIN_LETTER = re.compile(r"[A-Za-z\u00c0-\u024f]")
# Characters whose Simplified and Traditional forms differ, as (simplified, traditional).
SIMPLIFIED = "们这个对时为发数据类别报误显设总计传单图极务业产东车电项动义议认质级结应标历评论种选导费区险医疗软础荐细组间变响题态户样与资讯关档写盖则说请该储处无过汇观势览测试码线网络购视权体国际专铁银药卫饮馆乐广场运输"  # noqa: E501
TRADITIONAL = "們這個對時為發數據類別報誤顯設總計傳單圖極務業產東車電項動義議認質級結應標歷評論種選導費區險醫療軟礎薦細組間變響題態戶樣與資訊關檔寫蓋則說請該儲處無過匯觀勢覽測試碼線網絡購視權體國際專鐵銀藥衛飲館樂廣場運輸"  # noqa: E501
# Mainland words a Taiwan reader would not expect (Taiwan: 軟體, 資料, 儲存格, 產業, 品質…).
MAINLAND_WORDS = ("軟件", "數據", "單元格", "行業", "質量", "信息", "默認", "文件夾", "視頻")


def test_character_tables_line_up() -> None:
    assert len(SIMPLIFIED) == len(TRADITIONAL)
    assert not set(SIMPLIFIED) & set(TRADITIONAL)


def _values(lang: str) -> list[tuple[str, str]]:
    return [(key, CATALOGUE[key][lang]) for key in KEYS]


def test_traditional_chinese_has_no_simplified_forms_or_mainland_words() -> None:
    for key, value in _values("zh-Hant"):
        assert not set(value) & set(SIMPLIFIED), (key, value, set(value) & set(SIMPLIFIED))
        assert not any(word in value for word in MAINLAND_WORDS), (key, value)


def test_simplified_chinese_has_no_traditional_forms() -> None:
    for key, value in _values("zh-Hans"):
        assert not set(value) & set(TRADITIONAL), (key, value, set(value) & set(TRADITIONAL))


@pytest.mark.parametrize("lang", ["en", "lt", "zh-Hans", "zh-Hant"])
def test_no_cyrillic_outside_bulgarian(lang: str) -> None:
    for key, value in _values(lang):
        assert not CYRILLIC.search(value), (key, lang, value)


@pytest.mark.parametrize("lang", ["en", "lt", "bg"])
def test_no_han_outside_chinese(lang: str) -> None:
    for key, value in _values(lang):
        assert not HAN.search(value), (key, lang, value)


def test_english_letters_are_ascii() -> None:
    # Typography (–, −, ±, ¾, √) is welcome; a letter from another alphabet is a slip.
    for key, value in _values("en"):
        assert all(c.isascii() for c in value if c.isalpha()), (key, value)


def test_no_word_mixes_latin_and_cyrillic() -> None:
    # A Latin "o" or "a" typed inside a Bulgarian word looks right and sorts, searches and
    # matches wrongly.
    for lang in LANGUAGES:
        for key, value in _values(lang):
            for word in re.findall(r"\w+", value):
                assert not (CYRILLIC.search(word) and LATIN_LETTER.search(word)), (key, word)


def test_lithuanian_uses_only_lithuanian_letters() -> None:
    allowed = set("aąbcčdeęėfghiįyjklmnoprsštuųūvzž" + "qwx")
    for key, value in _values("lt"):
        letters = {ch.lower() for ch in value if ch.isalpha()}
        assert letters <= allowed, (key, value, letters - allowed)


# --- Excel sheet names ----------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGUAGES)
def test_sheet_names_are_valid_in_excel(lang: str) -> None:
    names = [text(key, lang) for key in SHEET_KEYS]
    for name in names:
        assert 1 <= len(name) <= 31, name
        assert not set(name) & set("[]:*?/\\"), name
        assert not name.startswith("'") and not name.endswith("'"), name
        assert name.lower() != "history", name  # reserved by Excel
        assert name == name.strip(), name
    # Excel compares sheet names without regard to case.
    assert len({name.casefold() for name in names}) == len(names), names


def test_all_sheet_keys_present() -> None:
    names = ("responses", "dashboard", "trend", "segments", "followup", "themes")
    names += ("benchmarks", "about", "invalid", "drivers")
    assert sorted(f"sheet_{name}" for name in names) == SHEET_KEYS


# --- number and date conventions -------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "2025-03-04"),
        ("zh-Hans", "2025-03-04"),
        ("zh-Hant", "2025/03/04"),
        ("lt", "2025-03-04"),
        ("bg", "04.03.2025 г."),
    ],
)
def test_date_format(lang: str, expected: str) -> None:
    assert dt.date(2025, 3, 4).strftime(text("date_format", lang)) == expected


@pytest.mark.parametrize("lang", LANGUAGES)
def test_excel_date_format_matches_strftime_pattern(lang: str) -> None:
    # Translate the Excel codes we use back to strftime and compare: both must show the same.
    excel = text("excel_date_format", lang)
    as_strftime = (
        excel.replace("yyyy", "%Y").replace("mm", "%m").replace("dd", "%d").replace('"', "")
    )
    assert as_strftime == text("date_format", lang)
    # Non-ASCII literal text must be quoted in an Excel number format.
    unquoted = re.sub(r'"[^"]*"', "", excel)
    assert unquoted.isascii(), excel


@pytest.mark.parametrize(
    ("lang", "decimal", "thousands"),
    [
        ("en", ".", ","),
        ("zh-Hans", ".", ","),
        ("zh-Hant", ".", ","),
        ("lt", ",", "\u00a0"),
        ("bg", ",", "\u00a0"),
    ],
)
def test_separators(lang: str, decimal: str, thousands: str) -> None:
    assert text("decimal_separator", lang) == decimal
    assert text("thousands_separator", lang) == thousands


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Q2 2025"),
        ("zh-Hans", "2025年第2季度"),
        ("zh-Hant", "2025年第2季"),
        ("lt", "2025 m. 2 ketv."),
        ("bg", "Q2 2025"),
    ],
)
def test_quarter_label(lang: str, expected: str) -> None:
    assert text("quarter_label", lang, q=2, year=2025) == expected


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "March 2025"),
        ("zh-Hans", "2025年3月"),
        ("zh-Hant", "2025年3月"),
        ("lt", "2025 m. kovas"),
        ("bg", "март 2025 г."),
    ],
)
def test_month_label(lang: str, expected: str) -> None:
    assert text("month_label", lang, month=text("month_3", lang), year=2025) == expected


def test_twelve_months() -> None:
    assert {f"month_{i}" for i in range(1, 13)} <= set(CATALOGUE)
    assert "month_13" not in CATALOGUE and "month_0" not in CATALOGUE


# --- normalize_language ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("  ", "en"),
        ("en", "en"),
        ("EN", "en"),
        ("en-US", "en"),
        ("en_GB", "en"),
        ("zh", "zh-Hans"),
        ("zh-CN", "zh-Hans"),
        ("zh_cn", "zh-Hans"),
        ("zh-SG", "zh-Hans"),
        ("zh-Hans", "zh-Hans"),
        ("ZH-HANS", "zh-Hans"),
        ("zh-Hans-CN", "zh-Hans"),
        ("zh-CHS", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh_tw", "zh-Hant"),
        ("zh-HK", "zh-Hant"),
        ("zh-MO", "zh-Hant"),
        ("zh-Hant", "zh-Hant"),
        ("zh-hant", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-Hant-HK", "zh-Hant"),
        ("zh-Hans-HK", "zh-Hans"),  # the script subtag wins over the region
        ("zh_TW.UTF-8", "zh-Hant"),
        ("lt", "lt"),
        ("lt-LT", "lt"),
        ("LT_lt", "lt"),
        ("lt_LT.utf8", "lt"),
        ("bg", "bg"),
        ("bg-BG", "bg"),
        ("BG", "bg"),
    ],
)
def test_normalize_language(given: str | None, expected: str) -> None:
    assert normalize_language(given) == expected


@pytest.mark.parametrize("code", LANGUAGES)
def test_normalize_language_is_idempotent(code: str) -> None:
    assert normalize_language(code) == code
    assert normalize_language(normalize_language(code.upper())) == code


@pytest.mark.parametrize("given", ["fr", "de-DE", "english", "zh TW", "ru", "l", "-", "C"])
def test_unknown_language_is_a_clear_english_error(given: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_language(given)
    message = str(info.value)
    assert repr(given) in message
    for code in LANGUAGES:
        assert code in message
    assert message.isascii() or not HAN.search(message)
    assert message.startswith("Unknown language")


def test_unknown_language_message_is_the_catalogue_english() -> None:
    # nps_xl.numbers writes it without reading the catalogue (which builds on numbers).
    with pytest.raises(ValueError) as info:
        normalize_language("fr")
    choices = ", ".join(LANGUAGES)
    assert str(info.value).startswith(
        text("error_unknown_language", "en", language="fr", choices=choices)
    )


def test_language_of_wrong_type() -> None:
    with pytest.raises(TypeError):
        normalize_language(7)  # type: ignore[arg-type]


# --- text() ---------------------------------------------------------------------------------


def test_text_defaults_to_english() -> None:
    assert text("promoters") == "Promoters"
    assert text("promoters", None) == "Promoters"
    assert text("promoters", "") == "Promoters"


def test_text_normalises_the_language() -> None:
    assert text("promoters", "zh-TW") == "推薦型"
    assert text("promoters", "zh_CN") == "推荐者"
    assert text("detractors", "lt-LT") == "Kritikai"
    assert text("passives", "BG-bg") == "Пасивни"


def test_text_formats_fields() -> None:
    assert text("cli_written", "en", path="out.xlsx") == "Report written to out.xlsx"
    assert text("cli_exists", "en", path="out.xlsx") == (
        "out.xlsx exists; pass --force to overwrite"
    )
    assert text("skipped_invalid", "en", count=2, positions="A3, A9") == (
        "Skipped 2 invalid answers: A3, A9"
    )
    message = text("error_invalid_score", "en", value="11", position="row 7", scale="0-10", count=3)
    assert message == (
        "'11' at row 7 is not a score on the 0-10 scale (3 invalid in total). "
        'Fix the cell or pass invalid="skip".'
    )
    assert text("cli_written", "zh-Hant", path="報告.xlsx") == "報告已寫入 報告.xlsx"


def test_text_fields_may_be_named_key_or_lang() -> None:
    # key and lang are positional-only, so templates may use those names as fields.
    assert text("cli_written", "en", path="p", key="k", lang="x") == "Report written to p"


def test_text_position_words() -> None:
    assert text("position_row", "zh-Hans", row=7) == "第 7 行"
    assert text("position_row", "zh-Hant", row=7) == "第 7 列"  # Taiwan: 列 is a row
    assert text("position_cell", "bg", cell="B7") == "клетка B7"


def test_unknown_key_is_a_clear_key_error() -> None:
    with pytest.raises(KeyError) as info:
        text("promotors", "en")
    message = str(info.value)
    assert "'promotors'" in message
    assert "'promoters'" in message  # a suggestion
    assert not message.startswith('"')  # printed as a sentence, not a quoted repr


def test_missing_field_names_the_field() -> None:
    with pytest.raises(KeyError) as info:
        text("cli_written", "lt")
    assert "'path'" in str(info.value)
    assert "cli_written" in str(info.value)


def test_unknown_language_in_text() -> None:
    with pytest.raises(ValueError, match="Unknown language 'xx'"):
        text("promoters", "xx")


def test_missing_translation_falls_back_to_english(monkeypatch: pytest.MonkeyPatch) -> None:
    # Tests above make sure this never ships; users still get a word rather than a crash.
    monkeypatch.setitem(CATALOGUE, "_only_english", {"en": "Only English"})
    assert text("_only_english", "bg") == "Only English"
