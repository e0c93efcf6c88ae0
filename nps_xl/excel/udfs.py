"""The Excel functions: ``=NPS(A2:A500)`` and friends, as xlwings user-defined functions.

Register with ``UDF Modules = nps_xl.excel.udfs`` (classic xlwings on Windows) or load the
module in xlwings Server / xlwings Lite (Office.js, every platform). Each function is argument
conversion (:mod:`nps_xl.excel.conversion`) + one call into the core + shaping of the result;
no statistics are computed here.

Range arguments are declared ``"raw"``: the function sees the cells exactly as Excel sent them
and ``conversion`` turns blanks, error values (#N/A, …), text and labelled answers into what
``scores.py`` decides on. Spilled tables carry a header row in the language of ``lang``.

Errors: a function never lets an exception reach the cell (classic xlwings would print the
whole Python traceback there). It returns one line of text instead, starting with
:data:`ERROR_PREFIX`: ``#NPS! 11 in row 7 of scores is not a score on the 0–10 scale. Fix the
cell, or give "skip" as the invalid argument …``. Test for it with ``=ISTEXT(cell)``. Every
result is a finite number, a table or such a line, never longer than an Excel cell holds;
what each argument accepts is in docs/excel-functions.md ("Input rules") and in each argument's
description (see :func:`_safe` for the boundary).
"""

from __future__ import annotations

import dis
import functools
import inspect
import math
import warnings

import pandas as pd
import xlwings as xw

from nps_xl import benchmarks, companions, i18n, key_drivers, stats, tables
from nps_xl.counts import Counts, parse_weights
from nps_xl.excel import conversion as cv
from nps_xl.multiplicity import check_adjust
from nps_xl.scores import SCALES

#: Every failed call returns text starting with this, never a traceback.
ERROR_PREFIX = "#NPS! "
#: The group the functions are listed under in Excel's Insert Function dialog (classic).
CATEGORY = "Net Promoter Score"
#: The confidence levels the functions accept (50% to 99.99%). Outside it an interval is
#: either too narrow to mean anything or wider than any survey can use; 95 for 95% is a
#: common slip, and the message says so.
CONFIDENCE_RANGE = (0.5, 0.9999)
#: The top of a CSAT or CES rating scale: 2 to 100.
SCALE_MAX_RANGE = (2, 100)

_INVALID_MODES = ("error", "skip")
_CI_METHODS = stats.INTERVAL_METHODS
_TEST_METHODS = stats.COMPARE_METHODS

# Importing the package (nps_xl/__init__.py) already imports benchmarks, companions, i18n and
# tables, so importing them here costs nothing more; scipy, the one heavy import only the
# score interval needs, stays lazy in nps_xl.stats.


def _text(key: str, lang: object) -> str:
    return i18n.text(key, _lang(lang))


def _lang(lang: object) -> str:
    return cv.word(lang, "lang", "en")


def _safe(function):
    """The boundary between Excel and Python: every call returns a value or one line of text.

    * A message nps-xl wrote for the user (an exception raised by a ``raise`` statement in
      ``nps_xl``) becomes ``#NPS! <message>``; a function with a ``lang`` argument tells the
      errors that carry an i18n key (:class:`nps_xl.i18n.LocalizedError`: invalid answers,
      no valid answer) in that language, the rest in English.
    * Any other exception — one raised inside numpy, pandas or scipy, or by Python itself
      (an overflow, a division by zero) — is a defect of ours: its text means nothing to the
      person at the keyboard, so the cell says in plain words that the function could not
      compute a result, never the exception's class or text.
    * A result must be finite: a number that is not (inf, NaN) becomes such a message too,
      since Excel would show #NUM! and xlwings Server cannot even send it.
    * Text results are cut to the 32,767 characters an Excel cell holds.
    """
    names = list(inspect.signature(function).parameters)
    lang_at = names.index("lang") if "lang" in names else None
    name = function.__name__

    @functools.wraps(function)
    def boundary(*args):
        for arg in args:  # a cell holding an earlier #NPS! message: pass it on, like #N/A
            if isinstance(arg, str) and arg.startswith(ERROR_PREFIX):
                return _line(arg[len(ERROR_PREFIX) :])
        try:
            with warnings.catch_warnings():
                # invalid="skip" is an explicit choice in a cell; NPS_COUNTS shows the count.
                warnings.simplefilter("ignore")
                result = function(*args)
        except (ValueError, TypeError, KeyError) as exc:
            if not _written_for_the_user(exc):
                return _line(_internal(name))
            if isinstance(exc, KeyError) and not hasattr(exc, "localized"):
                return _line(str(exc.args[0] if exc.args else exc))
            lang = args[lang_at] if lang_at is not None and lang_at < len(args) else None
            return _line(_message(exc, lang))
        except Exception:  # a defect of ours: still one plain line, never a traceback
            return _line(_internal(name))
        return _finite(result, name)

    # The docstring is the description in Insert Function: one line, as Excel shows it.
    boundary.__doc__ = _one_line(function.__doc__ or "")
    return boundary


