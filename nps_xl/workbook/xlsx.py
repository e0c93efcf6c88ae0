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
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_range
from xlsxwriter.worksheet import Worksheet

from nps_xl import benchmarks, tables
from nps_xl.counts import Counts, InvalidAnswersWarning
from nps_xl.i18n import LANGUAGES, normalize_language, text
from nps_xl.scores import parse_scores
from nps_xl.stats import interval, z_value
from nps_xl.workbook import layout as L

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
    follow_up_limit: int | None = L.FOLLOWUP_LIMIT,
    analysis: Mapping[str, pd.DataFrame] | None = None,
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
    ``analysis`` hands over tables the caller already computed from this ``frame`` with the
    same ``score``, ``period`` and ``confidence`` and no weights (``"trend"``, ``"segments"``,
    ``"themes"``, as :func:`nps_xl.tables.trend` etc. return them), so ``nps-xl report`` builds
    them once for its terminal summary and the workbook; missing ones are computed here.
    Returns the path written.
    """
    if follow_up_limit is not None and (
        isinstance(follow_up_limit, bool) or int(follow_up_limit) != follow_up_limit
        or follow_up_limit < 0
    ):  # fmt: skip
        raise ValueError(
            f"follow_up_limit must be a whole number ≥ 0 or None, got {follow_up_limit!r}."
        )
    lang = normalize_language(lang)
    if score not in frame.columns:
        raise ValueError(
            f"The score column {score!r} is not in the data (columns: "
            f"{', '.join(map(str, frame.columns))}). Pass score='<column with the 0–10 answers>'."
        )
    segments = tuple(segments)
    missing = [s for s in segments if s not in frame.columns]
    if missing:
        raise ValueError(f"Segment column(s) {missing} not in the data; check --segment names.")
    stream = embed_answers and len(frame) >= STREAM_ANSWERS_FROM
    writer = _ReportWriter(Path(path), frame, lang, confidence, stream_answers=stream)
    writer.follow_up_limit = None if follow_up_limit is None else int(follow_up_limit)
    writer.analysis = dict(analysis or {})
    writer.write(
        score=score,
        date=date,
        comment=comment,
        response_id=response_id,
        segments=segments,
        period=period,
        target=target,
        industry=industry,
        embed_answers=embed_answers,
    )
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
    def __init__(
        self,
        path: Path,
        frame: pd.DataFrame,
        lang: str,
        confidence: float,
        *,
        stream_answers: bool = False,
    ) -> None:
        self.path = path
        self.frame = frame
        self.lang = lang
        self.confidence = confidence
        self.follow_up_limit: int | None = L.FOLLOWUP_LIMIT
        self.analysis: dict[str, pd.DataFrame] = {}
        self.names = L.sheet_names(lang)
        self.book = xlsxwriter.Workbook(str(path), WORKBOOK_OPTIONS)
        self.book.set_properties({"created": FIXED_CREATED, "title": text("wb_title", lang)})
        self.sheets = {}
        for sid in L.SHEETS:
            # Only the Responses sheet streams its rows to disk (XlsxWriter's constant_memory,
            # read per sheet when it is added): a 1M-answer table kept as cell objects costs
            # over 1 GB. Its rows are then written strictly in row order (_write_responses).
            self.book.constant_memory = stream_answers and sid == "responses"
            self.sheets[sid] = self.book.add_worksheet(self.names[sid])
        self.book.constant_memory = False
        self._formats()

    def t(self, key: str, **fields: object) -> str:
        return text(key, self.lang, **fields)

    # ----------------------------------------------------------------------- formats
    def _formats(self) -> None:
        add = self.book.add_format
        self.f_title = add({"bold": True, "font_size": 16, "font_color": "#1F3864"})
        self.f_note = add({"italic": True, "font_color": "#595959"})
        self.f_header = add({"bold": True, "bg_color": "#DDEBF7", "bottom": 1, "text_wrap": True})
        self.f_label = add({"bold": True})
        self.f_input = add({"bg_color": "#FFF2CC", "border": 1, "num_format": "0.0"})
        self.f_status = add({"bg_color": "#FFF2CC", "border": 1})
        self.f_date = add({"num_format": self.t("excel_date_format")})
        self.f_pct = add({"num_format": "0.0%"})
        self.f_wrap = add({"text_wrap": True, "valign": "top"})
        self.f_more = add({"bold": True, "font_color": "#C00000"})
        self._num: dict[str, object] = {}
        colours = L.COLOURS
        self.f_cat = {
            k: add({"bg_color": v, "font_color": "#FFFFFF", "bold": True})
            for k, v in colours.items()
        }
        self.f_cf = {k: add({"bg_color": v, "font_color": "#FFFFFF"}) for k, v in colours.items()}

    def num(self, fmt: str | None):
        if not fmt:
            return None
        if fmt not in self._num:
            self._num[fmt] = self.book.add_format({"num_format": fmt})
        return self._num[fmt]

    # ----------------------------------------------------------------------- main
    def write(self, **options) -> None:
        try:
            self._write(**options)
        finally:
            _remove_stream_files(self.sheets.values())

    def _write(self, *, score, date, comment, response_id, segments, period, target, industry,
               embed_answers) -> None:  # fmt: skip
        frame = self.frame
        parsed = parse_scores(frame[score], invalid="skip")
        self.parsed = parsed
        self.counts = Counts.from_scores(parsed.scores)
        self.target = None if target is None else float(target)
        self.embed = embed_answers
        columns = [c for c in (response_id, date, score, comment) if c in frame.columns]
        self.cols = {"response_id": response_id, "date": date, "score": score, "comment": comment}
        self.bench_rows = self._benchmark_rows(industry)
        rows = self._write_responses(columns, segments) if embed_answers else 0
        self.table_rows = rows
        self._write_dashboard(industry)
        self._write_trend(score, date, period)
        self._write_segments(score, segments)
        self._write_followup(score, date, comment, response_id, segments)
        self._write_themes(comment, score)
        self._write_invalid(score)
        self._write_benchmarks()
        self._write_about()
        self._charts()
        for name, ref in L.defined_names(self.lang).items():
            self.book.define_name(name, ref)
        self.sheets["dashboard"].activate()
        self.book.close()

    # ----------------------------------------------------------------------- Responses
    def _write_responses(self, columns: list[str], segments: tuple[str, ...]) -> int:
        ws = self.sheets["responses"]
        frame = self.frame
        headers = L.response_headers(self.lang)
        order = [*L.RESPONSE_COLUMNS, *segments]
        n = len(frame)
        first = L.RESPONSES_ORIGIN[0] + 1
        last_row = first + max(n, 1) - 1
        table_headers = [headers.get(k, k) for k in L.RESPONSE_COLUMNS] + list(segments)
        if len(set(table_headers)) != len(table_headers):
            raise ValueError(f"Responses columns must have distinct names, got {table_headers}.")
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
        # each column becomes a function giving the cells of a block of rows (see _cell)
        cells: list[tuple[int, object, object]] = []
        for j, key in enumerate(order):
            col_name = self.cols.get(key, key)
            if key == "score":
                cells.append((j, self._score_cells(), None))
            elif col_name in frame.columns:
                if key == "date":
                    cells.append((j, _date_cells(frame[col_name]), self.f_date))
                else:
                    cells.append((j, _text_cells(frame[col_name]), None))
            ws.set_column(j, j, 30 if key == "comment" else 14)
        _write_rows(ws, first, cells, n)
        sc = L.SCORE_COLUMN
        ws.data_validation(
            first,
            sc,
            _EXCEL_MAX_ROW,
            sc,
            {
                "validate": "integer",
                "criteria": "between",
                "minimum": 0,
                "maximum": 10,
                "ignore_blank": True,
                "input_title": self.t("wb_score_input_title"),
                "input_message": self.t("wb_score_input_message")[:255],
                "error_title": self.t("wb_score_error_title"),
                "error_message": self.t("wb_score_error_message")[:255],
                "error_type": "stop",
            },
        )
        for key, lo, hi in (("detractors", 0, 6), ("passives", 7, 8), ("promoters", 9, 10)):
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
        ws.freeze_panes(1, 0)
        return max(n, 1)

    def _score_cells(self):
        """Valid scores as numbers, invalid ones as typed (text stays text), blanks None."""
        values, status = self.parsed.values, self.parsed.status
        raw = self.frame[self.cols["score"]]

        def block(a: int, b: int) -> list:
            out = values[a:b].tolist()  # NaN where blank or invalid
            for i in np.flatnonzero(status[a:b] != 0).tolist():
                out[i] = None if status[a + i] == 1 else _cell(raw.iloc[a + i])
            return out

        return block

    # ----------------------------------------------------------------------- Dashboard
    def _figures(self) -> dict[str, object]:
        """Python values of every Dashboard figure (the engine the formulas must agree with)."""
        c = self.counts
        n = c.n
        out: dict[str, object] = {
            "NPS_N": n,
            "NPS_Promoters": c.promoters,
            "NPS_Passives": c.passives,
            "NPS_Detractors": c.detractors,
            "NPS_Promoter_Share": c.promoter_share if n else "",
            "NPS_Passive_Share": c.passive_share if n else "",
            "NPS_Detractor_Share": c.detractor_share if n else "",
            "NPS_Target": self.target if self.target is not None else "",
            "NPS_Blank": self.parsed.blank + (1 if self.embed and len(self.frame) == 0 else 0),
            "NPS_Invalid": self.parsed.invalid,
            "NPS_Confidence": self.confidence,
            "NPS_Z": z_value(self.confidence),
        }
        if n:
            ci = interval(c, confidence=self.confidence, method="adjusted-wald")
            out.update(
                NPS_Score=c.nps,
                NPS_Margin=ci.margin,
                NPS_Low=ci.low,
                NPS_High=ci.high,
                NPS_Band=benchmarks.band(c.nps, lang=self.lang),
                NPS_Gap="" if self.target is None else c.nps - self.target,
            )
        else:
            out.update(NPS_Score="", NPS_Margin="", NPS_Low="", NPS_High="", NPS_Band="")
            out["NPS_Gap"] = ""
        return out

    def _write_dashboard(self, industry: str) -> None:
        ws = self.sheets["dashboard"]
        ws.hide_gridlines(2)
        ws.set_column(0, 0, 26)
        ws.set_column(1, 2, 12)
        ws.set_column(3, 3, 22)
        ws.set_column(4, 5, 8)
        ws.set_column(6, 6, 14)
        ws.write_string(L.TITLE_ROW, 0, self.t("wb_title"), self.f_title)
        note = "wb_formula_note" if self.embed else "wb_aggregates_only"
        ws.write_string(L.NOTE_ROW, 0, self.t(note), self.f_note)
        for j, key in enumerate(("statistic", "value", "share")):
            ws.write_string(L.HEADLINE_HEADER_ROW, j, self.t(key), self.f_header)
        for j, key in enumerate(("score", "count", "category")):
            ws.write_string(L.DIST_HEADER_ROW, L.DIST_SCORE_COL + j, self.t(key), self.f_header)
        formulas = L.dashboard_formulas(self.lang, tuple((k, s) for k, s, _, _ in self.bench_rows))
        values = self._figures()
        self.values = values
        for fig in L.FIGURES:
            ws.write_string(fig.row, 0, self.t(fig.label_key), self.f_label)
            ref = L.cell(fig.row, L.VALUE_COL)
            fmt = self.f_input if fig.is_input else self.num(fig.number_format)
            value = values[fig.name]
            if ref in formulas and self.embed:
                ws.write_formula(ref, formulas[ref], fmt, _cached(value))
            else:
                _write_value(ws, fig.row, L.VALUE_COL, value, fmt)
            if fig.share_name:
                sref = L.cell(fig.row, L.SHARE_COL)
                if self.embed:
                    ws.write_formula(
                        sref, formulas[sref], self.f_pct, _cached(values[fig.share_name])
                    )
                else:
                    _write_value(ws, fig.row, L.SHARE_COL, values[fig.share_name], self.f_pct)
        target = L.FIGURE_BY_NAME["NPS_Target"]
        ws.data_validation(
            target.row,
            L.VALUE_COL,
            target.row,
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
        dist = (
            np.bincount(self.parsed.scores.astype(int), minlength=11) if self.counts.n else [0] * 11
        )
        for k in L.SCORES:
            row = L.DIST_FIRST_ROW + k
            ws.write_number(row, L.DIST_SCORE_COL, k)
            ref = L.cell(row, L.DIST_COUNT_COL)
            if self.embed:
                ws.write_formula(ref, formulas[ref], None, int(dist[k]))
            else:
                ws.write_number(row, L.DIST_COUNT_COL, int(dist[k]))
            cat = "detractors" if k <= 6 else "passives" if k <= 8 else "promoters"
            ws.write_string(row, L.DIST_CATEGORY_COL, self.t(cat[:-1]), self.f_cat[cat])
        for fig_name, cat in (
            ("NPS_Promoters", "promoters"),
            ("NPS_Passives", "passives"),
            ("NPS_Detractors", "detractors"),
        ):
            ws.write_string(L.FIGURE_BY_NAME[fig_name].row, 0, self.t(cat), self.f_cat[cat])
        # benchmark block
        title = self.t("wb_benchmark_title", industry=self.industry_label)
        ws.write_string(L.BENCH_TITLE_ROW, 0, title, self.f_label)
        for j, key in enumerate(L.BENCH_COLUMNS):
            ws.write_string(L.BENCH_HEADER_ROW, j, self.t(key), self.f_header)
        nps = values["NPS_Score"]
        for i, (_key, stat, value, year) in enumerate(self.bench_rows):
            row = L.BENCH_FIRST_ROW + i
            label = f"{self.t('benchmark_' + stat)} ({year})"
            ws.write_string(row, 0, label)
            f = L.benchmark_formulas(row, _key, stat, self.lang)
            gap = "" if nps == "" else nps - value
            verdict = "" if nps == "" else _verdict(stat, gap, self.lang)
            cached = [value, gap, verdict]
            fmts = [self.num("0"), self.num("+0.0;-0.0;0.0"), None]
            for j, ref in enumerate(f):
                ws.write_formula(ref, f[ref], fmts[j], _cached(cached[j]))
        ws.set_landscape()
        ws.set_paper(9)
        ws.fit_to_pages(1, 1)
        ws.print_area(0, 0, 52, 18)

    def _benchmark_rows(self, industry: str) -> list[tuple[str, str, float, int]]:
        """(lookup key, statistic id, value, year) of the industry's figures, newest first."""
        table = benchmarks.benchmark_table(lang=None)
        ids = set(table["industry"])
        industry_id = industry if industry in ids else benchmarks._resolve_industry(industry)
        self.industry_label = text(f"industry_{industry_id}", self.lang)
        rows = table[table["industry"] == industry_id].copy()
        rows["order"] = rows["statistic"].map(benchmarks.STATISTICS.index)
        rows = rows.sort_values(["year", "order"], ascending=[False, True], kind="stable")
        out = []
        for r in rows.head(L.BENCH_MAX_ROWS).itertuples():
            out.append(
                (
                    L.bench_key(industry_id, r.statistic, r.year),
                    r.statistic,
                    float(r.value),
                    int(r.year),
                )
            )
        return out

    # ----------------------------------------------------------------------- report tables
    def _write_frame(self, ws: Worksheet, df: pd.DataFrame, columns: Sequence[str],
                     headers: dict[str, str] | None = None) -> int:  # fmt: skip
        """Header + rows of ``df[columns]`` from A1; returns the number of data rows."""
        headers = headers or {}
        for j, col in enumerate(columns):
            ws.write_string(0, j, headers.get(col) or L.header_text(col, self.lang), self.f_header)
            ws.set_column(j, j, 30 if col == "comment" or col == headers.get("comment") else 13)
        yes, no = self.t("yes"), self.t("no")
        write_string, write_number, write_blank = ws.write_string, ws.write_number, ws.write_blank
        for j, col in enumerate(columns):
            if col not in df.columns:
                continue
            fmt = self.num(L.NUMBER_FORMATS.get(col))
            series = df[col]
            if col in L.WORD_COLUMNS:
                series = series.map(lambda v, c=col: L.cell_word(c, v, self.lang))
            kind = series.dtype.kind
            if kind in "Mif" and not isinstance(series.dtype, pd.DatetimeTZDtype):
                # whole column at once: numbers, or dates as Excel serial numbers
                if kind == "M":
                    stamps = series.to_numpy(dtype="datetime64[us]")
                    blank = np.isnat(stamps)
                    values = _excel_serials(np.where(blank, _EXCEL_DAY0, stamps)).tolist()
                    cell_fmt = self.f_date
                else:
                    numbers_ = series.to_numpy(dtype=float, na_value=np.nan)
                    blank = np.isnan(numbers_)
                    values, cell_fmt = numbers_.tolist(), fmt
                for i, (value, empty) in enumerate(zip(values, blank.tolist(), strict=True)):
                    if not empty:
                        write_number(i + 1, j, value, cell_fmt)
                    elif fmt is not None:
                        write_blank(i + 1, j, None, fmt)
                continue
            for i, value in enumerate(series.to_numpy(dtype=object).tolist()):
                if value.__class__ is str:  # the common case, decided here
                    if value.strip():
                        write_string(i + 1, j, value, fmt)
                    elif fmt is not None:
                        write_blank(i + 1, j, None, fmt)
                elif isinstance(value, (bool, np.bool_)):
                    write_string(i + 1, j, yes if value else no)
                else:
                    _write_value(ws, i + 1, j, value, fmt, self.f_date)
        ws.freeze_panes(1, 0)
        return len(df)

    def _safe(self, build, *args, **kwargs) -> pd.DataFrame | None:
        if self.counts.n == 0:
            return None
        # invalid answers are listed on their own sheet; no need to warn for every table
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", InvalidAnswersWarning)
            return build(*args, **kwargs)

    def _analysis_table(self, key: str, build, *args, **kwargs) -> pd.DataFrame | None:
        """The caller's ``analysis[key]`` (built from the same frame, see write_report), else
        ``build(...)`` through :meth:`_safe`."""
        given = self.analysis.get(key)
        if given is not None and self.counts.n:
            return given
        return self._safe(build, *args, **kwargs)

    def _write_trend(self, score: str, date: str, period: str) -> None:
        ws = self.sheets["trend"]
        df = None
        if date in self.frame.columns:
            df = self._analysis_table(
                "trend", tables.trend, self.frame, score=score, date=date, period=period,
                confidence=self.confidence,
            )  # fmt: skip
        df = df if df is not None else pd.DataFrame(columns=L.TREND_COLUMNS)
        self.trend_rows = self._write_frame(ws, df, L.TREND_COLUMNS)

    def _write_segments(self, score: str, segments: tuple[str, ...]) -> None:
        ws = self.sheets["segments"]
        df = None
        if segments:
            df = self._analysis_table(
                "segments", tables.segments, self.frame, list(segments), score=score,
                confidence=self.confidence,
            )  # fmt: skip
        df = df if df is not None else pd.DataFrame(columns=L.SEGMENT_COLUMNS)
        columns = list(L.SEGMENT_COLUMNS)
        n = self._write_frame(ws, df.drop(columns=["benchmark"], errors="ignore"), columns)
        ws.write_string(0, len(columns) - 1, self.t("benchmark_average"), self.f_header)
        bench = self.bench_rows[0][2] if self.bench_rows else ""
        for i in range(n):
            ws.write_formula(
                i + 1, len(columns) - 1, f"={L.BENCHMARK_NAME}", self.num("0.0"), bench
            )
        self.segment_rows = n

    def _write_followup(self, score, date, comment, response_id, segments) -> None:
        ws = self.sheets["followup"]
        df = None
        has = self.frame.columns
        limit = self.follow_up_limit
        if comment in has or date in has:
            df = self._safe(
                tables.follow_up, self.frame, score=score,
                date=date if date in has else None,
                comment=comment if comment in has else None,
                response_id=response_id if response_id in has else None,
                segments=tuple(segments), limit=limit,
            )  # fmt: skip
        user_names = {response_id: "response_id", date: "date", score: "score", comment: "comment"}
        if df is None:
            df = pd.DataFrame(columns=[*L.FOLLOWUP_FIRST_COLUMNS, L.FOLLOWUP_LAST_COLUMN])
        df = df.rename(columns={k: v for k, v in user_names.items() if k in df.columns})
        columns = [str(c) for c in df.columns]
        if L.FOLLOWUP_LAST_COLUMN not in columns:
            columns.append(L.FOLLOWUP_LAST_COLUMN)
        n = self._write_frame(ws, df, columns)
        # the list holds every detractor unless the limit cut it (newest first: the newest stay)
        more = int(self.counts.detractors) - n if n and limit is not None and n >= limit else 0
        self.follow_up_more = more
        if more:
            key = "wb_followup_more_responses" if self.embed else "wb_followup_more_export"
            note = text(key, self.lang, more=more, shown=n, sheet=self.names["responses"])
            ws.write_string(0, len(columns) + 1, note, self.f_more)
        status_col = columns.index(L.FOLLOWUP_LAST_COLUMN)
        ws.set_column(status_col, status_col, 24, self.f_status)
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
        ws.autofilter(0, 0, max(n, 1), len(columns) - 1)

    def _write_themes(self, comment: str, score: str) -> None:
        ws = self.sheets["themes"]
        df = None
        if comment in self.frame.columns:
            df = self._analysis_table(
                "themes", tables.themes, self.frame, comment=comment, score=score
            )
        df = df if df is not None else pd.DataFrame(columns=L.THEME_COLUMNS)
        self._write_frame(ws, df, L.THEME_COLUMNS)

    def _write_invalid(self, score: str) -> None:
        ws = self.sheets["invalid"]
        p = self.parsed
        positions = p.invalid_positions
        data = pd.DataFrame(
            {
                "wb_row": np.asarray(positions, dtype=int) + 2,  # header is Excel row 1
                "value": [str(v) for v in p.invalid_values],
            }
        )
        self._write_frame(ws, data, L.INVALID_COLUMNS)
        if not len(data):
            ws.write_string(1, 0, self.t("wb_no_invalid"), self.f_note)

    def _write_benchmarks(self) -> None:
        ws = self.sheets["benchmarks"]
        ids = benchmarks.benchmark_table(lang=None)
        shown = benchmarks.benchmark_table(lang=self.lang)
        shown["key"] = [L.bench_key(r.industry, r.statistic, r.year) for r in ids.itertuples()]
        n = self._write_frame(ws, shown, L.BENCHMARK_SHEET_COLUMNS, {"key": "key"})
        ws.set_column(3, 3, 60)
        ws.set_column(0, 0, 28)
        # band thresholds: LOOKUP needs ascending lower bounds; -100 opens the lowest band
        scheme = benchmarks.BAND_SCHEMES["five"]
        lower = (-100.0, *scheme.thresholds)
        c0 = L.BAND_FROM_COL
        ws.write_string(0, c0, self.t("wb_band_from"), self.f_header)
        ws.write_string(0, c0 + 1, self.t("band"), self.f_header)
        for i, (bound, key) in enumerate(zip(lower, scheme.keys, strict=True)):
            ws.write_number(i + 1, c0, bound)
            ws.write_string(i + 1, c0 + 1, self.t(key))
        ws.set_column(c0 + 1, c0 + 1, 20)
        for name, ref in L.benchmark_sheet_names(self.lang, n, len(lower)).items():
            self.book.define_name(name, ref)

    def _write_about(self) -> None:
        ws = self.sheets["about"]
        ws.set_column(0, 0, 120, self.f_wrap)
        ws.write_string(0, 0, self.t("wb_about_title"), self.f_title)
        lines = [self.t(key, **({"sheet": self.names[s]} if s else {})) for key, s in L.ABOUT_LINES]
        lines.append(benchmarks.BAND_SCHEMES["five"].source)
        for i, line in enumerate(lines):
            ws.write_string(L.ABOUT_FIRST_ROW + i, 0, line)

    # ----------------------------------------------------------------------- charts
    def _charts(self) -> None:
        ws = self.sheets["dashboard"]
        dash = self.names["dashboard"]
        anchors = {cid: (anchor, size, key) for cid, key, anchor, size in L.CHARTS}
        colour = L.COLOURS

        def place(chart, cid: str) -> None:
            anchor, (w, h), key = anchors[cid]
            chart.set_title({"name": self.t(key), "name_font": {"size": 12}})
            chart.set_size({"width": w, "height": h})
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

        # 0–10 distribution coloured by category
        dist = self.book.add_chart({"type": "column"})
        points = [
            {
                "fill": {
                    "color": colour[
                        "detractors" if k <= 6 else "passives" if k <= 8 else "promoters"
                    ]
                }
            }
            for k in L.SCORES
        ]
        lo, hi = L.DIST_FIRST_ROW, L.DIST_FIRST_ROW + 10
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
        dist.set_x_axis({"name": self.t("score")})
        place(dist, "distribution")

        # trend with its interval
        trend = self.book.add_chart({"type": "line"})
        tt = self.names["trend"]
        last = max(self.trend_rows, 1)
        cols = L.TREND_COLUMNS
        for key, line in (
            ("nps", {"color": "#1F3864", "width": 2.5}),
            ("low", {"color": "#8EA9DB", "width": 1, "dash_type": "dash"}),
            ("high", {"color": "#8EA9DB", "width": 1, "dash_type": "dash"}),
        ):
            j = cols.index(key)
            series = {
                "name": self.t(key),
                "categories": L.range_ref(tt, 1, 0, last),
                "values": L.range_ref(tt, 1, j, last),
                "line": line,
            }
            if key == "nps":
                series["marker"] = {"type": "circle", "size": 5, "fill": {"color": "#1F3864"}}
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
        seg.add_series(
            {
                "name": "NPS",
                "categories": L.range_ref(st, 1, 0, last, 1),
                "values": L.range_ref(st, 1, scols.index("nps"), last),
                "fill": {"color": "#4472C4"},
                "gap": 60,
            }
        )
        ref = self.book.add_chart({"type": "line"})
        ref.add_series(
            {
                "name": f"{self.t('benchmark_average')} ({self.industry_label})",
                "categories": L.range_ref(st, 1, 0, last, 1),
                "values": L.range_ref(st, 1, scols.index("benchmark"), last),
                "line": {"color": "#C00000", "width": 2, "dash_type": "dash"},
            }
        )
        seg.combine(ref)
        seg.set_legend({"position": "bottom"})
        seg.set_y_axis({"name": "NPS"})
        place(seg, "by_segment")


