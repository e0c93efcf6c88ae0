"""Write the NPS workbook described by :mod:`nps_xl.workbook.layout` with XlsxWriter.

``write_report`` makes the report of a survey (the CLI's ``nps-xl report``); ``write_template``
and ``write_templates`` make the shipped workbooks in ``workbook_templates/``.

* Dashboard figures are Excel formulas over ``Responses[Score]`` with the Python value cached,
  so a file shows numbers before any recalculation and still follows the table when edited.
* Every user text goes through ``write_string`` and the workbook is opened with
  ``strings_to_formulas/numbers/urls`` off: a comment ``=1+1`` or ``@SUM(A1)`` stays text.
* Files are deterministic (fixed creation date), so regenerated templates are byte-identical.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import numbers
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_cell_to_rowcol, xl_range
from xlsxwriter.worksheet import Worksheet

from nps_xl.dates import EXCEL_DAY0, dates_or_nat, excel_serials
from nps_xl.i18n import LANGUAGES, normalize_language, text
from nps_xl.report import FOLLOW_UP_LIMIT, Report, ReportColumns, ReportOptions, build_report
from nps_xl.workbook import layout as L
from nps_xl.workbook import sheets
from nps_xl.workbook.cells import (
    EXCEL_MAX_TEXT,
    TextWorksheet,
    unique_headers,
    write_text,
    xstring,
)

#: XlsxWriter options: never turn user text into formulas, numbers or links.
WORKBOOK_OPTIONS = {
    "strings_to_formulas": False,
    "strings_to_numbers": False,
    "strings_to_urls": False,
    "nan_inf_to_errors": True,
}
#: Creation date written into every file, so regenerating a template gives the same bytes.
FIXED_CREATED = dt.datetime(2025, 1, 1)
SAMPLE_SURVEY = Path(__file__).resolve().parent.parent / "data" / "sample_survey.csv"
SAMPLE_SEGMENTS = ("Region", "Product", "Channel", "Customer tenure")
TEMPLATE_FILES = ("nps_survey.xlsx", "nps_dashboard.xlsx")
_EXCEL_MAX_ROW = 1_048_575  # 0-based index of Excel's last row
#: From this many answers on, the Responses sheet is streamed to disk row by row (XlsxWriter's
#: constant_memory for that sheet alone; its text cells become inline strings). Below it the
#: sheet uses the shared-string table like every other sheet, which every reader supports.
STREAM_ANSWERS_FROM = 50_000


def write_report(
    path: str | Path,
    frame: pd.DataFrame,
    *,
    score: str = "Score",
    date: str = "Date",
    comment: str = "Comment",
    response_id: str = "Response ID",
    segments: Sequence[str] = (),
    lang: str = "en",
    period: str = "month",
    target: float | None = None,
    industry: str = "global",
    embed_answers: bool = True,
    confidence: float = 0.95,
    follow_up_limit: int | None = FOLLOW_UP_LIMIT,
    scale: object = None,
    weight: str | None = None,
    report: Report | None = None,
    tmpdir: str | Path | None = None,
    more: Sequence[tuple[str, Report]] = (),
    drivers: Sequence[str] = (),
) -> Path:
    """Write the NPS report of ``frame`` (one row per answer) to ``path`` (.xlsx).

    ``score`` must be a column of ``frame``; ``date``, ``comment`` and ``response_id`` are used
    when present. Invalid scores are kept in the Responses table as typed, left out of every
    figure and listed on the Invalid answers sheet. ``embed_answers=False`` (aggregates-only,
    for very large surveys) writes no Responses rows: Dashboard figures are then values.
    ``follow_up_limit`` (default 5,000; ``None``: no limit) caps the Follow-up list at the
    newest detractors; when some are left out, a note in the sheet's header row says how many
    and where to find them (the Responses table, or the survey export when answers are not
    embedded). Every figure still counts every answer.

    ``report``: the :class:`~nps_xl.report.Report` of ``frame`` already built (the CLI builds
    it once for its terminal summary and this workbook); otherwise it is built here from the
    options above. ``tmpdir``: where XlsxWriter keeps its temporary files (default: the
    system's temp folder). ``more``: further questions of the same export (relationship and
    product NPS, eNPS) as ``(question, Report)``; each gets a Dashboard sheet of its own
    (its figures as values) after the report's sheets. ``drivers``: rating columns of
    ``frame`` ranked on the Drivers sheet (:func:`nps_xl.drivers`) and kept, as numbers, at
    the end of the Responses table. Returns the path written.
    """
    if report is None:
        options = ReportOptions(
            scale=scale,
            period=period,
            confidence=confidence,
            target=target,
            industry=industry,
            lang=lang,
            follow_up_limit=follow_up_limit,
        )
        columns = ReportColumns(
            score, date, comment, response_id, tuple(segments), weight, tuple(drivers)
        )
        report = build_report(frame, columns, options)
    stream = embed_answers and len(frame) >= STREAM_ANSWERS_FROM
    _ReportWriter(
        Path(path), report, frame, embed=embed_answers, stream=stream, tmpdir=tmpdir, more=more
    ).write()
    return Path(path)


def write_template(
    path: str | Path, *, lang: str = "en", frame: pd.DataFrame | None = None
) -> Path:
    """Write a template: empty Responses table (``frame=None``) or filled with ``frame``
    (columns Response ID, Date, Score, Comment and the sample's segment columns)."""
    lang = normalize_language(lang)
    if frame is None:
        frame = pd.DataFrame({c: pd.Series(dtype=object) for c in _BASE_NAMES})
        segs: tuple[str, ...] = ()
    else:
        segs = tuple(c for c in frame.columns if c in SAMPLE_SEGMENTS)
        rename = {c: L.segment_header(c, lang) for c in segs}
        frame = frame.rename(columns=rename)
        segs = tuple(rename[c] for c in segs)
    return write_report(path, frame, segments=segs, lang=lang)


def write_templates(directory: str | Path) -> list[Path]:
    """Write ``nps_survey.xlsx`` and ``nps_dashboard.xlsx`` for every language: English in
    ``directory``, the others in ``directory/<lang>/``. Returns the files written."""
    directory = Path(directory)
    sample = read_sample_survey()
    written = []
    for lang in LANGUAGES:
        target = directory if lang == "en" else directory / lang
        target.mkdir(parents=True, exist_ok=True)
        written.append(write_template(target / TEMPLATE_FILES[0], lang=lang))
        written.append(write_template(target / TEMPLATE_FILES[1], lang=lang, frame=sample))
    return written


def read_sample_survey() -> pd.DataFrame:
    """The bundled sample survey with the template's columns."""
    # keep_default_na=False: a respondent's "N/A" is an invalid answer to list, not a blank
    frame = pd.read_csv(
        SAMPLE_SURVEY,
        dtype={"Response ID": str, "Comment": str},
        keep_default_na=False,
        na_values=[""],
    )
    frame["Date"] = pd.to_datetime(frame["Date"])
    return frame[[*_BASE_NAMES, *SAMPLE_SEGMENTS]]


_BASE_NAMES = ("Response ID", "Date", "Score", "Comment")


# --------------------------------------------------------------------------- the writer


class _ReportWriter:
    """Puts a :class:`~nps_xl.report.Report` into a new workbook with XlsxWriter: the cells of
    :mod:`nps_xl.workbook.sheets`, styled; the Responses table streamed from the answers."""

    def __init__(
        self,
        path: Path,
        report: Report,
        frame: pd.DataFrame,
        *,
        embed: bool,
        stream: bool,
        tmpdir: str | Path | None = None,
        more: Sequence[tuple[str, Report]] = (),
    ) -> None:
        self.report = report
        self.more = tuple(more)
        self.frame = frame
        self.lang = report.lang
        self.embed = embed
        self.names = L.sheet_names(self.lang)
        options = dict(WORKBOOK_OPTIONS, **({"tmpdir": str(tmpdir)} if tmpdir else {}))
        self.book = xlsxwriter.Workbook(str(path), options)
        self.book.set_properties({"created": FIXED_CREATED, "title": self.t("wb_title")})
        self.sheets = {}
        self._widths: dict[str, dict[int, int]] = {}
        for sid in L.SHEETS:
            # Only the Responses sheet streams its rows to disk (XlsxWriter's constant_memory,
            # read per sheet when it is added): a 1M-answer table kept as cell objects costs
            # over 1 GB. Its rows are then written strictly in row order (_write_responses).
            self.book.constant_memory = stream and sid == "responses"
            self.sheets[sid] = self.book.add_worksheet(self.names[sid], TextWorksheet)
        self.book.constant_memory = False
        self._formats()

    def t(self, key: str, **fields: object) -> str:
        return text(key, self.lang, **fields)

    # ----------------------------------------------------------------------- formats
    def _formats(self) -> None:
        self._styles = {
            None: {},
            "title": {"bold": True, "font_size": 16, "font_color": "#1F3864"},
            "note": {"italic": True, "font_color": "#595959"},
            "header": {"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True},
            "label": {"bold": True},
            "input": {"bg_color": "#FFF2CC", "border": 1},
            "wrap": {"text_wrap": True, "valign": "top"},
            "more": {"bold": True, "font_color": "#C00000"},
            **{
                cat: {"bg_color": colour, "font_color": "#FFFFFF", "bold": True}
                for cat, colour in L.COLOURS.items()
            },
        }
        self._made: dict[tuple[str | None, str | None], object] = {}
        self.f_cf = {
            k: self.book.add_format({"bg_color": v, "font_color": "#FFFFFF"})
            for k, v in L.COLOURS.items()
        }

    def style(self, kind: str | None = None, number_format: str | None = None):
        """The format of a ``kind`` of cell (title, header, …) with a number format."""
        key = (kind, number_format or None)
        if key not in self._made:
            props = dict(self._styles[kind])
            if number_format:
                props["num_format"] = number_format
            self._made[key] = self.book.add_format(props) if props else None
        return self._made[key]

    def num(self, fmt: str | None):
        return self.style(None, fmt)

    # ----------------------------------------------------------------------- printing
    def _width(self, ws: Worksheet, first: int, last: int, width: float, fmt=None) -> None:
        """``set_column``, remembering each column's width for :meth:`_print`."""
        ws.set_column(first, last, width, fmt)
        widths = self._widths.setdefault(ws.name, {})
        for j in range(first, last + 1):
            widths[j] = L.column_pixels(width)

    def _print(self, ws: Worksheet, setup: L.PrintSetup) -> None:
        """The page setup of :data:`layout.PRINT` for one sheet.

        Excel reads "fit to N pages" only when the sheet's ``sheetPr/pageSetUpPr`` has
        ``fitToPage="1"``; ``pageSetup fitToHeight="0"`` then means "as many pages tall as
        needed" (ECMA-376 Part 1 §18.3.1.65 pageSetUpPr, §18.3.1.63 pageSetup). LibreOffice
        also scales a sheet whose pageSetUpPr lacks it; XlsxWriter's ``fit_to_pages`` writes
        both. Rows repeated on every page are the defined name ``_xlnm.Print_Titles`` scoped
        to the sheet (``localSheetId``) with a whole-row reference ``'Sheet'!$1:$1``
        (§18.2.5 definedName, built-in names); ``tests/test_workbook_printing.py`` reads both.
        """
        known = self._widths.get(ws.name, {})  # every used column has a width set
        widths = [known.get(j, L.DEFAULT_COLUMN_PIXELS) for j in range(max(known, default=0) + 1)]
        if L.print_landscape(setup, widths):
            ws.set_landscape()
        else:
            ws.set_portrait()
        ws.set_paper(L.PAPER)
        ws.set_margins(**L.MARGINS)
        ws.set_header("", {"margin": L.HEADER_MARGIN})
        ws.set_footer(L.FOOTER, {"margin": L.FOOTER_MARGIN})
        ws.fit_to_pages(setup.pages_wide, setup.pages_tall)
        if setup.repeat_rows:
            ws.repeat_rows(0, setup.repeat_rows - 1)
        if setup.area is not None:
            ws.print_area(*setup.area)

    # ----------------------------------------------------------------------- main
    def write(self) -> None:
        try:
            self._write()
        except xlsxwriter.exceptions.FileCreateError as exc:
            # the machine's error (permission denied, a full disk, a file-size limit) as the
            # OSError it is; XlsxWriter leaves its zip file open, whose destructor would try
            # to finish the file and print a traceback on stderr
            _release_zip(exc)
            self.book.fileclosed = True
            cause = exc.args[0] if exc.args and isinstance(exc.args[0], OSError) else None
            if cause is None:
                raise
            raise OSError(cause.errno, cause.strerror, cause.filename) from None
        finally:
            _remove_stream_files(self.sheets.values())

    def _write(self) -> None:
        report = self.report
        if self.embed:
            self._write_responses()
        self._write_dashboard()
        grids = sheets.report_tables(report, embedded=self.embed)
        for sid, grid in grids.items():
            self._write_grid(self.sheets[sid], grid)
        self.trend_rows = len(grids["trend"].rows)
        self.segment_rows = len(grids["segments"].rows)
        self.driver_rows = 0 if report.drivers is None else len(report.drivers.importance)
        # the chart categories as text, as Excel caches a text range (c:strRef): the periods
        # as written ("2025-05", never a date Excel splits into year and month) and the
        # segment groups (layout.SEGMENT_CHART_LABEL)
        label = L.SEGMENT_COLUMNS.index(L.SEGMENT_CHART_LABEL)
        self.trend_labels = _labels(row[0] for row in grids["trend"].rows)
        self.segment_labels = _labels(row[label] for row in grids["segments"].rows)
        self._follow_up_inputs(grids["followup"])
        self._write_benchmarks()
        self._write_about()
        self._charts()
        for sid, ws in self.sheets.items():
            self._print(ws, L.PRINT[sid])
        for i, (question, report) in enumerate(self.more, start=2):
            self._write_question(i, question, report)
        options = self.report.options
        stated = options.scale if options.scale_stated else None
        names = L.defined_names(
            self.lang, stated, options.follow_up_limit, weighted=self.report.weighted
        )
        for name, ref in names.items():
            self.book.define_name(name, ref)
        self.sheets["dashboard"].activate()
        self.book.close()

    def _put(self, ws: Worksheet, row: int, col: int, value: object, fmt=None) -> None:
        """One cell of :mod:`nps_xl.workbook.sheets` (a Formula keeps its cached value)."""
        if isinstance(value, sheets.Formula):
            cached = value.cached
            if not isinstance(cached, (int, np.integer)) or isinstance(cached, bool):
                cached = _cached(cached)  # counts stay whole numbers: "0", not "0.0"
            ws.write_formula(row, col, value.formula, fmt, cached)
        else:
            _write_value(ws, row, col, value, fmt, fmt)

    def _write_cells(self, ws: Worksheet, cells: Mapping[str, object], formats) -> None:
        """``{A1: value}`` with ``formats(A1)`` giving each cell's format."""
        for ref, value in cells.items():
            row, col = xl_cell_to_rowcol(ref)
            self._put(ws, row, col, value, formats(ref))

    # ----------------------------------------------------------------------- Responses
    def _write_responses(self) -> None:
        ws = self.sheets["responses"]
        frame = self.frame
        cols = self.report.columns
        segments = cols.segments
        headers = L.response_headers(self.lang)
        # a weighted report's Weight column right after the fixed ones (the weighted
        # Dashboard's formulas read it), then the segments
        weights = [L.WEIGHT_COLUMN_KEY] if cols.weight is not None else []
        headers[L.WEIGHT_COLUMN_KEY] = L.weight_header(self.lang)
        # the key drivers' rating columns last, as numbers: the refresh finds them again by
        # their values (excel.refresh.drivers_of)
        drivers = tuple(d for d in cols.drivers if d in frame.columns)
        order = [*L.RESPONSE_COLUMNS, *weights, *segments, *drivers]
        # the fixed columns by their role, segments by their own name (a segment may be
        # called "score" or "date": it is still a segment)
        roles = [
            *L.RESPONSE_COLUMNS,
            *weights,
            *["segment"] * len(segments),
            *["driver"] * len(drivers),
        ]
        names = {
            "response_id": cols.response_id,
            "date": cols.date,
            "score": cols.score,
            "comment": cols.comment,
            "weight": cols.weight,
        }
        n = len(frame)
        first = L.RESPONSES_ORIGIN[0] + 1
        last_row = first + max(n, 1) - 1
        # names repeated (also in other case) are numbered by _add_table_first, as Excel does
        table_headers = [headers[k] for k in (*L.RESPONSE_COLUMNS, *weights)]
        table_headers += [*segments, *drivers]
        _add_table_first(
            ws,
            L.RESPONSES_ORIGIN[0],
            0,
            last_row,
            len(order) - 1,
            {
                "name": L.RESPONSES_TABLE,
                "columns": [{"header": h} for h in table_headers],
                "style": "Table Style Medium 2",
            },
        )
        f_date = self.num(self.t("excel_date_format"))
        # each column becomes a function giving the cells of a block of rows (see _cell)
        cells: list[tuple[int, object, object]] = []
        for j, (key, role) in enumerate(zip(order, roles, strict=True)):
            col_name = names.get(role, key)
            if role == "score":
                cells.append((j, self._score_cells(), None))
            elif col_name is not None and col_name in frame.columns:
                if role == "date":
                    cells.append((j, _date_cells(frame[col_name]), f_date))
                elif role == "driver":
                    cells.append((j, _rating_cells(frame[col_name]), None))
                else:
                    cells.append((j, _text_cells(frame[col_name]), None))
            self._width(ws, j, j, 30 if role == "comment" else 14)
        _write_rows(ws, first, cells, n)
        sc = L.SCORE_COLUMN
        scale = self.report.options.scale
        ws.data_validation(
            first,
            sc,
            _EXCEL_MAX_ROW,
            sc,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": scale.minimum,
                "maximum": scale.maximum,
                "ignore_blank": True,
                "input_title": self.t("wb_score_input_title"),
                "input_message": self.t("wb_score_input_message")[:255],
                "error_title": self.t("wb_score_error_title"),
                "error_message": self.t("wb_score_error_message")[:255],
                "error_type": "stop",
            },
        )
        for key, lo, hi in (
            ("detractors", scale.minimum, scale.detractor_max),
            ("passives", scale.detractor_max + 1, scale.passive_max),
            ("promoters", scale.passive_max + 1, scale.maximum),
        ):
            if lo > hi:  # a scale without passives
                continue
            ws.conditional_format(
                first,
                sc,
                _EXCEL_MAX_ROW,
                sc,
                {
                    "type": "cell",
                    "criteria": "between",
                    "minimum": lo,
                    "maximum": hi,
                    "format": self.f_cf[key],
                },
            )
        if weights:
            wc = L.WEIGHT_COLUMN
            ws.data_validation(
                first,
                wc,
                _EXCEL_MAX_ROW,
                wc,
                {
                    "validate": "decimal",
                    "criteria": ">=",
                    "value": 0,
                    "ignore_blank": True,
                    "error_title": L.weight_header(self.lang),
                    "error_message": self.t(
                        "wb_no_weight_message", column=L.weight_header(self.lang)
                    )[:255],
                    "error_type": "stop",
                },
            )
        ws.freeze_panes(1, 0)

    def _score_cells(self):
        """Valid scores as numbers, invalid ones as typed (text stays text), blanks None."""
        parsed = self.report.answers.parsed
        values, status = parsed.values, parsed.status
        raw = self.frame[self.report.columns.score]

        def block(a: int, b: int) -> list:
            out = values[a:b].tolist()  # NaN where blank or invalid
            for i in np.flatnonzero(status[a:b] != 0).tolist():
                out[i] = None if status[a + i] == 1 else _invalid_score_cell(raw.iloc[a + i])
            return out

        return block

    # ----------------------------------------------------------------------- Dashboard
    def _dashboard_styles(self) -> dict[str, str]:
        """The kind of each styled Dashboard cell (title, header, label, category…), by A1."""
        kinds = {L.cell(L.TITLE_ROW, 0): "title", L.cell(L.NOTE_ROW, 0): "note"}
        for j in range(len(L.HEADLINE_HEADERS)):
            kinds[L.cell(L.HEADLINE_HEADER_ROW, j)] = "header"
        for j in range(len(L.DIST_HEADERS)):
            kinds[L.cell(L.DIST_HEADER_ROW, L.DIST_SCORE_COL + j)] = "header"
        for j in range(len(L.BENCH_COLUMNS)):
            kinds[L.cell(L.BENCH_HEADER_ROW, j)] = "header"
        kinds[L.cell(L.BENCH_TITLE_ROW, 0)] = "label"
        categories = {"NPS_Promoters": "promoters", "NPS_Passives": "passives",
                      "NPS_Detractors": "detractors"}  # fmt: skip
        kinds[L.cell(*L.SMALL_SAMPLE_CELL)] = "more"
        kinds[L.cell(*L.NO_WEIGHT_NOTE_CELL)] = "more"
        for fig in L.figures(self.report.weighted):
            kinds[L.cell(fig.row, 0)] = categories.get(fig.name, "label")
            if fig.is_input:
                kinds[L.cell(fig.row, L.VALUE_COL)] = "input"
        scale = self.report.options.scale
        for i, k in enumerate(L.scale_points(scale)):
            kinds[L.cell(L.DIST_FIRST_ROW + i, L.DIST_CATEGORY_COL)] = L.score_category(k, scale)
        return kinds

    def _write_dashboard(self) -> None:
        ws = self.sheets["dashboard"]
        ws.hide_gridlines(2)
        self._width(ws, 0, 0, 26)
        self._width(ws, 1, 2, 12)
        self._width(ws, 3, 3, 22)
        self._width(ws, 4, 5, 8)
        self._width(ws, 6, 6, 14)
        cells = sheets.dashboard_cells(self.report, formulas=self.embed)
        if self.embed and self.report.rows == 0:
            # an empty Responses table keeps one blank row, which COUNTBLANK counts
            blank = L.cell(L.FIGURE_BY_NAME["NPS_Blank"].row, L.VALUE_COL)
            cells[blank] = sheets.Formula(cells[blank].formula, self.report.headline.blank + 1)
        formats = sheets.dashboard_formats(self.report)
        kinds = self._dashboard_styles()
        for fig in L.FIGURES:
            if fig.is_input:  # the input cells are styled even when empty
                cells.setdefault(L.cell(fig.row, L.VALUE_COL), None)
        self._write_cells(ws, cells, lambda ref: self.style(kinds.get(ref), formats.get(ref)))
        row = L.FIGURE_BY_NAME["NPS_Target"].row
        ws.data_validation(
            row,
            L.VALUE_COL,
            row,
            L.VALUE_COL,
            {
                "validate": "decimal",
                "criteria": "between",
                "minimum": -100,
                "maximum": 100,
                "input_title": self.t("target"),
                "input_message": self.t("wb_target_message"),
            },
        )
        # a population is a number of people, at least 1 (the formulas also say when it is
        # below n: a pasted value escapes the validation)
        row = L.FIGURE_BY_NAME["NPS_Population"].row
        ws.data_validation(
            row,
            L.VALUE_COL,
            row,
            L.VALUE_COL,
            {
                "validate": "decimal",
                "criteria": ">=",
                "value": 1,
                "input_title": self.t("population"),
                "input_message": self.t("wb_population_message")[:255],
                "error_title": self.t("population"),
                "error_message": self.t("wb_population_invalid"),
            },
        )

    def _write_question(self, number: int, question: str, report: Report) -> None:
        """A further question's Dashboard: the same block, its figures as values (the
        workbook's formulas and names belong to the first question)."""
        name = L.check_sheet_name(f"{self.names['dashboard'][:27]} {number}")
        ws = self.book.add_worksheet(name, TextWorksheet)
        ws.hide_gridlines(2)
        self._width(ws, 0, 0, 26)
        self._width(ws, 1, 2, 12)
        self._width(ws, 3, 3, 22)
        self._width(ws, 4, 6, 10)
        cells = sheets.dashboard_cells(report, formulas=False)
        cells = {r: v.cached if isinstance(v, sheets.Formula) else v for r, v in cells.items()}
        cells[L.cell(L.TITLE_ROW, 0)] = f"{self.t('wb_title')} — {question}"
        cells.pop(L.cell(L.NOTE_ROW, 0), None)  # the first Dashboard's note is not this one's
        formats = sheets.dashboard_formats(report)
        kinds = self._dashboard_styles()
        self._write_cells(ws, cells, lambda ref: self.style(kinds.get(ref), formats.get(ref)))
        self._print(ws, L.PRINT_QUESTION)

    # ----------------------------------------------------------------------- report tables
    def _write_grid(self, ws: Worksheet, grid: sheets.Grid) -> None:
        """A report table from A1: header, rows, number formats; frozen header row."""
        header = self.style("header")
        for j, (key, title) in enumerate(zip(grid.columns, grid.header, strict=True)):
            if title:  # the Drivers sheet's gap between its two tables has no header
                ws.write_string(0, j, title, header)
            wide = key == "comment" or key.endswith(".driver")
            self._width(ws, j, j, 30 if wide else (3 if not key else 13))
        formats = [self.num(grid.formats.get(j)) for j in range(grid.width)]
        put, number, finite = self._put, ws.write_number, math.isfinite
        for i, row in enumerate(grid.rows, start=1):
            for j, value in enumerate(row):
                if type(value) is float and finite(value):  # most cells: no dispatch needed
                    number(i, j, value, formats[j])
                elif value is not None or formats[j] is not None:
                    put(ws, i, j, value, formats[j])
        if grid.note:
            ws.write_string(0, grid.width + 1, grid.note, self.style("more"))
        if grid.empty:
            ws.write_string(1, 0, grid.empty, self.style("note"))
        ws.freeze_panes(1, 0)

    def _follow_up_inputs(self, grid: sheets.Grid) -> None:
        """The Status column is the user's: an input colour, a prompt, and a filter."""
        ws = self.sheets["followup"]
        n = len(grid.rows)
        status_col = grid.columns.index(L.FOLLOWUP_LAST_COLUMN)
        self._width(ws, status_col, status_col, 24, self.style("input"))
        ws.data_validation(
            1,
            status_col,
            max(n, 1) + 200,
            status_col,
            {
                "validate": "any",
                "input_title": self.t("status"),
                "input_message": self.t("wb_status_message"),
            },
        )
        ws.autofilter(0, 0, max(n, 1), grid.width - 1)

    def _write_benchmarks(self) -> None:
        ws = self.sheets["benchmarks"]
        header = self.style("header")
        self._write_cells(
            ws,
            sheets.benchmarks_sheet_cells(self.lang),
            lambda ref: header if xl_cell_to_rowcol(ref)[0] == 0 else None,
        )
        ws.freeze_panes(1, 0)
        self._width(ws, 0, 0, 28)
        self._width(ws, 1, 2, 13)
        self._width(ws, 3, 3, 60)
        self._width(ws, 4, 5, 13)
        self._width(ws, L.BAND_FROM_COL + 1, L.BAND_FROM_COL + 1, 20)
        ranges = L.benchmark_sheet_names(
            self.lang, sheets.benchmark_figure_count(), sheets.band_count()
        )
        for name, ref in ranges.items():
            self.book.define_name(name, ref)

    def _write_about(self) -> None:
        ws = self.sheets["about"]
        self._width(ws, 0, 0, 120, self.style("wrap"))
        title = self.style("title")
        self._write_cells(
            ws, sheets.about_cells(self.lang), lambda ref: title if ref == "A1" else None
        )

    # ----------------------------------------------------------------------- charts
    def _charts(self) -> None:
        ws = self.sheets["dashboard"]
        dash = self.names["dashboard"]
        anchors = {cid: (anchor, size, key) for cid, key, anchor, size in L.CHARTS}
        colour = L.COLOURS

        def place(chart, cid: str, x_axis: dict | None = None) -> None:
            anchor, (w, h), key = anchors[cid]
            chart.set_title({"name": self.t(key), "name_font": {"size": L.CHART_TITLE_SIZE}})
            chart.set_size({"width": w, "height": h})
            axis = L.CHART_AXES.get(cid)
            if axis is not None:
                chart.set_x_axis(
                    {
                        **(x_axis or {}),
                        "label_position": axis.label_position,
                        "num_font": {"rotation": axis.rotation},
                    }
                )
            ws.insert_chart(anchor, chart)

        # category mix: doughnut over the three category rows of the headline block
        first = L.FIGURE_BY_NAME["NPS_Promoters"].row
        last = L.FIGURE_BY_NAME["NPS_Detractors"].row
        mix = self.book.add_chart({"type": "doughnut"})
        mix.add_series(
            {
                "categories": L.range_ref(dash, first, 0, last),
                "values": L.range_ref(dash, first, L.VALUE_COL, last),
                "points": [
                    {"fill": {"color": colour[k]}} for k in ("promoters", "passives", "detractors")
                ],
                "data_labels": {"percentage": True},
            }
        )
        mix.set_hole_size(50)
        place(mix, "category_mix")

        # the score distribution coloured by category
        dist = self.book.add_chart({"type": "column"})
        scale = self.report.options.scale
        scores = L.scale_points(scale)
        points = [{"fill": {"color": colour[L.score_category(k, scale)]}} for k in scores]
        lo, hi = L.DIST_FIRST_ROW, L.DIST_FIRST_ROW + len(scores) - 1
        dist.add_series(
            {
                "name": self.t("count"),
                "categories": L.range_ref(dash, lo, L.DIST_SCORE_COL, hi),
                "values": L.range_ref(dash, lo, L.DIST_COUNT_COL, hi),
                "points": points,
                "gap": 40,
                "data_labels": {"value": True},
            }
        )
        dist.set_legend({"none": True})
        place(dist, "distribution", {"name": self.t("score")})

        # trend with its interval
        trend = self.book.add_chart({"type": "line"})
        tt = self.names["trend"]
        last = max(self.trend_rows, 1)
        cols = L.TREND_COLUMNS
        lines = {
            "nps": {"color": "#1F3864", "width": 2.5},
            "low": {"color": "#8EA9DB", "width": 1, "dash_type": "dash"},
            "high": {"color": "#8EA9DB", "width": 1, "dash_type": "dash"},
            "centre": {"color": "#7F7F7F", "width": 1.25},
            "lower_limit": {"color": "#C00000", "width": 1, "dash_type": "long_dash"},
            "upper_limit": {"color": "#C00000", "width": 1, "dash_type": "long_dash"},
        }
        for key in L.TREND_CHART_SERIES:
            line = lines[key]
            j = cols.index(key)
            series = {
                "name": self.t(key),
                "categories": L.range_ref(tt, 1, 0, last),
                "categories_data": self.trend_labels,
                "values": L.range_ref(tt, 1, j, last),
                "line": line,
            }
            if key == "nps":
                series["marker"] = {"type": "circle", "size": 5, "fill": {"color": "#1F3864"}}
                series["points"] = self._outside_points()
            trend.add_series(series)
        trend.set_y_axis(
            {"name": "NPS", "major_gridlines": {"visible": True, "line": {"color": "#E0E0E0"}}}
        )
        trend.set_legend({"position": "bottom"})
        place(trend, "trend")

        # NPS by segment with the benchmark as a reference line
        seg = self.book.add_chart({"type": "column"})
        st = self.names["segments"]
        last = max(self.segment_rows, 1)
        scols = L.SEGMENT_COLUMNS
        label = scols.index(L.SEGMENT_CHART_LABEL)
        seg.add_series(
            {
                "name": "NPS",
                "categories": L.range_ref(st, 1, label, last),
                "categories_data": self.segment_labels,
                "values": L.range_ref(st, 1, scols.index("nps"), last),
                "fill": {"color": "#4472C4"},
                "gap": 60,
            }
        )
        ref = self.book.add_chart({"type": "line"})
        ref.add_series(
            {
                "name": f"{self.t('benchmark_average')} ({self.report.industry_label})",
                "categories": L.range_ref(st, 1, label, last),
                "categories_data": self.segment_labels,
                "values": L.range_ref(st, 1, scols.index("benchmark"), last),
                "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
            }
        )
        seg.combine(ref)
        seg.set_legend({"position": "bottom"})
        seg.set_y_axis({"name": "NPS"})
        place(seg, "by_segment")
        self._drivers_chart()

    def _drivers_chart(self) -> None:
        """The shares of R² as bars, most important on top, on the Drivers sheet (none when
        there are no drivers)."""
        if not self.driver_rows:
            return
        key, row, col, (w, h) = L.DRIVERS_CHART
        dt_ = self.names["drivers"]
        last = self.driver_rows
        chart = self.book.add_chart({"type": "bar"})
        chart.add_series(
            {
                "name": self.t("drivers_share_pct"),
                "categories": L.range_ref(dt_, 1, L.DRIVER_COLUMNS.index("driver"), last),
                "values": L.range_ref(dt_, 1, L.DRIVER_COLUMNS.index("share"), last),
                "fill": {"color": "#4472C4"},
                "gap": 60,
                "data_labels": {"value": True, "num_format": "0.0"},
            }
        )
        chart.set_title({"name": self.t(key), "name_font": {"size": L.CHART_TITLE_SIZE}})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})  # rank 1 at the top
        chart.set_size({"width": w, "height": h})
        self.sheets["drivers"].insert_chart(row, col, chart)

    def _outside_points(self) -> list[dict | None]:
        """Per-point format of the NPS line: periods outside the control limits get a red
        diamond marker (the Trend sheet's ``out_of_control`` column)."""
        trend = self.report.trend
        if trend is None or "out_of_control" not in trend:
            return []
        outside = [bool(v) if not pd.isna(v) else False for v in trend["out_of_control"]]
        if not any(outside):
            return []
        red = {"type": "diamond", "size": 8, "fill": {"color": "#C00000"}}
        red["border"] = {"color": "#C00000"}
        return [{"marker": red} if o else None for o in outside]


