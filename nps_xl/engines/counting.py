"""From an engine's grouped raw values to :class:`~nps_xl.report.ReportCounts`.

The engine runs :func:`nps_xl.engines.sql.grouped_query`: answers per *raw* score text, and
per (raw score, raw date / segment value / comment). Python then reads each distinct raw value
once, with the rules of the pandas path (:mod:`nps_xl.engines.values`: ``nps_xl.io``'s column
types and score/date/text rules, :func:`nps_xl.scores.parse_scores`), and sums the raw groups
into the report's groups with :meth:`GroupedCounts.regroup`. Invalid answers, the follow-up list
and the first undated answers come from small filtered queries in file order. No step holds
more than the distinct values and the rows it lists.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Protocol

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from nps_xl import tables
from nps_xl.counts import (
    BLANK_ANSWER,
    DETRACTOR,
    INVALID_ANSWER,
    PASSIVE,
    PROMOTER,
    Answers,
    GroupedCounts,
)
from nps_xl.dates import distinct_dates
from nps_xl.engines import sql
from nps_xl.engines.rows import RowMap
from nps_xl.engines.source import Source
from nps_xl.engines.values import column_values, id_values, score_values, text_values
from nps_xl.io._common import SurveyFileError, rows_message
from nps_xl.report import ReportColumns, ReportCounts, ReportOptions

#: How many file rows the note on unreadable dates lists.
ROWS_SHOWN = 10


class Backend(Protocol):
    """What an engine offers the counting: SQL in, Arrow out, and small value tables."""

    source: Source

    def execute(self, statement: str) -> None: ...

    def keep(self, roles: sql.Roles) -> None:
        """Parse the file once: keep :func:`nps_xl.engines.sql.answers_select` of ``roles``
        as ``answers``."""

    def query(self, statement: str) -> pa.Table: ...

    def register(self, name: str, values: pa.Array) -> None: ...

    def rows(self) -> RowMap: ...


@dataclass(frozen=True)
class Counted:
    """What :func:`count_source` returns besides the counts."""

    columns: ReportColumns  # the roles in the tidy names (Score, Date, Comment, segments…)
    notes: tuple[str, ...]


def canonical_columns(columns: ReportColumns, questions: dict[str, str]) -> ReportColumns:
    """The roles as ``nps_xl.io.tidy`` names them (segments by their Qualtrics question)."""
    used = {"Response ID", "Date", "Score", "Comment"}
    names = []
    for s in columns.segments:
        name = questions.get(s, s)
        if name in used or name in ("Customer ID", "Weight"):
            name = s
        used.add(name)
        names.append(name)
    return ReportColumns(
        score="Score",
        date="Date" if columns.date else None,
        comment="Comment" if columns.comment else None,
        response_id="Response ID",
        segments=tuple(names),
        weight="Weight" if columns.weight else None,
    )


def _weight_exponent(table: pa.Table) -> int:
    """The power of two that brings the largest finite weight near 1 when it lies beyond
    :data:`nps_xl.counts.WEIGHT_RESCALE_EXPONENT` (else 0): the rule of
    :func:`nps_xl.counts.parse_weights`, so both engines give the figures pandas gives."""
    from nps_xl.counts import WEIGHT_RESCALE_EXPONENT

    top = table.column("w_max").to_numpy(zero_copy_only=False).astype(float)
    top = top[np.isfinite(top)]
    if not len(top) or top.max() <= 0:
        return 0
    exponent = int(np.frexp(top.max())[1])
    return -exponent if abs(exponent) > WEIGHT_RESCALE_EXPONENT else 0


def roles_of(source: Source, columns: ReportColumns) -> sql.Roles:
    col = source.column
    # an empty text is an empty cell too (Parquet keeps "" apart from NULL)
    markers = tuple((f"c{j}", (*source.markers[n], "")) for j, n in enumerate(source.names)
                    if source.markers.get(n))  # fmt: skip
    return sql.Roles(
        score=col(columns.score),
        date=col(columns.date) if columns.date else None,
        comment=col(columns.comment) if columns.comment else None,
        response_id=col(columns.response_id) if columns.response_id else None,
        segments=tuple(col(s) for s in columns.segments),
        weight=col(columns.weight) if columns.weight else None,
        weight_is_number=columns.weight in source.numeric,
        score_is_float=columns.score in source.floats,
        all_columns=tuple(f"c{j}" for j in range(len(source.names))),
        markers=markers,
    )


#: How each summed column of :func:`nps_xl.engines.sql.grouped_query` adds up across groups.
#: How each summed column of :func:`nps_xl.engines.sql.grouped_query` adds up across groups
#: (as SQL does: nulls are skipped, a group of nulls only is null).
_ROLL_UP = {"n": np.add, "first_row": np.minimum, "w": np.add, "w2": np.add,
            "w_max": np.fmax, "bad_w": np.add}  # fmt: skip
_START = {np.add: 0.0, np.minimum: np.inf, np.fmax: -np.inf}


def score_set(table: pa.Table, keys: list[str]) -> pa.Table:
    """``table`` (:func:`~nps_xl.engines.sql.grouped_query`) with the grouping set of the raw
    score alone added: the first key's groups summed over that key (every answer is in each
    key's set once, a missing key being a group of its own, so the sums are exact).

    Summed with numpy over the (few) grouped rows: pyarrow's ``group_by`` would import its
    Acero engine, 77 ms of every run's start."""
    if not keys:
        return table
    first = table.filter(pc.equal(table.column(f"g_{keys[0]}"), 0))
    score = first.column("score").combine_chunks()
    code = pc.index_in(score, value_set=pc.unique(score), skip_nulls=False)
    code = code.to_numpy(zero_copy_only=False).astype(np.int64) * 2
    code += first.column("_empty").to_numpy(zero_copy_only=False).astype(np.int64)
    _, at, group = np.unique(code, return_index=True, return_inverse=True)
    size = len(at)
    columns = {}
    for field in table.schema:
        name = field.name
        if name.startswith("g_"):
            columns[name] = pa.repeat(pa.scalar(1, field.type), size)
        elif name in ("_empty", "score"):
            columns[name] = first.column(name).take(pa.array(at))
        elif name in _ROLL_UP:
            column = first.column(name).combine_chunks()
            present = column.is_valid().to_numpy(zero_copy_only=False)
            values = pc.cast(column, pa.float64()).fill_null(0).to_numpy(zero_copy_only=False)
            how = _ROLL_UP[name]
            out = np.full(size, _START[how])
            how.at(out, group[present], values[present])
            seen = np.bincount(group[present], minlength=size) > 0
            columns[name] = pa.array(out, mask=~seen).cast(field.type)
        else:  # the keys: none in this set
            columns[name] = pa.nulls(size, field.type)
    return pa.concat_tables([table, pa.table(columns, schema=table.schema)])


