"""The ``nps-xl`` command line: ``demo``, ``report``, ``summary`` and ``templates``.

Exit codes: 0 success; 2 bad input (unreadable file, unknown column, existing output without
``--force``…) with a one-line message on stderr and no traceback. With ``--lang`` the message is
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
import math
import os
import sys
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from nps_xl import files
from nps_xl.excel.addin import addin_app
from nps_xl.i18n import (
    CATALOGUE,
    LANGUAGES,
    LocalizedError,
    localized,
    normalize_language,
    text,
)
from nps_xl.io import Columns, SurveyFileError, detect_columns, read_survey, tidy
from nps_xl.numbers import MISSING, format_count, format_date, format_number, format_percent
from nps_xl.report import FOLLOW_UP_LIMIT, Report, ReportColumns, ReportOptions, build_report

if TYPE_CHECKING:
    from rich.progress import Progress

app = typer.Typer(
    name="nps-xl",
    help="Net Promoter Score reports from survey exports (CSV, XLSX, Parquet).",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
# `nps-xl addin build|install`: the ribbon add-in (nps_xl/excel/addin.py)
app.add_typer(addin_app, name="addin")

console = Console()
err_console = Console(stderr=True)

DEMO_REPORT = "nps_demo_report.xlsx"
#: Environment hook for the interruption test: seconds to sleep after the temporary report is
#: complete and before it replaces the destination.
PAUSE_ENV = "NPS_XL_PAUSE_BEFORE_REPLACE"
INVALID_SHOWN = 10
#: Rows of the compact tables under the summary.
TREND_ROWS = 12
THEME_ROWS = 5
MIN_N = 30
CONFIDENCE = 0.95
METHOD = "adjusted-wald"


class Period(str, Enum):
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


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
            message = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        if isinstance(exc, (LocalizedError, ValueError)):
            message = localized(exc, _lang_or_english(lang), no_valid_key="cli_no_valid_answers")
        err_console.print(f"[bold red]nps-xl: error:[/] {_one_line(str(message))}", highlight=False)
        raise typer.Exit(code=2) from None


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
) -> tuple[pd.DataFrame, Columns, int]:
    """Read, detect, tidy; keep each customer's latest answer when ``customer`` is given.

    Returns the tidy frame, the detected columns and how many older answers were left out.
    """
    sheet_arg: str | int | None = sheet
    if sheet is not None and sheet.isdigit():
        sheet_arg = int(sheet) - 1
    raw = read_survey(path, sheet=sheet_arg)
    columns = detect_columns(
        raw,
        score=score,
        date=date,
        comment=comment,
        segments=segment or None,
        response_id=response_id,
        customer=customer,
        weight=weight,
    )
    # a detected customer column is carried along; only --customer keeps the latest answers
    frame = tidy(raw, columns, dayfirst=dayfirst)
    dropped = 0
    if customer is not None:
        from nps_xl.tables import latest_per_customer

        before = len(frame)
        try:
            frame = latest_per_customer(frame, "Customer ID", "Date", score="Score")
        except ValueError as exc:
            raise BadInput(
                f"{exc} (row numbers here count data rows; --customer needs a date per answer)"
            ) from None
        dropped = before - len(frame)
    return frame, columns, dropped


def _report(
    frame: pd.DataFrame,
    columns: Columns,
    *,
    lang: str,
    period: str = "month",
    target: float | None = None,
    industry: str = "global",
    follow_up_limit: int | None = None,
    weighted: bool = True,
) -> Report:
    """The one Report of the tidy ``frame``, every figure the terminal and the workbook show.

    ``weighted=False`` leaves a Weight column out (the workbook's Dashboard formulas count
    answers, so its report is the unweighted one; see ``report``).
    """
    options = ReportOptions(
        period=period,
        target=target,
        industry=industry,
        lang=lang,
        follow_up_limit=follow_up_limit,
        confidence=CONFIDENCE,
        method=METHOD,
        min_n=MIN_N,
    )
    roles = ReportColumns(
        score="Score",
        date="Date" if columns.date else None,
        comment="Comment" if columns.comment else None,
        response_id="Response ID",
        segments=tuple(frame.attrs.get("segments", columns.segments)),
        weight="Weight" if weighted and "Weight" in frame.columns else None,
    )
    return build_report(frame, roles, options, notes=frame.attrs.get("notes", ()))


def _check_answers(report: Report, invalid: str = "skip") -> None:
    """Stop when the score column has no valid answer, or (``--invalid error``) at the first
    invalid one, naming its file row."""
    h = report.headline
    if invalid == "error" and h.invalid:
        first = report.invalid.iloc[0]
        value, row = _show(first["value"]), str(int(first["row"]))
        scale = str(report.options.scale)
        raise BadInput(
            f"{value} in row {row} is not a score on the {scale} scale "
            f"({h.invalid} invalid in total). Fix the file, or pass --invalid skip to "
            "leave invalid answers out."
        ).localize("cli_invalid_score", value=value, row=row, scale=scale, count=h.invalid)
    if h.n == 0:
        raise BadInput.from_key(
            "cli_no_valid", column=report.columns.score, blank=h.blank, invalid=h.invalid
        )


def _invalid_lines(report: Report) -> tuple[int, list[str]]:
    """Invalid answers as "'N/A' in row 17" (file rows), the first ten of them."""
    table = report.invalid.head(INVALID_SHOWN)
    shown = [
        text("cli_value_in_row", report.lang, value=_show(v), row=int(r))
        for r, v in zip(table["row"], table["value"], strict=True)
    ]
    return report.headline.invalid, shown


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


def _industry_name(industry: str, lang: str) -> str:
    key = f"industry_{industry}"
    return text(key, lang) if key in CATALOGUE else industry


def _show(value: object) -> str:
    if isinstance(value, str):
        value = value if len(value) <= 40 else value[:39] + "…"
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _signed(x: float | None, digits: int = 1, lang: str = "en") -> str:
    """NPS points with a sign, in the language's number format: +34.6, −2,4 (lt)."""
    return format_number(x, lang, digits=digits, sign=True)


