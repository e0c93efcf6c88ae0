"""The report of a survey: every figure a surface shows, computed once.

::

    answers (one row each) + ReportOptions ──► Report ──► terminal        (nps_xl.cli)
                                                      ├─► workbook file   (nps_xl.workbook.xlsx)
                                                      └─► open workbook   (nps_xl.excel.refresh)

:func:`build_report` reads the score column once (:class:`~nps_xl.counts.Answers`) and each
distinct date once, counts the answers per group (:class:`~nps_xl.counts.GroupedCounts`) and
builds the headline, trend, segments, themes, follow-up list, invalid answers, benchmark lines
and notes from those counts (:mod:`nps_xl.tables`), and the key drivers table from the rating
columns (:mod:`nps_xl.key_drivers`, on the rows: pandas only). The three renderers only lay
these figures out; none of them computes a statistic, so the terminal, the file and the
refreshed workbook show the same numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from nps_xl import benchmarks, progress, tables
from nps_xl.counts import DETRACTOR, PASSIVE, Answers, Counts, GroupedCounts
from nps_xl.dates import distinct_dates
from nps_xl.i18n import normalize_language, text
from nps_xl.key_drivers import DriversTable
from nps_xl.multiplicity import check_adjust
from nps_xl.numbers import format_count, format_number
from nps_xl.scores import Scale, resolve_scale
from nps_xl.stats import SMALL_SAMPLE_N, UNRELIABLE_WHEN_SMALL, interval, z_value

ScaleLike = str | Scale | Sequence[int] | None

#: The Follow-up list holds at most this many answers by default (the newest); the report says
#: how many more there are. Writing 170,000 detractors cell by cell cost most of a 1M-answer run.
FOLLOW_UP_LIMIT = 5_000
#: Published figures shown against the NPS (newest year first).
BENCHMARK_LINES = 6


@dataclass(frozen=True)
class ReportOptions:
    """What the user chose; every option is checked here, once, with a message saying what
    to do."""

    scale: ScaleLike = None
    period: str = "month"
    confidence: float = 0.95
    method: str = "adjusted-wald"
    min_n: int = 30
    target: float | None = None
    industry: str = "global"
    lang: str = "en"
    follow_up_limit: int | None = FOLLOW_UP_LIMIT
    include_passives: bool = False
    #: correction of the segment and trend tests: "holm", "bh" or "none" (nps_xl.multiplicity)
    adjust: str = "holm"
    #: the number of people the answers were drawn from: the headline interval gets the finite
    #: population correction f = 1 − n/N (stats.finite_population_correction); None: infinite
    population: float | None = None

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "adjust", check_adjust(self.adjust))
        # no scale given: answers are read on 0–10 once scores.scale_doubt has no doubt
        set_(self, "scale_stated", self.scale is not None)
        set_(self, "scale", resolve_scale(self.scale))
        set_(self, "period", tables.period_id(self.period))
        set_(self, "lang", normalize_language(self.lang))
        set_(self, "industry", benchmarks.resolve_industry(self.industry))
        if not (isinstance(self.confidence, (int, float)) and 0.5 <= self.confidence < 1):
            raise ValueError(
                f"The confidence level must be a number from 0.5 to below 1, such as 0.95; "
                f"got {self.confidence!r}."
            )
        if self.target is not None:
            target = _number(self.target)
            if target is None or not -100 <= target <= 100:
                raise ValueError(
                    f"The target NPS must be a number from −100 to 100, got {self.target!r}."
                )
            set_(self, "target", target)
        if self.population is not None:
            population = _number(self.population)
            if population is None or population < 1:
                raise ValueError(
                    "The population must be the number of people the survey was drawn from "
                    f"(a number of at least 1), got {self.population!r}."
                )
            set_(self, "population", population)
        limit = self.follow_up_limit
        if limit is not None and (
            isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 0
        ):
            raise ValueError(f"follow_up_limit must be a whole number ≥ 0 or None, got {limit!r}.")


def _number(value: object) -> float | None:
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


@dataclass(frozen=True)
class ReportColumns:
    """Which column of the answers plays which part (``None``: the export has no such column)."""

    score: str = "Score"
    date: str | None = "Date"
    comment: str | None = "Comment"
    response_id: str | None = "Response ID"
    segments: tuple[str, ...] = ()
    weight: str | None = None
    #: the key-driver rating columns (:mod:`nps_xl.key_drivers`)
    drivers: tuple[str, ...] = ()

    def present(self, frame: pd.DataFrame) -> ReportColumns:
        """These columns, with those ``frame`` lacks set to ``None`` (the score must be there)."""
        if self.score not in frame.columns:
            raise ValueError(
                f"The score column {self.score!r} is not in the data (columns: "
                f"{', '.join(map(str, frame.columns))}). Pass score='<column with the answers>'."
            )
        missing = [s for s in self.segments if s not in frame.columns]
        if missing:
            raise ValueError(f"Segment column(s) {missing} not in the data; check the names.")
        if self.weight is not None and self.weight not in frame.columns:
            raise ValueError(f"The weight column {self.weight!r} is not in the data.")
        missing = [d for d in self.drivers if d not in frame.columns]
        if missing:
            raise ValueError(f"Driver column(s) {missing} not in the data; check the names.")

        def keep(name: str | None) -> str | None:
            return name if name is not None and name in frame.columns else None

        return ReportColumns(
            self.score,
            keep(self.date),
            keep(self.comment),
            keep(self.response_id),
            tuple(self.segments),
            self.weight,
            tuple(self.drivers),
        )


@dataclass(frozen=True)
class Headline:
    """The headline figures (NaN where undefined: no valid answer)."""

    counts: Counts
    n: int  # valid answers, unweighted
    blank: int
    invalid: int
    nps: float
    low: float
    high: float
    margin: float
    band: str | None
    confidence: float
    z: float
    target: float | None
    gap: float | None  # NPS − target
    distribution: tuple[float, ...]  # answers (weight sums) per scale point, minimum…maximum
    #: effective n below ``min_n`` (the tables' threshold, default 30): say so with the NPS
    small_sample: bool = False
    min_n: int = 30
    #: a bound was moved to the NPS so that the interval holds it (D1, ``stats.hold_estimate``)
    widened: bool = False
    #: the effective n the interval used (design-based when weighted, ``stats.effective_n``)
    effective_n: float = math.nan
    #: ``stats.design_effect`` of weighted answers (1 unweighted)
    design_effect: float = 1.0
    #: the population N of the finite population correction (None: infinite)
    population: float | None = None

    @property
    def has_answers(self) -> bool:
        return self.counts.n > 0


@dataclass(frozen=True)
class BenchmarkLine:
    """One published figure of the chosen industry, set against the NPS."""

    industry: str  # id
    statistic: str  # id: average, median, bottom_quartile, top_quartile
    value: float
    year: int
    source: str
    gap: float | None  # NPS − value (None without answers)
    verdict_key: str | None  # catalogue key of the verdict


@dataclass(frozen=True)
class Report:
    """Every figure of one survey's report. Tables are ``None`` where the data has no such
    column (no date: no trend) or no valid answer."""

    options: ReportOptions
    columns: ReportColumns
    rows: int  # answers read (rows of the export)
    headline: Headline
    summary: dict  # the headline as :func:`nps_xl.tables.summary` gives it
    trend: pd.DataFrame | None
    trend_note: str | None  # what the trend leaves out (undated answers, no date column)
    dates: tuple[pd.Timestamp, pd.Timestamp] | None  # first and last date of a valid answer
    undated: int  # valid answers without a date (left out of the trend)
    segments: pd.DataFrame | None
    themes: pd.DataFrame | None
    follow_up: pd.DataFrame | None
    follow_up_more: int  # answers to follow up that the limit left off the list
    follow_up_kept: pd.DataFrame | None  # notes of answers no longer on the list, as left
    invalid: pd.DataFrame  # position (0-based), row (file row), response_id, value
    benchmarks: tuple[BenchmarkLine, ...]
    industry_label: str
    notes: tuple[str, ...] = ()
    answers: Answers | None = field(default=None, repr=False)  # the answers as read
    #: what ``invalid["row"]`` and the notes' positions count: "line" (a CSV file's physical
    #: line), "row" (a spreadsheet's Excel row) or None (answers not read from a file)
    unit: str | None = None
    #: the line under the Trend and Segments tables: which correction over how many tests,
    #: and (trend) how many periods fall outside the control limits
    trend_table_note: str | None = None
    segments_table_note: str | None = None
    #: the key drivers (None: no rating columns, or they could not be ranked: see the notes)
    drivers: DriversTable | None = None
    #: the line under the Key drivers table: method, complete answers, R², what was left out
    drivers_table_note: str | None = None
    #: why there is no drivers table although there are rating columns (a localized note)
    drivers_problem: str | None = None

    @property
    def lang(self) -> str:
        return self.options.lang

    @property
    def weighted(self) -> bool:
        return self.columns.weight is not None


@dataclass(frozen=True, eq=False)
class ReportCounts:
    """Everything a report is built from, counted: what a counting engine produces.

    pandas over a frame (:func:`count_frame`) or an SQL engine over a file each fill this in;
    :func:`report_from_counts` builds the same :class:`Report` from either. Groups are keyed by
    the *distinct raw values* (dates, segment values, comments), so the date rules and theme
    patterns read each distinct value once, whichever engine counted.
    """

    rows: int  # answers read
    overall: GroupedCounts  # one group: every answer
    distribution: tuple[float, ...]  # answers (weight sums) per scale point, minimum…maximum
    by_date: GroupedCounts | None  # keys: distinct dates (datetime64[ns]); None: no date column
    undated: int  # valid answers without a date
    undated_rows: tuple[int, ...]  # the rows a person sees of the first few of them
    by_segment: dict[str, GroupedCounts]  # per segment column: counts per value
    by_comment: GroupedCounts | None  # keys: distinct comments; None: no comment column
    follow_up: pd.DataFrame | None  # the newest answers to follow up (at most the limit)
    follow_up_total: int  # all answers to follow up
    invalid: pd.DataFrame  # position (0-based), row (file row), response_id, value
    unit: str | None = None  # "line", "row" or None: see :attr:`Report.unit`
    #: the key drivers, computed on the rows (pandas); an engine that only counts leaves None
    drivers: DriversTable | None = None
    #: why the drivers could not be ranked (too few complete answers, a constant rating…)
    drivers_problem: str | None = None

    @property
    def weighted(self) -> bool:
        return self.overall.weighted


def build_report(
    frame: pd.DataFrame,
    columns: ReportColumns | None = None,
    options: ReportOptions | None = None,
    *,
    previous_follow_up: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The report of ``frame`` (one row per answer; its index is the file row a person sees).

    ``previous_follow_up``: the Follow-up list as the user left it (columns ``response_id``,
    ``date``, ``comment``, the segments, ``status`` and any of the user's own), so their notes
    follow their answers (:func:`nps_xl.tables.carry_notes`). ``notes``: remarks from reading
    the file, shown with the report's own (answers without a date, …).
    """
    options = options or ReportOptions()
    columns = (columns or ReportColumns()).present(frame)
    progress.phase("counting")
    counted, answers = count_frame(frame, columns, options)
    report = report_from_counts(
        counted, columns, options, previous_follow_up=previous_follow_up, notes=notes
    )
    return replace(report, answers=answers)


