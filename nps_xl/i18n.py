"""Every user-visible word of nps-xl, in English, Simplified Chinese, Traditional Chinese,
Lithuanian and Bulgarian.

One catalogue, ``CATALOGUE``, maps a key to ``{language: text}``. Code never writes a label,
header, sheet name or message itself; it asks ``text(key, lang, **fields)``::

    >>> text("promoters", "lt")
    'Šalininkai'
    >>> text("cli_written", "zh-Hant", path="report.xlsx")
    '報告已寫入 report.xlsx'

Adding a key: copy an entry in the right section and fill in all five languages. The tests
(`tests/test_i18n.py`) fail when a language is missing or empty, when the ``{fields}`` of the
languages differ, or when a sheet name is not valid in Excel. At run time a missing translation
falls back to English rather than failing in front of a user.

Where the words come from
-------------------------
The category words are the ones the source guides (``../shared/sources/``) use in each language:

* zh-Hans 推荐者 / 被动者 / 反对者 — ``000_276641347947e0de.txt``
* zh-Hant 推薦型 / 被動型 / 批評型 — ``003_3de58fc11b3a70d4.txt`` (SurveyMonkey Taiwan; the guide
  writes 推薦型消費者 etc., we drop 消費者 because respondents are not always consumers)
* lt Šalininkai / Pasyvūs / Kritikai — ``002_e2c9561d7778339b.txt``
* bg Защитници / Пасивни / Критици — ``004_0acdbba58d4491c4.txt``

Traditional Chinese follows Taiwan usage throughout (分數, 回覆, 產業, 儲存格, 軟體, 資料;
列 is a *row* and 欄 a *column*, the reverse of mainland 行/列).

Band schemes (the thresholds live in ``benchmarks.py``; only the words live here)
------------------------------------------------------------------------------------
* Five bands, from the guides 000 (zh-Hans) and 002 (lt): below 0 ``band_needs_improvement``,
  0–30 ``band_acceptable``, 30–50 ``band_good``, 50–70 ``band_excellent``, above 70
  ``band_world_class``. zh-Hans and lt labels are the guides' own words (可以接受, 良好, 优秀,
  世界级; Priimtina, Gera, Puiku, Pasaulio klasės — Lithuanian neuter forms, kept as in the
  source); "needs improvement" is shortened from the guides' sentence (需要显著改进; reikalingi
  reikšmingi patobulinimai). The Bulgarian guide (004) is partial and lacks the list, and the
  zh-Hant guide (003) has no band scheme, so those labels are ours (Taiwan wording; Bulgarian
  masculine forms agreeing with "резултат", as the guide says "добър NPS резултат").
* Three bands, from guide 001 (zh-Hans): below 30 ``band_low``, 30–50 ``band_medium``, above
  50 ``band_high`` (低NPS / 中NPS / 高NPS in the guide; the label drops the repeated "NPS").
* Bain & Company's rule of thumb (Reichheld): above 0 ``band_good_bain``, above 20
  ``band_great``, above 50 ``band_excellent_bain``, above 80 ``band_world_class_bain``. Scores of
  0 and below reuse ``band_needs_improvement``. The ``_bain`` suffix marks keys whose English
  word repeats a five-band key but whose threshold differs, so each scheme can be translated and
  changed on its own.

Number and date conventions
---------------------------
``decimal_separator`` / ``thousands_separator``: "." and "," for en and Chinese; "," and a
no-break space (U+00A0) for lt and bg (national standards LST / БДС, and CLDR). ``date_format``
is a ``strftime`` pattern and ``excel_date_format`` the Excel number format showing the same
thing:

* en ``yyyy-mm-dd`` (ISO 8601): our English readers are international, and 03/04/2025 means
  different days in the US and the UK.
* zh-Hans ``yyyy-mm-dd`` (GB/T 7408, the usual form in mainland reports).
* zh-Hant ``yyyy/mm/dd``: Taiwan writes dates with slashes. Excel's Taiwan default is the
  unpadded ``yyyy/m/d``, but ``strftime`` has no portable unpadded month, and the CLI and the
  workbook should show the same text, so both pad.
* lt ``yyyy-mm-dd`` (LST ISO 8601, the Lithuanian standard form).
* bg ``dd.mm.yyyy г.`` (the Bulgarian form; the Excel pattern quotes the Cyrillic "г.").
"""

from __future__ import annotations

import difflib
import string

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "normalize_language",
    "text",
]

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "lt", "bg")
DEFAULT_LANGUAGE = "en"

