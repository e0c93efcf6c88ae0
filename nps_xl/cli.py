"""The ``nps-xl`` command line: ``demo``, ``report``, ``summary`` and ``templates``.

Exit codes: 0 success; 2 bad input (unreadable file, unknown column, existing output without
``--force``…) or an error of the machine (permission denied, a full disk, a file-size limit:
the path and the cause) with a one-line message on stderr and no traceback; 3 an internal
error (a fault of nps-xl: please report it); 130 interrupted. With ``--lang`` the message is
in that language (errors carrying an i18n key, :class:`nps_xl.i18n.LocalizedError`); numbers
and dates follow the language's conventions (:mod:`nps_xl.numbers`).

Each command builds one :class:`~nps_xl.report.Report` of the export (the score column read
once) and shows it: the headline summary, then compact Trend, Segments and Themes tables
(``--brief``: the headline only); ``report`` and ``demo`` write the same Report into the
workbook.

The report is written to a temporary file next to the destination and moved into place with
``os.replace`` (atomic on one file system), so an interrupted run leaves either the previous
report or none — never half a workbook.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from collections.abc import Iterator
from dataclasses import replace
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

# Only what declaring the commands needs is imported here: `nps-xl --help`, `--version` and a
# mistyped option load no pandas, numpy, engine or workbook writer (tests/test_light_start.py).
# Each command imports what its path uses, inside the function.
from nps_xl import files
from nps_xl.excel.addin import addin_app
from nps_xl.i18n import (
    LANGUAGES,
    LocalizedError,
    localized,
    normalize_language,
    text,
)
from nps_xl.io._common import SurveyFileError
from nps_xl.io.streams import staged

if TYPE_CHECKING:
    import pandas as pd
    from rich.console import Console
    from rich.progress import Progress

    from nps_xl.io import Survey
    from nps_xl.report import Report, ReportOptions

app = typer.Typer(
    name="nps-xl",
    help="Net Promoter Score reports from survey exports (CSV, XLSX, Parquet).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
# `nps-xl addin build|install|check`: the ribbon add-in (nps_xl/excel/addin.py)
app.add_typer(addin_app, name="addin")


def _show_version(value: bool) -> None:
    if value:
        from nps_xl import __version__

        typer.echo(f"nps-xl {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
) -> None:
    """Net Promoter Score reports from survey exports (CSV, XLSX, Parquet)."""


_ERR_CONSOLE: list[Console] = []


def err_console() -> Console:
    """The console of stderr, made on first use (rich's console costs ~25 ms to import, which
    ``--version`` need not pay); ``soft_wrap``: an error stays one line."""
    if not _ERR_CONSOLE:
        from rich.console import Console

        _ERR_CONSOLE.append(Console(stderr=True, soft_wrap=True))
    return _ERR_CONSOLE[0]


DEMO_REPORT = "nps_demo_report.xlsx"
#: Environment hook for the interruption test: seconds to sleep after the temporary report is
#: complete and before it replaces the destination.
PAUSE_ENV = "NPS_XL_PAUSE_BEFORE_REPLACE"
#: Set to see the traceback of an internal error instead of its one line.
DEBUG_ENV = "NPS_XL_DEBUG"
MIN_N = 30
CONFIDENCE = 0.95
METHOD = "adjusted-wald"


class Period(str, Enum):
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class Adjust(str, Enum):
    holm = "holm"
    bh = "bh"
    none = "none"


class Invalid(str, Enum):
    skip = "skip"
    error = "error"


class BadInput(LocalizedError, Exception):
    """A problem the user can fix; shown as one line, exit code 2."""


# ----------------------------------------------------------------------------- plumbing


@contextlib.contextmanager
def _user_errors(lang: str | None = None) -> Iterator[None]:
    """Bad input → one line ``nps-xl: error: …`` on stderr (in ``lang`` when the error has an
    i18n key; English otherwise) and exit code 2."""
    try:
        yield
    except (BadInput, SurveyFileError, ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        if isinstance(exc, OSError) and not isinstance(exc, SurveyFileError):
            message = _system_error(exc, lang)
        if isinstance(exc, (LocalizedError, ValueError)):
            message = localized(exc, _lang_or_english(lang), no_valid_key="cli_no_valid_answers")
        err_console().print(
            f"[bold red]nps-xl: error:[/] {_one_line(str(message))}", highlight=False
        )
        raise typer.Exit(code=2) from None


def _system_error(exc: OSError, lang: str | None) -> str:
    """An error of the machine, not of the survey (permission denied, a full disk, a file-size
    limit, a read-only file system, a folder where a file belongs): the path and the cause as
    the system gives it, in one line."""
    cause = exc.strerror or (str(exc.args[0]) if exc.args else type(exc).__name__)
    path = exc.filename if exc.filename is not None else "?"
    return text("cli_os_error", _lang_or_english(lang), path=str(path), cause=cause)


def _os_error_in(exc: BaseException) -> OSError | None:
    """The :class:`OSError` behind ``exc`` (a library's wrapper such as XlsxWriter's
    ``FileCreateError`` carries it as its argument or its cause), or None."""
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, OSError):
            return exc
        inner = next((a for a in exc.args if isinstance(a, OSError)), None)
        if inner is not None:
            return inner
        exc = exc.__cause__ or exc.__context__
    return None


def _lang_or_english(lang: str | None) -> str:
    try:
        return normalize_language(lang)
    except (ValueError, TypeError):
        return "en"


def _one_line(message: str) -> str:
    return " ".join(message.split())


def _lang(lang: str) -> str:
    try:
        return normalize_language(lang)
    except ValueError as exc:
        raise BadInput(str(exc)) from None


def _sample_path() -> Path:
    return Path(__file__).with_name("data") / "sample_survey.csv"


def _load(
    path: Path,
    *,
    sheet: str | None,
    score: str | None,
    date: str | None,
    comment: str | None,
    segment: list[str] | None,
    response_id: str | None,
    customer: str | None,
    weight: str | None,
    dayfirst: bool | None,
    encoding: str | None = None,
    scale: str | None = None,
    since: str | None = None,
    until: str | None = None,
    lang: str = "en",
    drivers: str | list[str] | None = None,
) -> tuple[Survey, int]:
    """Read, detect, tidy (:func:`nps_xl.io.load_survey`); keep each customer's latest valid
    answer when ``customer`` is given; keep the answers dated ``since`` … ``until``.

    Returns the survey (its frame: the answers kept) and how many older answers of the same
    customers were left out.
    """
    from nps_xl.io import load_survey
    from nps_xl.io.options import check_days

    days = check_days(since, until)  # the option values first, before any reading
    survey = load_survey(
        path,
        sheet=sheet,
        encoding=encoding,
        score=score,
        date=date,
        comment=comment,
        segments=segment or None,
        response_id=response_id,
        customer=customer,
        weight=weight,
        dayfirst=dayfirst,
        scale=scale,
        lang=lang,
        drivers=drivers,
    )
    frame = survey.frame
    dropped = 0
    notes = survey.notes
    # the days first, then each customer's latest answer among them
    if since is not None or until is not None:
        if survey.columns.date is None:
            raise BadInput.from_key("cli_filter_needs_date")
        frame, note = _between(frame, days, lang or "en")
        notes = (*notes, note)
    # a detected customer column is carried along; only --customer keeps the latest answers
    if customer is not None:
        from nps_xl.tables import latest_per_customer

        before = len(frame)
        frame = latest_per_customer(frame, "Customer ID", "Date", score="Score", scale=scale)
        dropped = before - len(frame)
    return replace(survey, frame=frame, notes=notes), dropped


def _load_questions(
    path: Path, scores: list[str] | None, **reading: object
) -> list[tuple[Survey, int]]:
    """One survey per NPS question of the export (``--score`` repeated), each read as
    :func:`_load` reads one; the first question's columns (date, segments…) are every
    question's."""
    first = _load(path, score=scores[0] if scores else None, **reading)
    if scores and len(scores) > 1:
        first = (_without_drivers(first[0], scores), first[1])
    others = []
    for score in (scores or [])[1:]:
        more = dict(reading)
        columns = first[0].columns
        segments = [c for c in columns.segments if c not in scores]
        more.update(date=columns.date, comment=columns.comment, segment=segments)
        # the drivers of every question: the first one's, but never the question itself
        more.update(drivers=[d for d in columns.drivers if d != score])
        others.append(_load(path, score=score, **more))
    return [first, *others]


