"""What the NPS ribbon button runs: read the Responses table of the open workbook, rewrite the
report sheets.

``main()`` is the RunPython entry point (``import nps_xl; nps_xl.main()``, see
:mod:`nps_xl.excel.addin`); ``refresh_report(book)`` does the work and is also an xlwings script
(``@xw.script``) for the Office.js routes, xlwings Lite and xlwings Server.

What it writes, and only there (sheet names, columns and formats from
:mod:`nps_xl.workbook.layout`; numbers from :mod:`nps_xl.tables`, the functions the file writer
:mod:`nps_xl.workbook.xlsx` uses, so the button and ``nps-xl report`` agree):

* Trend, Segments, Follow-up, Themes and Invalid answers: header row + one row per table row,
  cleared first so a shorter table leaves no stale rows. Identical answers give identical
  writes, so a second click changes nothing.
* Dashboard figures are Excel formulas over ``Responses[Score]`` (invalid = rows − blanks −
  valid), so Excel updates them itself; the refresh does not write them. Chart series that
  point at Trend / Segments rows are stretched to the new row counts where the engine lets
  Python address a series (desktop Excel on Windows); see :func:`update_charts`.
* Follow-up keeps the Status notes the user typed, matched by Response ID.
* Never the Responses sheet, never a sheet the layout does not own.

A workbook without a ``Responses`` table is set up instead (:func:`set_up`), like the shipped
template: the Responses Table, the Dashboard labels and formulas
(:func:`layout.dashboard_formulas`), the defined names (:func:`layout.defined_names` and the
Benchmarks lookup ranges), the Benchmarks figures and band table, About, the report header rows
and the four charts. Only sheets it adds are written; names are never redefined.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import xlwings as xw

from nps_xl import benchmarks, tables
from nps_xl.counts import Counts
from nps_xl.i18n import text
from nps_xl.scores import parse_scores
from nps_xl.workbook import layout as L

#: Characters that make Excel read a typed value as a formula.
_FORMULA_START = ("=", "+", "-", "@")
#: Report sheets the refresh rewrites (the rest — Dashboard, Benchmarks, About — are static).
WRITTEN_SHEETS = ("trend", "segments", "followup", "themes", "invalid")


def main() -> None:
    """Ribbon entry point: refresh the workbook the button was clicked in."""
    refresh_workbook(xw.Book.caller())


def refresh_workbook(book: xw.Book) -> str:
    """Refresh the NPS report of ``book`` (or set the workbook up on the first click).

    Shows and returns the status message. Any xlwings Book works: desktop Excel (COM or
    AppleScript) or an Office.js book, whose ``json()`` then holds the actions for Excel.
    """
    table = find_responses_table(book)
    message = set_up(book) if table is None else _refresh(book, table)
    show_status(book, message)
    return message


@xw.script
def refresh_report(book: xw.Book) -> None:
    """The Refresh report button as an xlwings script (xlwings Lite, xlwings Server)."""
    refresh_workbook(book)


# --------------------------------------------------------------------------- reading


def find_responses_table(book: xw.Book):
    """The Excel Table named ``Responses`` (any sheet, any case), or None."""
    for sheet in book.sheets:
        for table in sheet.tables:
            if table.name.lower() == L.RESPONSES_TABLE.lower():
                return table
    return None


def read_responses(table) -> pd.DataFrame:
    """The table as a DataFrame with its own headers; every value as Excel gave it."""
    headers = [_header(h) for h in _rows(table.header_row_range.value)[0]]
    body = table.data_body_range
    rows = _rows(body.value) if body is not None else []
    rows = [list(r) + [None] * (len(headers) - len(r)) for r in rows]
    frame = pd.DataFrame(rows, columns=headers, dtype=object)
    # Excel tables always keep one data row; an all-blank table has no answers.
    if len(frame) == 1 and all(_blank(v) for v in rows[0]):
        frame = frame.iloc[0:0]
    return frame


def _rows(value: object) -> list[list[object]]:
    if value is None:
        return []
    if not isinstance(value, list):
        return [[value]]
    if value and not isinstance(value[0], list):
        return [value]
    return value


def _header(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


# --------------------------------------------------------------------------- the report


class Report:
    """Every report sheet of one refresh as a grid of cell values, keyed by sheet id."""

    def __init__(self, frame: pd.DataFrame, lang: str, previous: pd.DataFrame | None) -> None:
        self.lang = lang
        headers = L.response_headers(lang)
        self.score, self.date = headers["score"], headers["date"]
        self.comment, self.response_id = headers["comment"], headers["response_id"]
        fixed = set(headers.values())
        self.segments = tuple(c for c in frame.columns if c and c not in fixed)
        self.frame = frame
        self.parsed = parse_scores(frame[self.score].to_numpy(dtype=object), invalid="skip")
        self.counts = Counts.from_scores(self.parsed.scores)
        self.previous = previous

    def t(self, key: str, **fields: object) -> str:
        return text(key, self.lang, **fields)

    def _safe(self, build, *args, **kwargs) -> pd.DataFrame | None:
        if self.counts.n == 0:
            return None
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid answers are listed on their own sheet
            return build(*args, **kwargs)

    def _has(self, column: str) -> bool:
        return column in self.frame.columns

    def trend(self) -> pd.DataFrame:
        df = None
        if self._has(self.date):
            df = self._safe(tables.trend, self.frame, score=self.score, date=self.date)
        return df if df is not None else pd.DataFrame(columns=L.TREND_COLUMNS)

    def segment_table(self) -> pd.DataFrame:
        df = None
        if self.segments:
            df = self._safe(tables.segments, self.frame, list(self.segments), score=self.score)
        return df if df is not None else pd.DataFrame(columns=L.SEGMENT_COLUMNS)

    def follow_up(self) -> pd.DataFrame:
        df = None
        if self._has(self.comment) or self._has(self.date):
            df = self._safe(
                tables.follow_up,
                self.frame,
                score=self.score,
                date=self.date if self._has(self.date) else None,
                comment=self.comment if self._has(self.comment) else None,
                response_id=self.response_id if self._has(self.response_id) else None,
                segments=self.segments,
                previous=self.previous,
            )
        if df is None:
            df = pd.DataFrame(columns=[*L.FOLLOWUP_FIRST_COLUMNS, L.FOLLOWUP_LAST_COLUMN])
        return df

    def themes(self) -> pd.DataFrame:
        df = None
        if self._has(self.comment):
            df = self._safe(tables.themes, self.frame, comment=self.comment, score=self.score)
        return df if df is not None else pd.DataFrame(columns=L.THEME_COLUMNS)

    def invalid(self) -> pd.DataFrame:
        return pd.DataFrame(
            {
                # Excel row of the answer: the table header is row 1 (layout.RESPONSES_ORIGIN)
                "wb_row": np.asarray(self.parsed.invalid_positions, dtype=int) + 2,
                "value": [str(v) for v in self.parsed.invalid_values],
            }
        )

    def grids(self) -> dict[str, list[list[object]]]:
        """``{sheet id: rows}``, header row first, as the file writer lays them out."""
        segments = self.segment_table()
        seg_grid = self.grid(segments.drop(columns=["benchmark"], errors="ignore"),
                             L.SEGMENT_COLUMNS)  # fmt: skip
        seg_grid[0][-1] = self.t("benchmark_average")
        for row in seg_grid[1:]:
            row[-1] = f"={L.BENCHMARK_NAME}"  # the workbook's reference figure, a formula
        follow = self.follow_up()
        invalid = self.invalid()
        invalid_grid = self.grid(invalid, L.INVALID_COLUMNS)
        if not len(invalid):
            invalid_grid.append([self.t("wb_no_invalid"), None])
        return {
            "trend": self.grid(self.trend(), L.TREND_COLUMNS),
            "segments": seg_grid,
            "followup": self.grid(follow, self.followup_columns(follow)),
            "themes": self.grid(self.themes(), L.THEME_COLUMNS),
            "invalid": invalid_grid,
        }

    @staticmethod
    def followup_columns(df: pd.DataFrame) -> list[str]:
        columns = [str(c) for c in df.columns]
        if L.FOLLOWUP_LAST_COLUMN not in columns:
            columns.append(L.FOLLOWUP_LAST_COLUMN)
        return columns

    def grid(self, df: pd.DataFrame, columns: Sequence[str]) -> list[list[object]]:
        yes, no = self.t("yes"), self.t("no")
        rows = [[L.header_text(c, self.lang) for c in columns]]
        data = [
            df[c].map(lambda v, c=c: L.cell_word(c, v, self.lang)).to_numpy(dtype=object)
            if c in df.columns
            else [None] * len(df)
            for c in columns
        ]
        for i in range(len(df)):
            rows.append([_cell_value(col[i], yes, no) for col in data])
        return rows


def _cell_value(value: object, yes: str, no: str) -> object:
    """One Python value as the cell value the file writer writes (text stays text)."""
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
    if not value.strip():
        return None
    # A comment such as "=1+1" must stay text: the apostrophe prefix keeps it literal.
    return "'" + value if value.startswith(_FORMULA_START) else value


# --------------------------------------------------------------------------- writing


def _refresh(book: xw.Book, table) -> str:
    frame = read_responses(table)
    lang = L.detect_language(list(frame.columns))
    names = L.sheet_names(lang)
    sheets = {s.name: s for s in book.sheets}
    previous = read_follow_up(sheets.get(names["followup"]), lang)
    report = Report(frame, lang, previous)
    grids = report.grids()
    for sid in WRITTEN_SHEETS:
        sheet = sheets.get(names[sid])
        if sheet is None:
            sheet = _add_sheet(book, names[sid])
        write_grid(sheet, grids[sid], _formats(grids[sid], sid, report))
    update_charts(book, names, {sid: len(grids[sid]) - 1 for sid in ("trend", "segments")})
    if report.counts.n == 0:
        message = text("refresh_no_answers", lang)
    else:
        message = text("refresh_done", lang, n=report.counts.n, nps=f"{report.counts.nps:.1f}")
    if report.parsed.invalid:
        message += " " + text(
            "refresh_invalid", lang, invalid=report.parsed.invalid, sheet=names["invalid"]
        )
    return message


def read_follow_up(sheet, lang: str) -> pd.DataFrame | None:
    """The Follow-up sheet as ``response_id`` / ``status`` columns (the user's notes)."""
    if sheet is None:
        return None
    rows = _rows(sheet.used_range.value)
    if len(rows) < 2:
        return None
    headers = [_header(h) for h in rows[0]]
    wanted = {text("response_id", lang): "response_id", text("status", lang): "status"}
    if not set(wanted) <= set(headers):
        return None
    idx = {wanted[h]: headers.index(h) for h in wanted}
    data = {
        key: [_unescape(r[i]) if i < len(r) else None for r in rows[1:]] for key, i in idx.items()
    }
    return pd.DataFrame(data, dtype=object)


def _unescape(value: object) -> object:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # Response IDs typed as numbers match their text form
    return value


def _formats(grid: list[list[object]], sid: str, report: Report) -> dict[int, str]:
    """Number format per column index of the data rows (dates in the language's format)."""
    if len(grid) < 2:
        return {}
    keys = {
        "trend": L.TREND_COLUMNS,
        "segments": L.SEGMENT_COLUMNS,
        "themes": L.THEME_COLUMNS,
        "invalid": L.INVALID_COLUMNS,
    }.get(sid)
    if keys is None:  # Follow-up: columns depend on the segments
        keys = Report.followup_columns(report.follow_up())
    out = {j: L.NUMBER_FORMATS[k] for j, k in enumerate(keys) if k in L.NUMBER_FORMATS}
    if "date" in keys:
        out[list(keys).index("date")] = report.t("excel_date_format")
    return out


def write_grid(sheet, grid: list[list[object]], formats: dict[int, str]) -> None:
    """Clear ``sheet``'s contents (formats and notes stay) and write ``grid`` from A1."""
    sheet.clear_contents()
    width = max(len(r) for r in grid)
    rows = [list(r) + [None] * (width - len(r)) for r in grid]
    sheet.range("A1").value = rows
    n = len(rows) - 1
    for j, fmt in sorted(formats.items()):
        if n:
            sheet.range((2, j + 1), (n + 1, j + 1)).number_format = fmt


def _add_sheet(book: xw.Book, name: str):
    sheet = book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])
    return sheet


