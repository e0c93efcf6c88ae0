"""DuckDB, the embedded engine for big files (chosen by measurement: see the README's
*Engines* section and ``benchmarks/bench_engines.py``).

The file is read by DuckDB's own readers, every CSV cell as text (``all_varchar``: nothing is
guessed, "N/A" stays "N/A"); spreadsheets through fastexcel (calamine → Arrow, every cell as
text, read once by :func:`nps_xl.engines.source.describe`). ``_row`` numbers the records in
file order: ``row_number() OVER ()`` over the CSV scan (DuckDB keeps the scan's order for a
window without ``ORDER BY``, and streams it), the reader's ``file_row_number`` for Parquet.
The file is parsed once: :meth:`DuckDBBackend.keep` stores the columns the report uses as a
temporary table, and every query of the counting reads that table. DuckDB keeps its memory
under ``memory_limit`` (the memory budget less what Python holds besides) and spills the
table's blocks and its hash tables to a temporary folder beyond it.
"""

from __future__ import annotations

import os
import tempfile

import pyarrow as pa

from nps_xl.engines import memory_bytes
from nps_xl.engines.rows import RowMap
from nps_xl.engines.source import Source

#: What the process holds besides DuckDB's buffers (the interpreter, pandas, pyarrow, the
#: distinct values read in Python): the budget less this is DuckDB's ``memory_limit``.
PYTHON_SHARE = 400 * 1024**2
#: DuckDB's smallest memory limit, whatever the budget.
LEAST_LIMIT = 128 * 1024**2
#: Longest CSV record DuckDB accepts (a 10 MB comment is legal in an export). DuckDB reads
#: CSV in buffers of twice this size per thread, inside the memory limit.
MAX_LINE_SIZE = 16 * 1024 * 1024
#: Value lists up to this length are written into the SQL as literals.
LITERALS = 1000


def _text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


