"""The Excel functions through classic xlwings (Windows desktop Excel), without Windows.

``classic_runner`` loads ``nps_xl.excel.udfs`` with xlwings' own classic decorators and calls
functions through ``com_server.XLPython.CallUDF`` (what the generated VBA calls), so every
argument and result passes xlwings' converters. Inputs are COM-shaped: tuples of row tuples,
None for blank cells, floats for numbers, COM error integers for #N/A and friends.

Expected values come from the source guides (70/15/15 → 55, guide 000; 70/20/10 → 60,
guide 003) or are computed by hand from the published formulas in this file.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import os
import statistics
from pathlib import Path

import drivers_reference as drivers_ref
import pytest
import udf_reference as ref
from classic_runner import MISSING, classic_excel
from r_reference import constants, needs_r, regenerated
from udf_fuzz import FUNCTIONS  # every function and its arguments, in order

from nps_xl.excel.conversion import COM_ERRORS

GOLDEN = Path(__file__).with_name("udf_golden_vba.txt")
NA = -2146826246  # #N/A as pywin32 delivers it
DIV0 = -2146826281  # #DIV/0!


#: Arguments appended after every older one (issue 22), so that existing formulas keep working.
ADDED_LAST = {"population", "population_a", "population_b", "adjust"}

# VBA reserved words (Microsoft, "Keywords (VBA)"); a parameter named like one breaks the
# generated module, e.g. CRR(start, end, new) would not compile.
VBA_KEYWORDS = set(
    [
        "and",
        "as",
        "boolean",
        "byref",
        "byte",
        "byval",
        "call",
        "case",
        "const",
        "currency",
        "date",
        "decimal",
        "declare",
        "dim",
        "do",
        "double",
        "each",
        "else",
        "elseif",
        "empty",
        "end",
        "endif",
        "enum",
        "eqv",
        "erase",
        "error",
        "event",
        "exit",
        "false",
        "for",
        "friend",
        "function",
        "get",
        "global",
        "gosub",
        "goto",
        "if",
        "imp",
        "implements",
        "in",
        "integer",
        "is",
        "let",
        "like",
        "lock",
        "long",
        "longlong",
        "loop",
        "lset",
        "me",
        "mod",
        "new",
        "next",
        "not",
        "nothing",
        "null",
        "on",
        "optional",
        "or",
        "paramarray",
        "preserve",
        "private",
        "property",
        "public",
        "raiseevent",
        "redim",
        "rem",
        "resume",
        "return",
        "rset",
        "select",
        "set",
        "single",
        "static",
        "step",
        "stop",
        "string",
        "sub",
        "then",
        "to",
        "true",
        "type",
        "typeof",
        "until",
        "variant",
        "wend",
        "while",
        "with",
        "xor",
    ]
)


def column(*values):
    """A COM column range: a tuple of 1-tuples."""
    return tuple((v,) for v in values)


def survey(promoters, passives, detractors):
    """A column of answers with the given category counts (10, 7 and 3 as floats)."""
    return column(*([10.0] * promoters + [7.0] * passives + [3.0] * detractors))


def adjusted_wald(pro, pas, det, z=1.959963984540054):
    """Rocks (2016) adjusted-Wald interval by hand: add ¾, 1½, ¾ pseudo-answers."""
    n = pro + pas + det + 3
    p, d = (pro + 0.75) / n, (det + 0.75) / n
    v = p + d - (p - d) ** 2
    margin = z * math.sqrt(v / n)
    return 100 * (p - d - margin), 100 * (pro - det) / (pro + pas + det), 100 * (p - d + margin)


@pytest.fixture(scope="module")
def xl():
    with classic_excel() as excel:
        yield excel


def call(xl, name, *args):
    """Call with omitted trailing optional arguments passed as VBA does (MISSING)."""
    args = list(args) + [MISSING] * (len(FUNCTIONS[name]) - len(args))
    return xl.call(name, *args)


def is_error(result) -> bool:
    return isinstance(result, str) and result.startswith("#NPS! ")


# --------------------------------------------------------------------------- registration


def test_every_function_is_registered_with_its_arguments(xl):
    found = {
        name: getattr(xl.module, name)
        for name in dir(xl.module)
        if hasattr(getattr(xl.module, name), "__xlfunc__")
    }
    assert set(found) == set(FUNCTIONS)
    for name, arguments in FUNCTIONS.items():
        meta = found[name].__xlfunc__
        assert meta["name"] == name
        assert [a["name"] for a in meta["args"]] == arguments
        assert meta["category"] == "Net Promoter Score"
        assert 20 < len(meta["ret"]["doc"]) <= 255 and "\n" not in meta["ret"]["doc"]
        for arg in meta["args"]:
            assert not arg["doc"].startswith("Positional argument"), (name, arg["name"])
            assert len(arg["doc"]) <= 255
            assert arg["name"].lower() not in VBA_KEYWORDS, (name, arg["name"])
        # the first argument is required; the documented optional ones are optional
        assert "optional" not in meta["args"][0]


def test_range_arguments_are_raw_so_errors_and_blanks_reach_the_parser(xl):
    meta = xl.module.NPS_BY.__xlfunc__["argmap"]
    assert meta["scores"]["options"] == {"convert": "raw"}
    assert meta["groups"]["options"] == {"convert": "raw"}
    assert meta["invalid"]["options"] == {"convert": "raw"} if "invalid" in meta else True
    assert xl.module.NPS.__xlfunc__["argmap"]["invalid"]["optional"] == "error"


def render(book) -> str:
    lines = [book.vba.rstrip(), "", "' ===== MacroOptions: Insert Function descriptions ====="]
    for m in book.macro_options:
        lines.append(f"' {m['macro']}  [category: {m['Category']}]")
        lines.append(f"'   {m['Description']}")
        lines.extend(f"'   - {d}" for d in m["ArgumentDescriptions"] or [])
    return "\n".join(lines) + "\n"


def test_import_functions_writes_the_golden_vba_and_descriptions(xl):
    book = xl.import_functions()
    text = render(book)
    if os.environ.get("NPS_UPDATE_GOLDEN"):
        GOLDEN.write_text(text, encoding="utf-8")
    assert text == GOLDEN.read_text(encoding="utf-8")
    for name, arguments in FUNCTIONS.items():
        signature = ", ".join(
            a if i == 0 or name in ("NPS_FROM_COUNTS", "CRR") else f"Optional {a}"
            for i, a in enumerate(arguments)
        )
        if name in ("NPS_TEST", "NPS_TREND", "NPS_BY", "NPS_WEIGHTED", "NPS_DRIVERS"):
            signature = ", ".join(a if i < 2 else f"Optional {a}" for i, a in enumerate(arguments))
        if name in ("NPS_FROM_COUNTS_CI",):
            signature = ", ".join(a if i < 3 else f"Optional {a}" for i, a in enumerate(arguments))
        assert f"Function {name}({signature})" in book.vba
    assert len(book.macro_options) == len(FUNCTIONS)


# --------------------------------------------------------------------------- NPS


def test_nps_of_the_guide_examples(xl):
    assert call(xl, "NPS", survey(70, 15, 15)) == pytest.approx(55.0)  # guide 000
    assert call(xl, "NPS", survey(70, 20, 10)) == pytest.approx(60.0)  # guide 003


def test_blank_cells_are_ignored_and_text_scores_are_read(xl):
    scores = column(9.0, None, "10 - Extremely likely", " 7 ", None, 0.0)
    # 2 promoters, 1 passive, 1 detractor → 100 × (2 − 1) / 4
    assert call(xl, "NPS", scores) == pytest.approx(25.0)


@pytest.mark.parametrize(
    ("scores", "where", "shown"),
    [
        (column(9.0, 10.0, None, DIV0), "row 4 of scores", "'#DIV/0!'"),
        (((9.0, 10.0, 11.0),), "column 3 of scores", "11"),
        (((9.0, 10.0), (3.0, "great")), "row 2, column 2 of scores", "'great'"),
        (column(9.0, True), "row 2 of scores", "TRUE"),
        (column(9.0, dt.datetime(2025, 5, 1)), "row 2 of scores", "2025-05-01"),
        (column(9.0, 7.5), "row 2 of scores", "7.5"),
        (column(9.0, DIV0), "row 2 of scores", "'#DIV/0!'"),
    ],
)
def test_an_invalid_answer_names_its_cell_and_value(xl, scores, where, shown):
    result = call(xl, "NPS", scores)
    assert is_error(result)
    assert f"{shown} in {where} is not a score on the 0–10 scale" in result
    assert '"skip"' in result and "Traceback" not in result


def test_skip_leaves_invalid_answers_out(xl):
    scores = column(9.0, NA, 10.0, "N/A", 3.0, None)
    assert call(xl, "NPS", scores, "skip") == pytest.approx(100 * (2 - 1) / 3)
    assert call(xl, "NPS", scores, "SKIP") == pytest.approx(100 * (2 - 1) / 3)


def test_every_classic_error_code_is_named(xl):
    for code, name in COM_ERRORS.items():
        if name == "#N/A":  # "not available": a blank answer (scores.MISSING_MARKERS)
            assert call(xl, "NPS", column(9.0, code)) == 100.0
            continue
        assert f"'{name}' in row 2 of scores" in call(xl, "NPS", column(9.0, code))


def test_no_valid_answer_is_a_message_not_zero(xl):
    for scores in (column(None, None), None, column(NA, "x")):
        result = call(xl, "NPS", scores, "skip")
        assert is_error(result) and "no valid answer" in result


def test_single_cell_and_other_scales(xl):
    assert call(xl, "NPS", 10.0) == 100.0
    assert call(xl, "NPS", column(5.0, 4.0, 1.0, 5.0), MISSING, "1-5") == pytest.approx(25.0)
    # breaks 0,5,8,10: 6 is a passive here, 5 a detractor
    assert call(xl, "NPS", column(10.0, 6.0, 5.0), MISSING, "0,5,8,10") == pytest.approx(0.0)
    assert "Unknown scale" in call(xl, "NPS", column(9.0), MISSING, "1-7")


def test_bad_options_are_messages(xl):
    assert "invalid must be one of" in call(xl, "NPS", column(9.0), "ignore")
    assert "error value #N/A" in call(xl, "NPS", column(9.0), NA)
    assert "confidence" in call(xl, "NPS_CI", column(9.0, 3.0), 95.0)
    assert "method must be one of" in call(xl, "NPS_CI", column(9.0), MISSING, "exact")


# --------------------------------------------------------------------------- spilled tables


def test_nps_counts_table(xl):
    scores = column(*([10.0] * 70 + [7.0] * 15 + [3.0] * 15), None, NA)
    assert call(xl, "NPS_COUNTS", scores, "skip") == [
        ["Category", "Count", "Share"],
        ["Promoters", 70, 0.7],
        ["Passives", 15, 0.15],
        ["Detractors", 15, 0.15],
        ["Total valid", 100, 1.0],
        ["Blank or skipped", 2, ""],
    ]
    assert call(xl, "NPS_COUNTS", column(9.0), MISSING, MISSING, "lt")[0] == [
        "Kategorija",
        "Skaičius",
        "Dalis",
    ]


def test_nps_category_keeps_the_shape(xl):
    result = call(xl, "NPS_CATEGORY", ((9.0, None, "x"), (0.0, 7.0, 10.0)))
    assert result == [["Promoter", "", "Invalid"], ["Detractor", "Passive", "Promoter"]]
    assert call(xl, "NPS_CATEGORY", 8.0) == "Passive"


def test_nps_ci_and_moe_are_the_adjusted_wald_interval(xl):
    low, mid, high = adjusted_wald(70, 15, 15)
    assert call(xl, "NPS_CI", survey(70, 15, 15)) == [
        pytest.approx(low),
        pytest.approx(mid),
        pytest.approx(high),
    ]
    assert call(xl, "NPS_MOE", survey(70, 15, 15)) == pytest.approx((high - low) / 2)
    # Wald at 90%: 55 ± 1.644854 × sqrt((0.85 − 0.55²)/100) × 100
    wald = 1.6448536269514722 * math.sqrt((0.85 - 0.55**2) / 100) * 100
    assert call(xl, "NPS_MOE", survey(70, 15, 15), 0.9, "wald") == pytest.approx(wald)


def test_nps_test_rows(xl):
    result = call(xl, "NPS_TEST", survey(70, 20, 10), survey(70, 15, 15), MISSING, "wald")
    # Wald by hand: V_a = 0.8 − 0.36, V_b = 0.85 − 0.3025, SE = sqrt(V_a/100 + V_b/100)
    se = math.sqrt((0.8 - 0.36) / 100 + (0.85 - 0.3025) / 100)
    z = 0.05 / se
    p = math.erfc(z / math.sqrt(2))
    assert [row[0] for row in result] == [
        "Statistic",
        "NPS A",
        "NPS B",
        "Difference",
        "Low",
        "High",
        "p-value",
        "Significant",
    ]
    values = [row[1] for row in result[1:]]
    assert values[:3] == [pytest.approx(60.0), pytest.approx(55.0), pytest.approx(5.0)]
    assert values[3] == pytest.approx(100 * (0.05 - 1.959963984540054 * se))
    assert values[4] == pytest.approx(100 * (0.05 + 1.959963984540054 * se))
    assert values[5] == pytest.approx(p)
    assert values[6] is False


def test_sample_size_and_counts(xl):
    # n = ceil(z² / (margin/100)² − 3) with z = 1.959964 (adjusted Wald, worst case V = 1)
    assert call(xl, "NPS_SAMPLE_SIZE", 5.0) == 1534
    assert call(xl, "NPS_SAMPLE_SIZE", 10.0) == 382
    assert call(xl, "NPS_SAMPLE_SIZE", 20.0) == 94
    assert call(xl, "NPS_FROM_COUNTS", 70.0, 15.0, 15.0) == pytest.approx(55.0)
    assert call(xl, "NPS_FROM_COUNTS", 70.0, 20.0, 10.0) == pytest.approx(60.0)
    low, mid, high = adjusted_wald(70, 20, 10)
    assert call(xl, "NPS_FROM_COUNTS_CI", 70.0, 20.0, 10.0) == [
        pytest.approx(low),
        pytest.approx(mid),
        pytest.approx(high),
    ]
    assert "no valid answers" in call(xl, "NPS_FROM_COUNTS", 0.0, 0.0, 0.0).lower()
    assert "≥ 0" in call(xl, "NPS_FROM_COUNTS", -1.0, 0.0, 0.0)


def test_weighted_nps(xl):
    # promoter weight 3 + 1, passive 2, detractor 2 → 100 × (4 − 2) / 8 = 25
    scores = column(10.0, 9.0, 7.0, 3.0, None)
    weights = column(3.0, 1.0, 2.0, 2.0, None)
    assert call(xl, "NPS_WEIGHTED", scores, weights) == pytest.approx(25.0)
    assert "weights has 2 cells" in call(xl, "NPS_WEIGHTED", scores, column(1.0, 1.0))
    bad = column(3.0, "heavy", 2.0, 2.0, None)
    assert "'heavy' in row 2 of weights is not a number" in call(xl, "NPS_WEIGHTED", scores, bad)


def test_companions(xl):
    assert call(xl, "CSAT", column(5.0, 4.0, 3.0, 2.0, 5.0, None)) == pytest.approx(60.0)
    assert call(xl, "CSAT", column(10.0, 8.0, 7.0, 1.0), 10.0) == pytest.approx(50.0)
    assert call(xl, "CSAT", column(3.0, 2.0), 5.0, 3.0) == pytest.approx(50.0)
    assert "'#DIV/0!' in row 2 of ratings" in call(xl, "CSAT", column(5.0, DIV0))
    assert call(xl, "CSAT", column(5.0, NA)) == pytest.approx(100.0)  # #N/A: no answer
    assert call(xl, "CES", column(7.0, 6.0, 5.0, 2.0)) == pytest.approx(5.0)
    assert "not a score on the 1–7 scale" in call(xl, "CES", column(8.0))
    assert call(xl, "CRR", 200.0, 210.0, 30.0) == pytest.approx(90.0)
    assert is_error(call(xl, "CRR", 0.0, 10.0, 1.0))


def test_label_and_benchmark(xl):
    assert call(xl, "NPS_LABEL", 55.0) == "Excellent"
    assert call(xl, "NPS_LABEL", "abc").startswith("#NPS! nps_value must be a number")
    table = call(xl, "NPS_BENCHMARK", 55.0)
    assert table[0] == ["Statistic", "Value", "Your gap", "Verdict"]
    assert all(row[2] == pytest.approx(55.0 - row[1]) for row in table[1:])


def test_trend_by_month(xl):
    scores = column(10.0, 3.0, None, 9.0, 9.0, 7.0)
    dates = column(
        dt.datetime(2025, 1, 5),
        dt.datetime(2025, 1, 20),
        None,
        dt.datetime(2025, 2, 1),
        45700.0,  # a date cell formatted as a number: 2025-02-12
        dt.datetime(2025, 2, 28),
    )
    result = call(xl, "NPS_TREND", scores, dates)
    assert result[0] == [
        "Period",
        "n",
        "NPS",
        "Low",
        "High",
        "Change",
        "Significant",
        "Small sample",
        "p-value",
        "Adjusted p-value",
        "Significant (unadjusted)",
    ]
    assert [row[1] for row in result[1:]] == [2, 3]
    assert [row[7] for row in result[1:]] == [True, True]  # 2 and 3 answers: below 30
    assert result[1][2] == pytest.approx(0.0)  # 1 promoter, 1 detractor
    assert result[2][2] == pytest.approx(100 * 2 / 3)
    assert "has no a date" not in call(xl, "NPS_TREND", scores, column(*([None] * 6)))
    assert "row 1 of scores has no" in call(xl, "NPS_TREND", scores, column(*([None] * 6)))


def test_nps_by_group(xl):
    scores = column(10.0, 3.0, 9.0, 9.0, 7.0, None)
    groups = column("North", "North", "South", "South", "South", None)
    result = call(xl, "NPS_BY", scores, groups, MISSING, 1.0)
    assert result[0][:3] == ["Group", "n", "Promoter share"]
    rows = {row[0]: row for row in result[1:]}
    assert rows["North"][1] == 2 and rows["North"][5] == pytest.approx(0.0)
    assert rows["South"][1] == 3 and rows["South"][5] == pytest.approx(100 * 2 / 3)
    assert result[0][10] == "Small sample"
    # min_n 1.0: no group of 2 or 3 answers is below it; min_n 3: North (2 answers) is
    assert rows["North"][10] is False and rows["South"][10] is False
    by3 = {row[0]: row[10] for row in call(xl, "NPS_BY", scores, groups, MISSING, 3.0)[1:]}
    assert (by3["North"], by3["South"]) == (True, False)


# --------------------------------------------------------------------------- scale everywhere

# A 1–5 column: 5 is a promoter, 4 a passive, 1–3 detractors. 5 promoters, 2 passives,
# 3 detractors: NPS 20 on the 1–5 scale (read as 0–10 answers, every one is a detractor).
FIVE = (5.0, 5.0, 5.0, 4.0, 4.0, 3.0, 2.0, 1.0, 5.0, 5.0)
FIVE_B = (5.0, 4.0, 4.0, 1.0)  # 1 promoter, 2 passives, 1 detractor: NPS 0
Z90 = 1.6448536269514722


def wald_margin(pro, pas, det, z):
    n = pro + pas + det
    p, d = pro / n, det / n
    return 100 * z * math.sqrt((p + d - (p - d) ** 2) / n)


def test_every_function_that_reads_scores_takes_a_scale(xl):
    for name, arguments in FUNCTIONS.items():
        if any(a.startswith("scores") for a in arguments):
            assert "scale" in arguments, name
            # omitted: 0–10 unless the answers cannot be 0–10 (then the cell asks for it)
            assert xl.module.__dict__[name].__xlfunc__["argmap"]["scale"]["optional"] is None
    # added last, so that existing formulas keep their meaning; only the arguments of issue
    # 22 (population, adjust) come after it, appended for the same reason
    for name in ("NPS_CI", "NPS_MOE", "NPS_TEST", "NPS_TREND", "NPS_BY", "NPS_WEIGHTED"):
        after = FUNCTIONS[name][FUNCTIONS[name].index("scale") + 1 :]
        assert set(after) <= ADDED_LAST, (name, after)


def test_scale_reaches_intervals_tests_tables_and_weights(xl):
    scores = column(*FIVE)
    assert call(xl, "NPS", scores, MISSING, "1-5") == pytest.approx(20.0)
    as_0_10 = (MISSING, MISSING, MISSING, "0-10")
    threes = call(xl, "NPS_CI", column(*[3.0] * 10), *as_0_10)
    assert call(xl, "NPS_CI", scores, *as_0_10) == threes  # stated 0–10: all detractors
    low, mid, high = adjusted_wald(5, 2, 3)
    assert call(xl, "NPS_CI", scores, MISSING, MISSING, MISSING, "1-5") == [
        pytest.approx(low),
        pytest.approx(mid),
        pytest.approx(high),
    ]
    assert call(xl, "NPS_MOE", scores, 0.9, "wald", MISSING, "1-5") == pytest.approx(
        wald_margin(5, 2, 3, Z90)
    )
    rows = call(xl, "NPS_TEST", scores, column(*FIVE_B), MISSING, "wald", MISSING, MISSING, "1-5")
    se = math.sqrt((0.5 + 0.3 - 0.2**2) / 10 + (0.25 + 0.25 - 0.0) / 4)
    assert [row[1] for row in rows[1:4]] == [pytest.approx(20.0), 0.0, pytest.approx(20.0)]
    assert rows[6][1] == pytest.approx(math.erfc(0.2 / se / math.sqrt(2)))
    dates = column(*[dt.datetime(2025, 1, 10)] * 5, *[dt.datetime(2025, 2, 10)] * 5)
    trend = call(xl, "NPS_TREND", scores, dates, MISSING, MISSING, MISSING, MISSING, "1-5")
    assert [(row[1], row[2]) for row in trend[1:]] == [(5, pytest.approx(60.0)), (5, -20.0)]
    groups = column(*["x"] * 5, *["y"] * 5)
    by = call(xl, "NPS_BY", scores, groups, MISSING, 1.0, MISSING, MISSING, "1-5")
    assert {row[0]: row[5] for row in by[1:]} == {"x": pytest.approx(60.0), "y": -20.0}
    weights = column(*(2.0 if s == 5 else 1.0 for s in FIVE))
    # promoter weight 10, passive 2, detractor 3: 100 × (10 − 3) / 15
    assert call(xl, "NPS_WEIGHTED", scores, weights, MISSING, "1-5") == pytest.approx(700 / 15)


def test_scale_of_four_breaks_and_a_wrong_scale(xl):
    # 1,6,8,10: 1–6 detractors, 7–8 passives, 9–10 promoters; 0 is not on it (skipped)
    scores = column(10.0, 9.0, 7.0, 1.0, 6.0, 0.0)
    low, mid, high = adjusted_wald(2, 1, 2)
    assert call(xl, "NPS_CI", scores, MISSING, MISSING, "skip", "1,6,8,10") == [
        pytest.approx(low),
        pytest.approx(mid),
        pytest.approx(high),
    ]
    assert "Unknown scale '1-7'" in call(xl, "NPS_MOE", scores, MISSING, MISSING, MISSING, "1-7")
    assert "not a score on the 1–5 scale" in call(
        xl, "NPS_WEIGHTED", column(5.0, 7.0), column(1.0, 1.0), MISSING, "1-5"
    )


# --------------------------------------------------------------------------- reliability


def test_the_fuzzing_finds_are_fixed(xl):
    from fractions import Fraction

    for margin in (1e-200, 1e-100):  # were ZeroDivisionError and a 205-digit integer
        result = call(xl, "NPS_SAMPLE_SIZE", margin)
        assert result.startswith("#NPS! A margin of error of") and "at least 6.2e-06" in result
    z = Fraction(1.959963984540054)
    assert call(xl, "NPS_SAMPLE_SIZE", 1e-5) == math.ceil(z * z / Fraction(1, 10**7) ** 2 - 3)
    # confidence outside 0.5–0.9999 is refused; its edges work for every method
    assert "confidence must be between 0.5 and 0.9999" in call(
        xl, "NPS_CI", survey(5, 3, 2), 1e-9, "score"
    )
    for confidence in (0.5, 0.9999):
        for method in ("adjusted-wald", "wald", "score", "bootstrap"):
            low, mid, high = call(xl, "NPS_CI", survey(5, 3, 2), confidence, method)
            assert low <= mid <= high and mid == pytest.approx(30.0)
    # counts near the largest float (were inf, inf and #NUM!)
    assert call(xl, "NPS_FROM_COUNTS", 1e308, 0.0, 0.0) == 100.0
    assert call(xl, "CRR", 1e308, 1e308, 0.0) == 100.0
    assert call(xl, "NPS_FROM_COUNTS", 1.0, 1e308, 1e308) == pytest.approx(-50.0)
    assert call(xl, "NPS_FROM_COUNTS_CI", 1.0, 1e308, 1e308) == [pytest.approx(-50.0)] * 3
    # a weight of 1e308 (was OverflowError): 100 × (1e308 − 1) / (1e308 + 1 + 1e308)
    weighted = call(xl, "NPS_WEIGHTED", column(10.0, 3.0, 7.0), column(1e308, 1.0, 1e308))
    exact = 100 * (Fraction(1e308) - 1) / (2 * Fraction(1e308) + 1)
    assert weighted == pytest.approx(float(exact))
    # a 100,000-character cell is quoted by its first characters, not echoed in full
    result = call(xl, "NPS", column(9.0, "x" * 100_000))
    assert result.startswith("#NPS! '" + "x" * 59 + "…' in row 2 of scores") and len(result) < 300
    # a 5,000-digit answer is an invalid answer, not a stop for the whole range
    assert call(xl, "NPS", column(9.0, "9" * 5000, 3.0), "skip") == 0.0
    assert "' in row 2 of scores is not a score" in call(xl, "NPS", column(9.0, "9" * 5000))


def test_an_internal_error_is_told_in_plain_words(xl, monkeypatch):
    def like_scipy(*args, **kwargs):
        raise ValueError("f(a) and f(b) must have different signs")

    monkeypatch.setattr(xl.module.stats, "interval", like_scipy)
    result = call(xl, "NPS_CI", survey(70, 15, 15))
    assert result.startswith("#NPS! NPS_CI could not compute a result from these arguments.")
    assert "f(a)" not in result and "Error" not in result
    # raised by Python itself inside our code (int(5.0, "margin"): TypeError), or any other class
    monkeypatch.setattr(xl.module.cv, "number", int)
    assert call(xl, "NPS_SAMPLE_SIZE", 5.0).startswith("#NPS! NPS_SAMPLE_SIZE could not compute")
    monkeypatch.setattr(xl.module.stats, "nps", lambda c: 1 / 0)
    result = call(xl, "NPS", survey(1, 0, 0))
    assert result.startswith("#NPS! NPS could not compute") and "division" not in result


def test_results_are_finite_and_fit_a_cell(xl, monkeypatch):
    long = "#NPS! " + "y" * 40_000
    passed = call(xl, "NPS_LABEL", long)
    assert len(passed) == 32_767 and passed == long[:32_766] + "…"
    table = call(xl, "NPS_BY", column(9.0, 3.0), column("g" * 40_000, "h"), MISSING, 1.0)
    assert sorted(len(row[0]) for row in table[1:]) == [1, 32_767]
    monkeypatch.setattr(xl.module.stats, "nps", lambda c: math.inf)
    assert call(xl, "NPS", survey(1, 0, 0)).startswith("#NPS! NPS has no finite result")


def test_answers_of_a_shorter_scale_ask_for_the_scale_argument(xl):
    """docs/reading.md, "Scale": 10+ answers all within 1–5 or 1–7 are not read as 0–10
    unless the scale argument says so."""
    five = call(xl, "NPS", column(*FIVE))
    assert is_error(five) and "All 10 answers lie within 1–5" in five
    assert "scale argument" in five and '"1-5"' in five
    seven = column(*[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0] * 2)
    message = call(xl, "NPS_COUNTS", seven, MISSING, MISSING, "bg")
    assert message.startswith("#NPS! Всички отговори (14) са в интервала 1–7")
    assert "аргумента scale" in message
    assert is_error(call(xl, "NPS_BY", seven, column(*["x"] * 14)))
    # stated 0–10 overrides: 14 answers, 7 is a passive (2), the other 12 are detractors
    assert call(xl, "NPS", seven, MISSING, "0-10") == pytest.approx(100 * (0 - 12) / 14)
    assert call(xl, "NPS", column(7.0, 8.0)) == 0.0  # two answers: too few to doubt


# --------------------------------------------------------------------------- population (D2)

#: The answers of the R reference (scripts/make_udf_reference.R) as a COM column.
REFERENCE_SCORES = {
    "GUIDE": survey(70, 15, 15),
    "SURVEY": column(*ref.SURVEY_SCORES),
    "OTHER": survey(50, 25, 25),
}


@pytest.mark.parametrize("case", ref.INTERVALS, ids=lambda c: f"{c[0]}-{c[1]:g}-{c[3]}")
def test_population_gives_r_survey_fpc_interval(xl, case):
    """NPS_CI, NPS_MOE and NPS_FROM_COUNTS_CI with a population: the interval R computes from
    svymean's variance with fpc = N (f = 1 − n/N, Cochran 1977 §2.5; decision D2)."""
    name, population, confidence, method, (_, low, nps, high, margin) = case
    scores = REFERENCE_SCORES[name]
    args = (confidence, method, MISSING, MISSING, population)
    got = call(xl, "NPS_CI", scores, *args)
    assert got == [pytest.approx(low), pytest.approx(nps), pytest.approx(high)]
    assert call(xl, "NPS_MOE", scores, *args) == pytest.approx(margin, abs=1e-9)
    if name == "GUIDE":  # the same answers given as counts
        counts = call(xl, "NPS_FROM_COUNTS_CI", 70.0, 15.0, 15.0, confidence, method, population)
        assert counts == [pytest.approx(low), pytest.approx(nps), pytest.approx(high)]


