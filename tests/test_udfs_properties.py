"""Property test over both runtimes: generated ranges of mixed cells through NPS and NPS_COUNTS.

Each range mixes valid scores (numbers, text, labelled text), blanks, out-of-range numbers,
junk text, booleans, dates and error values, in the form each runtime delivers them. The
expected answer comes from the generator's own knowledge of every cell (an independent
oracle), never from the engine: with ``invalid="error"`` any invalid cell must give the
``#NPS!`` message naming the first one; otherwise the NPS of the valid cells, or the "no valid
answer" message. A result is never another exception and never a number that counted an
invalid cell. 10,000 ranges per runtime; the Office.js ones go through one subprocess.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from classic_runner import MISSING, classic_excel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from officejs_runner import error, run

N_RANGES = 10_000
NA = -2146826246
COM_CODES = (-2146826281, -2146826246, -2146826259, -2146826288, -2146826252, -2146826265)
ERROR_NAMES = ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!")
COM_NA = -2146826246  # #N/A as pywin32 delivers it

VALID, BLANK, INVALID = 0, 1, 2


def make_cell(rng: np.random.Generator, runtime: str):
    """(value as the runtime sends it, status, score or None, how a message shows it)."""
    kind = rng.integers(0, 14)
    s = int(rng.integers(0, 11))
    classic = runtime == "classic"
    if kind <= 4:  # plain number, the common case
        if classic:
            return float(s), VALID, s, None
        return (s if rng.integers(0, 2) else float(s)), VALID, s, None
    if kind == 5:
        return str(s), VALID, s, None
    if kind == 6:
        return f"{s} - Likely", VALID, s, None
    if kind == 7:
        return (None if classic else ""), BLANK, None, None
    if kind == 8:
        return "  ", BLANK, None, None
    if kind == 9:
        v = [11.0, -1.0, 7.5, 100.0][int(rng.integers(0, 4))]
        return v, INVALID, None, str(int(v)) if v.is_integer() else str(v)
    if kind == 10:
        v = ["N/A", "great", "n.a.", "3 years"][int(rng.integers(0, 4))]
        return v, INVALID, None, repr(v)
    if kind == 11:
        v = bool(rng.integers(0, 2))
        return v, INVALID, None, "TRUE" if v else "FALSE"
    if kind == 12:  # a date: a datetime from COM, a serial number from Office.js
        if classic:
            return dt.datetime(2025, 5, 1), INVALID, None, "2025-05-01"
        return 45778, INVALID, None, "45778"
    i = int(rng.integers(0, len(COM_CODES)))
    name = ERROR_NAMES[i]
    # #N/A ("not available") is a blank answer (scores.MISSING_MARKERS); other errors invalid
    status = BLANK if name == "#N/A" else INVALID
    return (COM_CODES[i] if classic else error(name)), status, None, repr(name)


def make_range(rng: np.random.Generator, runtime: str):
    rows, columns = int(rng.integers(1, 7)), int(rng.integers(1, 5))
    cells = [[make_cell(rng, runtime) for _ in range(columns)] for _ in range(rows)]
    values = [[c[0] for c in row] for row in cells]
    if runtime == "classic":
        values = tuple(tuple(row) for row in values)
    return values, [c for row in cells for c in row], (rows, columns)


def where(index: int, shape: tuple[int, int]) -> str:
    rows, columns = shape
    r, c = divmod(index, columns)
    if rows == 1 and columns == 1:
        return "the cell given as scores"
    if columns == 1:
        return f"row {r + 1} of scores"
    if rows == 1:
        return f"column {c + 1} of scores"
    return f"row {r + 1}, column {c + 1} of scores"


def doubted(scores: list[int]) -> bool:
    """The documented scale rule (docs/reading.md, "Scale"): with no scale argument, 10 or
    more valid answers all within 0–5, or all within 1–7, are not scored as 0–10."""
    if len(scores) < 10:
        return False
    return max(scores) <= 5 or (min(scores) >= 1 and max(scores) <= 7)


def expected(cells, shape, invalid: str):
    """("value", nps) or ("message", text the message must contain)."""
    statuses = [c[1] for c in cells]
    valid = [c[2] for c in cells if c[1] == VALID]
    if doubted(valid):  # asked before any invalid cell is named
        return "message", f"#NPS! All {len(valid)} answers lie within {min(valid)}–{max(valid)}"
    if invalid == "error" and INVALID in statuses:
        i = statuses.index(INVALID)
        return "message", f"#NPS! {cells[i][3]} in {where(i, shape)} is not a score"
    scores = [c[2] for c in cells if c[1] == VALID]
    if not scores:
        return "message", "#NPS! scores has no valid answer"
    pro = sum(s >= 9 for s in scores)
    det = sum(s <= 6 for s in scores)
    return "value", 100.0 * (pro - det) / len(scores), (pro, len(scores) - pro - det, det)


def check(result, cells, shape, invalid: str, function: str) -> None:
    want = expected(cells, shape, invalid)
    if want[0] == "message":
        assert isinstance(result, str) and result.startswith(want[1]), (result, want, cells)
        return
    if function == "NPS":
        assert isinstance(result, (int, float)) and not isinstance(result, bool), result
        assert result == pytest.approx(want[1]), (result, want, cells)
    else:
        pro, pas, det = want[2]
        blank_or_skipped = sum(c[1] != VALID for c in cells)
        assert [row[1] for row in result[1:]] == [pro, pas, det, pro + pas + det, blank_or_skipped]


def unwrap_officejs(value, function):
    if function == "NPS" or (len(value) == 1 and len(value[0]) == 1):
        return value[0][0]
    return value


def cases(runtime: str, seed: int):
    rng = np.random.default_rng(seed)
    for k in range(N_RANGES):
        values, cells, shape = make_range(rng, runtime)
        function = "NPS_COUNTS" if k % 4 == 3 else "NPS"
        invalid = "skip" if k % 2 else "error"
        yield function, invalid, values, cells, shape


def test_classic_path_on_generated_ranges():
    with classic_excel() as xl:
        for function, invalid, values, cells, shape in cases("classic", seed=2024):
            args = (values, invalid, MISSING) + ((MISSING,) if function == "NPS_COUNTS" else ())
            check(xl.call(function, *args), cells, shape, invalid, function)


def test_officejs_path_on_generated_ranges():
    generated = list(cases("officejs", seed=2025))
    calls = []
    for function, invalid, values, _, _ in generated:
        args = [values, [[invalid]], None] + ([None] if function == "NPS_COUNTS" else [])
        calls.append([function, args])
    answer = run(calls)
    for (function, invalid, _, cells, shape), got in zip(generated, answer["results"], strict=True):
        assert "exception" not in got, got
        check(unwrap_officejs(got["value"], function), cells, shape, invalid, function)


# A smaller, shrinking search over the classic path with hypothesis.
_cell = st.one_of(
    st.integers(0, 10).map(float),
    st.integers(-5, 15).map(float),
    st.floats(allow_nan=False, allow_infinity=True, width=32),
    st.none(),
    st.text(max_size=6),
    st.booleans(),
    st.sampled_from(COM_CODES),
    st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 1, 1)),
)


@pytest.fixture(scope="module")
def classic():
    with classic_excel() as xl:
        yield xl


@settings(
    max_examples=400, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.lists(st.lists(_cell, min_size=2, max_size=2), min_size=1, max_size=6))
def test_classic_never_raises_and_never_counts_an_invalid_cell(classic, rows):
    values = tuple(tuple(r) for r in rows)
    result = classic.call("NPS", values, MISSING, MISSING)
    valid = []
    for v in (c for r in rows for c in r):
        if v is None or (isinstance(v, str) and not v.strip()) or v == COM_NA:
            continue  # blank, or #N/A: no answer
        if isinstance(v, float) and not isinstance(v, bool) and v.is_integer() and 0 <= v <= 10:
            valid.append(v)
            continue
        text = v.strip() if isinstance(v, str) else ""
        if text.isdigit() and text.isascii() and 0 <= int(text) <= 10:
            valid.append(float(text))
            continue
        if isinstance(v, str):
            valid = None  # text may or may not be a labelled score; only check no crash
            break
        assert isinstance(result, str) and result.startswith("#NPS! "), (result, rows)
        return
    if valid is None:
        assert isinstance(result, str | float), result
        return
    if not valid:
        assert isinstance(result, str) and "no valid answer" in result
        return
    if doubted([int(v) for v in valid]):
        assert isinstance(result, str) and result.startswith("#NPS! ") and "scale" in result
        return
    pro = sum(v >= 9 for v in valid)
    det = sum(v <= 6 for v in valid)
    assert result == pytest.approx(100.0 * (pro - det) / len(valid))