# --------------------------------------------------------------------------- helpers


def _verdict(statistic: str, gap: float, lang: str) -> str:
    if statistic == "top_quartile":
        key = "top_quartile" if gap >= 0 else "below"
    elif statistic == "bottom_quartile":
        key = "bottom_quartile" if gap <= 0 else "above"
    else:
        key = "above" if gap >= L.AT_TOLERANCE else "below" if gap <= -L.AT_TOLERANCE else "at"
    return text(f"verdict_{key}", lang)


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
        ws.write_string(row, col, value, fmt)
    elif isinstance(value, (pd.Timestamp, dt.datetime, dt.date, np.datetime64)):
        stamp = pd.Timestamp(value)
        if stamp.tzinfo is not None:
            stamp = stamp.tz_localize(None)
        ws.write_datetime(row, col, stamp.to_pydatetime(), date_fmt or fmt)
    elif isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        ws.write_number(row, col, float(value), fmt)
    else:
        ws.write_string(row, col, str(value), fmt)


# --------------------------------------------------------------------------- fast cell writing
# A 1M-answer Responses table is 7M cells: values are converted once per column into Python
# lists (None: leave the cell empty; str: text; float: number), then written row by row with
# write_string / write_number, so nothing is decided per cell beyond its type.

#: Excel's 1900 date system as XlsxWriter's ``write_datetime`` computes it: days since
#: 1899-12-31, plus one after day 59 (Excel's phantom 29 February 1900), and 1900-01-01 as
#: day 0 (XlsxWriter's rule for times of day). Microseconds: years up to 9999 fit in int64.
_EXCEL_DAY0 = np.datetime64("1899-12-31", "us")
_US_PER_DAY = 86_400_000_000


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
        return float(_excel_serials(np.array([stamp.to_datetime64()]))[0])
    if isinstance(value, numbers.Real) and not isinstance(value, (bool, np.bool_)):
        return float(value)
    return str(value)


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