@pytest.mark.parametrize("case", ref.TESTS, ids=lambda c: f"{c[0]}-{c[1]}-{c[2]}")
def test_population_of_each_group_gives_r_survey_fpc_test(xl, case):
    population_a, population_b, method, (difference, low, high, p) = case
    rows = call(
        xl,
        "NPS_TEST",
        REFERENCE_SCORES["GUIDE"],
        REFERENCE_SCORES["OTHER"],
        MISSING,
        method,
        MISSING,
        MISSING,
        MISSING,
        MISSING if population_a is None else population_a,
        MISSING if population_b is None else population_b,
    )
    values = [row[1] for row in rows[1:]]
    assert values[2:6] == [
        pytest.approx(difference),
        pytest.approx(low),
        pytest.approx(high),
        pytest.approx(p, abs=1e-15),
    ]
    assert values[6] is (p < 0.05)


def test_a_formula_without_population_keeps_its_value(xl):
    """Existing formulas: omitted or blank population is no correction, the interval by hand."""
    low, mid, high = adjusted_wald(70, 15, 15)
    by_hand = [pytest.approx(low), pytest.approx(mid), pytest.approx(high)]
    scores = survey(70, 15, 15)
    assert call(xl, "NPS_CI", scores) == by_hand
    assert call(xl, "NPS_CI", scores, MISSING, MISSING, MISSING, MISSING, None) == by_hand
    assert call(xl, "NPS_MOE", scores, MISSING, MISSING, MISSING, MISSING, None) == (
        pytest.approx((high - low) / 2)
    )
    assert call(xl, "NPS_FROM_COUNTS_CI", 70.0, 15.0, 15.0, MISSING, MISSING, None) == by_hand
    assert call(xl, "NPS_SAMPLE_SIZE", 5.0, MISSING, MISSING, None) == 1534


