"""Hostile calls of every Excel function, what each must return, and the checks.

Shared by ``tests/test_udfs_hostile.py`` (hypothesis, both xlwings paths, in CI) and
``scripts/fuzz_udfs.py`` (the long campaign). A generated call draws every argument from pools
of cells and values as each runtime delivers them — classic xlwings (COM: tuples of rows,
``None`` blanks, floats, datetimes, error integers, inf/NaN) and Office.js (JSON: lists of rows,
``""`` blanks, ints and floats, serial dates, error objects) — mixing ordinary values with
hostile ones: huge and tiny floats, long text, 5,000-digit text, error values, booleans, dates,
ranges where one value is wanted, empty ranges, earlier ``#NPS!`` messages.

Every pool item carries its *reading* (the score a cell holds, the date, the group label, the
weight, the option value, or why it is refused), written down here by hand. The oracle counts
promoters, passives and detractors from those readings and applies the published formulas
(exact fractions, scipy's normal quantile) — it never calls nps_xl — so a result is checked
against an independent expectation:

* a value: equal to the independent one (intervals by their formulas; the score and bootstrap
  intervals by their invariants: they hold the estimate, or stay within ±100);
* a message: one ``#NPS!`` line that names one of the arguments at fault;
* always: no exception reached the runtime, no internal text (exception class names, library
  messages, the "could not compute" fallback), every number finite and JSON-safe, whole numbers
  within 2⁵³, every text within Excel's 32,767 characters per cell.
"""

from __future__ import annotations

import datetime as dt
import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

import numpy as np
from classic_runner import MISSING
from officejs_runner import error as officejs_error
from scipy.stats import norm

CELL_LIMIT = 32_767
PREFIX = "#NPS! "

#: Every Excel function and its arguments, in order.
FUNCTIONS: dict[str, list[str]] = {
    "NPS": ["scores", "invalid", "scale"],
    "NPS_COUNTS": ["scores", "invalid", "scale", "lang"],
    "NPS_CATEGORY": ["scores", "lang", "scale"],
    "NPS_LABEL": ["nps_value", "scheme", "lang"],
    "NPS_BENCHMARK": ["nps_value", "industry", "lang"],
    "NPS_CI": ["scores", "confidence", "method", "invalid", "scale", "population"],
    "NPS_MOE": ["scores", "confidence", "method", "invalid", "scale", "population"],
    "NPS_TEST": [
        "scores_a",
        "scores_b",
        "confidence",
        "method",
        "lang",
        "invalid",
        "scale",
        "population_a",
        "population_b",
    ],
    "NPS_SAMPLE_SIZE": ["margin", "confidence", "expected_nps", "population"],
    "NPS_TREND": [
        "scores",
        "dates",
        "period",
        "confidence",
        "lang",
        "invalid",
        "scale",
        "adjust",
    ],
    "NPS_BY": ["scores", "groups", "confidence", "min_n", "lang", "invalid", "scale", "adjust"],
    "NPS_DRIVERS": ["scores", "drivers", "method", "lang", "invalid", "scale"],
    "NPS_FROM_COUNTS": ["promoters", "passives", "detractors"],
    "NPS_FROM_COUNTS_CI": [
        "promoters",
        "passives",
        "detractors",
        "confidence",
        "method",
        "population",
    ],
    "NPS_WEIGHTED": ["scores", "weights", "invalid", "scale"],
    "CSAT": ["ratings", "scale_max", "satisfied_min", "invalid"],
    "CES": ["ratings", "scale_max", "invalid"],
    "CRR": ["start_customers", "end_customers", "new_customers"],
}

RUNTIMES = ("classic", "officejs")

# --------------------------------------------------------------------------- sources


class RandomSource:
    """Draws from a numpy generator (the campaign)."""

    def __init__(self, rng):
        self.rng = rng

    def integer(self, low: int, high: int) -> int:
        return int(self.rng.integers(low, high + 1))

    def real(self) -> float:
        """Any finite float: a random sign, a log-uniform magnitude from 1e-320 to 1e308."""
        if self.integer(0, 9) == 0:
            return 0.0
        magnitude = 10.0 ** self.rng.uniform(-320, 308)
        return -magnitude if self.integer(0, 1) else magnitude


class HypothesisSource:
    """Draws through hypothesis (the property test), so that failures shrink."""

    def __init__(self, data):
        from hypothesis import strategies as st

        self._data = data
        self._st = st

    def integer(self, low: int, high: int) -> int:
        return self._data.draw(self._st.integers(low, high))

    def real(self) -> float:
        return self._data.draw(self._st.floats(allow_nan=False, allow_infinity=False))


def pick(src, options: Sequence):
    return options[src.integer(0, len(options) - 1)]


# --------------------------------------------------------------------------- readings

BLANK = "blank"  # a blank cell
JUNK = "junk"  # a cell that is never a score


@dataclass(frozen=True)
class Bad:
    """A value the function must refuse, and the words its message may name it by."""

    hints: tuple[str, ...]


@dataclass(frozen=True)
class Item:
    """One cell or argument value: as classic and Office.js deliver it, and its reading."""

    classic: object
    officejs: object
    reading: object

    def value(self, runtime: str) -> object:
        return self.classic if runtime == "classic" else self.officejs


ONLY_CLASSIC = object()  # COM can deliver it, JSON cannot (inf, NaN)
COM_ERRORS = {
    "#DIV/0!": -2146826281,
    "#N/A": -2146826246,
    "#NAME?": -2146826259,
    "#NULL!": -2146826288,
    "#NUM!": -2146826252,
    "#REF!": -2146826265,
    "#VALUE!": -2146826273,
}
EPOCH = dt.datetime(1899, 12, 30)  # Excel's day 0 (1900 date system)
LONG_TEXT = "x" * 100_000
DIGITS = "9" * 5_000
EARLIER = PREFIX + "an earlier message from another cell"
LONG_EARLIER = PREFIX + "y" * 40_000


def err(name: str) -> Item:
    return Item(COM_ERRORS[name], officejs_error(name), JUNK)


def same(value: object, reading: object) -> Item:
    return Item(value, value, reading)


def number(x: float, reading: object) -> Item:
    """A number cell: a float from COM; an int (when whole) or a float from Office.js."""
    return Item(float(x), int(x) if float(x).is_integer() and abs(x) < 2**53 else x, reading)


def _score_reading(x: float) -> object:
    return int(x) if math.isfinite(x) and float(x).is_integer() else JUNK


# Answers: numbers, text, blanks, and what is never a score. The reading of a whole number is
# the number (valid or not depends on the scale); everything else is written by hand.
SCORE_POOL: list[Item] = [
    *(number(s, s) for s in range(0, 11)),
    *(number(s, s) for s in (-1, 11, 12, 100)),
    *(
        same(text, reading)
        for text, reading in (
            ("9", 9),
            (" 7 ", 7),
            ("10 - Extremely likely", 10),
            ("0 = Not at all likely", 0),
            ("9.0", 9),
            ("１０", 10),
            ("5 (neutral)", 5),
            ("3", 3),
            ("4", 4),
            ("11", 11),
            ("N/A", JUNK),
            ("great", JUNK),
            ("3 years", JUNK),
            ("7.5", JUNK),
            ("1,000", JUNK),
            ("#N/A", BLANK),  # "not available": no answer (scores.MISSING_MARKERS)
            ("NA", BLANK),
            ("TRUE", JUNK),
            (DIGITS, JUNK),
            (LONG_TEXT, JUNK),
            (EARLIER, JUNK),
            ("", BLANK),
            ("   ", BLANK),
        )
    ),
    Item(None, "", BLANK),
    *(number(x, _score_reading(x)) for x in (7.5, 0.5, -0.25, 1e308, -1e308, 5e-324, 1e-300)),
    number(1.7976931348623157e308, JUNK),
    number(1e20, JUNK),
    Item(math.inf, ONLY_CLASSIC, JUNK),
    Item(-math.inf, ONLY_CLASSIC, JUNK),
    Item(math.nan, ONLY_CLASSIC, BLANK),
    same(True, JUNK),
    same(False, JUNK),
    Item(dt.datetime(2025, 5, 1), 45778, JUNK),  # Office.js sends a date as its serial number
    Item(COM_ERRORS["#N/A"], officejs_error("#N/A"), BLANK),  # the error #N/A: no answer
    *(err(name) for name in ("#DIV/0!", "#VALUE!", "#REF!")),
]