_RANGE = re.compile(r"(\$?[A-Z]{1,3}\$?)(\d+)")


def stretch_series_formula(formula: str, sheet_name: str, last_row: int) -> str:
    """Point a chart's ``=SERIES(...)`` at rows 2..``last_row``+1 of ``sheet_name``.

    Only references to ``sheet_name`` change; the title and other sheets' ranges stay.
    """
    quoted = re.escape("'" + sheet_name.replace("'", "''") + "'")
    plain = re.escape(sheet_name)
    pattern = re.compile(rf"((?:{quoted}|{plain})!\$?[A-Z]{{1,3}}\$?\d+:\$?[A-Z]{{1,3}}\$?)(\d+)")
    return pattern.sub(lambda m: f"{m.group(1)}{max(last_row, 1) + 1}", formula)


def chart_sources(names: dict[str, str], rows: dict[str, int]) -> dict[str, tuple]:
    """``{chart id: (chart type, (sheet, source range), (sheet, category range) or None)}`` of
    the charts the first click adds; ``rows`` = data rows of Trend / Segments (at least 1)."""
    last = {sid: max(n, 1) + 1 for sid, n in rows.items()}  # Excel row of the last data row
    first, end = L.FIGURE_BY_NAME["NPS_Promoters"].row, L.FIGURE_BY_NAME["NPS_Detractors"].row
    dist_lo, dist_hi = L.DIST_FIRST_ROW, L.DIST_FIRST_ROW + len(L.SCORES) - 1
    trend_nps, trend_high = L.TREND_COLUMNS.index("nps"), L.TREND_COLUMNS.index("high")
    seg_nps = L.col_letter(L.SEGMENT_COLUMNS.index("nps"))
    t, s = last["trend"], last["segments"]
    return {
        # categories in column A, one series in column B (the counts)
        "category_mix": ("doughnut", ("dashboard", f"A{first + 1}:B{end + 1}"), None),
        "distribution": (
            "column_clustered",
            (
                "dashboard",
                f"{L.cell(L.DIST_HEADER_ROW, L.DIST_COUNT_COL)}:"
                f"{L.cell(dist_hi, L.DIST_COUNT_COL)}",
            ),
            (
                "dashboard",
                f"{L.cell(dist_lo, L.DIST_SCORE_COL)}:{L.cell(dist_hi, L.DIST_SCORE_COL)}",
            ),
        ),
        # NPS, low and high are adjacent Trend columns: three lines, names from the header row
        "trend": (
            "line_markers",
            ("trend", f"{L.col_letter(trend_nps)}1:{L.col_letter(trend_high)}{t}"),
            ("trend", f"A2:A{t}"),
        ),
        "by_segment": (
            "column_clustered",
            ("segments", f"{seg_nps}1:{seg_nps}{s}"),
            ("segments", f"A2:B{s}"),
        ),
    }


