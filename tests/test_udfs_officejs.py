"""The Excel functions through Office.js (Excel on the web, Mac and Windows via xlwings Server
or xlwings Lite): ``xlwings.server.custom_functions_call`` with the JSON Excel sends.

All calls run in one separate process (``officejs_runner``), where ``XLWINGS_ON_SERVER=true``
and ``XLWINGS_LICENSE_KEY=noncommercial`` (xlwings PRO code under PolyForm Noncommercial)
select the Office.js decorators. Office.js sends every argument as a 2-D array (a 1×1 array is
turned into a scalar by xlwings), blanks as ``""``, numbers as ints or floats and error values
as objects; an omitted argument is ``null``.
"""

from __future__ import annotations

import math

import drivers_reference as drivers_ref
import pytest
import udf_reference as ref
from officejs_runner import error, run
from test_udfs_classic import (
    ADJUSTED,
    FIVE,
    FIVE_B,
    FUNCTIONS,
    Z90,
    adjusted_wald,
    check_adjusted,
    check_drivers_table,
    pearson,
    wald_margin,
)


def col(*values):
    return [[v] for v in values]


def survey(promoters, passives, detractors, number=int):
    return col(*([number(10)] * promoters + [number(7)] * passives + [number(3)] * detractors))


CALLS = {
    "guide000": ["NPS", [survey(70, 15, 15), None, None]],
    "guide003_floats": ["NPS", [survey(70, 20, 10, float), None, None]],
    "row_range": ["NPS", [[[9, 10, "", 3, "10 - Extremely likely"]], None, None]],
    "blank_text": ["NPS", [col(9, "", " 7 ", "", 0), None, None]],
    "value_error": ["NPS", [col(9, 10, "", error("#VALUE!")), None, None]],
    "na_is_blank": ["NPS", [col(9, 10, "", error("#N/A"), 3), None, None]],
    "div0_skip": ["NPS", [col(9, error("#DIV/0!"), 3), [["skip"]], None]],
    "boolean": ["NPS", [[[9, True], [10, 3]], None, None]],
    "text": ["NPS", [col(9, "N/A"), None, None]],
    "all_blank": ["NPS", [col("", ""), None, None]],
    "error_option": ["NPS", [col(9), [[error("#N/A")]], None]],
    "single_cell": ["NPS", [[[10]], None, None]],
    "scale_1_5": ["NPS", [col(5, 4, 1, 5), None, [["1-5"]]]],
    "counts": ["NPS_COUNTS", [survey(70, 15, 15) + col("", error("#N/A")), [["skip"]], None, None]],
    "counts_bg": ["NPS_COUNTS", [col(9), None, None, [["bg"]]]],
    "category": ["NPS_CATEGORY", [[[9, "", "x"], [0, 7, 10]], None, None]],
    "label": ["NPS_LABEL", [[[55]], None, None]],
    "label_text": ["NPS_LABEL", [[["abc"]], None, None]],
    "benchmark": ["NPS_BENCHMARK", [[[55]], None, None]],
    "ci": ["NPS_CI", [survey(70, 15, 15), None, None]],
    "moe_wald_90": ["NPS_MOE", [survey(70, 15, 15), [[0.9]], [["wald"]]]],
    "test": ["NPS_TEST", [survey(70, 20, 10), survey(70, 15, 15), None, [["wald"]], None]],
    "sample_size": ["NPS_SAMPLE_SIZE", [[[5]], None, None]],
    "trend": [
        "NPS_TREND",
        [col(10, 3, "", 9, 9, 7), col(45662, 45677, "", 45689, 45700, 45716), None, None, None],
    ],
    "by": [
        "NPS_BY",
        [
            col(10, 3, 9, 9, 7, ""),
            col("North", "North", "South", "South", "South", ""),
            None,
            [[1]],
            None,
        ],
    ],
    "from_counts": ["NPS_FROM_COUNTS", [[[70]], [[15]], [[15]]]],
    "from_counts_ci": ["NPS_FROM_COUNTS_CI", [[[70]], [[20]], [[10]], None, None]],
    "weighted": ["NPS_WEIGHTED", [col(10, 9, 7, 3, ""), col(3, 1, 2, 2.0, ""), None]],
    "csat": ["CSAT", [col(5, 4, 3, 2, 5, ""), None, None, None]],
    "ces": ["CES", [col(7, 6, 5, 2), None, None]],
    "crr": ["CRR", [[[200]], [[210]], [[30]]]],
    # the scale argument of every function that reads scores (see test_udfs_classic)
    "five_as_0_10": ["NPS_CI", [col(*map(int, FIVE)), None, None, None, [["0-10"]]]],
    # the scale unstated: answers of a shorter scale ask for it (docs/reading.md)
    "five_unstated": ["NPS", [col(*map(int, FIVE)), None, None]],
    "seven_unstated": ["NPS_COUNTS", [col(*[1, 2, 3, 4, 5, 6, 7] * 2), None, None, [["lt"]]]],
    "seven_ci_unstated": ["NPS_CI", [col(*[1, 2, 3, 4, 5, 6, 7] * 2), None, None, None, None]],
    "seven_stated": ["NPS", [col(*[1, 2, 3, 4, 5, 6, 7] * 2), None, [["1,5,6,7"]]]],
    "two_unstated": ["NPS", [col(7, 8), None, None]],
    "five_ci": ["NPS_CI", [col(*map(int, FIVE)), None, None, None, [["1-5"]]]],
    "five_moe": ["NPS_MOE", [col(*map(int, FIVE)), [[0.9]], [["wald"]], None, [["1-5"]]]],
    "five_test": [
        "NPS_TEST",
        [col(*map(int, FIVE)), col(*map(int, FIVE_B)), None, [["wald"]], None, None, [["1-5"]]],
    ],
    "five_trend": [  # serials 45667 and 45698: 2025-01-10 and 2025-02-10
        "NPS_TREND",
        [col(*map(int, FIVE)), col(*[45667] * 5, *[45698] * 5), None, None, None, None, [["1-5"]]],
    ],
    "five_by": [
        "NPS_BY",
        [col(*map(int, FIVE)), col(*["x"] * 5, *["y"] * 5), None, [[1]], None, None, [["1-5"]]],
    ],
    "five_weighted": [
        "NPS_WEIGHTED",
        [col(*map(int, FIVE)), col(*(2 if s == 5 else 1 for s in FIVE)), None, [["1-5"]]],
    ],
    "breaks_ci": ["NPS_CI", [col(10, 9, 7, 1, 6, 0), None, None, [["skip"]], [["1,6,8,10"]]]],
    # the finds of the fuzzing campaign
    "tiny_margin": ["NPS_SAMPLE_SIZE", [[[1e-200]], None, None]],
    "tiny_confidence": ["NPS_CI", [survey(2, 3, 5), [[1e-9]], [["score"]], None, None]],
    "huge_counts": ["NPS_FROM_COUNTS", [[[1]], [[1e308]], [[1e308]]]],
    "huge_promoters": ["NPS_FROM_COUNTS", [[[1e308]], [[0]], [[0]]]],
    "huge_crr": ["CRR", [[[1e308]], [[1e308]], [[0]]]],
    "huge_weight": ["NPS_WEIGHTED", [col(10, 3, 7), col(1e308, 1, 1e308), None, None]],
    "long_cell": ["NPS", [col(9, "x" * 100_000), None, None]],
    "digits_skip": ["NPS", [col(9, "9" * 5000, 3), [["skip"]], None]],
    # population (decision D2), against R survey's svymean with fpc (tests/udf_reference.py)
    **{
        f"population_ci_{i}": [
            "NPS_CI",
            [
                survey(70, 15, 15) if name == "GUIDE" else col(*map(int, ref.SURVEY_SCORES)),
                [[confidence]],
                [[method]],
                None,
                None,
                [[int(population)]],
            ],
        ]
        for i, (name, population, confidence, method, _) in enumerate(ref.INTERVALS)
    },
    **{
        f"population_test_{i}": [
            "NPS_TEST",
            [
                survey(70, 15, 15),
                survey(50, 25, 25),
                None,
                [[method]],
                None,
                None,
                None,
                None if a is None else [[a]],
                None if b is None else [[b]],
            ],
        ]
        for i, (a, b, method, _) in enumerate(ref.TESTS)
    },
    "population_omitted": ["NPS_CI", [survey(70, 15, 15), None, None, None, None, None]],
    "population_blank": ["NPS_CI", [survey(70, 15, 15), None, None, None, None, [[""]]]],
    "population_below_n": ["NPS_MOE", [survey(70, 15, 15), None, None, None, None, [[99]]]],
    "population_text_zh": [
        "NPS_TEST",
        [survey(7, 1, 1), survey(7, 1, 1), None, None, [["zh-Hant"]], None, None, [["全部"]]],
    ],
    "cochran": ["NPS_SAMPLE_SIZE", [[[100 * 1.959963984540054 / 403**0.5]], None, None, [[1000]]]],
    "cochran_bad": ["NPS_SAMPLE_SIZE", [[[5]], None, None, [[0]]]],
    "counts_population": ["NPS_FROM_COUNTS_CI", [[[70]], [[15]], [[15]], None, None, [[1000]]]],
    # adjust, against R's p.adjust (tests/udf_reference.py)
    **{
        f"by_{adjust}": [
            "NPS_BY",
            [
                col(*map(int, ref.BY_SCORES)),
                col(*ref.BY_GROUPS),
                None,
                [[1]],
                None,
                None,
                None,
                None if adjust == "omitted" else [[adjust]],
            ],
        ]
        for adjust in ("omitted", "holm", "bh", "none")
    },
    **{  # serial 45672 is 2025-01-15, then the 15th of each month
        f"trend_{adjust}": [
            "NPS_TREND",
            [
                col(*map(int, ref.TREND_SCORES)),
                col(
                    *(
                        [45672, 45703, 45731, 45762, 45792, 45823][int(m) - 1]
                        for m in ref.TREND_MONTHS
                    )
                ),
                None,
                None,
                None,
                None,
                None,
                None if adjust == "omitted" else [[adjust]],
            ],
        ]
        for adjust in ("omitted", "holm", "bh", "none")
    },
    # key drivers, against R (tests/drivers_reference.py): blanks are "" in Office.js
    **{
        f"drivers_{method}": [
            "NPS_DRIVERS",
            [
                col(*drivers_ref.SMALL_DATA["Score"]),
                [drivers_ref.SMALL["drivers"]]
                + [
                    [
                        "" if drivers_ref.SMALL_DATA[d][i] is None else drivers_ref.SMALL_DATA[d][i]
                        for d in drivers_ref.SMALL["drivers"]
                    ]
                    for i in range(len(drivers_ref.SMALL_DATA["Score"]))
                ],
                None if method == "omitted" else [[method]],
                [["bg"]] if method == "relative-weights" else None,
                None,
                None,
            ],
        ]
        for method in ("omitted", "relative-weights")
    },
    "drivers_sizes": [
        "NPS_DRIVERS",
        [col(9, 3, 7), [["Product"], [9], [3]], None, None, None, None],
    ],
    "adjust_unknown": [
        "NPS_BY",
        [col(10, 3), col("a", "b"), None, None, [["zh-Hans"]], None, None, [["bonferroni"]]],
    ],
}