def test_sample_size_from_a_population_is_cochrans(xl):
    """Cochran (1977), Sampling Techniques, §4.4: n0 = 400 from N = 1000 needs
    n = n0 / (1 + (n0 − 1)/N) = 285.9 → 286 answers."""
    margin = 100 * 1.959963984540054 / math.sqrt(403)  # adjusted Wald: z²/(m/100)² − 3 = 400
    assert call(xl, "NPS_SAMPLE_SIZE", margin) == 400
    assert call(xl, "NPS_SAMPLE_SIZE", margin, MISSING, MISSING, 1000.0) == 286
    # ±5 at 95%: n0 = 1534 (above); from 300 accounts ceil(1534 / (1 + 1533/300)) = 252
    assert call(xl, "NPS_SAMPLE_SIZE", 5.0, MISSING, MISSING, 300.0) == math.ceil(
        1534 / (1 + 1533 / 300)
    )
    assert call(xl, "NPS_SAMPLE_SIZE", 5.0, MISSING, MISSING, 1.0) == 1


@pytest.mark.parametrize(
    "bad", ["many", "  ", True, 99.0, 0.0, -5.0, math.inf, dt.datetime(2025, 5, 1)]
)
def test_a_population_below_the_answers_or_not_a_number_is_a_message(xl, bad):
    result = call(xl, "NPS_CI", survey(70, 15, 15), MISSING, MISSING, MISSING, MISSING, bad)
    assert result.startswith("#NPS! population must be the number of people")
    assert "at least the number of answers (100)" in result and "Leave population blank" in result
    planned = call(xl, "NPS_SAMPLE_SIZE", 5.0, MISSING, MISSING, bad)
    if bad in (99.0,):
        assert planned == math.ceil(1534 / (1 + 1533 / 99))
    else:
        assert planned.startswith("#NPS! population must be the number of people you can survey")