_BAD_DATE = Bad(("dates",))
# Dates: date cells, serial numbers, ISO text, and what is no date the tables can count with.
DATE_POOL: list[Item] = [
    *(
        Item(dt.datetime(2025, m, d), (dt.datetime(2025, m, d) - EPOCH).days, dt.date(2025, m, d))
        for m, d in ((1, 5), (1, 20), (2, 1), (3, 31), (5, 1), (7, 14), (12, 31))
    ),
    same(45700.0, dt.date(2025, 2, 12)),
    same(45700.75, dt.datetime(2025, 2, 12, 18)),  # a time of day: a reading with it
    same("2025-05-01", dt.date(2025, 5, 1)),
    same("2024-12-30T09:30:00+05:00", dt.datetime(2024, 12, 30, 9, 30)),
    Item(dt.datetime(1900, 1, 1), 2, dt.date(1900, 1, 1)),
    Item(dt.datetime(2262, 4, 10), (dt.datetime(2262, 4, 10) - EPOCH).days, dt.date(2262, 4, 10)),
    Item(dt.datetime(9999, 12, 31), 2958465, _BAD_DATE),
    Item(None, "", None),
    same("", None),
    same("soon", _BAD_DATE),
    same(LONG_TEXT, _BAD_DATE),
    same(0.0, _BAD_DATE),
    same(-1.0, _BAD_DATE),
    same(1e308, _BAD_DATE),
    same(True, _BAD_DATE),
    Item(math.inf, ONLY_CLASSIC, _BAD_DATE),
    Item(math.nan, ONLY_CLASSIC, None),
    Item(COM_ERRORS["#N/A"], officejs_error("#N/A"), _BAD_DATE),
]

_BAD_GROUP = Bad(("groups",))
# Groups: labels as text, numbers (12.0 is "12"), blanks, and error values.
GROUP_POOL: list[Item] = [
    same("North", "North"),
    same(" North ", "North"),
    same("South", "South"),
    same("Ασία", "Ασία"),
    number(1.0, "1"),
    same("1", "1"),
    number(7.5, "7.5"),
    same(True, "TRUE"),
    same("g" * 40_000, "g" * 40_000),
    same("  ", ""),
    Item(None, "", None),
    Item(math.nan, ONLY_CLASSIC, None),
    Item(COM_ERRORS["#N/A"], officejs_error("#N/A"), _BAD_GROUP),
    Item(COM_ERRORS["#REF!"], officejs_error("#REF!"), _BAD_GROUP),
]

_ANY_ROW = Bad(("weight",))  # refused wherever it is
# Weights: numbers (only a valid answer needs a finite weight ≥ 0), blanks, and what is no number.
WEIGHT_POOL: list[Item] = [
    *(number(w, w) for w in (1.0, 1.0, 2.0, 3.0, 0.5, 0.0, -1.0)),
    *(number(w, w) for w in (1e308, 1.7976931348623157e308, 1e-300, 5e-324, 1e15)),
    Item(None, "", None),
    Item(math.nan, ONLY_CLASSIC, None),
    Item(math.inf, ONLY_CLASSIC, math.inf),
    same("2", _ANY_ROW),
    same("heavy", _ANY_ROW),
    same(True, _ANY_ROW),
    Item(COM_ERRORS["#N/A"], officejs_error("#N/A"), _ANY_ROW),
]


_BAD_RATING = Bad(("drivers",))
# Driver ratings: whole numbers 0–10 (numbers or text), blanks and #N/A (unanswered), and what
# is no rating; the reading is the rating, None for unanswered.
DRIVER_POOL: list[Item] = [
    *(number(r, float(r)) for r in range(0, 11)),
    same("7", 7.0),
    same(" 8 ", 8.0),
    same("9.0", 9.0),
    Item(None, "", None),
    same("", None),
    Item(COM_ERRORS["#N/A"], officejs_error("#N/A"), None),
    Item(math.nan, ONLY_CLASSIC, None),
    *(number(x, _BAD_RATING) for x in (11.0, -1.0, 7.5, 1e308, 5e-324)),
    same("N/A", _BAD_RATING),
    same("10 - Extremely likely", _BAD_RATING),
    same(LONG_TEXT, _BAD_RATING),
    same(True, _BAD_RATING),
    Item(dt.datetime(2025, 5, 1), 45778, _BAD_RATING),
    Item(math.inf, ONLY_CLASSIC, _BAD_RATING),
    Item(COM_ERRORS["#DIV/0!"], officejs_error("#DIV/0!"), _BAD_RATING),
]
_BAD_NAME = Bad(("drivers",))
# Question names in the first row of drivers: text, numbers (5.0 is "5"), and blanks.
NAME_POOL: list[Item] = [
    same("Product", "Product"),
    same("Support", "Support"),
    same("Price", "Price"),
    same(" Delivery ", "Delivery"),
    number(5.0, "5"),
    same("Ασία", "Ασία"),
    same("g" * 40_000, "g" * 40_000),
    same("Product", "Product"),
    Item(None, "", _BAD_NAME),
    same("  ", _BAD_NAME),
]


def _for(runtime: str, pool: list[Item]) -> list[Item]:
    return [item for item in pool if item.value(runtime) is not ONLY_CLASSIC]


POOLS = {
    (runtime, name): _for(runtime, pool)
    for runtime in RUNTIMES
    for name, pool in (
        ("score", SCORE_POOL),
        ("rating", [*(number(s, s) for s in range(1, 6)), *SCORE_POOL]),
        ("date", DATE_POOL),
        ("group", GROUP_POOL),
        ("weight", WEIGHT_POOL),
        ("driver", DRIVER_POOL),
        ("name", NAME_POOL),
    )
}
#: How many items at the start of each pool are the everyday ones (scores 0..10 as numbers,
#: dates of 2025, two groups, weights of 1 to 3), drawn more often than the rest.
COMMON = {"score": 11, "rating": 5, "date": 9, "group": 3, "weight": 4, "driver": 11, "name": 4}


# --------------------------------------------------------------------------- ranges


@dataclass
class Range:
    """A generated range argument: the value sent, its cells' readings and its shape."""

    value: object
    readings: list
    shape: tuple[int, int]
    empty: bool = False  # an empty array: no cells at all


def _shape(src) -> tuple[int, int]:
    big = src.integer(0, 19) == 0
    rows = src.integer(1, 120 if big else 6)
    return rows, src.integer(1, 4 if not big else 2)


def _cells(src, runtime: str, pool: str, count: int, typical: int) -> list[Item]:
    """``count`` cells, each an everyday one with probability ``typical`` %."""
    items = POOLS[runtime, pool]
    out = []
    for _ in range(count):
        if src.integer(0, 99) < typical:
            out.append(items[src.integer(0, COMMON[pool] - 1)])
        else:
            out.append(pick(src, items))
    return out


def _pack(runtime: str, cells: list[Item], shape: tuple[int, int]) -> Range:
    rows, columns = shape
    values = [c.value(runtime) for c in cells]
    grid = [values[r * columns : (r + 1) * columns] for r in range(rows)]
    if runtime == "classic":
        value = grid[0][0] if shape == (1, 1) else tuple(tuple(row) for row in grid)
    else:
        value = grid
    return Range(value, [c.reading for c in cells], shape)


def make_range(
    src, runtime: str, pool: str, shape: tuple[int, int] | None = None, hostile: bool = True
) -> Range:
    """A range of cells from ``pool``; ``shape`` to align it with another range. A range that
    is not ``hostile`` holds mostly everyday cells."""
    if shape is None:
        if hostile and src.integer(0, 39) == 0:  # an empty range: no cell at all
            return Range(() if runtime == "classic" else [], [], (0, 0), empty=True)
        shape = _shape(src)
    elif hostile and src.integer(0, 19) == 0:  # a range of another size
        shape = (shape[0] + src.integer(1, 3), shape[1])
    answers = pool in ("score", "rating")
    if not hostile:
        typical = pick(src, (100, 97)) if answers else 100
    else:
        typical = pick(src, (90, 60, 0) if answers else (95, 80, 0))
    return _pack(runtime, _cells(src, runtime, pool, shape[0] * shape[1], typical), shape)


