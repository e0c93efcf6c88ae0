"""The Dashboard's score counts equal the engine's (``nps_xl.scores``) under Excel's rules.

Valid answers are written to the Responses table as numbers, invalid ones as typed (text stays
text). Excel's ``COUNTIF(Responses[Score], 7)`` would still count some invalid ones: it reads
text that looks like a number as that number. No Excel runs here, so its criteria rules are
modelled below and every Dashboard count formula actually written is evaluated with them;
LibreOffice (which does not convert such text) recalculates the same workbook as a second,
real engine.

Excel's rules for COUNTIF / COUNTIFS criteria, as modelled (with sources):

1. A numeric criterion with ``=`` or no operator (``7``, ``"7"``, ``"=7"``) matches number
   cells equal to it and *text* cells that Excel's number recognition reads as that number:
   ``"1e1"`` is 10, ``"7e0"``, ``"$7"``, ``"€7"``, ``" 7"``, ``"700%"`` are 7, ``"2025-05"``
   is the date serial of 1 May 2025. Sources: Microsoft Support, "COUNTIF function" (criteria
   ``32`` and ``"32"`` are the same criterion); Charles Williams, "The SpeedTools FILTER.IFS
   Function Design Part 3: Excel Data Types – Strange COUNTIF Behaviour", FastExcel blog,
   18 January 2013 (with ``=``, COUNTIF converts number-like text in the data to numbers);
   Gnumeric, which copies Excel here: ``src/criteria.c``, ``criteria_test_equal`` calls
   ``criteria_inspect_values(…, coerce_to_float=TRUE)``, which parses text cells with
   ``format_match``. Which texts Excel recognises is Microsoft Support, "VALUE function":
   "any of the constant number, date, or time formats recognized by Microsoft Excel".
2. A numeric criterion with ``>``, ``<``, ``>=``, ``<=`` compares numbers only: text cells —
   number-like or not — never match. Sources: Exceljet, "Text is greater than number"
   (``=COUNTIF(B5:B11,">100")`` ignores text although ``=B5>100`` is TRUE for text);
   Gnumeric ``src/criteria.c``: ``criteria_test_greater``/``_less``/``_greater_or_equal``/
   ``_less_or_equal`` pass ``coerce_to_float=FALSE``, so a text cell is the wrong type.
3. Booleans match only boolean criteria; blank cells match no numeric criterion; error cells
   match nothing (Gnumeric ``criteria_inspect_values``; Microsoft: COUNTIF ignores errors).
   COUNTIFS counts the rows where every criterion matches (Microsoft Support, "COUNTIFS").

Under these rules ``COUNTIFS(r,">=k",r,"<=k")`` counts exactly the number cells equal to k,
which are exactly the valid answers k: the engine's count.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import numpy as np
import ooxml
import pandas as pd
import pytest

from nps_xl.scores import parse_scores
from nps_xl.workbook import layout as L
from nps_xl.workbook import libreoffice as lo
from nps_xl.workbook.xlsx import write_report

#: Answers whose Excel reading differs from the engine's, with plain ones around them.
ANSWERS = [
    "1e1", "7e0", "$7", "€7", "10 ", "９", True, False, dt.datetime(2025, 5, 1),
    dt.datetime(1900, 1, 7), "0012", "2025-05", " 7", "7.0", "700%", "(7)", "0x7", "7 7",
    "9 - Extremely likely", "10 – Labai tikėtina", 7, 10, 0, 9.0, 11, 7.5, -1, None, "",
    "   ", "N/A", "#N/A", '=HYPERLINK("http://x","y")', float("inf"), "1/7/1900",
]  # fmt: skip


# --------------------------------------------------------------------------- the model

_NUMBER = re.compile(
    r"^(?P<neg>[-+])?(?P<cur>[$€£¥])?(?P<neg2>[-+])?"
    r"(?P<num>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d*)?(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)"
    r"(?P<cur2>[$€£¥])?(?P<pct>%)?$"
)
_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 0 for dates after 28 February 1900


def excel_number(text: str) -> float | None:
    """How Excel (en-US) reads typed text as a number, or None: numbers with thousands
    separators, decimals, exponents, a currency sign before or after, a sign, ``%`` (÷100),
    ``(7)`` for −7, and ISO / US dates (``2025-05-01``, ``2025-05`` = its 1st, ``5/1/2025``)
    as date serials. Spaces around are ignored."""
    s = text.strip()
    neg = s.startswith("(") and s.endswith(")")
    if neg:
        s = s[1:-1].strip()
    m = _NUMBER.match(s)
    if m:
        value = float(m.group("num").replace(",", ""))
        if m.group("pct"):
            value /= 100
        if neg or "-" in (m.group("neg") or "") + (m.group("neg2") or ""):
            value = -value
        return value
    for fmt in ("%Y-%m-%d", "%Y-%m", "%m/%d/%Y"):
        try:
            day = dt.datetime.strptime(s, fmt).date()
        except ValueError:
            continue
        serial = (day - _EXCEL_EPOCH).days
        return float(serial if serial > 60 else serial - 1)  # Excel's 29 February 1900
    return None


def criterion_matches(cell: object, criterion: object) -> bool:
    """Rules 1–3 of the module docstring for one cell (None: blank; str: text; float:
    number; bool; tuple: an error) and one criterion (a number, or text such as ">=7")."""
    op, target = "=", criterion
    if isinstance(criterion, str):
        m = re.match(r"^(<=|>=|<>|<|>|=)?(.*)$", criterion, re.DOTALL)
        op, rest = m.group(1) or "=", m.group(2)
        target = excel_number(rest)
        if target is None:
            raise NotImplementedError(f"text criteria are not modelled: {criterion!r}")
    if cell is None or isinstance(cell, (bool, tuple)):
        return op == "<>"  # blanks, booleans and errors never equal a number
    if isinstance(cell, str):
        if op == "=":
            number = excel_number(cell)
            return number is not None and number == target  # rule 1: text converted
        return op == "<>"  # rule 2: relational criteria ignore text
    x = float(cell)
    return {
        "=": x == target, "<>": x != target, "<": x < target, ">": x > target,
        "<=": x <= target, ">=": x >= target,
    }[op]  # fmt: skip


def _arguments(inner: str) -> list[str]:
    args, depth, quoted, current = [], 0, False, ""
    for ch in inner:
        if ch == '"':
            quoted = not quoted
        if not quoted and ch in "([":
            depth += 1
        if not quoted and ch in ")]":
            depth -= 1
        if ch == "," and not quoted and depth == 0:
            args.append(current)
            current = ""
        else:
            current += ch
    return [*args, current]


def excel_count(formula: str, ranges: dict[str, list]) -> int:
    """Evaluate ``=COUNTIF(range,criterion)`` or ``=COUNTIFS(range,criterion,…)`` with
    :func:`criterion_matches`; ``ranges`` maps each range reference to its cells."""
    m = re.fullmatch(r"=(COUNTIFS?)\((.*)\)", formula)
    assert m, f"the model knows COUNTIF and COUNTIFS only, not {formula}"
    args = _arguments(m.group(2))
    pairs = []
    for ref, crit in zip(args[::2], args[1::2], strict=True):
        criterion = crit[1:-1].replace('""', '"') if crit.startswith('"') else float(crit)
        pairs.append((ranges[ref], criterion))
    rows = len(pairs[0][0])
    return sum(all(criterion_matches(r[i], c) for r, c in pairs) for i in range(rows))


# --------------------------------------------------------------------------- the workbook


def _engine_counts(answers) -> np.ndarray:
    parsed = parse_scores(np.asarray(answers, dtype=object), invalid="skip")
    return np.bincount(parsed.scores.astype(int), minlength=11)


def _count_cells() -> list[tuple[int, str]]:
    return [(k, L.cell(L.DIST_FIRST_ROW + k, L.DIST_COUNT_COL)) for k in L.SCORES]


@pytest.fixture(scope="module")
def workbook(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("counts")
    frame = pd.DataFrame({"Score": pd.Series(ANSWERS, dtype=object)})
    path = write_report(tmp / "counts.xlsx", frame)
    responses = ooxml.sheet_cells(path, L.sheet_name("responses"))
    column = [responses.get((row, L.SCORE_COLUMN + 1)) for row in range(2, len(ANSWERS) + 2)]
    dashboard = ooxml.sheet_cells(path, L.sheet_name("dashboard"))
    return path, column, dashboard


def test_the_model_reads_text_as_excel_does():
    """Pinned to the behaviour the sources describe."""
    assert excel_number("1e1") == 10 and excel_number("7e0") == 7
    assert excel_number("$7") == excel_number("€7") == excel_number(" 7 ") == 7
    assert excel_number("700%") == 7 and excel_number("(7)") == -7
    assert excel_number("2025-05") == 45778  # =DATEVALUE("2025-05-01")
    assert excel_number("1/7/1900") == 7
    assert excel_number("N/A") is None and excel_number("7 7") is None
    assert criterion_matches("1e1", 10) and not criterion_matches("1e1", ">=10")
    assert not criterion_matches(None, 0) and not criterion_matches(True, 1)


def test_invalid_answers_are_kept_as_text_not_numbers(workbook):
    """The writer's half of the bargain: a number cell in the Score column is a valid answer
    or a number that is no score (11, 7.5); dates and booleans that are no score stay text."""
    _, column, _ = workbook
    engine = parse_scores(np.asarray(ANSWERS, dtype=object), invalid="skip")
    for given, cell, status in zip(ANSWERS, column, engine.status.tolist(), strict=True):
        if status == 0:
            assert isinstance(cell, float), (given, cell)
        elif isinstance(given, (bool, dt.datetime)):
            assert isinstance(cell, str), (given, cell)


def test_countif_would_count_number_like_text(workbook):
    """The defect the Dashboard formula avoids: COUNTIF counts "1e1" as 10 and "$7" as 7."""
    _, column, _ = workbook
    ref = L.structured_ref("Score")
    engine = _engine_counts(ANSWERS)
    countif = [excel_count(f"=COUNTIF({ref},{k})", {ref: column}) for k in L.SCORES]
    assert countif[10] > engine[10] and countif[7] > engine[7]


def test_dashboard_counts_equal_the_engine_under_excels_rules(workbook):
    _, column, dashboard = workbook
    ref = L.structured_ref("Score")
    engine = _engine_counts(ANSWERS).tolist()
    written = {k: dashboard[ooxml.cell_key(a1)] for k, a1 in _count_cells()}
    excel = [excel_count(written[k][0], {ref: column}) for k in L.SCORES]
    assert excel == engine, [written[k][0] for k in L.SCORES]
    assert [written[k][1] for k in L.SCORES] == engine  # the cached values
    assert [written[k][0] for k in L.SCORES] == [
        "=" + L.score_count_formula(ref, k) for k in L.SCORES
    ]


def test_score_count_formula_needs_no_new_functions():
    """Excel 2010 functions only (no dynamic arrays), one function call."""
    formula = L.score_count_formula("Responses[Score]", 7)
    assert set(re.findall(r"([A-Z][A-Z0-9.]*)\(", formula)) <= {"COUNTIFS", "COUNTIF"}


@pytest.mark.libreoffice
@pytest.mark.skipif(lo.find_soffice() is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_agrees(workbook, tmp_path):
    path, _, _ = workbook
    grid = lo.read_csv_grid(lo.recalculated_csv([path], tmp_path, sheet=1)[path])
    engine = _engine_counts(ANSWERS)
    for k, a1 in _count_cells():
        row, col = ooxml.cell_key(a1)
        assert float(grid[row - 1][col - 1]) == engine[k], (k, grid[row - 1][col - 1])
    parsed = parse_scores(np.asarray(ANSWERS, dtype=object), invalid="skip")
    figures = {f.name: f.row for f in L.FIGURES}
    assert float(grid[figures["NPS_N"]][L.VALUE_COL]) == parsed.n
    assert float(grid[figures["NPS_Invalid"]][L.VALUE_COL]) == parsed.invalid
    assert float(grid[figures["NPS_Blank"]][L.VALUE_COL]) == parsed.blank
    assert not math.isnan(float(grid[figures["NPS_Score"]][L.VALUE_COL]))