def _role(role: str, lang: str) -> str:
    """The name of a column role (score, date, …) in the language of the summary."""
    key = {"customer": "cli_role_customer", "weight": "cli_role_weight"}.get(role, role)
    return text(key, lang) if key in CATALOGUE else role


def _date_range(frame: pd.DataFrame, lang: str) -> str:
    dates = frame["Date"] if "Date" in frame.columns else pd.Series(dtype="datetime64[ns]")
    dates = pd.to_datetime(dates, errors="coerce").dropna()
    if dates.empty:
        return ""
    return f"{format_date(dates.min(), lang)} … {format_date(dates.max(), lang)}"


def _print_summary(
    report: Report, frame: pd.DataFrame, columns: Columns, source_name: str, dropped: int = 0
) -> dict:
    s = report.summary
    lang, industry = report.lang, report.options.industry
    title = f"{text('cli_summary_title', lang)} — {source_name}"
    table = Table(title=title, title_justify="left")
    table.add_column(text("category", lang))
    table.add_column(text("count", lang), justify="right")
    table.add_column(text("share", lang), justify="right")
    weighted = "weighted_n" in s

    def fmt(v: float) -> str:
        return format_number(v, lang, digits=1) if weighted else format_count(int(v), lang)

    for key, share, style in (
        ("promoters", "promoter_share", "green"),
        ("passives", "passive_share", "yellow"),
        ("detractors", "detractor_share", "red"),
    ):
        table.add_row(f"[{style}]{text(key, lang)}[/]", fmt(s[key]), _pct(s[share], lang))
    table.add_row(text("total_valid", lang), format_count(s["n"], lang), "", end_section=True)
    console.print(table)
    dates = _date_range(frame, lang)
    if dates:
        console.print(f"{text('date', lang)}: {dates}", highlight=False)

    nps_value = s["nps"]
    line = f"[bold]NPS {_signed(nps_value, lang=lang)}[/]"
    if not math.isnan(s.get("low", math.nan)):
        confidence = text("percent_format", lang, value=f"{100 * CONFIDENCE:g}")
        line += (
            f"  ({text('cli_interval', lang, confidence=confidence)} "
            f"{_signed(s['low'], lang=lang)} … {_signed(s['high'], lang=lang)}, "
            f"± {format_number(s['margin_of_error'], lang)}, "
            f"{text('method_' + METHOD.replace('-', '_'), lang)})"
        )
    if s.get("band"):
        line += f"  [bold]{s['band']}[/]"
    console.print(line, highlight=False)
    if weighted:
        console.print(
            text(
                "cli_weighted_n",
                lang,
                n=format_number(s["weighted_n"], lang),
                effective=format_number(s["effective_n"], lang),
            ),
            highlight=False,
        )
    if not math.isnan(nps_value):
        _print_benchmark(nps_value, industry, lang)
    if s.get("gap_to_target") is not None:
        console.print(
            f"{text('target', lang)} {_signed(s['target'], 0, lang)}: "
            f"{text('gap_to_target', lang)} {_signed(s['gap_to_target'], lang=lang)}",
            highlight=False,
        )
    console.print(f"{text('blank', lang)}: {format_count(s['blank'], lang)}", highlight=False)
    n_invalid, shown = _invalid_lines(report)
    if n_invalid:
        more = n_invalid - len(shown)
        left_out = text("cli_left_out", lang, count=format_count(n_invalid, lang))
        console.print(
            f"[yellow]{text('invalid', lang)}: {left_out}[/] — "
            + ", ".join(shown)
            + (
                " " + text("cli_and_more", lang, count=format_count(more, lang)) if more > 0 else ""
            ),
            highlight=False,
        )
    if dropped:
        console.print(
            text("cli_latest_per_customer", lang, count=format_count(dropped, lang)),
            highlight=False,
        )
    for note in report.notes:
        console.print(f"[yellow]{text('cli_note', lang)}:[/] {note}", highlight=False)
    used = ", ".join(f"{_role(role, lang)} ← {name!r}" for role, name in columns.describe())
    console.print(f"[dim]{text('cli_columns', lang)}: {used}[/]", highlight=False)
    return s


