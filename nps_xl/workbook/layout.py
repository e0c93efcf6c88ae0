"""The single description of the NPS workbook: sheets, the Responses table, named cells, the
Dashboard formulas, the report tables and the charts.

Pure data (A1 arithmetic from ``xlsxwriter.utility``). The file writer
(:mod:`nps_xl.workbook.xlsx`) and the ribbon refresh (:mod:`nps_xl.excel.refresh`) both read
this module and :mod:`nps_xl.workbook.sheets` (the cells of a report), so every Excel-visible
name — sheet, table, column header, defined name — is written down exactly once.

Decisions
    * The Table is always named ``Responses`` (every language), so formulas and the refresh find it.
    * Column headers are localized (``Score`` / ``评分`` / ``Balas`` …). Formulas are built from
      the localized header with :func:`structured_ref`, and the LibreOffice tests recalculate
      the template of every language. :func:`detect_language` tells the refresh which language a
      workbook was made in from its Responses headers.
    * Dashboard formulas use only functions every Excel since 2010, LibreOffice and Google
      Sheets evaluate (COUNTIFS, SUMIFS, SUMPRODUCT, SUM, SQRT, IF, AND, OR, NOT, ISNUMBER,
      MAX, MIN, ROWS, COUNTBLANK, INDEX, MATCH, LOOKUP) and whole-column structured
      references ``Responses[Score]`` (never ``[@Score]``).
    * A weighted report (a Weight column) writes a weighted Dashboard: the same cells, over
      ``Responses[Weight]`` (:func:`dashboard_formulas` with ``weighted=True``), plus the
      effective n and the count of answers without a weight (:data:`WEIGHTED_FIGURES`).
    * Other sheets refer to Dashboard figures through workbook-scoped defined names
      (``NPS_Score`` …), never through sheet names, which differ per language.
"""

from __future__ import annotations

from dataclasses import dataclass

from xlsxwriter.utility import xl_col_to_name, xl_rowcol_to_cell

from nps_xl.i18n import CATALOGUE, LANGUAGES, normalize_language, text
from nps_xl.scores import resolve_scale
from nps_xl.stats import z_value

# --------------------------------------------------------------------------- sheets

#: Sheet ids in workbook order; each is named by the i18n key ``sheet_<id>``.
SHEETS = (
    "dashboard",
    "responses",
    "trend",
    "segments",
    "followup",
    "themes",
    "drivers",
    "invalid",
    "benchmarks",
    "about",
)

#: Sheets the report owns: the refresh may rewrite them; it never touches ``responses`` data.
REPORT_SHEETS = tuple(s for s in SHEETS if s != "responses")

_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")


def sheet_name(sheet: str, lang: str = "en") -> str:
    """The visible name of a sheet in ``lang``; raises if it is not a valid Excel sheet name."""
    if sheet not in SHEETS:
        raise KeyError(f"Unknown sheet {sheet!r}; the workbook has {', '.join(SHEETS)}.")
    name = text(f"sheet_{sheet}", lang)
    check_sheet_name(name)
    return name


def check_sheet_name(name: str) -> str:
    """Excel's rules: 1–31 characters, none of ``[]:*?/\\``, no leading/trailing apostrophe."""
    bad = sorted(_FORBIDDEN_IN_SHEET_NAMES.intersection(name))
    if not name or len(name) > 31 or bad or name[0] == "'" or name[-1] == "'":
        raise ValueError(
            f"{name!r} is not a valid Excel sheet name (1–31 characters, none of []:*?/\\, "
            "no apostrophe at either end). Shorten or change the sheet_* text in "
            "nps_xl/i18n/<lang>.json."
        )
    if name.lower() == "history":
        raise ValueError("'History' is reserved by Excel; choose another sheet name.")
    return name


def sheet_names(lang: str = "en") -> dict[str, str]:
    """``{sheet id: visible name}`` for ``lang``."""
    return {s: sheet_name(s, lang) for s in SHEETS}


# --------------------------------------------------------------------------- Responses table

#: Excel Table name: the same in every language (formulas, refresh and users rely on it).
RESPONSES_TABLE = "Responses"

#: The fixed first columns of the Responses table (i18n keys); segment columns follow.
RESPONSE_COLUMNS = ("response_id", "date", "score", "comment")

#: Column index (0-based) of the score within the Responses table.
SCORE_COLUMN = RESPONSE_COLUMNS.index("score")
#: The weight column of a weighted report (i18n key): right after the fixed columns, before
#: the segments; the refresh reads a table with this header as weighted.
WEIGHT_COLUMN_KEY = "weight"
WEIGHT_COLUMN = len(RESPONSE_COLUMNS)

#: Where the table starts on the Responses sheet (0-based row, col): header row 1, column A.
RESPONSES_ORIGIN = (0, 0)


def response_headers(lang: str = "en") -> dict[str, str]:
    """``{column key: localized header}`` of the fixed Responses columns."""
    return {key: text(key, lang) for key in RESPONSE_COLUMNS}


def weight_header(lang: str = "en") -> str:
    """The localized header of a weighted report's Weight column (``Weight`` / ``权重`` …)."""
    return text(WEIGHT_COLUMN_KEY, lang)


def detect_language(headers: list[str] | tuple[str, ...]) -> str:
    """The language whose Score header is among ``headers`` (a Responses table's header row)."""
    present = {str(h).strip() for h in headers}
    for lang in LANGUAGES:
        if text("score", lang) in present:
            return lang
    choices = ", ".join(repr(text("score", lang)) for lang in LANGUAGES)
    raise ValueError(
        f"The {RESPONSES_TABLE} table has no score column; name the column with the scores one "
        f"of {choices}."
    )


def escape_structured(header: str) -> str:
    """Escape a column header for a structured reference: ``'`` before ``[ ] # '``.

    Microsoft, "Using structured references with Excel tables" (special characters).
    """
    return "".join("'" + ch if ch in "[]#'" else ch for ch in header)


