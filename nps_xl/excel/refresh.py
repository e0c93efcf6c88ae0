"""What the NPS ribbon button runs: read the Responses table of the open workbook, rewrite the
report sheets.

``main()`` is the RunPython entry point (``import nps_xl; nps_xl.main()``, see
:mod:`nps_xl.excel.addin`); ``refresh_report(book)`` does the work and is also an xlwings script
(``@xw.script``) for the Office.js routes, xlwings Lite and xlwings Server.

What it writes, and only there: the cells of :mod:`nps_xl.workbook.sheets` for the
:class:`~nps_xl.report.Report` of the table's answers — the very cells the file writer
:mod:`nps_xl.workbook.xlsx` writes, so the button and ``nps-xl report`` agree:

* Trend, Segments, Follow-up, Themes and Invalid answers: header row + one row per table row,
  cleared first so a shorter table leaves no stale rows. Identical answers give identical
  writes, so a second click changes nothing.
* Dashboard figures are Excel formulas over ``Responses[Score]`` (invalid = rows − blanks −
  valid), so Excel updates them itself; the refresh does not write them. Chart series that
  point at Trend / Segments rows are stretched to the new row counts where the engine lets
  Python address a series (desktop Excel on Windows); see :func:`update_charts`.
* Follow-up keeps the Status notes the user typed, matched by Response ID, and lists at most
  the report's Follow-up limit (the newest), with a note saying how many more there are.
* Text is written as text: Excel parses a value set through ``Range.value`` / ``setValues``
  like typed input (``"2025-05"`` would become a date, ``"0012"`` the number 12, ``"1e1"``
  10, ``"TRUE"`` a boolean, ``"=1+1"`` a formula). Every text cell is therefore written with
  Excel's text prefix, an apostrophe, which Excel stores as the cell's prefix character and
  not as part of its value (Microsoft, "Format numbers as text": *type an apostrophe (')
  before the number*).
* A workbook whose Responses table has lost other report sheets (a Dashboard deleted, …) gets
  them back, set up as on the first click; sheets that exist are never set up again.
* Never the Responses sheet, never a sheet the layout does not own.

A workbook without a ``Responses`` table is set up instead (:func:`set_up`), like the shipped
template: the Responses Table, the Dashboard labels and formulas
(:func:`layout.dashboard_formulas`), the defined names (:func:`layout.defined_names` and the
Benchmarks lookup ranges), the Benchmarks figures and band table, About, the report header rows
and the four charts. Only sheets it adds are written; names are never redefined, except the
report's own names that a deleted sheet turned into ``=#REF!…`` (:func:`redefine_broken_names`),
which the refresh points at their sheets again and names in the status line.
"""

from __future__ import annotations

import contextlib
import math
import re

import numpy as np
import pandas as pd
import xlwings as xw
from xlsxwriter.utility import xl_cell_to_rowcol

from nps_xl.dates import parse_dates
from nps_xl.i18n import CATALOGUE, LANGUAGES, text
from nps_xl.report import FOLLOW_UP_LIMIT, Report, ReportColumns, ReportOptions, build_report
from nps_xl.scores import parse_scores, scale_doubt, scale_error
from nps_xl.workbook import layout as L
from nps_xl.workbook import sheets as S
from nps_xl.workbook.cells import excel_text

#: Report sheets the refresh rewrites (the rest — Dashboard, Benchmarks, About — are static).
WRITTEN_SHEETS = ("trend", "segments", "followup", "themes", "drivers", "invalid")


def main() -> None:
    """Ribbon entry point: refresh the workbook the button was clicked in."""
    refresh_workbook(xw.Book.caller())


def refresh_workbook(book: xw.Book) -> str:
    """Refresh the NPS report of ``book`` (or set the workbook up on the first click).

    Shows and returns the status message. Any xlwings Book works: desktop Excel (COM or
    AppleScript) or an Office.js book, whose ``json()`` then holds the actions for Excel.
    """
    table = find_responses_table(book)
    message = (missing_table(book) or set_up(book)) if table is None else _refresh(book, table)
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


def missing_table(book: xw.Book) -> str | None:
    """The message when a workbook set up for the report has no table named ``Responses``
    (the user renamed it, or the answers are a plain range), else None (a workbook to set
    up). Nothing is written then: the tables found are named, with their sheets."""
    tables = [(t, s.name) for s in book.sheets for t in s.tables]
    lang = layout_language(book)
    if lang is None:
        found = (_table_language(t) for t, _ in tables)
        lang = next((f for f in found if f), None)
    if lang is None:
        return None
    if tables:
        shown = ", ".join(
            text("refresh_table_on_sheet", lang, table=t.name, sheet=sheet) for t, sheet in tables
        )
        return text("refresh_table_renamed", lang, tables=shown)
    responses = L.sheet_name("responses", lang)
    if responses.lower() not in _sheet_names(book):
        return None  # the Responses sheet is gone: set up again, as on the first click
    return text("refresh_plain_range", lang, sheet=responses)


