"""Turn raw answers into valid scores, and say exactly what was not a score.

Every answer ends up in one of three states:

* **valid** — a whole number on the scale, given as a number (``9``, ``9.0``) or as text
  (``"9"``, ``" 9 "``, ``"10 - Extremely likely"``, ``"0 = Not at all likely"``,
  ``"9 (very likely)"``, ``"10 – Labai tikėtina"``, full-width ``"１０"``);
* **blank** — ``None``, NaN, ``pd.NA``/``NaT``, empty or whitespace-only text. Never counted,
  always reported as a number of blanks;
* **invalid** — out-of-range or non-whole numbers (11, −1, 7.5), infinities, booleans,
  dates and datetimes, Excel error values (``"#N/A"``, ``"#VALUE!"``, …) and text that does
  not start with a score (``"N/A"``, ``"n.a."``, ``"great"``).

``invalid="error"`` (the default) raises :class:`ScoreError` naming the first offending
position, its value and how many answers are invalid; ``invalid="skip"`` drops them and keeps
their positions and values on the :class:`ParsedScores` result so a caller can list them.
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain
from operator import itemgetter

import numpy as np
import pandas as pd

from nps_xl.errors import LocalizedError, Message

VALID, BLANK, INVALID = 0, 1, 2
INVALID_MODES = ("error", "skip")

# Excel shows these in cells whose formula failed; the Office.js and CSV routes deliver the text.
EXCEL_ERRORS = frozenset(
    {
        "#N/A",
        "#VALUE!",
        "#DIV/0!",
        "#REF!",
        "#NAME?",
        "#NUM!",
        "#NULL!",
        "#SPILL!",
        "#CALC!",
        "#FIELD!",
        "#BLOCKED!",
        "#CONNECT!",
        "#BUSY!",
        "#UNKNOWN!",
        "#GETTING_DATA",
        "#EXTERNAL!",
        "#PYTHON!",
    }
)

#: What statistics tools and spreadsheets write for "no answer": R's ``NA``, ``NaN``,
#: ``null``/``NULL``/``None``, pandas' ``<NA>``, SPSS/SAS's ``.`` and Excel's ``#N/A`` ("not
#: available", a lookup that found nothing). Such a cell is a blank answer — counted as blank,
#: never invalid — in files, Excel functions and the refresh alike. A person's typed "N/A" or
#: "n/a" is not on the list: it is an invalid answer, listed with its row, so it gets fixed.
MISSING_MARKERS = ("NA", "NaN", "nan", "NAN", "null", "NULL", "Null", "None", "<NA>", ".", "#N/A")
_MISSING = frozenset(MISSING_MARKERS)

# A score at the start of the text, optionally with a zero decimal part ("9.0", "9,0"), followed
# by nothing, or by something that is not a digit or a Latin letter (" - label", "分", "(…)").
_LEADING_SCORE = re.compile(r"^([+-]?\d+)(?:[.,](\d+))?(?![\d])(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Scale:
    """A rating scale and its category breaks.

    Answers ``minimum..detractor_max`` are detractors, ``detractor_max+1..passive_max``
    passives and ``passive_max+1..maximum`` promoters.
    """

    minimum: int
    detractor_max: int
    passive_max: int
    maximum: int
    name: str = "custom"
    source: str = ""

    def __post_init__(self) -> None:
        breaks = (self.minimum, self.detractor_max, self.passive_max, self.maximum)
        if not all(isinstance(b, (int, np.integer)) and not isinstance(b, bool) for b in breaks):
            raise ValueError(f"Scale breaks must be whole numbers, got {breaks}.")
        if not self.minimum <= self.detractor_max <= self.passive_max < self.maximum:
            raise ValueError(
                "Scale breaks must satisfy minimum <= detractor max <= passive max < maximum, "
                f"got {breaks}. Example: (0, 6, 8, 10) for the standard 0–10 scale."
            )

    @property
    def breaks(self) -> tuple[int, int, int, int]:
        return (self.minimum, self.detractor_max, self.passive_max, self.maximum)

    def __str__(self) -> str:
        return f"{self.minimum}–{self.maximum}"

    def categorize(self, scores: np.ndarray) -> np.ndarray:
        """Category codes of valid scores: −1 detractor, 0 passive, +1 promoter (int8)."""
        scores = np.asarray(scores, dtype=float)
        return (
            (scores > self.passive_max).astype(np.int8)
            - (scores <= self.detractor_max).astype(np.int8)
        ).astype(np.int8)


SCALES: dict[str, Scale] = {
    "0-10": Scale(
        0,
        6,
        8,
        10,
        name="0-10",
        source=(
            "Reichheld, 'The One Number You Need to Grow', Harvard Business Review, Dec 2003; "
            "Bain & Company / Satmetrix: 0–6 detractors, 7–8 passives, 9–10 promoters."
        ),
    ),
    "1-5": Scale(
        1,
        3,
        4,
        5,
        name="1-5",
        source=(
            "Five-point likelihood-to-recommend variant used by short surveys "
            "(e.g. SurveyMonkey and Qualtrics 5-point templates): 5 promoter, 4 passive, "
            "1–3 detractor."
        ),
    ),
    "0-4": Scale(
        0,
        1,
        3,
        4,
        name="0-4",
        source=(
            "Source guide 001 (zh-Hans), section 2.1–2.2: a 0–4 satisfaction question with "
            "NPS = %(4 and above) − %(1 and below). Its worked example contradicts this "
            "(it counts 3–4 as positive and 1–2 as negative, leaving 0 unassigned); we follow "
            "the stated formula: 4 promoter, 2–3 passive, 0–1 detractor."
        ),
    ),
}
DEFAULT_SCALE = SCALES["0-10"]


def resolve_scale(scale: str | Scale | Sequence[int] | None) -> Scale:
    """Accept a preset name ("0-10", "1-5", "0-4"), a :class:`Scale` or four breaks."""
    if scale is None:
        return DEFAULT_SCALE
    if isinstance(scale, Scale):
        return scale
    if isinstance(scale, str):
        key = scale.strip().replace("–", "-").replace(" ", "").lower()
        if key in SCALES:
            return SCALES[key]
        parts = re.split(r"[,;]", key)
        if len(parts) == 4:
            try:
                return Scale(*(int(p) for p in parts))
            except ValueError:
                pass
        raise ValueError(
            f"Unknown scale {quote(scale)!r}. Use one of {', '.join(SCALES)} or four breaks "
            "'min,detractor max,passive max,max' such as '0,6,8,10'."
        )
    breaks = tuple(scale)
    if len(breaks) != 4:
        raise ValueError(
            "A custom scale needs four breaks (min, detractor max, passive max, max), "
            f"got {breaks}."
        )
    if not all(isinstance(b, (int, float, np.number)) and float(b).is_integer() for b in breaks):
        raise ValueError(f"Scale breaks must be whole numbers, got {breaks}.")
    return Scale(*(int(b) for b in breaks))


class ScoreError(LocalizedError, ValueError):
    """Raised when answers are not scores and the caller asked for ``invalid="error"``.

    Carries the i18n key ``error_invalid_score`` (or the surface's own key) and its fields, so
    ``exc.localized("bg")`` tells it in Bulgarian (:class:`nps_xl.i18n.LocalizedError`).
    """

    def __init__(self, message: str, *, positions: Sequence[int] = (), values: Sequence = ()):
        super().__init__(message)
        self.positions = tuple(positions)
        self.values = tuple(values)


@dataclass(frozen=True)
class ParsedScores:
    """The outcome of reading answers: valid scores plus an account of everything else.

    ``values`` holds one float per input cell (row-major), NaN where the answer is blank or
    invalid, so it stays aligned with dates, groups and weights given in the same shape.
    """

    values: np.ndarray
    status: np.ndarray
    shape: tuple[int, ...]
    scale: Scale
    invalid_values: tuple = field(default=())

    @property
    def valid(self) -> np.ndarray:
        return self.status == VALID

    @property
    def scores(self) -> np.ndarray:
        """The valid scores in input order."""
        return self.values[self.valid]

    @property
    def n(self) -> int:
        return int(np.count_nonzero(self.valid))

    @property
    def blank(self) -> int:
        return int(np.count_nonzero(self.status == BLANK))

    @property
    def invalid_positions(self) -> np.ndarray:
        """0-based flat indices of invalid answers."""
        return np.flatnonzero(self.status == INVALID)

    @property
    def invalid(self) -> int:
        return len(self.invalid_values)

    def histogram(self, weights: np.ndarray | None = None) -> np.ndarray:
        """Answers (or weight sums) per scale point, ``minimum..maximum``."""
        size = self.scale.maximum - self.scale.minimum + 1
        bins = np.where(self.valid, self.values - self.scale.minimum, size).astype(np.intp)
        return np.bincount(bins, weights, minlength=size + 1)[:size]

    def position_label(self, index: int) -> str:
        """1-based, human position of flat index ``index``: "row 3, column 2" or "position 7"."""
        return position_label(index, self.shape)

    def invalid_report(self, limit: int = 10) -> str:
        """``"'N/A' at position 4, 11 at position 9"`` for the first ``limit`` invalid answers."""
        items = [
            f"{_show(v)} at {self.position_label(int(i))}"
            for i, v in zip(
                self.invalid_positions[:limit], self.invalid_values[:limit], strict=True
            )
        ]
        more = self.invalid - len(items)
        return ", ".join(items) + (f" and {more} more" if more > 0 else "")


def position_label(index: int, shape: tuple[int, ...]) -> str:
    return str(position_message(index, shape))


def position_message(index: int, shape: tuple[int, ...]) -> Message:
    """:func:`position_label` as an i18n message (rendered in any language)."""
    if len(shape) == 2 and shape[1] > 1:
        row, col = divmod(index, shape[1])
        return Message("position_row_column", row=str(row + 1), column=str(col + 1))
    return Message("position_index", index=str(index + 1))


#: The most characters of one answer a message quotes; longer text is cut and ends in "…", so
#: that a message stays one readable line (and within Excel's 32,767 characters per cell).
QUOTE_LIMIT = 60
#: Whole numbers with more digits are written in scientific notation in messages.
_QUOTE_DIGITS = 20


def quote(value: object) -> object:
    """``value`` as a message may show it: text longer than :data:`QUOTE_LIMIT` characters is
    cut (``'xxxx…'``), a whole number of more than 20 digits is written like ``1e+308`` (Python
    refuses to write an int of more than 4,300 digits at all); anything else is unchanged."""
    if isinstance(value, str) and len(value) > QUOTE_LIMIT:
        return value[: QUOTE_LIMIT - 1] + "…"
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        try:
            return float(value)
        except OverflowError:
            digits = int((value.bit_length() - 1) * math.log10(2))  # 10**digits <= |value|
            digits += abs(value) >= 10 ** (digits + 1)
            return _Written(f"{'-' if value < 0 else ''}1e+{digits}")  # its order of magnitude
    return value


class _Written(str):
    """Text that ``{value!r}`` writes without quotes (a number too large for a float)."""

    def __repr__(self) -> str:
        return str(self)


def _plain(value: object) -> object:
    """A cell value for ``{value!r}``: whole floats as ints (11, not 11.0), long text cut."""
    if isinstance(value, (float, np.floating)) and float(value).is_integer():
        value = float(value)
        return int(value) if abs(value) < 10**_QUOTE_DIGITS else value
    return quote(value.item() if isinstance(value, np.generic) else value)


def _show(value: object) -> str:
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**_QUOTE_DIGITS:
        return str(int(value))
    return repr(quote(value))


def parse_scores(
    values: object,
    *,
    scale: str | Scale | Sequence[int] | None = "0-10",
    invalid: str = "error",
) -> ParsedScores:
    """Read answers (a list, nested rows, a numpy array or a pandas Series) into scores.

    ``scale=None`` means "not stated": the answers are read on 0–10, but when they cannot
    plausibly come from a 0–10 question (:func:`scale_doubt`; the header is a Series' name)
    :class:`ScaleError` asks for the scale. Raises :class:`ScoreError` on the first invalid
    answer unless ``invalid="skip"``.
    """
    stated = scale
    sc = resolve_scale(scale)
    if invalid not in INVALID_MODES:
        raise ValueError(f"invalid must be 'error' or 'skip', got {invalid!r}.")
    flat, shape = _flatten(values)
    if flat.dtype == object:
        numbers, status, bad = _parse_objects(flat, sc)
    elif flat.dtype.kind in "iuf":
        numbers, status = _parse_numbers(flat.astype(float, copy=False), sc)
        bad = tuple(flat[status == INVALID].tolist())
    else:  # booleans, datetimes, bytes, …: not scores, but a missing datetime is a blank
        blank = pd.isna(flat) if flat.dtype.kind == "M" else np.zeros(len(flat), dtype=bool)
        numbers = np.full(len(flat), np.nan)
        status = np.where(blank, BLANK, INVALID).astype(np.int8)
        bad = tuple(flat[~blank].tolist())
    parsed = ParsedScores(numbers, status, shape, sc, bad)
    check_scale(parsed, stated, getattr(values, "name", None))
    if parsed.invalid and invalid == "error":
        first = int(parsed.invalid_positions[0])
        raise ScoreError(
            f"{_show(bad[0])} at {parsed.position_label(first)} is not a score on the {sc} "
            f"scale ({parsed.invalid} invalid answer{'s' if parsed.invalid > 1 else ''} in "
            f"total). Fix the answer or pass invalid='skip' to leave invalid answers out.",
            positions=parsed.invalid_positions.tolist(),
            values=bad,
        ).localize(
            "error_invalid_score",
            value=_plain(bad[0]),
            position=position_message(first, shape),
            scale=str(sc),
            count=parsed.invalid,
        )
    return parsed


def _flatten(values: object) -> tuple[np.ndarray, tuple[int, ...]]:
    """One flat array (row-major) and the input's shape; numeric lists stay numeric."""
    if isinstance(values, (pd.Series, pd.Index, pd.DataFrame)):
        values = values.to_numpy()  # extension dtypes become object arrays (pd.NA is blank)
    if isinstance(values, np.ndarray):
        shape = values.shape if values.ndim else (1,)
        flat = values.reshape(-1)
        if flat.dtype == object:
            return _numeric_if_possible(flat.tolist()), shape
        return flat, shape
    if values is None or isinstance(values, (str, bytes, int, float, _dt.date, np.generic)):
        return _numeric_if_possible([values]), (1,)
    if not isinstance(values, (list, tuple)):
        values = list(values) if isinstance(values, Iterable) else [values]
    if values and all(isinstance(row, (list, tuple)) for row in values):
        widths = {len(row) for row in values}
        if len(widths) != 1:
            raise ValueError("Rows of the range have different lengths; pass a rectangular range.")
        shape = (len(values), widths.pop())
        return _numeric_if_possible(list(chain.from_iterable(values))), shape
    return _numeric_if_possible(values if isinstance(values, list) else list(values)), (
        len(values),
    )


def _numeric_if_possible(items: list) -> np.ndarray:
    # np.asarray unifies types in C: a list of plain numbers (as a COM range or a CSV column
    # arrives) becomes a float array without a Python-level look at every element. It also turns
    # True/False into 1/0, so the few 0s and 1s are checked for booleans.
    try:
        arr = np.asarray(items)
    except (ValueError, TypeError):
        arr = None
    if arr is not None and arr.ndim == 1 and arr.dtype.kind in "iuf":
        zero_or_one = np.flatnonzero((arr == 0) | (arr == 1)).tolist()
        if not zero_or_one:
            return arr
        types = set(map(type, itemgetter(*zero_or_one, zero_or_one[0])(items)))
        if bool not in types and np.bool_ not in types:
            return arr
    if arr is not None and arr.ndim == 1 and arr.dtype == object:
        return arr
    out = np.empty(len(items), dtype=object)
    out[:] = items
    return out


_NUMBER_TYPES = (int, float, np.integer, np.floating)


def _parse_numbers(x: np.ndarray, sc: Scale) -> tuple[np.ndarray, np.ndarray]:
    blank = np.isnan(x)
    with np.errstate(invalid="ignore"):
        valid = (x >= sc.minimum) & (x <= sc.maximum)
        valid &= x == np.floor(x)
    # status codes without branching: valid 0, blank 2 − 1 = 1, invalid 2
    status = (~valid).view(np.int8) * np.int8(INVALID)
    status -= blank.view(np.int8)
    if np.count_nonzero(status == INVALID):
        numbers = np.where(valid, x, np.nan)
    else:  # every answer is valid or blank: no copy needed
        numbers = x.view()
        numbers.flags.writeable = False
    return numbers, status


class _TypeFlags(dict):
    def __missing__(self, key: type) -> bool:
        return False


# float, int and None convert to float in one C call (None becomes NaN, a blank)
_SIMPLE_TYPES = _TypeFlags({float: True, int: True, type(None): True})


def _parse_objects(flat: np.ndarray, sc: Scale) -> tuple[np.ndarray, np.ndarray, tuple]:
    n = len(flat)
    simple = np.fromiter(map(_SIMPLE_TYPES.__getitem__, map(type, flat)), dtype=bool, count=n)
    x = np.full(n, np.nan)
    try:
        x[simple] = np.asarray(flat[simple].tolist(), dtype=float)  # None becomes NaN: blank
    except OverflowError:  # an int beyond the largest float: leave it to _parse_other
        simple &= np.fromiter((type(v) is not int or v.bit_length() < 1000 for v in flat), bool, n)
        x[simple] = np.asarray(flat[simple].tolist(), dtype=float)
    numbers, status = _parse_numbers(x, sc)
    others = np.flatnonzero(~simple)
    if len(others):
        numbers = np.array(numbers)  # writable copy
        text_cache: dict[str, tuple[float, int]] = {}
        got = [_parse_other(v, sc, text_cache) for v in flat[others].tolist()]
        numbers[others] = [g[0] for g in got]
        status[others] = [g[1] for g in got]
    bad_positions = np.flatnonzero(status == INVALID)
    return numbers, status, tuple(flat[bad_positions].tolist())


def _parse_other(value: object, sc: Scale, text_cache: dict) -> tuple[float, int]:
    if isinstance(value, str):
        got = text_cache.get(value)
        if got is None:
            got = text_cache[value] = _parse_text(value, sc)
        return got
    if isinstance(value, _NUMBER_TYPES) and not isinstance(value, (bool, np.bool_)):
        try:
            x = float(value)
        except OverflowError:  # an int beyond the largest float: far outside any scale
            return np.nan, INVALID
        number, status = _parse_numbers(np.array([x]), sc)
        return number[0], status[0]
    if value is pd.NaT or value is pd.NA:
        return np.nan, BLANK
    return np.nan, INVALID  # bool, date, datetime, bytes, …


def _parse_text(text: str, sc: Scale) -> tuple[float, int]:
    # NFKC turns full-width digits ("１０") and other compatibility forms into ASCII.
    cleaned = unicodedata.normalize("NFKC", text).strip()
    if not cleaned or cleaned in _MISSING:
        return np.nan, BLANK
    if cleaned.upper() in EXCEL_ERRORS:
        return np.nan, INVALID
    match = _LEADING_SCORE.match(cleaned)
    if not match:
        return np.nan, INVALID
    whole, fraction, rest = match.groups()
    if fraction and (len(fraction) > 2 or int(fraction) != 0):
        return np.nan, INVALID  # 7.5 is not a whole score; "1,000" is a thousand
    rest = rest.lstrip()
    if rest and rest[0].isascii() and rest[0].isalnum():
        return np.nan, INVALID  # "3 years", "10x": a number inside words, not a labelled score
    # More digits than the scale's ends have cannot be on the scale. Checked before int(),
    # which refuses text of more than 4,300 digits (a ValueError that would stop the caller).
    digits = whole.lstrip("+-").lstrip("0") or "0"
    if len(digits) > len(str(max(abs(sc.minimum), abs(sc.maximum)))):
        return np.nan, INVALID
    score = -int(digits) if whole.startswith("-") else int(digits)
    if sc.minimum <= score <= sc.maximum:
        return float(score), VALID
    return np.nan, INVALID


def categorize(
    values: object,
    *,
    scale: str | Scale | Sequence[int] | None = "0-10",
) -> np.ndarray:
    """Category code per input cell (flat, row-major): −1, 0, +1, or NaN if blank/invalid."""
    parsed = parse_scores(values, scale=scale, invalid="skip")
    codes = np.full(len(parsed.values), np.nan)
    codes[parsed.valid] = parsed.scale.categorize(parsed.scores)
    return codes


# --------------------------------------------------------------------------- the scale check

#: The fewest valid answers whose values alone can show that a question was not 0–10.
SCALE_CHECK_MIN_ANSWERS = 10

# A range written in a header: "(1-5)", "1–7", "1 to 5", "1 до 5", "1 iki 5", "1到5", "1至5".
_HEADER_RANGE = re.compile(
    r"(?<![\d.,])([01])\s*(?:-|–|—|~|～|〜|to|до|iki|到|至)\s*(\d{1,2})(?![\d.,])", re.IGNORECASE
)
# "out of 5", "/5", "of 5", "iš 5", "от 5", "满分5", "滿分5", "5分制", "5-point", "5 stars".
_HEADER_TOP = re.compile(
    r"(?:out\s+of|of|iš|от|из|满分|滿分|/)\s*(\d{1,2})(?![\d.,])"
    r"|(?<![\d.,])(\d{1,2})\s*(?:分制|點|点|-?\s*point|balų|бална|stars?|星|žvaigžd|звезд)",
    re.IGNORECASE,
)
# Words that name a star rating (en, zh-Hans, zh-Hant, lt, bg).
_HEADER_STARS = re.compile(r"\bstars?\b|星级|星級|žvaigžd|звезд", re.IGNORECASE)


@dataclass(frozen=True)
class ScaleDoubt:
    """Why answers cannot plausibly be 0–10: ``reason`` is ``"values"`` or ``"header"``;
    ``span`` the range seen or named ("1–5"), ``guess`` the scale to pass, ``count`` the
    number of valid answers read as 0–10, ``header`` the column header (or None)."""

    reason: str
    span: str
    guess: str
    count: int
    header: str | None


def _guess(lo: int, hi: int) -> str:
    if hi <= 5:
        if lo >= 1:
            return "1-5"
        return "0-4" if hi <= 4 else "0,2,4,5"
    return "1,5,6,7"  # a 7-point question: 7 promoter, 6 passive, 1–5 detractor


def header_scale(header: object) -> tuple[int, int] | None:
    """The (lowest, highest) point of a scale other than 0–10 that a header names, or None:
    "Rating (1-5)", "Satisfaction 1–7", "Score out of 5", "满分5分", "Įvertinimas (1 iki 5)",
    "Оценка от 1 до 5", "Stars". A header naming 0–10 (or 1–10) names no other scale."""
    if not isinstance(header, str) or not header.strip():
        return None
    text = unicodedata.normalize("NFKC", header)
    for match in _HEADER_RANGE.finditer(text):
        lo, hi = int(match.group(1)), int(match.group(2))
        if 3 <= hi <= 7:
            return lo, hi
    for match in _HEADER_TOP.finditer(text):
        hi = int(match.group(1) or match.group(2))
        if 3 <= hi <= 7:
            return 1, hi
    if _HEADER_STARS.search(text):
        return 1, 5
    return None


def scale_doubt(parsed: ParsedScores, header: object = None) -> ScaleDoubt | None:
    """The one rule every surface applies before scoring answers as 0–10 unasked.

    Answers read on 0–10 cannot plausibly come from a 0–10 question when

    * the header names another scale (:func:`header_scale`), whatever the answers; or
    * at least :data:`SCALE_CHECK_MIN_ANSWERS` answers are valid and all lie within 0–5, or
      all lie within 1–7 (no 0, 8, 9 or 10 among them).

    Fewer valid answers ([7, 8]) are too little evidence and are scored as 0–10. Returns None
    when the answers may be 0–10. A caller that was given a scale (``"0-10"`` included) does
    not ask.
    """
    named = header_scale(header)
    head = header if isinstance(header, str) else None
    if named is not None:
        lo, hi = named
        return ScaleDoubt("header", f"{lo}–{hi}", _guess(lo, hi), parsed.n, head)
    if parsed.n < SCALE_CHECK_MIN_ANSWERS:
        return None
    lo, hi = int(parsed.scores.min()), int(parsed.scores.max())
    if hi <= 5 or (lo >= 1 and hi <= 7):
        return ScaleDoubt("values", f"{lo}–{hi}", _guess(lo, hi), parsed.n, head)
    return None


class ScaleError(ScoreError):
    """Raised when answers read without a stated scale do not look like a 0–10 question."""

    def __init__(self, message: str, doubt: ScaleDoubt):
        super().__init__(message)
        self.doubt = doubt


def scale_error(doubt: ScaleDoubt, surface: str = "api") -> ScaleError:
    """The one-line error of ``doubt`` as ``surface`` says what to do: ``"api"`` (``scale=``),
    ``"udf"`` (the ``scale`` argument), ``"cli"`` (``--scale``), ``"refresh"`` (the workbook's
    ``NPS_Scale`` name)."""
    key = f"error_scale_{doubt.reason}_{surface}"
    if key == "error_scale_values_cli":
        key = "error_score_scale"  # the CLI's message, worded as before
    fields = {
        "count": doubt.count,
        "span": doubt.span,
        "guess": doubt.guess,
        "column": doubt.header if doubt.header is not None else "",
    }
    return ScaleError(str(Message(key, **fields)), doubt).localize(key, **fields)


def check_scale(
    parsed: ParsedScores, scale: object, header: object = None, surface: str = "api"
) -> None:
    """Raise :func:`scale_error` when no ``scale`` was given and :func:`scale_doubt` doubts."""
    if scale is not None:
        return
    doubt = scale_doubt(parsed, header)
    if doubt is not None:
        raise scale_error(doubt, surface)