def structured_ref(header: str, table: str = RESPONSES_TABLE) -> str:
    """``Responses[Score]``: the whole data column of the table (not ``[@Score]``)."""
    return f"{table}[{escape_structured(header)}]"


def segment_header(column: str, lang: str = "en") -> str:
    """Localized header for a segment column when the catalogue knows it (``Region`` → 地区)."""
    key = column.strip().lower().replace(" ", "_").replace("-", "_")
    return text(key, lang) if key in CATALOGUE else column


# --------------------------------------------------------------------------- Dashboard


@dataclass(frozen=True)
class Figure:
    """One headline figure on the Dashboard: a labelled cell with a workbook-scoped name."""

    name: str  # defined name, e.g. NPS_Score
    label_key: str  # i18n key of the label in column A
    row: int  # 0-based row of the figure; label in column A, value in column B
    number_format: str
    share_name: str | None = None  # defined name of the share in column C, if any
    is_input: bool = False  # a cell the user types into (target)


#: The value column and share column of the headline block (0-based).
VALUE_COL, SHARE_COL = 1, 2
TITLE_ROW, NOTE_ROW, HEADLINE_HEADER_ROW = 0, 1, 3

FIGURES = (
    Figure("NPS_N", "total_valid", 4, "0"),
    Figure("NPS_Promoters", "promoters", 5, "0", "NPS_Promoter_Share"),
    Figure("NPS_Passives", "passives", 6, "0", "NPS_Passive_Share"),
    Figure("NPS_Detractors", "detractors", 7, "0", "NPS_Detractor_Share"),
    Figure("NPS_Score", "nps", 8, "0.0"),
    Figure("NPS_Margin", "margin_of_error", 9, '"±"0.0'),  # non-ASCII literal: quoted
    Figure("NPS_Low", "low", 10, "0.0"),
    Figure("NPS_High", "high", 11, "0.0"),
    Figure("NPS_Band", "band", 12, "@"),
    Figure("NPS_Target", "target", 13, "0.0", is_input=True),
    Figure("NPS_Gap", "gap_to_target", 14, "+0.0;-0.0;0.0"),
    Figure("NPS_Blank", "blank", 15, "0"),
    Figure("NPS_Invalid", "invalid", 16, "0"),
    Figure("NPS_Confidence", "confidence", 17, "0%"),
    Figure("NPS_Z", "wb_z", 18, "0.000000"),
    # blank: no finite population; a number N ≥ n: the finite population correction (D2)
    Figure("NPS_Population", "population", 19, "#,##0", is_input=True),
)
#: The figures only a weighted Dashboard has, below the others.
WEIGHTED_FIGURES = (
    Figure("NPS_Effective_N", "effective_n", 20, "0.0"),
    Figure("NPS_No_Weight", "wb_no_weight", 21, "0"),
)
FIGURE_BY_NAME = {f.name: f for f in (*FIGURES, *WEIGHTED_FIGURES)}
#: The small-sample flag: the share column of the NPS row (text, empty when n ≥ ``min_n``).
SMALL_SAMPLE_NAME = "NPS_Small_Sample"
SMALL_SAMPLE_CELL = (FIGURE_BY_NAME["NPS_Score"].row, 2)
#: What to do when answers lack a weight: the share column of the NPS_No_Weight row.
NO_WEIGHT_NOTE_CELL = (FIGURE_BY_NAME["NPS_No_Weight"].row, 2)
#: Effective n below this: the Dashboard says "Small sample" (as the tables' ``min_n``).
SMALL_SAMPLE_N = 30


def figures(weighted: bool = False) -> tuple[Figure, ...]:
    """The headline figures of a Dashboard: :data:`FIGURES`, and :data:`WEIGHTED_FIGURES`
    when the report is weighted."""
    return (*FIGURES, *WEIGHTED_FIGURES) if weighted else FIGURES


#: The score distribution block: header row, then one row per point of the report's scale
#: (0-based rows/cols); up to ``DIST_MAX_POINTS`` points fit above the benchmark block.
DIST_HEADER_ROW, DIST_FIRST_ROW = 3, 4
DIST_SCORE_COL, DIST_COUNT_COL, DIST_CATEGORY_COL = 4, 5, 6
SCORES = tuple(range(11))  # the points of the default 0–10 scale
DIST_MAX_POINTS = 15
#: Workbook-scoped name holding the report's stated scale as its four breaks (``"0,6,8,10"``),
#: so the refresh reads the answers on the scale the workbook was made for; ``""`` when the
#: report was made without a stated scale.
SCALE_NAME = "NPS_Scale"
#: Workbook-scoped name holding the Follow-up limit the report was written with (``=5000``;
#: ``=""``: no limit), so the refresh lists as many answers as ``nps-xl report`` did.
FOLLOW_UP_NAME = "NPS_FollowUpLimit"
#: The default Follow-up limit (:data:`nps_xl.report.FOLLOW_UP_LIMIT`, which tests hold equal).
FOLLOW_UP_DEFAULT = 5_000


def scale_points(scale: object = None) -> tuple[int, ...]:
    """The points of ``scale`` (default 0–10), one Dashboard row each."""
    sc = resolve_scale(scale)
    points = tuple(range(sc.minimum, sc.maximum + 1))
    if len(points) > DIST_MAX_POINTS:
        raise ValueError(
            f"The Dashboard shows scales of at most {DIST_MAX_POINTS} points; {sc} has "
            f"{len(points)}."
        )
    return points


def scale_text(scale: object = None) -> str:
    """The scale as its four breaks, ``"0,6,8,10"`` (what :func:`resolve_scale` reads back)."""
    return ",".join(str(b) for b in resolve_scale(scale).breaks)