def make_drivers(src, runtime: str, scores: Range, hostile: bool) -> Range:
    """A drivers block: a first row of question names over one row of ratings per score cell
    (another number of rows now and then when ``hostile``); 1 to 3 questions."""
    answers = 0 if scores.empty else scores.shape[0] * scores.shape[1]
    rows = answers
    if hostile and src.integer(0, 19) == 0:
        rows += src.integer(1, 3)
    columns = src.integer(1, 3)
    names = POOLS[runtime, "name"]
    header = [
        names[src.integer(0, COMMON["name"] - 1)]
        if src.integer(0, 9) < 8 or not hostile
        else pick(src, names)
        for _ in range(columns)
    ]
    typical = pick(src, (100, 95, 70) if hostile else (100, 97))
    cells = _cells(src, runtime, "driver", rows * columns, typical)
    return _pack(runtime, header + cells, (rows + 1, columns))


# --------------------------------------------------------------------------- single values


@dataclass(frozen=True)
class Option:
    """What a single-value argument means: omitted/blank (``default``), a value, refused
    (:class:`Bad`) or an earlier message to pass on (``passed``)."""

    value: object = None
    default: bool = False
    bad: Bad | None = None
    passed: str | None = None


def _number_of(x: object) -> float | None:
    """A value read as a number the way a person would: numbers, and text such as "0.9" or
    "0,9"; None if it is none (booleans and dates are not numbers)."""
    if isinstance(x, bool):
        return None
    if isinstance(x, (int, float)):
        return float(x)
    if isinstance(x, str) and len(x) < 100:
        try:
            return float(x.strip().replace(",", "."))
        except ValueError:
            return None
    return None


@dataclass(frozen=True)
class NumberKind:
    """An argument that takes one number."""

    name: str
    default: float | None
    valid: tuple
    invalid: tuple

    def meaning(self, raw: object, hints: tuple[str, ...]) -> Option:
        x = _number_of(raw)
        if x is None or not math.isfinite(x):
            return Option(bad=Bad(hints))
        return Option(value=x)


@dataclass(frozen=True)
class WordKind:
    """An argument that takes one word from a list (case-insensitive)."""

    name: str
    default: str
    accepted: dict  # lower-case text → its meaning
    valid: tuple
    invalid: tuple

    def meaning(self, raw: object, hints: tuple[str, ...]) -> Option:
        if isinstance(raw, float) and raw.is_integer() and abs(raw) < 1e15:
            raw = str(int(raw))  # a number cell shows as "5"
        if isinstance(raw, str) and raw.strip().lower() in self.accepted:
            return Option(value=self.accepted[raw.strip().lower()])
        return Option(bad=Bad(hints))


SCALES = {  # scale text → (min, detractor max, passive max, max)
    "0-10": (0, 6, 8, 10),
    "1-5": (1, 3, 4, 5),
    "0-4": (0, 1, 3, 4),
    "0,6,8,10": (0, 6, 8, 10),
    "1,6,8,10": (1, 6, 8, 10),
    "0–10": (0, 6, 8, 10),
    "0,5,8,10": (0, 5, 8, 10),
}
KINDS = {
    "confidence": NumberKind(
        "confidence", 0.95, (0.95, 0.9, 0.5, 0.9999, 0.8, "0.9", "0,8"), (95.0, 0.4, 1.0, 1e-9)
    ),
    "margin": NumberKind(
        "margin", None, (5.0, 10.0, 20.0, 1.0, 0.5, 200.0, 1e-3), (6e-6, 0.0, -5.0, 201.0, 1e-200)
    ),
    "expected_nps": NumberKind("expected_nps", None, (40.0, -100.0, 100.0, 0.0, 99.5), (101.0,)),
    "nps_value": NumberKind(
        "nps_value", None, (55.0, -100.0, 100.0, 0.0, 29.9, 30.0, 70.0, -0.1), (100.5, -101.0)
    ),
    "count": NumberKind(
        "count",
        None,
        (0.0, 1.0, 70.0, 15.0, 2.0, 1e308, 1.7976931348623157e308, 5e-324, 0.5, 1e15),
        (-1.0,),
    ),
    "min_n": NumberKind("min_n", 30.0, (30.0, 1.0, 0.0, 1e308, "5"), (2.5, -1.0)),
    "scale_max": NumberKind("scale_max", None, (5.0, 7.0, 10.0, 4.0, 2.0, 100.0), (1.0, 101.0)),
    "satisfied_min": NumberKind("satisfied_min", None, (4.0, 3.0, 1.0, 6.0, 8.0), (0.0, 4.5)),
    # valid or not depends on the number of answers too (at least it; planning: at least 1)
    "population": NumberKind(
        "population",
        None,
        (1000.0, 100.0, 5.0, 30.0, 1e6, "500", 1.0, 1e308, 2.5),
        (0.0, -5.0, 0.5),
    ),
    "invalid": WordKind(
        "invalid",
        "error",
        {"error": "error", "skip": "skip"},
        ("skip", "error", "SKIP"),
        ("ignore",),
    ),
    "method_ci": WordKind(
        "method",
        "adjusted-wald",
        {m: m for m in ("adjusted-wald", "wald", "score", "bootstrap")},
        ("adjusted-wald", "wald", "score", "bootstrap", "Wald"),
        ("exact",),
    ),
    "method_drivers": WordKind(
        "method",
        "lmg",
        {"lmg": "lmg", "relative-weights": "relative-weights"},
        ("lmg", "relative-weights", "LMG"),
        ("shapley values", "johnson"),
    ),
    "method_test": WordKind(
        "method",
        "adjusted-wald",
        {m: m for m in ("adjusted-wald", "wald")},
        ("adjusted-wald", "wald", "WALD"),
        ("score",),
    ),
    "scale": WordKind(
        "scale",
        "0-10",
        {k: k for k in SCALES} | {"0–10": "0–10"},
        (*SCALES, " 1-5 "),
        ("1-7", "0,8,6,10", "5"),
    ),
    "lang": WordKind(
        "lang",
        "en",
        {k.lower(): k for k in ("en", "zh-Hans", "zh-Hant", "lt", "bg")}
        | {"zh-cn": "zh-Hans", "": "en"},  # blank text is English
        ("en", "zh-Hans", "zh-Hant", "lt", "bg", "EN", "zh-CN"),
        ("fr", "english"),
    ),
    "adjust": WordKind(
        "adjust",
        "holm",
        {"holm": "holm", "bh": "bh", "none": "none", "fdr": "bh", "benjamini-hochberg": "bh"},
        ("holm", "bh", "none", "BH", " Holm ", "fdr"),
        ("bonferroni", "yes"),
    ),
    "period": WordKind(
        "period",
        "month",
        {"month": "month", "quarter": "quarter", "week": "week", "year": "year", "q": "quarter"},
        ("month", "quarter", "week", "year", "Q"),
        ("decade",),
    ),
    "scheme": WordKind(
        "scheme",
        "five",
        {"five": "five", "three": "three", "bain": "bain", "5": "five", "3": "three"},
        ("five", "three", "bain", "5", 3.0),
        ("seven", 7.0),
    ),
    "industry": WordKind(
        "industry",
        "global",
        {
            "global": "global",
            "technology": "technology",
            "professional services": "professional_services",
        },
        ("global", "technology", "TECHNOLOGY", "Professional services"),
        ("mining",),
    ),
}
ARGUMENT_KIND = {
    "confidence": "confidence",
    "margin": "margin",
    "expected_nps": "expected_nps",
    "nps_value": "nps_value",
    "promoters": "count",
    "passives": "count",
    "detractors": "count",
    "start_customers": "count",
    "end_customers": "count",
    "new_customers": "count",
    "min_n": "min_n",
    "scale_max": "scale_max",
    "satisfied_min": "satisfied_min",
    "population": "population",
    "population_a": "population",
    "population_b": "population",
    "invalid": "invalid",
    "scale": "scale",
    "lang": "lang",
    "period": "period",
    "adjust": "adjust",
    "scheme": "scheme",
    "industry": "industry",
}
HINTS = {  # words a message about the argument must contain (any of them)
    "nps_value": ("nps_value", "between -100 and 100"),
    "start_customers": ("start",),
    "end_customers": ("end",),
    "new_customers": ("new",),
    "lang": ("lang", "language"),
    "scheme": ("scheme",),
}