class DuckDBBackend:
    """:class:`~nps_xl.engines.counting.Backend` on an in-process DuckDB connection."""

    name = "duckdb"

    def __init__(
        self, source: Source, *, threads: int | None = None, memory: int | None = None
    ) -> None:
        import duckdb

        self.source = source
        self.spill = tempfile.TemporaryDirectory(prefix="nps-xl-duckdb-")
        self.con = duckdb.connect()
        self.con.execute("SET enable_progress_bar = false")
        self.limit = max(LEAST_LIMIT, (memory or memory_bytes(None)) - PYTHON_SHARE)
        self.con.execute(f"SET memory_limit = '{self.limit // 1024**2}MiB'")
        self.kept = False
        self.con.execute(f"SET temp_directory = {_text(self.spill.name)}")
        self.con.execute("SET preserve_insertion_order = true")
        if threads:
            self.con.execute(f"SET threads = {int(threads)}")
        self._keep: dict[str, pa.Table] = {}
        self._literals: dict[str, str] = {}
        self._rows = RowMap(source, self.query)
        self._padding = ""
        self._views()

    def _views(self) -> None:
        """``raw`` (numbered records) and, for CSV, ``scan`` (the same, not numbered)."""
        self.con.execute(f"CREATE OR REPLACE TEMPORARY VIEW raw AS {self._raw()}")
        if self.source.kind == "csv":
            self.con.execute(
                f"CREATE OR REPLACE TEMPORARY VIEW scan AS SELECT * FROM {self._scan()}"
            )

    def _pad_short_rows(self) -> None:
        """Read again with missing trailing cells as empty (pandas does so; DuckDB's parallel
        reader cannot combine it with line breaks in quoted cells, so it reads on one thread)."""
        self._padding = "null_padding = true, parallel = false, "
        self._views()

    def _raw(self) -> str:
        s = self.source
        names = [f"c{j}" for j in range(len(s.names))]
        path = _text(os.fspath(s.data))
        if s.kind == "csv":
            return f"SELECT row_number() OVER () AS _row, * FROM {self._scan()}"
        if s.kind == "parquet":
            import pyarrow.parquet as pq

            original = pq.read_schema(s.data).names
            cols = ", ".join(f'"{o.replace(chr(34), chr(34) * 2)}" AS {n}'
                             for o, n in zip(original, names, strict=True))  # fmt: skip
            return (
                f"SELECT file_row_number + 1 AS _row, {cols} "
                f"FROM read_parquet({path}, file_row_number = true)"
            )
        # spreadsheets: fastexcel's Arrow table, registered with DuckDB
        self.con.register("sheet_arrow", s.table)
        return "SELECT * FROM sheet_arrow"

    def _scan(self) -> str:
        """DuckDB's CSV reader over the file: every cell as text, nothing guessed."""
        s = self.source
        names = [f"c{j}" for j in range(len(s.names))]
        types = "{" + ", ".join(f"'{n}': 'VARCHAR'" for n in names) + "}"
        return (
            f"read_csv({_text(os.fspath(s.data))}, columns = {types}, header = false, "
            f"skip = {s.header_lines}, delim = {_text(s.delimiter)}, quote = '\"', "
            f"escape = '\"', auto_detect = false, {self._padding}"
            f"max_line_size = {MAX_LINE_SIZE}, buffer_size = {2 * MAX_LINE_SIZE}, "
            "encoding = 'utf-8')"
        )

    def execute(self, statement: str) -> None:
        self.con.execute(statement)

    def keep(self, roles) -> None:
        """The one parse: the report's columns of the file kept as the table ``answers``.

        CSV records are numbered by the table itself: with ``preserve_insertion_order`` the
        rows of a table made from one scan keep the file's order, so ``rowid + 1`` is the
        record's position (a ``row_number() OVER ()`` in the scan would serialise it)."""
        import duckdb

        from nps_xl.engines import sql

        if self.source.kind != "csv":
            # Parquet is columnar (a second read of a column is cheap) and a sheet is in
            # memory already: the view reads them where they are
            self.kept = False
            statements = [
                f"CREATE OR REPLACE TEMPORARY VIEW answers AS {sql.answers_select(roles)}"
            ]
        else:
            # a CSV file is parsed once, whatever its size: beyond the memory limit DuckDB
            # writes the table's blocks to the spill folder (measured on 10M answers: one
            # parse and a spilled table beat two parses, README *Engines*)
            self.kept = True
            statements = [
                "CREATE OR REPLACE TEMPORARY TABLE kept AS "
                + sql.answers_select(roles, "scan", numbered=False),
                "CREATE OR REPLACE TEMPORARY VIEW answers AS SELECT rowid + 1 AS _row, * FROM kept",
            ]
        try:
            for statement in statements:
                self.con.execute(statement)
        except duckdb.Error as exc:
            if self.source.kind != "csv" or self._padding or "columns" not in str(exc):
                raise
            self._pad_short_rows()
            for statement in statements:
                self.con.execute(statement)

    def query(self, statement: str) -> pa.Table:
        import duckdb

        for name, listed in self._literals.items():
            # a short list of texts as literals: DuckDB filters it in the scan, faster than
            # a join with the registered table (0.5 s less per 10M rows)
            statement = statement.replace(f"IN (SELECT v FROM {name})", f"IN ({listed})")
        try:
            return _arrow(self.con.sql(statement))
        except duckdb.Error as exc:
            if self.source.kind != "csv" or self._padding or "columns" not in str(exc):
                raise
            self._pad_short_rows()
            return _arrow(self.con.sql(statement))

    def register(self, name: str, values: pa.Array) -> None:
        table = pa.table({"v": values})
        self._keep[name] = table
        self.con.register(name, table)
        self._literals.pop(name, None)
        texts = values.to_pylist() if len(values) <= LITERALS else None
        if texts and all(isinstance(t, str) for t in texts):
            self._literals[name] = ", ".join(_text(t) for t in texts)

    def rows(self) -> RowMap:
        return self._rows

    def close(self) -> None:
        self._rows.close()
        self.con.close()
        self.spill.cleanup()


def _arrow(relation) -> pa.Table:
    # DuckDB ≥ 1.4 names it to_arrow_table; earlier releases fetch_arrow_table
    method = getattr(relation, "to_arrow_table", None) or relation.fetch_arrow_table
    return method()