#: The benchmark comparison block (rows 0-based): title, header, one row per published figure
#: of the chosen industry (newest year first, at most ``BENCH_MAX_ROWS``).
#: Five rows: the most any industry of nps_xl.benchmarks has is four; the trend chart starts
#: on row 31.
BENCH_TITLE_ROW, BENCH_HEADER_ROW, BENCH_FIRST_ROW, BENCH_MAX_ROWS = 23, 24, 25, 5
BENCH_COLUMNS = ("statistic", "value", "your_gap", "verdict")
#: Defined name of the reference figure (the first benchmark row) drawn on the segment chart.
BENCHMARK_NAME = "NPS_Benchmark"
#: Half a point: a gap smaller than this is "at the benchmark" (as nps_xl.benchmarks).
AT_TOLERANCE = 0.5

#: Ranges on the Benchmarks sheet that Dashboard formulas look up (defined names).
BENCH_KEY_RANGE, BENCH_VALUE_RANGE = "NPS_Bench_Key", "NPS_Bench_Value"
BAND_FROM_RANGE, BAND_LABEL_RANGE = "NPS_Band_From", "NPS_Band_Label"

#: Dashboard charts: (id, i18n title key, anchor cell, size in pixels).
CHARTS = (
    ("category_mix", "chart_category_mix", "I2", (480, 300)),
    ("distribution", "chart_distribution", "I18", (480, 300)),
    ("trend", "chart_trend", "A31", (620, 320)),
    ("by_segment", "chart_by_segment", "I34", (620, 400)),
)


@dataclass(frozen=True)
class ChartAxis:
    """How a chart's category (x) axis shows its labels, the same in every writer.

    ``label_position="low"``: the labels stand below the plot area, not at the value 0 — a
    line that goes negative would otherwise run through them (Excel's "Label position: Low";
    ``c:tickLblPos val="low"``, ECMA-376 Part 1 §21.2.2.207). ``rotation`` (degrees, −90…90):
    labels turned so a long one never wraps inside a word ("2025-05" → "2025 / -05"); Excel
    wraps a horizontal label that is wider than its slot, never a rotated one.
    """

    label_position: str = "low"
    rotation: int = -45


#: The category axis of each chart that has one (the doughnut has none).
CHART_AXES = {
    "distribution": ChartAxis(rotation=0),  # 0–10: short labels, always fit their slots
    "trend": ChartAxis(),
    "by_segment": ChartAxis(),
}
#: The Segments column whose values label the bars of the segment chart: one level of plain
#: text (the group as written, "Asia Pacific"). A two-column (segment, group) range is a
#: multi-level axis whose outer label repeats under every bar and is cut to the bar's width
#: ("Regio n"); the segment each group belongs to is in the Segments sheet next to it.
SEGMENT_CHART_LABEL = "group"
#: Chart title size (points): every title of the five catalogues stays on one line of its
#: chart at this size (tests/test_workbook_printing.py reads the printed Dashboard).
CHART_TITLE_SIZE = 12


# --------------------------------------------------------------------------- printing


@dataclass(frozen=True)
class PrintSetup:
    """How one sheet prints (Excel's Page Setup), read by the file writer and the refresh.

    ``pages_tall``: 1 — the sheet on one page (with ``pages_wide`` 1); 0 — one page wide and
    as many pages tall as its rows need. ``repeat_rows``: how many top rows (the header row)
    are printed again on every page (Excel's "Rows to repeat at top", the defined name
    ``_xlnm.Print_Titles``). ``landscape``: True / False, or None — decided by the width of
    the sheet's columns (:func:`print_landscape`). ``area``: the printed range (0-based
    first row, first col, last row, last col) or None for the used range.
    """

    pages_tall: int = 0
    repeat_rows: int = 1
    landscape: bool | None = None
    area: tuple[int, int, int, int] | None = None
    pages_wide: int = 1


#: ISO A4 (Excel paper size 9), 8.27 × 11.69 in.
PAPER = 9
PAPER_INCHES = (8.27, 11.69)
#: Margins in inches: left, right, top, bottom; header and footer distance.
MARGINS = {"left": 0.5, "right": 0.5, "top": 0.75, "bottom": 0.75}
HEADER_MARGIN = FOOTER_MARGIN = 0.3
#: The footer of every printed page: the sheet's name left, "page / pages" right (Excel's
#: header/footer codes &A, &P, &N — no words, so every language reads it).
FOOTER_LEFT, FOOTER_RIGHT = "&A", "&P / &N"
FOOTER = f"&L{FOOTER_LEFT}&R{FOOTER_RIGHT}"
#: A sheet prints portrait unless fitting it to the width of a portrait page would shrink it
#: below this scale; landscape then (a report table of 12–15 columns).
MIN_PORTRAIT_SCALE = 0.7

#: One print description per sheet.
PRINT = {
    # the Dashboard and its four charts on one landscape page (columns A–S, rows 1–53)
    "dashboard": PrintSetup(pages_tall=1, repeat_rows=0, landscape=True, area=(0, 0, 52, 18)),
    "responses": PrintSetup(),
    "trend": PrintSetup(),
    "segments": PrintSetup(),
    "followup": PrintSetup(),
    "themes": PrintSetup(),
    "drivers": PrintSetup(),
    "invalid": PrintSetup(),
    "benchmarks": PrintSetup(),
    "about": PrintSetup(repeat_rows=0, landscape=False),
}
#: A further question's Dashboard (``nps-xl report`` with several questions): one page.
PRINT_QUESTION = PrintSetup(
    pages_tall=1,
    repeat_rows=0,
    landscape=False,
    area=(0, 0, BENCH_FIRST_ROW + BENCH_MAX_ROWS - 1, DIST_CATEGORY_COL),
)


def column_pixels(width: float) -> int:
    """A column ``width`` characters wide in pixels, as Excel (Calibri 11: 7 px per digit plus
    5 px of padding; XlsxWriter's ``set_column``)."""
    return int(width * 7 + 0.5) + 5


#: An unset column: 8.43 characters, 64 px.
DEFAULT_COLUMN_PIXELS = 64