#: Arguments Excel cannot leave out (VBA and Office.js both require them).
REQUIRED = frozenset(
    {
        "margin",
        "nps_value",
        "promoters",
        "passives",
        "detractors",
        "start_customers",
        "end_customers",
        "new_customers",
    }
)


def _hostile(src, runtime: str) -> tuple[object, str]:
    """A hostile single value: (the value itself, what it is)."""
    classic = runtime == "classic"
    options = [
        ("bool", True),
        ("date", dt.datetime(2025, 5, 1) if classic else 45778),  # Office.js: a serial number
        ("error", COM_ERRORS["#N/A"] if classic else officejs_error("#N/A")),
        ("text", LONG_TEXT),
        ("text", DIGITS),
        ("blank", None if classic else ""),
        ("text", EARLIER),
        ("text", LONG_EARLIER),
        ("range", None),
        ("number", None),
        ("number", pick(src, (1e308, -1e308, 1.7976931348623157e308, 5e-324, 1e-300, 1e20))),
        ("text", pick(src, ("abc", "1e999", "0.9", " ", "#NPS!", ""))),
    ]
    if classic:
        options.append(("number", pick(src, (math.inf, -math.inf, math.nan))))
    what, value = pick(src, options)
    if what == "number" and value is None:
        value = src.real()
    return value, what


def make_option(
    src, runtime: str, argument: str, kind_name: str | None = None, hostile: bool = True
):
    """A single-value argument — omitted, a usual value, a refused one or a hostile one — as
    the runtime sends it, and what it means (:class:`Option`). One that is not ``hostile`` is
    omitted or a usual value."""
    kind = KINDS[kind_name or ARGUMENT_KIND[argument]]
    hints = HINTS.get(argument, (argument,))
    classic = runtime == "classic"
    choice = src.integer(0, 9 if hostile else 6)
    if choice < 3 and argument not in REQUIRED:
        return (MISSING if classic else None), Option(default=True)
    if choice < 7:
        raw, what = pick(src, kind.valid), "valid"
    elif choice < 8:
        raw, what = pick(src, kind.invalid), "refused"
    else:
        raw, what = _hostile(src, runtime)
    if what == "range":
        return (((0.9,), (0.8,)) if classic else [[0.9], [0.8]]), Option(bad=Bad(hints))
    return (raw if classic else [[raw]]), read_option(raw, what, kind, argument, hints)


def read_option(raw: object, what: str, kind, argument: str, hints: tuple) -> Option:
    """What one value means for an argument, by the rules the README gives for them."""
    if isinstance(raw, str) and raw.startswith(PREFIX):
        return Option(passed=raw)
    if raw is None or raw == "":  # a blank cell: the default, if there is one
        return Option(bad=Bad(hints)) if argument in REQUIRED else Option(default=True)
    if what in ("bool", "error") or isinstance(raw, (bool, dict, dt.datetime)):
        return Option(bad=Bad(hints))  # never a number, never a word
    if isinstance(raw, float) and math.isnan(raw):
        return Option(bad=Bad(hints))
    return kind.meaning(raw, hints)


# --------------------------------------------------------------------------- expectations


@dataclass
class Expect:
    """What a call must return: a value (checked by ``check``), a message naming one of
    ``hints``, or ``passed`` (an earlier message, passed on)."""

    check: Callable[[list[list]], None] | None = None
    hints: tuple[str, ...] = ()
    passed: str | None = None
    either: bool = False  # a value or a message are both right (a float rounding boundary)


class Mismatch(AssertionError):
    pass


def approx(got: object, want: float, *, tol: float = 1e-9, what: str = "value") -> None:
    if not isinstance(got, (int, float)) or isinstance(got, bool):
        raise Mismatch(f"{what}: want {want!r}, got {got!r}")
    if not math.isclose(got, want, rel_tol=tol, abs_tol=tol):
        raise Mismatch(f"{what}: want {want!r}, got {got!r}")


def _z(confidence: float) -> float:
    return float(norm.ppf(1 - (1 - confidence) / 2))


@dataclass
class Tally:
    """Detractors, passives, promoters (exact), blanks and invalid cells of a range."""

    det: int = 0
    pas: int = 0
    pro: int = 0
    blank: int = 0
    invalid: int = 0
    codes: list = field(default_factory=list)  # per cell: -1, 0, 1, "blank" or "invalid"

    @property
    def n(self) -> int:
        return self.det + self.pas + self.pro


def tally(readings: list, breaks: tuple[int, int, int, int]) -> Tally:
    """Count by the scale's breaks: a whole number from min to max is an answer."""
    low, det_max, pas_max, high = breaks
    t = Tally()
    for r in readings:
        if r == BLANK:
            t.blank += 1
            t.codes.append(BLANK)
        elif isinstance(r, int) and low <= r <= high:
            code = -1 if r <= det_max else (0 if r <= pas_max else 1)
            t.det += code == -1
            t.pas += code == 0
            t.pro += code == 1
            t.codes.append(code)
        else:
            t.invalid += 1
            t.codes.append("invalid")
    return t


def nps_of(pro, det, n) -> float:
    return float(100 * (Fraction(pro) - Fraction(det)) / Fraction(n))


def _ratio(a, b) -> float:
    return float(Fraction(a) / Fraction(b))


def wald_interval(pro, pas, det, z: float, adjusted: bool) -> tuple[float, float, float]:
    """(centre, margin) as proportions and the estimate in points: Wald, or adjusted Wald with
    ¾ detractor, 1½ passive and ¾ promoter added (Rocks 2016)."""
    pro, pas, det = Fraction(pro), Fraction(pas), Fraction(det)
    n = pro + pas + det
    if adjusted:
        pro, pas, det, n = pro + Fraction(3, 4), pas + Fraction(3, 2), det + Fraction(3, 4), n + 3
    p, d = pro / n, det / n
    v = p + d - (p - d) ** 2
    try:
        margin = z * math.sqrt(float(v / n))
    except OverflowError:  # a sample of less than 1e-308 answers: no bound at all
        margin = math.inf
    return float(p - d), margin


def _scores_reason(t: Tally | None, mode: str, argument: str) -> tuple[str, ...] | None:
    """The hint if reading the answers must fail: an invalid answer in error mode, or none."""
    if t is None:
        return (argument,)
    if mode == "error" and t.invalid:
        return (argument,)
    if t.n == 0:
        return (argument,)
    return None


class Call:
    """One generated call: the function, the arguments as sent, and the expectation."""

    def __init__(self, function: str, runtime: str, args: list, expect: Expect):
        self.function = function
        self.runtime = runtime
        self.args = args
        self.expect = expect

    def describe(self, limit: int = 300) -> str:
        text = f"{self.function}({', '.join(_short(a) for a in self.args)})"
        return text if len(text) <= limit else text[: limit - 1] + "…"


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:40] + f"…<{len(text)} chars>"