@pytest.fixture(scope="module")
def officejs():
    names = list(CALLS)
    answer = run([CALLS[name] for name in names], meta=True)
    results = dict(zip(names, answer["results"], strict=True))
    return results, answer["meta"]


@pytest.fixture(scope="module")
def result(officejs):
    results, _ = officejs

    def get(name):
        got = results[name]
        # Python must never raise to Office.js, nor return what strict JSON cannot carry
        assert set(got) == {"value"}, got
        return got["value"]

    return get


def scalar(value):
    assert isinstance(value, list) and len(value) == 1 and len(value[0]) == 1, value
    return value[0][0]


def test_meta_lists_every_function_with_descriptions(officejs):
    _, meta = officejs
    functions = {f["id"]: f for f in meta["functions"]}
    assert set(functions) == set(FUNCTIONS)
    for name, arguments in FUNCTIONS.items():
        f = functions[name]
        assert f["name"] == name and len(f["description"]) > 20
        assert [p["name"] for p in f["parameters"]] == arguments
        for p in f["parameters"]:
            assert p["description"] and not p["description"].startswith("Positional")
        assert "optional" not in f["parameters"][0]


def test_nps(result):
    assert scalar(result("guide000")) == pytest.approx(55.0)
    assert scalar(result("guide003_floats")) == pytest.approx(60.0)
    assert scalar(result("row_range")) == pytest.approx(100 * (3 - 1) / 4)
    assert scalar(result("blank_text")) == pytest.approx(0.0)
    # #N/A ("not available") is no answer: 9, 10, 3 → 100 × (2 − 1) / 3
    assert scalar(result("na_is_blank")) == pytest.approx(100 / 3)
    assert scalar(result("single_cell")) == 100.0
    assert scalar(result("scale_1_5")) == pytest.approx(25.0)
    assert scalar(result("div0_skip")) == pytest.approx(0.0)


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("value_error", "'#VALUE!' in row 4 of scores is not a score on the 0–10 scale"),
        ("boolean", "TRUE in row 1, column 2 of scores is not a score"),
        ("text", "'N/A' in row 2 of scores is not a score"),
        ("all_blank", "scores has no valid answer (2 blank)"),
        ("error_option", "invalid is the error value #N/A"),
        ("label_text", "nps_value must be a number"),
    ],
)
def test_bad_input_is_a_message(result, name, message):
    value = scalar(result(name))
    assert value.startswith("#NPS! ") and message in value and "Traceback" not in value