def print_landscape(setup: PrintSetup, widths_px: list[int] | tuple[int, ...]) -> bool:
    """Whether a sheet with columns ``widths_px`` (pixels, 96 per inch) prints landscape.

    Portrait unless the columns are wider than a portrait page's printable width divided by
    :data:`MIN_PORTRAIT_SCALE` (A4, margins of :data:`MARGINS`)."""
    if setup.landscape is not None:
        return setup.landscape
    printable_px = (PAPER_INCHES[0] - MARGINS["left"] - MARGINS["right"]) * 96
    return sum(widths_px) * MIN_PORTRAIT_SCALE > printable_px


#: Category colours (promoters green, passives grey-amber, detractors red).
COLOURS = {"promoters": "#2E9E5B", "passives": "#F2B233", "detractors": "#D64545"}


def col_letter(col: int) -> str:
    """0-based column index → Excel letters (0 → A, 26 → AA)."""
    return xl_col_to_name(col)


def cell(row: int, col: int, absolute: bool = False) -> str:
    """0-based (row, col) → ``B5`` (or ``$B$5``)."""
    return xl_rowcol_to_cell(row, col, row_abs=absolute, col_abs=absolute)


def dist_count_cell(index: int) -> str:
    """The count cell of the ``index``-th point of the scale (0 for its lowest point)."""
    return cell(DIST_FIRST_ROW + index, DIST_COUNT_COL, absolute=True)


def score_count_formula(score_ref: str, k: int) -> str:
    """How many answers are the score ``k``: ``COUNTIFS(score_ref,">=k",score_ref,"<=k")``.

    It counts the number cells equal to ``k`` and nothing else, which are the valid answers
    ``k`` (the writer keeps invalid answers as typed text). Plain ``COUNTIF(score_ref,k)`` is
    not the same in Excel: with an equality criterion Excel also counts text it reads as the
    number, such as "1e1" (10), "7e0", "$7" or "700%" (7); with ``>=`` and ``<=`` it compares
    numbers only (Microsoft Support, "COUNTIF function"; Exceljet, "Text is greater than
    number"; Gnumeric's Excel-compatible ``src/criteria.c``). Blanks, booleans and errors
    match neither. Excel 2007+, LibreOffice and Google Sheets evaluate it; the model of these
    rules is in ``tests/test_excel_score_counts.py``.
    """
    return f'COUNTIFS({score_ref},">={k}",{score_ref},"<={k}")'


def weighted_count_formula(score_ref: str, weight_ref: str, k: int) -> str:
    """The weight sum of the answers ``k``: ``SUMIFS(weight_ref,score_ref,">=k",score_ref,"<=k")``.

    The criteria are those of :func:`score_count_formula` (numbers equal to ``k`` only).
    SUMIFS adds the numbers of ``weight_ref`` in the matching rows and skips text and blanks
    there (Microsoft Support, "SUMIFS function": cells in sum_range that contain TRUE/FALSE
    or text are not summed); an answer whose weight is not a number counts in
    ``NPS_No_Weight``, and while that is above 0 the weighted figures stay empty.
    """
    return f'SUMIFS({weight_ref},{score_ref},">={k}",{score_ref},"<={k}")'


def category_mask(score_ref: str, points: list[int]) -> str:
    """1 for each row whose score is a number among ``points``, else 0, as an array for
    SUMPRODUCT: ``ISNUMBER(score_ref)*ISNUMBER(MATCH(score_ref,{7,8},0))``.

    Excel's comparison operators put every text above every number ("abc">=9 is TRUE) and
    TRUE above text (Microsoft Support, "Calculation operators and precedence": in
    comparisons and sorting, numbers < text < logical values; Exceljet, "Text is greater than
    number"), and ``INT`` of a text is #VALUE!, so a test like ``(score>=9)`` would count the
    comment "abc" as a promoter. ``MATCH(x,{…},0)`` finds only a number equal to a point (text
    "9" is not the number 9; a blank, an error or 7.5 are not found), ``ISNUMBER`` turns the
    result into TRUE/FALSE without an error, and ``ISNUMBER(score_ref)`` keeps blanks out
    (an empty cell reads as 0 in an array). SUMPRODUCT evaluates its arguments as arrays
    in Excel 2007+, LibreOffice and Google Sheets without Ctrl+Shift+Enter (unlike ``IF``).
    """
    listed = ",".join(str(k) for k in points)
    return f"ISNUMBER({score_ref})*ISNUMBER(MATCH({score_ref},{{{listed}}},0))"


def _sum_counts(rows: list[int]) -> str:
    """The sum of the distribution rows ``rows`` (consecutive); 0 for a category the scale
    does not have."""
    if not rows:
        return "0"
    first, last = dist_count_cell(rows[0]), dist_count_cell(rows[-1])
    return f"SUM({first}:{last})"


#: The weight sum of the valid answers on a weighted Dashboard.
WEIGHT_TOTAL = "(NPS_Promoters+NPS_Passives+NPS_Detractors)"


def no_nps_condition(weighted: bool = False) -> str:
    """The Dashboard's condition for "no NPS to show" (its figures are then ``""``): no valid
    answer; weighted also an answer without a valid weight, or weights that sum to 0."""
    if weighted:
        return f"OR(NPS_N=0,NPS_No_Weight>0,{WEIGHT_TOTAL}=0)"
    return "NPS_N=0"


