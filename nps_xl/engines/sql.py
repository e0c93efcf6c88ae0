"""The SQL every engine runs: one GROUPING SETS scan of the raw values, then small filtered
queries. The same text runs on DuckDB and Spark SQL (and on warehouses that have GROUPING SETS,
``grouping()``, ``TRY_CAST`` and ``isnan``).

Each engine first defines a view ``raw`` of the file: ``_row`` (the answer's 1-based position
among the file's records, or an order-preserving id) and one text column ``c0``, ``c1``… per
export column (typed columns for Parquet). :func:`answers_view` names the columns by role:

* ``score``, ``date``, ``comment``, ``seg0``…: the raw values, never interpreted here;
* ``rid``: the response id, missing-value markers as NULL;
* ``_w``: the weight as a number (decimal commas read as points, as ``nps_xl.io`` does);
* ``_empty``: every cell of the row is empty (``nps_xl.io`` drops such rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Roles:
    """The export column (engine name ``c{j}``) of each role, and the SQL facts about them."""

    score: str
    date: str | None = None
    comment: str | None = None
    response_id: str | None = None
    segments: tuple[str, ...] = ()
    weight: str | None = None
    weight_is_number: bool = False  # Parquet: a numeric weight column needs no text rules
    score_is_float: bool = False  # Parquet: a floating-point score column (made canonical)
    weight_exponent: int = 0  # weights are multiplied by 2**weight_exponent (exact)
    all_columns: tuple[str, ...] = ()
    text_columns: tuple[str, ...] = ()  # columns that may hold missing-value markers
    markers: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (column, its marker texts)

    @property
    def keys(self) -> list[str]:
        """The grouping keys besides the score, in a fixed order."""
        out = ["date"] if self.date else []
        out += [f"seg{i}" for i in range(len(self.segments))]
        return out + (["comment"] if self.comment else [])


def _quote(text: str) -> str:
    # the only literals are marker texts chosen by nps_xl.io: letters, ".", "<", ">", "/", "#"
    return "'" + text.replace("'", "''") + "'"


def _missing(column: str, markers: dict[str, tuple[str, ...]]) -> str:
    found = markers.get(column)
    if not found:
        return f"{column} IS NULL"
    return f"({column} IS NULL OR {column} IN ({', '.join(map(_quote, found))}))"


def answers_view(roles: Roles) -> str:
    """``CREATE … VIEW answers`` over ``raw``: the role columns, the weight, ``_empty``."""
    return "CREATE OR REPLACE TEMPORARY VIEW answers AS " + answers_select(roles)


def answers_select(roles: Roles, source: str = "raw", *, numbered: bool = True) -> str:
    """The ``SELECT`` over ``source`` (``raw``) that defines ``answers``: the columns the
    report uses, and nothing else. An engine keeps its result (a DuckDB temporary table, a
    cached Spark table): the file is parsed once, and every later query reads the kept columns.
    ``numbered=False`` leaves ``_row`` out, for an engine that numbers the kept rows itself."""
    markers = dict(roles.markers)
    cols = ["_row"] if numbered else []
    # a row is empty when every cell is; asked only where the score is empty (cheap)
    every = " AND ".join(_missing(c, markers) for c in roles.all_columns)
    score_missing = _missing(roles.score, markers)
    cols.append(f"CASE WHEN {score_missing} THEN ({every}) ELSE false END AS _empty")
    if roles.score_is_float:
        # one raw value per number: -0.0 as 0.0 and every NaN as one NaN, so that every
        # grouping (the engine's, and pyarrow's in counting.score_set) sees the same groups
        cols.append(f"CASE WHEN isnan({roles.score}) THEN CAST('NaN' AS DOUBLE) "
                    f"ELSE {roles.score} + 0.0 END AS score")  # fmt: skip
    else:
        cols.append(f"{roles.score} AS score")
    if roles.date:
        cols.append(f"{roles.date} AS date")
    for i, s in enumerate(roles.segments):
        cols.append(f"{s} AS seg{i}")
    if roles.comment:
        cols.append(f"{roles.comment} AS comment")
    if roles.response_id:
        rid = roles.response_id
        cols.append(f"CASE WHEN {_missing(rid, markers)} THEN NULL ELSE {rid} END AS rid")
    if roles.weight:
        w = roles.weight
        if roles.weight_is_number:
            cols.append(f"CAST({w} AS DOUBLE) AS _w")
        else:
            cols.append(
                f"CASE WHEN {_missing(w, markers)} THEN NULL ELSE "
                f"TRY_CAST(replace(trim(CAST({w} AS STRING)), ',', '.') AS DOUBLE) END AS _w"
            )
        cols.append(f"{w} AS weight_raw")  # named in a message; read only when asked
        if roles.weight_exponent:
            cols[-2] = cols[-2].removesuffix(" AS _w") + _power_of_two(roles.weight_exponent)
            cols[-2] += " AS _w"
    return "SELECT " + ", ".join(cols) + f" FROM {source}"


def _power_of_two(exponent: int) -> str:
    """`` * 2^a * 2^b…`` as exact double literals (each factor within the double range), the
    rescaling of :func:`nps_xl.counts.parse_weights` in SQL."""
    factors, left = [], exponent
    while left:
        step = max(-1000, min(1000, left))
        factors.append(f" * {2.0**step!r}")
        left -= step
    return "".join(factors)


def grouped_query(roles: Roles) -> str:
    """One scan: answers per (raw score, raw key) for every key, or per raw score when
    there is no key.

    ``count(*)``, Σw, Σw², the first row, and weights that are no number ≥ 0.
    ``grouping(k)`` is 0 in the rows of key ``k``'s set. The answers per raw score alone are
    the sums of any key's set (:func:`nps_xl.engines.counting.score_set`): a set of their own
    would cost the engine one more hash aggregation of every row (0.2 s per 10M answers).
    """
    keys = roles.keys
    sets = [f"(_empty, score, {k})" for k in keys] or ["(_empty, score)"]
    select = [f"grouping({k}) AS g_{k}" for k in keys]
    select += ["_empty", "score", *keys, "count(*) AS n", "min(_row) AS first_row"]
    if roles.weight:
        select += [
            "sum(_w) AS w",
            "sum(_w * _w) AS w2",
            "max(CASE WHEN isnan(_w) OR abs(_w) = CAST('Infinity' AS DOUBLE) THEN NULL "
            "ELSE _w END) AS w_max",
            "sum(CASE WHEN _w IS NULL OR isnan(_w) OR _w < 0 "
            "OR abs(_w) = CAST('Infinity' AS DOUBLE) THEN 1 ELSE 0 END) AS bad_w",
        ]
    return f"SELECT {', '.join(select)} FROM answers GROUP BY GROUPING SETS ({', '.join(sets)})"


def rows_query(
    columns: Sequence[str],
    where: Sequence[str],
    *,
    limit: int | None = None,
) -> str:
    """Rows of ``answers`` in file order: ``SELECT _row, <columns> WHERE <all of where>``.

    Conditions name small tables of raw values registered by the engine, such as
    ``score IN (SELECT v FROM wanted_score)``; no value is written into the SQL text.
    """
    text = f"SELECT {', '.join(['_row', *columns])} FROM answers WHERE NOT _empty"
    for condition in where:
        text += f" AND {condition}"
    text += " ORDER BY _row"
    if limit is not None:
        text += f" LIMIT {int(limit)}"
    return text


def in_values(column: str, table: str, *, or_null: bool = False) -> str:
    """``column IN (SELECT v FROM table)``, optionally ``OR column IS NULL``."""
    condition = f"{column} IN (SELECT v FROM {table})"
    return f"({condition} OR {column} IS NULL)" if or_null else condition


def newline_query(columns: Sequence[str], table: str = "raw") -> str:
    """Records whose cells hold line breaks, and how many (they push later file rows down)."""
    count = " + ".join(
        f"coalesce(length({c}) - length(replace({c}, chr(10), '')), 0)" for c in columns
    )
    return (
        f"SELECT _row, nl FROM (SELECT _row, {count} AS nl FROM {table}) WHERE nl > 0 ORDER BY _row"
    )


def text_id_query() -> str:
    """A response id that is no number, if any (then ``nps_xl.io`` reads the ids as text);
    stops at the first one, so it is a full scan only when every id is a number."""
    return (
        "SELECT _row FROM answers WHERE rid IS NOT NULL AND TRY_CAST(rid AS DOUBLE) IS NULL LIMIT 1"
    )


def empty_rows_query() -> str:
    """Rows whose every cell is empty (``nps_xl.io`` drops them; later positions shift)."""
    return "SELECT _row FROM answers WHERE _empty ORDER BY _row"
