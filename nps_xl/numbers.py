"""The languages nps-xl writes, and numbers and dates written the way each of them writes them.

This is the locale layer under the word catalogue (:mod:`nps_xl.i18n` imports it; it imports
nothing from nps-xl): which languages there are (``LANGUAGES``), which one a language
tag means (:func:`normalize_language`) and each language's conventions (:data:`CONVENTIONS`),
which follow the Unicode CLDR number and date data for en, zh-Hans, zh-Hant, lt and bg::

    >>> format_number(1030, "en", digits=0), format_number(1030, "lt", digits=0)
    ('1,030', '1\\xa0030')
    >>> format_percent(0.5234, "lt"), format_percent(0.5234, "bg")
    ('52,3\\xa0%', '52,3%')
    >>> format_number(1030, "bg", digits=0)  # bg groups from five digits (CLDR)
    '1030'
    >>> conventions("zh-TW").excel_date_format
    'yyyy/mm/dd'

Missing values (None, NaN, NaT) are written as an en dash, ``–``.

The conventions
---------------
``decimal_separator`` / ``thousands_separator``: "." and "," for en and Chinese; "," and a
no-break space (U+00A0) for lt and bg (national standards LST / БДС, and CLDR).
``minus_sign``, ``percent_format`` and ``minimum_grouping_digits`` are CLDR's number symbols and
patterns: lt writes the percent sign after a no-break space and negative numbers with U+2212; bg
groups thousands only from five digits (minimumGroupingDigits 2: 1030 but 10 300).

``date_format`` is a ``strftime`` pattern and ``excel_date_format`` the Excel number format
showing the same thing:

* en ``yyyy-mm-dd`` (ISO 8601): our English readers are international, and 03/04/2025 means
  different days in the US and the UK.
* zh-Hans ``yyyy-mm-dd`` (GB/T 7408, the usual form in mainland reports).
* zh-Hant ``yyyy/mm/dd``: Taiwan writes dates with slashes. Excel's Taiwan default is the
  unpadded ``yyyy/m/d``, but ``strftime`` has no portable unpadded month, and the CLI and the
  workbook should show the same text, so both pad.
* lt ``yyyy-mm-dd`` (LST ISO 8601, the Lithuanian standard form).
* bg ``dd.mm.yyyy г.`` (the Bulgarian form; the Excel pattern quotes the Cyrillic "г.").

:func:`nps_xl.i18n.text` answers the field names of :class:`Conventions` as keys too
(``text("excel_date_format", "bg")``), so the conventions read like any other text.
"""

from __future__ import annotations

import math
from datetime import date, datetime
from types import MappingProxyType
from typing import NamedTuple

__all__ = [
    "CONVENTIONS",
    "CONVENTION_KEYS",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "MISSING",
    "Conventions",
    "conventions",
    "format_count",
    "format_date",
    "format_number",
    "format_percent",
    "normalize_language",
]

LANGUAGES: tuple[str, ...] = ("en", "zh-Hans", "zh-Hant", "lt", "bg")
DEFAULT_LANGUAGE = "en"

#: What a missing number or date is written as.
MISSING = "–"


# ----------------------------------------------------------------------------- languages

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