def add_charts(book: xw.Book, names: dict[str, str], lang: str = "en") -> list[str]:
    """Add the Dashboard charts with xlwings' chart API (desktop Excel and Office.js alike).

    Each chart gets its source range, category labels and title; colours and the
    benchmark line of the template's charts need per-series formatting this API does not
    carry everywhere, so these charts use Excel's default style. Returns the chart ids
    added (none where the engine has no chart support).
    """
    sheets = {s.name: s for s in book.sheets}
    dashboard = sheets[names["dashboard"]]
    have = {c.name for c in dashboard.charts}
    sources = chart_sources(names, {"trend": 1, "segments": 1})
    added = []
    for cid, title_key, anchor, (width, height) in L.CHARTS:
        kind, (sid, source), categories = sources[cid]
        if CHART_NAMES[cid] in have or names[sid] not in sheets:
            continue
        try:
            chart = dashboard.charts.add(
                chart_type=kind,
                anchor=dashboard.range(anchor),
                width=width * 0.75,  # pixels → points
                height=height * 0.75,
                name=CHART_NAMES[cid],
            )
            chart.set_source_data(sheets[names[sid]].range(source), plot_by="columns")
            if categories is not None:
                chart.set_x_axis_values(sheets[names[categories[0]]].range(categories[1]))
            chart.title = text(title_key, lang)
        except NotImplementedError:  # an engine without charts: the figures still work
            continue
        added.append(cid)
    return added