# --------------------------------------------------------------------------- helpers


def _labels(values) -> list[str]:
    """Chart category labels as text (one empty label for an empty table)."""
    return ["" if v is None else str(v) for v in values] or [""]


def _is_blank(value: object) -> bool:
    if value is None or value is pd.NaT or value is pd.NA:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def _cached(value: object) -> object:
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, numbers.Real):
        return float(value) if math.isfinite(float(value)) else ""
    return "" if value is None else value


def _write_value(ws: Worksheet, row: int, col: int, value: object, fmt=None, date_fmt=None):
    """Write one Python value as its Excel type; text always as text."""
    if _is_blank(value):
        if fmt is not None:
            ws.write_blank(row, col, None, fmt)
        return
    if isinstance(value, str):
        write_text(ws, row, col, value, fmt)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        ws.write_datetime(row, col, stamp.to_pydatetime(), date_fmt or fmt)
    elif isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        ws.write_number(row, col, float(value), fmt)
    else:
        write_text(ws, row, col, str(value), fmt)


# --------------------------------------------------------------------------- fast cell writing
# A 1M-answer Responses table is 7M cells: values are converted once per column into Python
# lists (None: leave the cell empty; str: text; float: number), then written row by row with
# write_string / write_number, so nothing is decided per cell beyond its type.


