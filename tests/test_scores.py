"""What counts as a score, what is blank, what is invalid — and that nothing is lost."""

import datetime as dt
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nps_xl.scores import (
    BLANK,
    INVALID,
    SCALES,
    VALID,
    Scale,
    ScoreError,
    categorize,
    parse_scores,
    resolve_scale,
)

VALID_CASES = [
    (9, 9),
    (9.0, 9),
    (0, 0),
    (10, 10),
    ("9", 9),
    (" 9 ", 9),
    ("10 - Extremely likely", 10),
    ("0 = Not at all likely", 0),
    ("9 (very likely)", 9),
    ("10 – Labai tikėtina", 10),
    ("10 - 极有可能", 10),
    ("10 - Много вероятно", 10),
    ("１０", 10),  # full-width digits
    ("９", 9),
    ("9,0", 9),  # decimal comma export
    ("10分", 10),
    (np.int64(7), 7),
    (np.float32(3.0), 3),
]

# what statistics tools and spreadsheets write for "no answer" (scores.MISSING_MARKERS)
BLANK_CASES = [None, math.nan, np.nan, "", "   ", "\t", pd.NA, pd.NaT, "#N/A", "NA", " NULL ", "."]

INVALID_CASES = [
    11,
    -1,
    7.5,
    math.inf,
    True,
    False,
    np.bool_(True),
    dt.date(2024, 5, 1),
    dt.datetime(2024, 5, 1, 12, 0),
    pd.Timestamp("2024-05-01"),
    "#VALUE!",
    "#DIV/0!",
    "N/A",
    "n.a.",
    "great",
    "11 - too high",
    "7.5",
    "7,5",
    "3 years",
    "1,000",
    b"9",
]


@pytest.mark.parametrize(("value", "expected"), VALID_CASES)
def test_valid_answers_are_read_as_scores(value, expected):
    parsed = parse_scores([value])
    assert parsed.status.tolist() == [VALID]
    assert parsed.scores.tolist() == [expected]


@pytest.mark.parametrize("value", BLANK_CASES)
def test_blank_answers_are_counted_as_blank(value):
    parsed = parse_scores([value, 9])
    assert parsed.blank == 1
    assert parsed.status.tolist() == [BLANK, VALID]


@pytest.mark.parametrize("value", INVALID_CASES)
def test_invalid_answers_are_reported(value):
    parsed = parse_scores([9, value], invalid="skip")
    assert parsed.status.tolist() == [VALID, INVALID]
    assert parsed.invalid_positions.tolist() == [1]
    assert parsed.invalid_values[0] is value or parsed.invalid_values[0] == value


def test_error_names_first_position_value_count_and_remedy():
    with pytest.raises(ScoreError) as err:
        parse_scores([10, 9, "N/A", 3, 11, None])
    message = str(err.value)
    assert "'N/A' at position 3" in message
    assert "2 invalid answers" in message
    assert "invalid='skip'" in message
    assert err.value.positions == (2, 4)


def test_block_positions_are_rows_and_columns():
    with pytest.raises(ScoreError, match=r"'x' at row 2, column 3"):
        parse_scores([[1, 2, 3], [4, 5, "x"]])


def test_skip_keeps_an_account_of_what_was_left_out():
    parsed = parse_scores([10, "bad", None, 7, 12.5], invalid="skip")
    assert parsed.scores.tolist() == [10, 7]
    assert (parsed.n, parsed.blank, parsed.invalid) == (2, 1, 2)
    assert parsed.invalid_report() == "'bad' at position 2, 12.5 at position 5"


def test_numpy_float_column_with_nan_blanks():
    values = np.array([0.0, 6.0, np.nan, 7.0, 10.0, 10.5])
    parsed = parse_scores(values, invalid="skip")
    assert parsed.status.tolist() == [VALID, VALID, BLANK, VALID, VALID, INVALID]


def test_pandas_series_including_nullable_integers():
    series = pd.Series([9, None, 3], dtype="Int64")
    parsed = parse_scores(series)
    assert parsed.scores.tolist() == [9, 3]
    assert parsed.blank == 1


def test_boolean_and_datetime_arrays_are_invalid_not_numbers():
    assert parse_scores(np.array([True, False]), invalid="skip").invalid == 2
    dates = np.array(["2024-01-01", "NaT"], dtype="datetime64[ns]")
    parsed = parse_scores(dates, invalid="skip")
    assert (parsed.invalid, parsed.blank) == (1, 1)