def update_charts(book: xw.Book, names: dict[str, str], rows: dict[str, int]) -> list[str]:
    """Stretch the Dashboard charts' series to the new Trend / Segments row counts.

    Charts added by the first click (named ``CHART_NAMES``) get their source and category
    ranges set again with xlwings' chart API, which desktop Excel and Office.js both support.
    Charts from a template or ``nps-xl report`` file carry per-series styles (interval lines,
    benchmark line); desktop Excel on Windows exposes each series' ``=SERIES()`` formula
    through ``chart.api`` (COM), so only their row numbers change. Office.js can replace a
    chart's whole source range but not one series' range, which would lose those styles;
    there, and on macOS, such charts are left as they are. Returns the chart ids updated.
    """
    sheets = {s.name: s for s in book.sheets}
    dashboard = sheets.get(names["dashboard"])
    if dashboard is None:
        return []
    updated = []
    charts = list(dashboard.charts)
    ours = {c.name: c for c in charts if c.name in CHART_NAMES.values()}
    sources = chart_sources(names, rows)
    for index, (chart_id, *_rest) in enumerate(L.CHARTS):
        source = {"trend": "trend", "by_segment": "segments"}.get(chart_id)
        if source is None:
            continue
        if CHART_NAMES[chart_id] in ours:
            _kind, (sid, rng), (cat_sid, cat_rng) = sources[chart_id]
            if names[sid] not in sheets:
                continue
            chart = ours[CHART_NAMES[chart_id]]
            chart.set_source_data(sheets[names[sid]].range(rng), plot_by="columns")
            chart.set_x_axis_values(sheets[names[cat_sid]].range(cat_rng))
            updated.append(chart_id)
            continue
        if ours or index >= len(charts):
            continue
        try:
            collection = charts[index].api[1].SeriesCollection()  # COM (Windows) only
            for i in range(1, collection.Count + 1):
                series = collection.Item(i)
                series.Formula = stretch_series_formula(series.Formula, names[source], rows[source])
        except Exception:  # Office.js / macOS: no per-series access, documented above
            continue
        updated.append(chart_id)
    return updated


