"""What every report sheet shows, as cells: a :class:`~nps_xl.report.Report` laid out on the
sheets of :mod:`nps_xl.workbook.layout`.

The file writer (:mod:`nps_xl.workbook.xlsx`, XlsxWriter) and the ribbon refresh
(:mod:`nps_xl.excel.refresh`, xlwings) both put exactly these cells into Excel; neither decides
a value, a header or a number format of its own. A cell value is ``None`` (empty), ``str``
(text, always written as text), a number, a ``datetime`` or a :class:`Formula`.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from nps_xl import benchmarks
from nps_xl.i18n import text
from nps_xl.report import Report
from nps_xl.workbook import layout as L
from nps_xl.workbook.cells import unique_headers


@dataclass(frozen=True)
class Formula:
    """An Excel formula and the value it gives now (shown before Excel recalculates)."""

    formula: str
    cached: object = None


@dataclass(frozen=True)
class Grid:
    """One report table from A1: a header row, then one row per table row."""

    columns: tuple[str, ...]  # column keys (catalogue keys, or a segment's own name)
    header: list[str]
    rows: list[list[object]]
    formats: dict[int, str] = field(default_factory=dict)  # number format per column index
    note: str | None = None  # a remark written right of the header (Follow-up: "N more…")
    empty: str | None = None  # the line written below the header when there are no rows

    @property
    def width(self) -> int:
        return len(self.columns)


# --------------------------------------------------------------------------- report tables


def report_tables(
    report: Report, *, embedded: bool = True, first_answer_row: int = L.RESPONSES_ORIGIN[0] + 2
) -> dict[str, Grid]:
    """``{sheet id: Grid}`` of Trend, Segments, Follow-up, Themes and Invalid answers.

    ``embedded``: the answers are in the workbook's Responses table (the Follow-up note then
    points there, else at the survey export). ``first_answer_row``: the Excel row of the
    table's first answer (row 2 in files nps-xl writes), so Invalid answers name real rows.
    """
    lang = report.lang
    bench = report.benchmarks[0].value if report.benchmarks else None
    return {
        "trend": _trend(report),
        "segments": _segments(report.segments, lang, bench, report.segments_table_note),
        "followup": _follow_up(report, embedded),
        "themes": table_grid(report.themes, L.THEME_COLUMNS, lang),
        "drivers": drivers_grid(report),
        "invalid": _invalid(report, first_answer_row, embedded),
    }


def empty_tables(lang: str) -> dict[str, Grid]:
    """The report tables of a workbook with no answers yet: header rows only."""
    return {
        "trend": table_grid(None, L.TREND_COLUMNS, lang),
        "segments": _segments(None, lang, None),
        "followup": table_grid(None, L.FOLLOWUP_EMPTY_COLUMNS, lang),
        "themes": table_grid(None, L.THEME_COLUMNS, lang),
        "drivers": drivers_grid(None, lang),
        "invalid": table_grid(None, L.INVALID_COLUMNS, lang),
    }


def table_grid(
    df: pd.DataFrame | None, columns: Sequence[str], lang: str, *, date_format: bool = True
) -> Grid:
    """The cells of ``df[columns]`` (columns ``df`` lacks stay empty) with localized headers,
    catalogue words in their language (``detractor`` → "Kritikas"), yes/no for flags and the
    number formats of :data:`layout.NUMBER_FORMATS` (dates in the language's format)."""
    columns = tuple(str(c) for c in columns)
    header = [L.header_text(c, lang) for c in columns]
    formats = {j: L.NUMBER_FORMATS[c] for j, c in enumerate(columns) if c in L.NUMBER_FORMATS}
    if date_format and "date" in columns:
        formats[columns.index("date")] = text("excel_date_format", lang)
    rows: list[list[object]] = []
    if df is not None and len(df):
        yes, no = text("yes", lang), text("no", lang)
        data = []
        for c in columns:
            if c not in df.columns:
                data.append([None] * len(df))
                continue
            values = df[c].to_numpy(dtype=object)
            if c in L.WORD_COLUMNS:
                values = [L.cell_word(c, v, lang) for v in values]
            data.append([cell_value(v, yes, no) for v in values])
        rows = [list(r) for r in zip(*data, strict=True)]
    return Grid(columns, header, rows, formats)


def cell_value(value: object, yes: str = "yes", no: str = "no") -> object:
    """One Python value as a cell: None (empty), text, a finite number or a datetime; flags
    as the words for yes and no."""
    if isinstance(value, (bool, np.bool_)):
        return yes if value else no
    if value is None or value is pd.NaT or value is pd.NA:
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if pd.isna(stamp):
            return None
        return stamp.tz_localize(None).to_pydatetime() if stamp.tzinfo else stamp.to_pydatetime()
    if isinstance(value, numbers.Real):
        number = float(value)
        return number if math.isfinite(number) else None
    value = str(value)
    return value if value.strip() else None


def _trend(report: Report) -> Grid:
    """The trend, saying what it leaves out: answers without a date (a note right of the
    header) or every answer (no date column: a line below the header)."""
    grid = table_grid(report.trend, L.TREND_COLUMNS, report.lang)
    note = empty = None
    if report.columns.date is None:
        empty = text("note_no_date_column", report.lang)
    elif report.trend is None and report.headline.has_answers:
        empty = text("wb_trend_no_dates", report.lang)
    if report.undated and report.trend is not None:
        note = report.trend_note
    # the correction of the tests and the control limits (report.table_note)
    note = " ".join(n for n in (note, report.trend_table_note) if n) or None
    return Grid(grid.columns, grid.header, grid.rows, grid.formats, note=note, empty=empty)


def _segments(
    df: pd.DataFrame | None, lang: str, bench: float | None, note: str | None = None
) -> Grid:
    """Segments with a last column holding the reference figure (``=NPS_Benchmark``) that the
    segment chart draws as a line; ``note``: the correction of its tests, right of the header."""
    if df is not None:
        df = df.drop(columns=["benchmark"], errors="ignore")
    grid = table_grid(df, L.SEGMENT_COLUMNS, lang)
    grid.header[-1] = text("benchmark_average", lang)
    for row in grid.rows:
        row[-1] = Formula(f"={L.BENCHMARK_NAME}", bench)
    if note:
        grid = Grid(grid.columns, grid.header, grid.rows, grid.formats, note=note)
    return grid


def drivers_grid(report: Report | None, lang: str | None = None) -> Grid:
    """The Drivers sheet: the importance table (:data:`layout.DRIVER_COLUMNS`), an empty
    column, the levels table (:data:`layout.DRIVER_LEVEL_COLUMNS`), side by side from A1.
    The note right of the header says what the table rests on (method, complete answers, R²,
    answers left out; unweighted in a weighted report); without drivers, the line below the
    header says why (no rating columns, or the reason they could not be ranked)."""
    lang = report.lang if report is not None else lang
    left = [f"importance.{c}" for c in L.DRIVER_COLUMNS]
    right = [f"levels.{c}" for c in L.DRIVER_LEVEL_COLUMNS]
    columns = (*left, "", *right)
    header = [text(L.DRIVER_HEADERS[c.split(".")[1]], lang) if c else "" for c in columns]
    formats = {
        j: L.DRIVER_FORMATS[c.split(".")[1]]
        for j, c in enumerate(columns)
        if c and c.split(".")[1] in L.DRIVER_FORMATS
    }
    table = report.drivers if report is not None else None
    if table is None:
        empty = None  # a workbook without answers yet (a template): headers only
        if report is not None and report.headline.has_answers:
            empty = report.drivers_problem or text("wb_drivers_none", lang)
        return Grid(columns, header, [], formats, empty=empty)
    pairs = ((table.importance, L.DRIVER_COLUMNS), (table.levels, L.DRIVER_LEVEL_COLUMNS))
    blocks = [
        [[cell_value(v) for v in row] for row in df[list(cols)].itertuples(index=False)]
        for df, cols in pairs
    ]
    rows = []
    for i in range(max(len(b) for b in blocks)):
        a = blocks[0][i] if i < len(blocks[0]) else [None] * len(L.DRIVER_COLUMNS)
        b = blocks[1][i] if i < len(blocks[1]) else [None] * len(L.DRIVER_LEVEL_COLUMNS)
        rows.append([*a, None, *b])
    notes = [report.drivers_table_note]
    if report.weighted:
        notes.append(text("note_drivers_unweighted", lang))
    joiner = "" if lang in ("zh-Hans", "zh-Hant") else " "
    return Grid(columns, header, rows, formats, note=joiner.join(n for n in notes if n))


def table_segment_headers(report: Report) -> dict[str, str]:
    """``{segment: its header in the Responses table}``: the table's headers are unique
    case-insensitively (a second ``Region``/``REGION`` is ``REGION (2)``,
    :func:`~nps_xl.workbook.cells.unique_headers`), and every sheet that shows a segment
    column (Follow-up) uses the same header, so the refresh can tell the columns apart."""
    headers = L.response_headers(report.lang)
    fixed = [headers[k] for k in L.RESPONSE_COLUMNS]
    segments = list(report.columns.segments)
    unique = unique_headers([*fixed, *segments])[len(fixed) :]
    return dict(zip(segments, unique, strict=True))


def _follow_up(report: Report, embedded: bool) -> Grid:
    df = report.follow_up
    if df is None:
        return table_grid(None, L.FOLLOWUP_EMPTY_COLUMNS, report.lang)
    rename = {k: v for k, v in table_segment_headers(report).items() if k != v}
    if rename:
        df = df.rename(columns=rename)
    columns = [str(c) for c in df.columns]
    if L.FOLLOWUP_LAST_COLUMN not in columns:
        columns.append(L.FOLLOWUP_LAST_COLUMN)
    grid = table_grid(df, columns, report.lang)
    if report.follow_up_kept is not None:
        # notes of answers no longer on the list stay, below it, as the user left them
        kept = table_grid(report.follow_up_kept, grid.columns, report.lang).rows
        heading = [text("wb_followup_kept", report.lang)] + [None] * (grid.width - 1)
        grid = Grid(grid.columns, grid.header, [*grid.rows, heading, *kept], grid.formats)
    if report.follow_up_more > 0:
        key = "wb_followup_more_responses" if embedded else "wb_followup_more_export"
        sheet = L.sheet_name("responses", report.lang)
        note = text(key, report.lang, more=report.follow_up_more, shown=len(df), sheet=sheet)
        grid = Grid(grid.columns, grid.header, grid.rows, grid.formats, note=note)
    return grid


def _invalid(report: Report, first_answer_row: int, embedded: bool = True) -> Grid:
    """Invalid answers with where to look, the same number every surface shows: the line of
    a CSV export ("Line") or the Excel row of a spreadsheet export ("Row"); answers that come
    from no file (a frame given to the API, the workbook's own Responses table when the
    ribbon refreshes it) are named by their Excel row in the Responses table (without that
    table: their data row counted from 1)."""
    table = report.invalid
    if report.unit is None and embedded:
        rows = table["position"].to_numpy(dtype=np.int64) + first_answer_row
    else:
        rows = table["row"].to_numpy(dtype=np.int64)
    columns = L.INVALID_LINE_COLUMNS if report.unit == "line" else L.INVALID_COLUMNS
    df = pd.DataFrame({columns[0]: rows, "value": [str(v) for v in table["value"]]})
    grid = table_grid(df, columns, report.lang)
    if not grid.rows:
        grid = Grid(
            grid.columns, grid.header, [], grid.formats, empty=text("wb_no_invalid", report.lang)
        )
    return grid


# --------------------------------------------------------------------------- Dashboard


def dashboard_values(report: Report) -> dict[str, object]:
    """The value of every Dashboard figure (by defined name): the numbers its formulas give.

    ``NPS_N`` is the number of valid answers (weighted or not); the category counts are weight
    sums when the report is weighted. ``NPS_Population`` is the population the report was
    made with (blank: none)."""
    h = report.headline
    c = h.counts
    has = h.has_answers
    population = report.options.population
    out: dict[str, object] = {
        "NPS_N": h.n,
        "NPS_Promoters": c.promoters,
        "NPS_Passives": c.passives,
        "NPS_Detractors": c.detractors,
        "NPS_Promoter_Share": c.promoter_share if has else "",
        "NPS_Passive_Share": c.passive_share if has else "",
        "NPS_Detractor_Share": c.detractor_share if has else "",
        "NPS_Score": h.nps if has else "",
        "NPS_Margin": h.margin if has else "",
        "NPS_Low": h.low if has else "",
        "NPS_High": h.high if has else "",
        "NPS_Band": h.band if has and h.band else "",
        "NPS_Target": h.target if h.target is not None else "",
        "NPS_Gap": h.gap if has and h.gap is not None else "",
        "NPS_Blank": h.blank,
        "NPS_Invalid": h.invalid,
        "NPS_Confidence": h.confidence,
        "NPS_Z": h.z,
        "NPS_Population": "" if population is None else population,
        L.SMALL_SAMPLE_NAME: "",
    }
    if has and h.small_sample:
        key = "wb_small_sample_effective" if report.weighted else "wb_small_sample"
        out[L.SMALL_SAMPLE_NAME] = text(key, report.lang, min_n=report.options.min_n)
    if report.weighted:
        out["NPS_Effective_N"] = h.effective_n if has else ""
        out["NPS_No_Weight"] = 0  # the report refuses an answer without a valid weight
    return out


def benchmark_labels(report: Report) -> tuple[str, ...]:
    """``"Median (2024)"``: the label of each benchmark line, in the report's language."""
    return tuple(
        f"{text('benchmark_' + b.statistic, report.lang)} ({b.year})" for b in report.benchmarks
    )


def benchmark_keys(report: Report) -> tuple[tuple[str, str], ...]:
    """``(lookup key, statistic id)`` of each benchmark line, for
    :func:`layout.dashboard_formulas`."""
    return tuple(
        (L.bench_key(b.industry, b.statistic, b.year), b.statistic) for b in report.benchmarks
    )


def dashboard_cells(report: Report, *, formulas: bool = True) -> dict[str, object]:
    """Every Dashboard cell, keyed by A1: the constant labels of :func:`layout.dashboard_cells`,
    and each figure as a :class:`Formula` over the Responses table with its value cached
    (``formulas=False``: the values themselves, for a workbook without its answers)."""
    lang = report.lang
    note = "wb_formula_note" if formulas else "wb_aggregates_only"
    scale = report.options.scale
    cells: dict[str, object] = dict(
        L.dashboard_cells(
            lang,
            report.industry_label,
            benchmark_labels(report),
            note,
            report.options.confidence,
            scale,
            weighted=report.weighted,
        )
    )
    values = dashboard_values(report)
    f = L.dashboard_formulas(
        lang,
        benchmark_keys(report),
        scale,
        weighted=report.weighted,
        min_n=report.options.min_n,
    )
    for ref, name in (
        (L.cell(*L.SMALL_SAMPLE_CELL), L.SMALL_SAMPLE_NAME),
        (L.cell(*L.NO_WEIGHT_NOTE_CELL), None),
    ):
        if ref in f and formulas:
            cells[ref] = Formula(f[ref], values[name] if name else "")
        elif name and values[name]:
            cells[ref] = values[name]
    for fig in L.figures(report.weighted):
        ref = L.cell(fig.row, L.VALUE_COL)
        if ref in f and formulas:
            cells[ref] = Formula(f[ref], values[fig.name])
        elif not fig.is_input or values[fig.name] != "":
            cells[ref] = values[fig.name]
        if fig.share_name:
            sref = L.cell(fig.row, L.SHARE_COL)
            share = values[fig.share_name]
            cells[sref] = Formula(f[sref], share) if formulas else share
    for i, count in enumerate(report.headline.distribution):
        ref = L.cell(L.DIST_FIRST_ROW + i, L.DIST_COUNT_COL)
        cells[ref] = Formula(f[ref], count) if formulas else count
    none = L.no_nps_condition(report.weighted)
    for i, b in enumerate(report.benchmarks[: L.BENCH_MAX_ROWS]):
        row = L.BENCH_FIRST_ROW + i
        bf = L.benchmark_formulas(
            row, L.bench_key(b.industry, b.statistic, b.year), b.statistic, lang, none=none
        )
        verdict = "" if b.verdict_key is None else text(b.verdict_key, lang)
        gap = "" if b.gap is None else b.gap
        for ref, value in zip(bf, (b.value, gap, verdict), strict=True):
            cells[ref] = Formula(bf[ref], value)
    return cells


def dashboard_formats(report: Report) -> dict[str, str]:
    """Number format of every Dashboard figure, share and benchmark cell, keyed by A1."""
    formats = L.dashboard_formats(report.weighted)
    for i in range(min(len(report.benchmarks), L.BENCH_MAX_ROWS)):
        for col, fmt in L.BENCH_FORMATS.items():
            formats[L.cell(L.BENCH_FIRST_ROW + i, col)] = fmt
    return formats


# --------------------------------------------------------------------------- Benchmarks, About


def benchmarks_sheet_cells(lang: str) -> dict[str, object]:
    """The Benchmarks sheet: cited figures with their lookup keys, then the band table that
    the Dashboard's ``LOOKUP`` reads (lower bounds ascending; −100 opens the lowest band)."""
    ids = benchmarks.benchmark_table(lang=None)
    shown = benchmarks.benchmark_table(lang=lang)
    shown["key"] = [L.bench_key(r.industry, r.statistic, r.year) for r in ids.itertuples()]
    cells: dict[str, object] = {}
    for j, column in enumerate(L.BENCHMARK_SHEET_COLUMNS):
        cells[L.cell(0, j)] = column if column == "key" else L.header_text(column, lang)
        for i, value in enumerate(shown[column].to_numpy(dtype=object)):
            cells[L.cell(i + 1, j)] = cell_value(value)
    scheme = benchmarks.BAND_SCHEMES["five"]
    c0 = L.BAND_FROM_COL
    cells[L.cell(0, c0)] = text("wb_band_from", lang)
    cells[L.cell(0, c0 + 1)] = text("band", lang)
    for i, (bound, key) in enumerate(zip((-100.0, *scheme.thresholds), scheme.keys, strict=True)):
        cells[L.cell(i + 1, c0)] = bound
        cells[L.cell(i + 1, c0 + 1)] = text(key, lang)
    return cells


def benchmark_figure_count() -> int:
    """Rows of cited figures on the Benchmarks sheet."""
    return len(benchmarks.benchmark_table(lang=None))


def band_count() -> int:
    return len(benchmarks.BAND_SCHEMES["five"].keys)


def about_cells(lang: str) -> dict[str, object]:
    """The About sheet: a title and one line per :data:`layout.ABOUT_LINES`, then the band
    scheme's source."""
    names = L.sheet_names(lang)
    cells: dict[str, object] = {"A1": text("wb_about_title", lang)}
    lines = [text(key, lang, **({"sheet": names[s]} if s else {})) for key, s in L.ABOUT_LINES]
    lines.append(benchmarks.BAND_SCHEMES["five"].source)
    for i, line in enumerate(lines):
        cells[L.cell(L.ABOUT_FIRST_ROW + i, 0)] = line
    return cells
