"""Every Excel function, on both xlwings paths, with hostile cells and arguments (hypothesis).

``udf_fuzz`` draws each call: ranges mixing scores with huge and tiny floats, inf and NaN
(classic only: JSON cannot carry them), 100,000-character and 5,000-digit text, error values,
booleans, dates, blanks, 2-D blocks, empty ranges, ranges of the wrong size; single-value
arguments that are omitted, usual, out of their domain or hostile. It knows what every cell
and value means, counts promoters, passives and detractors itself and applies the published
formulas, so each result is checked against an independent answer — and always against the
contract: no exception reaches Excel, no internal text, finite JSON-safe numbers, messages
and texts within Excel's 32,767 characters per cell.

Classic calls go through ``com_server.XLPython.CallUDF`` in this process; Office.js calls
through ``xlwings.server.custom_functions_call`` in one long-running subprocess (one call
per example, all in that process). ``EXAMPLES`` per function and path keeps each path well
under a minute; ``scripts/fuzz_udfs.py`` runs the long campaign.
"""

from __future__ import annotations

import pytest
import udf_fuzz as fz
from classic_runner import classic_excel
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from officejs_runner import session
from test_udfs_classic import FUNCTIONS

EXAMPLES = 60  # per function and path: 17 × 60 = 1,020 calls per path

_SETTINGS = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


@pytest.fixture(scope="module")
def classic():
    with classic_excel() as xl:
        yield xl


@pytest.fixture(scope="module")
def officejs():
    with session() as s:
        yield s


def test_every_function_is_fuzzed():
    assert fz.FUNCTIONS == FUNCTIONS


def _verdict(call: fz.Call, outcome: dict) -> None:
    failure = fz.check(call, outcome)
    assert failure is None, f"{failure.kind}: {failure.detail}\n  call: {call.describe(2000)}"


@pytest.mark.parametrize("function", list(fz.FUNCTIONS))
@_SETTINGS
@given(data=st.data())
def test_classic_path(classic, function, data):
    call = fz.make_call(fz.HypothesisSource(data), "classic", function)
    _verdict(call, fz.call_classic(classic, call))


@pytest.mark.parametrize("function", list(fz.FUNCTIONS))
@_SETTINGS
@given(data=st.data())
def test_officejs_path(officejs, function, data):
    call = fz.make_call(fz.HypothesisSource(data), "officejs", function)
    (outcome,) = officejs.call([[call.function, call.args]])
    _verdict(call, outcome)