def _raked(survey: Survey, margins: Path, lang: str) -> Survey:
    """``survey`` with its answers raked to the shares of ``margins`` (a file of rows
    ``column,level,share``, read as every export is: any encoding and delimiter the readers
    know; :func:`nps_xl.raking.rake`): the raked weights become its Weight column (raked from
    the ``--weight`` weights when given) and a note says what raking did."""
    from nps_xl.io.readers import read_raw
    from nps_xl.numbers import format_count, format_number
    from nps_xl.raking import RakingError, rake

    table = read_raw(margins).frame
    frame = survey.frame
    try:
        raking = rake(frame, table, weight="Weight" if "Weight" in frame.columns else None)
    except RakingError as exc:
        if exc.key == "rake_column_missing":
            # the answers hold the report's columns: another export column must be a segment
            raise BadInput.from_key("cli_rake_column_missing", **exc.fields) from None
        raise
    columns = list(raking.margins)
    said = text(
        "cli_raked" if raking.converged else "cli_rake_not_converged", lang,
        count=format_count(len(columns), lang), columns=", ".join(columns),
        iterations=format_count(raking.iterations, lang),
        gap=format_number(100 * raking.largest_gap, lang, digits=2),
        deff=format_number(raking.design_effect_of_weights, lang, digits=2),
    )  # fmt: skip
    notes = [said]
    if raking.percent_columns:
        notes.append(text("cli_rake_percent", lang, columns=", ".join(raking.percent_columns)))
    frame = frame.assign(Weight=raking.weights)
    return replace(survey, frame=frame, notes=(*survey.notes, *notes))


def _without_drivers(survey: Survey, scores: list[str]) -> Survey:
    """The survey without the drivers that are its other NPS questions (``--score`` repeated):
    a question is never a driver of another."""
    from nps_xl.io._common import norm

    named = {norm(q) for q in scores}
    keep = [i for i, d in enumerate(survey.columns.drivers) if norm(d) not in named]
    if len(keep) == len(survey.drivers):
        return survey
    gone = [d for i, d in enumerate(survey.drivers) if i not in keep]
    return replace(
        survey,
        frame=survey.frame.drop(columns=gone),
        drivers=tuple(survey.drivers[i] for i in keep),
        columns=replace(survey.columns, drivers=tuple(survey.columns.drivers[i] for i in keep)),
    )


def _between(
    frame: pd.DataFrame,
    days: tuple[pd.Timestamp | None, pd.Timestamp | None],
    lang: str,
) -> tuple:
    """The answers dated ``days`` (since, until: whole days, both included), and a note
    saying how many were kept and how many had no date. None kept: a message with the dates
    the file holds."""
    import pandas as pd

    from nps_xl.numbers import format_date
    from nps_xl.terminal import span_label

    first, last = days
    dates = pd.to_datetime(frame["Date"])
    keep = dates.notna()
    if first is not None:
        keep &= dates >= first
    if last is not None:
        end = last + pd.Timedelta(days=1) if last == last.normalize() else last
        keep &= dates < end
    span = span_label(first, last, lang)
    note = text(
        "cli_filtered", lang, kept=int(keep.sum()), total=len(frame), span=span,
        undated=int(dates.isna().sum()),
    )  # fmt: skip
    if not keep.any():
        if dates.notna().any():
            raise BadInput.from_key(
                "cli_filter_empty",
                span=span,
                first=format_date(dates.min(), lang),
                last=format_date(dates.max(), lang),
                count=int(dates.notna().sum()),
            )
        raise BadInput.from_key("cli_filter_no_dates", span=span)
    return frame[keep.to_numpy()], note


def _report(
    frame: pd.DataFrame,
    survey: Survey,
    *,
    lang: str,
    period: str = "month",
    target: float | None = None,
    industry: str = "global",
    follow_up_limit: int | None = None,
    scale: str | None = None,
    adjust: str = "holm",
    population: float | None = None,
) -> Report:
    """The one Report of the tidy ``frame``, every figure the terminal and the workbook show
    (weighted when ``frame`` has a Weight column)."""
    from nps_xl.report import ReportColumns, build_report

    options = _options(
        lang=lang,
        period=period,
        target=target,
        industry=industry,
        follow_up_limit=follow_up_limit,
        scale=scale,
        adjust=adjust,
        population=population,
    )
    roles = ReportColumns(
        score="Score",
        date="Date" if survey.columns.date else None,
        comment="Comment" if survey.columns.comment else None,
        response_id="Response ID",
        segments=survey.segments,
        weight="Weight" if "Weight" in frame.columns else None,
        drivers=tuple(d for d in survey.drivers if d in frame.columns),
    )
    return build_report(frame, roles, options, notes=survey.notes)


def _options(
    *,
    lang: str,
    period: str = "month",
    target: float | None = None,
    industry: str = "global",
    follow_up_limit: int | None = None,
    scale: str | None = None,
    adjust: str = "holm",
    population: float | None = None,
) -> ReportOptions:
    from nps_xl.report import ReportOptions

    return ReportOptions(
        adjust=adjust,
        population=population,
        scale=scale or "0-10",
        period=period,
        target=target,
        industry=industry,
        lang=lang,
        follow_up_limit=follow_up_limit,
        confidence=CONFIDENCE,
        method=METHOD,
        min_n=MIN_N,
    )