_RAISE = dis.opmap["RAISE_VARARGS"]


def _written_for_the_user(exc: BaseException) -> bool:
    """True when ``exc`` comes from a ``raise`` statement of nps_xl: a message we wrote.

    An exception raised inside a library, or by Python itself in our code (``int()`` of a
    5,000-digit text, ``math.sqrt(-1)``), carries a text written for programmers. The last
    instruction of the innermost frame tells them apart (``RAISE_VARARGS`` for a ``raise``
    statement, a call otherwise), without the source files, which a byte-compiled install
    may not have.
    """
    tb = exc.__traceback__
    if tb is None:
        return False
    while tb.tb_next is not None:
        tb = tb.tb_next
    frame = tb.tb_frame
    if not str(frame.f_globals.get("__name__", "")).startswith("nps_xl"):
        return False
    code = frame.f_code.co_code
    return 0 <= tb.tb_lasti < len(code) and code[tb.tb_lasti] == _RAISE


def _internal(name: str) -> str:
    return (
        f"{name} could not compute a result from these arguments. Check each one against its "
        "description in Insert Function; if they are right, please report this to the "
        "nps-xl developers with the arguments you gave."
    )


def _finite(result: object, name: str) -> object:
    """``result`` if every number in it is finite (and every text fits a cell), else the
    message that the numbers were out of reach."""
    rows = result if isinstance(result, list) else [[result]]
    for row in rows:
        for value in row if isinstance(row, list) else [row]:
            if isinstance(value, float) and not math.isfinite(value):
                return _line(
                    f"{name} has no finite result for these numbers: they are too large or "
                    "too small to compute with. Check the arguments."
                )
    if isinstance(result, str):
        return cv.cell(result)
    return result


def _line(message: str) -> str:
    """One ``#NPS!`` line that fits an Excel cell."""
    return cv.cell(ERROR_PREFIX + _one_line(message))


def _message(exc: Exception, lang: object) -> str:
    """The error in the language of the ``lang`` argument (English when it is not usable)."""
    if lang is None:
        return str(exc)
    try:
        code = i18n.normalize_language(_lang(lang))
    except (ValueError, TypeError):
        return str(exc)
    # keyed errors, and the core's "No valid answers: …" for empty counts
    return i18n.localized(exc, code)


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _invalid(invalid: object) -> str:
    return cv.word(invalid, "invalid", "error", _INVALID_MODES)


def _scale(scale: object) -> str | None:
    """The scale argument; None when omitted (0–10, unless the answers say otherwise)."""
    if cv.option(scale, "scale", None) is None:
        return None
    return cv.word(scale, "scale", "0-10")


def _confidence(confidence: object) -> float:
    value = cv.number(confidence, "confidence", 0.95)
    low, high = CONFIDENCE_RANGE
    if not low <= value <= high:
        raise ValueError(
            f"confidence must be between {low} and {high} (50% to 99.99%), e.g. 0.95 for 95%; "
            f"got {cv.show(value)}."
        )
    return value