class _Groups:
    """The rows of one grouping set, ordered by first appearance in the file."""

    def __init__(self, table: pa.Table, mask: np.ndarray, weighted: bool) -> None:
        first = table.column("first_row").to_numpy()
        idx = np.flatnonzero(mask)
        idx = idx[np.argsort(first[idx], kind="stable")]
        self.table = table.take(pa.array(idx, type=pa.int64()))
        self.n = self.table.column("n").to_numpy().astype(np.int64)
        self.first = first[idx]
        self.w = self.w2 = None
        if weighted:
            self.w = self.table.column("w").to_numpy(zero_copy_only=False).astype(float)
            self.w2 = self.table.column("w2").to_numpy(zero_copy_only=False).astype(float)

    def __len__(self) -> int:
        return len(self.n)

    def distinct(self, key: str) -> tuple[pa.Array, np.ndarray]:
        """The distinct raw values of ``key`` (first appearance first) and each row's code."""
        column = self.table.column(key).combine_chunks()
        uniques = pc.unique(column)
        codes = pc.index_in(column, value_set=uniques, skip_nulls=False)
        return uniques, codes.to_numpy(zero_copy_only=False).astype(np.intp)

    def first_rows(self, codes: np.ndarray, size: int) -> np.ndarray:
        out = np.full(size, np.iinfo(np.int64).max, dtype=np.int64)
        np.minimum.at(out, codes, self.first.astype(np.int64))
        return out