def make_call(src, runtime: str, function: str) -> Call:
    """A hostile call of ``function`` and what it must return."""
    names = FUNCTIONS[function]
    sent: dict[str, object] = {}
    ranges: dict[str, Range] = {}
    options: dict[str, Option] = {}
    first: Range | None = None
    hostile = src.integer(0, 1) == 1  # half the calls hostile, half everyday
    for name in names:
        if name in ("scores", "scores_a", "scores_b", "ratings"):
            pool = "rating" if name == "ratings" else "score"
            ranges[name] = make_range(src, runtime, pool, hostile=hostile)
            first = first or ranges[name]
            sent[name] = ranges[name].value
        elif name == "drivers":
            ranges[name] = make_drivers(src, runtime, first, hostile)
            sent[name] = ranges[name].value
        elif name in ("dates", "groups", "weights"):
            pool = {"dates": "date", "groups": "group", "weights": "weight"}[name]
            shape = first.shape if first and not first.empty else None
            ranges[name] = make_range(src, runtime, pool, shape, hostile=hostile)
            sent[name] = ranges[name].value
        else:
            kind = None
            if name == "method":
                kind = {"NPS_TEST": "method_test", "NPS_DRIVERS": "method_drivers"}.get(
                    function, "method_ci"
                )
            sent[name], options[name] = make_option(src, runtime, name, kind, hostile)
    args = [sent[name] for name in names]
    return Call(function, runtime, args, expect(function, runtime, args, ranges, options))


def _top_level_text(runtime: str, value: object) -> str | None:
    one_cell = isinstance(value, list) and len(value) == 1 and isinstance(value[0], list)
    if runtime == "officejs" and one_cell and len(value[0]) == 1:
        value = value[0][0]
    return value if isinstance(value, str) else None


def expect(
    function: str, runtime: str, args: list, ranges: dict[str, Range], options: dict[str, Option]
) -> Expect:
    for value in args:  # an earlier message in a single-value argument is passed on
        text = _top_level_text(runtime, value)
        if text is not None and text.startswith(PREFIX):
            return Expect(passed=text)
    hints: list[str] = []
    got: dict[str, object] = {}
    for name, option in options.items():
        if option.bad is not None:
            hints.extend(option.bad.hints)
        elif option.default:
            got[name] = None
        else:
            got[name] = option.value
    return ORACLES[function](ranges, got, hints)


def _word(got: dict, name: str, kind: str) -> object:
    value = got.get(name)
    return KINDS[kind].default if value is None else value


def _breaks(got: dict) -> tuple:
    return SCALES[_word(got, "scale", "scale")]


def _confidence(got: dict, hints: list) -> float:
    c = got.get("confidence")
    c = 0.95 if c is None else c
    if not 0.5 <= c <= 0.9999:
        hints.append("confidence")
    return c


def _message(hints: list) -> Expect:
    return Expect(hints=tuple(hints))


def _answers(ranges, name: str, got: dict, hints: list) -> Tally:
    """Tally the answers of range ``name``; add its hint if reading them must fail."""
    r = ranges[name]
    mode = _word(got, "invalid", "invalid")
    t = None if r.empty else tally(r.readings, _breaks(got))
    reason = _scores_reason(t, mode, name)
    if reason:
        hints.extend(reason)
    if name.startswith("scores"):
        _scale_hint(r, got, hints)
    return t or Tally()


def _scale_hint(r, got: dict, hints: list) -> None:
    """docs/reading.md, "Scale": 10+ answers (read as 0–10) all within 0–5 or all within 1–7
    ask for the scale argument when it is omitted."""
    if got.get("scale") is not None or r.empty:
        return
    seen = [x for x in r.readings if isinstance(x, int) and 0 <= x <= 10]
    if len(seen) >= 10 and (max(seen) <= 5 or (min(seen) >= 1 and max(seen) <= 7)):
        hints.append("scale")


def _rows(table: list[list], count: int, what: str) -> list[list]:
    if len(table) != count:
        raise Mismatch(f"{what}: want {count} rows, got {len(table)}: {table!r:.300}")
    return table


# ----- the oracles: one per function; each appends the hints of every refused argument, and
# ----- returns a message expectation if there is one, else the value check.