def _pct(x: float | None, lang: str = "en") -> str:
    return format_percent(x, lang)


def _print_benchmark(nps_value: float, industry: str, lang: str) -> None:
    from nps_xl.benchmarks import benchmark

    table = benchmark(nps_value, industry=industry, lang=lang)
    if table.empty:
        return
    head = table.iloc[0]
    average = table[table["statistic"] == text("benchmark_average", lang)]
    row = average.iloc[0] if len(average) else head
    source = str(row["source"]).split(",")[0]
    console.print(
        f"{text('benchmark_average', lang)} ({_industry_name(industry, lang)}, {source} "
        f"{row['year']}): {_signed(float(row['value']), 0, lang)} → {text('your_gap', lang)} "
        f"{_signed(float(row['your_gap']), lang=lang)}, {row['verdict']}",
        highlight=False,
    )


# --- the tables under the summary ---------------------------------------------------------------


def _period_name(row: pd.Series, period: str, lang: str) -> str:
    """A period in the reader's words: "May 2025", "2025年第2季度"; weeks stay ISO "2025-W19"."""
    start = row.get("start")
    if start is None or pd.isna(start):
        return str(row["period"])
    if period == "month":
        month = text(f"month_{start.month}", lang)
        return text("month_label", lang, month=month, year=start.year)
    if period == "quarter":
        return text("quarter_label", lang, q=(start.month - 1) // 3 + 1, year=start.year)
    return str(row["period"])


def _flag(value: object, mark: str) -> str:
    return (
        mark if value is True or (value is not None and not pd.isna(value) and bool(value)) else ""
    )


def _print_tables(report: Report) -> None:
    """The compact Trend, Segments and Themes tables, localized headers and numbers."""
    lang, period = report.lang, report.options.period

    def t(key: str, **fields: object) -> str:
        return text(key, lang, **fields)

    nps_header, n_header = t("nps"), t("n")
    interval_header = f"{t('low')}–{t('high')}"
    shown_any = False
    trend = report.trend
    if trend is not None and len(trend):
        last = trend.tail(TREND_ROWS)
        table = Table(
            title=t("cli_trend_title", shown=len(last), total=len(trend)), title_justify="left"
        )
        table.add_column(t("period"))
        for header in (n_header, nps_header, interval_header, t("change")):
            table.add_column(header, justify="right")
        for _, row in last.iterrows():
            table.add_row(
                _period_name(row, period, lang),
                format_count(row["n"], lang) + _flag(row["small_sample"], " !"),
                _signed(row["nps"], lang=lang),
                _interval(row, lang),
                _signed(row["change"], lang=lang) + _flag(row["significant"], " *"),
            )
        console.print(table)
        shown_any = True
    segments = report.segments
    if segments is not None and len(segments):
        table = Table(title=t("cli_segments_title"), title_justify="left")
        table.add_column(t("segment"))
        table.add_column(t("group"))
        for header in (n_header, nps_header, t("difference_from_rest"), t("impact")):
            table.add_column(header, justify="right")
        for name, block in segments.groupby("segment", sort=False):
            block = block.sort_values("impact", ascending=False, na_position="last")
            for i, (_, row) in enumerate(block.iterrows()):
                group = row["group"]
                table.add_row(
                    str(name) if i == 0 else "",
                    t("blank") if group is None or pd.isna(group) else str(group),
                    format_count(row["n"], lang) + _flag(row["small_sample"], " !"),
                    _signed(row["nps"], lang=lang),
                    _signed(row["difference_from_rest"], lang=lang)
                    + _flag(row["significant"], " *"),
                    _signed(row["impact"], lang=lang),
                    end_section=i == len(block) - 1,
                )
        console.print(table)
        shown_any = True
    themes = report.themes
    if themes is not None and len(themes):
        top = themes.sort_values("mentions", ascending=False, kind="stable").head(THEME_ROWS)
        table = Table(title=t("cli_themes_title", count=len(top)), title_justify="left")
        table.add_column(t("theme"))
        for header in (t("mentions"), nps_header, t("impact")):
            table.add_column(header, justify="right")
        for _, row in top.iterrows():
            key = f"theme_{row['theme']}"
            table.add_row(
                t(key) if key in CATALOGUE else str(row["theme"]),
                format_count(row["mentions"], lang) + _flag(row.get("small_sample", False), " !"),
                _signed(row["nps"], lang=lang),
                _signed(row["impact"], lang=lang),
            )
        console.print(table)
        shown_any = True
    if shown_any:
        confidence = text("percent_format", lang, value=f"{100 * CONFIDENCE:g}")
        console.print(
            f"[dim]{t('cli_table_legend', confidence=confidence, min_n=MIN_N)}[/]",
            highlight=False,
        )


def _interval(row: pd.Series, lang: str) -> str:
    if pd.isna(row["low"]) or pd.isna(row["high"]):
        return MISSING
    return f"{_signed(row['low'], lang=lang)} … {_signed(row['high'], lang=lang)}"


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


def _check_output(out: Path, force: bool, inputs: tuple[Path, ...] = ()) -> Path:
    if out.suffix.lower() != ".xlsx":
        raise BadInput(
            f"The report is an Excel workbook: name it {out.stem}.xlsx, not {out.name}."
        ).localize("cli_not_xlsx", name=out.name)
    for source in inputs:
        if source.exists() and out.exists() and out.resolve() == source.resolve():
            raise BadInput.from_key("cli_same_as_input", name=out.name)
    if out.exists() and not force:
        raise BadInput.from_key("cli_exists", path=str(out))
    if not out.parent.exists():
        raise BadInput.from_key("cli_no_folder", folder=str(out.parent))
    files.remove_leftovers(out.parent)  # what runs killed outright left behind
    return out


def _progress() -> Progress:
    # imported here: only a report run shows progress, and rich.progress costs ~10 ms to import
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
        disable=not err_console.is_terminal,
    )


