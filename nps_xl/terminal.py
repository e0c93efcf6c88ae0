"""The terminal view of a :class:`~nps_xl.report.Report`: the headline summary and the compact
Trend, Segments, Key drivers and Themes tables, with rich, in the report's language (numbers
and dates in its conventions, :mod:`nps_xl.numbers`). It shows figures; it computes none."""

from __future__ import annotations

import math

import pandas as pd
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from nps_xl.i18n import CATALOGUE, text
from nps_xl.io import Columns, Survey
from nps_xl.numbers import MISSING, format_count, format_date, format_number, format_percent
from nps_xl.report import Report

console = Console()

#: Invalid answers named in the summary (the rest are counted).
INVALID_SHOWN = 10
#: Rows of the compact tables under the summary.
TREND_ROWS = 12
THEME_ROWS = 5


def invalid_lines(report: Report) -> tuple[int, list[str]]:
    """Invalid answers as "'N/A' in line 17" (a CSV file's line) or "'N/A' in row 17" (a
    spreadsheet's Excel row), the first ten of them."""
    table = report.invalid.head(INVALID_SHOWN)
    key = "cli_value_in_line" if report.unit == "line" else "cli_value_in_row"
    shown = [
        text(key, report.lang, value=show_value(v), row=str(int(r)))
        for r, v in zip(table["row"], table["value"], strict=True)
    ]
    return report.headline.invalid, shown


def _industry_name(industry: str, lang: str) -> str:
    key = f"industry_{industry}"
    return text(key, lang) if key in CATALOGUE else industry


def show_value(value: object) -> str:
    if isinstance(value, str):
        value = value if len(value) <= 40 else value[:39] + "…"
        return repr(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def signed(x: float | None, digits: int = 1, lang: str = "en") -> str:
    """NPS points with a sign, in the language's number format: +34.6, −2,4 (lt)."""
    return format_number(x, lang, digits=digits, sign=True)


def _role(role: str, lang: str) -> str:
    """The name of a column role (score, date, …) in the language of the summary."""
    key = {"customer": "cli_role_customer", "weight": "cli_role_weight"}.get(role, role)
    return text(key, lang) if key in CATALOGUE else role


def _date_range(report: Report) -> str:
    if report.dates is None:
        return ""
    first, last = report.dates
    return f"{format_date(first, report.lang)} … {format_date(last, report.lang)}"


def print_summary(report: Report, columns: Columns, source_name: str, dropped: int = 0) -> dict:
    s = report.summary
    lang = report.lang
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
    dates = _date_range(report)
    if dates:
        console.print(f"{text('date', lang)}: {dates}", highlight=False)

    nps_value = s["nps"]
    line = f"[bold]NPS {signed(nps_value, lang=lang)}[/]"
    if not math.isnan(s.get("low", math.nan)):
        o = report.options
        confidence = text("percent_format", lang, value=f"{100 * o.confidence:g}")
        line += (
            f"  ({text('cli_interval', lang, confidence=confidence)} "
            f"{signed(s['low'], lang=lang)} … {signed(s['high'], lang=lang)}, "
            f"± {format_number(s['margin_of_error'], lang)}, "
            f"{text('method_' + o.method.replace('-', '_'), lang)})"
        )
    if s.get("band"):
        line += f"  [bold]{s['band']}[/]"
    if s.get("small_sample") and not math.isnan(nps_value):
        key = "cli_small_sample_headline_effective" if weighted else "cli_small_sample_headline"
        small = text(key, lang, min_n=format_count(s["min_n"], lang))
        line += f"  [yellow]! {small}[/]"
    console.print(line, highlight=False)
    if weighted:
        console.print(
            text(
                "cli_weighted_n",
                lang,
                n=format_number(s["weighted_n"], lang),
                effective=format_number(s["effective_n"], lang),
                deff=format_number(s.get("design_effect", math.nan), lang, digits=2),
            ),
            highlight=False,
        )
    if s.get("population") is not None and not math.isnan(s.get("low", math.nan)):
        console.print(
            text(
                "cli_population_note",
                lang,
                population=format_count(s["population"], lang),
                fpc=format_number(1.0 - s["n"] / s["population"], lang, digits=3),
            ),
            highlight=False,
        )
    if not math.isnan(nps_value):
        _print_benchmark(report)
    if s.get("gap_to_target") is not None:
        console.print(
            f"{text('target', lang)} {signed(s['target'], 0, lang)}: "
            f"{text('gap_to_target', lang)} {signed(s['gap_to_target'], lang=lang)}",
            highlight=False,
        )
    console.print(f"{text('blank', lang)}: {format_count(s['blank'], lang)}", highlight=False)
    n_invalid, shown = invalid_lines(report)
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


def print_question(
    report: Report, survey: Survey, source_name: str, dropped: int, *, several: bool
) -> None:
    """One question's summary; with several questions, headed by the question's column."""
    if several:
        console.rule(f"[bold]{survey.columns.score}[/]", align="left")
    print_summary(report, survey.columns, source_name, dropped)


def _pct(x: float | None, lang: str = "en") -> str:
    return format_percent(x, lang)


def _print_benchmark(report: Report) -> None:
    """The newest published average of the report's industry (else its newest figure), with
    the gap and verdict the report worked out."""
    lines = report.benchmarks
    if not lines or lines[0].gap is None:
        return
    line = next((b for b in lines if b.statistic == "average"), lines[0])
    lang = report.lang
    source = line.source.split(",")[0]
    verdict = text(line.verdict_key, lang) if line.verdict_key else ""
    console.print(
        f"{text('benchmark_' + line.statistic, lang)} "
        f"({_industry_name(report.options.industry, lang)}, {source} {line.year}): "
        f"{signed(line.value, 0, lang)} → {text('your_gap', lang)} "
        f"{signed(line.gap, lang=lang)}, {verdict}",
        highlight=False,
    )


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


def day_label(day: pd.Timestamp, lang: str) -> str:
    """A day as a person writes it: "31 January 2025", "2025年1月31日", "2025 m. sausio 31 d.",
    "31 януари 2025 г." (the month as it reads within a date: Lithuanian's genitive)."""
    month = text(f"month_of_day_{day.month}", lang)
    return text("day_label", lang, day=str(day.day), month=month, year=str(day.year))


def span_label(since: pd.Timestamp | None, until: pd.Timestamp | None, lang: str) -> str:
    """The answers of ``since`` … ``until`` (whole days, both included) as a person names
    them: "from 1 February 2025", "until 31 January 2025", or the period itself when the days
    are one whole month, quarter or year ("January 2025", "Q1 2025", "2025")."""
    if since is None and until is None:
        return text("span_all", lang)
    if since is None:
        return text("span_until", lang, day=day_label(until, lang))
    if until is None:
        return text("span_from", lang, day=day_label(since, lang))
    start, last = since.normalize(), until.normalize()
    end = last + pd.Timedelta(days=1)
    if start == since and start.day == 1 and end.day == 1:
        months = (end.year - start.year) * 12 + end.month - start.month
        if months == 1:
            month = text(f"month_{start.month}", lang)
            return text("month_label", lang, month=month, year=str(start.year))
        if months == 3 and start.month % 3 == 1:
            return text("quarter_label", lang, q=str(start.month // 3 + 1), year=str(start.year))
        if months == 12 and start.month == 1:
            return str(start.year)
    return text("span_between", lang, first=day_label(since, lang), last=day_label(until, lang))


def span_labels(days: list[tuple], lang: str) -> list[str]:
    """:func:`span_label` of each ``(since, until)``."""
    return [span_label(since, until, lang) for since, until in days]


def _flag(value: object, mark: str) -> str:
    return (
        mark if value is True or (value is not None and not pd.isna(value) and bool(value)) else ""
    )


def print_tables(report: Report) -> None:
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
                signed(row["nps"], lang=lang) + _flag(row.get("out_of_control"), " ◆"),
                _interval(row, lang),
                signed(row["change"], lang=lang) + _flag(row["significant"], " *"),
            )
        console.print(table)
        _print_table_note(report.trend_table_note)
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
                    signed(row["nps"], lang=lang),
                    signed(row["difference_from_rest"], lang=lang)
                    + _flag(row["significant"], " *"),
                    signed(row["impact"], lang=lang),
                    end_section=i == len(block) - 1,
                )
        console.print(table)
        _print_table_note(report.segments_table_note)
        shown_any = True
    if report.drivers is not None:
        print_drivers(report)
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
                signed(row["nps"], lang=lang),
                signed(row["impact"], lang=lang),
            )
        console.print(table)
        shown_any = True
    if shown_any:
        o = report.options
        confidence = text("percent_format", lang, value=f"{100 * o.confidence:g}")
        console.print(
            f"[dim]{t('cli_table_legend', confidence=confidence, min_n=o.min_n)}[/]",
            highlight=False,
        )
        if trend is not None and len(trend) and "out_of_control" in trend:
            console.print(f"[dim]{t('cli_control_legend')}[/]", highlight=False)