def _answers(scores: object, argument: str, scale: object, invalid: object) -> tuple:
    """Parse a range of answers on ``scale``: (ParsedScores, Cells)."""
    return cv.read_answers(scores, argument, scale=_scale(scale), invalid=_invalid(invalid))


def _counts(scores: object, scale: object = None, invalid: object = None) -> tuple:
    """Parse a range of answers and count them: (Counts, ParsedScores)."""
    parsed, _ = _answers(scores, "scores", scale, invalid)
    return Counts.from_scores(parsed.scores, parsed.scale), parsed


def _interval_row(interval) -> list[list[object]]:
    return cv.table(None, [[interval.low, interval.estimate, interval.high]])


def _population(value: object, argument: str, answers: float | None) -> float | None:
    """The ``population`` argument: blank or omitted → None (no finite population correction,
    rule D2); else a number at least ``answers`` (the unweighted number of answers) and at
    least 1 (planning: ``answers`` None). Anything else is a one-line message naming the
    argument, in the language of the function's ``lang``."""
    got = cv.option(value, argument, None)  # a range of cells or an error value: its message
    if got is None:
        return None
    try:
        size = cv.number(got, argument)
    except ValueError:  # text, TRUE, a date, inf
        size = None
    least = 1.0 if answers is None else max(float(answers), 1.0)
    if size is not None and size >= least:
        return size
    if answers is None:
        raise cv.CellError.from_key("udf_population_plan", argument=argument, value=cv.show(got))
    answers = float(answers)
    count = int(answers) if answers.is_integer() and answers < 2**53 else answers
    raise cv.CellError.from_key(
        "udf_population", argument=argument, value=cv.show(got), count=count
    )


# --------------------------------------------------------------------------- argument docs

_SCORES_DOC = (
    "The answers: a column, row or block of scores (0–10 unless scale says otherwise). Blank "
    'cells are ignored; text such as "9" or "10 - Extremely likely" is read.'
)
_INVALID_DOC = (
    'What to do with answers that are not scores (11, "N/A", #N/A): "error" (default) stops '
    'and names the first one; "skip" leaves them out.'
)
_SCALE_DOC = (
    f'The rating scale: {", ".join(repr(s) for s in SCALES)} (default "0-10"; answers all '
    'within 1–5 or 1–7 ask for it), or four breaks "min,detractor max,passive max,max" such '
    'as "0,6,8,10".'
)
_LANG_DOC = 'Language of the words shown: "en" (default), "zh-Hans", "zh-Hant", "lt" or "bg".'
_CONFIDENCE_DOC = "Confidence level from 0.5 to 0.9999 (default 0.95 = 95%)."
_CI_METHOD_DOC = (
    'Interval method: "adjusted-wald" (default, Rocks 2016), "wald", "score" or "bootstrap".'
)
_TEST_METHOD_DOC = 'Test method: "adjusted-wald" (default) or "wald" (the classical z test).'
_POPULATION_DOC = (
    "How many people the answers were drawn from (customers, accounts), at least the number of "
    "answers: narrows the interval by the finite population correction 1 − n/N. Blank: none."
)
_NPS_VALUE_DOC = "An NPS between -100 and 100, e.g. a cell holding =NPS(...)."
_COUNT_DOC = "Number of {what} (answers {range}): a number ≥ 0, not necessarily whole."