def _reports(
    path: Path,
    scores: list[str] | None,
    *,
    engine: str,
    spark_master: str | None,
    options: dict,
    memory: str | None = None,
    embed: bool = False,
    rake: Path | None = None,
    **reading: object,
) -> tuple[list[tuple[Survey, int]], list[Report], str]:
    """Every question's survey and Report, and the engine that counted them.

    pandas reads the whole export (:func:`_load_questions`). An engine (DuckDB, Spark) counts
    the file where it lies (:func:`nps_xl.engines.count_file`); its columns are found on the
    first answers (:func:`nps_xl.engines.sample.sample_survey`). ``--customer``, ``--since``
    and ``--until`` need every answer in memory, so they are read by pandas; so does ``auto``
    for a workbook that embeds the answers (``embed``), and ``--rake`` (``rake``: the margins
    file; :func:`_raked`), which weights every answer.
    """
    from nps_xl.engines import choose_engine, memory_bytes

    try:
        budget = memory_bytes(memory)
    except ValueError:
        raise BadInput.from_key("cli_memory_invalid", value=str(memory)) from None
    needs_rows = any(reading.get(k) for k in ("customer", "since", "until"))
    in_memory = needs_rows or embed or rake is not None
    choice = choose_engine(path, "pandas" if in_memory and engine == "auto" else engine)
    if choice.engine == "pandas":
        questions = _load_questions(path, scores, **reading)
        if rake is not None:
            lang = str(options.get("lang", "en"))
            questions = [(_raked(q, rake, lang), dropped) for q, dropped in questions]
        reports = [_report(q.frame, q, **options) for q, _ in questions]
        return questions, reports, choice.engine
    if rake is not None:
        raise BadInput.from_key("cli_rake_needs_pandas", engine=choice.engine)
    if needs_rows:
        raise BadInput.from_key("cli_engine_needs_rows", engine=choice.engine)
    from nps_xl import progress
    from nps_xl.engines.source import describe

    # read once: the columns are found on its first answers, then every question is counted
    progress.phase("reading", path.stat().st_size if path.exists() else None)
    source = describe(path, sheet=reading["sheet"], encoding=reading["encoding"])
    try:
        return _engine_reports(path, scores, source, choice.engine, engine=engine,
                               spark_master=spark_master, options=options, budget=budget,
                               reading=reading)  # fmt: skip
    finally:
        source.close()


def _engine_reports(
    path: Path,
    scores: list[str] | None,
    source,
    chosen: str,
    *,
    engine: str,
    spark_master: str | None,
    options: dict,
    budget: int,
    reading: dict,
) -> tuple[list[tuple[Survey, int]], list[Report], str]:
    """:func:`_reports` on an engine: the columns found on the first answers of ``source``
    (:func:`nps_xl.engines.sample.sample_survey`), every question counted by the engine."""
    from nps_xl.engines import count_file
    from nps_xl.engines.sample import sample_survey, segments_of_the_whole_file
    from nps_xl.report import ReportColumns, drivers_engine_note, report_from_counts

    sampling = dict(
        source=source,
        sheet=reading["sheet"],
        encoding=reading["encoding"],
        response_id=reading["response_id"],
        weight=reading["weight"],
        dayfirst=reading["dayfirst"],
        scale=reading["scale"],
        lang=reading.get("lang", "en"),
    )
    first = sample_survey(
        path,
        score=scores[0] if scores else None,
        date=reading["date"],
        comment=reading["comment"],
        segments=reading["segment"],
        drivers=reading.get("drivers"),
        **sampling,
    )
    c = first.columns
    # every further question named as the file names it (the same rule as for the first)
    names = [c.score] + [
        sample_survey(path, score=q, date=c.date, comment=c.comment, **sampling).columns.score
        for q in (scores or [])[1:]
    ]
    opts = _options(**options)
    questions, reports = [], []
    for score in names:
        roles = ReportColumns(
            score=score,
            date=c.date,
            comment=c.comment,
            response_id=c.response_id,
            segments=tuple(s for s in c.segments if s not in names),
            weight=c.weight,
        )
        counts, run = count_file(
            path,
            roles,
            opts,
            engine=engine,  # "auto" again: the run then says why it picked this engine
            sheet=reading["sheet"],
            encoding=reading["encoding"],
            dayfirst=reading["dayfirst"],
            spark_master=spark_master,
            memory=budget,
            source=source,
        )
        said = text("cli_engine", opts.lang, engine=run.engine, reason=run.reason)
        found, whole = run.columns, ()
        if not reading["segment"]:  # detected on the first answers: judged on every row now
            counts, found, whole = segments_of_the_whole_file(counts, found, opts.lang)
        # key drivers need the rows: an engine only counts (README, Key drivers)
        no_drivers = drivers_engine_note(first.drivers, run.engine, opts.lang)
        told = (said, *run.notes, *whole, *([no_drivers] if no_drivers else []))
        reports.append(report_from_counts(counts, found, opts, notes=told))
        left_out = set(run.columns.segments) - set(found.segments)
        shown = replace(c, score=score, segments=tuple(s for s in c.segments if s not in left_out))
        survey = replace(first, columns=shown, encoding=run.encoding)
        questions.append((survey, 0))
    return questions, reports, chosen


def _check_answers(report: Report, invalid: str = "skip") -> None:
    """Stop when the score column has no valid answer, or (``--invalid error``) at the first
    invalid one, naming its file row."""
    from nps_xl.terminal import show_value

    h = report.headline
    if invalid == "error" and h.invalid:
        first = report.invalid.iloc[0]
        value, row = show_value(first["value"]), str(int(first["row"]))
        scale = str(report.options.scale)
        key = "cli_invalid_score_line" if report.unit == "line" else "cli_invalid_score"
        raise BadInput.from_key(key, value=value, row=row, scale=scale, count=h.invalid)
    if h.n == 0:
        raise BadInput.from_key(
            "cli_no_valid", column=report.columns.score, blank=h.blank, invalid=h.invalid
        )


def _industry_id(industry: str) -> str:
    """The benchmark industry id of ``industry`` (any language); a clear error if unknown."""
    from nps_xl import benchmarks

    try:
        return benchmarks.resolve_industry(industry)
    except ValueError:
        known = ", ".join(benchmarks.industries())
        raise BadInput(
            f"No benchmark figures for the industry {industry!r}. Known industries: {known}."
        ).localize("cli_unknown_industry", industry=industry, choices=known) from None