def _unknown_language(lang: object) -> ValueError:
    # Always English, the words of the catalogue's ``error_unknown_language`` (a test keeps the
    # two equal): the caller may not have a language we can speak yet, and this module reads no
    # catalogue, so that the catalogue can build on it.
    return ValueError(
        f"Unknown language {lang!r}. Use one of: {', '.join(LANGUAGES)}. Region variants and "
        "aliases such as zh-CN, zh-TW, lt-LT, bg-BG and en-US are accepted too."
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


# ----------------------------------------------------------------------------- conventions


class Conventions(NamedTuple):
    """How one language writes numbers and dates (see the module docstring for the sources)."""

    decimal_separator: str
    thousands_separator: str
    minus_sign: str
    #: Digits a number needs before the first group separator: 1030 is grouped from 1 (CLDR
    #: minimumGroupingDigits 1) but not from 2 (bg: 1030, 10 300).
    minimum_grouping_digits: int
    #: ``str.format`` pattern with the field ``{value}``, the number already written.
    percent_format: str
    date_format: str
    excel_date_format: str


_NBSP = "\u00a0"
_ISO = Conventions(".", ",", "-", 1, "{value}%", "%Y-%m-%d", "yyyy-mm-dd")

#: Each language's conventions, by the codes of ``LANGUAGES``.
CONVENTIONS: MappingProxyType[str, Conventions] = MappingProxyType(
    {
        "en": _ISO,
        "zh-Hans": _ISO,
        "zh-Hant": Conventions(".", ",", "-", 1, "{value}%", "%Y/%m/%d", "yyyy/mm/dd"),
        "lt": Conventions(
            ",", _NBSP, "\u2212", 1, "{value}" + _NBSP + "%", "%Y-%m-%d", "yyyy-mm-dd"
        ),
        "bg": Conventions(",", _NBSP, "-", 2, "{value}%", "%d.%m.%Y г.", 'dd.mm.yyyy "г."'),
    }
)

#: The field names of :class:`Conventions`, which ``nps_xl.i18n.text`` also answers as keys.
CONVENTION_KEYS: tuple[str, ...] = Conventions._fields


def conventions(lang: str | None = DEFAULT_LANGUAGE) -> Conventions:
    """The :class:`Conventions` of ``lang`` (any tag :func:`normalize_language` accepts)."""
    return CONVENTIONS[normalize_language(lang)]


# ----------------------------------------------------------------------------- formatting


def _missing(value: object) -> bool:
    if value is None:
        return True
    try:
        unequal = value != value  # NaN and NaT differ from themselves
    except (TypeError, ValueError):
        return False
    try:
        return bool(unequal)
    except TypeError:  # pd.NA compares to NA, whose truth is undefined: missing too
        return True
    except ValueError:  # an array is no single value
        return False


def format_number(
    value: float | int | None, lang: str | None = "en", *, digits: int = 1, sign: bool = False
) -> str:
    """``value`` rounded to ``digits`` decimals with the language's separators.

    ``sign=True`` writes a ``+`` before positive numbers and zero (NPS points, changes), as
    Python's ``{:+.1f}`` does; negative numbers get the language's minus sign.
    """
    if _missing(value):
        return MISSING
    value = float(value)
    if math.isinf(value):
        return MISSING
    conv = conventions(lang)
    raw = f"{value:{'+' if sign else ''},.{digits}f}"
    negative = raw.startswith("-")
    if raw[0] in "+-":
        raw = raw[1:]
    whole, _, fraction = raw.partition(".")
    plain = whole.replace(",", "")
    groups = [plain] if len(plain) < 3 + conv.minimum_grouping_digits else whole.split(",")
    out = conv.thousands_separator.join(groups)
    if fraction:
        out += conv.decimal_separator + fraction
    if negative:
        return conv.minus_sign + out
    return ("+" if sign else "") + out


def format_count(value: float | int | None, lang: str | None = "en") -> str:
    """A count of answers: whole numbers grouped (``1,030``), weighted sums with one decimal."""
    if _missing(value):
        return MISSING
    digits = 0 if float(value).is_integer() else 1
    return format_number(value, lang, digits=digits)


def format_percent(share: float | None, lang: str | None = "en", *, digits: int = 1) -> str:
    """A share (0–1) as a percentage: ``52.3%`` (en), ``52,3 %`` (lt), ``52,3%`` (bg)."""
    if _missing(share):
        return MISSING
    value = format_number(100 * float(share), lang, digits=digits)
    return conventions(lang).percent_format.format(value=value)


def format_date(value: date | datetime | None, lang: str | None = "en") -> str:
    """A date in the language's ``date_format``: ``2025-05-01``, ``2025/05/01`` (zh-Hant),
    ``01.05.2025 г.`` (bg)."""
    if _missing(value):
        return MISSING
    return value.strftime(conventions(lang).date_format)