def dashboard_formulas(
    lang: str = "en",
    bench_rows: tuple[tuple[str, str], ...] = (),
    scale: object = None,
    *,
    weighted: bool = False,
    min_n: int = SMALL_SAMPLE_N,
) -> dict[str, str]:
    """Every Dashboard formula, keyed by A1 cell (Dashboard sheet).

    Formulas (n = valid answers; promoters, passives, detractors and their shares p, d):

    * score counts: :func:`score_count_formula` for each point k of the ``scale`` (default
      0–10) — only whole numbers on the scale are counted, the rule of
      :func:`nps_xl.scores.parse_scores`;
    * detractors, passives, promoters = Σ counts of the scale's categories (0–6, 7–8, 9–10 on
      the 0–10 scale; Reichheld 2003);
    * NPS = 100·(promoters − detractors)/(promoters + passives + detractors) (Reichheld 2003);
    * adjusted-Wald margin (Rocks 2016) on the effective n (n unweighted): ñ = n + 3,
      p̃ = (n·p + ¾)/ñ, d̃ = (n·d + ¾)/ñ, margin = 100·z·√(f·(p̃ + d̃ − (p̃ − d̃)²)/ñ), with
      the finite population correction f = 1 − n/N for the population N typed into
      ``NPS_Population`` (f = 1 when it is blank; Cochran 1977, §2.5; decision D2), n the
      number of valid answers; a text in the margin cell instead of a number when N is not
      a number ≥ n;
    * low = max(−100, min(100·(p̃ − d̃) − margin, NPS)), high = min(100, max(100·(p̃ − d̃) +
      margin, NPS)): the interval always holds the NPS shown (decision D1); when N = n (a
      census) low = high = NPS; as :func:`nps_xl.stats.interval` (``"adjusted-wald"``);
    * the small-sample flag (:data:`SMALL_SAMPLE_NAME`): a text when the effective n is below
      ``min_n``;
    * band: ``LOOKUP(NPS, band lower bounds, labels)`` (as :func:`nps_xl.benchmarks.band`);
    * invalid = rows − blanks − n;
    * one benchmark row per ``(lookup key, statistic id)`` in ``bench_rows``
      (see :func:`benchmark_formulas`).

    ``weighted=True`` (the Responses table has a Weight column, weights w): the score counts
    are weight sums (:func:`weighted_count_formula`), so promoters… and the shares and NPS are
    weighted; n counts the answers; the effective n is the design-based one of decision D3
    (Korn and Graubard 1998; equal to R ``survey::svymean(~y, svydesign(ids=~1,
    weights=~w))``): with codes y = −1/0/+1, ȳ = (promoters − detractors)/Σw, S_k = Σ w² of
    category k (SUMPRODUCT of :func:`category_mask` and w·w: SUMPRODUCT reads a text weight
    as 0, never as an error), v = n/(n − 1)·(S_det·(1 + ȳ)² + S_pas·ȳ² + S_pro·(1 − ȳ)²)/(Σw)²,
    V = p + d − (p − d)², effective n = V/v — Kish's (Σw)²/Σw² when V = 0 (every weighted
    answer in one category, or n = 1, where V/v is 0/0). ``NPS_No_Weight`` counts the valid
    answers whose weight is not a number ≥ 0 (blank, text, negative); while it is above 0
    every weighted figure is empty and the cell beside it says what to do, as the CLI refuses
    such a weight.

    Empty cells (``""``) where a figure is undefined (no answers, no target).
    """
    lang = normalize_language(lang)
    score = structured_ref(text("score", lang))
    weight = structured_ref(text(WEIGHT_COLUMN_KEY, lang))
    f: dict[str, str] = {}

    def at(name: str, share: bool = False) -> str:
        fig = FIGURE_BY_NAME[name]
        return cell(fig.row, SHARE_COL if share else VALUE_COL)

    points = scale_points(scale)
    rows: dict[str, list[int]] = {"detractors": [], "passives": [], "promoters": []}
    for i, k in enumerate(points):
        count = weighted_count_formula(score, weight, k) if weighted else None
        f[cell(DIST_FIRST_ROW + i, DIST_COUNT_COL)] = "=" + (count or score_count_formula(score, k))
        rows[score_category(k, scale)].append(i)
    f[at("NPS_Promoters")] = "=" + _sum_counts(rows["promoters"])
    f[at("NPS_Passives")] = "=" + _sum_counts(rows["passives"])
    f[at("NPS_Detractors")] = "=" + _sum_counts(rows["detractors"])
    none = no_nps_condition(weighted)
    if weighted:
        total = WEIGHT_TOTAL
        f[at("NPS_N")] = "=" + "+".join(score_count_formula(score, k) for k in points)
        weighed = "+".join(
            f'COUNTIFS({score},">={k}",{score},"<={k}",{weight},">=0")' for k in points
        )
        f[at("NPS_No_Weight")] = f"=NPS_N-({weighed})"
        missing = _quoted(text("wb_no_weight_message", lang, column=text(WEIGHT_COLUMN_KEY, lang)))
        f[cell(*NO_WEIGHT_NOTE_CELL)] = f'=IF(NPS_No_Weight>0,{missing},"")'
    else:
        total = "NPS_N"
        f[at("NPS_N")] = "=NPS_Promoters+NPS_Passives+NPS_Detractors"
    for name in ("NPS_Promoters", "NPS_Passives", "NPS_Detractors"):
        f[at(name, share=True)] = f'=IF({none},"",{name}/{total})'
    f[at("NPS_Score")] = f'=IF({none},"",100*(NPS_Promoters-NPS_Detractors)/{total})'
    if weighted:
        sums = {
            key: f"SUMPRODUCT({category_mask(score, [points[i] for i in idx])},{weight},{weight})"
            if idx
            else "0"
            for key, idx in rows.items()
        }
        mean = f"(NPS_Promoters-NPS_Detractors)/{total}"
        spread = (
            f"({sums['detractors']}*(1+{mean})^2+{sums['passives']}*({mean})^2"
            f"+{sums['promoters']}*(1-{mean})^2)"
        )
        design = f"NPS_N/(NPS_N-1)*{spread}/{total}^2"
        share_p, share_d = "NPS_Promoter_Share", "NPS_Detractor_Share"
        code_var = f"({share_p}+{share_d}-({share_p}-{share_d})^2)"
        kish = f"{total}^2/({sums['detractors']}+{sums['passives']}+{sums['promoters']})"
        f[at("NPS_Effective_N")] = f'=IF({none},"",IF({code_var}=0,{kish},{code_var}/({design})))'
        n_eff = "NPS_Effective_N"
        pro, det = f"({n_eff}*{share_p})", f"({n_eff}*{share_d})"
    else:
        n_eff, pro, det = "NPS_N", "NPS_Promoters", "NPS_Detractors"
    adj_p = f"({pro}+0.75)/({n_eff}+3)"
    adj_d = f"({det}+0.75)/({n_eff}+3)"
    # D2: f = 1 − n/N (n valid answers); N blank: f = 1; N not a number ≥ n: a text instead
    fpc = 'IF(NPS_Population="",1,1-NPS_N/NPS_Population)'
    bad_population = (
        'AND(NPS_Population<>"",OR(NOT(ISNUMBER(NPS_Population)),NPS_Population<NPS_N))'
    )
    population_text = _quoted(text("wb_population_invalid", lang))
    f[at("NPS_Margin")] = (
        f'=IF({none},"",IF({bad_population},{population_text},'
        f"100*NPS_Z*SQRT({fpc}*({adj_p}+{adj_d}-({adj_p}-{adj_d})^2)/({n_eff}+3))))"
    )
    centre = f"100*({pro}-{det})/({n_eff}+3)"
    census = "NPS_Population=NPS_N"
    interval_shown = "NOT(ISNUMBER(NPS_Margin))"
    f[at("NPS_Low")] = (
        f'=IF({interval_shown},"",IF({census},NPS_Score,'
        f"MAX(-100,MIN({centre}-NPS_Margin,NPS_Score))))"
    )
    f[at("NPS_High")] = (
        f'=IF({interval_shown},"",IF({census},NPS_Score,'
        f"MIN(100,MAX({centre}+NPS_Margin,NPS_Score))))"
    )
    small_key = "wb_small_sample_effective" if weighted else "wb_small_sample"
    small = _quoted(text(small_key, lang, min_n=min_n))
    f[cell(*SMALL_SAMPLE_CELL)] = f'=IF({none},"",IF({n_eff}<{min_n},{small},""))'
    f[at("NPS_Band")] = f'=IF({none},"",LOOKUP(NPS_Score,{BAND_FROM_RANGE},{BAND_LABEL_RANGE}))'
    f[at("NPS_Gap")] = f'=IF(OR({none},NPS_Target=""),"",NPS_Score-NPS_Target)'
    f[at("NPS_Blank")] = f"=COUNTBLANK({score})"
    f[at("NPS_Invalid")] = f"=ROWS({score})-COUNTBLANK({score})-NPS_N"
    for i, (key, statistic) in enumerate(bench_rows[:BENCH_MAX_ROWS]):
        f.update(benchmark_formulas(BENCH_FIRST_ROW + i, key, statistic, lang, none=none))
    return f