# --------------------------------------------------------------------------- the score


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@_safe
def NPS(scores, invalid="error", scale=None):
    """Net Promoter Score, -100 to 100: 100 × (promoters − detractors) / answers (9–10
    promoters, 0–6 detractors; Reichheld 2003)."""
    c, _ = _counts(scores, scale, invalid)
    return stats.nps(c)


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@_safe
def NPS_COUNTS(scores, invalid="error", scale=None, lang="en"):
    """Spills a table: category, count, share (0–1) for promoters, passives, detractors,
    total valid, and the blank or skipped cells."""
    c, parsed = _counts(scores, scale, invalid)
    t = functools.partial(_text, lang=lang)
    return cv.table(
        [t("category"), t("count"), t("share")],
        [
            [t("promoters"), c.promoters, c.promoter_share],
            [t("passives"), c.passives, c.passive_share],
            [t("detractors"), c.detractors, c.detractor_share],
            [t("total_valid"), c.n, 1.0],
            [t("blank_or_skipped"), parsed.blank + parsed.invalid, None],
        ],
    )


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@_safe
def NPS_CATEGORY(scores, lang="en", scale=None):
    """The category of each answer, in the shape of the range: Promoter, Passive, Detractor;
    blank cells stay blank, other cells show Invalid."""
    parsed, got = cv.read_answers(
        scores, "scores", scale=_scale(scale), allow_empty=True, invalid="skip"
    )
    words = {
        code: _text(key, lang) for code, key in ((-1, "detractor"), (0, "passive"), (1, "promoter"))
    }
    invalid_word = _text("invalid", lang)
    codes = parsed.scale.categorize(parsed.values)
    flat = [
        words[int(code)] if status == 0 else (None if status == 1 else invalid_word)
        for code, status in zip(codes.tolist(), parsed.status.tolist(), strict=True)
    ]
    rows, columns = got.shape
    return [flat[r * columns : (r + 1) * columns] for r in range(rows)]


# --------------------------------------------------------------------------- bands, benchmarks


@xw.func(category=CATEGORY)
@xw.arg("nps_value", "raw", doc=_NPS_VALUE_DOC)
@xw.arg("scheme", "raw", doc='Band scheme: "five" (default, source guide 000), "three" or "bain".')
@xw.arg("lang", "raw", doc=_LANG_DOC)
@_safe
def NPS_LABEL(nps_value, scheme="five", lang="en"):
    """The band an NPS falls in, such as Good or Excellent (scheme sources in the docs)."""
    value = cv.number(nps_value, "nps_value")
    if value is None:
        raise ValueError("nps_value is blank. Give an NPS between -100 and 100.")
    return benchmarks.band(value, cv.word(scheme, "scheme", "five"), _lang(lang))


@xw.func(category=CATEGORY)
@xw.arg("nps_value", "raw", doc=_NPS_VALUE_DOC)
@xw.arg("industry", "raw", doc='Industry to compare with (default "global"), in any language.')
@xw.arg("lang", "raw", doc=_LANG_DOC)
@_safe
def NPS_BENCHMARK(nps_value, industry="global", lang="en"):
    """Spills the published benchmarks for an industry: statistic, value, your gap, verdict
    (sources in the docs)."""
    value = cv.number(nps_value, "nps_value")
    if value is None:
        raise ValueError("nps_value is blank. Give an NPS between -100 and 100.")
    frame = benchmarks.benchmark(value, cv.word(industry, "industry", "global"), _lang(lang))
    columns = ["statistic", "value", "your_gap", "verdict"]
    return cv.table([_text(k, lang) for k in columns], frame[columns].to_numpy().tolist())


# --------------------------------------------------------------------------- uncertainty


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@xw.arg("population", "raw", doc=_POPULATION_DOC)
@_safe
def NPS_CI(
    scores, confidence=0.95, method="adjusted-wald", invalid="error", scale=None, population=None
):
    """Spills one row: low, NPS, high, the confidence interval of the NPS in points."""
    c, _ = _counts(scores, scale, invalid)
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return _interval_row(
        stats.interval(
            c,
            confidence=_confidence(confidence),
            method=method,
            population=_population(population, "population", c.answer_count),
        )
    )


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@xw.arg("population", "raw", doc=_POPULATION_DOC)
@_safe
def NPS_MOE(
    scores, confidence=0.95, method="adjusted-wald", invalid="error", scale=None, population=None
):
    """Margin of error of the NPS in points (half the width of its confidence interval)."""
    c, _ = _counts(scores, scale, invalid)
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return stats.interval(
        c,
        confidence=_confidence(confidence),
        method=method,
        population=_population(population, "population", c.answer_count),
    ).margin