def _cell(value: object) -> object:
    """One value as None (blank), str (text), or float (number, date serial)."""
    if isinstance(value, str):
        return value if value else None
    if _is_blank(value):
        return None
    if isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        return float(excel_serials(np.array([stamp.to_datetime64()]))[0])
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    return str(value)


def _invalid_score_cell(value: object) -> object:
    """An invalid answer as the Responses table keeps it: text and numbers as typed; a date,
    time or boolean as its text. As a number a date would be a date serial, and one in the
    first days of 1900 (serials 0–10) would be counted by the Dashboard as a score."""
    cell = _cell(value)
    if cell.__class__ is float and not isinstance(value, numbers.Real):
        return str(value)
    return cell


def _text_cells(series: pd.Series):
    """A user column: text as text (never a formula), numbers as numbers, blanks None."""
    dtype = series.dtype
    if dtype.kind in "iuf" and not pd.api.types.is_bool_dtype(dtype):
        numbers_ = series.to_numpy(dtype=float, na_value=np.nan)
        return lambda a, b: [None if x != x else x for x in numbers_[a:b].tolist()]
    textual = isinstance(dtype, pd.StringDtype) or dtype == np.dtype(object)

    def block(a: int, b: int) -> list:
        values = series.iloc[a:b].to_numpy(dtype=object).tolist()
        if textual:  # the common case: text or missing; anything else goes through _cell
            return [(v if v else None) if v.__class__ is str else _cell(v) for v in values]
        return [_cell(v) for v in values]

    return block