def _raw_counts(category: np.ndarray, g: _Groups) -> GroupedCounts:
    """One group per raw group: its answers in the category of its raw score."""
    valid = category <= PROMOTER
    amount = g.n if g.w is None else np.where(valid, np.nan_to_num(g.w), 0.0)

    def part(code: int) -> np.ndarray:
        return np.where(category == code, amount, 0 if g.w is None else 0.0)

    split = None
    if g.w2 is not None:  # each raw group's Σw² goes to the category of its raw score
        w2 = np.where(valid, np.nan_to_num(g.w2), 0.0)
        split = np.column_stack([np.where(category == k, w2, 0.0) for k in range(3)])
    return GroupedCounts(
        np.arange(len(g), dtype=object),
        np.where(valid, g.n, 0),
        part(DETRACTOR),
        part(PASSIVE),
        part(PROMOTER),
        np.where(category == BLANK_ANSWER, g.n, 0),
        np.where(category == INVALID_ANSWER, g.n, 0),
        None if g.w2 is None else np.where(valid, np.nan_to_num(g.w2), 0.0),
        split,
    )


def count_source(
    backend: Backend,
    columns: ReportColumns,
    options: ReportOptions,
    *,
    dayfirst: bool | None = None,
) -> tuple[ReportCounts, Counted]:
    """Count the file of ``backend`` (``columns`` name the export's own columns)."""
    source = backend.source
    roles = roles_of(source, columns)
    tidy_columns = canonical_columns(columns, source.questions)
    weighted = columns.weight is not None
    # the one parse: the columns the report uses, kept by the engine; every query below
    # reads them, none reads the file again
    backend.rows().count_lines_meanwhile()
    backend.keep(roles)
    table = backend.query(sql.grouped_query(roles))
    exponent = _weight_exponent(table) if weighted else 0
    if exponent:  # weights beyond 10^±120: summed again, rescaled as counts.parse_weights does
        # (kept again: the only case that parses the file twice)
        roles = replace(roles, weight_exponent=exponent)
        backend.keep(roles)
        table = backend.query(sql.grouped_query(roles))
    keys = roles.keys
    table = score_set(table, keys)
    flags = {k: table.column(f"g_{k}").to_numpy() for k in keys}
    empty = table.column("_empty").to_numpy(zero_copy_only=False).astype(bool)
    none_set = np.ones(table.num_rows, dtype=bool)
    for k in keys:
        none_set &= flags[k] == 1

    def groups(key: str | None) -> _Groups:
        mask = (none_set if key is None else flags[key] == 0) & ~empty
        return _Groups(table, mask, weighted)

    notes = list(source.notes)
    rows = backend.rows()
    # the kept table (a CSV file's) holds the cells' line breaks; other files are asked once
    rows.kept = _text_columns(roles, source) if getattr(backend, "kept", True) else []
    rows.empty = _empty_rows(backend, table, none_set & empty)
    rows.records = int(table.column("n").to_numpy()[none_set].sum())

    # ---- scores: each distinct raw score read once
    by_score = groups(None)
    score_raw, score_code = by_score.distinct("score")
    assert len(score_raw) == len(by_score)  # one row per raw score in the score set
    raws = score_raw.to_pylist()
    order = np.empty(len(raws), dtype=np.intp)
    order[score_code] = np.arange(len(raws))
    score_series, marker_note = score_values(source, columns.score, raws, by_score.n[order])
    if marker_note:
        notes.append(marker_note)
    answers = Answers.read(score_series, scale=options.scale)
    category = answers.category
    valid = category <= PROMOTER
    if weighted:
        _check_weights(backend, by_score, score_code, valid, score_raw, columns.weight, rows)
    raw_score = _raw_counts(category[score_code], by_score)
    overall = raw_score.regroup(np.zeros(len(by_score), dtype=np.intp), ["all"])
    scale = answers.parsed.scale
    size = scale.maximum - scale.minimum + 1
    point = np.where(valid, np.nan_to_num(answers.parsed.values) - scale.minimum, size)
    amount = by_score.n if by_score.w is None else np.nan_to_num(by_score.w)
    histogram = np.bincount(
        point[score_code].astype(np.intp),
        weights=amount.astype(float) if weighted else amount,
        minlength=size + 1,
    )[:size]
    distribution = tuple(float(x) if weighted else int(x) for x in histogram.tolist())
    total_rows = int(by_score.n.sum())

    def score_codes(g: _Groups) -> np.ndarray:
        column = g.table.column("score").combine_chunks()
        return (
            pc.index_in(column, value_set=score_raw, skip_nulls=False)
            .to_numpy(zero_copy_only=False)
            .astype(np.intp)
        )

    # ---- dates
    by_date = None
    undated, undated_rows = 0, ()
    date_parsed = date_raw = None
    date_code_of_raw = None
    if columns.date is not None:
        g = groups("date")
        date_raw, code = g.distinct("date")
        s_code = score_codes(g)
        series = column_values(source, columns.date, date_raw.to_pylist())
        from nps_xl.io.tidy import parse_dates

        date_notes: list[str] = []
        date_parsed = parse_dates(series, dayfirst, date_notes, columns.date)
        date_parsed = date_parsed.reset_index(drop=True)
        notes.extend(
            _date_notes(backend, g, code, series, date_parsed, date_notes, columns.date, rows)
        )
        date_code_of_raw, uniques = distinct_dates(date_parsed, columns.date)
        by_date = _raw_counts(category[s_code], g).regroup(date_code_of_raw[code], uniques)
        missing = valid[s_code] & (date_code_of_raw[code] < 0)
        undated = int(g.n[missing].sum())
        if undated:
            backend.register("wanted_score", score_raw.filter(pa.array(valid)))
            backend.register("undated_date", date_raw.filter(pa.array(date_code_of_raw < 0)))
            got = backend.query(
                sql.rows_query(
                    [],
                    [
                        sql.in_values("score", "wanted_score"),
                        sql.in_values("date", "undated_date", or_null=True),
                    ],
                    limit=5,
                )
            )
            # the rows a person sees, as the pandas path names them
            undated_rows = tuple(rows.file_rows(got.column("_row").to_numpy()).tolist())

    # ---- segments and comments: each distinct value read once, then the report's groups
    by_segment: dict[str, GroupedCounts] = {}
    segment_values: dict[str, tuple[pa.Array, pd.Series]] = {}
    for i, (name, tidy_name) in enumerate(
        zip(columns.segments, tidy_columns.segments, strict=True)
    ):
        g = groups(f"seg{i}")
        raw, code = g.distinct(f"seg{i}")
        series = text_values(column_values(source, name, raw.to_pylist()), name)
        codes, keys_ = tables.factorize(series, sort=True)
        by_segment[tidy_name] = _raw_counts(category[score_codes(g)], g).regroup(codes[code], keys_)
        segment_values[tidy_name] = (raw, series)
    by_comment = None
    comment_values = None
    if columns.comment is not None:
        g = groups("comment")
        raw, code = g.distinct("comment")
        series = text_values(column_values(source, columns.comment, raw.to_pylist()), "c")
        codes, keys_ = tables.factorize(series, sort=False)
        by_comment = _raw_counts(category[score_codes(g)], g).regroup(codes[code], keys_)
        comment_values = (raw, series)

    ids = _Ids(columns.response_id is not None, backend, rows)

    # ---- invalid answers and the follow-up list: one filtered scan, rows in file order
    is_invalid = category == INVALID_ANSWER
    wanted = category == DETRACTOR
    if options.include_passives:
        wanted |= category == PASSIVE
    has_follow_up = columns.comment is not None or columns.date is not None
    follow_total = int(by_score.n[wanted[score_code]].sum()) if has_follow_up else 0
    fetch = _fetch_columns(roles)
    conditions = []
    if is_invalid.any():
        backend.register("invalid_score", score_raw.filter(pa.array(is_invalid)))
        conditions.append(sql.in_values("score", "invalid_score"))
    fetched = None
    if has_follow_up:
        condition, fetched = _follow_up_rows(
            backend, options.follow_up_limit, wanted, score_raw, date_raw, date_parsed,
            groups("date") if columns.date else None, score_codes, fetch, follow_total,
        )  # fmt: skip
        if condition is not None:
            conditions.append(condition)
    got = None
    if conditions:
        got = backend.query(sql.rows_query(fetch, ["(" + " OR ".join(conditions) + ")"]))
    invalid = _invalid(answers, score_raw, got, ids, rows)
    if source.kind == "xlsx":
        invalid["value"] = [_spreadsheet_value(v) for v in invalid["value"].tolist()]
    follow_up = None
    if has_follow_up:
        if fetched is None:  # the follow-up rows came with the invalid ones
            at = pc.index_in(got.column("score").combine_chunks(), value_set=score_raw,
                             skip_nulls=False).to_numpy(zero_copy_only=False)  # fmt: skip
            fetched = got.filter(pa.array(wanted[at.astype(np.intp)]))
        follow_up = _follow_up_frame(
            fetched, options, tidy_columns, score_raw, score_series, date_raw, date_parsed,
            comment_values, segment_values, ids,
        )  # fmt: skip

    counted = ReportCounts(
        rows=total_rows,
        overall=overall,
        distribution=distribution,
        by_date=by_date,
        undated=undated,
        undated_rows=undated_rows,
        by_segment=by_segment,
        by_comment=by_comment,
        follow_up=follow_up,
        follow_up_total=follow_total,
        invalid=invalid,
        unit="line" if source.kind == "csv" else "row",
    )
    return counted, Counted(tidy_columns, tuple(notes))