def print_drivers(report: Report) -> None:
    """The Key drivers table: rank, driver, its share of R² (percent), its correlation with
    the score, and the NPS of the answers at its lowest and its highest level (the level in
    brackets), as :class:`~nps_xl.key_drivers.DriversTable` has them."""
    lang, table = report.lang, report.drivers

    def t(key: str, **fields: object) -> str:
        return text(key, lang, **fields)

    out = Table(title=t("cli_drivers_title"), title_justify="left")
    out.add_column(t("rank"), justify="right")
    out.add_column(t("driver"))
    for header in (t("drivers_share"), t("correlation"), t("drivers_nps_lowest")):
        out.add_column(header, justify="right")
    out.add_column(t("drivers_nps_highest"), justify="right")
    levels = table.levels
    for _, row in table.importance.iterrows():
        mine = levels[levels["driver"] == row["driver"]]
        low, high = mine.iloc[0], mine.iloc[-1]  # levels are in rising order
        out.add_row(
            format_count(row["rank"], lang),
            escape(str(row["driver"])),
            text("percent_format", lang, value=format_number(row["share"], lang)),
            format_number(row["correlation"], lang, digits=2),
            f"{signed(low['nps'], lang=lang)} ({format_count(low['level'], lang)})",
            f"{signed(high['nps'], lang=lang)} ({format_count(high['level'], lang)})",
        )
    console.print(out)
    _print_table_note(report.drivers_table_note)


def _print_table_note(note: str | None) -> None:
    """The line under a table: its correction for multiple comparisons, its control limits."""
    if note:
        console.print(f"[dim]{escape(note)}[/]", highlight=False)


def _interval(row: pd.Series, lang: str) -> str:
    if pd.isna(row["low"]) or pd.isna(row["high"]):
        return MISSING
    return f"{signed(row['low'], lang=lang)} … {signed(row['high'], lang=lang)}"