def _rating_cells(series: pd.Series):
    """A key driver's ratings: numbers (also when the export had them as text, "4"), what is
    not a number as typed, blanks None."""
    numbers_ = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    typed = _text_cells(series)

    def block(a: int, b: int) -> list:
        out = typed(a, b)
        for i, x in enumerate(numbers_[a:b].tolist()):
            if x == x:
                out[i] = x
        return out

    return block


def _date_cells(series: pd.Series):
    """Dates as Excel serial numbers (written with the date format); text that is not a date
    stays text; blanks None."""
    if series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype):
        parsed = series
    else:
        parsed = dates_or_nat(series)  # 2024 Q1, 202401: their first days
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    stamps = parsed.to_numpy(dtype="datetime64[us]")
    missing = np.isnat(stamps)
    serials = excel_serials(np.where(missing, EXCEL_DAY0, stamps))
    del stamps

    def block(a: int, b: int) -> list:
        out = serials[a:b].tolist()
        for i in np.flatnonzero(missing[a:b]).tolist():
            value = series.iloc[a + i]
            out[i] = None if _is_blank(value) else str(value)
        return out

    return block


#: Rows converted to Python values at a time: bounds the memory of the conversion.
_BLOCK_ROWS = 65_536


def _write_rows(ws: Worksheet, first: int, columns: list[tuple[int, object, object]], n: int):
    """Write ``n`` rows from sheet row ``first``, strictly in row order (constant_memory).

    ``columns``: (sheet column, ``block(a, b)`` giving the cells of rows a..b−1, number format
    for numbers); a cell is None (left empty), str (text) or float (number).
    """
    # the methods behind write_string / write_number, without their A1-notation wrapper; text
    # that is long, shaped like XlsxWriter's pre-built rich strings or holding "_x" (Excel's
    # escape) goes through write_text, which decides
    write_string = Worksheet._write_string.__get__(ws)
    write_number = getattr(ws, "_write_number", ws.write_number)
    check_from = EXCEL_MAX_TEXT // 2  # shorter text fits a cell (XlsxWriter's own test)
    for a in range(0, n, _BLOCK_ROWS):
        b = min(a + _BLOCK_ROWS, n)
        blocks = [(j, block(a, b), fmt) for j, block, fmt in columns]
        for i in range(b - a):
            row = first + a + i
            for j, cells, fmt in blocks:
                value = cells[i]
                if value is None:
                    continue
                if value.__class__ is str:
                    if "_x" in value or "</r>" in value or len(value) > check_from:
                        write_text(ws, row, j, value)
                    else:
                        write_string(row, j, value, None)
                else:
                    write_number(row, j, value, fmt)