def o_nps(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    if hints:
        return _message(hints)
    want = nps_of(t.pro, t.det, t.n)
    return Expect(check=lambda table: approx(_scalar(table), want, what="NPS"))


def o_counts(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    if hints:
        return _message(hints)

    def check(table):
        rows = _rows(table, 6, "NPS_COUNTS")
        want = [t.pro, t.pas, t.det, t.n, t.blank + t.invalid]
        counts = [row[1] for row in rows[1:]]
        if counts != want:
            raise Mismatch(f"counts: want {want}, got {counts}")
        for row, k in zip(rows[1:4], (t.pro, t.pas, t.det), strict=True):
            approx(row[2], _ratio(k, t.n), what="share")

    return Expect(check=check)


WORDS_EN = {1: "Promoter", 0: "Passive", -1: "Detractor", "invalid": "Invalid", BLANK: None}


def o_category(ranges, got, hints):
    r = ranges["scores"]
    if r.empty:
        hints.append("scores")
    _scale_hint(r, got, hints)
    if hints:
        return _message(hints)
    t = tally(r.readings, _breaks(got))
    english = _word(got, "lang", "lang") == "en"

    def check(table):
        rows, columns = r.shape
        if len(table) != rows or any(len(row) != columns for row in table):
            raise Mismatch(f"NPS_CATEGORY: want shape {r.shape}, got {table!r:.300}")
        flat = [v for row in table for v in row]
        seen: dict = {}
        for code, word in zip(t.codes, flat, strict=True):
            if english and word != WORDS_EN[code]:
                raise Mismatch(f"category: want {WORDS_EN[code]!r}, got {word!r}")
            if (word is None) != (code == BLANK) or seen.setdefault(code, word) != word:
                raise Mismatch(f"category of {code!r}: got {word!r}")

    return Expect(check=check)


def _population(got: dict, name: str, answers, hints: list) -> Fraction:
    """The finite population correction f = 1 − n/N of argument ``name`` (1 when omitted);
    a population below the number of answers or below 1 adds its hint (decision D2)."""
    size = got.get(name)
    if size is None:
        return Fraction(1)
    least = Fraction(1) if answers is None else max(Fraction(answers), Fraction(1))
    if Fraction(size) < least:
        hints.append(name)
        return Fraction(1)
    return Fraction(1) if answers is None else 1 - Fraction(answers) / Fraction(size)


def _interval_check(pro, pas, det, confidence, method, f=Fraction(1)):
    est = nps_of(pro, det, Fraction(pro) + Fraction(pas) + Fraction(det))

    def check(table):
        rows = _rows(table, 1, "interval")
        low, mid, high = rows[0]
        approx(mid, est, what="estimate")
        for v in (low, high):
            approx(v, min(max(v, -100.0), 100.0), what="bound within ±100")
        if not low <= high:
            raise Mismatch(f"low {low} > high {high}")
        if f == 0:  # a census (D2): the interval is the NPS itself
            approx(low, est, tol=1e-7, what="low of a census")
            approx(high, est, tol=1e-7, what="high of a census")
        elif method in ("wald", "adjusted-wald"):
            centre, margin = wald_interval(pro, pas, det, _z(confidence), method != "wald")
            margin *= math.sqrt(f)  # D2: the variance times f
            # rule D1: a bound that leaves out the NPS is moved to it, then clipped to ±100
            want_low = max(min(100 * (centre - margin), est), -100.0)
            want_high = min(max(100 * (centre + margin), est), 100.0)
            approx(low, want_low, tol=1e-7, what="low")
            approx(high, want_high, tol=1e-7, what="high")
        if not low - 1e-7 <= est <= high + 1e-7:  # D1, every method
            raise Mismatch(f"the {method} interval {low}..{high} does not hold the NPS {est}")

    return check


def o_ci(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    confidence = _confidence(got, hints)
    f = _population(got, "population", t.n, hints)
    if hints:
        return _message(hints)
    method = _word(got, "method", "method_ci")
    return Expect(check=_interval_check(t.pro, t.pas, t.det, confidence, method, f))


def o_moe(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    confidence = _confidence(got, hints)
    f = _population(got, "population", t.n, hints)
    if hints:
        return _message(hints)
    method = _word(got, "method", "method_ci")

    def check(table):
        moe = _scalar(table)
        if method in ("wald", "adjusted-wald"):
            _, margin = wald_interval(t.pro, t.pas, t.det, _z(confidence), method != "wald")
            approx(moe, 100 * margin * math.sqrt(f), tol=1e-7, what="margin of error")
        elif not (isinstance(moe, float) and 0 <= moe <= 200):
            raise Mismatch(f"margin of error {moe!r}")

    return Expect(check=check)


def o_test(ranges, got, hints):
    a = _answers(ranges, "scores_a", got, hints)
    b = _answers(ranges, "scores_b", got, hints)
    confidence = _confidence(got, hints)
    fa = _population(got, "population_a", a.n, hints)
    fb = _population(got, "population_b", b.n, hints)
    if hints:
        return _message(hints)
    method = _word(got, "method", "method_test")
    z_crit = _z(confidence)
    censuses = fa == fb == 0  # D2: two censuses differ by exactly their difference

    def parts(t: Tally):
        pro, det, n = Fraction(t.pro), Fraction(t.det), Fraction(t.n)
        if method == "adjusted-wald" and not censuses:
            pro, det, n = pro + Fraction(3, 4), det + Fraction(3, 4), n + 3
        p, d = pro / n, det / n
        return float(p - d), float((p + d - (p - d) ** 2) / n)

    (ca, va), (cb, vb) = parts(a), parts(b)
    centre, se = ca - cb, math.sqrt(float(fa) * va + float(fb) * vb)
    z = centre / se if se > 0 else (0.0 if centre == 0 else math.copysign(math.inf, centre))
    p = math.erfc(abs(z) / math.sqrt(2))

    def check(table):
        values = [row[1] for row in _rows(table, 8, "NPS_TEST")[1:]]
        approx(values[0], nps_of(a.pro, a.det, a.n), what="NPS A")
        approx(values[1], nps_of(b.pro, b.det, b.n), what="NPS B")
        approx(values[2], nps_of(a.pro, a.det, a.n) - nps_of(b.pro, b.det, b.n), what="diff")
        diff = nps_of(a.pro, a.det, a.n) - nps_of(b.pro, b.det, b.n)
        # rule D1: the interval is widened to hold the observed difference, then clipped
        want_low = max(min(100 * (centre - z_crit * se), diff), -200.0)
        want_high = min(max(100 * (centre + z_crit * se), diff), 200.0)
        approx(values[3], want_low, tol=1e-7, what="low")
        approx(values[4], want_high, tol=1e-7, what="high")
        approx(values[5], p, tol=1e-7, what="p-value")
        if abs(p - (1 - confidence)) > 1e-9 and values[6] is not (p < 1 - confidence):
            raise Mismatch(f"significant: want {p < 1 - confidence}, got {values[6]!r}")

    return Expect(check=check)


def o_sample_size(ranges, got, hints):
    margin, expected = got.get("margin"), got.get("expected_nps")
    confidence = _confidence(got, hints)
    size = got.get("population")
    _population(got, "population", None, hints)
    if margin is None or not 0 < margin <= 200:
        hints.append("margin")
    if expected is not None and not -100 <= expected <= 100:
        hints.append("expected_nps")
    if hints:
        return _message(hints)
    v = Fraction(1) - (Fraction(expected) / 100) ** 2 if expected is not None else Fraction(1)
    z = Fraction(_z(confidence))
    if v == 0:
        return Expect(check=lambda table: _equal(_scalar(table), 1, "sample size"))

    def finite(n0: int) -> set[int]:  # Cochran (1977) §4.4: n0 / (1 + (n0 − 1)/N), at most N
        n = Fraction(n0) / (1 + Fraction(n0 - 1) / Fraction(size))
        return {max(min(math.ceil(x), math.ceil(size)), 1) for x in (n - Fraction(1, 10**6), n)}

    need = z * z * v / (Fraction(margin) / 100) ** 2 - 3
    limit = 10**15
    if need > limit + 10**6:
        return _message(["margin"])
    if need > limit - 10**6:
        return Expect(either=True, hints=("margin",), check=lambda table: None)

    def check(table):
        got_n = _scalar(table)
        allowed = {max(math.ceil(need - Fraction(1, 10**6)), 1), max(math.ceil(need), 1)}
        if size is not None:
            allowed = set().union(*(finite(n0) for n0 in allowed))
        if got_n not in allowed or isinstance(got_n, bool):
            raise Mismatch(f"sample size: want {sorted(allowed)}, got {got_n!r}")

    return Expect(check=check)


def _equal(got, want, what):
    if got != want:
        raise Mismatch(f"{what}: want {want!r}, got {got!r}")


_GRAINS = ("week", "month", "quarter", "year")


def _grain(dates: list) -> str | None:
    """docs/reading.md, "The trend is never finer than the dates": answers all dated on the
    first day of a period at midnight are dated by that period — every 1 January (two days or
    more): years; first days of quarters (two days or more): quarters; first days of months:
    months; else days (None)."""
    if any(isinstance(d, dt.datetime) and d.time() != dt.time() for d in dates):
        return None
    days = {d.date() if isinstance(d, dt.datetime) else d for d in dates}
    if any(d.day != 1 for d in days):
        return None
    if len(days) > 1 and all(d.month == 1 for d in days):
        return "year"
    if len(days) > 1 and all(d.month % 3 == 1 for d in days):
        return "quarter"
    return "month"


def _period_key(day: dt.date, period: str) -> int:
    day = day.date() if isinstance(day, dt.datetime) else day
    if period == "year":
        return day.year
    if period == "quarter":
        return day.year * 4 + (day.month - 1) // 3
    if period == "month":
        return day.year * 12 + day.month - 1
    return (day.toordinal() - day.weekday()) // 7  # weeks start on Monday


def _aligned(ranges, name: str, scores: Range, hints: list, hint: str) -> list | None:
    r = ranges[name]
    if scores.empty:
        return None
    if r.shape[0] * r.shape[1] != scores.shape[0] * scores.shape[1]:
        hints.append(hint)
        return None
    return r.readings


def _check_tests(rows: list[list], adjust: str) -> None:
    """The spilled tests of one family (the last three columns: p-value, adjusted p-value, raw
    flag): each adjusted p-value at least the raw one and at most 1, equal with "none"; the
    Holm family's smallest adjusted p-value m × the smallest raw one (Holm 1979)."""
    tested = [(row[-3], row[-2]) for row in rows if row[-3] is not None]
    for p, p_adj in tested:
        if not (0 <= p <= p_adj <= 1 + 1e-12) or (adjust == "none" and p_adj != p):
            raise Mismatch(f"{adjust} p-values: raw {p!r}, adjusted {p_adj!r}")
    if adjust == "holm" and tested:
        p, p_adj = min(tested)
        approx(p_adj, min(1.0, len(tested) * p), what="Holm's smallest adjusted p-value")


def o_trend(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    confidence = _confidence(got, hints)
    period = _word(got, "period", "period")
    dates = _aligned(ranges, "dates", ranges["scores"], hints, "dates")
    if dates is not None:
        refused = any(isinstance(d, Bad) for d in dates)
        undated = any(c in (-1, 0, 1) and d is None for c, d in zip(t.codes, dates, strict=True))
        if refused or undated:  # every date is read; every answer needs one
            hints.append("dates")
    if hints:
        return _message(hints)
    adjust = _word(got, "adjust", "adjust")
    dated = [d for c, d in zip(t.codes, dates, strict=True) if c in (-1, 0, 1)]
    grain = _grain(dated)
    if grain is not None and _GRAINS.index(grain) > _GRAINS.index(period):
        period = grain  # a month between two quarters would be invented
    per: Counter = Counter()
    sums: Counter = Counter()
    for code, day in zip(t.codes, dates, strict=True):
        if code in (-1, 0, 1):
            key = _period_key(day, period)
            per[key] += 1
            sums[key] += code
    first, last = min(per), max(per)
    keys = range(first, last + 1)

    def check(table):
        rows = _rows(table, len(keys) + 1, "NPS_TREND")[1:]
        ns = [row[1] for row in rows]
        if ns != [per[k] for k in keys]:
            raise Mismatch(f"n per period: want {[per[k] for k in keys]!r:.200}, got {ns!r:.200}")
        for row, k in zip(rows, keys, strict=True):
            if per[k]:
                approx(row[2], float(Fraction(100 * sums[k], per[k])), what="NPS of a period")
            elif row[2] is not None:
                raise Mismatch(f"an empty period has NPS {row[2]!r}")
        _check_tests(rows, adjust)

    del confidence
    return Expect(check=check)


def _cut(text: str) -> str:
    return text if len(text) <= CELL_LIMIT else text[: CELL_LIMIT - 1] + "…"


BLANK_GROUP = "\0blank"  # the group of answers whose group cell is blank


def o_by(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    _confidence(got, hints)
    min_n = got.get("min_n")
    if min_n is not None and not (min_n.is_integer() and min_n >= 0):
        hints.append("min_n")
    labels = _aligned(ranges, "groups", ranges["scores"], hints, "groups")
    if labels is not None and any(isinstance(label, Bad) for label in labels):
        hints.append("groups")
    if hints:
        return _message(hints)
    lang = _word(got, "lang", "lang")
    adjust = _word(got, "adjust", "adjust")
    per: Counter = Counter()
    sums: Counter = Counter()
    for code, label in zip(t.codes, labels, strict=True):
        if code in (-1, 0, 1):
            key = BLANK_GROUP if label is None else (_cut(label) or None)
            per[key] += 1
            sums[key] += code

    def check(table):
        found: dict = {}
        for row in table[1:]:
            if not row[1]:
                continue  # a group whose answers are all blank or invalid
            key = row[0]
            # the answers without a group: "Blank" in English, its translation otherwise
            blank = BLANK_GROUP in per and BLANK_GROUP not in found
            if key not in per and blank and (lang != "en" or key == "Blank"):
                key = BLANK_GROUP
            if key in found:
                raise Mismatch(f"group {key!r:.40} twice: {table!r:.300}")
            found[key] = (row[1], row[5])
        if set(found) != set(per):
            raise Mismatch(f"groups: want {sorted(map(str, per))!r:.200}, got {table!r:.300}")
        for key, (n, nps) in found.items():
            _equal(n, per[key], f"n of group {key!r:.30}")
            approx(nps, float(Fraction(100 * sums[key], per[key])), what="NPS of a group")
        _check_tests(table[1:], adjust)

    return Expect(check=check)


def _counts(got, hints, names=("promoters", "passives", "detractors")):
    values = []
    for name in names:
        x = got.get(name)
        if x is None or x < 0:
            hints.append(HINTS.get(name, (name,))[0])
        values.append(x)
    return values


def o_from_counts(ranges, got, hints):
    pro, pas, det = _counts(got, hints)
    if not hints and pro + pas + det == 0:
        hints.append("answers")
    if hints:
        return _message(hints)
    want = nps_of(pro, det, Fraction(pro) + Fraction(pas) + Fraction(det))
    return Expect(check=lambda table: approx(_scalar(table), want, what="NPS"))


def o_from_counts_ci(ranges, got, hints):
    pro, pas, det = _counts(got, hints)
    confidence = _confidence(got, hints)
    f = Fraction(1)
    if not hints:
        # the number of answers as Excel adds it (a float sum: 1e308 + 70 is 1e308); a sum
        # past the largest float is no number of people
        n = pro + pas + det
        f = _population(got, "population", n if math.isfinite(n) else 2**1100, hints)
    if not hints and pro + pas + det == 0:
        hints.append("answers")
    if hints:
        return _message(hints)
    method = _word(got, "method", "method_ci")
    return Expect(check=_interval_check(pro, pas, det, confidence, method, f))


def o_weighted(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    if hints:
        return _message(hints)
    weights = _aligned(ranges, "weights", ranges["scores"], hints, "weight")
    if weights is None:
        return _message(hints)
    if any(isinstance(w, Bad) for w in weights):
        return _message(["weight"])
    total = Fraction(0)
    net = Fraction(0)
    for code, w in zip(t.codes, weights, strict=True):
        if code not in (-1, 0, 1):
            continue
        if w is None or not math.isfinite(w) or w < 0:
            return _message(["weight"])
        total += Fraction(w)
        net += code * Fraction(w)
    if total == 0:
        return _message(["weight"])
    want = float(100 * net / total)
    return Expect(check=lambda table: approx(_scalar(table), want, tol=1e-9, what="weighted NPS"))


def _ratings(ranges, got, hints, default_top: int):
    top = got.get("scale_max")
    top = default_top if top is None else top
    if not (float(top).is_integer() and 2 <= top <= 100):
        hints.append("scale_max")
        return None, None
    top = int(top)
    r = ranges["ratings"]
    t = None if r.empty else tally(r.readings, (1, 1, 1, top))
    reason = _scores_reason(t, _word(got, "invalid", "invalid"), "ratings")
    if reason:
        hints.extend(reason)
        return top, None
    values = [reading for reading in r.readings if isinstance(reading, int) and 1 <= reading <= top]
    return top, values


def o_csat(ranges, got, hints):
    top, values = _ratings(ranges, got, hints, 5)
    minimum = got.get("satisfied_min")
    if top is not None:
        if minimum is None:
            unusable = top not in (5, 7, 10)  # no default threshold
        else:
            unusable = not (minimum.is_integer() and 1 <= minimum <= top)
        if unusable:
            hints.append("satisfied_min")
    if hints or values is None:
        return _message(hints)
    threshold = {5: 4, 7: 6, 10: 8}[top] if minimum is None else int(minimum)
    want = float(Fraction(100 * sum(v >= threshold for v in values), len(values)))
    return Expect(check=lambda table: approx(_scalar(table), want, what="CSAT"))


def o_ces(ranges, got, hints):
    _, values = _ratings(ranges, got, hints, 7)
    if hints or values is None:
        return _message(hints)
    want = float(Fraction(sum(values), len(values)))
    return Expect(check=lambda table: approx(_scalar(table), want, what="CES"))


def o_crr(ranges, got, hints):
    start, end, new = _counts(got, hints, ("start_customers", "end_customers", "new_customers"))
    if hints:
        return _message(hints)
    start, end, new = Fraction(start), Fraction(end), Fraction(new)
    if start == 0:
        return _message(["start"])
    if new > end:
        return _message(["new", "end"])
    retained = end - new
    if retained > start:
        close = float(retained - start) <= 1e-12 * float(start)
        return Expect(hints=("start", "end", "new"), either=close, check=lambda table: None)
    want = float(100 * retained / start)
    return Expect(check=lambda table: approx(_scalar(table), want, what="CRR"))


BANDS_EN = {
    "five": ("Needs improvement", "Acceptable", "Good", "Excellent", "World class"),
    "three": ("Low", "Medium", "High"),
    "bain": ("Needs improvement", "Good", "Great", "Excellent", "World class"),
}


def _nps_value(got, hints):
    value = got.get("nps_value")
    if value is None or not -100 <= value <= 100:
        hints.extend(HINTS["nps_value"])
    return value


def o_label(ranges, got, hints):
    _nps_value(got, hints)
    if hints:
        return _message(hints)
    scheme = _word(got, "scheme", "scheme")
    english = _word(got, "lang", "lang") == "en"

    def check(table):
        label = _scalar(table)
        if not isinstance(label, str) or label.startswith(PREFIX):
            raise Mismatch(f"band label {label!r}")
        if english and label not in BANDS_EN[scheme]:
            raise Mismatch(f"band label {label!r} is not one of {BANDS_EN[scheme]}")

    return Expect(check=check)


def o_benchmark(ranges, got, hints):
    value = _nps_value(got, hints)
    if hints:
        return _message(hints)

    def check(table):
        if len(table) < 2 or any(len(row) != 4 for row in table):
            raise Mismatch(f"NPS_BENCHMARK: {table!r:.300}")
        for row in table[1:]:
            approx(row[2], value - row[1], tol=1e-6, what="gap to the benchmark")

    return Expect(check=check)


def _r_squared(y: np.ndarray, x: np.ndarray) -> float:
    """R² of the least-squares fit of y on the columns of x and an intercept (lstsq on the
    data, not the correlation matrix the code uses)."""
    design = np.column_stack([np.ones(len(y)), x])
    beta, *_ = np.linalg.lstsq(design, y, rcond=None)
    residual = y - design @ beta
    return 1.0 - float(residual @ residual) / float(((y - y.mean()) ** 2).sum())


def _lmg(y: np.ndarray, x: np.ndarray) -> list[float]:
    """The Shapley value of R² of each column (Lindeman, Merenda & Gold 1980): the mean gain
    in R² from adding it, over every order of the columns (itertools.permutations)."""
    p = x.shape[1]
    gains = [0.0] * p
    orders = list(itertools.permutations(range(p)))
    for order in orders:
        before, chosen = 0.0, []
        for j in order:
            chosen.append(j)
            after = _r_squared(y, x[:, chosen])
            gains[j] += after - before
            before = after
    return [g / len(orders) for g in gains]


def o_drivers(ranges, got, hints):
    t = _answers(ranges, "scores", got, hints)
    d = ranges["drivers"]
    rows, columns = d.shape
    header, ratings = d.readings[:columns], d.readings[columns:]
    if (
        (not ranges["scores"].empty and rows - 1 != t.n + t.blank + t.invalid)
        or any(isinstance(r, Bad) for r in header)
        or len(set(header)) != len(header)
        or any(isinstance(r, Bad) for r in ratings)
    ):
        hints.append("drivers")
    if hints:
        return _message(hints)
    method = _word(got, "method", "method_drivers")
    grid = [ratings[r * columns : (r + 1) * columns] for r in range(rows - 1)]
    keep = [i for i, code in enumerate(t.codes) if code in (-1, 0, 1) and None not in grid[i]]
    scores = [v for v in ranges["scores"].readings]
    y = np.array([float(scores[i]) for i in keep])
    x = np.array([[grid[i][j] for j in range(columns)] for i in keep], dtype=float).reshape(
        len(keep), columns
    )
    if len(keep) < columns + 2 or np.ptp(y) == 0 or (x.size and np.ptp(x, axis=0).min() == 0):
        return _message(["driver", "score"])  # too few complete answers, or one is constant
    centred = x - x.mean(axis=0)
    if np.linalg.matrix_rank(centred) < columns:  # collinear: a message, or some numbers
        return Expect(either=True, hints=("driver",), check=lambda table: None)
    r2 = _r_squared(y, x)
    want = dict(zip(header, _lmg(y, x), strict=True)) if method == "lmg" else None
    corr = {h: float(np.corrcoef(y, x[:, j])[0, 1]) for j, h in enumerate(header)}
    english = _word(got, "lang", "lang") == "en"

    def check(table):
        body = _rows(table, columns + 1, "NPS_DRIVERS")[1:]
        if english and table[0] != [
            "Rank",
            "Driver",
            "Share of R² (%)",
            "Importance",
            "Correlation",
        ]:
            raise Mismatch(f"NPS_DRIVERS header {table[0]!r}")
        if [row[0] for row in body] != list(range(1, columns + 1)):
            raise Mismatch(f"ranks {[row[0] for row in body]!r}")
        if sorted(_cut(row[1]) for row in body) != sorted(_cut(h) for h in header):
            raise Mismatch(f"drivers {[row[1] for row in body]!r:.200}")
        importance = [row[3] for row in body]
        if importance != sorted(importance, reverse=True):
            raise Mismatch(f"not ranked by importance: {importance!r}")
        approx(sum(importance), r2, tol=1e-7, what="importances summing to R²")
        if r2 > 1e-9:
            approx(sum(row[2] for row in body), 100.0, tol=1e-7, what="shares summing to 100")
        for row in body:
            name = next(h for h in header if _cut(h) == row[1])
            approx(row[4], corr[name], tol=1e-7, what=f"correlation of {name!r:.30}")
            if want is not None:
                approx(row[3], want[name], tol=1e-7, what=f"LMG of {name!r:.30}")

    return Expect(check=check)


ORACLES: dict[str, Callable] = {
    "NPS": o_nps,
    "NPS_COUNTS": o_counts,
    "NPS_CATEGORY": o_category,
    "NPS_LABEL": o_label,
    "NPS_BENCHMARK": o_benchmark,
    "NPS_CI": o_ci,
    "NPS_MOE": o_moe,
    "NPS_TEST": o_test,
    "NPS_SAMPLE_SIZE": o_sample_size,
    "NPS_TREND": o_trend,
    "NPS_BY": o_by,
    "NPS_DRIVERS": o_drivers,
    "NPS_FROM_COUNTS": o_from_counts,
    "NPS_FROM_COUNTS_CI": o_from_counts_ci,
    "NPS_WEIGHTED": o_weighted,
    "CSAT": o_csat,
    "CES": o_ces,
    "CRR": o_crr,
}


# --------------------------------------------------------------------------- checks

#: Texts that only a programmer should ever see.
INTERNAL = re.compile(
    r"Traceback|\b\w*(Error|Exception|Warning)\b|f\(a\) and f\(b\)|Exceeds the limit|"
    r"int too large|could not compute a result|object has no attribute|unsupported operand|"
    r"not supported between|Numerical result|division by zero|NoneType|numpy|pandas|scipy"
)


@dataclass(frozen=True)
class Failure:
    kind: str  # exception, not-json, internal, too-long, not-finite, wrong-value, …
    detail: str


def as_table(result: object) -> list[list]:
    """A result as rows of cells, blanks as None (classic unwraps 1×1 and 1×N results)."""
    if isinstance(result, (list, tuple)):
        rows = result if result and isinstance(result[0], (list, tuple)) else [result]
    else:
        rows = [[result]]
    return [[None if v == "" else v for v in row] for row in rows]


def _scalar(table: list[list]) -> object:
    if len(table) != 1 or len(table[0]) != 1:
        raise Mismatch(f"want one value, got {table!r:.300}")
    return table[0][0]


def contract(table: list[list]) -> Failure | None:
    """The rules every result keeps, whatever the arguments."""
    for row in table:
        for v in row:
            if isinstance(v, float) and not math.isfinite(v):
                return Failure("not-finite", repr(v))
            if isinstance(v, int) and not isinstance(v, bool) and abs(v) > 2**53:
                return Failure("not-finite", f"a whole number of {len(str(v))} digits")
            if isinstance(v, str):
                if len(v) > CELL_LIMIT:
                    return Failure("too-long", f"{len(v):,} characters")
                if v.startswith(PREFIX) and ("\n" in v or INTERNAL.search(v)):
                    return Failure("internal", v[:300])
            elif v is not None and not isinstance(v, (bool, int, float)):
                return Failure("wrong-type", repr(v)[:200])
    return None


def _one_line(text: str) -> str:
    return _cut(PREFIX + " ".join(text[len(PREFIX) :].split()))


def check(call: Call, outcome: dict) -> Failure | None:
    """Check one call's outcome: ``{"value": …}``, ``{"exception": …}`` or ``{"not_json": …}``."""
    if "exception" in outcome:
        return Failure("exception", outcome["exception"][:300])
    if "not_json" in outcome:
        return Failure("not-json", outcome["not_json"][:300])
    table = as_table(outcome["value"])
    broken = contract(table)
    if broken:
        return broken
    e = call.expect
    message = table[0][0] if len(table) == 1 and len(table[0]) == 1 else None
    is_message = isinstance(message, str) and message.startswith(PREFIX)
    if e.passed is not None:
        if message != _one_line(e.passed):
            return Failure(
                "wrong-message", f"want the earlier message passed on, got {message!r:.200}"
            )
        return None
    if e.either and is_message:
        return None
    if e.check is None or (e.hints and not e.either):
        if not is_message:
            return Failure("wrong-value", f"want a message naming {e.hints}, got {table!r:.300}")
        if e.hints and not any(h.lower() in message.lower() for h in e.hints):
            return Failure(
                "wrong-message", f"want a message naming {e.hints}, got {message!r:.300}"
            )
        return None
    if is_message:
        return Failure("wrong-value", f"want a value, got {message!r:.300}")
    try:
        e.check(table)
    except Mismatch as exc:
        return Failure("wrong-value", str(exc)[:400])
    return None


def call_classic(xl, call: Call) -> dict:
    try:
        return {"value": xl.call(call.function, *call.args)}
    except Exception as exc:  # a failure the check reports
        return {"exception": f"{type(exc).__name__}: {exc}"}