# ----------------------------------------------------------------------------- commands

LangOpt = Annotated[
    str, typer.Option("--lang", "-l", help=f"Language of words and sheets: {', '.join(LANGUAGES)}.")
]
ScoreOpt = Annotated[
    str | None, typer.Option("--score", help="Column with the 0–10 answers (default: detected).")
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
TargetOpt = Annotated[float | None, typer.Option("--target", help="Target NPS (−100…100).")]
IndustryOpt = Annotated[
    str, typer.Option("--industry", help="Benchmark industry (e.g. global, technology).")
]
SheetOpt = Annotated[
    str | None, typer.Option("--sheet", help="Worksheet name or number (default: the first).")
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
) -> None:
    """Summarise the bundled sample survey and write its report workbook."""
    with _user_errors(lang):
        lang = _lang(lang)
        sample = _sample_path()
        frame, columns, _ = _load(
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
        )
        report = _report(frame, columns, lang=lang, follow_up_limit=FOLLOW_UP_LIMIT)
        _check_answers(report)
        _print_summary(report, frame, columns, sample.name)
        if not brief:
            _print_tables(report)
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
    input: Annotated[Path, typer.Argument(help="Survey export: CSV, XLSX, XLS, ODS or Parquet.")],
    out: Annotated[Path, typer.Option("--out", "-o", help="The report workbook (.xlsx).")],
    score: ScoreOpt = None,
    date: DateOpt = None,
    comment: CommentOpt = None,
    segment: SegmentOpt = None,
    response_id: IdOpt = None,
    customer: CustomerOpt = None,
    weight: WeightOpt = None,
    period: Annotated[Period, typer.Option("--period", help="Trend period.")] = Period.month,
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
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing report.")] = False,
    invalid: InvalidOpt = Invalid.skip,
    brief: BriefOpt = False,
) -> None:
    """Write the NPS report workbook of a survey export and print its summary."""
    with _user_errors(lang):
        lang = _lang(lang)
        industry = _industry_id(industry)
        _check_output(out, force, (input,))
        writer = _writer()
        with _progress() as progress:
            task = progress.add_task(text("cli_reading", lang, name=input.name), total=3)
            frame, columns, dropped = _load(
                input,
                sheet=sheet,
                score=score,
                date=date,
                comment=comment,
                segment=segment,
                response_id=response_id,
                customer=customer,
                weight=weight,
                dayfirst=dayfirst,
            )
            options = dict(
                lang=lang,
                period=period.value,
                target=target,
                industry=industry,
                follow_up_limit=follow_up_limit or None,
            )
            report = _report(frame, columns, **options)
            _check_answers(report, invalid.value)
            # the workbook's Dashboard formulas count answers: with a Weight column its
            # figures are those of the unweighted report (and the summary says so)
            book = report if not report.weighted else _report(frame, columns, **options,
                                                                 weighted=False)  # fmt: skip
            progress.update(task, advance=1, description=text("cli_writing", lang, name=out.name))
            _write_atomically(
                out,
                lambda tmp: _write_call(writer, tmp, frame, book, embed_answers=embed_answers),
                replace=force,
            )
            progress.update(task, advance=2)
        _print_summary(report, frame, columns, input.name, dropped)
        if report.weighted:
            console.print(
                f"[yellow]{text('cli_note', lang)}:[/] {text('cli_workbook_unweighted', lang)}",
                highlight=False,
            )
        if not brief:
            _print_tables(report)
        console.print(text("cli_written", lang, path=str(out)), highlight=False)