CATALOGUE: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------------------------------
    # The language itself (for a language picker: each language's name in that language)
    # ------------------------------------------------------------------------------------------
    "language_name": {
        "en": "English",
        "zh-Hans": "简体中文",
        "zh-Hant": "繁體中文",
        "lt": "Lietuvių",
        "bg": "Български",
    },
    "nps_full_name": {
        "en": "Net Promoter Score",
        "zh-Hans": "净推荐值",
        "zh-Hant": "淨推薦值",
        # The lt and bg guides keep the English name (002, 004).
        "lt": "Net Promoter Score",
        "bg": "Net Promoter Score",
    },
    # ------------------------------------------------------------------------------------------
    # Categories and the summary statistics
    # ------------------------------------------------------------------------------------------
    "promoters": {
        "en": "Promoters",
        "zh-Hans": "推荐者",
        "zh-Hant": "推薦型",
        "lt": "Šalininkai",
        "bg": "Защитници",
    },
    "passives": {
        "en": "Passives",
        "zh-Hans": "被动者",
        "zh-Hant": "被動型",
        "lt": "Pasyvūs",
        "bg": "Пасивни",
    },
    "detractors": {
        "en": "Detractors",
        "zh-Hans": "反对者",
        "zh-Hant": "批評型",
        "lt": "Kritikai",
        "bg": "Критици",
    },
    "promoter": {
        "en": "Promoter",
        "zh-Hans": "推荐者",
        "zh-Hant": "推薦型",
        "lt": "Šalininkas",
        "bg": "Защитник",
    },
    "passive": {
        "en": "Passive",
        "zh-Hans": "被动者",
        "zh-Hant": "被動型",
        "lt": "Pasyvus",
        "bg": "Пасивен",
    },
    "detractor": {
        "en": "Detractor",
        "zh-Hans": "反对者",
        "zh-Hant": "批評型",
        "lt": "Kritikas",
        "bg": "Критик",
    },
    "total_valid": {
        "en": "Total valid",
        "zh-Hans": "有效回答总数",
        "zh-Hant": "有效回覆總數",
        "lt": "Iš viso tinkamų",
        "bg": "Общо валидни",
    },
    "blank_or_skipped": {
        "en": "Blank or skipped",
        "zh-Hans": "空白或跳过",
        "zh-Hant": "空白或略過",
        "lt": "Tušti arba praleisti",
        "bg": "Празни или пропуснати",
    },
    "blank": {
        "en": "Blank",
        "zh-Hans": "空白",
        "zh-Hant": "空白",
        "lt": "Tušti",
        "bg": "Празни",
    },
    "invalid": {
        "en": "Invalid",
        "zh-Hans": "无效",
        "zh-Hant": "無效",
        "lt": "Netinkami",
        "bg": "Невалидни",
    },
    "total": {
        "en": "Total",
        "zh-Hans": "合计",
        "zh-Hant": "合計",
        "lt": "Iš viso",
        "bg": "Общо",
    },
    "all_respondents": {
        "en": "All respondents",
        "zh-Hans": "全部受访者",
        "zh-Hant": "全部受訪者",
        "lt": "Visi respondentai",
        "bg": "Всички респонденти",
    },
    "category": {
        "en": "Category",
        "zh-Hans": "类别",
        "zh-Hant": "類別",
        "lt": "Kategorija",
        "bg": "Категория",
    },
    "count": {
        "en": "Count",
        "zh-Hans": "数量",
        "zh-Hant": "數量",
        "lt": "Skaičius",
        "bg": "Брой",
    },
    "share": {
        "en": "Share",
        "zh-Hans": "占比",
        "zh-Hant": "佔比",
        "lt": "Dalis",
        "bg": "Дял",
    },
    "nps": {
        "en": "NPS",
        "zh-Hans": "NPS",
        "zh-Hant": "NPS",
        "lt": "NPS",
        "bg": "NPS",
    },
    "n": {
        "en": "n",
        "zh-Hans": "n",
        "zh-Hant": "n",
        "lt": "n",
        "bg": "n",
    },
    "effective_n": {
        "en": "Effective n",
        "zh-Hans": "有效样本量",
        "zh-Hant": "有效樣本數",
        "lt": "Efektyvusis n",
        "bg": "Ефективен n",
    },
    # low / high: the lower and upper ends of a confidence interval.
    "low": {
        "en": "Low",
        "zh-Hans": "下限",
        "zh-Hant": "下限",
        "lt": "Apatinė riba",
        "bg": "Долна граница",
    },
    "high": {
        "en": "High",
        "zh-Hans": "上限",
        "zh-Hant": "上限",
        "lt": "Viršutinė riba",
        "bg": "Горна граница",
    },
    "margin_of_error": {
        "en": "Margin of error",
        "zh-Hans": "误差范围",
        "zh-Hant": "誤差範圍",
        "lt": "Paklaidos riba",
        "bg": "Допустима грешка",
    },
    "confidence": {
        "en": "Confidence level",
        "zh-Hans": "置信水平",
        "zh-Hant": "信賴水準",
        "lt": "Pasikliovimo lygmuo",
        "bg": "Ниво на доверие",
    },
    "difference": {
        "en": "Difference",
        "zh-Hans": "差值",
        "zh-Hant": "差異",
        "lt": "Skirtumas",
        "bg": "Разлика",
    },
    "p_value": {
        "en": "p-value",
        "zh-Hans": "p 值",
        "zh-Hant": "p 值",
        "lt": "p reikšmė",
        "bg": "p-стойност",
    },
    # Column of yes/no answers to "is the difference statistically significant?"
    "significant": {
        "en": "Significant",
        "zh-Hans": "显著",
        "zh-Hant": "顯著",
        "lt": "Reikšmingas",
        "bg": "Значима",
    },
    "yes": {
        "en": "Yes",
        "zh-Hans": "是",
        "zh-Hant": "是",
        "lt": "Taip",
        "bg": "Да",
    },
    "no": {
        "en": "No",
        "zh-Hans": "否",
        "zh-Hant": "否",
        "lt": "Ne",
        "bg": "Не",
    },
    # ------------------------------------------------------------------------------------------
    # Band labels (schemes and thresholds: see the module docstring and benchmarks.py)
    # ------------------------------------------------------------------------------------------
    "band": {
        "en": "Band",
        "zh-Hans": "等级",
        "zh-Hant": "等級",
        "lt": "Lygis",
        "bg": "Ниво",
    },
    # Five bands (guides 000, 002): below 0 / 0–30 / 30–50 / 50–70 / above 70.
    "band_needs_improvement": {
        "en": "Needs improvement",
        "zh-Hans": "需要改进",
        "zh-Hant": "需要改善",
        "lt": "Reikia tobulinti",
        "bg": "Нужда от подобрение",
    },
    "band_acceptable": {
        "en": "Acceptable",
        "zh-Hans": "可以接受",
        "zh-Hant": "可接受",
        "lt": "Priimtina",
        "bg": "Приемлив",
    },
    "band_good": {
        "en": "Good",
        "zh-Hans": "良好",
        "zh-Hant": "良好",
        "lt": "Gera",
        "bg": "Добър",
    },
    "band_excellent": {
        "en": "Excellent",
        "zh-Hans": "优秀",
        "zh-Hant": "優秀",
        "lt": "Puiku",
        "bg": "Отличен",
    },
    "band_world_class": {
        "en": "World class",
        "zh-Hans": "世界级",
        "zh-Hant": "世界級",
        "lt": "Pasaulio klasės",
        "bg": "Световна класа",
    },
    # Three bands (guide 001): below 30 / 30–50 / above 50.
    "band_low": {
        "en": "Low",
        "zh-Hans": "低",
        "zh-Hant": "低",
        "lt": "Žemas",
        "bg": "Нисък",
    },
    "band_medium": {
        "en": "Medium",
        "zh-Hans": "中",
        "zh-Hant": "中",
        "lt": "Vidutinis",
        "bg": "Среден",
    },
    "band_high": {
        "en": "High",
        "zh-Hans": "高",
        "zh-Hant": "高",
        "lt": "Aukštas",
        "bg": "Висок",
    },
    # Bain & Company: above 0 / above 20 / above 50 / above 80 (0 and below:
    # band_needs_improvement).
    "band_good_bain": {
        "en": "Good",
        "zh-Hans": "良好",
        "zh-Hant": "良好",
        "lt": "Gera",
        "bg": "Добър",
    },
    "band_great": {
        "en": "Great",
        "zh-Hans": "很好",
        "zh-Hant": "很好",
        "lt": "Labai gera",
        "bg": "Много добър",
    },
    "band_excellent_bain": {
        "en": "Excellent",
        "zh-Hans": "优秀",
        "zh-Hant": "優秀",
        "lt": "Puiku",
        "bg": "Отличен",
    },
    "band_world_class_bain": {
        "en": "World class",
        "zh-Hans": "世界级",
        "zh-Hant": "世界級",
        "lt": "Pasaulio klasės",
        "bg": "Световна класа",
    },
    # ------------------------------------------------------------------------------------------
    # Benchmarks: statistics, verdicts, table headers, industries
    # ------------------------------------------------------------------------------------------
    "benchmark_average": {
        "en": "Average",
        "zh-Hans": "平均值",
        "zh-Hant": "平均值",
        "lt": "Vidurkis",
        "bg": "Средна стойност",
    },
    "benchmark_median": {
        "en": "Median",
        "zh-Hans": "中位数",
        "zh-Hant": "中位數",
        "lt": "Mediana",
        "bg": "Медиана",
    },
    "benchmark_bottom_quartile": {
        "en": "Bottom quartile",
        "zh-Hans": "下四分位数",
        "zh-Hant": "下四分位數",
        "lt": "Apatinis kvartilis",
        "bg": "Долен квартил",
    },
    "benchmark_top_quartile": {
        "en": "Top quartile",
        "zh-Hans": "上四分位数",
        "zh-Hant": "上四分位數",
        "lt": "Viršutinis kvartilis",
        "bg": "Горен квартил",
    },
    "verdict_above": {
        "en": "Above benchmark",
        "zh-Hans": "高于基准",
        "zh-Hant": "高於基準",
        "lt": "Virš etalono",
        "bg": "Над бенчмарка",
    },
    "verdict_below": {
        "en": "Below benchmark",
        "zh-Hans": "低于基准",
        "zh-Hant": "低於基準",
        "lt": "Žemiau etalono",
        "bg": "Под бенчмарка",
    },
    "verdict_at": {
        "en": "At benchmark",
        "zh-Hans": "与基准持平",
        "zh-Hant": "與基準持平",
        "lt": "Atitinka etaloną",
        "bg": "На нивото на бенчмарка",
    },
    "verdict_top_quartile": {
        "en": "In the top quartile",
        "zh-Hans": "位于上四分位",
        "zh-Hant": "位於上四分位",
        "lt": "Viršutiniame kvartilyje",
        "bg": "В горния квартил",
    },
    "verdict_bottom_quartile": {
        "en": "In the bottom quartile",
        "zh-Hans": "位于下四分位",
        "zh-Hant": "位於下四分位",
        "lt": "Apatiniame kvartilyje",
        "bg": "В долния квартил",
    },
    "your_gap": {
        "en": "Your gap",
        "zh-Hans": "您的差距",
        "zh-Hant": "您的差距",
        "lt": "Jūsų atotrūkis",
        "bg": "Вашата разлика",
    },
    "statistic": {
        "en": "Statistic",
        "zh-Hans": "指标",
        "zh-Hant": "指標",
        "lt": "Rodiklis",
        "bg": "Показател",
    },
    "value": {
        "en": "Value",
        "zh-Hans": "数值",
        "zh-Hant": "數值",
        "lt": "Reikšmė",
        "bg": "Стойност",
    },
    "verdict": {
        "en": "Verdict",
        "zh-Hans": "结论",
        "zh-Hant": "結論",
        "lt": "Išvada",
        "bg": "Заключение",
    },
    "industry": {
        "en": "Industry",
        "zh-Hans": "行业",
        "zh-Hant": "產業",
        "lt": "Sektorius",
        "bg": "Индустрия",
    },
    "source": {
        "en": "Source",
        "zh-Hans": "来源",
        "zh-Hant": "來源",
        "lt": "Šaltinis",
        "bg": "Източник",
    },
    "year": {
        "en": "Year",
        "zh-Hans": "年份",
        "zh-Hant": "年份",
        "lt": "Metai",
        "bg": "Година",
    },
    # Industries. The first four are the ones guide 003 gives figures for.
    "industry_global": {
        "en": "Global (all industries)",
        "zh-Hans": "全球(所有行业)",
        "zh-Hant": "全球(所有產業)",
        "lt": "Pasaulis (visi sektoriai)",
        "bg": "Глобално (всички индустрии)",
    },
    "industry_professional_services": {
        "en": "Professional services",
        "zh-Hans": "专业服务",
        "zh-Hant": "專業服務",
        "lt": "Profesinės paslaugos",
        "bg": "Професионални услуги",
    },
    "industry_technology": {
        "en": "Technology",
        "zh-Hans": "科技",
        "zh-Hant": "科技",
        "lt": "Technologijos",
        "bg": "Технологии",
    },
    "industry_consumer_goods_services": {
        "en": "Consumer goods and services",
        "zh-Hans": "消费品及服务",
        "zh-Hant": "消費品及服務",
        "lt": "Plataus vartojimo prekės ir paslaugos",
        "bg": "Потребителски стоки и услуги",
    },
    "industry_retail": {
        "en": "Retail",
        "zh-Hans": "零售",
        "zh-Hant": "零售",
        "lt": "Mažmeninė prekyba",
        "bg": "Търговия на дребно",
    },
    "industry_banking": {
        "en": "Banking",
        "zh-Hans": "银行",
        "zh-Hant": "銀行",
        "lt": "Bankininkystė",
        "bg": "Банково дело",
    },
    "industry_insurance": {
        "en": "Insurance",
        "zh-Hans": "保险",
        "zh-Hant": "保險",
        "lt": "Draudimas",
        "bg": "Застраховане",
    },
    "industry_telecommunications": {
        "en": "Telecommunications",
        "zh-Hans": "电信",
        "zh-Hant": "電信",
        "lt": "Telekomunikacijos",
        "bg": "Телекомуникации",
    },
    "industry_healthcare": {
        "en": "Healthcare",
        "zh-Hans": "医疗保健",
        "zh-Hant": "醫療保健",
        "lt": "Sveikatos priežiūra",
        "bg": "Здравеопазване",
    },
    "industry_software_saas": {
        "en": "Software and SaaS",
        "zh-Hans": "软件与 SaaS",
        "zh-Hant": "軟體與 SaaS",
        "lt": "Programinė įranga ir SaaS",
        "bg": "Софтуер и SaaS",
    },
    "industry_airlines": {
        "en": "Airlines",
        "zh-Hans": "航空公司",
        "zh-Hant": "航空公司",
        "lt": "Aviakompanijos",
        "bg": "Авиокомпании",
    },
    "industry_hospitality": {
        "en": "Hospitality",
        "zh-Hans": "酒店餐饮",
        "zh-Hant": "餐旅業",
        "lt": "Apgyvendinimas ir maitinimas",
        "bg": "Хотелиерство и ресторантьорство",
    },
    "industry_ecommerce": {
        "en": "E-commerce",
        "zh-Hans": "电子商务",
        "zh-Hant": "電子商務",
        "lt": "Elektroninė prekyba",
        "bg": "Електронна търговия",
    },
    "industry_education": {
        "en": "Education",
        "zh-Hans": "教育",
        "zh-Hant": "教育",
        "lt": "Švietimas",
        "bg": "Образование",
    },
    "industry_utilities": {
        "en": "Utilities",
        "zh-Hans": "公用事业",
        "zh-Hant": "公用事業",
        "lt": "Komunalinės paslaugos",
        "bg": "Комунални услуги",
    },
    "industry_automotive": {
        "en": "Automotive",
        "zh-Hans": "汽车",
        "zh-Hant": "汽車",
        "lt": "Automobilių pramonė",
        "bg": "Автомобилна индустрия",
    },
    # ------------------------------------------------------------------------------------------
    # Table headers
    # ------------------------------------------------------------------------------------------
    "period": {
        "en": "Period",
        "zh-Hans": "期间",
        "zh-Hant": "期間",
        "lt": "Laikotarpis",
        "bg": "Период",
    },
    "group": {
        "en": "Group",
        "zh-Hans": "分组",
        "zh-Hant": "組別",
        "lt": "Grupė",
        "bg": "Група",
    },
    "segment": {
        "en": "Segment",
        "zh-Hans": "细分群体",
        "zh-Hant": "區隔",
        "lt": "Segmentas",
        "bg": "Сегмент",
    },
    "change": {
        "en": "Change",
        "zh-Hans": "变化",
        "zh-Hant": "變化",
        "lt": "Pokytis",
        "bg": "Промяна",
    },
    "impact": {
        "en": "Impact",
        "zh-Hans": "影响",
        "zh-Hant": "影響",
        "lt": "Poveikis",
        "bg": "Въздействие",
    },
    "theme": {
        "en": "Theme",
        "zh-Hans": "主题",
        "zh-Hant": "主題",
        "lt": "Tema",
        "bg": "Тема",
    },
    "mentions": {
        "en": "Mentions",
        "zh-Hans": "提及次数",
        "zh-Hant": "提及次數",
        "lt": "Paminėjimai",
        "bg": "Споменавания",
    },
    "response_id": {
        "en": "Response ID",
        "zh-Hans": "回答 ID",
        "zh-Hant": "回覆 ID",
        "lt": "Atsakymo ID",
        "bg": "ID на отговора",
    },
    "date": {
        "en": "Date",
        "zh-Hans": "日期",
        "zh-Hant": "日期",
        "lt": "Data",
        "bg": "Дата",
    },
    "score": {
        "en": "Score",
        "zh-Hans": "评分",
        "zh-Hant": "分數",
        "lt": "Balas",
        "bg": "Оценка",
    },
    "comment": {
        "en": "Comment",
        "zh-Hans": "评论",
        "zh-Hant": "意見",
        "lt": "Komentaras",
        "bg": "Коментар",
    },
    "status": {
        "en": "Status",
        "zh-Hans": "状态",
        "zh-Hant": "狀態",
        "lt": "Būsena",
        "bg": "Статус",
    },
    "region": {
        "en": "Region",
        "zh-Hans": "地区",
        "zh-Hant": "地區",
        "lt": "Regionas",
        "bg": "Регион",
    },
    "product": {
        "en": "Product",
        "zh-Hans": "产品",
        "zh-Hant": "產品",
        "lt": "Produktas",
        "bg": "Продукт",
    },
    "channel": {
        "en": "Channel",
        "zh-Hans": "渠道",
        "zh-Hant": "管道",
        "lt": "Kanalas",
        "bg": "Канал",
    },
    "customer_tenure": {
        "en": "Customer tenure",
        "zh-Hans": "客户年限",
        "zh-Hant": "客戶年資",
        "lt": "Kliento stažas",
        "bg": "Стаж като клиент",
    },
    "small_sample": {
        "en": "Small sample",
        "zh-Hans": "样本量小",
        "zh-Hant": "樣本數少",
        "lt": "Maža imtis",
        "bg": "Малка извадка",
    },
    "target": {
        "en": "Target",
        "zh-Hans": "目标",
        "zh-Hant": "目標",
        "lt": "Tikslas",
        "bg": "Цел",
    },
    "gap_to_target": {
        "en": "Gap to target",
        "zh-Hans": "与目标的差距",
        "zh-Hant": "與目標的差距",
        "lt": "Atotrūkis nuo tikslo",
        "bg": "Разлика спрямо целта",
    },
    "difference_from_rest": {
        "en": "Difference from the rest",
        "zh-Hans": "与其余群体的差值",
        "zh-Hant": "與其餘群體的差異",
        "lt": "Skirtumas nuo likusių",
        "bg": "Разлика спрямо останалите",
    },
    # ------------------------------------------------------------------------------------------
    # Sheet names: at most 31 characters, none of []:*?/\ , no apostrophe at either end,
    # unique within a language (Excel compares them case-insensitively).
    # ------------------------------------------------------------------------------------------
    "sheet_responses": {
        "en": "Responses",
        "zh-Hans": "回答",
        "zh-Hant": "回覆",
        "lt": "Atsakymai",
        "bg": "Отговори",
    },
    "sheet_dashboard": {
        "en": "Dashboard",
        "zh-Hans": "仪表板",
        "zh-Hant": "儀表板",
        "lt": "Suvestinė",
        "bg": "Табло",
    },
    "sheet_trend": {
        "en": "Trend",
        "zh-Hans": "趋势",
        "zh-Hant": "趨勢",
        "lt": "Tendencija",
        "bg": "Тенденция",
    },
    "sheet_segments": {
        "en": "Segments",
        "zh-Hans": "细分",
        "zh-Hant": "區隔",
        "lt": "Segmentai",
        "bg": "Сегменти",
    },
    "sheet_followup": {
        "en": "Follow-up",
        "zh-Hans": "待跟进",
        "zh-Hant": "待追蹤",
        "lt": "Tolesni veiksmai",
        "bg": "Проследяване",
    },
    "sheet_themes": {
        "en": "Themes",
        "zh-Hans": "主题",
        "zh-Hant": "主題",
        "lt": "Temos",
        "bg": "Теми",
    },
    "sheet_benchmarks": {
        "en": "Benchmarks",
        "zh-Hans": "基准",
        "zh-Hant": "基準",
        "lt": "Etalonai",
        "bg": "Бенчмаркове",
    },
    "sheet_about": {
        "en": "About",
        "zh-Hans": "说明",
        "zh-Hant": "說明",
        "lt": "Apie",
        "bg": "Относно",
    },
    "sheet_invalid": {
        "en": "Invalid answers",
        "zh-Hans": "无效回答",
        "zh-Hant": "無效回覆",
        "lt": "Netinkami atsakymai",
        "bg": "Невалидни отговори",
    },
    # ------------------------------------------------------------------------------------------
    # Chart titles
    # ------------------------------------------------------------------------------------------
    "chart_category_mix": {
        "en": "Promoters, passives and detractors",
        "zh-Hans": "推荐者、被动者与反对者",
        "zh-Hant": "推薦型、被動型與批評型",
        "lt": "Šalininkai, pasyvūs ir kritikai",
        "bg": "Защитници, пасивни и критици",
    },
    "chart_distribution": {
        "en": "Score distribution",
        "zh-Hans": "评分分布",
        "zh-Hant": "分數分布",
        "lt": "Balų pasiskirstymas",
        "bg": "Разпределение на оценките",
    },
    "chart_trend": {
        "en": "NPS over time",
        "zh-Hans": "NPS 趋势",
        "zh-Hant": "NPS 趨勢",
        "lt": "NPS kaita",
        "bg": "NPS във времето",
    },
    "chart_by_segment": {
        "en": "NPS by segment",
        "zh-Hans": "各细分群体的 NPS",
        "zh-Hant": "各區隔的 NPS",
        "lt": "NPS pagal segmentą",
        "bg": "NPS по сегменти",
    },
    # ------------------------------------------------------------------------------------------
    # Messages and errors. Code (invalid="skip", --force, Scale) stays as typed in every
    # language. lt and bg put counts in parentheses so no noun has to agree with a number.
    # ------------------------------------------------------------------------------------------
    "position_row": {
        "en": "row {row}",
        "zh-Hans": "第 {row} 行",
        "zh-Hant": "第 {row} 列",
        "lt": "eilutė {row}",
        "bg": "ред {row}",
    },
    "position_cell": {
        "en": "cell {cell}",
        "zh-Hans": "单元格 {cell}",
        "zh-Hant": "儲存格 {cell}",
        "lt": "langelis {cell}",
        "bg": "клетка {cell}",
    },
    "error_no_valid": {
        "en": (
            "No valid answers in {where}: every value is blank or invalid. "
            "Select the range or column that holds the scores."
        ),
        "zh-Hans": "{where} 中没有有效回答:所有值均为空白或无效。请选择包含评分的区域或列。",
        "zh-Hant": "{where} 中沒有有效回覆:所有值皆為空白或無效。請選取包含分數的範圍或欄。",
        "lt": (
            "Nėra tinkamų atsakymų ({where}): visos reikšmės tuščios arba netinkamos. "
            "Pasirinkite sritį ar stulpelį, kuriame yra balai."
        ),
        "bg": (
            "Няма валидни отговори ({where}): всички стойности са празни или невалидни. "
            "Изберете диапазона или колоната с оценките."
        ),
    },
    "error_invalid_score": {
        "en": (
            "{value!r} at {position} is not a score on the {scale} scale "
            '({count} invalid in total). Fix the cell or pass invalid="skip".'
        ),
        "zh-Hans": (
            "{position}的值 {value!r} 不是 {scale} 量表上的有效评分"
            '(共 {count} 个无效值)。请修正该单元格,或传入 invalid="skip"。'
        ),
        "zh-Hant": (
            "{position}的值 {value!r} 不是 {scale} 量表上的有效分數"
            '(共 {count} 個無效值)。請修正該儲存格,或傳入 invalid="skip"。'
        ),
        "lt": (
            "Reikšmė {value!r} ({position}) nėra {scale} skalės balas "
            '(iš viso netinkamų: {count}). Pataisykite langelį arba nurodykite invalid="skip".'
        ),
        "bg": (
            "Стойността {value!r} ({position}) не е оценка по скалата {scale} "
            '(общо невалидни: {count}). Поправете клетката или подайте invalid="skip".'
        ),
    },
    "skipped_invalid": {
        "en": "Skipped {count} invalid answers: {positions}",
        "zh-Hans": "已跳过 {count} 个无效回答:{positions}",
        "zh-Hant": "已略過 {count} 個無效回覆:{positions}",
        "lt": "Praleisti netinkami atsakymai ({count}): {positions}",
        "bg": "Пропуснати невалидни отговори ({count}): {positions}",
    },
    "error_unknown_scale": {
        "en": (
            "Unknown scale {scale!r}. Use one of {choices}, a Scale, or four breaks "
            "(minimum, detractor_max, passive_max, maximum)."
        ),
        "zh-Hans": (
            "未知的量表 {scale!r}。请使用 {choices} 之一、Scale 对象,"
            "或四个分界点(minimum, detractor_max, passive_max, maximum)。"
        ),
        "zh-Hant": (
            "未知的量表 {scale!r}。請使用 {choices} 其中之一、Scale 物件,"
            "或四個分界點(minimum, detractor_max, passive_max, maximum)。"
        ),
        "lt": (
            "Nežinoma skalė {scale!r}. Naudokite vieną iš {choices}, Scale objektą arba "
            "keturias ribas (minimum, detractor_max, passive_max, maximum)."
        ),
        "bg": (
            "Неизвестна скала {scale!r}. Използвайте една от {choices}, обект Scale или "
            "четири граници (minimum, detractor_max, passive_max, maximum)."
        ),
    },
    "error_unknown_method": {
        "en": "Unknown method {method!r}. Use one of: {choices}.",
        "zh-Hans": "未知的方法 {method!r}。请使用以下之一:{choices}。",
        "zh-Hant": "未知的方法 {method!r}。請使用下列其中之一:{choices}。",
        "lt": "Nežinomas metodas {method!r}. Naudokite vieną iš: {choices}.",
        "bg": "Неизвестен метод {method!r}. Използвайте един от: {choices}.",
    },
    "error_unknown_language": {
        "en": "Unknown language {language!r}. Use one of: {choices}.",
        "zh-Hans": "未知的语言 {language!r}。请使用以下之一:{choices}。",
        "zh-Hant": "未知的語言 {language!r}。請使用下列其中之一:{choices}。",
        "lt": "Nežinoma kalba {language!r}. Naudokite vieną iš: {choices}.",
        "bg": "Неизвестен език {language!r}. Използвайте един от: {choices}.",
    },
    # ------------------------------------------------------------------------------------------
    # Command line
    # ------------------------------------------------------------------------------------------
    "cli_summary_title": {
        "en": "NPS summary",
        "zh-Hans": "NPS 摘要",
        "zh-Hant": "NPS 摘要",
        "lt": "NPS suvestinė",
        "bg": "Обобщение на NPS",
    },
    "cli_written": {
        "en": "Report written to {path}",
        "zh-Hans": "报告已写入 {path}",
        "zh-Hant": "報告已寫入 {path}",
        "lt": "Ataskaita įrašyta: {path}",
        "bg": "Отчетът е записан в {path}",
    },
    "cli_exists": {
        "en": "{path} exists; pass --force to overwrite",
        "zh-Hans": "{path} 已存在;如需覆盖,请加上 --force",
        "zh-Hant": "{path} 已存在;若要覆寫,請加上 --force",
        "lt": "{path} jau yra; norėdami perrašyti, nurodykite --force",
        "bg": "{path} вече съществува; подайте --force, за да го презапишете",
    },
    # ------------------------------------------------------------------------------------------
    # The labelled ends of the 0–10 question, as survey tools print them in each language
    # ("10 - Extremely likely"); scores.py accepts them as answers.
    # ------------------------------------------------------------------------------------------
    "scale_end_high": {
        "en": "Extremely likely",
        "zh-Hans": "极有可能",
        "zh-Hant": "極有可能",
        "lt": "Labai tikėtina",
        "bg": "Много вероятно",
    },
    "scale_end_low": {
        "en": "Not at all likely",
        "zh-Hans": "完全不可能",
        "zh-Hant": "完全不可能",
        "lt": "Visiškai netikėtina",
        "bg": "Изобщо не е вероятно",
    },
    # ------------------------------------------------------------------------------------------
    # Periods: quarters and months
    # ------------------------------------------------------------------------------------------
    "quarter_label": {
        "en": "Q{q} {year}",
        "zh-Hans": "{year}年第{q}季度",
        "zh-Hant": "{year}年第{q}季",
        "lt": "{year} m. {q} ketv.",
        "bg": "Q{q} {year}",
    },
    # {month} is one of month_1 … month_12 in the same language.
    "month_label": {
        "en": "{month} {year}",
        "zh-Hans": "{year}年{month}",
        "zh-Hant": "{year}年{month}",
        "lt": "{year} m. {month}",
        "bg": "{month} {year} г.",
    },
    # Lithuanian and Bulgarian month names are lower case, as they are written mid-sentence.
    "month_1": {
        "en": "January",
        "zh-Hans": "1月",
        "zh-Hant": "1月",
        "lt": "sausis",
        "bg": "януари",
    },
    "month_2": {
        "en": "February",
        "zh-Hans": "2月",
        "zh-Hant": "2月",
        "lt": "vasaris",
        "bg": "февруари",
    },
    "month_3": {
        "en": "March",
        "zh-Hans": "3月",
        "zh-Hant": "3月",
        "lt": "kovas",
        "bg": "март",
    },
    "month_4": {
        "en": "April",
        "zh-Hans": "4月",
        "zh-Hant": "4月",
        "lt": "balandis",
        "bg": "април",
    },
    "month_5": {
        "en": "May",
        "zh-Hans": "5月",
        "zh-Hant": "5月",
        "lt": "gegužė",
        "bg": "май",
    },
    "month_6": {
        "en": "June",
        "zh-Hans": "6月",
        "zh-Hant": "6月",
        "lt": "birželis",
        "bg": "юни",
    },
    "month_7": {
        "en": "July",
        "zh-Hans": "7月",
        "zh-Hant": "7月",
        "lt": "liepa",
        "bg": "юли",
    },
    "month_8": {
        "en": "August",
        "zh-Hans": "8月",
        "zh-Hant": "8月",
        "lt": "rugpjūtis",
        "bg": "август",
    },
    "month_9": {
        "en": "September",
        "zh-Hans": "9月",
        "zh-Hant": "9月",
        "lt": "rugsėjis",
        "bg": "септември",
    },
    "month_10": {
        "en": "October",
        "zh-Hans": "10月",
        "zh-Hant": "10月",
        "lt": "spalis",
        "bg": "октомври",
    },
    "month_11": {
        "en": "November",
        "zh-Hans": "11月",
        "zh-Hant": "11月",
        "lt": "lapkritis",
        "bg": "ноември",
    },
    "month_12": {
        "en": "December",
        "zh-Hans": "12月",
        "zh-Hant": "12月",
        "lt": "gruodis",
        "bg": "декември",
    },
    # ------------------------------------------------------------------------------------------
    # Number and date conventions (choices explained in the module docstring)
    # ------------------------------------------------------------------------------------------
    "decimal_separator": {
        "en": ".",
        "zh-Hans": ".",
        "zh-Hant": ".",
        "lt": ",",
        "bg": ",",
    },
    "thousands_separator": {
        "en": ",",
        "zh-Hans": ",",
        "zh-Hant": ",",
        "lt": "\u00a0",
        "bg": "\u00a0",
    },
    "date_format": {
        "en": "%Y-%m-%d",
        "zh-Hans": "%Y-%m-%d",
        "zh-Hant": "%Y/%m/%d",
        "lt": "%Y-%m-%d",
        "bg": "%d.%m.%Y г.",
    },
    "excel_date_format": {
        "en": "yyyy-mm-dd",
        "zh-Hans": "yyyy-mm-dd",
        "zh-Hant": "yyyy/mm/dd",
        "lt": "yyyy-mm-dd",
        "bg": 'dd.mm.yyyy "г."',
    },
    # --- benchmarks ---
    # Industries of the sourced rows in nps_xl/data/benchmarks.csv that the Benchmarks section
    # above has no key for (XM Institute 2023/2024 and Temkin Group 2014–2018 industry names).
    "industry_grocery": {
        "en": "Grocery",
        "zh-Hans": "食品杂货",
        "zh-Hant": "生鮮雜貨",
        "lt": "Maisto prekių parduotuvės",
        "bg": "Хранителни магазини",
    },
    "industry_streaming_media": {
        "en": "Streaming media",
        "zh-Hans": "流媒体",
        "zh-Hant": "串流媒體",
        "lt": "Srautinės transliacijos",
        "bg": "Стрийминг услуги",
    },
    "industry_consumer_payments": {
        "en": "Consumer payments",
        "zh-Hans": "消费者支付",
        "zh-Hant": "消費者支付",
        "lt": "Vartotojų mokėjimai",
        "bg": "Потребителски плащания",
    },
    "industry_car_rental": {
        "en": "Car rental",
        "zh-Hans": "汽车租赁",
        "zh-Hant": "租車",
        "lt": "Automobilių nuoma",
        "bg": "Коли под наем",
    },
    "industry_tv_internet_providers": {
        "en": "TV and internet service providers",
        "zh-Hans": "电视和互联网服务提供商",
        "zh-Hant": "電視與網路服務供應商",
        "lt": "Televizijos ir interneto paslaugų teikėjai",
        "bg": "Доставчици на телевизия и интернет",
    },
    "industry_auto_dealers": {
        "en": "Auto dealers",
        "zh-Hans": "汽车经销商",
        "zh-Hant": "汽車經銷商",
        "lt": "Automobilių prekybos atstovai",
        "bg": "Автомобилни дилъри",
    },
    # ------------------------------------------------------------------------------------------
    # Workbook (nps_xl/workbook): Dashboard notes, data validation messages, About sheet
    # ------------------------------------------------------------------------------------------
    "wb_title": {
        "en": "Net Promoter Score dashboard",
        "zh-Hans": "净推荐值(NPS)仪表板",
        "zh-Hant": "淨推薦值(NPS)儀表板",
        "lt": "Net Promoter Score (NPS) suvestinė",
        "bg": "Табло на Net Promoter Score (NPS)",
    },
    "wb_formula_note": {
        "en": "Every figure here is an Excel formula over the Responses table: add or change "
        "answers and it updates. Type your target in the yellow cell.",
        "zh-Hans": "此处每个数字都是基于 Responses 表的 Excel 公式:添加或修改回答后会自动更新。"
        "请在黄色单元格中输入您的目标值。",
        "zh-Hant": "此處每個數字都是根據 Responses 表的 Excel 公式:新增或修改回答後會自動更新。"
        "請在黃色儲存格中輸入您的目標值。",
        "lt": "Kiekvienas skaičius čia yra Excel formulė, skaičiuojama iš lentelės Responses: "
        "pridėkite ar pakeiskite atsakymus ir jis atsinaujins. "
        "Tikslą įrašykite geltoname langelyje.",
        "bg": "Всяко число тук е формула на Excel върху таблицата Responses: добавете или "
        "променете отговори и то се обновява. Въведете целта си в жълтата клетка.",
    },
    "wb_aggregates_only": {
        "en": "Answers not embedded (aggregates-only report): the figures are values computed "
        "by nps-xl.",
        "zh-Hans": "未嵌入回答(仅汇总报告):这些数字是 nps-xl 计算出的数值。",
        "zh-Hant": "未嵌入回答(僅彙總報告):這些數字是 nps-xl 計算出的數值。",
        "lt": "Atsakymai neįterpti (tik suvestinė): skaičiai yra nps-xl apskaičiuotos reikšmės.",
        "bg": "Отговорите не са включени (само обобщен отчет): числата са стойности, "
        "изчислени от nps-xl.",
    },
    "wb_z": {
        "en": "z (normal quantile)",
        "zh-Hans": "z(正态分位数)",
        "zh-Hant": "z(常態分位數)",
        "lt": "z (normaliojo skirstinio kvantilis)",
        "bg": "z (квантил на нормалното разпределение)",
    },
    "wb_row": {"en": "Row", "zh-Hans": "行", "zh-Hant": "列", "lt": "Eilutė", "bg": "Ред"},
    "wb_band_from": {
        "en": "NPS from",
        "zh-Hans": "NPS 下限",
        "zh-Hant": "NPS 下限",
        "lt": "NPS nuo",
        "bg": "NPS от",
    },
    "wb_benchmark_title": {
        "en": "Compared with the benchmark: {industry}",
        "zh-Hans": "与基准比较:{industry}",
        "zh-Hant": "與基準比較:{industry}",
        "lt": "Palyginimas su etalonu: {industry}",
        "bg": "Сравнение с еталона: {industry}",
    },
    "wb_score_input_title": {
        "en": "Score 0–10",
        "zh-Hans": "评分 0–10",
        "zh-Hant": "評分 0–10",
        "lt": "Balas 0–10",
        "bg": "Оценка 0–10",
    },
    "wb_score_input_message": {
        "en": "How likely is the customer to recommend us? A whole number from 0 (not at all "
        "likely) to 10 (extremely likely).",
        "zh-Hans": "客户向他人推荐我们的可能性有多大?"
        "请输入 0(完全不可能)到 10(极有可能)之间的整数。",
        "zh-Hant": "客戶向他人推薦我們的可能性有多大?"
        "請輸入 0(完全不可能)到 10(極有可能)之間的整數。",
        "lt": "Kiek tikėtina, kad klientas mus rekomenduos? Sveikasis skaičius nuo 0 (visiškai "
        "netikėtina) iki 10 (labai tikėtina).",
        "bg": "Колко вероятно е клиентът да ни препоръча? Цяло число от 0 (никак не е вероятно) "
        "до 10 (много вероятно).",
    },
    "wb_score_error_title": {
        "en": "Not a score 0–10",
        "zh-Hans": "不是 0–10 的评分",
        "zh-Hant": "不是 0–10 的評分",
        "lt": "Ne 0–10 balas",
        "bg": "Не е оценка 0–10",
    },
    "wb_score_error_message": {
        "en": "Enter a whole number from 0 to 10, or leave the cell blank if the customer "
        "skipped the question.",
        "zh-Hans": "请输入 0 到 10 之间的整数;如果客户跳过了该问题,请将单元格留空。",
        "zh-Hant": "請輸入 0 到 10 之間的整數;如果客戶跳過了該問題,請將儲存格留空。",
        "lt": "Įveskite sveikąjį skaičių nuo 0 iki 10 arba palikite langelį tuščią, jei klientas "
        "praleido klausimą.",
        "bg": "Въведете цяло число от 0 до 10 или оставете клетката празна, ако клиентът е "
        "пропуснал въпроса.",
    },
    "wb_target_message": {
        "en": "Type your target NPS (−100 to 100).",
        "zh-Hans": "输入您的目标 NPS(−100 到 100)。",
        "zh-Hant": "輸入您的目標 NPS(−100 到 100)。",
        "lt": "Įrašykite tikslinį NPS (nuo −100 iki 100).",
        "bg": "Въведете целевия NPS (от −100 до 100).",
    },
    "wb_status_message": {
        "en": "Write what was done (contacted, solved …). Kept across refreshes.",
        "zh-Hans": "记录已采取的行动(已联系、已解决……)。刷新后仍会保留。",
        "zh-Hant": "記錄已採取的行動(已聯絡、已解決……)。重新整理後仍會保留。",
        "lt": "Įrašykite, kas padaryta (susisiekta, išspręsta …). Išlieka atnaujinus.",
        "bg": "Запишете какво е направено (свързахме се, решено …). Запазва се при обновяване.",
    },
    "wb_no_invalid": {
        "en": "No invalid answers.",
        "zh-Hans": "没有无效回答。",
        "zh-Hant": "沒有無效回答。",
        "lt": "Netinkamų atsakymų nėra.",
        "bg": "Няма невалидни отговори.",
    },
    "wb_about_title": {
        "en": "How the numbers are computed",
        "zh-Hans": "数字的计算方法",
        "zh-Hant": "數字的計算方法",
        "lt": "Kaip apskaičiuojami skaičiai",
        "bg": "Как се изчисляват числата",
    },
    "wb_about_categories": {
        "en": "Promoters answer 9–10, passives 7–8, detractors 0–6. NPS = % promoters − % "
        "detractors, from −100 to 100 (Reichheld 2003).",
        "zh-Hans": "推荐者打 9–10 分,被动者 7–8 分,反对者 0–6 分。NPS = 推荐者百分比 − "
        "反对者百分比,范围 −100 到 100(Reichheld 2003)。",
        "zh-Hant": "推薦型打 9–10 分,被動型 7–8 分,批評型 0–6 分。NPS = 推薦型百分比 − "
        "批評型百分比,範圍 −100 到 100(Reichheld 2003)。",
        "lt": "Šalininkai atsako 9–10, pasyvūs 7–8, kritikai 0–6. NPS = šalininkų % − kritikų %, "
        "nuo −100 iki 100 (Reichheld 2003).",
        "bg": "Защитниците отговарят 9–10, пасивните 7–8, критиците 0–6. NPS = % защитници − % "
        "критици, от −100 до 100 (Reichheld 2003).",
    },
    "wb_about_margin": {
        "en": "Margin of error: adjusted-Wald interval — add ¾ detractor, 1½ passive and ¾ "
        "promoter, then ± z·√(V/(n+3)) with V = p + d − (p − d)² (Rocks 2016; MeasuringU 2021).",
        "zh-Hans": "误差范围:调整 Wald 区间——加入 ¾ 个反对者、1½ 个被动者和 ¾ 个推荐者,"
        "然后 ± z·√(V/(n+3)),其中 V = p + d − (p − d)²(Rocks 2016;MeasuringU 2021)。",
        "zh-Hant": "誤差範圍:調整 Wald 區間——加入 ¾ 個批評型、1½ 個被動型和 ¾ 個推薦型,"
        "然後 ± z·√(V/(n+3)),其中 V = p + d − (p − d)²(Rocks 2016;MeasuringU 2021)。",
        "lt": "Paklaidos riba: pakoreguotas Waldo intervalas — pridedama ¾ kritiko, 1½ pasyvaus "
        "ir ¾ šalininko, tada ± z·√(V/(n+3)), kur V = p + d − (p − d)² (Rocks 2016; "
        "MeasuringU 2021).",
        "bg": "Граница на грешката: коригиран интервал на Wald — добавят се ¾ критик, 1½ пасивен "
        "и ¾ защитник, след това ± z·√(V/(n+3)), където V = p + d − (p − d)² (Rocks 2016; "
        "MeasuringU 2021).",
    },
    "wb_about_trend": {
        "en": "Trend and segments: each period or group has its own interval; a change or "
        "difference is significant when its two-sample test gives p < 1 − confidence. Groups "
        "with fewer than 30 answers are marked as small samples.",
        "zh-Hans": "趋势和细分:每个期间或分组都有自己的区间;当双样本检验的 p < 1 − 置信水平时,"
        "变化或差值即为显著。回答少于 30 个的分组标记为样本量小。",
        "zh-Hant": "趨勢和細分:每個期間或分組都有自己的區間;當雙樣本檢定的 p < 1 − 信賴水準時,"
        "變化或差值即為顯著。回答少於 30 個的分組標記為樣本數小。",
        "lt": "Tendencija ir segmentai: kiekvienas laikotarpis ar grupė turi savo intervalą; "
        "pokytis ar skirtumas reikšmingas, kai dviejų imčių testo p < 1 − pasikliovimo lygmuo. "
        "Grupės, turinčios mažiau nei 30 atsakymų, pažymimos kaip maža imtis.",
        "bg": "Тенденция и сегменти: всеки период или група има собствен интервал; промяна или "
        "разлика е значима, когато тестът за две извадки дава p < 1 − ниво на доверие. Групи с "
        "по-малко от 30 отговора са отбелязани като малка извадка.",
    },
    "wb_about_bands": {
        "en": "Bands and benchmarks: see the {sheet} sheet; every figure carries its source "
        "and year.",
        "zh-Hans": "等级和基准:见“{sheet}”工作表;每个数字都注明了来源和年份。",
        "zh-Hant": "等級和基準:見「{sheet}」工作表;每個數字都註明了來源和年份。",
        "lt": "Lygiai ir etalonai: žr. lapą „{sheet}“; prie kiekvieno skaičiaus nurodytas "
        "šaltinis ir metai.",
        "bg": "Нива и еталони: вижте листа „{sheet}“; всяко число е с източник и година.",
    },
    "wb_about_invalid": {
        "en": "Blank and invalid answers are counted, never dropped silently; invalid ones are "
        "listed with their row on the {sheet} sheet.",
        "zh-Hans": "空白和无效回答都会被计数,绝不会被悄悄丢弃;"
        "无效回答及其行号列在“{sheet}”工作表中。",
        "zh-Hant": "空白和無效回答都會被計數,絕不會被悄悄捨棄;"
        "無效回答及其列號列在「{sheet}」工作表中。",
        "lt": "Tušti ir netinkami atsakymai suskaičiuojami, niekada tyliai neatmetami; netinkami "
        "išvardyti su eilutės numeriu lape „{sheet}“.",
        "bg": "Празните и невалидните отговори се броят и никога не се пропускат тихо; "
        "невалидните са изброени с реда си в листа „{sheet}“.",
    },
    "wb_about_refresh": {
        "en": "Dashboard figures are Excel formulas; the other sheets are written by nps-xl "
        "(the NPS ribbon button or the nps-xl report command) and refreshed the same way.",
        "zh-Hans": "仪表板上的数字是 Excel 公式;其他工作表由 nps-xl 写入(NPS 功能区按钮或 "
        "nps-xl report 命令),并以同样方式刷新。",
        "zh-Hant": "儀表板上的數字是 Excel 公式;其他工作表由 nps-xl 寫入(NPS 功能區按鈕或 "
        "nps-xl report 命令),並以同樣方式重新整理。",
        "lt": "Suvestinės skaičiai yra Excel formulės; kitus lapus įrašo nps-xl (juostelės "
        "mygtukas NPS arba komanda nps-xl report) ir jie atnaujinami taip pat.",
        "bg": "Числата в таблото са формули на Excel; останалите листове се записват от nps-xl "
        "(бутонът NPS на лентата или командата nps-xl report) и се обновяват по същия начин.",
    },
    # ------------------------------------------------------------------------------------------
    # Excel functions (nps_xl/excel/udfs.py): NPS_BY and NPS_TEST headers
    # ------------------------------------------------------------------------------------------
    "promoter_share": {
        "en": "Promoter share",
        "zh-Hans": "推荐者占比",
        "zh-Hant": "推薦型占比",
        "lt": "Šalininkų dalis",
        "bg": "Дял на защитниците",
    },
    "passive_share": {
        "en": "Passive share",
        "zh-Hans": "被动者占比",
        "zh-Hant": "被動型占比",
        "lt": "Pasyviųjų dalis",
        "bg": "Дял на пасивните",
    },
    "detractor_share": {
        "en": "Detractor share",
        "zh-Hans": "反对者占比",
        "zh-Hant": "批評型占比",
        "lt": "Kritikų dalis",
        "bg": "Дял на критиците",
    },
    "nps_a": {
        "en": "NPS A",
        "zh-Hans": "NPS A",
        "zh-Hant": "NPS A",
        "lt": "NPS A",
        "bg": "NPS A",
    },
    "nps_b": {
        "en": "NPS B",
        "zh-Hans": "NPS B",
        "zh-Hant": "NPS B",
        "lt": "NPS B",
        "bg": "NPS B",
    },
    # ------------------------------------------------------------------------------------------
    # The NPS ribbon (nps_xl/excel/addin.py, nps_xl/excel/refresh.py): the tab of nps_xl.xlam,
    # `nps-xl addin` messages and the status message of the Refresh report button.
    # "Responses" is the Excel Table name and stays as typed in every language.
    # ------------------------------------------------------------------------------------------
    "ribbon_group": {
        "en": "Report",
        "zh-Hans": "报告",
        "zh-Hant": "報告",
        "lt": "Ataskaita",
        "bg": "Отчет",
    },
    "ribbon_refresh": {
        "en": "Refresh report",
        "zh-Hans": "刷新报告",
        "zh-Hant": "重新整理報告",
        "lt": "Atnaujinti ataskaitą",
        "bg": "Обнови отчета",
    },
    "ribbon_refresh_screentip": {
        "en": "Refresh the NPS report",
        "zh-Hans": "刷新 NPS 报告",
        "zh-Hant": "重新整理 NPS 報告",
        "lt": "Atnaujinti NPS ataskaitą",
        "bg": "Обновяване на NPS отчета",
    },
    "ribbon_refresh_supertip": {
        "en": "Reads the Responses table of this workbook and rewrites the report sheets. Your "
        "own sheets, the answers and the Status notes you typed stay as they are. In a workbook "
        "without a Responses table the first click adds the Responses sheet and the report "
        "sheets.",
        "zh-Hans": "读取此工作簿的 Responses 表并重写报告工作表。您自己的工作表、回答以及您输入的"
        "状态备注保持不变。在没有 Responses 表的工作簿中,第一次点击会添加回答工作表和报告工作表。",
        "zh-Hant": "讀取此活頁簿的 Responses 表並重寫報告工作表。您自己的工作表、回覆以及您輸入的"
        "狀態備註保持不變。在沒有 Responses 表的活頁簿中,第一次點選會新增回覆工作表和報告工作表。",
        "lt": "Nuskaito šios knygos lentelę Responses ir perrašo ataskaitos lapus. Jūsų pačių "
        "lapai, atsakymai ir įrašytos būsenos pastabos lieka nepakeisti. Knygoje be lentelės "
        "Responses pirmas paspaudimas prideda atsakymų lapą ir ataskaitos lapus.",
        "bg": "Чете таблицата Responses на тази работна книга и презаписва листовете на отчета. "
        "Вашите листове, отговорите и въведените бележки за статус остават непроменени. В "
        "работна книга без таблица Responses първото щракване добавя листа с отговорите и "
        "листовете на отчета.",
    },
    "addin_built": {
        "en": "Built {path} from xlwings {version}.",
        "zh-Hans": "已根据 xlwings {version} 生成 {path}。",
        "zh-Hant": "已根據 xlwings {version} 產生 {path}。",
        "lt": "Sukurtas {path} (xlwings {version}).",
        "bg": "Създаден е {path} (xlwings {version}).",
    },
    "addin_installed": {
        "en": "Installed the NPS add-in: {path}. Restart Excel; the NPS tab appears on the ribbon.",
        "zh-Hans": "已安装 NPS 加载项:{path}。请重新启动 Excel,功能区上会出现 NPS 选项卡。",
        "zh-Hant": "已安裝 NPS 增益集:{path}。請重新啟動 Excel,功能區上會出現 NPS 索引標籤。",
        "lt": "NPS papildinys įdiegtas: {path}. Paleiskite Excel iš naujo; juostelėje atsiras "
        "skirtukas NPS.",
        "bg": "Добавката NPS е инсталирана: {path}. Рестартирайте Excel; разделът NPS ще се появи "
        "на лентата.",
    },
    "addin_interpreter": {
        "en": "The Refresh report button runs the Python at {interpreter}.",
        "zh-Hans": "“刷新报告”按钮使用此 Python:{interpreter}。",
        "zh-Hant": "「重新整理報告」按鈕使用此 Python:{interpreter}。",
        "lt": "Mygtukas „Atnaujinti ataskaitą“ paleidžia Python: {interpreter}.",
        "bg": "Бутонът „Обнови отчета“ стартира Python от {interpreter}.",
    },
    "addin_applescript": {
        "en": "Installed the AppleScript that RunPython needs on macOS: {path}.",
        "zh-Hans": "已安装 macOS 上 RunPython 所需的 AppleScript:{path}。",
        "zh-Hant": "已安裝 macOS 上 RunPython 所需的 AppleScript:{path}。",
        "lt": "Įdiegtas AppleScript, kurio RunPython reikia macOS: {path}.",
        "bg": "Инсталиран е AppleScript, нужен на RunPython под macOS: {path}.",
    },
    "addin_needs_excel": {
        "en": "The NPS add-in needs desktop Excel on Windows or macOS; this system ({system}) has "
        "none. Run `nps-xl addin build` and install the file on a computer with Excel, or use "
        "xlwings Lite or xlwings Server in Excel on the web.",
        "zh-Hans": "NPS 加载项需要 Windows 或 macOS 上的桌面版 Excel;此系统({system})没有。"
        "请运行 `nps-xl addin build` 并在装有 Excel 的计算机上安装该文件,或在 Excel 网页版中使用 "
        "xlwings Lite 或 xlwings Server。",
        "zh-Hant": "NPS 增益集需要 Windows 或 macOS 上的桌面版 Excel;此系統({system})沒有。"
        "請執行 `nps-xl addin build` 並在裝有 Excel 的電腦上安裝該檔案,或在 Excel 網頁版中使用 "
        "xlwings Lite 或 xlwings Server。",
        "lt": "NPS papildiniui reikia stalinio Excel (Windows arba macOS); ši sistema ({system}) "
        "jo neturi. Paleiskite `nps-xl addin build` ir įdiekite failą kompiuteryje su Excel "
        "arba naudokite xlwings Lite ar xlwings Server žiniatinklio Excel.",
        "bg": "Добавката NPS изисква настолен Excel под Windows или macOS; тази система ({system}) "
        "няма такъв. Изпълнете `nps-xl addin build` и инсталирайте файла на компютър с Excel или "
        "използвайте xlwings Lite или xlwings Server в Excel за уеб.",
    },
    "addin_locked": {
        "en": "Could not write {path} ({reason}). If Excel is running, quit it and run "
        "`nps-xl addin install` again.",
        "zh-Hans": "无法写入 {path}({reason})。如果 Excel 正在运行,请退出后再次运行 "
        "`nps-xl addin install`。",
        "zh-Hant": "無法寫入 {path}({reason})。如果 Excel 正在執行,請結束後再次執行 "
        "`nps-xl addin install`。",
        "lt": "Nepavyko įrašyti {path} ({reason}). Jei Excel veikia, uždarykite jį ir vėl "
        "paleiskite `nps-xl addin install`.",
        "bg": "{path} не може да бъде записан ({reason}). Ако Excel работи, затворете го и "
        "изпълнете отново `nps-xl addin install`.",
    },
    "addin_no_template": {
        "en": "The installed xlwings {version} has no {file}. Reinstall xlwings and try again.",
        "zh-Hans": "已安装的 xlwings {version} 中没有 {file}。请重新安装 xlwings 后再试。",
        "zh-Hant": "已安裝的 xlwings {version} 中沒有 {file}。請重新安裝 xlwings 後再試。",
        "lt": "Įdiegtame xlwings {version} nėra {file}. Įdiekite xlwings iš naujo ir bandykite "
        "dar kartą.",
        "bg": "Инсталираният xlwings {version} няма {file}. Инсталирайте отново xlwings и "
        "опитайте пак.",
    },
    "refresh_set_up": {
        "en": "Set up this workbook: added the sheets {sheets}. Paste your answers into the "
        "Responses table and click Refresh report again.",
        "zh-Hans": "已设置此工作簿:添加了工作表 {sheets}。请将回答粘贴到 Responses 表中,"
        "然后再次点击“刷新报告”。",
        "zh-Hant": "已設定此活頁簿:新增了工作表 {sheets}。請將回覆貼到 Responses 表中,"
        "然後再次點選「重新整理報告」。",
        "lt": "Knyga paruošta: pridėti lapai {sheets}. Įklijuokite atsakymus į lentelę "
        "Responses ir vėl spustelėkite „Atnaujinti ataskaitą“.",
        "bg": "Работната книга е подготвена: добавени са листовете {sheets}. Поставете "
        "отговорите в таблицата Responses и щракнете отново „Обнови отчета“.",
    },
    "refresh_done": {
        "en": "Report refreshed from {n} valid answers (NPS {nps}).",
        "zh-Hans": "报告已根据 {n} 个有效回答刷新(NPS {nps})。",
        "zh-Hant": "報告已根據 {n} 個有效回覆重新整理(NPS {nps})。",
        "lt": "Ataskaita atnaujinta (galiojančių atsakymų: {n}; NPS {nps}).",
        "bg": "Отчетът е обновен (валидни отговори: {n}; NPS {nps}).",
    },
    "refresh_no_answers": {
        "en": "Report refreshed: the Responses table has no valid answers yet.",
        "zh-Hans": "报告已刷新:Responses 表中还没有有效回答。",
        "zh-Hant": "報告已重新整理:Responses 表中還沒有有效回覆。",
        "lt": "Ataskaita atnaujinta: lentelėje Responses dar nėra galiojančių atsakymų.",
        "bg": "Отчетът е обновен: в таблицата Responses още няма валидни отговори.",
    },
    "refresh_invalid": {
        "en": "Skipped invalid answers ({invalid}); they are listed on the sheet {sheet}.",
        "zh-Hans": "已跳过无效回答({invalid} 个);它们列在工作表 {sheet} 中。",
        "zh-Hant": "已略過無效回覆({invalid} 個);它們列在工作表 {sheet} 中。",
        "lt": "Praleisti netinkami atsakymai ({invalid}); jie išvardyti lape {sheet}.",
        "bg": "Пропуснати невалидни отговори ({invalid}); изброени са в листа {sheet}.",
    },
    # ------------------------------------------------------------------------------------------
    # Command line summary (nps_xl/cli.py): the lines under the summary table.
    # ------------------------------------------------------------------------------------------
    "cli_left_out": {
        "en": "{count} left out",
        "zh-Hans": "已排除 {count} 个",
        "zh-Hant": "已排除 {count} 個",
        "lt": "neįskaityta: {count}",
        "bg": "изключени: {count}",
    },
    "cli_value_in_row": {
        "en": "{value} in row {row}",
        "zh-Hans": "第 {row} 行:{value}",
        "zh-Hant": "第 {row} 列:{value}",
        "lt": "{value} ({row} eilutė)",
        "bg": "{value} (ред {row})",
    },
    "cli_and_more": {
        "en": "and {count} more",
        "zh-Hans": "另有 {count} 个",
        "zh-Hant": "另有 {count} 個",
        "lt": "ir dar {count}",
        "bg": "и още {count}",
    },
    "cli_latest_per_customer": {
        "en": "Kept each customer's latest answer: {count} earlier answers left out.",
        "zh-Hans": "每位客户只保留最新一次回答:已排除 {count} 个较早的回答。",
        "zh-Hant": "每位客戶只保留最新一次回覆:已排除 {count} 個較早的回覆。",
        "lt": "Paliktas naujausias kiekvieno kliento atsakymas; neįskaityta ankstesnių: {count}.",
        "bg": "Запазен е последният отговор на всеки клиент; изключени по-ранни: {count}.",
    },
    "cli_note": {
        "en": "Note",
        "zh-Hans": "注意",
        "zh-Hant": "注意",
        "lt": "Pastaba",
        "bg": "Бележка",
    },
    "cli_columns": {
        "en": "Columns",
        "zh-Hans": "所用列",
        "zh-Hant": "所用欄",
        "lt": "Stulpeliai",
        "bg": "Колони",
    },
    "cli_interval": {
        "en": "{confidence} CI",
        "zh-Hans": "{confidence} 置信区间",
        "zh-Hant": "{confidence} 信賴區間",
        "lt": "{confidence} PI",
        "bg": "{confidence} ДИ",
    },
    "cli_weighted_n": {
        "en": "weighted n {n}, effective n {effective}",
        "zh-Hans": "加权 n {n},有效 n {effective}",
        "zh-Hant": "加權 n {n},有效 n {effective}",
        "lt": "svertinis n {n}, efektyvusis n {effective}",
        "bg": "претеглено n {n}, ефективно n {effective}",
    },
    # ------------------------------------------------------------------------------------------
    # Ribbon first click (nps_xl/excel/refresh.py): where the engine cannot add an Excel Table.
    # ------------------------------------------------------------------------------------------
    "refresh_own_sheet": {
        "en": "The sheet {sheet} is not a report sheet, so it was left as it is; the report "
        "table is on {used}.",
        "zh-Hans": "工作表 {sheet} 不是报告工作表,因此未作改动;报告表位于 {used}。",
        "zh-Hant": "工作表 {sheet} 不是報告工作表,因此未作變更;報告表位於 {used}。",
        "lt": "Lapas {sheet} nėra ataskaitos lapas, todėl paliktas nepakeistas; ataskaitos "
        "lentelė yra lape {used}.",
        "bg": "Листът {sheet} не е лист на отчета, затова е оставен непроменен; таблицата на "
        "отчета е в {used}.",
    },
    "refresh_no_table": {
        "en": "This Excel cannot add tables from Python: on the sheet {sheet}, select A1:D2, "
        "choose Insert > Table (with headers) and name the table Responses.",
        "zh-Hans": "此 Excel 无法从 Python 添加表格:请在工作表 {sheet} 中选中 A1:D2,"
        "选择“插入 > 表格”(包含标题),并将表命名为 Responses。",
        "zh-Hant": "此 Excel 無法從 Python 新增表格:請在工作表 {sheet} 中選取 A1:D2,"
        "選擇「插入 > 表格」(含標題),並將表格命名為 Responses。",
        "lt": "Ši Excel negali pridėti lentelių iš Python: lape {sheet} pažymėkite A1:D2, "
        "pasirinkite Įterpti > Lentelė (su antraštėmis) ir pavadinkite lentelę Responses.",
        "bg": "Този Excel не може да добавя таблици от Python: в листа {sheet} маркирайте "
        "A1:D2, изберете Вмъкване > Таблица (със заглавки) и наименувайте таблицата Responses.",
    },
    # ------------------------------------------------------------------------------------------
    # Command line output and errors (nps_xl/cli.py, io.py, scores.py, excel/conversion.py,
    # excel/udfs.py, numbers.py). Errors carry one of these keys (nps_xl.i18n.LocalizedError);
    # the English text of an error is its Python message, these render it in every language.
    # ------------------------------------------------------------------------------------------
    # Number conventions beyond the separators above (CLDR number symbols and patterns): lt
    # writes the percent sign after a no-break space and negative numbers with U+2212; bg groups
    # thousands only from five digits (minimumGroupingDigits 2: 1030 but 10 300).
    "percent_format": {
        "en": "{value}%",
        "zh-Hans": "{value}%",
        "zh-Hant": "{value}%",
        "lt": "{value}\u00a0%",
        "bg": "{value}%",
    },
    "minimum_grouping_digits": {
        "en": "1",
        "zh-Hans": "1",
        "zh-Hant": "1",
        "lt": "1",
        "bg": "2",
    },
    "minus_sign": {
        "en": "-",
        "zh-Hans": "-",
        "zh-Hant": "-",
        "lt": "\u2212",
        "bg": "-",
    },
    # Interval methods (nps_xl.stats.INTERVAL_METHODS), as the summary line names them.
    "method_adjusted_wald": {
        "en": "adjusted Wald",
        "zh-Hans": "调整 Wald 法",
        "zh-Hant": "調整 Wald 法",
        "lt": "pakoreguotas Waldo metodas",
        "bg": "коригиран метод на Валд",
    },
    "method_wald": {
        "en": "Wald",
        "zh-Hans": "Wald 法",
        "zh-Hant": "Wald 法",
        "lt": "Waldo metodas",
        "bg": "метод на Валд",
    },
    "method_score": {
        "en": "score (Wilson)",
        "zh-Hans": "得分法(Wilson)",
        "zh-Hant": "分數法(Wilson)",
        "lt": "Wilsono metodas",
        "bg": "метод на Уилсън",
    },
    "method_bootstrap": {
        "en": "bootstrap",
        "zh-Hans": "自助法",
        "zh-Hant": "自助法",
        "lt": "savirankos metodas",
        "bg": "бутстрап",
    },
    # Column roles in the "Columns: score ← 'Score'" line (score, date, comment, response_id
    # and segment use the table-header keys above).
    "cli_role_customer": {
        "en": "Customer",
        "zh-Hans": "客户",
        "zh-Hant": "客戶",
        "lt": "Klientas",
        "bg": "Клиент",
    },
    "cli_role_weight": {
        "en": "Weight",
        "zh-Hans": "权重",
        "zh-Hant": "權重",
        "lt": "Svoris",
        "bg": "Тегло",
    },
    # The compact tables under the summary.
    "cli_trend_title": {
        "en": "Trend (last {shown} of {total} periods)",
        "zh-Hans": "趋势(最近 {shown} 个周期,共 {total} 个)",
        "zh-Hant": "趨勢(最近 {shown} 個期間,共 {total} 個)",
        "lt": "Tendencija (paskutiniai laikotarpiai: {shown} iš {total})",
        "bg": "Тенденция (последните {shown} от {total} периода)",
    },
    "cli_segments_title": {
        "en": "Segments (by impact on the NPS)",
        "zh-Hans": "细分(按对 NPS 的影响排序)",
        "zh-Hant": "區隔(依對 NPS 的影響排序)",
        "lt": "Segmentai (pagal poveikį NPS)",
        "bg": "Сегменти (по въздействие върху NPS)",
    },
    "cli_themes_title": {
        "en": "Themes (top {count} by mentions)",
        "zh-Hans": "主题(提及次数最多的前 {count} 个)",
        "zh-Hant": "主題(提及次數最多的前 {count} 個)",
        "lt": "Temos ({count} dažniausiai minimos)",
        "bg": "Теми (първите {count} по брой споменавания)",
    },
    "cli_table_legend": {
        "en": "* significant at {confidence}; ! fewer than {min_n} answers",
        "zh-Hans": "* 在 {confidence} 水平上显著;! 回答少于 {min_n} 个",
        "zh-Hant": "* 在 {confidence} 水準上顯著;! 回覆少於 {min_n} 個",
        "lt": "* reikšminga ({confidence}); ! mažiau nei {min_n} atsakymų",
        "bg": "* значимо при {confidence}; ! под {min_n} отговора",
    },
    # The shipped theme list (nps_xl/data/themes.csv) names its themes by these ids.
    "theme_price": {
        "en": "Price",
        "zh-Hans": "价格",
        "zh-Hant": "價格",
        "lt": "Kaina",
        "bg": "Цена",
    },
    "theme_support": {
        "en": "Support",
        "zh-Hans": "客服支持",
        "zh-Hant": "客服支援",
        "lt": "Aptarnavimas",
        "bg": "Поддръжка",
    },
    "theme_quality": {
        "en": "Quality",
        "zh-Hans": "质量",
        "zh-Hant": "品質",
        "lt": "Kokybė",
        "bg": "Качество",
    },
    "theme_delivery": {
        "en": "Delivery",
        "zh-Hans": "配送",
        "zh-Hant": "配送",
        "lt": "Pristatymas",
        "bg": "Доставка",
    },
    "theme_usability": {
        "en": "Ease of use",
        "zh-Hans": "易用性",
        "zh-Hant": "易用性",
        "lt": "Patogumas",
        "bg": "Лесна употреба",
    },
    # --- command line errors ---
    "cli_not_xlsx": {
        "en": "The report is an Excel workbook: name it ….xlsx, not {name}.",
        "zh-Hans": "报告是 Excel 工作簿:请将其命名为 ….xlsx,而不是 {name}。",
        "zh-Hant": "報告是 Excel 活頁簿:請將其命名為 ….xlsx,而不是 {name}。",
        "lt": "Ataskaita yra Excel knyga: pavadinkite ją ….xlsx, o ne {name}.",
        "bg": "Отчетът е работна книга на Excel: наименувайте го ….xlsx, а не {name}.",
    },
    "cli_same_as_input": {
        "en": "{name} is the input file; choose another name for the report.",
        "zh-Hans": "{name} 是输入文件;请为报告另取一个名称。",
        "zh-Hant": "{name} 是輸入檔案;請為報告另取一個名稱。",
        "lt": "{name} yra įvesties failas; pasirinkite kitą ataskaitos pavadinimą.",
        "bg": "{name} е входният файл; изберете друго име за отчета.",
    },
    "cli_no_folder": {
        "en": "The folder {folder} does not exist; create it first.",
        "zh-Hans": "文件夹 {folder} 不存在;请先创建它。",
        "zh-Hant": "資料夾 {folder} 不存在;請先建立它。",
        "lt": "Aplanko {folder} nėra; pirmiausia jį sukurkite.",
        "bg": "Папката {folder} не съществува; първо я създайте.",
    },
    "cli_invalid_score": {
        "en": "{value} in row {row} is not a score on the {scale} scale ({count} invalid in "
        "total). Fix the file, or pass --invalid skip to leave invalid answers out.",
        "zh-Hans": "第 {row} 行的 {value} 不是 {scale} 量表上的有效评分(共 {count} 个无效值)。"
        "请修正文件,或加上 --invalid skip 以排除无效回答。",
        "zh-Hant": "第 {row} 列的 {value} 不是 {scale} 量表上的有效分數(共 {count} 個無效值)。"
        "請修正檔案,或加上 --invalid skip 以排除無效回覆。",
        "lt": "{value} ({row} eilutė) nėra {scale} skalės balas (iš viso netinkamų: {count}). "
        "Pataisykite failą arba nurodykite --invalid skip, kad netinkami atsakymai būtų "
        "praleisti.",
        "bg": "{value} (ред {row}) не е оценка по скалата {scale} (общо невалидни: {count}). "
        "Поправете файла или подайте --invalid skip, за да изключите невалидните отговори.",
    },
    "cli_no_valid": {
        "en": "The column {column!r} has no valid answer ({blank} blank, {invalid} invalid). "
        "Pass --score with the column that holds the 0–10 answers.",
        "zh-Hans": "列 {column!r} 中没有有效回答({blank} 个空白,{invalid} 个无效)。"
        "请用 --score 指定包含 0–10 评分的列。",
        "zh-Hant": "欄 {column!r} 中沒有有效回覆({blank} 個空白,{invalid} 個無效)。"
        "請用 --score 指定包含 0–10 分數的欄。",
        "lt": "Stulpelyje {column!r} nėra tinkamų atsakymų (tuščių: {blank}, netinkamų: "
        "{invalid}). Nurodykite --score su stulpeliu, kuriame yra 0–10 balai.",
        "bg": "Колоната {column!r} няма валидни отговори (празни: {blank}, невалидни: "
        "{invalid}). Подайте --score с колоната, която съдържа оценките 0–10.",
    },
    "cli_unknown_industry": {
        "en": "No benchmark figures for the industry {industry!r}. Known industries: {choices}.",
        "zh-Hans": "没有行业 {industry!r} 的基准数据。已知行业:{choices}。",
        "zh-Hant": "沒有產業 {industry!r} 的基準資料。已知產業:{choices}。",
        "lt": "Pramonės šakos {industry!r} etalonų nėra. Žinomos šakos: {choices}.",
        "bg": "Няма сравнителни данни за отрасъла {industry!r}. Известни отрасли: {choices}.",
    },
    "cli_reading": {
        "en": "Reading {name}",
        "zh-Hans": "正在读取 {name}",
        "zh-Hant": "正在讀取 {name}",
        "lt": "Skaitoma {name}",
        "bg": "Четене на {name}",
    },
    "cli_writing": {
        "en": "Writing {name}",
        "zh-Hans": "正在写入 {name}",
        "zh-Hant": "正在寫入 {name}",
        "lt": "Rašoma {name}",
        "bg": "Записване на {name}",
    },
    "cli_template_written": {
        "en": "wrote {path}",
        "zh-Hans": "已写入 {path}",
        "zh-Hant": "已寫入 {path}",
        "lt": "įrašyta {path}",
        "bg": "записан {path}",
    },
    # --- survey files (nps_xl/io.py) ---
    "error_file_not_found": {
        "en": "{name}: no such file. Check the path.",
        "zh-Hans": "{name}:文件不存在。请检查路径。",
        "zh-Hant": "{name}:檔案不存在。請檢查路徑。",
        "lt": "{name}: tokio failo nėra. Patikrinkite kelią.",
        "bg": "{name}: няма такъв файл. Проверете пътя.",
    },
    "error_file_folder": {
        "en": "{name} is a folder, not a survey file.",
        "zh-Hans": "{name} 是文件夹,不是调查文件。",
        "zh-Hant": "{name} 是資料夾,不是調查檔案。",
        "lt": "{name} yra aplankas, o ne apklausos failas.",
        "bg": "{name} е папка, а не файл с анкета.",
    },
    "error_file_empty": {
        "en": "{name} is empty. Export the survey answers again.",
        "zh-Hans": "{name} 是空文件。请重新导出调查回答。",
        "zh-Hant": "{name} 是空檔案。請重新匯出調查回覆。",
        "lt": "{name} yra tuščias. Eksportuokite apklausos atsakymus iš naujo.",
        "bg": "{name} е празен. Експортирайте отново отговорите от анкетата.",
    },
    "error_file_no_answers": {
        "en": "{name} has no answers (no data rows below the header). Export the survey "
        "answers again.",
        "zh-Hans": "{name} 中没有回答(标题行下方没有数据行)。请重新导出调查回答。",
        "zh-Hant": "{name} 中沒有回覆(標題列下方沒有資料列)。請重新匯出調查回覆。",
        "lt": "{name} neturi atsakymų (po antraštės nėra duomenų eilučių). Eksportuokite "
        "apklausos atsakymus iš naujo.",
        "bg": "{name} няма отговори (под заглавния ред няма редове с данни). Експортирайте "
        "отново отговорите от анкетата.",
    },
    "error_file_kind": {
        "en": "{name} is {kind}, not a survey export. Export the answers as CSV, XLSX or Parquet.",
        "zh-Hans": "{name} 是 {kind},不是调查导出文件。请将回答导出为 CSV、XLSX 或 Parquet。",
        "zh-Hant": "{name} 是 {kind},不是調查匯出檔案。請將回覆匯出為 CSV、XLSX 或 Parquet。",
        "lt": "{name} yra {kind}, o ne apklausos eksportas. Eksportuokite atsakymus kaip CSV, "
        "XLSX arba Parquet.",
        "bg": "{name} е {kind}, а не експорт на анкета. Експортирайте отговорите като CSV, "
        "XLSX или Parquet.",
    },
    "file_kind_image": {
        "en": "a {format} image",
        "zh-Hans": "{format} 图片",
        "zh-Hant": "{format} 圖片",
        "lt": "{format} paveikslėlis",
        "bg": "изображение {format}",
    },
    "file_kind_document": {
        "en": "a {format} document",
        "zh-Hans": "{format} 文档",
        "zh-Hant": "{format} 文件",
        "lt": "{format} dokumentas",
        "bg": "документ {format}",
    },
    "file_kind_archive": {
        "en": "a {format} archive",
        "zh-Hans": "{format} 压缩包",
        "zh-Hant": "{format} 壓縮檔",
        "lt": "{format} archyvas",
        "bg": "архив {format}",
    },
    "file_kind_program": {
        "en": "a program",
        "zh-Hans": "程序",
        "zh-Hant": "程式",
        "lt": "programa",
        "bg": "програма",
    },
    "error_file_not_text": {
        "en": "{name} is not a spreadsheet or a text (CSV) file. Export the answers as CSV, "
        "XLSX or Parquet.",
        "zh-Hans": "{name} 既不是电子表格,也不是文本(CSV)文件。"
        "请将回答导出为 CSV、XLSX 或 Parquet。",
        "zh-Hant": "{name} 既不是試算表,也不是文字(CSV)檔案。請將回覆匯出為 CSV、XLSX 或 Parquet。",
        "lt": "{name} nėra nei skaičiuoklės, nei tekstinis (CSV) failas. Eksportuokite "
        "atsakymus kaip CSV, XLSX arba Parquet.",
        "bg": "{name} не е нито електронна таблица, нито текстов (CSV) файл. Експортирайте "
        "отговорите като CSV, XLSX или Parquet.",
    },
    "error_file_damaged": {
        "en": "{name} is damaged: it starts like an XLSX/ODS file but its zip structure cannot "
        "be read ({detail}). Open it in Excel and save it again.",
        "zh-Hans": "{name} 已损坏:它的开头像 XLSX/ODS 文件,但无法读取其 zip 结构({detail})。"
        "请在 Excel 中打开并重新保存。",
        "zh-Hant": "{name} 已損壞:它的開頭像 XLSX/ODS 檔案,但無法讀取其 zip 結構({detail})。"
        "請在 Excel 中開啟並重新儲存。",
        "lt": "{name} sugadintas: prasideda kaip XLSX/ODS failas, bet jo zip struktūros "
        "nepavyksta perskaityti ({detail}). Atidarykite jį Excel ir įrašykite iš naujo.",
        "bg": "{name} е повреден: започва като файл XLSX/ODS, но zip структурата му не може "
        "да бъде прочетена ({detail}). Отворете го в Excel и го запишете отново.",
    },
    "error_file_unreadable": {
        "en": "{name} cannot be read as a spreadsheet ({detail}). Open it in Excel and save it "
        "again, or export the answers as CSV.",
        "zh-Hans": "无法将 {name} 作为电子表格读取({detail})。请在 Excel 中打开并重新保存,"
        "或将回答导出为 CSV。",
        "zh-Hant": "無法將 {name} 作為試算表讀取({detail})。請在 Excel 中開啟並重新儲存,"
        "或將回覆匯出為 CSV。",
        "lt": "{name} nepavyksta perskaityti kaip skaičiuoklės ({detail}). Atidarykite jį "
        "Excel ir įrašykite iš naujo arba eksportuokite atsakymus kaip CSV.",
        "bg": "{name} не може да бъде прочетен като електронна таблица ({detail}). Отворете "
        "го в Excel и го запишете отново или експортирайте отговорите като CSV.",
    },
    "error_file_zip_total": {
        "en": "{name} refused: it would expand to {size} GB (limit {limit} GB); this looks "
        "like a zip bomb, not a survey export.",
        "zh-Hans": "已拒绝 {name}:解压后将达 {size} GB(上限 {limit} GB);这看起来是 zip "
        "炸弹,而不是调查导出文件。",
        "zh-Hant": "已拒絕 {name}:解壓縮後將達 {size} GB(上限 {limit} GB);這看起來是 zip "
        "炸彈,而不是調查匯出檔案。",
        "lt": "{name} atmestas: išskleistas užimtų {size} GB (riba {limit} GB); tai panašu į "
        "zip bombą, o ne į apklausos eksportą.",
        "bg": "{name} е отхвърлен: би се разширил до {size} GB (лимит {limit} GB); това "
        "прилича на zip бомба, а не на експорт на анкета.",
    },
    "error_file_zip_ratio": {
        "en": "{name} refused: part {part} expands {ratio}× (limit {limit}×); this looks like "
        "a zip bomb, not a survey export.",
        "zh-Hans": "已拒绝 {name}:部件 {part} 解压后膨胀 {ratio} 倍(上限 {limit} 倍);"
        "这看起来是 zip 炸弹,而不是调查导出文件。",
        "zh-Hant": "已拒絕 {name}:部件 {part} 解壓縮後膨脹 {ratio} 倍(上限 {limit} 倍);"
        "這看起來是 zip 炸彈,而不是調查匯出檔案。",
        "lt": "{name} atmestas: dalis {part} išsiskleidžia {ratio}× (riba {limit}×); tai "
        "panašu į zip bombą, o ne į apklausos eksportą.",
        "bg": "{name} е отхвърлен: частта {part} се разширява {ratio}× (лимит {limit}×); "
        "това прилича на zip бомба, а не на експорт на анкета.",
    },
    "error_file_zip_lies": {
        "en": "{name} refused: part {part} inflates beyond the size its zip directory "
        "declares; this looks like a zip bomb, not a survey export.",
        "zh-Hans": "已拒绝 {name}:部件 {part} 解压后超过其 zip 目录声明的大小;"
        "这看起来是 zip 炸弹,而不是调查导出文件。",
        "zh-Hant": "已拒絕 {name}:部件 {part} 解壓縮後超過其 zip 目錄宣告的大小;"
        "這看起來是 zip 炸彈,而不是調查匯出檔案。",
        "lt": "{name} atmestas: dalis {part} išsiskleidžia daugiau, nei nurodyta zip "
        "kataloge; tai panašu į zip bombą, o ne į apklausos eksportą.",
        "bg": "{name} е отхвърлен: частта {part} се разширява повече от размера, обявен в "
        "zip директорията; това прилича на zip бомба, а не на експорт на анкета.",
    },
    "error_file_xml_entities": {
        "en": "{name} refused: part {part} declares XML entities (<!DOCTYPE/<!ENTITY>), which "
        "spreadsheets never need and XML bombs use. Open it in Excel and save it again.",
        "zh-Hans": "已拒绝 {name}:部件 {part} 声明了 XML 实体(<!DOCTYPE/<!ENTITY>),"
        "电子表格从不需要它们,而 XML 炸弹会利用它们。请在 Excel 中打开并重新保存。",
        "zh-Hant": "已拒絕 {name}:部件 {part} 宣告了 XML 實體(<!DOCTYPE/<!ENTITY>),"
        "試算表從不需要它們,而 XML 炸彈會利用它們。請在 Excel 中開啟並重新儲存。",
        "lt": "{name} atmestas: dalis {part} deklaruoja XML esybes (<!DOCTYPE/<!ENTITY>), "
        "kurių skaičiuoklėms niekada nereikia, o XML bombos jas naudoja. Atidarykite failą "
        "Excel ir įrašykite iš naujo.",
        "bg": "{name} е отхвърлен: частта {part} декларира XML единици (<!DOCTYPE/<!ENTITY>), "
        "които електронните таблици никога не използват, а XML бомбите използват. Отворете "
        "го в Excel и го запишете отново.",
    },
    "error_file_no_sheet": {
        "en": "{name} has no sheet {sheet}; its sheets are {sheets}. Pass --sheet with one of "
        "them.",
        "zh-Hans": "{name} 中没有工作表 {sheet};它的工作表有 {sheets}。请用 --sheet 指定其中之一。",
        "zh-Hant": "{name} 中沒有工作表 {sheet};它的工作表有 {sheets}。請用 --sheet 指定其中之一。",
        "lt": "{name} neturi lapo {sheet}; jo lapai: {sheets}. Nurodykite vieną iš jų su --sheet.",
        "bg": "{name} няма лист {sheet}; листовете му са {sheets}. Подайте --sheet с един от тях.",
    },
    "error_file_bad_csv": {
        "en": "{name} is not a well-formed CSV file ({detail}). Check the quoting in that line "
        "or export the answers again.",
        "zh-Hans": "{name} 不是格式正确的 CSV 文件({detail})。请检查该行的引号,或重新导出回答。",
        "zh-Hant": "{name} 不是格式正確的 CSV 檔案({detail})。請檢查該行的引號,或重新匯出回覆。",
        "lt": "{name} nėra taisyklingas CSV failas ({detail}). Patikrinkite kabutes toje "
        "eilutėje arba eksportuokite atsakymus iš naujo.",
        "bg": "{name} не е правилно оформен CSV файл ({detail}). Проверете кавичките в този "
        "ред или експортирайте отговорите отново.",
    },
    "csv_line_fields": {
        "en": "line {line} has {got} fields, the header has {want}",
        "zh-Hans": "第 {line} 行有 {got} 个字段,标题行有 {want} 个",
        "zh-Hant": "第 {line} 行有 {got} 個欄位,標題列有 {want} 個",
        "lt": "{line} eilutėje yra {got} laukai, antraštėje – {want}",
        "bg": "ред {line} има {got} полета, заглавният ред има {want}",
    },
    "error_file_encoding": {
        "en": "{name} is not text in a known encoding (tried UTF-8 and Windows-1252). Save it "
        "as UTF-8 CSV.",
        "zh-Hans": "{name} 不是已知编码的文本(已尝试 UTF-8 和 Windows-1252)。请将其另存为 "
        "UTF-8 CSV。",
        "zh-Hant": "{name} 不是已知編碼的文字(已嘗試 UTF-8 和 Windows-1252)。請將其另存為 "
        "UTF-8 CSV。",
        "lt": "{name} nėra žinomos koduotės tekstas (bandyta UTF-8 ir Windows-1252). "
        "Įrašykite jį kaip UTF-8 CSV.",
        "bg": "{name} не е текст в позната кодировка (опитани UTF-8 и Windows-1252). "
        "Запишете го като UTF-8 CSV.",
    },
    # --- columns (nps_xl/io.py) ---
    "error_column_missing": {
        "en": "There is no column {column!r} (given with {flag}); the columns are {columns}.",
        "zh-Hans": "没有名为 {column!r} 的列(由 {flag} 指定);现有的列为 {columns}。",
        "zh-Hant": "沒有名為 {column!r} 的欄(由 {flag} 指定);現有的欄為 {columns}。",
        "lt": "Stulpelio {column!r} nėra (nurodyta su {flag}); stulpeliai: {columns}.",
        "bg": "Няма колона {column!r} (зададена с {flag}); колоните са {columns}.",
    },
    "error_score_ambiguous_named": {
        "en": "Several columns look like the likelihood-to-recommend score: {columns}. Pass "
        '--score "column name" to choose.',
        "zh-Hans": '有多列看起来像推荐可能性评分:{columns}。请用 --score "column name" 选择其一。',
        "zh-Hant": '有多欄看起來像推薦可能性分數:{columns}。請用 --score "column name" 選擇其一。',
        "lt": "Keli stulpeliai panašūs į rekomendavimo tikimybės balą: {columns}. Pasirinkite "
        'su --score "column name".',
        "bg": "Няколко колони приличат на оценката за вероятност да препоръчате: {columns}. "
        'Изберете с --score "column name".',
    },
    "error_score_ambiguous_values": {
        "en": 'Several columns hold 0–10 answers: {columns}. Pass --score "column name" to choose.',
        "zh-Hans": '有多列包含 0–10 的回答:{columns}。请用 --score "column name" 选择其一。',
        "zh-Hant": '有多欄包含 0–10 的回覆:{columns}。請用 --score "column name" 選擇其一。',
        "lt": "Keliuose stulpeliuose yra 0–10 atsakymų: {columns}. Pasirinkite su --score "
        '"column name".',
        "bg": 'Няколко колони съдържат отговори 0–10: {columns}. Изберете с --score "column name".',
    },
    "error_score_not_found": {
        "en": "No column looks like the likelihood-to-recommend score (a 'recommend' header or "
        '0–10 answers). Pass --score "column name"; the columns are {columns}.',
        "zh-Hans": "没有哪一列像推荐可能性评分(标题含“推荐”或包含 0–10 的回答)。"
        '请用 --score "column name" 指定;现有的列为 {columns}。',
        "zh-Hant": "沒有哪一欄像推薦可能性分數(標題含「推薦」或包含 0–10 的回覆)。"
        '請用 --score "column name" 指定;現有的欄為 {columns}。',
        "lt": "Nė vienas stulpelis nepanašus į rekomendavimo tikimybės balą (antraštė su "
        '„rekomenduoti“ arba 0–10 atsakymai). Nurodykite --score "column name"; stulpeliai: '
        "{columns}.",
        "bg": "Никоя колона не прилича на оценката за вероятност да препоръчате (заглавие с "
        '„препоръчате“ или отговори 0–10). Подайте --score "column name"; колоните са '
        "{columns}.",
    },
    # --- Excel functions (nps_xl/excel/conversion.py, udfs.py) ---
    "udf_where_cell": {
        "en": "the cell given as {argument}",
        "zh-Hans": "作为 {argument} 给出的单元格",
        "zh-Hant": "作為 {argument} 給出的儲存格",
        "lt": "langelis, nurodytas kaip {argument}",
        "bg": "клетката, зададена като {argument}",
    },
    "udf_where_row": {
        "en": "row {row} of {argument}",
        "zh-Hans": "{argument} 的第 {row} 行",
        "zh-Hant": "{argument} 的第 {row} 列",
        "lt": "{argument} {row} eilutė",
        "bg": "ред {row} от {argument}",
    },
    "udf_where_column": {
        "en": "column {column} of {argument}",
        "zh-Hans": "{argument} 的第 {column} 列",
        "zh-Hant": "{argument} 的第 {column} 欄",
        "lt": "{argument} {column} stulpelis",
        "bg": "колона {column} от {argument}",
    },
    "udf_where_row_column": {
        "en": "row {row}, column {column} of {argument}",
        "zh-Hans": "{argument} 的第 {row} 行第 {column} 列",
        "zh-Hant": "{argument} 的第 {row} 列第 {column} 欄",
        "lt": "{argument} {row} eilutė, {column} stulpelis",
        "bg": "ред {row}, колона {column} от {argument}",
    },
    "udf_invalid_score": {
        "en": "{value} in {where} is not a score on the {scale} scale ({count} invalid in "
        'total). Fix the cell, or give "skip" as the invalid argument to leave invalid answers '
        "out.",
        "zh-Hans": "{where}中的 {value} 不是 {scale} 量表上的有效评分(共 {count} 个无效值)。"
        '请修正该单元格,或将 invalid 参数设为 "skip" 以排除无效回答。',
        "zh-Hant": "{where}中的 {value} 不是 {scale} 量表上的有效分數(共 {count} 個無效值)。"
        '請修正該儲存格,或將 invalid 引數設為 "skip" 以排除無效回覆。',
        "lt": "{value} ({where}) nėra {scale} skalės balas (iš viso netinkamų: {count}). "
        'Pataisykite langelį arba argumentui invalid nurodykite "skip", kad netinkami '
        "atsakymai būtų praleisti.",
        "bg": "{value} ({where}) не е оценка по скалата {scale} (общо невалидни: {count}). "
        'Поправете клетката или задайте "skip" като аргумент invalid, за да изключите '
        "невалидните отговори.",
    },
    "udf_no_valid": {
        "en": "{argument} has no valid answer ({blank} blank, {invalid} invalid skipped), so "
        "there is no score to compute. Point {argument} at cells holding {scale} scores.",
        "zh-Hans": "{argument} 中没有有效回答({blank} 个空白,已跳过 {invalid} 个无效值),"
        "因此无法计算。请让 {argument} 指向包含 {scale} 评分的单元格。",
        "zh-Hant": "{argument} 中沒有有效回覆({blank} 個空白,已略過 {invalid} 個無效值),"
        "因此無法計算。請讓 {argument} 指向包含 {scale} 分數的儲存格。",
        "lt": "{argument} neturi tinkamų atsakymų (tuščių: {blank}, praleista netinkamų: "
        "{invalid}), todėl nėra ką skaičiuoti. Nurodykite {argument} langelius su {scale} "
        "balais.",
        "bg": "{argument} няма валидни отговори (празни: {blank}, пропуснати невалидни: "
        "{invalid}), затова няма какво да се изчисли. Насочете {argument} към клетки с "
        "оценки {scale}.",
    },
    "cli_no_valid_answers": {
        "en": "No valid answers: every answer is blank or invalid. Pass --score with the column "
        "that holds the 0–10 answers.",
        "zh-Hans": "没有有效回答:所有回答均为空白或无效。请用 --score 指定包含 0–10 评分的列。",
        "zh-Hant": "沒有有效回覆:所有回覆皆為空白或無效。請用 --score 指定包含 0–10 分數的欄。",
        "lt": "Nėra tinkamų atsakymų: visi atsakymai tušti arba netinkami. Nurodykite --score "
        "su stulpeliu, kuriame yra 0–10 balai.",
        "bg": "Няма валидни отговори: всички отговори са празни или невалидни. Подайте --score "
        "с колоната, която съдържа оценките 0–10.",
    },
    "error_no_valid_answers": {
        "en": "No valid answers: every answer is blank or invalid. Point the function at cells "
        "holding scores.",
        "zh-Hans": "没有有效回答:所有回答均为空白或无效。请让函数指向包含评分的单元格。",
        "zh-Hant": "沒有有效回覆:所有回覆皆為空白或無效。請讓函數指向包含分數的儲存格。",
        "lt": "Nėra tinkamų atsakymų: visi atsakymai tušti arba netinkami. Nurodykite "
        "funkcijai langelius su balais.",
        "bg": "Няма валидни отговори: всички отговори са празни или невалидни. Насочете "
        "функцията към клетки с оценки.",
    },
    # --- scores (nps_xl/scores.py): where an answer is, for ScoreError ---
    "position_index": {
        "en": "position {index}",
        "zh-Hans": "第 {index} 个位置",
        "zh-Hant": "第 {index} 個位置",
        "lt": "{index} pozicija",
        "bg": "позиция {index}",
    },
    "position_row_column": {
        "en": "row {row}, column {column}",
        "zh-Hans": "第 {row} 行第 {column} 列",
        "zh-Hant": "第 {row} 列第 {column} 欄",
        "lt": "{row} eilutė, {column} stulpelis",
        "bg": "ред {row}, колона {column}",
    },
    # --- follow-up cap (workbook writer) ---------------------------------------------
    "wb_followup_more_export": {
        "en": "{more} more detractors not listed: this sheet shows the {shown} newest. "
        "Find them all in the survey export (scores 0–6).",
        "zh-Hans": "另有 {more} 位反对者未列出:此表只显示最新的 {shown} 位。"
        "完整名单请查看调查导出文件(评分 0–6)。",
        "zh-Hant": "另有 {more} 位批評型受訪者未列出:此表只顯示最新的 {shown} 位。"
        "完整名單請查看調查匯出檔(分數 0–6)。",
        "lt": "Dar {more} kritikų neišvardyta: šiame lape – {shown} naujausių. "
        "Visus rasite apklausos eksporto faile (balai 0–6).",
        "bg": "Още {more} критици не са изброени: листът показва {shown}-те най-нови. "
        "Всички са във файла с експорта на анкетата (оценки 0–6).",
    },
    "wb_followup_more_responses": {
        "en": "{more} more detractors not listed: this sheet shows the {shown} newest. "
        "Filter the {sheet} table to scores 0–6 to see them all.",
        "zh-Hans": "另有 {more} 位反对者未列出:此表只显示最新的 {shown} 位。"
        "在“{sheet}”表中筛选评分 0–6 即可查看全部。",
        "zh-Hant": "另有 {more} 位批評型受訪者未列出:此表只顯示最新的 {shown} 位。"
        "在「{sheet}」表中篩選分數 0–6 即可查看全部。",
        "lt": "Dar {more} kritikų neišvardyta: šiame lape – {shown} naujausių. "
        "Visus pamatysite lentelėje „{sheet}“, atsirinkę balus 0–6.",
        "bg": "Още {more} критици не са изброени: листът показва {shown}-те най-нови. "
        "Филтрирайте таблицата „{sheet}“ по оценки 0–6, за да ги видите всички.",
    },
    # --- weights in the CLI report ---------------------------------------------------
    "cli_workbook_unweighted": {
        "en": "The summary above is weighted; the workbook's figures count answers (unweighted), "
        "because its formulas must work without Python.",
        "zh-Hans": "上面的摘要已加权;工作簿中的数字按回答计数(未加权),"
        "因为其公式必须在没有 Python 时也能使用。",
        "zh-Hant": "上方摘要已加權;活頁簿中的數字按回覆計數(未加權),"
        "因為其公式必須在沒有 Python 時也能運作。",
        "lt": "Aukščiau pateikta santrauka svertinė; darbaknygės skaičiai skaičiuoja atsakymus "
        "(be svorių), nes jos formulės turi veikti be Python.",
        "bg": "Обобщението по-горе е претеглено; числата в работната книга броят отговорите "
        "(без тегла), защото формулите ѝ трябва да работят и без Python.",
    },
}