def test_a_population_message_is_in_the_language_of_lang(xl):
    scores = survey(70, 15, 15)
    lt = call(xl, "NPS_TEST", scores, scores, MISSING, MISSING, "lt", MISSING, MISSING, 100.0, 99.0)
    assert lt.startswith("#NPS! population_b turi būti") and "(100)" in lt and "99" in lt
    bg = call(xl, "NPS_TEST", scores, scores, MISSING, MISSING, "bg", MISSING, MISSING, "x")
    assert bg.startswith("#NPS! population_a трябва да е")


@needs_r
def test_udf_reference_is_what_r_computes_today(tmp_path):
    again = regenerated("make_udf_reference.R", tmp_path)
    for name in constants(ref):
        kept = getattr(ref, name)
        if all(isinstance(v, str) for v in kept):
            assert again[name] == kept, name
        else:
            assert again[name] == pytest.approx(kept, nan_ok=True, rel=1e-12), name


# --------------------------------------------------------------------------- adjust


ADJUSTED = {"holm": (ref.BY_HOLM, ref.TREND_HOLM), "bh": (ref.BY_BH, ref.TREND_BH)}
ADJUSTED["none"] = (ref.BY_P, ref.TREND_P)
#: The months of the R reference's trend answers (1 = January 2025), mid-month.
TREND_DATES = column(*(dt.datetime(2025, int(m), 15) for m in ref.TREND_MONTHS))