def show_status(book: xw.Book, message: str) -> None:
    """The status bar on desktop Excel; an alert in the Office.js modes (no status bar there)."""
    try:
        book.app.status_bar = message
    except NotImplementedError:
        book.app.alert(message, title="NPS", buttons="ok", mode="info")


# --------------------------------------------------------------------------- first click

#: Names of the charts the first click adds (the refresh finds them again by these names).
CHART_NAMES = {cid: f"NPS {cid.replace('_', ' ')}" for cid, *_ in L.CHARTS}
#: Industry of the Dashboard's benchmark block on the first click (as ``nps-xl report``).
SET_UP_INDUSTRY = "global"


def set_up(book: xw.Book, lang: str = "en") -> str:
    """Set the workbook up as the template: every layout sheet that is missing is added.

    * Responses: the Excel Table ``Responses`` (localized headers, one empty row);
    * Dashboard: labels, the formulas of :func:`layout.dashboard_formulas` (plain Excel, they
      follow the table by themselves), number formats and the charts;
    * the defined names of :func:`layout.defined_names` and the Benchmarks lookup ranges;
    * Benchmarks (cited figures + band table), About, and the header row of every report table.

    A sheet that already exists (the user's, or an earlier set-up) is never written to; names
    pointing at it are not added.
    """
    names = L.sheet_names(lang)
    existing = {s.name.lower() for s in book.sheets}
    new = [sid for sid in L.SHEETS if names[sid].lower() not in existing]
    sheets = {sid: _add_sheet(book, names[sid]) for sid in new}
    notes = []
    if "responses" in sheets and not _add_responses_table(sheets["responses"], lang):
        notes.append(text("refresh_no_table", lang, sheet=names["responses"]))
    bench = benchmark_rows(lang)
    figures = benchmarks.benchmark_table(lang=None)
    scheme = benchmarks.BAND_SCHEMES["five"]
    defined = {}
    if "dashboard" in sheets:
        defined.update(L.defined_names(lang))
    if "benchmarks" in sheets:
        defined.update(L.benchmark_sheet_names(lang, len(figures), len(scheme.keys)))
    _add_names(book, defined)
    if "benchmarks" in sheets:
        write_cells(sheets["benchmarks"], benchmarks_sheet_cells(lang))
    if "dashboard" in sheets:
        _write_dashboard(sheets["dashboard"], lang, bench)
    if "about" in sheets:
        write_cells(sheets["about"], about_cells(lang))
    for sid in WRITTEN_SHEETS:
        if sid in sheets:
            sheets[sid].range("A1").value = [empty_report_header(sid, lang)]
    if "dashboard" in sheets:
        add_charts(book, names, lang)
    message = text("refresh_set_up", lang, sheets=", ".join(names[s] for s in new) or "-")
    return " ".join([message, *notes])