# ----------------------------------------------------------------------------- helpers


def _text_columns(roles: sql.Roles, source: Source) -> list[str]:
    """The text columns of ``answers`` (where a CSV cell's line breaks can be)."""
    if source.kind != "csv":
        return []
    out = ["score", *roles.keys]
    if roles.response_id:
        out.append("rid")
    if roles.weight:
        out.append("weight_raw")
    return out


def _empty_rows(backend: Backend, table: pa.Table, mask: np.ndarray) -> np.ndarray:
    """File positions of the rows whose every cell is empty (few; queried only if any)."""
    if not mask.any():
        return np.zeros(0, dtype=np.int64)
    got = backend.query(sql.empty_rows_query())
    return got.column("_row").to_numpy().astype(np.int64)


class _Ids:
    """Response IDs as ``nps_xl.io.tidy`` gives them: the export's, else ``R00001…``."""

    def __init__(self, present: bool, backend: Backend, rows: RowMap) -> None:
        self.present, self.backend, self.rows = present, backend, rows
        self._numeric: bool | None = None

    @property
    def numeric(self) -> bool:
        """Whether every id is a number (asked once, only when ids are listed)."""
        if self._numeric is None:
            self._numeric = self.backend.query(sql.text_id_query()).num_rows == 0
        return self._numeric

    @property
    def column(self) -> list[str]:
        return ["rid"] if self.present else []

    def of(self, got: pa.Table) -> np.ndarray:
        if self.present:
            return id_values(got.column("rid").to_pylist(), self.numeric).to_numpy(dtype=object)
        positions = self.rows.positions(got.column("_row").to_numpy())
        return np.array([f"R{i + 1:05d}" for i in positions.tolist()], dtype=object)