def layout_language(book: xw.Book) -> str | None:
    """The language whose Responses or Dashboard sheet the workbook has, or None."""
    existing = _sheet_names(book)
    for lang in LANGUAGES:
        if any(L.sheet_name(sid, lang).lower() in existing for sid in ("responses", "dashboard")):
            return lang
    return None


def _table_language(table) -> str | None:
    """The language of a table whose header row names the score (``Score``, ``评分`` …)."""
    headers = [_header(h) for h in (_rows(table.header_row_range.value) or [[]])[0]]
    try:
        return L.detect_language(headers)
    except ValueError:
        return None


def header_clash(headers: list[str], lang: str, first_column: int) -> str | None:
    """The message when two columns of the Responses table are headed alike (case and spacing
    ignored) for one of the report's fixed columns, naming their Excel column letters
    (``first_column``: the table's first column, 0-based); None when no header clashes."""
    for header in L.response_headers(lang).values():
        columns = [j for j, h in enumerate(headers) if same_header(h) == same_header(header)]
        if len(columns) > 1:
            letters = ", ".join(L.col_letter(first_column + j) for j in columns)
            return text("refresh_header_clash", lang, columns=letters, header=header)
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


def report_of(
    frame: pd.DataFrame,
    lang: str,
    previous: pd.DataFrame | None = None,
    scale: object = None,
    *,
    dates: tuple[str, tuple[str, ...]] | None = None,
    follow_up_limit: int | None = FOLLOW_UP_LIMIT,
) -> Report:
    """The :class:`~nps_xl.report.Report` of a Responses table read by :func:`read_responses`:
    its localized fixed columns, every other column a segment; answers on ``scale`` (the
    workbook's, :func:`workbook_scale`). The date column is :func:`table_dates`' (``dates``:
    already found); the notes of :func:`reading_notes` come first among the report's; the
    Follow-up list holds at most ``follow_up_limit`` answers (the workbook's,
    :func:`workbook_follow_up_limit`)."""
    headers = L.response_headers(lang)
    date, other_dates = dates or table_dates(frame, lang)
    weight = L.weight_header(lang)
    columns = ReportColumns(
        score=headers["score"],
        date=date,
        comment=headers["comment"],
        response_id=headers["response_id"],
        # a column of dates is never a segment, a column of ratings is a driver
        segments=segments_of(frame, lang, exclude=(date, *other_dates)),
        drivers=drivers_of(frame, lang, exclude=(date, *other_dates)),
        # a Weight column (a weighted report's table): the tables are weighted, as the
        # Dashboard's formulas are
        weight=weight if weight in frame.columns else None,
    )
    options = ReportOptions(
        lang=lang, industry=SET_UP_INDUSTRY, scale=scale, follow_up_limit=follow_up_limit
    )
    notes = reading_notes(frame, lang, date, other_dates)
    return build_report(frame, columns, options, previous_follow_up=previous, notes=notes)


def table_dates(frame: pd.DataFrame, lang: str) -> tuple[str, tuple[str, ...]]:
    """The Responses table's date column and its other date columns, by the rule of
    :func:`nps_xl.io.detect.date_columns` (README, *Which date column*) with the table's own
    Date column ranked as the time of the answer: a column of the user's headed "Created" or
    "Date of birth" never replaces it; one headed "Submitted at" is used when the Date column
    holds no date."""
    headers = L.response_headers(lang)
    date = headers["date"]
    if frame.empty:
        return date, ()
    from nps_xl.io.detect import date_columns  # the reader's rule, imported when there is data

    fixed = [headers[k] for k in ("score", "comment", "response_id")]
    ranked = date_columns(frame, exclude=fixed, answered=[date])
    if not ranked:
        return date, ()
    return ranked[0], tuple(c for c in ranked[1:] if c != date or ranked[0] == date)


