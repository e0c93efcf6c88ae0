"""The ``nps-xl`` command line: ``demo``, ``report``, ``summary`` and ``templates``.

Exit codes: 0 success; 2 bad input (unreadable file, unknown column, existing output without
``--force``…) with a one-line message on stderr and no traceback.

The report is written to a temporary file next to the destination and moved into place with
``os.replace`` (atomic on one file system), so an interrupted run leaves either the previous
report or none — never half a workbook.
"""

from __future__ import annotations

import contextlib
import inspect
import math
import os
import sys
import time
import warnings
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from nps_xl.excel.addin import addin_app
from nps_xl.i18n import LANGUAGES, normalize_language, text
from nps_xl.io import Columns, SurveyFileError, detect_columns, read_survey, tidy
from nps_xl.scores import parse_scores

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


class Period(str, Enum):
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"


class BadInput(Exception):
    """A problem the user can fix; shown as one line, exit code 2."""


# ----------------------------------------------------------------------------- plumbing


@contextlib.contextmanager
def _user_errors() -> Iterator[None]:
    try:
        yield
    except (BadInput, SurveyFileError, ValueError, KeyError, OSError) as exc:
        message = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        if isinstance(exc, OSError) and not isinstance(exc, SurveyFileError):
            message = f"{exc.strerror or exc}: {exc.filename or ''}".rstrip(": ")
        err_console.print(f"[bold red]nps-xl: error:[/] {_one_line(str(message))}", highlight=False)
        raise typer.Exit(code=2) from None


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
            frame = latest_per_customer(frame, "Customer ID", "Date")
        except ValueError as exc:
            raise BadInput(
                f"{exc} (row numbers here count data rows; --customer needs a date per answer)"
            ) from None
        dropped = before - len(frame)
    return frame, columns, dropped


def _summary(frame: pd.DataFrame, *, target, industry: str, lang: str) -> dict:
    from nps_xl.tables import summary

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # invalid answers are listed by _invalid_lines
        return summary(
            frame,
            score="Score",
            weight="Weight" if "Weight" in frame.columns else None,
            target=target,
            industry=industry,
            lang=lang,
        )


def _invalid_lines(frame: pd.DataFrame, lang: str = "en") -> tuple[int, list[str]]:
    """Invalid answers as "'N/A' in row 17" (file rows), the first ten of them."""
    parsed = parse_scores(frame["Score"], invalid="skip")
    rows = frame.index.to_numpy()[parsed.invalid_positions[:INVALID_SHOWN]]
    shown = [
        text("cli_value_in_row", lang, value=_show(v), row=int(r))
        for r, v in zip(rows, parsed.invalid_values[:INVALID_SHOWN], strict=False)
    ]
    return parsed.invalid, shown


def _show(value: object) -> str:
    if isinstance(value, str):
        value = value if len(value) <= 40 else value[:39] + "…"
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _signed(x: float, digits: int = 1) -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "–"
    return f"{x:+.{digits}f}"