def _check_weights(
    backend: Backend,
    g: _Groups,
    score_code: np.ndarray,
    valid: np.ndarray,
    score_raw: pa.Array,
    weight: str,
    rows: RowMap,
) -> None:
    """Every answer with a score needs a weight ≥ 0 (as :func:`nps_xl.counts.parse_weights`)."""
    bad = g.table.column("bad_w").to_numpy(zero_copy_only=False)
    bad = np.where(valid[score_code], bad, 0)
    total = int(bad.sum())
    if not total:
        return
    backend.register("wanted_score", score_raw.filter(pa.array(valid)))
    got = backend.query(
        sql.rows_query(
            ["weight_raw"],
            [
                sql.in_values("score", "wanted_score"),
                "(_w IS NULL OR isnan(_w) OR _w < 0 OR abs(_w) = CAST('Infinity' AS DOUBLE))",
            ],
            limit=1,
        )
    )
    row = int(rows.file_rows(got.column("_row").to_numpy())[0])
    raw = got.column("weight_raw").to_pylist()[0]
    blank = raw is None or not str(raw).strip()
    unit = "line" if rows.source.kind == "csv" else "row"
    raise SurveyFileError.from_key(
        "error_weight_missing" if blank else "error_weight_invalid",
        column=weight,
        value="" if blank else str(raw).strip()[:60],
        count=total,
        rows=rows_message(pd.Index([row], name=unit)),
    )


