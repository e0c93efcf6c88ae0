"""The long fuzzing campaign of the Excel functions, on both xlwings paths.

    python scripts/fuzz_udfs.py                       # 10,000 calls per function and path
    python scripts/fuzz_udfs.py --calls 500 --paths classic --functions NPS,NPS_CI --seed 7

Every call is drawn by ``tests/udf_fuzz.py`` (the generator and independent oracle the
property test ``tests/test_udfs_hostile.py`` uses, here from a seeded numpy generator):
hostile cells and arguments of every kind, checked against an independently computed answer
and the contract (no exception, no internal text, finite JSON-safe numbers, texts within
32,767 characters). Classic calls run through xlwings' COM machinery in this process;
Office.js calls through ``xlwings.server.custom_functions_call`` in one subprocess, in batches.

Prints, per path: calls, how many were values, messages and passed-on messages, the
failures by kind, and the time; then a few failing calls of each kind. Exits with 1 if any
call failed. Needs the test dependencies (``pip install -e ".[test]"``).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import udf_fuzz as fz  # (the tests folder holds the runners and the generator)


def _kind(call: fz.Call) -> str:
    e = call.expect
    if e.passed is not None:
        return "passed on"
    if e.check is None or (e.hints and not e.either):
        return "messages"
    return "values"


def _calls(function: str, runtime: str, count: int, seed: int) -> list[fz.Call]:
    # one generator per (function, path): a run of one function repeats exactly
    rng = np.random.default_rng([seed, list(fz.FUNCTIONS).index(function), len(runtime)])
    src = fz.RandomSource(rng)
    return [fz.make_call(src, runtime, function) for _ in range(count)]


def run_path(runtime: str, functions: list[str], count: int, seed: int, batch: int) -> dict:
    """Run every call of one path: counts by expectation, failures and examples."""
    kinds: Counter = Counter()
    failures: Counter = Counter()
    examples: dict = defaultdict(list)
    started = time.perf_counter()

    def record(function: str, call: fz.Call, outcome: dict) -> None:
        kinds[_kind(call)] += 1
        failure = fz.check(call, outcome)
        if failure is not None:
            failures[failure.kind] += 1
            examples[failure.kind].append((function, call.describe(), failure.detail))

    if runtime == "classic":
        from classic_runner import classic_excel

        with classic_excel() as xl:
            for function in functions:
                for call in _calls(function, runtime, count, seed):
                    record(function, call, fz.call_classic(xl, call))
    else:
        from officejs_runner import session

        with session() as office:
            for function in functions:
                calls = _calls(function, runtime, count, seed)
                for i in range(0, len(calls), batch):
                    part = calls[i : i + batch]
                    outcomes = office.call([[c.function, c.args] for c in part])
                    for call, outcome in zip(part, outcomes, strict=True):
                        record(function, call, outcome)
    return {
        "calls": sum(kinds.values()),
        "kinds": kinds,
        "failures": failures,
        "examples": examples,
        "seconds": time.perf_counter() - started,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--calls", type=int, default=10_000, help="calls per function and path")
    parser.add_argument("--paths", default="classic,officejs", help="classic, officejs or both")
    parser.add_argument("--functions", default="", help="comma-separated; default: all")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--batch", type=int, default=500, help="Office.js calls per request")
    parser.add_argument("--show", type=int, default=3, help="failing calls shown per kind")
    args = parser.parse_args(argv)
    functions = [f.strip() for f in args.functions.split(",") if f.strip()] or list(fz.FUNCTIONS)
    unknown = sorted(set(functions) - set(fz.FUNCTIONS))
    paths = [p.strip() for p in args.paths.split(",") if p.strip()]
    if unknown or not set(paths) <= set(fz.RUNTIMES) or args.calls < 1:
        parser.error(f"unknown functions {unknown} or paths {paths}, or --calls below 1")

    print(
        f"Fuzzing {len(functions)} functions × {args.calls:,} calls on {', '.join(paths)} "
        f"(seed {args.seed})"
    )
    print(
        f"{'path':<9} {'calls':>9} {'values':>8} {'messages':>9} {'passed on':>9} "
        f"{'failures':>8} {'time':>8}"
    )
    results = {}
    for runtime in paths:
        r = results[runtime] = run_path(runtime, functions, args.calls, args.seed, args.batch)
        k = r["kinds"]
        print(
            f"{runtime:<9} {r['calls']:>9,} {k['values']:>8,} {k['messages']:>9,} "
            f"{k['passed on']:>9,} {sum(r['failures'].values()):>8,} {r['seconds']:>7.1f}s"
        )
    failed = False
    for runtime, r in results.items():
        for kind, count in r["failures"].most_common():
            failed = True
            print(f"\n{runtime}: {count:,} × {kind}")
            for function, call, detail in r["examples"][kind][: args.show]:
                print(f"  {function}: {call}\n    → {detail}")
    if not failed:
        print("Failures by kind: none.")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