def check_adjusted(rows, raw, adjusted, significant_at=0.05):
    """The spilled test columns against R: p-value, adjusted p-value (p.adjust), the flag
    from the adjusted one (Significant) and from the raw one."""
    for row, p, p_adj in zip(rows, raw, adjusted, strict=True):
        if math.isnan(p):  # the first period: nothing to compare with
            assert row[-3:] == ["", "", ""] and row[6] == ""
            continue
        assert row[-3] == pytest.approx(p, rel=1e-9)
        assert row[-2] == pytest.approx(p_adj, rel=1e-9)
        assert row[6 if len(row) == 11 else 9] is (p_adj < significant_at)
        assert row[-1] is (p < significant_at)


@pytest.mark.parametrize("adjust", [MISSING, "holm", "BH", "none", "fdr"])
def test_nps_by_adjusts_as_r_p_adjust(xl, adjust):
    """NPS_BY: each group tested against the rest (adjusted Wald), the family adjusted as R's
    p.adjust does; omitted means Holm, as before the argument existed."""
    word = {MISSING: "holm", "BH": "bh", "fdr": "bh"}.get(adjust, adjust)
    args = (MISSING, 1.0, MISSING, MISSING, MISSING, adjust)
    result = call(xl, "NPS_BY", column(*ref.BY_SCORES), column(*ref.BY_GROUPS), *args)
    assert result[0][-3:] == ["p-value", "Adjusted p-value", "Significant (unadjusted)"]
    assert [row[0] for row in result[1:]] == ref.BY_LABELS
    check_adjusted(result[1:], ref.BY_P, ADJUSTED[word][0])