def _write_tables(
    reports: list[Report],
    questions: list,
    folder: Path,
    *,
    force: bool,
    inputs: tuple[Path, ...],
    raw: bool = False,
) -> None:
    """The tables as CSV in ``folder``; with several questions, one subfolder each
    (``2-Product NPS``). The rules of ``-o`` for every file: never the input, an existing
    file only with ``--force`` (all checked before the first is written), each written
    atomically."""
    from nps_xl.export import tables_of, write_tables

    folders = [folder]
    if len(reports) > 1:
        folders = []
        for i, (survey, _) in enumerate(questions, start=1):
            name = "".join(
                ch if ch.isalnum() or ch in " -_" else "_" for ch in survey.columns.score
            )
            folders.append(folder / f"{i}-{name.strip()[:60]}")
    for where, report in zip(folders, reports, strict=True):
        if where.exists() and not where.is_dir():
            raise BadInput.from_key("cli_tables_not_folder", folder=str(where))
        for name in tables_of(report):
            _check_destination(where / name, force, inputs)
    for where, report in zip(folders, reports, strict=True):
        where.mkdir(parents=True, exist_ok=True)
        files.remove_leftovers(where)
        write_tables(
            report,
            where,
            raw=raw,
            place=lambda path, write: _write_atomically(path, write, replace=force),
        )


def _more(more: list) -> dict:
    """The writer's ``more=`` argument, given only when there are further questions (a writer
    a test puts in place needs to know nothing of them)."""
    return {"more": more} if more else {}


# --- the tables under the summary ---------------------------------------------------------------


# --- writing the workbook ----------------------------------------------------------------------


def _writer():
    """The workbook writer (a seam the tests replace with a slow or failing one)."""
    from nps_xl.workbook.xlsx import write_report

    return write_report


def _write_call(writer, path: Path, frame: pd.DataFrame, report: Report, **options) -> None:
    """Write ``report`` of the tidy ``frame`` (canonical column names) through ``writer``, its
    temporary files in a folder of this run's own."""
    with files.private_temp_folder() as tmpdir:
        writer(path, frame, report=report, tmpdir=tmpdir, **options)


def _write_atomically(out: Path, write, *, replace: bool) -> None:
    """Write through a temporary file beside ``out`` and put it in place in one step
    (:mod:`nps_xl.files`); without ``replace`` an existing file is never replaced."""
    pause = float(os.environ.get(PAUSE_ENV) or 0)
    try:
        files.write_atomically(out, write, replace=replace, pause=pause)
    except files.OutputExists:
        raise BadInput.from_key("cli_exists", path=str(out)) from None


def _check_destination(out: Path, force: bool, inputs: tuple[Path, ...] = ()) -> Path:
    """The one rule for every file the CLI writes (:func:`nps_xl.files.check_destination`):
    never an input (by identity: a hard or symbolic link to it counts), never a folder, an
    existing file only with ``--force``."""
    try:
        return files.check_destination(out, force=force, inputs=inputs)
    except files.SameAsInput:
        raise BadInput.from_key("cli_same_as_input", name=str(out)) from None
    except files.NotAFile:
        raise BadInput.from_key("cli_is_folder", path=str(out)) from None
    except files.OutputExists:
        raise BadInput.from_key("cli_exists", path=str(out)) from None


def _check_output(out: Path, force: bool, inputs: tuple[Path, ...] = ()) -> Path:
    if out.suffix.lower() != ".xlsx":
        raise BadInput(
            f"The report is an Excel workbook: name it {out.stem}.xlsx, not {out.name}."
        ).localize("cli_not_xlsx", name=out.name)
    _check_destination(out, force, inputs)
    if not out.parent.exists():
        raise BadInput.from_key("cli_no_folder", folder=str(out.parent))
    files.remove_leftovers(out.parent)  # what runs killed outright left behind
    return out


@contextlib.contextmanager
def _progress(quiet: bool, labels: dict[str, str]) -> Iterator[None]:
    """A rich display of the phase under way (:mod:`nps_xl.progress`: reading, counting,
    writing; ``labels`` says each in the user's words) on stderr, never on stdout: only when
    stderr is a terminal and not ``quiet``. Otherwise nothing listens, and nothing is drawn or
    imported."""
    from nps_xl.progress import reporting

    if quiet or not err_console().is_terminal:
        with reporting(None):
            yield
        return
    # imported here: rich.progress costs ~10 ms, which only a run on a terminal pays
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        Progress,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    bar = Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        console=err_console(),
        transient=True,
    )
    with bar, reporting(_PhaseDisplay(bar, labels)):
        yield


class _PhaseDisplay:
    """:class:`nps_xl.progress.Listener` on a rich ``Progress``: one line per phase, the
    finished ones ticked off."""

    def __init__(self, bar: Progress, labels: dict[str, str]) -> None:
        self.bar, self.labels, self.task = bar, labels, None

    def phase(self, name: str, total: int | None = None) -> None:
        self._finish()
        label = self.labels.get(name, name)
        self.task = self.bar.add_task(label, total=total)
        self.bar.refresh()  # drawn now, however short the phase

    def advance(self, done: int) -> None:
        if self.task is not None:
            self.bar.update(self.task, completed=done)

    def _finish(self) -> None:
        if self.task is not None:
            task = self.bar.tasks[-1]
            if task.total is None:
                self.bar.update(self.task, total=1, completed=1)
            else:
                self.bar.update(self.task, completed=task.total)


def _phase_labels(lang: str, input: str, out: str | None = None) -> dict[str, str]:
    labels = {
        "reading": text("cli_reading", lang, name=input),
        "counting": text("cli_counting", lang, name=input),
    }
    if out is not None:
        labels["writing"] = text("cli_writing", lang, name=out)
    return labels


# ----------------------------------------------------------------------------- commands