def count_frame(
    frame: pd.DataFrame, columns: ReportColumns, options: ReportOptions
) -> tuple[ReportCounts, Answers]:
    """Count ``frame`` with numpy and pandas: the score column read once, each distinct date
    once. Returns the counts and the answers as read (the Responses sheet shows them)."""
    weights = None if columns.weight is None else frame[columns.weight]
    scale = options.scale if options.scale_stated else None
    answers = Answers.read(frame[columns.score], scale=scale, weights=weights)
    overall = GroupedCounts.overall(answers)
    histogram = answers.parsed.histogram(answers.weights)
    by_date, undated, undated_rows, row_dates = None, 0, (), None
    if columns.date is not None:
        codes, distinct = distinct_dates(frame[columns.date], columns.date)
        row_dates = np.full(len(codes), np.datetime64("NaT"), dtype="datetime64[ns]")
        if len(distinct):  # a date column with no date at all leaves every answer undated
            row_dates = np.where(codes >= 0, distinct[np.maximum(codes, 0)], row_dates)
        by_date = GroupedCounts.count(answers, codes, distinct)
        missing = answers.valid & (codes < 0)
        undated = int(missing.sum())
        undated_rows = tuple(tables.file_rows(frame.index, np.flatnonzero(missing)[:5]).tolist())
    by_segment = {s: tables.count_by_value(answers, frame[s]) for s in columns.segments}
    by_comment = None
    if columns.comment is not None:
        by_comment = tables.count_by_value(answers, frame[columns.comment], sort=False)
    follow_up, total = None, 0
    if columns.comment is not None or columns.date is not None:
        follow_up = tables.follow_up_of(
            answers,
            frame,
            date=columns.date,
            comment=columns.comment,
            response_id=columns.response_id,
            segments=columns.segments,
            include_passives=options.include_passives,
            limit=options.follow_up_limit,
            dates=row_dates,
        ).drop(columns=["status"])
        total = int(np.count_nonzero(answers.category == DETRACTOR))
        if options.include_passives:
            total += int(np.count_nonzero(answers.category == PASSIVE))
    counted = ReportCounts(
        rows=len(frame),
        overall=overall,
        distribution=tuple(float(x) if answers.weighted else int(x) for x in histogram.tolist()),
        by_date=by_date,
        undated=undated,
        undated_rows=undated_rows,
        by_segment=by_segment,
        by_comment=by_comment,
        follow_up=follow_up,
        follow_up_total=total,
        invalid=_invalid(answers, frame, columns),
        unit=tables.position_unit(frame.index),
    )
    if columns.drivers:
        table, problem = drivers_of(frame, columns, options)
        counted = replace(counted, drivers=table, drivers_problem=problem)
    return counted, answers