# Lower-case tag (after "_" → "-" and without any ".encoding" / "@modifier") → language.
# Tags not listed here are resolved by their subtags in normalize_language.
_ALIASES: dict[str, str] = {
    # Legacy Windows / .NET names for the two Chinese scripts.
    "zh-chs": "zh-Hans",
    "zh-cht": "zh-Hant",
    "chs": "zh-Hans",
    "cht": "zh-Hant",
}
_HANT_REGIONS = frozenset({"tw", "hk", "mo"})


class _MessageKeyError(KeyError):
    """A KeyError whose message prints without the quotes KeyError adds around its argument."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _unknown_language(lang: object) -> ValueError:
    # Always English: the caller may not have a language we can speak yet.
    message = CATALOGUE["error_unknown_language"]["en"].format(
        language=lang, choices=", ".join(LANGUAGES)
    )
    return ValueError(
        f"{message} Region variants and aliases such as zh-CN, zh-TW, lt-LT, bg-BG "
        "and en-US are accepted too."
    )


def normalize_language(lang: str | None) -> str:
    """Return the supported language code for ``lang`` (one of ``LANGUAGES``).

    ``None`` and ``""`` mean the default, English. Matching ignores case, accepts ``_`` for
    ``-`` and drops a POSIX encoding or modifier (``"zh_TW.UTF-8"``). Any region of en, lt or
    bg maps to that language (``"en-US"``, ``"lt-LT"``, ``"bg-BG"``). Chinese follows the
    script subtag when there is one (``"zh-Hant-HK"``), otherwise the region: TW, HK and MO
    write Traditional characters, everything else (``"zh"``, ``"zh-CN"``, ``"zh-SG"``)
    Simplified.

    Raises ``ValueError`` naming the value and the supported codes when nothing matches.
    """
    if lang is None:
        return DEFAULT_LANGUAGE
    if not isinstance(lang, str):
        raise TypeError(f"language must be a string or None, not {type(lang).__name__}")
    tag = lang.strip()
    if not tag:
        return DEFAULT_LANGUAGE
    tag = tag.split(".", 1)[0].split("@", 1)[0].replace("_", "-").lower()
    for code in LANGUAGES:
        if tag == code.lower():
            return code
    if tag in _ALIASES:
        return _ALIASES[tag]
    primary, *rest = tag.split("-")
    if not all(part.isalnum() for part in [primary, *rest]):
        raise _unknown_language(lang)
    if primary in ("en", "lt", "bg"):
        return primary
    if primary == "zh":
        if "hant" in rest:
            return "zh-Hant"
        if "hans" in rest:
            return "zh-Hans"
        return "zh-Hant" if _HANT_REGIONS.intersection(rest) else "zh-Hans"
    raise _unknown_language(lang)


def _field_names(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def text(key: str, lang: str | None = DEFAULT_LANGUAGE, /, **fields: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{fields}`` filled in by ``str.format``.

    ``lang`` goes through ``normalize_language``. A language missing for a key falls back to
    English (the tests make sure none is missing). Raises ``KeyError`` for an unknown key or a
    missing field, ``ValueError`` for an unknown language.
    """
    language = normalize_language(lang)
    try:
        entry = CATALOGUE[key]
    except KeyError:
        close = difflib.get_close_matches(str(key), CATALOGUE, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise _MessageKeyError(
            f"No text with the key {key!r} in nps_xl.i18n.CATALOGUE.{hint}"
        ) from None
    template = entry.get(language, entry.get(DEFAULT_LANGUAGE))
    if template is None:
        raise _MessageKeyError(f"The key {key!r} has no {language} or {DEFAULT_LANGUAGE} text.")
    try:
        return template.format(**fields)
    except KeyError as exc:
        needed = ", ".join(sorted(_field_names(template)))
        raise _MessageKeyError(
            f"text({key!r}) needs the field {exc.args[0]!r}; its fields are: {needed}."
        ) from None


# ----------------------------------------------------------------------------- errors


class Message:
    """A text to be told later, in the reader's language: a catalogue key and its fields.

    ``Message("position_row", row=7).render("zh-Hant")`` → ``"第 7 列"``. A field may itself be a
    ``Message`` (rendered in the same language); ``int`` and ``float`` fields are written with
    the language's number conventions (:mod:`nps_xl.numbers`: ``1 030``, ``2,8`` in lt), so pass
    row numbers and other identifiers as text; a field the template writes with a conversion
    (``{value!r}``) is left as it is. ``str(message)`` is the English text.
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        from nps_xl.numbers import format_number  # numbers reads its symbols from here

        entry = CATALOGUE.get(self.key, {})
        # a field written with a conversion ({value!r}) is shown as the value itself
        converted = {
            name
            for template in entry.values()
            for _, name, _, conversion in string.Formatter().parse(template)
            if conversion
        }
        values = {}
        for name, value in self.fields.items():
            if isinstance(value, Message):
                value = value.render(lang)
            elif name in converted:
                pass
            elif isinstance(value, float):
                value = format_number(value, lang, digits=1)
            elif isinstance(value, int) and not isinstance(value, bool):
                value = format_number(value, lang, digits=0)
            values[name] = value
        return text(self.key, lang, **values)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        fields = "".join(f", {k}={v!r}" for k, v in self.fields.items())
        return f"Message({self.key!r}{fields})"


class LocalizedError(Exception):
    """Mixin for errors a person reads: ``key`` and ``fields`` name a catalogue text, so the
    CLI, the Excel functions and the ribbon can show the error in their reader's language, while
    ``str(exc)`` stays the English message of the Python API.

    Use it as the first base of an exception class (``class SurveyFileError(LocalizedError,
    ValueError)``) and raise either ``Error.from_key(key, **fields)`` (the message is the
    English catalogue text) or ``Error(english).localize(key, **fields)`` when the English
    message must stay worded as before. ``fields`` follow :class:`Message` (nested messages,
    numbers written per language).
    """

    key: str | None = None
    fields: dict[str, object] = {}  # noqa: RUF012 - replaced per instance by localize()

    def localize(self, key: str, /, **fields: object):
        """Attach the catalogue key and fields; returns the exception itself (for ``raise``)."""
        self.key = key
        self.fields = dict(fields)
        return self

    @classmethod
    def from_key(cls, key: str, /, **fields: object):
        """The exception whose message is the English text of ``key``."""
        return cls(Message(key, **fields).render(DEFAULT_LANGUAGE)).localize(key, **fields)

    def localized(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang``: ``str(self)`` for English or when no key is attached."""
        if self.key is None or normalize_language(lang) == DEFAULT_LANGUAGE:
            return str(self)
        try:
            return Message(self.key, **self.fields).render(lang)
        except (KeyError, ValueError):  # a missing field must not hide the error itself
            return str(self)


#: How :mod:`nps_xl.stats` and :mod:`nps_xl.counts` begin the ``ValueError`` for counts without a
#: single valid answer; that error carries no key, so the surfaces recognise it by these words.
NO_VALID_ANSWERS = "No valid answers"


def localized(
    exc: BaseException,
    lang: str | None = DEFAULT_LANGUAGE,
    *,
    no_valid_key: str = "error_no_valid_answers",
) -> str:
    """Any exception's message in ``lang``: localized when it carries a key; the core's
    "No valid answers: …" ``ValueError`` as the text of ``no_valid_key`` (each surface says
    what to do in its own terms); else ``str(exc)``."""
    if isinstance(exc, LocalizedError):
        return exc.localized(lang)
    message = str(exc)
    if (
        isinstance(exc, ValueError)
        and message.startswith(NO_VALID_ANSWERS)
        and normalize_language(lang) != DEFAULT_LANGUAGE
    ):
        return text(no_valid_key, lang)
    return message