def reading_notes(
    frame: pd.DataFrame, lang: str, date: str, other_dates: tuple[str, ...]
) -> tuple[str, ...]:
    """What the status line says about the table's columns: the date column used among
    several, and a Response ID column whose ids repeat (customer ids: every answer counts)."""
    from nps_xl.io.detect import repeated_ids

    notes = []
    if other_dates:
        shown = ", ".join(repr(str(c)) for c in other_dates[:5])
        if len(other_dates) > 5:
            shown += " " + text("cli_and_more", lang, count=len(other_dates) - 5)
        notes.append(
            text(
                "refresh_date_columns",
                lang,
                column=date,
                others=shown,
                date=L.response_headers(lang)["date"],
            )
        )
    rid = L.response_headers(lang)["response_id"]
    if rid in frame.columns and len(frame):
        repeated = repeated_ids(frame[rid])
        if repeated.customers:
            notes.append(
                text(
                    "refresh_id_repeats",
                    lang,
                    column=rid,
                    customers=repeated.customers,
                    answers=repeated.answers,
                )
            )
    return tuple(notes)


def segments_of(frame: pd.DataFrame, lang: str, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The segment columns of a Responses table: every column but the fixed ones, the Weight
    column, ``exclude`` (its date columns) and the key drivers (:func:`drivers_of`)."""
    fixed = set(L.response_headers(lang).values()) | {L.weight_header(lang)} | set(exclude)
    fixed |= set(drivers_of(frame, lang, exclude))
    return tuple(c for c in frame.columns if c and c not in fixed)


def drivers_of(frame: pd.DataFrame, lang: str, exclude: tuple[str, ...] = ()) -> tuple[str, ...]:
    """The key-driver columns of a Responses table, by the reader's rule
    (:func:`nps_xl.io.detect.rating_columns`): the user's columns whose cells are all numbers,
    whole from 0 to 10, with two values at least — as ``nps-xl report`` writes the rating
    questions there; text cells ("4" typed as text, a region) make a column a segment. At most
    :data:`nps_xl.key_drivers.MAX_DRIVERS`, the first in table order."""
    if frame.empty:
        return ()
    from nps_xl.io.detect import rating_columns  # the reader's rule, imported when there is data
    from nps_xl.key_drivers import MAX_DRIVERS

    fixed = set(L.response_headers(lang).values()) | {L.weight_header(lang)} | set(exclude)
    found = rating_columns(frame, exclude=fixed, numbers_only=True)
    return tuple(found[:MAX_DRIVERS])


def same_header(header: object) -> str:
    """A header as the refresh compares it: case and spacing ignored ("response  id" is
    "Response ID"), as Excel compares Table column names without case."""
    return " ".join(_header(header).split()).casefold()


def excel_value(value: object) -> object:
    """A cell of :mod:`nps_xl.workbook.sheets` as the value to hand to Excel: a formula as
    its text, text behind the apostrophe prefix (so Excel keeps it as typed), numbers and
    dates as they are; text longer than an Excel cell holds ends in "[…]"."""
    if isinstance(value, S.Formula):
        return value.formula
    if isinstance(value, str):
        # Excel holds 32,767 characters in a cell: a longer text is cut, with a mark
        return "'" + excel_text(value)
    return value


# --------------------------------------------------------------------------- writing


def _refresh(book: xw.Book, table) -> str:
    frame = read_responses(table)
    lang = L.detect_language(list(frame.columns))
    clash = header_clash(list(frame.columns), lang, table.range.column - 1)
    if clash is not None:  # nothing written: the report cannot tell which column to read
        return clash
    scale = workbook_scale(book)
    doubt = _scale_doubt(frame, lang, scale)
    if doubt is not None:  # nothing written: the answers do not look like a 0–10 question
        return doubt
    names = L.sheet_names(lang)
    notes = []
    weighted = L.weight_header(lang) in frame.columns
    if any(names[sid].lower() not in _sheet_names(book) for sid in L.REPORT_SHEETS):
        notes.append(set_up(book, lang, skip=("responses",), weighted=weighted))
        notes = [n for n in notes if n]
    repaired = redefine_broken_names(book, lang, weighted=weighted)
    if repaired:
        notes.append(text("refresh_names_redefined", lang, names=", ".join(repaired)))
    sheets = {s.name.lower(): s for s in book.sheets}  # Excel's sheet names ignore case
    answers_sheet = table.range.sheet.name
    targets = {}
    for sid in WRITTEN_SHEETS:
        sheet = sheets[names[sid].lower()]
        if sheet.name == answers_sheet or not is_report_sheet(sheet, sid, lang):
            # never clear a sheet the report did not make, nor a Follow-up list whose answers
            # cannot be told apart (its Response ID column gone): the report gets a sheet of
            # its own, beside it, and the message says so
            sheet = _own_sheet(book, names[sid], sid, lang)
            notes.append(text("refresh_own_sheet", lang, sheet=names[sid], used=sheet.name))
        targets[sid] = sheet
    dates = table_dates(frame, lang)
    reading = reading_notes(frame, lang, *dates)
    segments = segments_of(frame, lang, exclude=(dates[0], *dates[1]))
    previous = read_follow_up(targets["followup"], lang, segments)
    limit = workbook_follow_up_limit(book)
    first_answer_row = table.range.row + 1  # the row below the table's header row
    bad_weight = weight_problem(frame, lang, scale, first_answer_row)
    if bad_weight is not None:  # nothing written: as nps-xl report refuses such a weight
        return " ".join([*notes, bad_weight])
    report = report_of(frame, lang, previous, scale, dates=dates, follow_up_limit=limit)
    grids = S.report_tables(report, first_answer_row=first_answer_row)
    for sid in WRITTEN_SHEETS:
        write_grid(targets[sid], grids[sid])
    used = {**names, **{sid: sheet.name for sid, sheet in targets.items()}}
    update_charts(book, used, {sid: len(grids[sid].rows) for sid in ("trend", "segments")})
    update_drivers_chart(book, used["drivers"], report)
    counts = report.headline.counts
    if counts.n == 0:
        message = text("refresh_no_answers", lang)
    else:
        message = text("refresh_done", lang, n=counts.n, nps=f"{counts.nps:.1f}")
    if report.headline.invalid:
        message += " " + text(
            "refresh_invalid", lang, invalid=report.headline.invalid, sheet=used["invalid"]
        )
    return " ".join([*notes, message, *reading])


def weight_problem(
    frame: pd.DataFrame, lang: str, scale: object, first_answer_row: int
) -> str | None:
    """The refresh's message when the Responses table has a Weight column and an answer with
    a score has no weight that is a number ≥ 0 (blank, text, negative), naming its Excel row
    (``first_answer_row``: the row of the table's first answer); None when every answer has
    one (or the table has no Weight column). The rule of :func:`nps_xl.counts.parse_weights`."""
    column = L.weight_header(lang)
    score = L.response_headers(lang)["score"]
    if column not in frame.columns or score not in frame.columns:
        return None
    answers = parse_scores(frame[score], scale=scale or "0-10", invalid="skip")
    weights = pd.to_numeric(frame[column], errors="coerce").to_numpy(dtype=float)
    with np.errstate(invalid="ignore"):
        bad = answers.valid & ~(np.isfinite(weights) & (weights >= 0))
    if not bad.any():
        return None
    i = int(np.flatnonzero(bad)[0])
    value = frame[column].iloc[i]
    shown = "''" if _blank(value) else repr(value)
    return text(
        "refresh_weight_invalid",
        lang,
        column=column,
        value=shown,
        row=first_answer_row + i,
        count=int(bad.sum()),
    )


def workbook_scale(book: xw.Book) -> str | None:
    """The scale the workbook was made for (its :data:`layout.SCALE_NAME`), or None when it
    states none (the name missing, ``=""`` or broken by a deleted sheet, ``=#REF!``): then
    the answers are read on 0–10 unless :func:`nps_xl.scores.scale_doubt` doubts they come
    from a 0–10 question."""
    for name in book.names:
        if name.name.lower() == L.SCALE_NAME.lower():
            refers_to = str(name.refers_to or "")
            if BROKEN_REF in refers_to.upper():
                return None
            return refers_to.lstrip("=").strip().strip('"') or None
    return None


def workbook_follow_up_limit(book: xw.Book) -> int | None:
    """The Follow-up limit the workbook was written with (its :data:`layout.FOLLOW_UP_NAME`:
    ``=5000``; ``=""``: no limit); :data:`nps_xl.report.FOLLOW_UP_LIMIT` when the name is
    missing, broken (``=#REF!``) or not a whole number ≥ 0."""
    for name in book.names:
        if name.name.lower() == L.FOLLOW_UP_NAME.lower():
            value = str(name.refers_to or "").lstrip("=").strip()
            if value == '""':
                return None
            try:
                number = float(value)
            except ValueError:
                return FOLLOW_UP_LIMIT
            if not math.isfinite(number) or number < 0 or not number.is_integer():
                return FOLLOW_UP_LIMIT
            return int(number)
    return FOLLOW_UP_LIMIT


#: What Excel puts in a name's definition when the sheet it pointed at is deleted.
BROKEN_REF = "#REF!"


def report_names(lang: str, weighted: bool = False) -> dict[str, str]:
    """The workbook-scoped names the report defines, with their proper definitions: those of
    :func:`layout.defined_names` (no scale stated; ``weighted``: with the weighted figures')
    and the Benchmarks lookup ranges."""
    names = L.defined_names(lang, weighted=weighted)
    names.update(L.benchmark_sheet_names(lang, S.benchmark_figure_count(), S.band_count()))
    return names


def redefine_broken_names(book: xw.Book, lang: str, *, weighted: bool = False) -> list[str]:
    """Give the report's own workbook-scoped names whose definition holds ``#REF!`` (Excel's
    mark when the sheet they pointed at was deleted) their proper definitions again (:data:`
    layout.SCALE_NAME`: no scale stated). The user's names and sheet-scoped names (``Sheet!
    Name``) are never touched. Returns the names redefined, as the workbook spells them."""
    proper = {name.lower(): refers_to for name, refers_to in report_names(lang, weighted).items()}
    redefined = []
    for name in book.names:
        spelled = name.name
        if "!" in spelled or spelled.lower() not in proper:
            continue  # a sheet-scoped name, or one of the user's
        if BROKEN_REF not in str(name.refers_to or "").upper():
            continue
        name.refers_to = proper[spelled.lower()]
        redefined.append(spelled)
    return redefined


def _scale_doubt(frame: pd.DataFrame, lang: str, scale: str | None) -> str | None:
    """The refresh's message when no scale is stated and the Responses table's answers cannot
    plausibly be 0–10 (README, "Scale": one rule on every surface), else None."""
    column = L.response_headers(lang)["score"]
    if scale is not None or column not in frame.columns:
        return None
    answers = parse_scores(frame[column], scale="0-10", invalid="skip")
    doubt = scale_doubt(answers, column)
    return None if doubt is None else scale_error(doubt, "refresh").localized(lang)


def _sheet_names(book: xw.Book) -> set[str]:
    return {s.name.lower() for s in book.sheets}


def is_report_sheet(sheet, sid: str, lang: str) -> bool:
    """Whether ``sheet`` holds the report table ``sid`` (its header row starts with the
    table's own headers, case and spacing ignored) or nothing at all: only such a sheet may be
    cleared and rewritten. A Follow-up sheet is the report's when its first column is the
    Response ID, whatever became of the other headers: every other column is read back
    (:func:`read_follow_up`) and what the user typed in it is written again."""
    expected = S.empty_tables(lang)[sid].header[: 1 if sid == "followup" else 2]
    first = _rows(sheet.range((1, 1), (1, len(expected))).value)
    found = [same_header(v) for v in (first[0] if first else [])]
    want = [same_header(h) for h in expected]
    if sid == "invalid" and found[1:] == want[1:]:  # "Line" when made from a CSV export
        line = same_header(L.header_text(L.INVALID_LINE_COLUMNS[0], lang))
        return found[0] in (want[0], line)
    return found == want or (not any(found) and _is_empty(sheet))


def _is_empty(sheet) -> bool:
    return all(_blank(v) for row in _rows(sheet.used_range.value) for v in row)


def _own_sheet(book: xw.Book, name: str, sid: str, lang: str):
    """A sheet for report table ``sid`` when a sheet of the user's has its name: ``Trend
    (NPS)``, made once and reused by later refreshes."""
    mine = L.check_sheet_name(f"{name[: 31 - len(OWN_SUFFIX)]}{OWN_SUFFIX}")
    for sheet in book.sheets:
        if sheet.name.lower() == mine.lower():
            if is_report_sheet(sheet, sid, lang):
                return sheet
            # that name is the user's too: one more suffix, never their sheet
            mine = L.check_sheet_name(f"{mine[:28]} 2")
    return _add_sheet(book, mine)


#: Added to a report sheet's name when a sheet of the user's already has that name.
OWN_SUFFIX = " (NPS)"


def read_follow_up(sheet, lang: str, segments: tuple[str, ...] = ()) -> pd.DataFrame | None:
    """The Follow-up sheet as the user left it: the report's columns under their keys
    (``response_id``, ``date``, ``comment``, ``status``…) and the segment columns under their
    names, both recognised whatever their case and spacing; every other column — renamed,
    added, or with its header cleared (then called ``ColumnN``, as Excel names a column
    without a header) — under its own header, as the user's notes, so nothing typed there is
    lost. The report's note on how many more answers there are is not a column."""
    if sheet is None:
        return None
    rows = _rows(sheet.used_range.value)
    if len(rows) < 2:
        return None
    width = max(len(r) for r in rows)
    header = list(rows[0]) + [None] * (width - len(rows[0]))
    known = {same_header(text(k, lang)): k for k in (*L.FOLLOWUP_EMPTY_COLUMNS, "category")}
    for name in segments:
        known.setdefault(same_header(name), name)
    data: dict[str, list] = {}
    for j in range(width):
        name = _header(header[j])
        values = [r[j] if j < len(r) else None for r in rows[1:]]
        if name and _is_more_note(name, lang):
            continue
        if not name:
            if all(_blank(v) for v in values):
                continue  # the gap before the note, or an empty column
            name = f"Column{j + 1}"
        key = known.get(same_header(name), name)
        if key in data:  # a second column of that name: the user's, under its own header
            key = name if name not in data else f"{name} ({j + 1})"
        data[key] = values
    if "response_id" not in data:
        return None
    previous = pd.DataFrame(data, dtype=object)
    if "date" in previous:
        previous["date"] = _dates_or_text(previous["date"])
    return previous


def _is_more_note(header: str, lang: str) -> bool:
    """Whether a header cell is the report's own note ("347 more detractors not listed…"),
    not a column of the user's (who may have typed a header in the gap before it)."""
    for key in ("wb_followup_more_responses", "wb_followup_more_export"):
        pattern = re.escape(CATALOGUE[key][lang])
        pattern = re.sub(r"\\\{\w+\\\}", ".+", pattern)  # each {field} matches anything
        if re.fullmatch(pattern, header, re.DOTALL):
            return True
    return False


def _dates_or_text(values: pd.Series) -> pd.Series:
    """Dates as Excel gave them back (datetimes, serial numbers, ISO text) as timestamps; a
    value that is not a date stays as it is."""
    out = []
    for v in values:
        try:
            out.append(parse_dates([v]).iloc[0])
        except ValueError:
            out.append(v)
    return pd.Series(out, index=values.index, dtype=object)


def write_grid(sheet, grid: S.Grid) -> None:
    """Clear ``sheet``'s contents (formats and notes stay) and write ``grid`` from A1: the
    header row, the rows, a note right of the header, and each column's number format."""
    sheet.clear_contents()
    width = grid.width + (2 if grid.note else 0)
    header = [*grid.header, *([None, grid.note] if grid.note else [])]
    rows = [header, *grid.rows]
    if grid.empty:
        rows.append([grid.empty])
    rows = [[excel_value(v) for v in r] + [None] * (width - len(r)) for r in rows]
    sheet.range("A1").value = rows
    n = len(grid.rows)
    for j, fmt in sorted(grid.formats.items()):
        if n:
            sheet.range((2, j + 1), (n + 1, j + 1)).number_format = fmt


def _add_sheet(book: xw.Book, name: str):
    sheet = book.sheets.add(name=name, after=book.sheets[len(book.sheets) - 1])
    return sheet


def stretch_series_formula(formula: str, sheet_name: str, last_row: int) -> str:
    """Point a chart's ``=SERIES(...)`` at rows 2..``last_row``+1 of ``sheet_name``.

    Only references to ``sheet_name`` change; the title and other sheets' ranges stay.
    """
    quoted = re.escape("'" + sheet_name.replace("'", "''") + "'")
    plain = re.escape(sheet_name)
    pattern = re.compile(rf"((?:{quoted}|{plain})!\$?[A-Z]{{1,3}}\$?\d+:\$?[A-Z]{{1,3}}\$?)(\d+)")
    return pattern.sub(lambda m: f"{m.group(1)}{max(last_row, 1) + 1}", formula)


def chart_sources(
    names: dict[str, str], rows: dict[str, int], scale: object = None
) -> dict[str, tuple]:
    """``{chart id: (chart type, (sheet, source range), (sheet, category range) or None)}`` of
    the charts the first click adds; ``rows`` = data rows of Trend / Segments (at least 1)."""
    last = {sid: max(n, 1) + 1 for sid, n in rows.items()}  # Excel row of the last data row
    first, end = L.FIGURE_BY_NAME["NPS_Promoters"].row, L.FIGURE_BY_NAME["NPS_Detractors"].row
    dist_lo, dist_hi = L.DIST_FIRST_ROW, L.DIST_FIRST_ROW + len(L.scale_points(scale)) - 1
    trend_nps = L.TREND_COLUMNS.index(L.TREND_CHART_SERIES[0])
    trend_high = L.TREND_COLUMNS.index(L.TREND_CHART_SERIES[-1])
    seg_nps = L.col_letter(L.SEGMENT_COLUMNS.index("nps"))
    seg_label = L.col_letter(L.SEGMENT_COLUMNS.index(L.SEGMENT_CHART_LABEL))
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
        # NPS, low, high, centre and the two control limits are adjacent Trend columns: six
        # lines, names from the header row
        "trend": (
            "line_markers",
            ("trend", f"{L.col_letter(trend_nps)}1:{L.col_letter(trend_high)}{t}"),
            ("trend", f"A2:A{t}"),
        ),
        "by_segment": (
            "column_clustered",
            ("segments", f"{seg_nps}1:{seg_nps}{s}"),
            ("segments", f"{seg_label}2:{seg_label}{s}"),  # one level of text labels
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
        style_category_axis(chart, cid)
        added.append(cid)
    return added


#: Excel's XlTickLabelPosition "low" and XlAxisType "category" (Axes(1)).
_TICK_LABELS_LOW, _CATEGORY_AXIS = -4134, 1


def style_category_axis(chart, chart_id: str) -> bool:
    """The category axis of :data:`layout.CHART_AXES` (labels below the plot, turned) where
    xlwings reaches Excel's chart object (desktop Excel, COM); elsewhere the chart keeps
    Excel's defaults. Returns whether the axis was styled."""
    axis = L.CHART_AXES.get(chart_id)
    if axis is None:
        return False
    try:
        com = chart.api[1].Axes(_CATEGORY_AXIS)  # COM (Windows) only
        if axis.label_position == "low":
            com.TickLabelPosition = _TICK_LABELS_LOW
        com.TickLabels.Orientation = -axis.rotation  # Excel: degrees, positive = upward
    except Exception:  # Office.js / macOS: no axis object through xlwings
        return False
    return True


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


def update_drivers_chart(book: xw.Book, sheet_name: str, report: Report) -> bool:
    """Point the Drivers sheet's bar chart (from ``nps-xl report``) at the new number of
    drivers, where desktop Excel on Windows exposes its ``=SERIES()`` formula (COM); elsewhere
    it keeps its rows (the sheet's table is always right). Returns whether it was updated."""
    rows = 0 if report.drivers is None else len(report.drivers.importance)
    sheet = next((s for s in book.sheets if s.name == sheet_name), None)
    if sheet is None or not rows:
        return False
    try:
        charts = list(sheet.charts)
        if not charts:
            return False
        collection = charts[0].api[1].SeriesCollection()  # COM (Windows) only
        for i in range(1, collection.Count + 1):
            series = collection.Item(i)
            series.Formula = stretch_series_formula(series.Formula, sheet_name, rows)
    except Exception:  # Office.js / macOS: no per-series access, as update_charts
        return False
    return True


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


def set_up(
    book: xw.Book, lang: str = "en", *, skip: tuple[str, ...] = (), weighted: bool = False
) -> str:
    """Set the workbook up as the template: every layout sheet that is missing is added.

    * Responses: the Excel Table ``Responses`` (localized headers, one empty row);
    * Dashboard: labels, the formulas of :func:`layout.dashboard_formulas` (plain Excel, they
      follow the table by themselves), number formats and the charts;
    * the defined names of :func:`layout.defined_names` and the Benchmarks lookup ranges;
    * Benchmarks (cited figures + band table), About, and the header row of every report table.

    The cells are those the file writer writes for a survey with no answers
    (:mod:`nps_xl.workbook.sheets`). A sheet that already exists (the user's, or an earlier
    set-up) is never written to; names pointing at it are not added. ``skip``: sheet ids not
    to add (``"responses"`` when the workbook has its table on another sheet). ``weighted``:
    the table has a Weight column, so a Dashboard added is the weighted one.
    """
    names = L.sheet_names(lang)
    existing = _sheet_names(book)
    new = [sid for sid in L.SHEETS if sid not in skip and names[sid].lower() not in existing]
    sheets = {sid: _add_sheet(book, names[sid]) for sid in new}
    notes = []
    if "responses" in sheets and not _add_responses_table(sheets["responses"], lang):
        notes.append(text("refresh_no_table", lang, sheet=names["responses"]))
    report = empty_report(lang, weighted)
    defined = {}
    if "dashboard" in sheets:
        defined.update(L.defined_names(lang, weighted=weighted))
    if "benchmarks" in sheets:
        defined.update(L.benchmark_sheet_names(lang, S.benchmark_figure_count(), S.band_count()))
    _add_names(book, defined)
    if "benchmarks" in sheets:
        write_cells(sheets["benchmarks"], S.benchmarks_sheet_cells(lang))
    if "dashboard" in sheets:
        _write_dashboard(sheets["dashboard"], report)
    if "about" in sheets:
        write_cells(sheets["about"], S.about_cells(lang))
    empty = S.empty_tables(lang)
    for sid in WRITTEN_SHEETS:
        if sid in sheets:
            sheets[sid].range("A1").value = [[excel_value(h) for h in empty[sid].header]]
    if "dashboard" in sheets:
        add_charts(book, names, lang)
    for sid, sheet in sheets.items():
        print_setup(sheet, sid, len(empty[sid].header) if sid in empty else None)
    if not new:  # nothing added: no "added the sheets" line
        return " ".join(notes)
    message = text("refresh_set_up", lang, sheets=", ".join(names[s] for s in new))
    return " ".join([message, *notes])


#: Excel's PageSetup constants (XlPageOrientation, XlPaperSize): xlPortrait, xlLandscape, A4.
_PORTRAIT, _LANDSCAPE, _PAPER_A4 = 1, 2, 9


def print_setup(sheet, sid: str, columns: int | None = None) -> bool:
    """Give a sheet the first click added the print setup of :data:`layout.PRINT` (as the file
    writer does): the print area on every engine xlwings drives (Office.js: ``setPrintArea``);
    orientation, paper, margins, footer, fit to one page wide and the repeated header row
    through Excel's ``PageSetup`` object where xlwings reaches it (desktop Excel, COM).
    ``columns``: how many columns the sheet's table has (their width decides landscape; the
    sheets the first click adds keep Excel's default column width). Returns whether the whole
    setup was applied (False: only the print area, where the engine has no ``PageSetup``).
    """
    setup = L.PRINT[sid]
    if setup.area is not None:
        first = L.cell(setup.area[0], setup.area[1], absolute=True)
        last = L.cell(setup.area[2], setup.area[3], absolute=True)
        with contextlib.suppress(NotImplementedError):  # an engine without print areas
            sheet.page_setup.print_area = f"{first}:{last}"
    widths = [L.DEFAULT_COLUMN_PIXELS] * (columns or 1)
    try:
        ps = sheet.api.PageSetup  # COM (Windows); Office.js and macOS have no such object
        ps.Orientation = _LANDSCAPE if L.print_landscape(setup, widths) else _PORTRAIT
        ps.PaperSize = _PAPER_A4
        for side, inches in L.MARGINS.items():
            setattr(ps, f"{side.capitalize()}Margin", inches * 72)  # points
        ps.HeaderMargin, ps.FooterMargin = L.HEADER_MARGIN * 72, L.FOOTER_MARGIN * 72
        ps.LeftFooter, ps.RightFooter = L.FOOTER_LEFT, L.FOOTER_RIGHT
        ps.Zoom = False  # fit to pages (Excel ignores FitToPages* while Zoom is a number)
        ps.FitToPagesWide = setup.pages_wide
        ps.FitToPagesTall = setup.pages_tall or False  # False: as many pages as needed
        if setup.repeat_rows:
            ps.PrintTitleRows = f"$1:${setup.repeat_rows}"
    except Exception:  # no PageSetup on this engine: the print area is what it supports
        return False
    return True


def empty_report(lang: str, weighted: bool = False) -> Report:
    """The report of a Responses table with no answers yet (headers only; ``weighted``: with
    a Weight column)."""
    headers = list(L.response_headers(lang).values())
    if weighted:
        headers.append(L.weight_header(lang))
    return report_of(pd.DataFrame({h: pd.Series(dtype=object) for h in headers}), lang)


def _add_responses_table(sheet, lang: str) -> bool:
    """Header row + the ``Responses`` Table; False where the engine cannot add tables.

    The sheet is activated first: Office.js resolves a table's bare address (``$A$1:$D$2``)
    against the active sheet (Microsoft, ``TableCollection.add``), and a new sheet is not
    active by itself.
    """
    headers = list(L.response_headers(lang).values())
    sheet.range("A1").value = [[excel_value(h) for h in headers]]
    try:
        sheet.activate()
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


def _write_dashboard(sheet, report: Report) -> None:
    """The Dashboard's constant cells, then its formulas (in runs of adjacent cells), then
    the number formats."""
    cells = S.dashboard_cells(report)
    write_cells(sheet, {r: v for r, v in cells.items() if not isinstance(v, S.Formula)})
    formulas = {r: v.formula for r, v in cells.items() if isinstance(v, S.Formula)}
    for anchor, block in formula_blocks(formulas):
        sheet.range(anchor).formula = block
    for ref, fmt in S.dashboard_formats(report).items():
        sheet.range(ref).number_format = fmt


def _grid(cells: dict[str, object]) -> list[list[object]]:
    """The cells as one rectangle from A1 (None where nothing is written)."""
    coords = {xl_cell_to_rowcol(ref): value for ref, value in cells.items()}
    rows = max(r for r, _ in coords) + 1
    cols = max(c for _, c in coords) + 1
    grid: list[list[object]] = [[None] * cols for _ in range(rows)]
    for (r, c), value in coords.items():
        grid[r][c] = excel_value(value)
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
        r, c = xl_cell_to_rowcol(ref)
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