def drivers_of(
    frame: pd.DataFrame, columns: ReportColumns, options: ReportOptions
) -> tuple[DriversTable | None, str | None]:
    """The key drivers of the score among ``columns.drivers`` (:func:`nps_xl.key_drivers.drivers`,
    LMG, unweighted, complete cases), or None and the reason when they cannot be ranked (fewer
    complete answers than drivers + 2, a rating every answer gives alike, collinear drivers):
    the report then says why instead of stopping."""
    from nps_xl.key_drivers import drivers

    try:
        return drivers(frame, columns.score, columns.drivers, scale=options.scale), None
    except ValueError as exc:
        return None, str(exc)


def report_from_counts(
    counted: ReportCounts,
    columns: ReportColumns,
    options: ReportOptions,
    *,
    previous_follow_up: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The :class:`Report` of counted answers: every table built from the counts alone."""
    notes = list(notes)
    if counted.by_date is not None:  # dated by quarter only: the trend is by quarter
        period = tables.trend_period_of(counted.by_date, options.period)
        if period != options.period:
            notes.append(text(f"note_trend_by_{period}", options.lang))
            options = replace(options, period=period)
    summary = tables.summary_of(
        counted.overall,
        confidence=options.confidence,
        method=options.method,
        target=options.target,
        industry=options.industry,
        lang=options.lang,
        min_n=options.min_n,
        population=options.population,
    )
    headline = _headline(counted, summary, options)
    has = headline.has_answers
    ctx = dict(confidence=options.confidence, min_n=options.min_n, method=options.method)
    # nothing left out without a word: answers without a date, or no date column at all
    trend_note = None
    if counted.by_date is None:
        trend_note = text("note_no_date_column", options.lang)
    elif counted.undated:
        trend_note = undated_note(counted, options.lang)
    if trend_note:
        notes.append(trend_note)
    trend = None
    if counted.by_date is not None and has:
        by_period = tables.periods_of(counted.by_date, options.period)
        trend = tables.trend_table(by_period, options.period, **ctx, adjust=options.adjust)
    segments = None
    if counted.by_segment and has:
        segments = tables.segment_table(
            counted.by_segment, **ctx, weighted=counted.weighted, adjust=options.adjust
        )
    themes = None
    if counted.by_comment is not None and has:
        themes = tables.theme_table(counted.by_comment, counted.overall.total(), None, **ctx)
    follow_up, more, kept = None, 0, None
    if counted.follow_up is not None and has:
        keying = dict(
            ids=columns.response_id is not None, content=("date", "comment", *columns.segments)
        )
        follow_up = tables.carry_notes(counted.follow_up, previous_follow_up, **keying)
        kept = tables.notes_left_behind(follow_up, previous_follow_up, **keying)
        more = counted.follow_up_total - len(follow_up)
    method_note = small_sample_method_note(options, [summary], [trend, segments, themes])
    if method_note:
        notes.append(method_note)
    key_drivers = counted.drivers if has else None
    problem = None
    if counted.drivers_problem and has:
        problem = text("note_drivers_problem", options.lang, reason=counted.drivers_problem)
        notes.append(problem)
    if key_drivers is not None and counted.weighted:
        notes.append(text("note_drivers_unweighted", options.lang))
    return Report(
        options=options,
        columns=columns,
        rows=counted.rows,
        headline=headline,
        summary=summary,
        trend=trend,
        trend_note=trend_note,
        dates=_date_range(counted.by_date),
        undated=counted.undated,
        segments=segments,
        themes=themes,
        follow_up=follow_up,
        follow_up_more=more,
        follow_up_kept=kept if kept is not None and len(kept) else None,
        invalid=counted.invalid,
        benchmarks=_benchmark_lines(headline, options),
        industry_label=text(f"industry_{options.industry}", options.lang),
        notes=tuple(dict.fromkeys(notes)),
        unit=counted.unit,
        trend_table_note=table_note(trend, options.adjust, options.lang, options.period),
        segments_table_note=table_note(segments, options.adjust, options.lang),
        drivers=key_drivers,
        drivers_table_note=drivers_table_note(key_drivers, options.lang),
        drivers_problem=problem,
    )


def drivers_table_note(table: DriversTable | None, lang: str) -> str | None:
    """The line under the Key drivers table: the method, the complete answers it used and the
    R² it shares out, then the answers left out (a driver unanswered), per driver."""
    if table is None:
        return None
    method = text("drivers_method_" + table.method.replace("-", "_"), lang)
    r2 = format_number(table.r_squared, lang, digits=3)
    line = text("drivers_note", lang, method=method, n=format_count(table.n, lang), r2=r2)
    if table.left_out:
        missing = ", ".join(
            f"{name} {format_count(count, lang)}"
            for name, count in table.left_out_by_driver.items()
            if count
        )
        line += ("" if lang in ("zh-Hans", "zh-Hant") else " ") + text(
            "drivers_note_left_out",
            lang,
            count=format_count(table.left_out, lang),
            columns=missing,
        )
    return line


def drivers_engine_note(drivers: Sequence[str], engine: str, lang: str) -> str | None:
    """The note of a report counted by an engine (DuckDB, Spark) on an export with rating
    columns: key drivers need every answer's ratings, which only the default engine reads."""
    if not drivers:
        return None
    shown = ", ".join(repr(str(d)) for d in drivers[:5])
    if len(drivers) > 5:
        shown += " " + text("cli_and_more", lang, count=len(drivers) - 5)
    return text("note_drivers_engine", lang, engine=engine, columns=shown)


def table_note(
    table: pd.DataFrame | None, adjust: str, lang: str, period: str | None = None
) -> str | None:
    """The line under a Segments or Trend table: the correction of its tests and over how many
    (:mod:`nps_xl.multiplicity`); a trend (``period`` given) adds how many periods are outside
    its control limits (:mod:`nps_xl.control`)."""
    if table is None or not len(table):
        return None
    raw = text("significant_raw", lang)
    parts = [text(f"note_adjust_{adjust}", lang, tests=tables.tests_in(table), raw=raw)]
    if period is not None and "out_of_control" in table:
        flags = table["out_of_control"]
        centre = table["centre"].iloc[0]
        if not pd.isna(centre):
            parts.append(
                text(
                    "note_out_of_control",
                    lang,
                    count=int(flags.fillna(False).sum()),
                    periods=int(flags.notna().sum()),
                    centre=format_number(float(centre), lang, digits=1),
                )
            )
    return "; ".join(parts) if lang not in ("zh-Hans", "zh-Hant") else ";".join(parts)


def _date_range(by_date: GroupedCounts | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """The first and the last date with a valid answer."""
    if by_date is None or not (by_date.n > 0).any():
        return None
    days = np.asarray(by_date.keys.tolist(), dtype="datetime64[ns]")[by_date.n > 0]
    return pd.Timestamp(days.min()), pd.Timestamp(days.max())


def undated_note(counted: ReportCounts, lang: str) -> str:
    """``12 answers with a score have no date and are not in the trend (rows 4, 9, …).``"""
    rows = ", ".join(map(str, counted.undated_rows))
    if counted.undated > len(counted.undated_rows):
        rows += ", …"
    key = "note_undated_lines" if counted.unit == "line" else "note_undated"
    return text(key, lang, count=counted.undated, rows=rows)


def _headline(counted: ReportCounts, summary: dict, options: ReportOptions) -> Headline:
    overall = counted.overall
    c = overall.total()
    low = high = margin = effective = math.nan
    widened, deff = False, 1.0
    if c.n > 0 and c.effective_n > 0:
        ci = interval(
            c,
            confidence=options.confidence,
            method=options.method,
            warn=False,
            population=options.population,
        )
        low, high, margin, widened = ci.low, ci.high, ci.margin, ci.widened
        effective, deff = ci.effective_n, ci.design_effect
    return Headline(
        counts=c,
        n=int(overall.n.sum()),
        blank=int(overall.blank.sum()),
        invalid=int(overall.invalid.sum()),
        nps=c.nps,
        low=low,
        high=high,
        margin=margin,
        band=summary["band"],
        confidence=options.confidence,
        z=z_value(options.confidence),
        target=options.target,
        gap=summary["gap_to_target"],
        distribution=counted.distribution,
        small_sample=bool(summary.get("small_sample", False)),
        min_n=options.min_n,
        widened=widened,
        effective_n=effective,
        design_effect=deff,
        population=options.population,
    )


def small_sample_method_note(
    options: ReportOptions, headlines: Sequence[dict], tables_shown: Sequence[pd.DataFrame | None]
) -> str | None:
    """The one note a Wald or bootstrap report carries where those methods' coverage fails:
    the headline or a table row whose answers are all in one category or whose effective n is
    below 30 (:func:`nps_xl.stats.small_sample_problem`; the counts read back from the rows'
    shares and effective n). ``None`` for adjusted Wald and score, which never need it."""
    if options.method not in UNRELIABLE_WHEN_SMALL:
        return None
    rows = [pd.DataFrame([h]) for h in headlines]
    rows += [t for t in tables_shown if t is not None and len(t)]
    count = 0
    for table in rows:
        if "promoter_share" not in table or "nps" not in table:
            continue
        usable = table["nps"].notna()
        size = table["effective_n"] if "effective_n" in table else table["n"]
        shares = table[["promoter_share", "passive_share", "detractor_share"]].max(axis=1)
        count += int((usable & ((shares >= 1.0) | (size < SMALL_SAMPLE_N))).sum())
    if not count:
        return None
    method = text("method_" + options.method.replace("-", "_"), options.lang)
    return text("note_small_sample_method", options.lang, method=method, count=count)


def _invalid(answers: Answers, frame: pd.DataFrame, columns: ReportColumns) -> pd.DataFrame:
    ids = None if columns.response_id is None else frame[columns.response_id]
    table = tables.invalid_of(answers, ids, frame.index)
    table.insert(0, "position", answers.parsed.invalid_positions.astype(np.int64))
    return table


def _benchmark_lines(headline: Headline, options: ReportOptions) -> tuple[BenchmarkLine, ...]:
    figures = benchmarks.industry_figures(options.industry)[:BENCHMARK_LINES]
    nps = headline.nps if headline.has_answers else None
    return tuple(
        BenchmarkLine(
            industry=f.industry,
            statistic=f.statistic,
            value=float(f.value),
            year=int(f.year),
            source=f.source,
            gap=None if nps is None else nps - f.value,
            verdict_key=None if nps is None else benchmarks.verdict_key(nps, f),
        )
        for f in figures
    )