def test_ragged_rows_are_refused():
    with pytest.raises(ValueError, match="rectangular"):
        parse_scores([[1, 2], [3]])


@pytest.mark.parametrize(
    ("scale", "score", "code"),
    [
        ("0-10", 6, -1),
        ("0-10", 7, 0),
        ("0-10", 8, 0),
        ("0-10", 9, 1),
        ("1-5", 3, -1),
        ("1-5", 4, 0),
        ("1-5", 5, 1),
        ("0-4", 1, -1),
        ("0-4", 2, 0),
        ("0-4", 3, 0),
        ("0-4", 4, 1),
        ((1, 4, 6, 7), 6, 0),
        ("1,4,6,7", 7, 1),
    ],
)
def test_scale_breaks(scale, score, code):
    assert categorize([score], scale=scale).tolist() == [code]


def test_scale_range_depends_on_scale():
    assert parse_scores([0, 5], scale="1-5", invalid="skip").invalid_values == (0,)
    assert parse_scores(["6"], scale="0-4", invalid="skip").invalid == 1


def test_presets_name_their_source():
    assert all(s.source for s in SCALES.values())
    assert "contradicts" in SCALES["0-4"].source


@pytest.mark.parametrize("bad", [(0, 6, 8), (0, 9, 8, 10), (0, 6, 8, 8), "0-100", (0.5, 6, 8, 10)])
def test_bad_scales_are_refused_with_advice(bad):
    with pytest.raises(ValueError, match=r"scale|Scale"):
        resolve_scale(bad)


def test_custom_scale_object():
    assert resolve_scale(Scale(1, 6, 8, 10)).breaks == (1, 6, 8, 10)


JUNK = st.one_of(
    st.integers(-20, 20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(),
    st.booleans(),
    st.text(max_size=12),
    st.sampled_from(["10 - Extremely likely", "#N/A", " 7 ", "N/A", "", "９"]),
    st.dates(),
)


@given(st.lists(JUNK, max_size=60))
def test_every_value_is_counted_blank_or_invalid_never_lost(values):
    parsed = parse_scores(values, invalid="skip")
    assert parsed.n + parsed.blank + parsed.invalid == len(values)
    assert len(parsed.values) == len(values)
    for value, status, number in zip(values, parsed.status, parsed.values, strict=True):
        if status == VALID:
            assert 0 <= number <= 10 and number == int(number)
        if isinstance(value, (bool, dt.date)):
            assert status == INVALID
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and not math.isnan(value)
        ):
            ok = math.isfinite(value) and value == int(value) and 0 <= value <= 10
            assert (status == VALID) == ok


# --------------------------------------------------------------------------- hostile answers


def test_a_5000_digit_answer_is_invalid_not_an_exception():
    # Found by fuzzing: int() refuses text of more than 4,300 digits, and that ValueError
    # stopped every function over the range, invalid="skip" or not.
    parsed = parse_scores(["9" * 5000, 9, "0" * 5000 + "7", "-" + "1" * 4400], invalid="skip")
    assert parsed.status.tolist() == [INVALID, VALID, VALID, INVALID]
    assert parsed.scores.tolist() == [9.0, 7.0]
    with pytest.raises(ScoreError, match=r"^'9{59}…' at position 1 is not a score"):
        parse_scores(["9" * 5000, 9])


def test_whole_numbers_beyond_a_float_are_invalid():
    parsed = parse_scores([10**400, 9, -(10**5000), 2**64], invalid="skip")
    assert parsed.status.tolist() == [INVALID, VALID, INVALID, INVALID]
    with pytest.raises(ScoreError, match=r"^1e\+5000 at position 1 is not a score"):
        parse_scores([10**5000, 9])


def test_messages_quote_at_most_60_characters_of_an_answer():
    with pytest.raises(ScoreError) as caught:
        parse_scores(["x" * 100_000, 9])
    assert str(caught.value).startswith("'" + "x" * 59 + "…' at position 1")
    assert len(str(caught.value)) < 250
    assert len(caught.value.localized("bg")) < 250
    with pytest.raises(ValueError) as caught:
        resolve_scale("y" * 100_000)
    assert len(str(caught.value)) < 250