@app.command()
def summary(
    input: Annotated[Path, typer.Argument(help="Survey export: CSV, XLSX, XLS, ODS or Parquet.")],
    score: ScoreOpt = None,
    date: DateOpt = None,
    comment: CommentOpt = None,
    segment: SegmentOpt = None,
    response_id: IdOpt = None,
    customer: CustomerOpt = None,
    weight: WeightOpt = None,
    target: TargetOpt = None,
    industry: IndustryOpt = "global",
    lang: LangOpt = "en",
    sheet: SheetOpt = None,
    dayfirst: DayFirstOpt = None,
    period: Annotated[Period, typer.Option("--period", help="Trend period.")] = Period.month,
    invalid: InvalidOpt = Invalid.skip,
    brief: BriefOpt = False,
) -> None:
    """Print the NPS summary of a survey export (no workbook)."""
    with _user_errors(lang):
        lang = _lang(lang)
        industry = _industry_id(industry)
        frame, columns, dropped = _load(
            input,
            sheet=sheet,
            score=score,
            date=date,
            comment=comment,
            segment=segment,
            response_id=response_id,
            customer=customer,
            weight=weight,
            dayfirst=dayfirst,
        )
        report = _report(
            frame, columns, lang=lang, period=period.value, target=target, industry=industry
        )
        _check_answers(report, invalid.value)
        _print_summary(report, frame, columns, input.name, dropped)
        if not brief:
            _print_tables(report)


@app.command()
def templates(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the template workbooks.")
    ] = Path("workbook_templates"),
) -> None:
    """Regenerate the template workbooks (every language) in workbook_templates/."""
    with _user_errors():
        from nps_xl.workbook.xlsx import write_templates

        out.mkdir(parents=True, exist_ok=True)
        written = write_templates(out)
        for path in written or []:
            console.print(text("cli_template_written", "en", path=str(path)), highlight=False)


def main() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