@pytest.mark.parametrize("adjust", [MISSING, "holm", "bh", "none"])
def test_nps_trend_adjusts_as_r_p_adjust(xl, adjust):
    word = "holm" if adjust == MISSING else adjust
    args = (MISSING, MISSING, MISSING, MISSING, MISSING, adjust)
    result = call(xl, "NPS_TREND", column(*ref.TREND_SCORES), TREND_DATES, *args)
    assert [row[0] for row in result[1:]] == [f"2025-{m:02d}" for m in range(1, 7)]
    check_adjusted(result[1:], ref.TREND_P, ADJUSTED[word][1])


def test_the_adjust_choices_differ_on_the_reference_groups(xl):
    """The reference is chosen so the choice shows: raw flags two groups, Holm one, BH two."""
    flags = {}
    for adjust in ("holm", "bh", "none"):
        args = (MISSING, 1.0, MISSING, MISSING, MISSING, adjust)
        rows = call(xl, "NPS_BY", column(*ref.BY_SCORES), column(*ref.BY_GROUPS), *args)[1:]
        flags[adjust] = [row[0] for row in rows if row[9]]
    assert flags == {"holm": ["West"], "bh": ["Baltics", "West"], "none": ["Baltics", "West"]}


def test_an_unknown_adjust_lists_the_three_choices(xl):
    scores, groups = column(10.0, 3.0), column("a", "b")
    result = call(xl, "NPS_BY", scores, groups, MISSING, MISSING, MISSING, MISSING, MISSING, "x")
    assert result == (
        '#NPS! adjust must be "holm" (Holm\'s correction, the default), "bh" '
        "(Benjamini–Hochberg) or \"none\" (no correction); got 'x'."
    )
    dates = column(dt.datetime(2025, 1, 1), dt.datetime(2025, 2, 1))
    bg = call(xl, "NPS_TREND", scores, dates, MISSING, MISSING, "bg", MISSING, MISSING, 5.0)
    assert bg.startswith('#NPS! adjust трябва да е "holm"') and "получено: '5'" in bg