def _date_notes(
    backend: Backend,
    g: _Groups,
    code: np.ndarray,
    series: pd.Series,
    parsed: pd.Series,
    found: list[str],
    name: str,
    rows: RowMap,
) -> list[str]:
    """The date notes of ``nps_xl.io.tidy``: kept as they are, except the one on unreadable
    dates, whose count and rows are those of the file (the distinct values know neither)."""
    unreadable = parsed.isna().to_numpy()
    blank = series.map(lambda v: isinstance(v, str) and not v.strip()).to_numpy(dtype=bool)
    bad = unreadable & ~blank & series.notna().to_numpy()
    kept = [n for n in found if "not readable as a date" not in n]
    if not bad.any():
        return kept
    count = int(g.n[bad[code]].sum())
    backend.register("bad_date", g.distinct("date")[0].filter(pa.array(bad)))
    got = backend.query(sql.rows_query([], [sql.in_values("date", "bad_date")], limit=ROWS_SHOWN))
    shown = [str(int(r)) for r in rows.file_rows(got.column("_row").to_numpy()).tolist()]
    first = series[bad].iloc[0]
    more = count - len(shown)
    unit = "line" if rows.source.kind == "csv" else "row"  # as nps_xl.io.tidy names them
    listed = f"{unit if count == 1 else unit + 's'} {', '.join(shown)}" + (
        f" and {more} more" if more > 0 else ""
    )
    kept.append(
        f"{name}: {count} value{'s' if count > 1 else ''} not readable as a "
        f"date (first {first!r}; {listed}); those answers count in the totals but "
        "not in the trend."
    )
    return kept


def _fetch_columns(roles: sql.Roles) -> list[str]:
    """The columns a listed answer shows: score, id, date, segments, comment."""
    columns = ["score"]
    if roles.response_id:
        columns.append("rid")
    if roles.date:
        columns.append("date")
    columns += [f"seg{i}" for i in range(len(roles.segments))]
    if roles.comment:
        columns.append("comment")
    return columns


#: How calamine writes a number cell as text: digits, an optional fraction, never an exponent.
_NUMBER_CELL = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _spreadsheet_value(value: object) -> object:
    """An invalid answer of a spreadsheet as the pandas path lists it: a number cell (11, 7.5)
    as the number, text ("N/A") as the text. The engine path reads every cell as text
    (fastexcel ``dtypes="string"``, so that "N/A" stays "N/A"), and writes a number cell as
    plain digits; a text cell holding only digits reads back as the same number."""
    if isinstance(value, str) and _NUMBER_CELL.fullmatch(value):
        return float(value)
    return value


def _invalid(
    answers: Answers,
    score_raw: pa.Array,
    got: pa.Table | None,
    ids: _Ids,
    rows: RowMap,
) -> pd.DataFrame:
    """The invalid answers among the fetched rows: position, file row, id, value."""
    parsed = answers.parsed
    if not parsed.invalid or got is None:
        return pd.DataFrame(
            {
                "position": np.zeros(0, dtype=np.int64),
                "row": np.zeros(0, dtype=np.int64),
                "response_id": np.zeros(0, dtype=object),
                "value": np.zeros(0, dtype=object),
            }
        )
    at = pc.index_in(got.column("score").combine_chunks(), value_set=score_raw, skip_nulls=False)
    at = at.to_numpy(zero_copy_only=False).astype(np.intp)
    mine = answers.category[at] == INVALID_ANSWER
    got, at = got.filter(pa.array(mine)), at[mine]
    value_of = dict(zip(parsed.invalid_positions.tolist(), parsed.invalid_values, strict=True))
    order = got.column("_row").to_numpy()
    values = np.empty(len(at), dtype=object)
    values[:] = [value_of[i] for i in at.tolist()]
    return pd.DataFrame(
        {
            "position": rows.positions(order).astype(np.int64),
            "row": rows.file_rows(order).astype(np.int64),
            "response_id": ids.of(got),
            "value": values,
        }
    )


