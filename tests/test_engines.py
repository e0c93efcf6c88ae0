"""Every engine counts a file exactly as the pandas path does.

The reference is ``engine="pandas"``: :func:`nps_xl.io.load_survey` then
:func:`nps_xl.report.count_frame`. DuckDB and Spark group by the raw values and read each
distinct value in Python; their :class:`~nps_xl.report.ReportCounts` must equal the reference
field by field (keys, counts, weight sums to 1e-9, follow-up rows, invalid rows), and so must
the report tables built from them. Spark tests share one SparkSession per module.
"""

from __future__ import annotations

import csv
import json
import math
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from nps_xl.counts import GroupedCounts
from nps_xl.engines import EngineRun, choose_engine, count_file
from nps_xl.io import load_survey
from nps_xl.report import ReportColumns, ReportCounts, ReportOptions, report_from_counts

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "nps_xl" / "data" / "sample_survey.csv"
EXPORTS = sorted((ROOT / "tests" / "fixtures" / "exports").glob("*.csv"))
SAMPLE_COLUMNS = ReportColumns(
    score="Score",
    date="Date",
    comment="Comment",
    response_id="Response ID",
    segments=("Region", "Product", "Channel", "Customer tenure"),
)
GENERATED_COLUMNS = ReportColumns(
    score="Score",
    date="Date",
    comment="Comment",
    response_id="Response ID",
    segments=("Region", "Plan"),
    weight="Weight",
)
RTOL = 1e-9

has_java = shutil.which("java") is not None
try:
    import pyspark  # noqa: F401

    has_spark = True
except ImportError:  # pragma: no cover - the test extra installs it
    has_spark = False
needs_spark = pytest.mark.skipif(
    not (has_java and has_spark), reason="Spark needs pyspark and Java 17"
)


# ----------------------------------------------------------------------------- comparison


def _same_keys(a: np.ndarray, b: np.ndarray) -> None:
    assert len(a) == len(b)
    for x, y in zip(a.tolist(), b.tolist(), strict=True):
        if isinstance(x, float) and math.isnan(x):
            assert isinstance(y, float) and math.isnan(y)
        else:
            assert x == y and type(x) is type(y), (x, y)


def assert_same_groups(a: GroupedCounts | None, b: GroupedCounts | None) -> None:
    assert (a is None) == (b is None)
    if a is None:
        return
    _same_keys(a.keys, b.keys)
    for name in ("n", "blank", "invalid"):
        np.testing.assert_array_equal(getattr(a, name), getattr(b, name), err_msg=name)
    for name in ("detractors", "passives", "promoters"):
        x, y = getattr(a, name), getattr(b, name)
        assert x.dtype.kind == y.dtype.kind, name
        np.testing.assert_allclose(x, y, rtol=RTOL, err_msg=name)
    assert a.weighted == b.weighted
    if a.weighted:
        np.testing.assert_allclose(a.sum_squared_weights, b.sum_squared_weights, rtol=RTOL)


def assert_same_counts(got: ReportCounts, want: ReportCounts) -> None:
    assert got.rows == want.rows
    assert_same_groups(got.overall, want.overall)
    np.testing.assert_allclose(got.distribution, want.distribution, rtol=RTOL)
    assert [type(x) for x in got.distribution] == [type(x) for x in want.distribution]
    assert_same_groups(got.by_date, want.by_date)
    assert (got.undated, got.undated_rows) == (want.undated, want.undated_rows)
    assert list(got.by_segment) == list(want.by_segment)
    for name in want.by_segment:
        assert_same_groups(got.by_segment[name], want.by_segment[name])
    assert_same_groups(got.by_comment, want.by_comment)
    assert got.follow_up_total == want.follow_up_total
    assert (got.follow_up is None) == (want.follow_up is None)
    if want.follow_up is not None:
        pd.testing.assert_frame_equal(got.follow_up, want.follow_up)
    pd.testing.assert_frame_equal(got.invalid, want.invalid)