# --------------------------------------------------------------------------- key drivers

SURVEY_CSV = Path(__file__).with_name("fixtures") / "drivers_survey.csv"


def small_drivers():
    """The R reference's small case (tests/drivers_reference.py) as COM ranges: the scores,
    and the drivers block with the question names in its first row."""
    data = drivers_ref.SMALL_DATA
    names = drivers_ref.SMALL["drivers"]
    scores = column(*(float(v) for v in data["Score"]))
    block = (
        tuple(names),
        *tuple(
            tuple(None if data[d][i] is None else float(data[d][i]) for d in names)
            for i in range(len(data["Score"]))
        ),
    )
    return scores, block


def pearson(data: dict, driver: str) -> float:
    """The correlation of a driver with the score over the complete answers (stdlib)."""
    keep = [i for i in range(len(data["Score"])) if all(data[d][i] is not None for d in data)]
    return statistics.correlation(
        [float(data["Score"][i]) for i in keep], [float(data[driver][i]) for i in keep]
    )


def check_drivers_table(table, case, method, correlations, lang_headers=None):
    assert table[0] == (
        lang_headers or ["Rank", "Driver", "Share of R² (%)", "Importance", "Correlation"]
    )
    expected = dict(zip(case["drivers"], case[method.replace("-", "_")], strict=True))
    ranked = sorted(expected, key=expected.get, reverse=True)
    assert [row[1] for row in table[1:]] == ranked
    assert [row[0] for row in table[1:]] == list(range(1, len(ranked) + 1))
    for _rank, name, share, importance, correlation in table[1:]:
        assert importance == pytest.approx(expected[name], abs=1e-10)
        assert share == pytest.approx(100 * expected[name] / case["r_squared"], abs=1e-8)
        assert correlation == pytest.approx(correlations[name], abs=1e-12)