def _follow_up_rows(
    backend: Backend,
    limit: int | None,
    wanted: np.ndarray,
    score_raw: pa.Array,
    date_raw: pa.Array | None,
    date_parsed: pd.Series | None,
    by_date: _Groups | None,
    score_codes,
    columns: list[str],
    total: int,
) -> tuple[str | None, pa.Table | None]:
    """The answers to follow up that can be on the list: at most the limit plus the answers
    sharing the oldest date listed. Returns a condition for the shared scan, or (when the list
    needs an ``ORDER BY … LIMIT`` of its own) the rows themselves."""
    backend.register("wanted_score", score_raw.filter(pa.array(wanted)))
    want = sql.in_values("score", "wanted_score")
    if by_date is None:  # no dates: the list is in file order, the first ``limit``
        if limit is None:
            return want, None
        return None, backend.query(sql.rows_query(columns, [want], limit=limit))
    if limit is None or total <= limit:
        return want, None
    # dates newest first: take whole dates until the limit is reached
    code = by_date.distinct("date")[1]
    picked = wanted[score_codes(by_date)]
    stamp = date_parsed.to_numpy(dtype="datetime64[ns]")
    per_raw = np.bincount(code[picked], weights=by_date.n[picked], minlength=len(date_raw))
    dated = ~np.isnat(stamp)
    order = np.flatnonzero(dated)[np.argsort(-stamp[dated].astype(np.int64), kind="stable")]
    cumulative = np.cumsum(per_raw[order])
    if len(order) and cumulative[-1] >= limit:
        cutoff = stamp[order[int(np.searchsorted(cumulative, limit))]]
        backend.register("wanted_date", date_raw.filter(pa.array(dated & (stamp >= cutoff))))
        return f"({want} AND {sql.in_values('date', 'wanted_date')})", None
    # too few dated answers: all of them, then the first undated ones in file order
    backend.register("wanted_date", date_raw.filter(pa.array(dated)))
    first = backend.query(sql.rows_query(columns, [want, sql.in_values("date", "wanted_date")]))
    backend.register("undated_date", date_raw.filter(pa.array(~dated)))
    rest = backend.query(
        sql.rows_query(
            columns,
            [want, sql.in_values("date", "undated_date", or_null=True)],
            limit=limit - first.num_rows,
        )
    )
    both = pa.concat_tables([first, rest.cast(first.schema)])
    return None, both.take(pc.sort_indices(both, sort_keys=[("_row", "ascending")]))


def _take(raw: pa.Array, series: pd.Series, column: pa.ChunkedArray) -> pd.Series:
    """The typed values (``series``, one per distinct raw value) of the fetched raw values."""
    at = pc.index_in(column.combine_chunks(), value_set=raw, skip_nulls=False)
    return series.take(at.to_numpy(zero_copy_only=False).astype(np.intp)).reset_index(drop=True)


def _follow_up_frame(
    got: pa.Table,
    options: ReportOptions,
    columns: ReportColumns,
    score_raw: pa.Array,
    score_series: pd.Series,
    date_raw: pa.Array | None,
    date_parsed: pd.Series | None,
    comment_values: tuple[pa.Array, pd.Series] | None,
    segment_values: dict[str, tuple[pa.Array, pd.Series]],
    ids: _Ids,
) -> pd.DataFrame:
    """The rows fetched, as a small tidy frame, through :func:`nps_xl.tables.follow_up_of`
    (the function the pandas path uses): same order, limit and column types."""
    mini: dict[str, object] = {"Response ID": pd.Series(ids.of(got), dtype=object)}
    dates = None
    if date_raw is not None:
        dates = _take(date_raw, date_parsed, got.column("date")).to_numpy(dtype="datetime64[ns]")
        mini["Date"] = dates
    mini["Score"] = _take(score_raw, score_series, got.column("score"))
    if comment_values is not None:
        mini["Comment"] = _take(*comment_values, got.column("comment"))
    for i, name in enumerate(columns.segments):
        mini[name] = _take(*segment_values[name], got.column(f"seg{i}"))
    frame = pd.DataFrame(mini)
    answers = Answers.read(frame["Score"], scale=options.scale)
    return tables.follow_up_of(
        answers,
        frame,
        date=columns.date,
        comment=columns.comment,
        response_id="Response ID",
        segments=columns.segments,
        include_passives=options.include_passives,
        limit=options.follow_up_limit,
        dates=dates,
    ).drop(columns=["status"])
