"""Numbers and dates per language (nps_xl/numbers.py).

Expected strings are the Unicode CLDR conventions as ICU applies them, written down here from
``new Intl.NumberFormat(lang).format(x)`` / ``{style: "percent"}`` (Node.js with full ICU):
en and zh group with "," and use "."; lt groups with a no-break space, writes "," and U+2212 for
minus and a no-break space before "%"; bg groups with a no-break space only from five digits
("1030" but "10 300,5"), writes "," and "52,3%". Dates follow each language's ``date_format``
(``nps_xl.numbers.CONVENTIONS``).
"""

from __future__ import annotations

import ast
import datetime as dt
import inspect
import math

import numpy as np
import pandas as pd
import pytest

import nps_xl.numbers
from nps_xl.i18n import LANGUAGES, text
from nps_xl.numbers import (
    CONVENTION_KEYS,
    CONVENTIONS,
    MISSING,
    conventions,
    format_count,
    format_date,
    format_number,
    format_percent,
)

NBSP = "\u00a0"
MINUS = "\u2212"


@pytest.mark.parametrize(
    ("lang", "count_1030", "big", "share", "negative"),
    [
        ("en", "1,030", "10,300.5", "52.3%", "-2.4"),
        ("zh-Hans", "1,030", "10,300.5", "52.3%", "-2.4"),
        ("zh-Hant", "1,030", "10,300.5", "52.3%", "-2.4"),
        ("lt", f"1{NBSP}030", f"10{NBSP}300,5", f"52,3{NBSP}%", f"{MINUS}2,4"),
        ("bg", "1030", f"10{NBSP}300,5", "52,3%", "-2,4"),
    ],
)
def test_numbers_follow_cldr(lang, count_1030, big, share, negative):
    assert format_count(1030, lang) == count_1030
    assert format_number(1030, lang, digits=0) == count_1030
    assert format_number(10300.5, lang) == big
    assert format_percent(0.523, lang) == share
    assert format_number(-2.4, lang) == negative


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en", ["+34.6", "-8.8", "+0.0", "+100.0", "1,234,567.9"]),
        ("zh-Hans", ["+34.6", "-8.8", "+0.0", "+100.0", "1,234,567.9"]),
        ("zh-Hant", ["+34.6", "-8.8", "+0.0", "+100.0", "1,234,567.9"]),
        ("lt", ["+34,6", f"{MINUS}8,8", "+0,0", "+100,0", f"1{NBSP}234{NBSP}567,9"]),
        ("bg", ["+34,6", "-8,8", "+0,0", "+100,0", f"1{NBSP}234{NBSP}567,9"]),
    ],
)
def test_signed_nps_points_and_large_numbers(lang, want):
    got = [
        format_number(34.6, lang, sign=True),
        format_number(-8.8, lang, sign=True),
        format_number(0.0, lang, sign=True),
        format_number(100, lang, sign=True),
        format_number(1234567.89, lang),
    ]
    assert got == want


@pytest.mark.parametrize("lang", LANGUAGES)
def test_rounding_and_digits(lang):
    decimal = "." if lang in ("en", "zh-Hans", "zh-Hant") else ","
    assert format_number(2.25, lang, digits=2) == f"2{decimal}25"
    assert format_number(2.96, lang) == f"3{decimal}0"  # rounds up through the decimal point
    rounded = {"en": "1,000.0", "lt": f"1{NBSP}000,0", "bg": "1000,0"}  # carries into grouping
    assert format_number(999.96, lang) == rounded.get(lang, "1,000.0")
    assert format_number(7, lang, digits=0) == "7"
    assert format_count(12.5, lang) == f"12{decimal}5"  # a weighted count keeps one decimal


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("missing", [None, math.nan, np.nan, pd.NA, pd.NaT, math.inf])
def test_missing_values_are_a_dash(lang, missing):
    assert format_number(missing, lang) == MISSING == "–"
    if missing is not math.inf:
        assert format_percent(missing, lang) == MISSING
        assert format_count(missing, lang) == MISSING
    if missing is None or missing is pd.NaT:
        assert format_date(missing, lang) == MISSING


@pytest.mark.parametrize(
    ("lang", "want"),
    [
        ("en", "2025-08-03"),
        ("zh-Hans", "2025-08-03"),
        ("zh-Hant", "2025/08/03"),
        ("lt", "2025-08-03"),
        ("bg", "03.08.2025 г."),
    ],
)
def test_dates(lang, want):
    assert format_date(dt.date(2025, 8, 3), lang) == want
    assert format_date(pd.Timestamp("2025-08-03 14:30"), lang) == want
    assert format_date(dt.datetime(2025, 8, 3, 9), lang) == want


def test_language_tags_are_normalised():
    assert format_number(1030.26, "lt_LT.UTF-8") == f"1{NBSP}030,3"
    assert format_percent(0.5, "zh-TW") == "50.0%"
    assert format_number(1030, None, digits=0) == "1,030"  # default English


# --- the conventions -------------------------------------------------------------------------


def test_every_language_has_conventions():
    assert tuple(CONVENTIONS) == LANGUAGES
    assert conventions("bg-BG") is CONVENTIONS["bg"]
    assert conventions(None) is CONVENTIONS["en"]
    with pytest.raises(ValueError, match="Unknown language 'xx'"):
        conventions("xx")


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("key", CONVENTION_KEYS)
def test_text_answers_the_conventions(key, lang):
    # The workbook, the ribbon and the CLI ask text("excel_date_format", lang) and the like.
    assert text(key, lang, value="<value>") == str(getattr(CONVENTIONS[lang], key)).format(
        value="<value>"
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_percent_pattern_has_one_value_field(lang):
    assert CONVENTIONS[lang].percent_format.count("{value}") == 1


def test_numbers_imports_nothing_from_nps_xl():
    # The word catalogue builds on this module (language codes, conventions), so this module
    # must not import nps_xl, not even inside a function: that was the old i18n <-> numbers circle.
    tree = ast.parse(inspect.getsource(nps_xl.numbers))
    imported = [
        "." * node.level + (node.module or "") if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, (ast.Import, ast.ImportFrom))
        for alias in node.names
    ]
    ours = [name for name in imported if name.startswith(".") or name.split(".")[0] == "nps_xl"]
    assert not ours, ours
