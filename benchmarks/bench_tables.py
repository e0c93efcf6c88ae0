"""Benchmark: trend + segments + themes on 1M answers against the bare read of the same CSV.

Run: ``python benchmarks/bench_tables.py [--rows 1000000] [--unique-comments]``.

The goal (issue "Analysis depth"): reading the file and computing the aggregate tables takes at
most 1.3× the bare read. Two floors are measured in the same run: the bare read plus one
``pandas.factorize`` of each grouped column (date, segments, comment), which any grouping must
do, and Arrow's CSV reader dictionary-encoding those columns while it parses.

The data: dates over two years, a 0–10 score, four segment columns and a comment on 40% of the
answers in five languages. By default comments come from a pool of a few
thousand distinct texts (survey comments repeat); ``--unique-comments`` makes every comment
distinct (the worst case for theme matching).
"""

from __future__ import annotations

import argparse
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from nps_xl import tables

PHRASES = [
    "The price is too high",
    "Delivery was late again",
    "Support answered quickly",
    "Very easy to use",
    "Quality could be better",
    "价格太高了",
    "物流太慢",
    "客服回复很快",
    "價格偏高",
    "介面簡潔，非常好用",
    "Kaina per didelė",
    "Pristatymas vėlavo",
    "Labai patogu naudotis",
    "Цената е висока",
    "Доставката закъсня",
    "Обслужването е отлично",
    "Nothing to add",
    "Works as expected",
]


def make_csv(path: Path, rows: int, unique_comments: bool, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    dates = pd.Timestamp("2024-01-01") + pd.to_timedelta(rng.integers(0, 730, rows), unit="D")
    first = rng.integers(0, len(PHRASES), rows)
    second = rng.integers(0, len(PHRASES), rows)
    pool = np.array([f"{a}. {b}." for a in PHRASES for b in PHRASES] * 10, dtype=object)
    pool += np.repeat([f" #{k}" for k in range(10)], len(PHRASES) ** 2)  # ~3k distinct
    comments = pool[(first * len(PHRASES) + second) + len(PHRASES) ** 2 * rng.integers(0, 10, rows)]
    if unique_comments:
        comments = comments + np.char.mod(" ticket %d", np.arange(rows)).astype(object)
    comments[rng.random(rows) > 0.4] = ""
    frame = pd.DataFrame(
        {
            "Response ID": np.char.mod("R%07d", np.arange(rows)),
            "Date": dates.strftime("%Y-%m-%d"),
            "Score": rng.integers(0, 11, rows),
            "Region": rng.choice(["North America", "Europe", "Asia Pacific", "Baltics"], rows),
            "Product": rng.choice(["Essentials", "Professional", "Smart Hub"], rows),
            "Channel": rng.choice(["Web", "Mobile app", "Phone support", "Store/Partner"], rows),
            "Tenure": rng.choice(["<1 year", "1-3 years", ">3 years"], rows),
            "Comment": comments,
        }
    )
    frame.to_csv(path, index=False)


def _dictionary_read(path: Path, grouped: list[str]) -> pd.DataFrame:
    """The file read by Arrow's CSV reader with the grouped columns dictionary-encoded while
    parsing, to pandas (categoricals): grouping codes with no separate pass."""
    import pyarrow as pa
    import pyarrow.csv as pcsv

    types = dict.fromkeys(grouped, pa.dictionary(pa.int32(), pa.string()))
    options = pcsv.ConvertOptions(column_types=types, strings_can_be_null=True)
    return pcsv.read_csv(path, convert_options=options).to_pandas()


def best_of(repeats: int, fn) -> tuple[float, object]:
    best, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    return best, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--unique-comments", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "answers.csv"
        make_csv(path, args.rows, args.unique_comments)
        size = path.stat().st_size / 1e6
        read_s, frame = best_of(args.repeats, lambda: pd.read_csv(path))
        segs = ["Region", "Product", "Channel", "Tenure"]
        timings: dict[str, float] = {}

        def aggregates():
            out = {}
            for name, fn in (
                ("trend", lambda: tables.trend(frame, period="month")),
                ("segments", lambda: tables.segments(frame, segs)),
                ("themes", lambda: tables.themes(frame)),
            ):
                start = time.perf_counter()
                out[name] = fn()
                took = time.perf_counter() - start
                timings[name] = min(timings.get(name, took), took)
            return out

        grouped = ["Date", *segs, "Comment"]
        # the floor: any grouping of these answers looks at every value of every grouped column
        # once (hashing it); pandas.factorize is that pass, with nothing else
        hash_s, _ = best_of(args.repeats, lambda: [pd.factorize(frame[c]) for c in grouped])
        # ...or a reader hashes them while parsing (Arrow's dictionary encoding)
        dict_read_s, _ = best_of(args.repeats, lambda: _dictionary_read(path, grouped))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            agg_s, _ = best_of(args.repeats, aggregates)
            terms_s, _ = best_of(1, lambda: tables.discover_terms(frame))
    ratio = (read_s + agg_s) / read_s
    print(f"{args.rows:,} answers, {size:.0f} MB CSV, comments unique: {args.unique_comments}")
    print(f"bare read (pandas.read_csv)        {read_s:7.2f} s")
    print(
        f"trend + segments + themes          {agg_s:7.2f} s  ("
        + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items())
        + ")"
    )
    print(f"read + aggregates / bare read      {ratio:7.2f}×  (goal ≤ 1.30×)")
    print(
        f"floor: read + hash {len(grouped)} grouped columns {read_s + hash_s:5.2f} s "
        f"= {(read_s + hash_s) / read_s:.2f}× the bare read"
    )
    print(
        f"floor: dictionary-encoding read    {dict_read_s:7.2f} s "
        f"= {dict_read_s / read_s:.2f}× the bare read"
    )
    print(f"discover_terms (not in the goal)   {terms_s:7.2f} s")


if __name__ == "__main__":
    main()