def bench_key(industry: str, statistic: str, year: int) -> str:
    """Lookup key of one published figure on the Benchmarks sheet: ``global|median|2024``."""
    return f"{industry}|{statistic}|{year}"


def benchmark_formulas(
    row: int, key: str, statistic: str, lang: str = "en", *, none: str = "NPS_N=0"
) -> dict[str, str]:
    """Value, gap and verdict of one benchmark row (0-based ``row`` on the Dashboard).

    value = ``INDEX(NPS_Bench_Value, MATCH(key, NPS_Bench_Key, 0))``; gap = NPS − value;
    verdict as :func:`nps_xl.benchmarks.benchmark`: for a top quartile "in the top quartile"
    when gap ≥ 0 else "below"; for a bottom quartile "in the bottom quartile" when gap ≤ 0
    else "above"; otherwise "above" when gap ≥ ½, "below" when gap ≤ −½, else "at".
    """
    value, gap = cell(row, 1), cell(row, 2)
    words = {
        k: _quoted(text(f"verdict_{k}", lang))
        for k in ("above", "below", "at", "top_quartile", "bottom_quartile")
    }
    if statistic == "top_quartile":
        verdict = f"IF({gap}>=0,{words['top_quartile']},{words['below']})"
    elif statistic == "bottom_quartile":
        verdict = f"IF({gap}<=0,{words['bottom_quartile']},{words['above']})"
    else:
        verdict = (
            f"IF({gap}>={AT_TOLERANCE},{words['above']},"
            f"IF({gap}<=-{AT_TOLERANCE},{words['below']},{words['at']}))"
        )
    return {
        value: f"=INDEX({BENCH_VALUE_RANGE},MATCH({_quoted(key)},{BENCH_KEY_RANGE},0))",
        gap: f'=IF({none},"",NPS_Score-{value})',
        cell(row, 3): f'=IF({none},"",{verdict})',
    }


def _quoted(s: str) -> str:
    return '"' + s.replace('"', '""') + '"'


def defined_names(
    lang: str = "en",
    scale: object = None,
    follow_up_limit: int | None = FOLLOW_UP_DEFAULT,
    *,
    weighted: bool = False,
) -> dict[str, str]:
    """Workbook-scoped names of single Dashboard cells: ``{name: "='Dashboard'!$B$9"}``
    (the figures of :func:`figures` and the small-sample flag),
    :data:`SCALE_NAME` holding the scale stated for the report (``'="0,6,8,10"'``; ``'=""'``
    when none was, so a refresh applies the scale check of :func:`nps_xl.scores.scale_doubt`)
    and :data:`FOLLOW_UP_NAME` holding the Follow-up limit (``'=5000'``; ``'=""'``: none)."""
    sheet = _sheet_ref(sheet_name("dashboard", lang))
    names = {}
    for fig in figures(weighted):
        names[fig.name] = f"={sheet}!{cell(fig.row, VALUE_COL, absolute=True)}"
        if fig.share_name:
            names[fig.share_name] = f"={sheet}!{cell(fig.row, SHARE_COL, absolute=True)}"
    names[SMALL_SAMPLE_NAME] = f"={sheet}!{cell(*SMALL_SAMPLE_CELL, absolute=True)}"
    names[BENCHMARK_NAME] = f"={sheet}!{cell(BENCH_FIRST_ROW, 1, absolute=True)}"
    # no scale stated: ="" — the refresh then reads 0–10 unless the answers say otherwise
    names[SCALE_NAME] = '=""' if scale is None else f'="{scale_text(scale)}"'
    names[FOLLOW_UP_NAME] = '=""' if follow_up_limit is None else f"={int(follow_up_limit)}"
    return names