def _excel_serials(stamps: np.ndarray) -> np.ndarray:
    """datetime64 → Excel serial numbers (float), the values ``write_datetime`` stores."""
    us = (stamps.astype("datetime64[us]") - _EXCEL_DAY0).astype(np.int64)
    days, rest = np.divmod(us, _US_PER_DAY)
    serial = days.astype(float) + (rest / 1e6) / 86_400
    serial = np.where(serial > 59, serial + 1, serial)
    return np.where(days == 1, serial - 1, serial)


def _date_cells(series: pd.Series):
    """Dates as Excel serial numbers (written with the date format); text that is not a date
    stays text; blanks None."""
    if series.dtype.kind == "M" or isinstance(series.dtype, pd.DatetimeTZDtype):
        parsed = series
    else:
        parsed = pd.to_datetime(series, errors="coerce")
    if getattr(parsed.dt, "tz", None) is not None:
        parsed = parsed.dt.tz_localize(None)
    stamps = parsed.to_numpy(dtype="datetime64[us]")
    missing = np.isnat(stamps)
    serials = _excel_serials(np.where(missing, _EXCEL_DAY0, stamps))
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
    # the methods behind write_string / write_number, without their A1-notation wrapper
    write_string = getattr(ws, "_write_string", ws.write_string)
    write_number = getattr(ws, "_write_number", ws.write_number)
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
    """
    streaming = ws.constant_memory
    ws.constant_memory = False
    try:
        ws.add_table(first_row, first_col, min(last_row, first_row + 1), last_col, options)
    finally:
        ws.constant_memory = streaming
    table = ws.tables[-1]
    full = xl_range(first_row, first_col, last_row, last_col)
    table["range"] = table["a_range"] = full
    if table.get("autofilter"):
        table["autofilter"] = full
    if streaming:
        for j, column in enumerate(options["columns"]):
            ws.write_string(first_row, first_col + j, column["header"])


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