def assert_same_reports(
    got: tuple[ReportCounts, EngineRun], want: tuple[ReportCounts, EngineRun], options
) -> None:
    assert got[1].columns == want[1].columns
    assert got[1].notes == want[1].notes
    a = report_from_counts(got[0], got[1].columns, options, notes=got[1].notes)
    b = report_from_counts(want[0], want[1].columns, options, notes=want[1].notes)
    for table in ("trend", "segments", "themes", "follow_up", "invalid"):
        x, y = getattr(a, table), getattr(b, table)
        assert (x is None) == (y is None), table
        if y is not None:
            pd.testing.assert_frame_equal(x, y, check_exact=False, rtol=RTOL, obj=table)
    assert a.summary.keys() == b.summary.keys()
    for key, value in b.summary.items():
        if isinstance(value, float):
            assert a.summary[key] == pytest.approx(value, rel=RTOL, nan_ok=True), key
        else:
            assert a.summary[key] == value, key
    assert (a.notes, a.follow_up_more, a.undated) == (b.notes, b.follow_up_more, b.undated)


def check_engine(path, columns, engine, options=None, **kwargs) -> ReportCounts:
    options = options or ReportOptions()
    want = count_file(path, columns, options, engine="pandas", **kwargs)
    got = count_file(path, columns, options, engine=engine, **kwargs)
    assert got[1].engine == engine
    assert_same_counts(got[0], want[0])
    assert_same_reports(got, want, options)
    return got[0]


def detected(path: Path) -> ReportColumns:
    c = load_survey(path).columns
    return ReportColumns(
        score=c.score,
        date=c.date,
        comment=c.comment,
        response_id=c.response_id,
        segments=c.segments,
        weight=c.weight,
    )


# ----------------------------------------------------------------------------- generated data

SCORES = [str(i) for i in range(11)] + [
    "10 - Extremely likely", "0 - Not at all likely", "9 (very likely)", "７", "N/A", "n/a",
    "great", "11", "-1", "7.5", "NA", "#N/A", " 8 ", "",
]  # fmt: skip
NOT_SCORES = {"N/A", "n/a", "great", "11", "-1", "7.5", "NA", "#N/A", ""}
SCORE_WEIGHTS = np.array([3, 2, 2, 3, 3, 4, 6, 10, 14, 20, 22, 2, 1, 1, 0.5, 0.5, 0.3, 0.2, 0.2,
                          0.2, 0.2, 0.3, 0.2, 0.3, 4.0])  # fmt: skip
COMMENTS = ["Great support", "Too expensive", "The app keeps crashing", "Slow delivery",
            "Love it, thanks", "Setup took too long", "Billing was wrong\ntwice", "",
            "Customer service keeps sending copy-paste replies"]  # fmt: skip


def generate(path: Path, n: int, seed: int = 7) -> None:
    """``n`` answers: labelled and full-width scores, blanks, markers, invalid text, dates in
    ISO, ISO with time, month-first and Excel-serial-free text, a few unreadable dates, blank
    dates, weights with a few blanks (only where the score is not valid), multi-line comments."""
    rng = np.random.default_rng(seed)
    p = SCORE_WEIGHTS / SCORE_WEIGHTS.sum()
    score = rng.choice(len(SCORES), n, p=p)
    days = rng.integers(0, 500, n)
    base = np.datetime64("2024-01-01")
    style = rng.integers(0, 20, n)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(["Response ID", "Date", "Score", "Comment", "Region", "Plan", "Weight"])
        for i in range(n):
            day = base + np.timedelta64(int(days[i]), "D")
            s = style[i]
            if s < 12:
                date = str(day)
            elif s < 17:
                date = f"{day} {int(rng.integers(0, 24)):02d}:{i % 60:02d}:00"
            elif s < 18:
                d = day.astype(object)
                date = f"{d.month}/{d.day}/{d.year}"
            elif s < 19:
                date = "" if i % 3 else "not a date"
            else:
                date = str(day)
            raw = SCORES[score[i]]
            weight = f"{rng.uniform(0.2, 3.0):.3f}"
            if raw in NOT_SCORES and i % 7 == 0:
                weight = ""
            comment = COMMENTS[int(rng.integers(0, len(COMMENTS)))] if i % 3 else ""
            if i % 97 == 0:
                comment = f"unique remark {i}"
            region = ["Europe", "Asia", "Americas", "Africa", ""][int(rng.integers(0, 5))]
            plan = ["Basic", "Pro", "Team"][int(rng.integers(0, 3))]
            out.writerow([f"R{i + 1:07d}", date, raw, comment, region, plan, weight])


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("engines") / "generated.csv"
    generate(path, 200_000)
    return path