@xw.func(category=CATEGORY)
@xw.arg("scores_a", "raw", doc="The first group's answers (e.g. this quarter).")
@xw.arg("scores_b", "raw", doc="The second group's answers (e.g. last quarter).")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_TEST_METHOD_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC + " Both groups use it.")
@xw.arg("population_a", "raw", doc="The first group's population: " + _POPULATION_DOC)
@xw.arg("population_b", "raw", doc="The second group's population, as population_a.")
@_safe
def NPS_TEST(
    scores_a,
    scores_b,
    confidence=0.95,
    method="adjusted-wald",
    lang="en",
    invalid="error",
    scale=None,
    population_a=None,
    population_b=None,
):
    """Spills labelled rows comparing two groups: NPS A, NPS B, difference (A − B), low, high,
    p-value, significant."""
    parsed_a, _ = _answers(scores_a, "scores_a", scale, invalid)
    parsed_b, _ = _answers(scores_b, "scores_b", scale, invalid)
    a = Counts.from_scores(parsed_a.scores, parsed_a.scale)
    b = Counts.from_scores(parsed_b.scores, parsed_b.scale)
    result = stats.compare(
        a,
        b,
        confidence=_confidence(confidence),
        method=cv.word(method, "method", "adjusted-wald", _TEST_METHODS),
        population=(
            _population(population_a, "population_a", a.answer_count),
            _population(population_b, "population_b", b.answer_count),
        ),
    )
    t = functools.partial(_text, lang=lang)
    return cv.table(
        [t("statistic"), t("value")],
        [
            [t("nps_a"), result.nps_a],
            [t("nps_b"), result.nps_b],
            [t("difference"), result.difference],
            [t("low"), result.low],
            [t("high"), result.high],
            [t("p_value"), result.p_value],
            [t("significant"), result.significant],
        ],
    )


@xw.func(category=CATEGORY)
@xw.arg(
    "margin",
    "raw",
    doc="The margin of error you want, in NPS points (e.g. 5 for ±5): above 0, at most 200.",
)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("expected_nps", "raw", doc="The NPS you expect, if known (fewer answers needed); optional.")
@xw.arg(
    "population",
    "raw",
    doc="How many people you can survey (customers, accounts), 1 or more: fewer answers are "
    "needed, n0/(1 + (n0 − 1)/N) (Cochran 1977, §4.4). Blank: an unlimited population.",
)
@_safe
def NPS_SAMPLE_SIZE(margin, confidence=0.95, expected_nps=None, population=None):
    """Answers needed for an NPS margin of error of ±margin points (adjusted-Wald; worst case
    unless expected_nps is given)."""
    value = cv.number(margin, "margin")
    if value is None:
        raise ValueError("margin is blank. Give the margin of error in NPS points, e.g. 5.")
    return stats.sample_size(
        value,
        confidence=_confidence(confidence),
        expected_nps=cv.number(expected_nps, "expected_nps"),
        population=_population(population, "population", None),
    )


# --------------------------------------------------------------------------- tables

_ADJUST_DOC = (
    'Correction for testing every row at once: "holm" (default, Holm 1979), "bh" '
    '(Benjamini–Hochberg 1995) or "none". Significant uses it; the raw flag and both p-values '
    "are spilled too."
)
#: The columns both tables spill after the older ones (appended, so that existing formulas
#: that pick a column by its position keep it): the family's tests, raw and adjusted.
_TEST_COLUMNS = ["p_value", "p_adjusted", "significant_raw"]