@pytest.mark.parametrize("method", [MISSING, "lmg", "relative-weights", "LMG"])
def test_nps_drivers_is_r_lmg_and_relative_weights(xl, method):
    """LMG by lm() on every subset and Johnson's weights by eigen() in R (drivers_reference);
    correlations by statistics.correlation on the complete answers."""
    scores, block = small_drivers()
    word = "lmg" if method in (MISSING, "LMG") else method
    data = drivers_ref.SMALL_DATA
    correlations = {d: pearson(data, d) for d in drivers_ref.SMALL["drivers"]}
    table = call(xl, "NPS_DRIVERS", scores, block, method)
    check_drivers_table(table, drivers_ref.SMALL, word, correlations)


def test_nps_drivers_of_the_sample_survey_is_r(xl):
    """2,000 exported answers as text: labelled scores, 32 blank, unanswered ratings."""
    with SURVEY_CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    names = drivers_ref.SURVEY["drivers"]
    scores = column(*(r["Score"] or None for r in rows))
    block = (tuple(names), *tuple(tuple(r[d] or None for d in names) for r in rows))
    table = call(xl, "NPS_DRIVERS", scores, block)
    expected = dict(zip(names, drivers_ref.SURVEY["lmg"], strict=True))
    assert {row[1]: row[3] for row in table[1:]} == pytest.approx(expected, abs=1e-10)
    assert sum(row[2] for row in table[1:]) == pytest.approx(100)


def test_nps_drivers_headers_follow_lang(xl):
    scores, block = small_drivers()
    table = call(xl, "NPS_DRIVERS", scores, block, MISSING, "lt")
    assert table[0] == ["Vieta", "Veiksnys", "R² dalis (%)", "Svarba", "Koreliacija"]


def test_nps_drivers_messages_name_the_cell_or_both_sizes(xl):
    scores, block = small_drivers()
    assert call(xl, "NPS_DRIVERS", scores, block[:-1]) == (
        "#NPS! drivers has 11 rows of ratings below its names but scores has 12 cells; give "
        "one row of drivers per answer, under a first row naming the questions."
    )
    bad = (*block[:3], (9.0, "x", 6.0), *block[4:])
    assert call(xl, "NPS_DRIVERS", scores, bad) == (
        "#NPS! 'x' in row 4, column 2 of drivers is not a rating: give a whole number from 0 to "
        "10, or leave the cell blank."
    )
    for cell in (11.0, 7.5, True, DIV0, dt.datetime(2025, 5, 1)):
        bad = (*block[:2], (cell, 4.0, 6.0), *block[3:])
        assert "in row 3, column 1 of drivers is not a rating" in call(
            xl, "NPS_DRIVERS", scores, bad
        )
    blank_name = (("Product", None, "Price"), *block[1:])
    assert "The question name in row 1, column 2 of drivers is blank" in call(
        xl, "NPS_DRIVERS", scores, blank_name
    )
    twice = (("Product", "Price", "Price"), *block[1:])
    assert "'Price' in row 1, column 3 of drivers is there twice" in call(
        xl, "NPS_DRIVERS", scores, twice
    )
    assert "method must be one of 'lmg', 'relative-weights'" in call(
        xl, "NPS_DRIVERS", scores, block, "shapley values"
    )
    # #N/A in a driver is an unanswered rating, as in the scores: that answer is left out
    na = (*block[:2], (NA, 4.0, 6.0), *block[3:])
    assert not is_error(call(xl, "NPS_DRIVERS", scores, na))


def test_nps_drivers_messages_are_in_the_language_of_lang(xl):
    scores, block = small_drivers()
    lt = call(xl, "NPS_DRIVERS", scores, block[:-1], MISSING, "lt")
    assert lt.startswith("#NPS! drivers po pavadinimais turi įvertinimų eilučių: 11")
    bad = (*block[:3], (9.0, "x", 6.0), *block[4:])
    zh = call(xl, "NPS_DRIVERS", scores, bad, MISSING, "zh-Hans")
    assert zh.startswith("#NPS! drivers 的第 4 行第 2 列中的 'x' 不是评分")
    assert "0 到 10 之间的整数" in zh