@pytest.fixture(scope="module")
def generated_small(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("engines") / "small.csv"
    generate(path, 3_000, seed=11)
    return path


# ----------------------------------------------------------------------------- DuckDB


def test_duckdb_counts_the_sample_survey_as_pandas():
    check_engine(SAMPLE, SAMPLE_COLUMNS, "duckdb")


@pytest.mark.parametrize("path", EXPORTS, ids=lambda p: p.stem)
def test_duckdb_counts_every_export_fixture_as_pandas(path):
    check_engine(path, detected(path), "duckdb")


def test_duckdb_counts_200k_generated_answers_as_pandas(generated):
    counts = check_engine(generated, GENERATED_COLUMNS, "duckdb")
    assert counts.rows == 200_000
    assert counts.overall.invalid[0] > 1000 and counts.overall.blank[0] > 1000
    assert counts.weighted and counts.undated > 0 and len(counts.invalid) > 1000
    assert counts.follow_up is not None and len(counts.follow_up) == 5_000


@pytest.mark.parametrize(
    "options",
    [
        ReportOptions(follow_up_limit=None, include_passives=True),
        ReportOptions(follow_up_limit=7, scale="0,5,8,10"),
    ],
    ids=["all-detractors-and-passives", "limit-7-custom-scale"],
)
def test_duckdb_follows_the_options_as_pandas(generated_small, options):
    check_engine(generated_small, GENERATED_COLUMNS, "duckdb", options)


def test_duckdb_counts_parquet_as_pandas(generated_small, tmp_path):
    import pyarrow.csv as pcsv
    import pyarrow.parquet as pq

    table = pcsv.read_csv(
        generated_small,
        convert_options=pcsv.ConvertOptions(
            column_types={"Score": "string", "Date": "string", "Weight": "float64"},
            strings_can_be_null=False,  # "NA", "#N/A" and "" stay text: markers
        ),
    )
    path = tmp_path / "answers.parquet"
    pq.write_table(table, path)
    check_engine(path, GENERATED_COLUMNS, "duckdb")


def test_duckdb_counts_a_float_score_column_with_signed_zeros_and_nans_as_pandas(tmp_path):
    """A Parquet score column of doubles: -0.0 is the answer 0 and every NaN (whatever its
    sign bit, as ``inf - inf`` gives) a blank, so the engine's groups and the score set
    summed from them hold one row per value, counted as pandas counts them."""
    import struct

    import pyarrow as pa
    import pyarrow.parquet as pq

    negative_nan = struct.unpack("<d", struct.pack("<Q", 0xFFF8000000000000))[0]
    scores = [0.0, -0.0, float("nan"), negative_nan, 7.0, None, 10.0, -0.0, 9.0, 3.0] * 30
    regions = ["North", "South", "East"] * 100
    path = tmp_path / "doubles.parquet"
    pq.write_table(pa.table({"Score": pa.array(scores, pa.float64()), "Region": regions}), path)
    columns = ReportColumns(
        score="Score", date=None, comment=None, response_id=None, segments=("Region",)
    )
    counts = check_engine(path, columns, "duckdb")
    # an independent count of the list above: 0 three times, 3, 7, 9 and 10 once in ten
    assert counts.distribution[0] == 90 and counts.distribution[7] == 30
    assert int(counts.overall.n[0]) == 210 and int(counts.overall.blank[0]) == 90
    # one row per value in the score set: 0, 3, 7, 9, 10, NaN and the empty cell
    import pyarrow.compute as pc

    from nps_xl.engines import sql
    from nps_xl.engines.counting import roles_of, score_set
    from nps_xl.engines.duck import DuckDBBackend
    from nps_xl.engines.source import describe

    source = describe(path)
    backend = DuckDBBackend(source)
    try:
        roles = roles_of(source, columns)
        backend.keep(roles)
        table = score_set(backend.query(sql.grouped_query(roles)), roles.keys)
    finally:
        backend.close()
    assert table.filter(pc.equal(table.column("g_seg0"), 1)).num_rows == 7


def test_duckdb_counts_a_semicolon_windows_1252_file_with_blank_lines(tmp_path):
    text = (
        "Datum;Bewertung;Begründung;Region;Gewicht\n"
        "05.11.2024;10,0;Schön;Europa;0,5\n"
        "\n"
        '06.11.2024;3;"zwei\nZeilen";Asien;1,5\n'
        "13.11.2024;N/A;;Europa;\n"
        "14.11.2024;7;teuer;;2\n"
    )
    path = tmp_path / "export.csv"
    path.write_bytes(text.encode("cp1252"))
    columns = ReportColumns(
        score="Bewertung", date="Datum", comment="Begründung", response_id=None,
        segments=("Region",), weight="Gewicht",
    )  # fmt: skip
    counts = check_engine(path, columns, "duckdb")
    assert counts.invalid["row"].tolist() == [6]  # the blank line and the line break count


def test_duckdb_counts_xlsx_as_pandas(tmp_path):
    import xlsxwriter

    path = tmp_path / "answers.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    rows = [["Response ID", "Date", "Score", "Comment", "Region"]]
    rng = np.random.default_rng(3)
    for i in range(500):
        score = (
            ["N/A", "10 - Extremely likely", "", "great"][i % 4]
            if i % 9 == 0
            else str(int(rng.integers(0, 11)))
        )
        rows.append([f"R{i:04d}", f"2025-0{1 + i % 9}-1{i % 10}", score,
                     ["", "Too slow", "Great"][i % 3], ["Europe", "Asia", ""][i % 3]])  # fmt: skip
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value != "":
                sheet.write_string(r, c, value)
    book.close()
    columns = ReportColumns(
        score="Score", date="Date", comment="Comment", response_id="Response ID",
        segments=("Region",),
    )  # fmt: skip
    check_engine(path, columns, "duckdb")


def test_duckdb_lists_invalid_number_cells_as_numbers(tmp_path):
    # number cells out of the scale (11, 7.5, −1) are listed as the numbers pandas reads,
    # text cells ("N/A", "eleven") as their text: the engine reads cells as text, not types
    import xlsxwriter

    path = tmp_path / "numbers.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["Response ID", "Score"])
    cells = [9, 11, "N/A", 7.5, 3, -1, "eleven", 10, 12.25]
    for r, value in enumerate(cells, start=1):
        sheet.write_string(r, 0, f"R{r}")
        (sheet.write_string if isinstance(value, str) else sheet.write_number)(r, 1, value)
    book.close()
    columns = ReportColumns(score="Score", date=None, comment=None, response_id="Response ID")
    check_engine(path, columns, "duckdb")
    got = count_file(path, columns, engine="duckdb")[0].invalid
    assert got["value"].tolist() == [11.0, "N/A", 7.5, -1.0, "eleven", 12.25]
    assert got["row"].tolist() == [3, 4, 5, 7, 8, 10]  # Excel rows, the header in row 1


def test_partial_counts_of_two_halves_add_up_to_the_whole(generated_small, tmp_path):
    lines = generated_small.read_text(encoding="utf-8").splitlines(keepends=True)
    header, body = lines[0], lines[1:]
    cut = next(i for i in range(len(body) // 2, len(body)) if body[i].count('"') % 2 == 0
               and body[i].startswith("R"))  # fmt: skip
    halves = []
    for k, part in enumerate((body[:cut], body[cut:])):
        path = tmp_path / f"half{k}.csv"
        path.write_text(header + "".join(part), encoding="utf-8")
        halves.append(count_file(path, GENERATED_COLUMNS, engine="duckdb")[0])
    whole = count_file(generated_small, GENERATED_COLUMNS, engine="duckdb")[0]
    a, b = halves

    def same_totals(x: GroupedCounts, y: GroupedCounts) -> None:
        order_x = np.argsort([str(k) for k in x.keys.tolist()], kind="stable")
        order_y = np.argsort([str(k) for k in y.keys.tolist()], kind="stable")
        assert [str(k) for k in x.keys[order_x]] == [str(k) for k in y.keys[order_y]]
        for name in ("n", "blank", "invalid"):
            assert getattr(x, name)[order_x].tolist() == getattr(y, name)[order_y].tolist()
        for name in ("detractors", "passives", "promoters", "sum_squared_weights"):
            np.testing.assert_allclose(getattr(x, name)[order_x], getattr(y, name)[order_y],
                                       rtol=RTOL)  # fmt: skip

    same_totals(a.overall + b.overall, whole.overall)
    same_totals(a.by_date + b.by_date, whole.by_date)
    for name in whole.by_segment:
        same_totals(a.by_segment[name] + b.by_segment[name], whole.by_segment[name])
    assert a.rows + b.rows == whole.rows


def test_file_rows_need_no_second_reading_when_every_record_is_one_line(tmp_path):
    """The line count settles it: no query for line breaks, no csv-module pass."""
    from nps_xl.engines.counting import count_source
    from nps_xl.engines.duck import DuckDBBackend
    from nps_xl.engines.source import describe

    path = tmp_path / "plain.csv"
    path.write_text(
        "Response ID,Score,Comment\nR1,9,fine\nR2,N/A,\nR3,3,slow\nR4,eleven,\n",
        encoding="utf-8",
    )
    columns = ReportColumns(score="Score", date=None, comment="Comment",
                            response_id="Response ID")  # fmt: skip
    source = describe(path)
    backend = DuckDBBackend(source)
    counts, _ = count_source(backend, columns, ReportOptions())
    assert counts.invalid["row"].tolist() == [3, 5]
    lines = backend.rows()._lines
    assert isinstance(lines, tuple) and len(lines[0]) == 0  # the quick path
    backend.close()


# ----------------------------------------------------------------------------- choosing


def test_auto_picks_pandas_for_small_files_and_duckdb_for_big_ones(generated):
    small = choose_engine(SAMPLE)
    assert small.engine == "pandas" and "small enough" in small.reason
    big = choose_engine(generated, "auto")
    assert big.engine == ("duckdb" if generated.stat().st_size > 15 * 1024**2 else "pandas")
    assert choose_engine(SAMPLE, "DuckDB").engine == "duckdb"
    with pytest.raises(ValueError, match="Unknown engine"):
        choose_engine(SAMPLE, "sqlite")
    assert choose_engine(SAMPLE.with_name("missing.csv")).engine == "pandas"  # io says why
    counts, run = count_file(SAMPLE, SAMPLE_COLUMNS)
    assert run.engine == "pandas" and run.seconds > 0 and counts.rows == 2000


def test_importing_nps_xl_imports_no_engine():
    code = (
        "import sys, nps_xl, nps_xl.report, nps_xl.engines; "
        "bad = [m for m in ('duckdb', 'pyspark', 'polars', 'fastexcel') if m in sys.modules]; "
        "print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


# ----------------------------------------------------------------------------- Spark


@pytest.fixture(scope="module")
def spark():
    from nps_xl.engines.spark import session

    spark = session()
    yield spark
    spark.stop()


@pytest.mark.usefixtures("spark")
@pytest.mark.parametrize("path", [SAMPLE, EXPORTS[0]], ids=lambda p: p.stem)
@needs_spark
def test_spark_counts_the_sample_and_an_export_as_pandas(path):
    check_engine(path, SAMPLE_COLUMNS if path == SAMPLE else detected(path), "spark")


@pytest.mark.usefixtures("spark")
@needs_spark
def test_spark_counts_generated_answers_with_weights_as_pandas(generated_small):
    check_engine(generated_small, GENERATED_COLUMNS, "spark")


# ----------------------------------------------------------------------------- one parse


def test_duckdb_parses_the_file_once_and_answers_every_query_from_the_kept_table(generated_small):
    """After the one parse (``keep``) no statement reads the file: none names the ``raw`` or
    ``scan`` views or a reader function."""
    from nps_xl.engines.counting import count_source
    from nps_xl.engines.duck import DuckDBBackend
    from nps_xl.engines.source import describe

    source = describe(generated_small)
    backend = DuckDBBackend(source)
    seen: list[str] = []
    execute, query, keep = backend.execute, backend.query, backend.keep
    backend.execute = lambda s: (seen.append(s), execute(s))[1]
    backend.query = lambda s: (seen.append(s), query(s))[1]
    backend.keep = lambda roles: (seen.append("KEEP"), keep(roles))[1]
    try:
        counts, _ = count_source(backend, GENERATED_COLUMNS, ReportOptions())
    finally:
        backend.close()
        source.close()
    assert seen[0] == "KEEP" and seen.count("KEEP") == 1
    after = " ".join(seen[1:])
    assert "FROM raw" not in after and "FROM scan" not in after and "read_csv" not in after
    # the multi-line comments were placed from the kept columns, not by a second parse
    assert "FROM answers" in after and len(counts.invalid) > 0


def test_memory_budget_is_read_in_binary_units_and_refused_when_unreadable():
    from nps_xl.engines import MEMORY_BUDGET, memory_bytes

    assert memory_bytes(None) == MEMORY_BUDGET == 2**30
    assert memory_bytes("512MB") == 512 * 2**20
    assert memory_bytes("1.5GB") == 3 * 2**29
    assert memory_bytes("2GiB") == memory_bytes("2g") == 2 * 2**30
    for bad in ("lots", "10MB", "1PB", "-1GB", ""):
        with pytest.raises(ValueError):
            memory_bytes(bad)


def test_the_memory_budget_sets_duckdb_s_limit_and_a_csv_file_is_parsed_once(generated_small):
    """The budget less Python's share is DuckDB's limit; a CSV file is parsed once into the
    kept table, whatever its size (beyond the limit DuckDB writes the table's blocks to its
    spill folder: measured in benchmarks/bench_oneparse.py), with the same counts as pandas."""
    from nps_xl.engines.counting import count_source
    from nps_xl.engines.duck import PYTHON_SHARE, DuckDBBackend
    from nps_xl.engines.source import describe

    want = count_file(generated_small, GENERATED_COLUMNS, engine="pandas")[0]
    source = describe(generated_small)
    backend = DuckDBBackend(source, memory=PYTHON_SHARE + 200 * 2**20)
    try:
        limit = backend.con.execute("SELECT current_setting('memory_limit')").fetchone()[0]
        assert limit.replace(" ", "").upper() in ("200.0MIB", "200MIB"), limit
        counts, _ = count_source(backend, GENERATED_COLUMNS, ReportOptions())
        assert backend.kept is True
        kept = backend.con.execute("SELECT count(*) FROM kept").fetchone()[0]
    finally:
        backend.close()
        source.close()
    assert kept == 3_000  # every record of the file, counted independently by its generator
    assert_same_counts(counts, want)


def test_cli_refuses_an_unreadable_memory_budget_in_one_line():
    code = "import sys; from nps_xl.cli import main; sys.exit(main(sys.argv[1:]))"
    done = subprocess.run(
        [sys.executable, "-c", code, "summary", str(SAMPLE), "--memory", "lots"],
        capture_output=True, text=True, cwd=ROOT, env={**__import__("os").environ,
                                                       "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 2
    assert "--memory 'lots'" in done.stderr and "512MB" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_segment_found_on_the_first_answers_is_judged_on_the_whole_column(tmp_path, capsys):
    # 'Store' repeats three values in the first 20,500 rows, then every row has its own store:
    # the sample says segment, the whole column says no (more than 50 distinct values)
    from nps_xl.cli import main
    from nps_xl.engines.sample import SAMPLE_ANSWERS

    rng = np.random.default_rng(5)
    n = SAMPLE_ANSWERS + 6_000
    first = SAMPLE_ANSWERS + 500
    store = [["North", "South", "East"][i % 3] if i < first else f"S{i}" for i in range(n)]
    frame = pd.DataFrame(
        {"Score": rng.integers(0, 11, n), "Store": store, "Region": rng.choice(["A", "B"], n)}
    )
    path = tmp_path / "stores.csv"
    frame.to_csv(path, index=False)
    distinct = frame["Store"].nunique()  # counted here, independently of the engines
    assert distinct > 50
    documents = {}
    for engine in ("pandas", "duckdb"):
        assert main(["summary", str(path), "--engine", engine, "--json"]) == 0
        documents[engine] = json.loads(capsys.readouterr().out)
    for doc in documents.values():  # the whole-file rule on both engines: Region only
        assert doc["columns"]["segments"] == ["Region"]
        assert {row["segment"] for row in doc["segments"]} == {"Region"}
    note = [n for n in documents["duckdb"]["notes"] if "'Store'" in n]
    assert len(note) == 1 and f"{distinct:,} different values" in note[0]
    assert "--segment" in note[0]
    # named by the user, it stays a segment
    argv = ["summary", str(path), "--engine", "duckdb", "--json", "--segment", "Store"]
    assert main(argv) == 0
    named = json.loads(capsys.readouterr().out)
    assert named["columns"]["segments"] == ["Store"]


@needs_spark
def test_a_spark_count_after_the_session_was_stopped_starts_a_new_one():
    # an API user (or a notebook) that stopped Spark and counts again: a new session, the
    # figures pandas gives, not "'NoneType' object has no attribute 'sc'"
    from nps_xl.engines.spark import session

    session().stop()
    columns = detected(SAMPLE)
    got = count_file(SAMPLE, columns, engine="spark")[0]
    want = count_file(SAMPLE, columns, engine="pandas")[0]
    assert_same_counts(got, want)