def _adjust(value: object) -> str:
    """The ``adjust`` argument: "holm" (omitted or blank), "bh" or "none"."""
    got = cv.word(value, "adjust", "holm")  # a range of cells or an error value: its message
    try:
        return check_adjust(got)
    except ValueError:
        raise cv.CellError.from_key("udf_adjust", value=cv.show(got)) from None


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("dates", "raw", doc="The date of each answer: a range the same size as scores.")
@xw.arg("period", "raw", doc='Period length: "month" (default), "quarter", "week" or "year".')
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@xw.arg("adjust", "raw", doc=_ADJUST_DOC)
@_safe
def NPS_TREND(
    scores,
    dates,
    period="month",
    confidence=0.95,
    lang="en",
    invalid="error",
    scale=None,
    adjust="holm",
):
    """Spills the NPS by period: period, n, NPS, low, high, change from the period before,
    significant (adjusted), small sample, p-value, adjusted p-value, raw flag."""
    parsed, got = _answers(scores, "scores", scale, invalid)
    when = cv.read_dates(dates, "dates", len(parsed.values))
    _check_aligned(parsed, got, when.isna().to_numpy(), "dates", "date")
    frame = pd.DataFrame({"Score": parsed.values, "Date": when})
    out = tables.trend(
        frame,
        score="Score",
        date="Date",
        period=cv.word(period, "period", "month"),
        confidence=_confidence(confidence),
        scale=parsed.scale,
        adjust=_adjust(adjust),
    )
    columns = ["period", "n", "nps", "low", "high", "change", "significant", "small_sample"]
    columns += _TEST_COLUMNS
    return cv.table([_text(k, lang) for k in columns], out[columns].to_numpy().tolist())


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("groups", "raw", doc="The group of each answer (region, product…), same size as scores.")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg(
    "min_n",
    "raw",
    doc="Groups with fewer answers are flagged as small samples: a whole number ≥ 0 (default 30).",
)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@xw.arg("adjust", "raw", doc=_ADJUST_DOC)
@_safe
def NPS_BY(
    scores,
    groups,
    confidence=0.95,
    min_n=30,
    lang="en",
    invalid="error",
    scale=None,
    adjust="holm",
):
    """Spills the NPS by group: group, n, shares, NPS, low, high, difference from the rest,
    significant (adjusted), small sample, p-value, adjusted p-value, raw flag."""
    parsed, _ = _answers(scores, "scores", scale, invalid)
    labels = cv.read_labels(groups, "groups", len(parsed.values))
    labels[parsed.valid & pd.isna(labels)] = _text("blank", lang)
    frame = pd.DataFrame({"Score": parsed.values, "Group": labels})
    smallest = cv.whole_number(min_n, "min_n", 30)
    if smallest < 0:
        raise ValueError(f"min_n must be a whole number ≥ 0, got {smallest}.")
    out = tables.segments(
        frame,
        "Group",
        score="Score",
        confidence=_confidence(confidence),
        # any min_n above the number of answers flags every group; 2⁵³ keeps it a plain int
        min_n=min(smallest, 2**53),
        scale=parsed.scale,
        adjust=_adjust(adjust),
    )
    columns = [
        "group",
        "n",
        "promoter_share",
        "passive_share",
        "detractor_share",
        "nps",
        "low",
        "high",
        "difference_from_rest",
        "significant",
        "small_sample",
        *_TEST_COLUMNS,
    ]
    return cv.table([_text(k, lang) for k in columns], out[columns].to_numpy().tolist())