def _print_summary(
    frame: pd.DataFrame,
    columns: Columns,
    source_name: str,
    *,
    target: float | None,
    industry: str,
    lang: str,
    dropped: int = 0,
    notes: list[str] | None = None,
) -> dict:
    s = _summary(frame, target=target, industry=industry, lang=lang)
    table = Table(title=f"{text('cli_summary_title', lang)} — {source_name}", title_justify="left")
    table.add_column(text("category", lang))
    table.add_column(text("count", lang), justify="right")
    table.add_column(text("share", lang), justify="right")
    weighted = "weighted_n" in s
    fmt = (lambda v: f"{v:,.1f}") if weighted else (lambda v: f"{int(v):,}")
    for key, share, style in (
        ("promoters", "promoter_share", "green"),
        ("passives", "passive_share", "yellow"),
        ("detractors", "detractor_share", "red"),
    ):
        table.add_row(f"[{style}]{text(key, lang)}[/]", fmt(s[key]), _pct(s[share]))
    table.add_row(text("total_valid", lang), f"{s['n']:,}", "", end_section=True)
    console.print(table)

    nps_value = s["nps"]
    line = f"[bold]NPS {_signed(nps_value)}[/]"
    if not math.isnan(s.get("low", math.nan)):
        line += (
            f"  ({text('cli_interval', lang, confidence='95%')} "
            f"{_signed(s['low'])} … {_signed(s['high'])}, "
            f"± {s['margin_of_error']:.1f}, adjusted Wald)"
        )
    if s.get("band"):
        line += f"  [bold]{s['band']}[/]"
    console.print(line, highlight=False)
    if weighted:
        console.print(
            text(
                "cli_weighted_n",
                lang,
                n=f"{s['weighted_n']:,.1f}",
                effective=f"{s['effective_n']:,.1f}",
            ),
            highlight=False,
        )
    if not math.isnan(nps_value):
        _print_benchmark(nps_value, industry, lang)
    if s.get("gap_to_target") is not None:
        console.print(
            f"{text('target', lang)} {_signed(s['target'], 0)}: "
            f"{text('gap_to_target', lang)} {_signed(s['gap_to_target'])}",
            highlight=False,
        )
    console.print(f"{text('blank', lang)}: {s['blank']:,}", highlight=False)
    n_invalid, shown = _invalid_lines(frame, lang)
    if n_invalid:
        more = n_invalid - len(shown)
        left_out = text("cli_left_out", lang, count=f"{n_invalid:,}")
        console.print(
            f"[yellow]{text('invalid', lang)}: {left_out}[/] — "
            + ", ".join(shown)
            + (" " + text("cli_and_more", lang, count=f"{more:,}") if more > 0 else ""),
            highlight=False,
        )
    if dropped:
        console.print(text("cli_latest_per_customer", lang, count=f"{dropped:,}"), highlight=False)
    for note in notes or []:
        console.print(f"[yellow]{text('cli_note', lang)}:[/] {note}", highlight=False)
    used = ", ".join(f"{role} ← {name!r}" for role, name in columns.describe())
    console.print(f"[dim]{text('cli_columns', lang)}: {used}[/]", highlight=False)
    return s


def _pct(x: float) -> str:
    return "–" if x is None or math.isnan(x) else f"{100 * x:.1f}%"


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
        f"{text('benchmark_average', lang)} ({industry}, {source} {row['year']}): "
        f"{_signed(float(row['value']), 0)} → {text('your_gap', lang)} "
        f"{_signed(float(row['your_gap']))}, {row['verdict']}",
        highlight=False,
    )


# --- writing the workbook ----------------------------------------------------------------------


def _writer():
    """The workbook writer, or None while it is not part of this installation."""
    try:
        from nps_xl.workbook import xlsx
    except ImportError:
        return None
    return getattr(xlsx, "write_report", None)


def _write_call(writer, path: Path, frame: pd.DataFrame, columns: Columns, **options) -> None:
    """Call ``write_report`` with the arguments its signature accepts.

    The tidy frame has the canonical columns, so the column arguments are the canonical names.
    """
    params = inspect.signature(writer).parameters
    accepts_any = any(p.kind is inspect.Parameter.VAR_KEYWORD for p in params.values())
    segments = tuple(frame.attrs.get("segments", columns.segments))
    offered = {
        "score": "Score",
        "date": "Date",
        "comment": "Comment",
        "response_id": "Response ID",
        "segments": segments,
        "customer": "Customer ID" if "Customer ID" in frame.columns else None,
        "weight": "Weight" if "Weight" in frame.columns else None,
        **options,
    }
    kwargs = {k: v for k, v in offered.items() if accepts_any or k in params}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer(path, frame, **kwargs)
    # the writer's remarks (e.g. answers without a date) join the summary's notes
    notes = frame.attrs.setdefault("notes", [])
    for w in caught:
        message = _one_line(str(w.message))
        if message not in notes:
            notes.append(message)


def _temporary_path(out: Path) -> Path:
    return out.with_name(f".{out.stem}.{os.getpid()}.tmp{out.suffix}")


