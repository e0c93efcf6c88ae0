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
cell, or give "skip" as the invalid argument …``. Test for it with ``=ISTEXT(cell)``.
"""

from __future__ import annotations

import functools
import importlib
import inspect
import warnings
from typing import Any

import pandas as pd
import xlwings as xw

from nps_xl import stats
from nps_xl.counts import Counts, parse_weights
from nps_xl.excel import conversion as cv
from nps_xl.scores import SCALES

#: Every failed call returns text starting with this, never a traceback.
ERROR_PREFIX = "#NPS! "
#: The group the functions are listed under in Excel's Insert Function dialog (classic).
CATEGORY = "Net Promoter Score"

_INVALID_MODES = ("error", "skip")
_CI_METHODS = stats.INTERVAL_METHODS
_TEST_METHODS = stats.COMPARE_METHODS

# The words a table header or category cell shows come from nps_xl.i18n. It, benchmarks,
# companions and tables are imported when first needed, so that importing the function
# module (which Excel does at every start) stays quick.


def _core(name: str) -> Any:
    return importlib.import_module(f"nps_xl.{name}")


def _text(key: str, lang: object) -> str:
    return _core("i18n").text(key, _lang(lang))


def _lang(lang: object) -> str:
    return cv.word(lang, "lang", "en")


def _safe(function):
    """The boundary between Excel and Python: any exception becomes a one-line text result.

    A function with a ``lang`` argument tells the errors that carry an i18n key
    (:class:`nps_xl.i18n.LocalizedError`: invalid answers, no valid answer) in that language;
    the rest, and every function without ``lang``, in English.
    """
    names = list(inspect.signature(function).parameters)
    lang_at = names.index("lang") if "lang" in names else None

    @functools.wraps(function)
    def boundary(*args):
        for arg in args:  # a cell holding an earlier #NPS! message: pass it on, like #N/A
            if isinstance(arg, str) and arg.startswith(ERROR_PREFIX):
                return arg
        try:
            with warnings.catch_warnings():
                # invalid="skip" is an explicit choice in a cell; NPS_COUNTS shows the count.
                warnings.simplefilter("ignore")
                return function(*args)
        except (ValueError, TypeError) as exc:
            lang = args[lang_at] if lang_at is not None and lang_at < len(args) else None
            return ERROR_PREFIX + _one_line(_message(exc, lang))
        except KeyError as exc:
            return ERROR_PREFIX + _one_line(str(exc.args[0] if exc.args else exc))
        except Exception as exc:  # a bug of ours: still no traceback in the cell
            return f"{ERROR_PREFIX}{type(exc).__name__}: {_one_line(str(exc))}"

    # The docstring is the description in Insert Function: one line, as Excel shows it.
    boundary.__doc__ = _one_line(function.__doc__ or "")
    return boundary


def _message(exc: Exception, lang: object) -> str:
    """The error in the language of the ``lang`` argument (English when it is not usable)."""
    if lang is None:
        return str(exc)
    i18n = _core("i18n")
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


def _scale(scale: object) -> str:
    return cv.word(scale, "scale", "0-10")


def _confidence(confidence: object) -> float:
    return cv.number(confidence, "confidence", 0.95)


def _counts(scores: object, scale: object = None, invalid: object = None) -> tuple:
    """Parse a range of answers and count them: (Counts, ParsedScores)."""
    parsed, _ = cv.read_answers(scores, "scores", scale=_scale(scale), invalid=_invalid(invalid))
    return Counts.from_scores(parsed.scores, parsed.scale), parsed


def _interval_row(interval) -> list[list[object]]:
    return cv.table(None, [[interval.low, interval.estimate, interval.high]])


# --------------------------------------------------------------------------- argument docs

_SCORES_DOC = (
    "The answers: a column, row or block of 0–10 scores. Blank cells are ignored; text such as "
    '"9" or "10 - Extremely likely" is read.'
)
_INVALID_DOC = (
    'What to do with answers that are not scores (11, "N/A", #N/A): "error" (default) stops '
    'and names the first one; "skip" leaves them out.'
)
_SCALE_DOC = (
    f'The rating scale: {", ".join(repr(s) for s in SCALES)} (default "0-10"), or four '
    'breaks "min,detractor max,passive max,max" such as "0,6,8,10".'
)
_LANG_DOC = 'Language of the words shown: "en" (default), "zh-Hans", "zh-Hant", "lt" or "bg".'
_CONFIDENCE_DOC = "Confidence level between 0 and 1 (default 0.95 = 95%)."
_CI_METHOD_DOC = (
    'Interval method: "adjusted-wald" (default, Rocks 2016), "wald", "score" or "bootstrap".'
)
_TEST_METHOD_DOC = 'Test method: "adjusted-wald" (default) or "wald" (the classical z test).'
_NPS_VALUE_DOC = "An NPS between -100 and 100, e.g. a cell holding =NPS(...)."


# --------------------------------------------------------------------------- the score


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@xw.arg("scale", "raw", doc=_SCALE_DOC)
@_safe
def NPS(scores, invalid="error", scale="0-10"):
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
def NPS_COUNTS(scores, invalid="error", scale="0-10", lang="en"):
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
def NPS_CATEGORY(scores, lang="en", scale="0-10"):
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
    return _core("benchmarks").band(value, cv.word(scheme, "scheme", "five"), _lang(lang))


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
    frame = _core("benchmarks").benchmark(
        value, cv.word(industry, "industry", "global"), _lang(lang)
    )
    columns = ["statistic", "value", "your_gap", "verdict"]
    return cv.table([_text(k, lang) for k in columns], frame[columns].to_numpy().tolist())


# --------------------------------------------------------------------------- uncertainty


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_CI(scores, confidence=0.95, method="adjusted-wald", invalid="error"):
    """Spills one row: low, NPS, high, the confidence interval of the NPS in points."""
    c, _ = _counts(scores, None, invalid)
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return _interval_row(stats.interval(c, confidence=_confidence(confidence), method=method))


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_MOE(scores, confidence=0.95, method="adjusted-wald", invalid="error"):
    """Margin of error of the NPS in points (half the width of its confidence interval)."""
    c, _ = _counts(scores, None, invalid)
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return stats.interval(c, confidence=_confidence(confidence), method=method).margin


@xw.func(category=CATEGORY)
@xw.arg("scores_a", "raw", doc="The first group's answers (e.g. this quarter).")
@xw.arg("scores_b", "raw", doc="The second group's answers (e.g. last quarter).")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_TEST_METHOD_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_TEST(
    scores_a, scores_b, confidence=0.95, method="adjusted-wald", lang="en", invalid="error"
):
    """Spills labelled rows comparing two groups: NPS A, NPS B, difference (A − B), low, high,
    p-value, significant."""
    parsed_a, _ = cv.read_answers(scores_a, "scores_a", invalid=_invalid(invalid))
    parsed_b, _ = cv.read_answers(scores_b, "scores_b", invalid=_invalid(invalid))
    result = stats.compare(
        Counts.from_scores(parsed_a.scores, parsed_a.scale),
        Counts.from_scores(parsed_b.scores, parsed_b.scale),
        confidence=_confidence(confidence),
        method=cv.word(method, "method", "adjusted-wald", _TEST_METHODS),
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
@xw.arg("margin", "raw", doc="The margin of error you want, in NPS points (e.g. 5 for ±5).")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("expected_nps", "raw", doc="The NPS you expect, if known (fewer answers needed); optional.")
@_safe
def NPS_SAMPLE_SIZE(margin, confidence=0.95, expected_nps=None):
    """Answers needed for an NPS margin of error of ±margin points (adjusted-Wald; worst case
    unless expected_nps is given)."""
    value = cv.number(margin, "margin")
    if value is None:
        raise ValueError("margin is blank. Give the margin of error in NPS points, e.g. 5.")
    return stats.sample_size(
        value,
        confidence=_confidence(confidence),
        expected_nps=cv.number(expected_nps, "expected_nps"),
    )


# --------------------------------------------------------------------------- tables


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("dates", "raw", doc="The date of each answer: a range the same size as scores.")
@xw.arg("period", "raw", doc='Period length: "month" (default), "quarter", "week" or "year".')
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_TREND(scores, dates, period="month", confidence=0.95, lang="en", invalid="error"):
    """Spills the NPS by period: period, n, NPS, low, high, change from the period before,
    significant."""
    parsed, got = cv.read_answers(scores, "scores", invalid=_invalid(invalid))
    when = cv.read_dates(dates, "dates", len(parsed.values))
    _check_aligned(parsed, got, when.isna().to_numpy(), "dates", "date")
    frame = pd.DataFrame({"Score": parsed.values, "Date": when})
    out = _core("tables").trend(
        frame,
        score="Score",
        date="Date",
        period=cv.word(period, "period", "month"),
        confidence=_confidence(confidence),
    )
    columns = ["period", "n", "nps", "low", "high", "change", "significant"]
    return cv.table([_text(k, lang) for k in columns], out[columns].to_numpy().tolist())


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("groups", "raw", doc="The group of each answer (region, product…), same size as scores.")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("min_n", "raw", doc="Groups with fewer answers are flagged as small samples (default 30).")
@xw.arg("lang", "raw", doc=_LANG_DOC)
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_BY(scores, groups, confidence=0.95, min_n=30, lang="en", invalid="error"):
    """Spills the NPS by group: group, n, promoter/passive/detractor shares, NPS, low, high,
    difference from the rest, significant."""
    parsed, _ = cv.read_answers(scores, "scores", invalid=_invalid(invalid))
    labels = cv.read_labels(groups, "groups", len(parsed.values))
    labels[parsed.valid & pd.isna(labels)] = _text("blank", lang)
    frame = pd.DataFrame({"Score": parsed.values, "Group": labels})
    out = _core("tables").segments(
        frame,
        "Group",
        score="Score",
        confidence=_confidence(confidence),
        min_n=cv.whole_number(min_n, "min_n", 30),
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
    ]
    return cv.table([_text(k, lang) for k in columns], out[columns].to_numpy().tolist())


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


@xw.func(category=CATEGORY)
@xw.arg("promoters", "raw", doc="Number of promoters (answers 9–10).")
@xw.arg("passives", "raw", doc="Number of passives (answers 7–8).")
@xw.arg("detractors", "raw", doc="Number of detractors (answers 0–6).")
@_safe
def NPS_FROM_COUNTS(promoters, passives, detractors):
    """NPS from counts you already have: 100 × (promoters − detractors) / (promoters + passives
    + detractors)."""
    c = Counts(
        detractors=_count(detractors, "detractors"),
        passives=_count(passives, "passives"),
        promoters=_count(promoters, "promoters"),
    )
    return stats.nps(c)


@xw.func(category=CATEGORY)
@xw.arg("promoters", "raw", doc="Number of promoters (answers 9–10).")
@xw.arg("passives", "raw", doc="Number of passives (answers 7–8).")
@xw.arg("detractors", "raw", doc="Number of detractors (answers 0–6).")
@xw.arg("confidence", "raw", doc=_CONFIDENCE_DOC)
@xw.arg("method", "raw", doc=_CI_METHOD_DOC)
@_safe
def NPS_FROM_COUNTS_CI(promoters, passives, detractors, confidence=0.95, method="adjusted-wald"):
    """Spills one row: low, NPS, high, the confidence interval of an NPS given as counts."""
    c = Counts(
        detractors=_count(detractors, "detractors"),
        passives=_count(passives, "passives"),
        promoters=_count(promoters, "promoters"),
    )
    method = cv.word(method, "method", "adjusted-wald", _CI_METHODS)
    return _interval_row(stats.interval(c, confidence=_confidence(confidence), method=method))


@xw.func(category=CATEGORY)
@xw.arg("scores", "raw", doc=_SCORES_DOC)
@xw.arg("weights", "raw", doc="A weight ≥ 0 for each answer: a range the same size as scores.")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def NPS_WEIGHTED(scores, weights, invalid="error"):
    """Weighted NPS: 100 × (promoter weight − detractor weight) / total weight of valid
    answers."""
    parsed, _ = cv.read_answers(scores, "scores", invalid=_invalid(invalid))
    w = parse_weights(cv.read_numbers(weights, "weights", len(parsed.values)), parsed)
    valid = parsed.valid
    return stats.nps(Counts.from_scores(parsed.values[valid], parsed.scale, w[valid]))


# --------------------------------------------------------------------------- companions


@xw.func(category=CATEGORY)
@xw.arg("ratings", "raw", doc="Satisfaction ratings from 1 to scale_max. Blank cells are ignored.")
@xw.arg("scale_max", "raw", doc="Top of the rating scale: 5 (default), 7 or 10, or any other.")
@xw.arg("satisfied_min", "raw", doc="Lowest satisfied rating (default 4 of 5, 6 of 7, 8 of 10).")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def CSAT(ratings, scale_max=5, satisfied_min=None, invalid="error"):
    """Customer Satisfaction Score: percentage of satisfied ratings (4–5 on a 1–5 scale)."""
    scale_top = cv.whole_number(scale_max, "scale_max", 5)
    parsed, _ = cv.read_answers(
        ratings, "ratings", scale=(1, 1, 1, scale_top), invalid=_invalid(invalid)
    )
    minimum = cv.number(satisfied_min, "satisfied_min")
    return _core("companions").csat(
        parsed.scores, scale_max=scale_top, satisfied_min=None if minimum is None else minimum
    )


@xw.func(category=CATEGORY)
@xw.arg("ratings", "raw", doc="Effort ratings from 1 to scale_max. Blank cells are ignored.")
@xw.arg("scale_max", "raw", doc="Top of the rating scale (default 7, as in Gartner's CES 2.0).")
@xw.arg("invalid", "raw", doc=_INVALID_DOC)
@_safe
def CES(ratings, scale_max=7, invalid="error"):
    """Customer Effort Score: the mean effort rating (1–7 by default; Dixon et al., HBR 2010)."""
    scale_top = cv.whole_number(scale_max, "scale_max", 7)
    parsed, _ = cv.read_answers(
        ratings, "ratings", scale=(1, 1, 1, scale_top), invalid=_invalid(invalid)
    )
    return _core("companions").ces(parsed.scores, scale_max=scale_top)


@xw.func(category=CATEGORY)
@xw.arg("start_customers", "raw", doc="Customers at the start of the period.")
@xw.arg("end_customers", "raw", doc="Customers at the end of the period.")
@xw.arg("new_customers", "raw", doc="New customers won during the period.")
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
    return _core("companions").crr(*values)