LangOpt = Annotated[
    str, typer.Option("--lang", "-l", help=f"Language of words and sheets: {', '.join(LANGUAGES)}.")
]
ScoreOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--score",
        help="Column with the answers (default: detected). Repeat it for several NPS questions "
        "of one export (relationship, product, eNPS): one summary and one Dashboard each.",
    ),
]
DateOpt = Annotated[str | None, typer.Option("--date", help="Column with the answer date.")]
CommentOpt = Annotated[str | None, typer.Option("--comment", help="Column with the comment.")]
SegmentOpt = Annotated[
    list[str] | None,
    typer.Option("--segment", help="Column to break NPS down by (repeatable)."),
]
IdOpt = Annotated[str | None, typer.Option("--response-id", help="Column with the response id.")]
CustomerOpt = Annotated[
    str | None,
    typer.Option("--customer", help="Customer id column: keep each customer's latest answer."),
]
WeightOpt = Annotated[str | None, typer.Option("--weight", help="Column with answer weights.")]
RakeOpt = Annotated[
    Path | None,
    typer.Option(
        "--rake",
        help="Rake the weights to known shares: a CSV file with the columns column,level,share "
        "(one row per level; shares of a column sum to 1 or 100). Raked from --weight when given.",
    ),
]
DriversOpt = Annotated[
    str | None,
    typer.Option(
        "--drivers",
        help='Rating columns to rank as key drivers, comma-separated ("Product,Support"); '
        "'none' for no Key drivers table (default: the other 0–10 or 1–5 rating questions).",
    ),
]
TargetOpt = Annotated[float | None, typer.Option("--target", help="Target NPS (−100…100).")]
IndustryOpt = Annotated[
    str, typer.Option("--industry", help="Benchmark industry (e.g. global, technology).")
]
SheetOpt = Annotated[
    str | None,
    typer.Option(
        "--sheet", help="Worksheet name or number (default: the one sheet with a score column)."
    ),
]
BriefOpt = Annotated[
    bool,
    typer.Option("--brief", help="Print the headline summary only (no Trend, Segments, Themes)."),
]
InvalidOpt = Annotated[
    Invalid,
    typer.Option(
        "--invalid",
        help="Answers that are not 0–10 scores: 'skip' (default; listed with their rows) or "
        "'error' (stop at the first one).",
    ),
]
EncodingOpt = Annotated[
    str | None,
    typer.Option(
        "--encoding",
        help="Text encoding of a CSV export (default: detected), e.g. utf-8, gb18030, big5, "
        "windows-1251, windows-1257.",
    ),
]
SinceOpt = Annotated[
    str | None,
    typer.Option("--since", help="Only answers dated on or after this day (2025-01-01)."),
]
UntilOpt = Annotated[
    str | None,
    typer.Option("--until", help="Only answers dated on or before this day (2025-03-31)."),
]
TablesOpt = Annotated[
    Path | None,
    typer.Option(
        "--tables",
        help="Also write Trend, Segments, Themes, Follow-up and Invalid answers as CSV files "
        "into this folder.",
    ),
]
RawCsvOpt = Annotated[
    bool,
    typer.Option(
        "--raw-csv",
        help="Write --tables text cells as they are (by default a cell beginning with = + - @ "
        "gets an apostrophe, so a spreadsheet does not run it as a formula).",
    ),
]
EngineOpt = Annotated[
    str,
    typer.Option(
        "--engine",
        help="What counts the answers: auto (default: pandas for small files, DuckDB for big "
        "CSV, Parquet and XLSX files), pandas, duckdb, or spark.",
    ),
]
SparkMasterOpt = Annotated[
    str | None,
    typer.Option("--spark-master", help="With --engine spark: the cluster's URL (default: local)."),
]
MemoryOpt = Annotated[
    str | None,
    typer.Option(
        "--memory",
        help="Memory budget of a DuckDB count, such as 512MB or 4GB (default 1GB); beyond it "
        "the answers spill to a temporary folder.",
    ),
]
ScaleOpt = Annotated[
    str | None,
    typer.Option(
        "--scale",
        help="The answer scale: 0-10 (default), 1-5, 0-4, or four breaks 'lowest,last "
        "detractor,last passive,highest' such as 1,6,8,10.",
    ),
]
QuietOpt = Annotated[
    bool,
    typer.Option(
        "--quiet",
        "-q",
        help="Show no progress on stderr (it is shown only when stderr is a terminal).",
    ),
]
AdjustOpt = Annotated[
    Adjust,
    typer.Option(
        "--adjust",
        help="Correction of the Segments and Trend tests for multiple comparisons: holm "
        "(default; family-wise error), bh (Benjamini–Hochberg; false discovery rate) or none.",
    ),
]
PopulationOpt = Annotated[
    float | None,
    typer.Option(
        "--population",
        min=1,
        help="How many people the survey was drawn from (e.g. 300 accounts): the NPS interval "
        "gets the finite population correction 1 − n/N. Leave out for a large population.",
    ),
]
DayFirstOpt = Annotated[
    bool | None,
    typer.Option(
        "--dayfirst/--monthfirst", help="Read dates like 03/04/2025 as day/month or month/day."
    ),
]


@app.command()
def demo(
    lang: LangOpt = "en",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Where to write the demo report.")
    ] = Path(DEMO_REPORT),
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing file.")] = False,
    brief: BriefOpt = False,
    adjust: AdjustOpt = Adjust.holm,
    rake: RakeOpt = None,
    drivers: DriversOpt = None,
) -> None:
    """Summarise the bundled sample survey and write its report workbook."""
    from nps_xl.report import FOLLOW_UP_LIMIT
    from nps_xl.terminal import console, print_summary, print_tables

    with _user_errors(lang):
        lang = _lang(lang)
        sample = _sample_path()
        survey, _ = _load(
            sample,
            sheet=None,
            score=None,
            date=None,
            comment=None,
            segment=None,
            response_id=None,
            customer=None,
            weight=None,
            dayfirst=None,
            lang=lang,
            drivers=drivers,
        )
        if rake is not None:
            survey = _raked(survey, rake, lang)
        frame = survey.frame
        report = _report(
            frame, survey, lang=lang, follow_up_limit=FOLLOW_UP_LIMIT, adjust=adjust.value
        )
        _check_answers(report)
        print_summary(report, survey.columns, sample.name)
        if not brief:
            print_tables(report)
        writer = _writer()
        # the demo may replace its own report; any other existing file needs --force
        _check_output(out, force or out.name == DEMO_REPORT)
        _write_atomically(
            out,
            lambda tmp: _write_call(writer, tmp, frame, report, embed_answers=True),
            replace=force or out.name == DEMO_REPORT,
        )
        console.print(text("cli_written", lang, path=str(out)), highlight=False)