_DRIVERS_DOC = (
    "The rating questions: a block with the question names in its first row and one column "
    "per question (ratings 0–10), one row per answer in scores below the names."
)
_DRIVERS_METHOD_DOC = (
    'Importance method: "lmg" (default, Shapley decomposition of R², Lindeman, Merenda & Gold '
    '1980) or "relative-weights" (Johnson 2000).'
)


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC + " One per row of drivers below its names.")
@xw.arg("drivers", "raw", doc=_DRIVERS_DOC)
@xw.arg("method", "raw", doc=_DRIVERS_METHOD_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@_safe
def NPS_DRIVERS(scores, drivers, method="lmg", lang="en", invalid="error", scale=None):
    """Spills the key drivers of the score, most important first: rank, driver, share of R²
    (%), importance (its part of R²), correlation with the score."""
    headers = ["rank", "driver", "share_of_r2", "importance", "correlation"]
    header = [_text(k, lang) for k in headers]  # an unknown lang: said before any other check
    parsed, _ = _answers(scores, "scores", scale, invalid)
    names, ratings = _driver_ratings(drivers, len(parsed.values))
    frame = pd.DataFrame(ratings, columns=names)
    frame.insert(0, "scores", parsed.values)
    result = key_drivers.drivers(
        frame,
        score="scores",
        drivers=names,
        method=cv.word(method, "method", "lmg", key_drivers.METHODS),
        scale=parsed.scale,
    )
    columns = ["rank", "driver", "share", "importance", "correlation"]
    return cv.table(header, result.importance[columns].to_numpy().tolist())


def _driver_ratings(value: object, answers: int) -> tuple[list[str], list[list[float]]]:
    """The question names (the first row of ``drivers``) and the ratings below them, NaN where
    unanswered (a blank cell or #N/A). Messages name the cell, counting from the range's
    first cell (the names are row 1)."""
    got = cv.cells(value, "drivers")
    rows, columns = got.shape
    if rows - 1 != answers:
        raise cv.CellError.from_key("udf_drivers_sizes", rows=rows - 1, cells=answers)
    names: list[str] = []
    for j, name in enumerate(got.values[:columns].tolist()):
        blank = name is None or (isinstance(name, float) and math.isnan(name))
        text = "" if blank else (name if isinstance(name, str) else cv.show(name)).strip()
        where = cv.where_message(j, got.shape, "drivers")
        if not text:
            raise cv.CellError.from_key("udf_drivers_name_blank", where=where)
        if text in names:
            raise cv.CellError.from_key("udf_drivers_name_twice", name=cv.show(text), where=where)
        names.append(text)
    ratings = [_rating(v, got, columns + i) for i, v in enumerate(got.values[columns:].tolist())]
    return names, [ratings[r * columns : (r + 1) * columns] for r in range(answers)]


def _rating(value: object, got, index: int) -> float:
    """One driver cell: a whole number from 0 to 10 (a number or text such as "7"), or NaN
    for a blank cell or #N/A."""
    if value is None or value == "#N/A" or (isinstance(value, float) and math.isnan(value)):
        return math.nan
    number = None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str) and len(value) <= cv.OPTION_LIMIT:
        try:
            number = float(value.strip())
        except ValueError:
            number = None
    low, high = key_drivers.RATING_RANGE
    if number is not None and number.is_integer() and low <= number <= high:
        return number
    where = cv.where_message(index, got.shape, "drivers")
    raise cv.CellError.from_key(
        "udf_drivers_rating", value=cv.show(value), where=where, low=low, high=high
    )


def _check_aligned(parsed, got, missing, argument: str, what: str) -> None:
    bad = parsed.valid & missing
    if bad.any():
        i = int(bad.argmax())
        raise ValueError(
            f"The answer in {got.where(i)} has no {what} in "
            f"{argument}. Fill in {argument} for every answer."
        )


# --------------------------------------------------------------------------- counts, weights


def _count(value: object, argument: str) -> float:
    got = cv.number(value, argument)
    if got is None:
        raise ValueError(f"{argument} is blank. Give the number of {argument} (0 if none).")
    return got


def _given_counts(promoters: object, passives: object, detractors: object) -> Counts:
    return Counts(
        detractors=_count(detractors, "detractors"),
        passives=_count(passives, "passives"),
        promoters=_count(promoters, "promoters"),
    )


_PROMOTERS_DOC = _COUNT_DOC.format(what="promoters", range="9–10")
_PASSIVES_DOC = _COUNT_DOC.format(what="passives", range="7–8")
_DETRACTORS_DOC = _COUNT_DOC.format(what="detractors", range="0–6")


@xw.func(category=CATEGORY)
@xw.arg("promoters", "raw", doc=_PROMOTERS_DOC)
@xw.arg("passives", "raw", doc=_PASSIVES_DOC)
@xw.arg("detractors", "raw", doc=_DETRACTORS_DOC)
@_safe
def NPS_FROM_COUNTS(promoters, passives, detractors):
    """NPS from counts you already have: 100 × (promoters − detractors) / (promoters + passives
    + detractors)."""
    return stats.nps(_given_counts(promoters, passives, detractors))