def _sheet_ref(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def range_ref(sheet_title: str, first_row: int, col: int, last_row: int, last_col: int = -1) -> str:
    """``='Trend'!$B$2:$B$9`` on the sheet with that visible title (0-based rows/cols)."""
    last = col if last_col < 0 else last_col
    return f"={_sheet_ref(sheet_title)}!{cell(first_row, col, True)}:{cell(last_row, last, True)}"


# --------------------------------------------------------------------------- report tables

#: Columns shown on each report sheet (keys = DataFrame columns = i18n keys), in order.
TREND_COLUMNS = (
    "period",
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "low",
    "high",
    "centre",
    "lower_limit",
    "upper_limit",
    "out_of_control",
    "change",
    "p_value",
    "p_adjusted",
    "significant",
    "significant_raw",
    "small_sample",
)
SEGMENT_COLUMNS = (
    "segment",
    "group",
    "n",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "low",
    "high",
    "difference_from_rest",
    "p_value",
    "p_adjusted",
    "significant",
    "significant_raw",
    "impact",
    "small_sample",
    "benchmark",
)
THEME_COLUMNS = (
    "theme",
    "mentions",
    "promoters",
    "passives",
    "detractors",
    "nps",
    "impact",
    "small_sample",
)
#: The Drivers sheet: the importance table (columns of
#: :attr:`nps_xl.key_drivers.DriversTable.importance`, most important first), one empty
#: column, then the levels table (:attr:`~nps_xl.key_drivers.DriversTable.levels`: the share
#: of promoters and detractors and the NPS at each level of each driver), side by side from A1
#: so one header row heads both and the refresh writes the sheet as it writes the others.
DRIVER_COLUMNS = ("rank", "driver", "importance", "share", "correlation")
DRIVER_LEVEL_COLUMNS = ("driver", "level", "n", "promoters", "detractors", "nps")
#: Header keys of the two tables (the DataFrame columns are the keys above).
DRIVER_HEADERS = {
    "rank": "rank",
    "driver": "driver",
    "importance": "drivers_importance",
    "share": "drivers_share_pct",
    "correlation": "correlation",
    "level": "level",
    "n": "n",
    "promoters": "drivers_promoters_pct",
    "detractors": "drivers_detractors_pct",
    "nps": "nps",
}
DRIVER_FORMATS = {
    "importance": "0.0000",
    "share": "0.0",
    "correlation": "0.00",
    "promoters": "0.0",
    "detractors": "0.0",
    "nps": "0.0",
}
#: The first column of the levels table (0-based): after the importance table and a gap.
DRIVER_LEVELS_COL = len(DRIVER_COLUMNS) + 1
#: The bar chart of the shares of R², right of the two tables: (i18n title key, anchor row and
#: column, size in pixels).
DRIVERS_CHART = ("chart_drivers", 2, DRIVER_LEVELS_COL + len(DRIVER_LEVEL_COLUMNS) + 1, (480, 300))

INVALID_COLUMNS = ("wb_row", "value")
#: The same table for the answers of a CSV export: where to look is a line of that file.
INVALID_LINE_COLUMNS = ("wb_line", "value")
#: Follow-up: response_id, date, score, comment, the segment columns, then status.
FOLLOWUP_FIRST_COLUMNS = ("response_id", "date", "score", "comment")
FOLLOWUP_LAST_COLUMN = "status"
#: Follow-up columns before any answer is there (no segment columns yet).
FOLLOWUP_EMPTY_COLUMNS = (*FOLLOWUP_FIRST_COLUMNS, FOLLOWUP_LAST_COLUMN)

#: The Trend chart's lines (Trend sheet columns, adjacent so one range holds them all, as the
#: refresh's chart takes them): the NPS, its interval, the centre line and the control limits.
TREND_CHART_SERIES = ("nps", "low", "high", "centre", "lower_limit", "upper_limit")

#: Number formats per column key (others: General).
NUMBER_FORMATS = {
    "nps": "0.0",
    "low": "0.0",
    "high": "0.0",
    "change": "+0.0;-0.0;0.0",
    "difference_from_rest": "+0.0;-0.0;0.0",
    "impact": "+0.00;-0.00;0.00",
    "p_value": "0.0000",
    "p_adjusted": "0.0000",
    "centre": "0.0",
    "lower_limit": "0.0",
    "upper_limit": "0.0",
    "promoter_share": "0.0%",
    "passive_share": "0.0%",
    "detractor_share": "0.0%",
    "benchmark": "0.0",
}

#: Header row of every report table (0-based); data starts one row below.
REPORT_HEADER_ROW = 0


def header_text(column: str, lang: str = "en") -> str:
    """Localized header of a report column (a catalogue key), or the column name itself."""
    return text(column, lang) if column in CATALOGUE else column


# --------------------------------------------------------------------------- constant cells
# What the file writer writes around the formulas, described once more here as data so the
# ribbon's first click (nps_xl.excel.refresh.set_up) builds the same Dashboard, Benchmarks and
# About sheets; tests/test_refresh.py checks the result cell by cell against the shipped template.

#: Header keys of the headline block (row ``HEADLINE_HEADER_ROW`` from column A) and of the
#: score distribution block (row ``DIST_HEADER_ROW`` from ``DIST_SCORE_COL``).
HEADLINE_HEADERS = ("statistic", "value", "share")
DIST_HEADERS = ("score", "count", "category")
#: Number formats of the share column and of the benchmark value / gap columns.
SHARE_FORMAT = "0.0%"
BENCH_FORMATS = {1: "0", 2: "+0.0;-0.0;0.0"}

#: Columns of the Benchmarks sheet (the cited figures and their lookup key), then one empty
#: column and the band table (lower bound, label) that ``LOOKUP`` reads.
BENCHMARK_SHEET_COLUMNS = ("industry", "statistic", "value", "source", "year", "key")
BAND_FROM_COL = len(BENCHMARK_SHEET_COLUMNS) + 1

#: Lines of the About sheet below its title (row 3 on), i18n keys; ``{sheet}`` fields are filled
#: with the sheet named in the second element.
ABOUT_LINES = (
    ("wb_about_categories", None),
    ("wb_about_margin", None),
    ("wb_about_population", None),
    ("wb_about_weights", None),
    ("wb_about_trend", None),
    ("wb_about_bands", "benchmarks"),
    ("wb_about_invalid", "invalid"),
    ("wb_about_refresh", None),
)
ABOUT_FIRST_ROW = 2


def score_category(score: int, scale: object = None) -> str:
    """``"detractors"``, ``"passives"`` or ``"promoters"`` for a score on ``scale`` (0–10)."""
    sc = resolve_scale(scale)
    if score <= sc.detractor_max:
        return "detractors"
    return "passives" if score <= sc.passive_max else "promoters"


def dashboard_cells(
    lang: str = "en",
    industry_label: str = "",
    bench_labels: tuple[str, ...] = (),
    note_key: str = "wb_formula_note",
    confidence: float = 0.95,
    scale: object = None,
    *,
    weighted: bool = False,
) -> dict[str, object]:
    """Every constant Dashboard cell (labels, the scores 0–10, the confidence level and its z),
    keyed by A1 cell; ``weighted``: with the labels of :data:`WEIGHTED_FIGURES`.

    ``bench_labels`` are the labels of the benchmark rows (``"Median (2024)"``), in the order of
    the ``bench_rows`` given to :func:`dashboard_formulas`. Formula cells are not included.
    z = Φ⁻¹(1 − (1 − confidence)/2), the standard normal quantile (1.959963984540054 for 95%).
    """
    lang = normalize_language(lang)
    c: dict[str, object] = {
        cell(TITLE_ROW, 0): text("wb_title", lang),
        cell(NOTE_ROW, 0): text(note_key, lang),
    }
    for j, key in enumerate(HEADLINE_HEADERS):
        c[cell(HEADLINE_HEADER_ROW, j)] = text(key, lang)
    for j, key in enumerate(DIST_HEADERS):
        c[cell(DIST_HEADER_ROW, DIST_SCORE_COL + j)] = text(key, lang)
    for fig in figures(weighted):
        c[cell(fig.row, 0)] = text(fig.label_key, lang)
    if weighted:  # the counts are weight sums: the distribution's header says so
        c[cell(DIST_HEADER_ROW, DIST_COUNT_COL)] = text("wb_weighted_count", lang)
    c[cell(FIGURE_BY_NAME["NPS_Confidence"].row, VALUE_COL)] = confidence
    z = z_value(confidence)
    c[cell(FIGURE_BY_NAME["NPS_Z"].row, VALUE_COL)] = z
    for i, k in enumerate(scale_points(scale)):
        c[cell(DIST_FIRST_ROW + i, DIST_SCORE_COL)] = k
        category = score_category(k, scale)[:-1]
        c[cell(DIST_FIRST_ROW + i, DIST_CATEGORY_COL)] = text(category, lang)
    c[cell(BENCH_TITLE_ROW, 0)] = text("wb_benchmark_title", lang, industry=industry_label)
    for j, key in enumerate(BENCH_COLUMNS):
        c[cell(BENCH_HEADER_ROW, j)] = text(key, lang)
    for i, label in enumerate(bench_labels[:BENCH_MAX_ROWS]):
        c[cell(BENCH_FIRST_ROW + i, 0)] = label
    return c


def dashboard_formats(weighted: bool = False) -> dict[str, str]:
    """Number format of every Dashboard figure and share cell, keyed by A1 cell."""
    formats = {}
    for fig in figures(weighted):
        weight_sum = weighted and fig.share_name is not None  # promoters…: weight sums
        formats[cell(fig.row, VALUE_COL)] = "0.0" if weight_sum else fig.number_format
        if fig.share_name:
            formats[cell(fig.row, SHARE_COL)] = SHARE_FORMAT
    return formats


def benchmark_sheet_names(lang: str, figures: int, bands: int) -> dict[str, str]:
    """Defined names of the Benchmarks sheet's lookup ranges, for ``figures`` cited rows and
    ``bands`` band rows (each below a header row)."""
    title = sheet_name("benchmarks", lang)
    key_col = BENCHMARK_SHEET_COLUMNS.index("key")
    value_col = BENCHMARK_SHEET_COLUMNS.index("value")
    return {
        BENCH_KEY_RANGE: range_ref(title, 1, key_col, figures),
        BENCH_VALUE_RANGE: range_ref(title, 1, value_col, figures),
        BAND_FROM_RANGE: range_ref(title, 1, BAND_FROM_COL, bands),
        BAND_LABEL_RANGE: range_ref(title, 1, BAND_FROM_COL + 1, bands),
    }


# --------------------------------------------------------------------------- words in cells

#: Report columns whose cells hold catalogue words (i18n keys), not the user's own text:
#: column → how a cell value becomes a catalogue key.
WORD_COLUMNS = {"category": "{}", "theme": "theme_{}"}


def cell_word(column: str, value: object, lang: str) -> object:
    """The cell as a reader of ``lang`` sees it: ``"detractor"`` → "Kritikas", ``"price"`` →
    "价格". Values that are not catalogue words (a user's own theme name) stay as they are."""
    pattern = WORD_COLUMNS.get(column)
    if pattern is None or not isinstance(value, str):
        return value
    key = pattern.format(value)
    return text(key, lang) if key in CATALOGUE else value