def _write_atomically(out: Path, write) -> None:
    """Write through a temporary file in the same folder, then ``os.replace`` it into place."""
    tmp = _temporary_path(out)
    try:
        write(tmp)
        if not tmp.exists() or tmp.stat().st_size == 0:
            raise BadInput(f"The workbook writer produced no file for {out.name}.")
        pause = os.environ.get(PAUSE_ENV)
        if pause:
            time.sleep(float(pause))
        os.replace(tmp, out)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def _check_output(out: Path, force: bool, inputs: tuple[Path, ...] = ()) -> Path:
    if out.suffix.lower() != ".xlsx":
        raise BadInput(f"The report is an Excel workbook: name it …​.xlsx, not {out.name}.")
    for source in inputs:
        if source.exists() and out.exists() and out.resolve() == source.resolve():
            raise BadInput(f"{out.name} is the input file; choose another name for the report.")
    if out.exists() and not force:
        raise BadInput(text("cli_exists", "en", path=str(out)))
    if not out.parent.exists():
        raise BadInput(f"The folder {out.parent} does not exist; create it first.")
    return out


def _progress() -> Progress:
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
) -> None:
    """Summarise the bundled sample survey and write its report workbook."""
    with _user_errors():
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
        _print_summary(
            frame,
            columns,
            sample.name,
            target=None,
            industry="global",
            lang=lang,
            notes=frame.attrs.get("notes"),
        )
        writer = _writer()
        if writer is None:
            console.print("[dim]The report workbook writer is not installed; summary only.[/]")
            return
        # the demo may replace its own report; any other existing file needs --force
        _check_output(out, force or out.name == DEMO_REPORT)
        _write_atomically(
            out,
            lambda tmp: _write_call(
                writer,
                tmp,
                frame,
                columns,
                lang=lang,
                period="month",
                target=None,
                industry="global",
                embed_answers=True,
            ),
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
    force: Annotated[bool, typer.Option("--force", help="Overwrite an existing report.")] = False,
) -> None:
    """Write the NPS report workbook of a survey export and print its summary."""
    with _user_errors():
        lang = _lang(lang)
        _check_output(out, force, (input,))
        writer = _writer()
        if writer is None:
            raise BadInput(
                "The report workbook writer (nps_xl.workbook.xlsx) is not installed; "
                "use `nps-xl summary` for the figures."
            )
        with _progress() as progress:
            task = progress.add_task(f"Reading {input.name}", total=3)
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
            progress.update(task, advance=1, description=f"Writing {out.name}")
            _write_atomically(
                out,
                lambda tmp: _write_call(
                    writer,
                    tmp,
                    frame,
                    columns,
                    lang=lang,
                    period=period.value,
                    target=target,
                    industry=industry,
                    embed_answers=embed_answers,
                ),
            )
            progress.update(task, advance=2)
        _print_summary(
            frame,
            columns,
            input.name,
            target=target,
            industry=industry,
            lang=lang,
            dropped=dropped,
            notes=frame.attrs.get("notes"),
        )
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
) -> None:
    """Print the NPS summary of a survey export (no workbook)."""
    with _user_errors():
        lang = _lang(lang)
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
        _print_summary(
            frame,
            columns,
            input.name,
            target=target,
            industry=industry,
            lang=lang,
            dropped=dropped,
            notes=frame.attrs.get("notes"),
        )


@app.command()
def templates(
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the template workbooks.")
    ] = Path("workbook_templates"),
) -> None:
    """Regenerate the template workbooks (every language) in workbook_templates/."""
    with _user_errors():
        try:
            from nps_xl.workbook import xlsx
        except ImportError:
            raise BadInput("The workbook writer (nps_xl.workbook.xlsx) is not installed.") from None
        out.mkdir(parents=True, exist_ok=True)
        if hasattr(xlsx, "write_templates"):
            written = xlsx.write_templates(out)
        else:
            written = []
            for code in LANGUAGES:
                folder = out / code
                folder.mkdir(exist_ok=True)
                target = folder / "nps_survey.xlsx"
                _write_atomically(
                    target, lambda tmp, code=code: xlsx.write_template(tmp, lang=code)
                )
                written.append(target)
        for path in written or []:
            console.print(f"wrote {path}", highlight=False)


def main() -> None:  # pragma: no cover - console entry point alias
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(app())