def test_tables(result):
    assert result("counts") == [
        ["Category", "Count", "Share"],
        ["Promoters", 70, 0.7],
        ["Passives", 15, 0.15],
        ["Detractors", 15, 0.15],
        ["Total valid", 100, 1.0],
        ["Blank or skipped", 2, ""],
    ]
    assert result("counts_bg")[1][0] == "Защитници"
    assert result("category") == [["Promoter", "", "Invalid"], ["Detractor", "Passive", "Promoter"]]
    assert scalar(result("label")) == "Excellent"
    assert result("benchmark")[0] == ["Statistic", "Value", "Your gap", "Verdict"]


def test_intervals_and_tests(result):
    low, mid, high = adjusted_wald(70, 15, 15)
    assert result("ci") == [[pytest.approx(low), pytest.approx(mid), pytest.approx(high)]]
    wald = 1.6448536269514722 * math.sqrt((0.85 - 0.55**2) / 100) * 100
    assert scalar(result("moe_wald_90")) == pytest.approx(wald)
    rows = result("test")
    se = math.sqrt((0.8 - 0.36) / 100 + (0.85 - 0.3025) / 100)
    assert rows[3] == ["Difference", pytest.approx(5.0)]
    assert rows[6] == ["p-value", pytest.approx(math.erfc(0.05 / se / math.sqrt(2)))]
    assert rows[7] == ["Significant", False]
    assert scalar(result("sample_size")) == 1534
    low, mid, high = adjusted_wald(70, 20, 10)
    assert result("from_counts_ci") == [
        [pytest.approx(low), pytest.approx(mid), pytest.approx(high)]
    ]
    assert scalar(result("from_counts")) == pytest.approx(55.0)