@xw.func(category=CATEGORY)
@xw.arg("promoters", "raw", doc=_PROMOTERS_DOC)
@xw.arg("passives", "raw", doc=_PASSIVES_DOC)
@xw.arg("detractors", "raw", doc=_DETRACTORS_DOC)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@xw.arg("population", "raw", doc=_POPULATION_DOC)
@_safe
def NPS_FROM_COUNTS_CI(
    promoters, passives, detractors, confidence=0.95, method="adjusted-wald", population=None
):
    """Spills one row: low, NPS, high, the confidence interval of an NPS given as counts."""
    c = _given_counts(promoters, passives, detractors)
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return _interval_row(
        stats.interval(
            c,
            confidence=_confidence(confidence),
            method=method,
            population=_population(population, "population", c.answer_count),
        )
    )


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("weights", "raw", doc="A weight ≥ 0 for each answer: a range the same size as scores.")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@_safe
def NPS_WEIGHTED(scores, weights, invalid="error", scale=None):
    """Weighted NPS: 100 × (promoter weight − detractor weight) / total weight of valid
    answers."""
    parsed, _ = _answers(scores, "scores", scale, invalid)
    valid = parsed.valid
    # parse_weights rescales weights near the ends of the double range (only their ratios
    # matter), so their sums and the sum of their squares stay finite and non-zero
    w = parse_weights(cv.read_numbers(weights, "weights", len(parsed.values)), parsed)[valid]
    return stats.nps(Counts.from_scores(parsed.values[valid], parsed.scale, w))


# --------------------------------------------------------------------------- companions


def _scale_max(value: object, default: int) -> int:
    top = cv.whole_number(value, "scale_max", default)
    low, high = SCALE_MAX_RANGE
    if not low <= top <= high:
        raise ValueError(f"scale_max must be a whole number from {low} to {high}, got {top:g}.")
    return top


@xw.func(category=CATEGORY)
@xw.arg("ratings", "raw", doc="Satisfaction ratings from 1 to scale_max. Blank cells are ignored.")
@xw.arg("scale_max", "raw", doc="Top of the rating scale, 2 to 100: 5 (default), 7, 10 or other.")
@xw.arg("satisfied_min", "raw", doc="Lowest satisfied rating (default 4 of 5, 6 of 7, 8 of 10).")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def CSAT(ratings, scale_max=5, satisfied_min=None, invalid="error"):
    """Customer Satisfaction Score: percentage of satisfied ratings (4–5 on a 1–5 scale)."""
    scale_top = _scale_max(scale_max, 5)
    parsed, _ = cv.read_answers(
        ratings, "ratings", scale=(1, 1, 1, scale_top), invalid=_invalid(invalid)
    )
    minimum = cv.number(satisfied_min, "satisfied_min")
    return companions.csat(parsed.scores, scale_max=scale_top, satisfied_min=minimum)


@xw.func(category=CATEGORY)
@xw.arg("ratings", "raw", doc="Effort ratings from 1 to scale_max. Blank cells are ignored.")
@xw.arg("scale_max", "raw", doc="Top of the rating scale, 2 to 100 (default 7, Gartner's CES 2.0).")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def CES(ratings, scale_max=7, invalid="error"):
    """Customer Effort Score: the mean effort rating (1–7 by default; Dixon et al., HBR 2010)."""
    scale_top = _scale_max(scale_max, 7)
    parsed, _ = cv.read_answers(
        ratings, "ratings", scale=(1, 1, 1, scale_top), invalid=_invalid(invalid)
    )
    return companions.ces(parsed.scores, scale_max=scale_top)


@xw.func(category=CATEGORY)
@xw.arg("start_customers", "raw", doc="Customers at the start of the period (above 0).")
@xw.arg("end_customers", "raw", doc="Customers at the end of the period (≥ 0).")
@xw.arg("new_customers", "raw", doc="New customers won during the period (0 to end_customers).")
@_safe
def CRR(start_customers, end_customers, new_customers):
    """Customer Retention Rate in percent: (end − new) / start × 100."""
    values = []
    for value, name in (
        (start_customers, "start_customers"),
        (end_customers, "end_customers"),
        (new_customers, "new_customers"),
    ):
        values.append(_count(value, name))
    return companions.crr(*values)