def _add_responses_table(sheet, lang: str) -> bool:
    """Header row + the ``Responses`` Table; False where the engine cannot add tables."""
    headers = list(L.response_headers(lang).values())
    sheet.range("A1").value = [headers]
    try:
        sheet.tables.add(
            source=sheet.range((1, 1), (2, len(headers))),
            name=L.RESPONSES_TABLE,
            table_style_name="TableStyleMedium2",
            has_headers=True,
        )
    except NotImplementedError:
        return False
    return True


def _add_names(book: xw.Book, defined: dict[str, str]) -> None:
    """Add workbook-scoped names that the workbook does not have yet (never redefine)."""
    have = {n.name.lower() for n in book.names}
    for name, refers_to in defined.items():
        if name.lower() not in have:
            book.names.add(name, refers_to)


def benchmark_rows(lang: str = "en", industry: str = SET_UP_INDUSTRY) -> list[tuple]:
    """``(lookup key, statistic id, label, year)`` of the industry's published figures, newest
    year first, at most ``layout.BENCH_MAX_ROWS`` (the rows ``nps-xl report`` shows)."""
    table = benchmarks.benchmark_table(lang=None)
    rows = table[table["industry"] == industry].copy()
    rows["order"] = rows["statistic"].map(benchmarks.STATISTICS.index)
    rows = rows.sort_values(["year", "order"], ascending=[False, True], kind="stable")
    return [
        (
            L.bench_key(industry, r.statistic, r.year),
            r.statistic,
            f"{text('benchmark_' + r.statistic, lang)} ({int(r.year)})",
            int(r.year),
        )
        for r in rows.head(L.BENCH_MAX_ROWS).itertuples()
    ]


def dashboard_cells(lang: str, bench: list[tuple]) -> tuple[dict[str, object], dict[str, str]]:
    """``(constant cells, formula cells)`` of the Dashboard, both keyed by A1 cell."""
    industry = text(f"industry_{SET_UP_INDUSTRY}", lang)
    labels = tuple(label for _k, _s, label, _y in bench)
    constants = L.dashboard_cells(lang, industry, labels)
    formulas = L.dashboard_formulas(lang, tuple((k, s) for k, s, _l, _y in bench))
    return constants, formulas


def _write_dashboard(sheet, lang: str, bench: list[tuple]) -> None:
    constants, formulas = dashboard_cells(lang, bench)
    write_cells(sheet, constants)
    for anchor, block in formula_blocks(formulas):
        sheet.range(anchor).formula = block
    formats = L.dashboard_formats()
    for i in range(len(bench)):
        for col, fmt in L.BENCH_FORMATS.items():
            formats[L.cell(L.BENCH_FIRST_ROW + i, col)] = fmt
    for ref, fmt in formats.items():
        sheet.range(ref).number_format = fmt