@app.command()
def report(
    input: Annotated[
        Path, typer.Argument(help="Survey export: CSV, XLSX, XLS, ODS, Parquet; - for stdin.")
    ],
    out: Annotated[Path, typer.Option("--out", "-o", help="The report workbook (.xlsx).")],
    score: ScoreOpt = None,
    date: DateOpt = None,
    comment: CommentOpt = None,
    segment: SegmentOpt = None,
    response_id: IdOpt = None,
    customer: CustomerOpt = None,
    weight: WeightOpt = None,
    rake: RakeOpt = None,
    period: Annotated[Period, typer.Option("--period", help="Trend period.")] = Period.month,
    scale: ScaleOpt = None,
    encoding: EncodingOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tables: TablesOpt = None,
    engine: EngineOpt = "auto",
    spark_master: SparkMasterOpt = None,
    memory: MemoryOpt = None,
    target: TargetOpt = None,
    industry: IndustryOpt = "global",
    lang: LangOpt = "en",
    sheet: SheetOpt = None,
    dayfirst: DayFirstOpt = None,
    embed_answers: Annotated[
        bool,
        typer.Option(
            "--embed-answers/--aggregates-only",
            help="Include every answer in a Responses table (default) or only the results.",
        ),
    ] = True,
    follow_up_limit: Annotated[
        int,
        typer.Option(
            "--follow-up-limit",
            min=0,
            help="List the newest N detractors on the Follow-up sheet (0: all of them).",
        ),
    ] = 5000,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite an existing report and tables.")
    ] = False,
    raw_csv: RawCsvOpt = False,
    invalid: InvalidOpt = Invalid.skip,
    brief: BriefOpt = False,
    quiet: QuietOpt = False,
    adjust: AdjustOpt = Adjust.holm,
    population: PopulationOpt = None,
    drivers: DriversOpt = None,
) -> None:
    """Write the NPS report workbook of a survey export and print its summary."""
    from nps_xl import progress
    from nps_xl.terminal import console, print_question, print_tables

    with _user_errors(lang):
        lang = _lang(lang)
        industry = _industry_id(industry)
        margins = (rake,) if rake is not None else ()  # an input too: never written over
        _check_output(out, force, (input, *margins))
        writer = _writer()
        labels = _phase_labels(lang, input.name, out.name)
        with staged(input) as input, _progress(quiet, labels):
            options = dict(
                lang=lang,
                period=period.value,
                target=target,
                industry=industry,
                follow_up_limit=follow_up_limit or None,
                scale=scale,
                adjust=adjust.value,
                population=population,
            )
            questions, reports, counted_by = _reports(
                input,
                score,
                engine=engine,
                spark_master=spark_master,
                options=options,
                memory=memory,
                embed=embed_answers,
                rake=rake,
                sheet=sheet,
                date=date,
                comment=comment,
                segment=segment,
                response_id=response_id,
                customer=customer,
                weight=weight,
                dayfirst=dayfirst,
                encoding=encoding,
                scale=scale,
                since=since,
                until=until,
                lang=lang,
                drivers=drivers,
            )
            for r in reports:
                _check_answers(r, invalid.value)
            if tables is not None:
                _write_tables(
                    reports, questions, tables, force=force, inputs=(input, *margins), raw=raw_csv
                )
            # with a Weight column the workbook is weighted too: its Responses table holds
            # the weights and the Dashboard's formulas sum them (the terminal's figures)
            frame = questions[0][0].frame
            if counted_by != "pandas":
                # counted where the file lies: the answers are not in memory to embed, and the
                # Dashboard holds values, so a weighted report stays weighted
                frame, books = None, reports
                if embed_answers:
                    embed_answers = False
                    said = text("cli_engine_aggregates", lang, engine=counted_by)
                    console.print(f"[yellow]{text('cli_note', lang)}:[/] {said}", highlight=False)
            else:
                books = reports
            more = [
                (q.columns.score, b) for (q, _), b in zip(questions[1:], books[1:], strict=True)
            ]
            progress.phase("writing")
            _write_atomically(
                out,
                lambda tmp: _write_call(
                    writer, tmp, frame, books[0], embed_answers=embed_answers, **_more(more)
                ),
                replace=force,
            )
        for (survey, dropped), report in zip(questions, reports, strict=True):
            print_question(report, survey, input.name, dropped, several=len(reports) > 1)
            if not brief:
                print_tables(report)
        console.print(text("cli_written", lang, path=str(out)), highlight=False)


@app.command()
def summary(
    input: Annotated[
        Path, typer.Argument(help="Survey export: CSV, XLSX, XLS, ODS, Parquet; - for stdin.")
    ],
    score: ScoreOpt = None,
    date: DateOpt = None,
    comment: CommentOpt = None,
    segment: SegmentOpt = None,
    response_id: IdOpt = None,
    customer: CustomerOpt = None,
    weight: WeightOpt = None,
    rake: RakeOpt = None,
    target: TargetOpt = None,
    industry: IndustryOpt = "global",
    lang: LangOpt = "en",
    sheet: SheetOpt = None,
    dayfirst: DayFirstOpt = None,
    period: Annotated[Period, typer.Option("--period", help="Trend period.")] = Period.month,
    scale: ScaleOpt = None,
    encoding: EncodingOpt = None,
    since: SinceOpt = None,
    until: UntilOpt = None,
    tables: TablesOpt = None,
    engine: EngineOpt = "auto",
    spark_master: SparkMasterOpt = None,
    memory: MemoryOpt = None,
    as_json: Annotated[
        bool,
        typer.Option("--json", help="Print every figure as one JSON document (for scripts)."),
    ] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite existing --tables files.")
    ] = False,
    raw_csv: RawCsvOpt = False,
    invalid: InvalidOpt = Invalid.skip,
    brief: BriefOpt = False,
    quiet: QuietOpt = False,
    adjust: AdjustOpt = Adjust.holm,
    population: PopulationOpt = None,
    drivers: DriversOpt = None,
) -> None:
    """Print the NPS summary of a survey export (no workbook)."""
    from nps_xl.export import report_json
    from nps_xl.terminal import print_question, print_tables

    with _user_errors(lang):
        lang = _lang(lang)
        industry = _industry_id(industry)
        options = dict(
            lang=lang,
            period=period.value,
            target=target,
            industry=industry,
            scale=scale,
            adjust=adjust.value,
            population=population,
        )
        margins = (rake,) if rake is not None else ()  # an input too: never written over
        with staged(input) as input, _progress(quiet, _phase_labels(lang, input.name)):
            questions, reports, _ = _reports(
                input,
                score,
                engine=engine,
                spark_master=spark_master,
                options=options,
                memory=memory,
                rake=rake,
                sheet=sheet,
                date=date,
                comment=comment,
                segment=segment,
                response_id=response_id,
                customer=customer,
                weight=weight,
                dayfirst=dayfirst,
                encoding=encoding,
                scale=scale,
                since=since,
                until=until,
                lang=lang,
                drivers=drivers,
            )
            for r in reports:
                _check_answers(r, invalid.value)
            if tables is not None:
                _write_tables(
                    reports, questions, tables, force=force, inputs=(input, *margins), raw=raw_csv
                )
            if as_json:
                documents = [
                    {"file": input.name, "question": q.columns.score, "encoding": q.encoding,
                     **_columns_json(q), **report_json(r)}
                    for (q, _), r in zip(questions, reports, strict=True)
                ]  # fmt: skip
                document = documents[0] if len(documents) == 1 else {"questions": documents}
                sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
                return
            for (survey, dropped), report in zip(questions, reports, strict=True):
                print_question(report, survey, input.name, dropped, several=len(reports) > 1)
                if not brief:
                    print_tables(report)


