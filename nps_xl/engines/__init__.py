"""Count a survey file with pandas, an embedded engine (DuckDB) or Spark: one small interface.

Every figure of a report is a function of counts per group (:class:`~nps_xl.report.
ReportCounts`), so the engines only *count*; the report is then built from the counts alone
(:func:`nps_xl.report.report_from_counts`)::

    from nps_xl.engines import count_file
    from nps_xl.report import ReportColumns, ReportOptions, report_from_counts

    columns = ReportColumns(score="Score", date="Date", comment="Comment",
                            response_id="Response ID", segments=("Region",))
    counts, run = count_file("answers.parquet", columns, ReportOptions())
    report = report_from_counts(counts, run.columns, ReportOptions(), notes=run.notes)
    print(run.engine, "-", run.reason)

``columns`` name the export's own columns (as :func:`nps_xl.io.read_survey` names them);
``run.columns`` are the roles in the tidy frame's names (``Score``, ``Date``…), which the report
uses. Engines:

* ``"pandas"`` — :func:`nps_xl.io.load_survey` then :func:`nps_xl.report.count_frame`: the
  reference, every row in memory;
* ``"duckdb"`` — DuckDB scans the file and groups by the *raw* values (:mod:`.counting`);
  memory stays bounded whatever the file's size;
* ``"spark"`` — the same SQL on Spark (``pip install 'nps-xl[spark]'``, Java 17), in local
  mode or on a cluster (``spark_master``);
* ``"auto"`` — pandas for small files, DuckDB for big ones (:func:`choose_engine`).

All engines give identical counts, invalid-answer rows and follow-up lists (tested).
DuckDB and Spark are imported only when they run.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from nps_xl import progress
from nps_xl.errors import Message
from nps_xl.optional import EXTRA, installed, require
from nps_xl.report import ReportColumns, ReportCounts, ReportOptions

__all__ = [
    "ENGINES",
    "SMALL_FILE_BYTES",
    "EngineChoice",
    "EngineRun",
    "choose_engine",
    "count_file",
    "memory_bytes",
]

ENGINES = ("auto", "pandas", "duckdb", "spark")
#: Files up to this size are counted by pandas under ``engine="auto"``: about 200,000 answers
#: of a typical CSV export (≈ 75 bytes each). Below it pandas' start is cheaper than an
#: engine's; above it DuckDB is faster and its memory stays flat (README, *Engines*).
SMALL_FILE_BYTES = 15 * 1024 * 1024
#: Spreadsheets hold more bytes per answer than text is compressed: XLSX files up to this
#: size (≈ 200,000 answers) go to pandas.
SMALL_SHEET_BYTES = 8 * 1024 * 1024
#: Parquet is compressed ≈ 6× more than CSV.
SMALL_PARQUET_BYTES = 3 * 1024 * 1024


#: The default memory budget of an engine's count (``--memory``): 1 GB.
MEMORY_BUDGET = 1024**3
_UNITS = {"": 1, "B": 1, "K": 1024, "KB": 1024, "M": 1024**2, "MB": 1024**2,
          "G": 1024**3, "GB": 1024**3, "T": 1024**4, "TB": 1024**4}  # fmt: skip


def memory_bytes(text: str | int | None) -> int:
    """A memory budget as bytes: ``"1GB"``, ``"512MB"``, ``"1.5G"`` or a number of bytes
    (``None``: :data:`MEMORY_BUDGET`). Units are binary (1 GB = 1024³ bytes), as DuckDB's.
    Raises :class:`ValueError` for anything else or less than 64 MB."""
    if text is None:
        return MEMORY_BUDGET
    if isinstance(text, int) and not isinstance(text, bool):
        number, unit = float(text), ""
    else:
        import re

        found = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([A-Za-z]*)\s*", str(text))
        unit = found.group(2).upper() if found else "?"
        if unit.endswith("IB"):  # GiB, MiB: the same binary units
            unit = unit[:-2] + "B"
        if unit not in _UNITS:
            raise ValueError(text)
        number = float(found.group(1))
    size = int(number * _UNITS[unit])
    if size < 64 * 1024**2:
        raise ValueError(text)
    return size


@dataclass(frozen=True)
class EngineChoice:
    """Which engine counts a file, and why (shown to the user)."""

    engine: str
    reason: str


@dataclass(frozen=True)
class EngineRun:
    """What a count did besides counting: the engine and why, the roles in the tidy names
    (pass them to :func:`~nps_xl.report.report_from_counts`), the notes on reading the file
    (encoding, unreadable dates, blank markers…), the seconds it took, and the text encoding
    of a CSV file."""

    engine: str
    reason: str
    columns: ReportColumns
    notes: tuple[str, ...]
    seconds: float
    encoding: str | None = None


#: The libraries each engine imports (none of them is installed in xlwings Lite).
ENGINE_NEEDS = {"pandas": (), "duckdb": ("duckdb", "pyarrow"), "spark": ("pyspark", "pyarrow")}
#: The engines read spreadsheets with fastexcel.
_READER_NEEDS = {"xlsx": ("fastexcel",)}


def choose_engine(path: str | os.PathLike, engine: str = "auto") -> EngineChoice:
    """The engine for ``path``: ``engine`` itself unless it is ``"auto"``, which picks pandas
    for small files and XLS/ODS, DuckDB for big CSV, Parquet and XLSX files."""
    engine = str(engine).strip().lower()
    if engine not in ENGINES:
        raise ValueError(f"Unknown engine {engine!r}; use one of {', '.join(ENGINES)}.")
    if engine != "auto":
        return EngineChoice(engine, f"asked for (engine={engine})")
    from nps_xl.engines.source import file_kind
    from nps_xl.io import SurveyFileError

    try:
        kind = file_kind(path)
        size = Path(path).stat().st_size
    except (OSError, SurveyFileError):  # pandas' reader says what is wrong with the file
        return EngineChoice("pandas", "the file is read by nps_xl.io, which checks it")
    limit = {"csv": SMALL_FILE_BYTES, "parquet": SMALL_PARQUET_BYTES}.get(kind, SMALL_SHEET_BYTES)
    mb = size / 1024**2
    if kind not in ("csv", "parquet", "xlsx"):
        return EngineChoice("pandas", f"{kind.upper()} files are read by pandas")
    if size <= limit:
        return EngineChoice(
            "pandas", f"{kind.upper()} of {mb:.1f} MB: small enough to read in memory"
        )
    missing = [m for m in ENGINE_NEEDS["duckdb"] + _READER_NEEDS.get(kind, ()) if not installed(m)]
    if missing:  # xlwings Lite (Pyodide) or an install without the engines extra
        return EngineChoice(
            "pandas",
            f"{kind.upper()} of {mb:,.0f} MB, read by pandas: {', '.join(missing)} not installed "
            f"(pip install 'nps-xl[{EXTRA}]' counts big files in bounded memory)",
        )
    return EngineChoice(
        "duckdb",
        f"{kind.upper()} of {mb:,.0f} MB (> {limit / 1024**2:.0f} MB): counted by DuckDB "
        "in bounded memory",
    )


def count_file(
    path: str | os.PathLike,
    columns: ReportColumns,
    options: ReportOptions | None = None,
    *,
    engine: str = "auto",
    sheet: str | int | None = None,
    encoding: str | None = None,
    dayfirst: bool | None = None,
    spark_master: str | None = None,
    memory: int | None = None,
    source=None,
) -> tuple[ReportCounts, EngineRun]:
    """Count the answers of the survey file ``path``.

    ``columns`` name the export's columns (score, date, comment, response ID, segments,
    weight); ``sheet``, ``encoding`` and ``dayfirst`` mean what they mean to
    :func:`nps_xl.io.load_survey`. ``engine``: ``"auto"``, ``"pandas"``, ``"duckdb"`` or
    ``"spark"`` (``spark_master``: a cluster's URL; default ``local[*]``). ``memory``: the
    budget in bytes of DuckDB's count (default :data:`MEMORY_BUDGET`, see
    :func:`memory_bytes`); beyond it the file's kept columns spill to a temporary folder.
    ``source``: the file as :func:`nps_xl.engines.source.describe` read it already (the caller
    closes it), so a spreadsheet is not read again after its columns were found on it.

    Returns the counts and an :class:`EngineRun` (engine, reason, tidy roles, notes, time).
    """
    options = options or ReportOptions()
    choice = choose_engine(path, engine)
    start = time.perf_counter()
    if choice.engine == "pandas":
        counts, tidy_columns, notes, used = _count_with_pandas(
            path, columns, options, sheet=sheet, encoding=encoding, dayfirst=dayfirst
        )
    else:
        from nps_xl.engines.source import describe, file_kind

        kind = file_kind(path)
        for module in ENGINE_NEEDS[choice.engine] + _READER_NEEDS.get(kind, ()):
            require(module, Message("task_engine", engine=choice.engine))
        from nps_xl.engines.counting import count_source

        given = source is not None
        if not given:
            progress.phase("reading", os.path.getsize(path))  # fastexcel / a CSV's head
            source = describe(path, sheet=sheet, encoding=encoding)
        progress.phase("counting")  # the engine's own parse and count, one step to us
        try:
            if choice.engine == "duckdb":
                from nps_xl.engines.duck import DuckDBBackend

                backend = DuckDBBackend(source, memory=memory)
            else:
                from nps_xl.engines.spark import SparkBackend

                backend = SparkBackend(source, master=spark_master)
            try:
                counts, counted = count_source(backend, columns, options, dayfirst=dayfirst)
            finally:
                backend.close()
        finally:
            if not given:
                source.close()
        tidy_columns, notes, used = counted.columns, counted.notes, source.encoding
    run = EngineRun(
        engine=choice.engine,
        reason=choice.reason,
        columns=tidy_columns,
        notes=tuple(notes),
        seconds=time.perf_counter() - start,
        encoding=used,
    )
    return counts, run


def _count_with_pandas(
    path: str | os.PathLike,
    columns: ReportColumns,
    options: ReportOptions,
    *,
    sheet: str | int | None,
    encoding: str | None,
    dayfirst: bool | None,
) -> tuple[ReportCounts, ReportColumns, tuple[str, ...], str | None]:
    """The reference: :func:`nps_xl.io.load_survey` (every row in memory), then
    :func:`nps_xl.report.count_frame` on the tidy frame."""
    from nps_xl.io import load_survey
    from nps_xl.report import count_frame

    if isinstance(sheet, int) and not isinstance(sheet, bool):
        sheet = sheet + 1  # load_survey counts sheets from 1
    survey = load_survey(
        path,
        sheet=sheet,
        encoding=encoding,
        score=columns.score,
        date=columns.date,
        comment=columns.comment,
        segments=list(columns.segments),
        response_id=columns.response_id,
        weight=columns.weight,
        dayfirst=dayfirst,
        scale=options.scale,
    )
    tidy_columns = ReportColumns(
        score="Score",
        date="Date" if columns.date else None,
        comment="Comment" if columns.comment else None,
        response_id="Response ID",
        segments=tuple(survey.segments),
        weight="Weight" if columns.weight else None,
    )
    counts, _ = count_frame(survey.frame, tidy_columns, options)
    # which column is what was decided (and told) where the columns were found, as for the
    # other engines
    notes = tuple(n for n in survey.notes if n not in survey.column_notes)
    return counts, tidy_columns, notes, survey.encoding