def benchmarks_sheet_cells(lang: str) -> dict[str, object]:
    """The Benchmarks sheet: cited figures with their lookup keys, then the band table."""
    ids = benchmarks.benchmark_table(lang=None)
    shown = benchmarks.benchmark_table(lang=lang)
    shown["key"] = [L.bench_key(r.industry, r.statistic, r.year) for r in ids.itertuples()]
    cells: dict[str, object] = {}
    for j, column in enumerate(L.BENCHMARK_SHEET_COLUMNS):
        cells[L.cell(0, j)] = column if column == "key" else L.header_text(column, lang)
        for i, value in enumerate(shown[column].to_numpy(dtype=object)):
            cells[L.cell(i + 1, j)] = _cell_value(value, "", "")
    scheme = benchmarks.BAND_SCHEMES["five"]
    c0 = L.BAND_FROM_COL
    cells[L.cell(0, c0)] = text("wb_band_from", lang)
    cells[L.cell(0, c0 + 1)] = text("band", lang)
    for i, (bound, key) in enumerate(zip((-100.0, *scheme.thresholds), scheme.keys, strict=True)):
        cells[L.cell(i + 1, c0)] = bound
        cells[L.cell(i + 1, c0 + 1)] = text(key, lang)
    return cells


def about_cells(lang: str) -> dict[str, object]:
    names = L.sheet_names(lang)
    cells: dict[str, object] = {"A1": text("wb_about_title", lang)}
    lines = [text(key, lang, **({"sheet": names[s]} if s else {})) for key, s in L.ABOUT_LINES]
    lines.append(benchmarks.BAND_SCHEMES["five"].source)
    for i, line in enumerate(lines):
        cells[L.cell(L.ABOUT_FIRST_ROW + i, 0)] = line
    return cells


def empty_report_header(sid: str, lang: str) -> list[str]:
    """Header row of a report sheet before any answers (Follow-up without segment columns)."""
    columns = {
        "trend": L.TREND_COLUMNS,
        "segments": L.SEGMENT_COLUMNS,
        "followup": (*L.FOLLOWUP_FIRST_COLUMNS, L.FOLLOWUP_LAST_COLUMN),
        "themes": L.THEME_COLUMNS,
        "invalid": L.INVALID_COLUMNS,
    }[sid]
    header = [L.header_text(c, lang) for c in columns]
    if sid == "segments":
        header[-1] = text("benchmark_average", lang)
    return header


_CELL = re.compile(r"([A-Z]{1,3})(\d+)")


def _coords(ref: str) -> tuple[int, int]:
    """``"B5"`` → 0-based (row, col)."""
    letters, digits = _CELL.fullmatch(ref).groups()
    col = 0
    for ch in letters:
        col = col * 26 + ord(ch) - 64
    return int(digits) - 1, col - 1


def _grid(cells: dict[str, object]) -> list[list[object]]:
    """The cells as one rectangle from A1 (None where nothing is written)."""
    coords = {_coords(ref): value for ref, value in cells.items()}
    rows = max(r for r, _ in coords) + 1
    cols = max(c for _, c in coords) + 1
    grid: list[list[object]] = [[None] * cols for _ in range(rows)]
    for (r, c), value in coords.items():
        grid[r][c] = value
    return grid


def write_cells(sheet, cells: dict[str, object]) -> None:
    """Write constant cells in one block from A1 (the sheet is new, so blanks cost nothing)."""
    if cells:
        sheet.range("A1").value = _grid(cells)


def formula_blocks(formulas: dict[str, str]) -> list[tuple[str, list[list[str]]]]:
    """Group formula cells into runs of consecutive rows in one column: ``(top cell, rows)``.

    One action per run instead of one per cell; the formulas themselves are unchanged.
    """
    by_col: dict[int, list[tuple[int, str]]] = {}
    for ref, formula in formulas.items():
        r, c = _coords(ref)
        by_col.setdefault(c, []).append((r, formula))
    blocks = []
    for c in sorted(by_col):
        run: list[tuple[int, str]] = []
        for r, formula in sorted(by_col[c]):
            if run and r != run[-1][0] + 1:
                blocks.append((L.cell(run[0][0], c), [[f] for _, f in run]))
                run = []
            run.append((r, formula))
        blocks.append((L.cell(run[0][0], c), [[f] for _, f in run]))
    return blocks
