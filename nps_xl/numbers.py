"""Numbers and dates written the way each language writes them.

The symbols come from the catalogue (:mod:`nps_xl.i18n`): ``decimal_separator``,
``thousands_separator``, ``minus_sign``, ``minimum_grouping_digits``, ``percent_format`` and
``date_format``, which follow the Unicode CLDR number and date data for en, zh-Hans, zh-Hant,
lt and bg::

    >>> format_number(1030, "en", digits=0), format_number(1030, "lt", digits=0)
    ('1,030', '1\\xa0030')
    >>> format_percent(0.5234, "lt"), format_percent(0.5234, "bg")
    ('52,3\\xa0%', '52,3%')
    >>> format_number(1030, "bg", digits=0)  # bg groups from five digits (CLDR)
    '1030'

Missing values (None, NaN, NaT) are written as an en dash, ``–``.
"""

from __future__ import annotations

import math
from datetime import date, datetime

from nps_xl.i18n import text

__all__ = ["MISSING", "format_count", "format_date", "format_number", "format_percent"]

#: What a missing number or date is written as.
MISSING = "–"


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
    raw = f"{value:{'+' if sign else ''},.{digits}f}"
    negative = raw.startswith("-")
    if raw[0] in "+-":
        raw = raw[1:]
    whole, _, fraction = raw.partition(".")
    plain = whole.replace(",", "")
    min_group = int(text("minimum_grouping_digits", lang))
    groups = [plain] if len(plain) < 3 + min_group else whole.split(",")
    out = text("thousands_separator", lang).join(groups)
    if fraction:
        out += text("decimal_separator", lang) + fraction
    if negative:
        return text("minus_sign", lang) + out
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
    return text(
        "percent_format", lang, value=format_number(100 * float(share), lang, digits=digits)
    )


def format_date(value: date | datetime | None, lang: str | None = "en") -> str:
    """A date in the language's ``date_format``: ``2025-05-01``, ``2025/05/01`` (zh-Hant),
    ``01.05.2025 г.`` (bg)."""
    if _missing(value):
        return MISSING
    return value.strftime(text("date_format", lang))