def _columns_json(survey: Survey) -> dict:
    """Which column was read as what, the other date columns (``--date`` picks one) and the
    customers who answered more than once (``--customer`` keeps each one's latest answer)."""
    c = survey.columns
    repeats = survey.repeats
    return {
        "columns": {
            "score": c.score,
            "date": c.date,
            "comment": c.comment,
            "response_id": c.response_id,
            "customer": c.customer,
            "weight": c.weight,
            "segments": list(c.segments),
            "drivers": list(c.drivers),
        },
        "other_date_columns": list(survey.other_dates),
        "repeat_customers": None
        if repeats is None
        else {"customers": repeats.customers, "answers": repeats.answers},
    }


@app.command()
def compare(
    first: Annotated[Path, typer.Argument(help="A survey export.")],
    second: Annotated[
        Path | None,
        typer.Argument(help="Another export (leave out to compare two periods of the first)."),
    ] = None,
    first_since: Annotated[
        str | None, typer.Option("--first-since", help="First group: answers from this day.")
    ] = None,
    first_until: Annotated[
        str | None, typer.Option("--first-until", help="First group: answers until this day.")
    ] = None,
    second_since: Annotated[
        str | None, typer.Option("--second-since", help="Second group: answers from this day.")
    ] = None,
    second_until: Annotated[
        str | None, typer.Option("--second-until", help="Second group: answers until this day.")
    ] = None,
    score: ScoreOpt = None,
    date: DateOpt = None,
    sheet: SheetOpt = None,
    dayfirst: DayFirstOpt = None,
    scale: ScaleOpt = None,
    encoding: EncodingOpt = None,
    lang: LangOpt = "en",
    weight: WeightOpt = None,
    population: PopulationOpt = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print the comparison as one JSON document.")
    ] = False,
) -> None:
    """Compare the NPS of two exports, or of two periods of one export: both NPS, the
    difference (second − first) with its interval, the p-value and whether it is significant.

    ``--weight``: the weight column of both files (design-based variance of each side, as R
    ``survey::svymean``); ``--population``: the N both groups were drawn from (each side's
    variance times its 1 − n/N)."""
    from rich.table import Table

    from nps_xl.export import plain, report_json
    from nps_xl.io.options import check_days
    from nps_xl.numbers import format_count, format_number
    from nps_xl.stats import compare as compare_counts
    from nps_xl.terminal import console, signed, span_labels

    with _user_errors(lang):
        lang = _lang(lang)
        periods = (first_since, first_until, second_since, second_until)
        if second is None and not any(periods):
            raise BadInput.from_key("cli_compare_needs")
        # one --score per file, in file order (each file's own header); one for both otherwise
        paths = [first, second or first]
        if score and len(score) > (2 if second is not None else 1):
            raise BadInput.from_key("cli_compare_one_score")
        scores = list(score or [None])
        scores = scores if len(scores) == 2 else scores * 2
        reading = dict(
            sheet=sheet,
            date=date,
            comment=None,
            segment=None,
            response_id=None,
            customer=None,
            weight=weight,
            dayfirst=dayfirst,
            encoding=encoding,
            scale=scale,
        )
        sides = [(first_since, first_until), (second_since, second_until)]
        days = [  # every option value before any reading
            check_days(s, u, since_flag=f"--{side}-since", until_flag=f"--{side}-until")
            for side, (s, u) in zip(("first", "second"), sides, strict=True)
        ]
        groups = []
        with contextlib.ExitStack() as stack:
            # a pipe or standard input is read once, also when both groups come from it
            staged_paths = {p: stack.enter_context(staged(p)) for p in dict.fromkeys(paths)}
            for path, column, (since, until) in zip(paths, scores, sides, strict=True):
                survey, _ = _load(
                    staged_paths[path], **reading, score=column, since=since, until=until,
                    lang=lang,
                )  # fmt: skip
                report = _report(
                    survey.frame, survey, lang=lang, scale=scale, population=population
                )
                _check_answers(report)
                groups.append((staged_paths[path].name, report))
        spans = span_labels(days, lang)
        if second is None:  # two periods of one file: the periods name the sides
            groups = [(span, r) for span, (_, r) in zip(spans, groups, strict=True)]
        else:
            names = [p.name for p in paths]
            if names[0] == names[1] and paths[0].resolve() != paths[1].resolve():
                # wave1/answers.csv and wave2/answers.csv
                names = [f"{p.parent.name}/{p.name}" for p in paths]
            dated = any(any(side) for side in sides)  # then both sides say which days
            groups = [
                (f"{name}, {span}" if dated else name, r)
                for name, span, (_, r) in zip(names, spans, groups, strict=True)
            ]
        (label_a, a), (label_b, b) = groups
        # second − first: a later period's or the other export's change, as the trend's
        cmp = compare_counts(
            b.headline.counts,
            a.headline.counts,
            confidence=CONFIDENCE,
            method=METHOD,
            population=population,
        )
        if as_json:
            document = {
                "first": {"label": label_a, **report_json(a)["headline"]},
                "second": {"label": label_b, **report_json(b)["headline"]},
                "difference": plain(cmp.difference),
                "low": plain(cmp.low),
                "high": plain(cmp.high),
                "p_value": plain(cmp.p_value),
                "significant": bool(cmp.significant),
                "confidence": CONFIDENCE,
                "method": METHOD,
                "design": cmp.design,
                "population": population,
            }
            sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2) + "\n")
            return
        confidence = text("percent_format", lang, value=f"{100 * CONFIDENCE:g}")
        table = Table(title=text("cli_compare_title", lang), title_justify="left")
        table.add_column("")
        for header in (text("n", lang), "NPS", text("cli_interval", lang, confidence=confidence)):
            table.add_column(header, justify="right")
        for label, r in groups:
            h = r.headline
            table.add_row(
                label,
                format_count(h.n, lang),
                signed(h.nps, lang=lang),
                f"{signed(h.low, lang=lang)} … {signed(h.high, lang=lang)}",
            )
        console.print(table)
        verdict = "cli_significant" if cmp.significant else "cli_not_significant"
        console.print(
            text(
                "cli_difference",
                lang,
                difference=signed(cmp.difference, lang=lang),
                low=signed(cmp.low, lang=lang),
                high=signed(cmp.high, lang=lang),
                confidence=confidence,
                p=format_number(cmp.p_value, lang, digits=4),
                verdict=text(verdict, lang, confidence=confidence),
            ),
            highlight=False,
        )


@app.command()
def templates(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the template workbooks.")
    ] = Path("workbook_templates"),
) -> None:
    """Regenerate the template workbooks (every language) in workbook_templates/, the xlwings
    Lite workbooks (nps_lite.xlsx) included."""
    from nps_xl.terminal import console

    with _user_errors():
        from nps_xl.excel.lite import write_lite_templates
        from nps_xl.workbook.xlsx import write_templates

        out.mkdir(parents=True, exist_ok=True)
        written = write_templates(out) + write_lite_templates(out)
        for path in written or []:
            console.print(text("cli_template_written", "en", path=str(path)), highlight=False)