def _add_table_first(ws: Worksheet, first_row: int, first_col: int, last_row: int,
                     last_col: int, options: dict) -> None:  # fmt: skip
    """``add_table`` on a sheet whose rows are yet to be written, also in constant_memory mode.

    XlsxWriter refuses tables in constant_memory mode because the table writes its header cells
    itself; with the data written afterwards in row order the table is sound (the XlsxWriter
    author's advice for the Perl original: switch the mode off around ``add_table``). The header
    cells are then rewritten as the streamed sheet's inline strings.

    The table is added over its header and first data row, then given its full range:
    ``add_table`` records every cell of its range for overlap checks (7M dictionary entries and
    ~10 s for a 1M-answer table), and nothing else is ever placed on this sheet.

    Column headers are made unique case-insensitively first (Excel compares Table column names
    without case: a second ``Region``/``REGION`` becomes ``REGION (2)``, see
    :func:`~nps_xl.workbook.cells.unique_headers`); the column names in the table part are
    written in ST_Xstring form, so each equals the text of its header cell as Excel reads them.
    """
    columns = [dict(c or {}) for c in options.get("columns", [])]
    headers = unique_headers([c.get("header") for c in columns])
    for column, header in zip(columns, headers, strict=True):
        column["header"] = header
    options = {**options, "columns": columns}
    streaming = ws.constant_memory
    ws.constant_memory = False
    try:
        refused = ws.add_table(first_row, first_col, min(last_row, first_row + 1), last_col,
                               options)  # fmt: skip
    finally:
        ws.constant_memory = streaming
    if refused:
        raise ValueError(
            f"XlsxWriter refused the table {options.get('name')!r} with columns {headers} "
            f"(status {refused}); see its warning above."
        )
    table = ws.tables[-1]
    for column, header in zip(table["columns"], headers, strict=False):
        column["name"] = xstring(header)
    full = xl_range(first_row, first_col, last_row, last_col)
    table["range"] = table["a_range"] = full
    if table.get("autofilter"):
        table["autofilter"] = full
    if streaming:
        for j, header in enumerate(headers):
            write_text(ws, first_row, first_col + j, header)
        # add_table wrote them as shared strings first; only references in cells count
        ws.str_table.count -= len(headers)


def _release_zip(exc: BaseException) -> None:
    """Close, without finishing, the zip files a failed ``Workbook.close()`` left open: their
    ``__del__`` would otherwise write the central directory to a full disk and print
    "Exception ignored in: ZipFile.__del__" (the ZipFile is a local of XlsxWriter's
    ``_store_workbook``, reachable only through the traceback's frames)."""
    seen: set[int] = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        tb = exc.__traceback__
        while tb is not None:
            for value in list(tb.tb_frame.f_locals.values()):
                if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                    with contextlib.suppress(Exception):
                        value.fp.close()
                    value.fp = None  # ZipFile.close() (and __del__) then does nothing
            tb = tb.tb_next
        exc = exc.__cause__ or exc.__context__


def _remove_stream_files(sheets) -> None:
    """Delete constant_memory row files left behind when writing failed midway."""
    for ws in sheets:
        name = getattr(ws, "row_data_filename", None)
        if not ws.constant_memory or not name:
            continue
        fh = getattr(ws, "row_data_fh", None)
        if fh is not None and not fh.closed:
            fh.close()
        with contextlib.suppress(FileNotFoundError):
            Path(name).unlink()