def test_trend_and_groups(result):
    trend = result("trend")  # serials 45662 … 45716: 2025-01-05 … 2025-02-28
    assert trend[0] == [
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
    assert [row[1] for row in trend[1:]] == [2, 3]
    assert [row[7] for row in trend[1:]] == [True, True]  # 2 and 3 answers, below 30
    assert trend[2][2] == pytest.approx(100 * 2 / 3)
    groups = {row[0]: row for row in result("by")[1:]}
    assert groups["North"][5] == pytest.approx(0.0)
    assert groups["South"][5] == pytest.approx(100 * 2 / 3)


def test_weights_and_companions(result):
    assert scalar(result("weighted")) == pytest.approx(25.0)
    assert scalar(result("csat")) == pytest.approx(60.0)
    assert scalar(result("ces")) == pytest.approx(5.0)
    assert scalar(result("crr")) == pytest.approx(90.0)


def test_scale_reaches_every_function(result):
    assert result("five_as_0_10")[0][1] == -100.0  # stated 0–10: 1–5 are detractors
    low, mid, high = adjusted_wald(5, 2, 3)
    assert result("five_ci") == [[pytest.approx(low), pytest.approx(mid), pytest.approx(high)]]
    assert scalar(result("five_moe")) == pytest.approx(wald_margin(5, 2, 3, Z90))
    rows = result("five_test")
    assert [row[1] for row in rows[1:4]] == [pytest.approx(20.0), 0.0, pytest.approx(20.0)]
    trend = result("five_trend")
    assert [(row[1], row[2]) for row in trend[1:]] == [(5, pytest.approx(60.0)), (5, -20.0)]
    assert {row[0]: row[5] for row in result("five_by")[1:]} == {
        "x": pytest.approx(60.0),
        "y": -20.0,
    }
    assert scalar(result("five_weighted")) == pytest.approx(700 / 15)
    low, mid, high = adjusted_wald(2, 1, 2)
    assert result("breaks_ci") == [[pytest.approx(low), pytest.approx(mid), pytest.approx(high)]]


def test_the_fuzzing_finds_are_fixed(result):
    assert "at least 6.2e-06 points" in scalar(result("tiny_margin"))
    assert "confidence must be between 0.5" in scalar(result("tiny_confidence"))
    assert scalar(result("huge_counts")) == pytest.approx(-50.0)  # was #NUM!
    assert scalar(result("huge_promoters")) == 100.0  # was inf: no JSON for it
    assert scalar(result("huge_crr")) == 100.0
    assert scalar(result("huge_weight")) == pytest.approx(50.0)  # 100 × (1e308 − 1) / (2e308 + 1)
    long_cell = scalar(result("long_cell"))
    assert long_cell.startswith("#NPS! '" + "x" * 59 + "…' in row 2") and len(long_cell) < 300
    assert scalar(result("digits_skip")) == 0.0


def test_answers_of_a_shorter_scale_ask_for_the_scale_argument(result):
    five = scalar(result("five_unstated"))
    assert five.startswith("#NPS! All 10 answers lie within 1–5") and "scale argument" in five
    assert '"1-5"' in five
    seven = scalar(result("seven_unstated"))  # in Lithuanian: lang="lt"
    assert seven.startswith("#NPS! Visi atsakymai (14) yra intervale 1–7")
    assert "argumentą scale" in seven
    assert scalar(result("seven_ci_unstated")).startswith("#NPS! All 14 answers lie within 1–7")
    # 1,5,6,7: 7 promoter (2), 6 passive (2), 1–5 detractors (10) of 14
    assert scalar(result("seven_stated")) == pytest.approx(100 * (2 - 10) / 14)
    assert scalar(result("two_unstated")) == 0.0  # [7, 8]: too few to doubt, two passives


def test_population_is_r_survey_fpc(result):
    for i, (_, _, _, _, (_, low, nps, high, _)) in enumerate(ref.INTERVALS):
        got = result(f"population_ci_{i}")
        assert got == [[pytest.approx(low), pytest.approx(nps), pytest.approx(high)]]
    for i, (_, _, _, (difference, low, high, p)) in enumerate(ref.TESTS):
        values = [row[1] for row in result(f"population_test_{i}")[1:]]
        assert values[2:6] == [
            pytest.approx(difference),
            pytest.approx(low),
            pytest.approx(high),
            pytest.approx(p, abs=1e-15),
        ]
    low, _, high = ref.INTERVALS[0][4][1:4]
    assert result("counts_population")[0][0] == pytest.approx(low)
    assert result("counts_population")[0][2] == pytest.approx(high)
    low, mid, high = adjusted_wald(70, 15, 15)
    unchanged = [[pytest.approx(low), pytest.approx(mid), pytest.approx(high)]]
    assert result("population_omitted") == unchanged
    assert result("population_blank") == unchanged
    assert scalar(result("population_below_n")).startswith(
        "#NPS! population must be the number of people the answers were drawn from, at least "
        "the number of answers (100); got 99."
    )
    assert scalar(result("population_text_zh")).startswith("#NPS! population_a 必須是")
    assert scalar(result("cochran")) == 286  # Cochran (1977) §4.4: n0 = 400, N = 1000
    assert scalar(result("cochran_bad")).startswith("#NPS! population must be the number of")


def test_adjust_is_r_p_adjust(result):
    for adjust in ("omitted", "holm", "bh", "none"):
        by, trend = ADJUSTED["holm" if adjust == "omitted" else adjust]
        rows = result(f"by_{adjust}")
        assert [row[0] for row in rows[1:]] == ref.BY_LABELS
        check_adjusted(rows[1:], ref.BY_P, by)
        rows = result(f"trend_{adjust}")
        assert [row[0] for row in rows[1:]] == [f"2025-{m:02d}" for m in range(1, 7)]
        check_adjusted(rows[1:], ref.TREND_P, trend)
    message = scalar(result("adjust_unknown"))
    assert message.startswith('#NPS! adjust 必须是 "holm"') and "'bonferroni'" in message


def test_nps_drivers_is_r(result):
    correlations = {d: pearson(drivers_ref.SMALL_DATA, d) for d in drivers_ref.SMALL["drivers"]}
    check_drivers_table(result("drivers_omitted"), drivers_ref.SMALL, "lmg", correlations)
    check_drivers_table(
        result("drivers_relative-weights"),
        drivers_ref.SMALL,
        "relative-weights",
        correlations,
        ["Място", "Фактор", "Дял от R² (%)", "Важност", "Корелация"],
    )
    assert scalar(result("drivers_sizes")).startswith(
        "#NPS! drivers has 2 rows of ratings below its names but scores has 3 cells"
    )