@app.command()
def workbooks(
    folder: Annotated[Path, typer.Argument(help="Where to copy them (created if missing).")] = Path(
        "nps_workbooks"
    ),
    force: Annotated[bool, typer.Option("--force", help="Overwrite files already there.")] = False,
) -> None:
    """Copy the workbooks this installation ships into FOLDER: the templates and the xlwings
    Lite workbooks in every language, and the ribbon add-in nps_xl.xlam."""
    from nps_xl import shipped
    from nps_xl.terminal import console

    with _user_errors():
        try:
            copied = shipped.copy_workbooks(folder, force=force)
        except FileExistsError as exc:
            raise BadInput.from_key("cli_exists", path=str(exc.args[0])) from None
        console.print(
            text("cli_workbooks_copied", "en", count=len(copied), folder=str(folder)),
            highlight=False,
        )


def _argv_lang(argv: list[str] | None) -> str:
    """The ``--lang`` of a command line typer could not parse (its message is told in it)."""
    args = list(sys.argv[1:] if argv is None else argv)
    for i, arg in enumerate(args):
        if arg in ("--lang", "-l") and i + 1 < len(args):
            return _lang_or_english(args[i + 1])
        if arg.startswith("--lang="):
            return _lang_or_english(arg.split("=", 1)[1])
    return "en"


#: What a value check of the command line found, by the kind of error the validation library
#: reports (pydantic's error types, which typer uses to convert option values).
_VALUE_PROBLEMS = {
    "greater_than_equal": "cli_option_at_least",
    "greater_than": "cli_option_above",
    "less_than_equal": "cli_option_at_most",
    "less_than": "cli_option_below",
    "int_parsing": "cli_option_whole",
    "int_from_float": "cli_option_whole",
    "int_type": "cli_option_whole",
    "float_parsing": "cli_option_number",
    "float_type": "cli_option_number",
    "bool_parsing": "cli_option_flag",
}


def _usage_message(exc: Exception, lang: str) -> str:
    """A usage error in the tool's voice: a bad option value is named with the option, the
    value and what is accepted, never in the words of the library that checked it
    ("Input should be greater than or equal to 0", "Value error, …")."""
    param = getattr(exc, "param", None)
    cause = exc.__cause__ or exc.__context__
    errors = getattr(cause, "errors", None)
    if param is None or not callable(errors):
        if param is not None and isinstance(cause, ValueError):  # an enum's own check
            return _choice_message(param, cause, lang, getattr(exc, "value", None))
        return exc.format_message()
    try:
        first = errors()[0]
    except Exception:
        return exc.format_message()
    option = (getattr(param, "opts", None) or [str(getattr(param, "name", ""))])[0]
    value = first.get("input")
    limit = next(iter((first.get("ctx") or {}).values()), "")
    key = _VALUE_PROBLEMS.get(str(first.get("type")))
    if key is not None:
        return text(key, lang, option=option, value=value, limit=limit)
    inner = (first.get("ctx") or {}).get("error")
    if isinstance(inner, ValueError):
        return _choice_message(param, inner, lang, value)
    return text("cli_option_invalid", lang, option=option, value=value)


def _choice_message(param: object, error: ValueError, lang: str, value: object = None) -> str:
    option = (getattr(param, "opts", None) or [str(getattr(param, "name", ""))])[0]
    choices = getattr(getattr(param, "type_descriptor", None), "choices", None)
    if choices:
        choices = [getattr(c, "value", c) for c in choices]  # an Enum's members: their values
        return text(
            "cli_option_choice", lang, option=option, value=value,
            choices=", ".join(map(str, choices)),
        )  # fmt: skip
    return text("cli_option_invalid", lang, option=option, value=value)


#: Warnings of the libraries underneath (numpy's floating-point RuntimeWarning, pandas'
#: ParserWarning and DtypeWarning): what they are about is checked and said in the command's
#: own words (weights rescaled, mixed columns re-read), so their text, which names a source
#: line of ours, never reaches the terminal (shown with NPS_XL_DEBUG=1). Named, not imported:
#: pandas is loaded only by the commands that read with it.
LIBRARY_WARNINGS = (
    ("builtins", "RuntimeWarning"),
    ("pandas.errors", "ParserWarning"),
    ("pandas.errors", "DtypeWarning"),
)


def _is_library_warning(category: type) -> bool:
    return any((c.__module__, c.__qualname__) in LIBRARY_WARNINGS for c in category.__mro__)


@contextlib.contextmanager
def _library_warnings_kept_off_screen() -> Iterator[None]:
    import warnings

    with warnings.catch_warnings():
        if not os.environ.get(DEBUG_ENV):
            warnings.simplefilter("ignore", RuntimeWarning)
            shown = warnings.showwarning

            def show(message, category, *args, **kwargs):  # the pandas ones, by name
                if not _is_library_warning(category):
                    shown(message, category, *args, **kwargs)

            warnings.showwarning = show
        yield


def main(argv: list[str] | None = None) -> int:
    """The ``nps-xl`` command: :data:`app`, with the command line's own mistakes (an unknown
    option, ``--period fortnight``, a missing argument) told in the same one line as every
    other error, exit code 2."""
    try:
        with _library_warnings_kept_off_screen():
            result = app(args=argv, prog_name="nps-xl", standalone_mode=False)
    except typer.Exit as done:
        return done.exit_code
    except typer.Abort:
        err_console().print("nps-xl: stopped.", highlight=False)
        return 130
    except typer.TyperException as exc:  # typer's usage errors (its own copy of click's)
        message = _one_line(_usage_message(exc, _argv_lang(argv)))
        if not message:  # "nps-xl" alone: the help was shown
            return getattr(exc, "exit_code", 2)
        ctx = getattr(exc, "ctx", None)
        where = ""
        if ctx is not None:
            where = " " + text("cli_see_help", _argv_lang(argv), command=ctx.command_path)
        err_console().print(f"[bold red]nps-xl: error:[/] {message}{where}", highlight=False)
        return 2
    except Exception as exc:  # a fault of ours: still one line, never a traceback on screen
        if os.environ.get(DEBUG_ENV):
            raise
        system = _os_error_in(exc)
        if system is not None:  # the machine's, not ours: the same line as any OSError
            err_console().print(
                f"[bold red]nps-xl: error:[/] {_one_line(_system_error(system, None))}",
                highlight=False,
            )
            return 2
        err_console().print(
            f"[bold red]nps-xl: error:[/] internal error ({type(exc).__name__}: "
            f"{_one_line(str(exc))[:200]}); please report it with the command you ran "
            f"(set {DEBUG_ENV}=1 for the details)",
            highlight=False,
        )
        return 3
    return result if isinstance(result, int) else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
