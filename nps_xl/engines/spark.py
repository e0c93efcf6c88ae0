"""Spark: the same SQL as DuckDB (:mod:`nps_xl.engines.sql`) on a SparkSession, for files that
outgrew one machine (``pip install 'nps-xl[spark]'``; Spark needs Java 17).

``master`` is ``local[*]`` by default, or a cluster's URL (``spark://host:7077``, ``yarn``…);
the file must then be where every executor can read it. One SparkSession is started per Python
process and kept (:func:`session`): the JVM's start-up is Spark's fixed cost (README, *Engines*).

Rows: CSV files are read with ``multiLine`` (a quoted comment may hold line breaks), so one
file is one partition and ``monotonically_increasing_id()`` numbers its records 0, 1, 2… in
file order; Parquet rows carry their ``_metadata.row_index``.

One parse, as on DuckDB: :meth:`SparkBackend.keep` caches the columns the report uses
(``CACHE TABLE answers AS SELECT …``, eager: the file is read once, into executor memory and
spilled to their disks beyond it), and every later query of the counting reads the cache.
"""

from __future__ import annotations

import os
import warnings

import pyarrow as pa

from nps_xl.engines.rows import RowMap
from nps_xl.engines.source import Source

_SESSIONS: dict[str, object] = {}
# PySpark warns on each Arrow exchange that it does not yet support pandas 3; the counting
# hands it Arrow tables only, so the warning says nothing about this use
warnings.filterwarnings(
    "ignore", message="PySpark does not yet fully support pandas", category=FutureWarning
)


def session(master: str | None = None):
    """The process's SparkSession for ``master`` (started once, then reused)."""
    master = master or os.environ.get("NPS_XL_SPARK_MASTER") or "local[*]"
    spark = _SESSIONS.get(master)
    if spark is not None and _running(spark):
        return spark
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master(master)
        .appName("nps-xl")
        .config("spark.ui.enabled", "false")
        # a count's groups are few: a handful of shuffle partitions (not 200) on one machine
        .config("spark.sql.shuffle.partitions", "2" if master.startswith("local") else "64")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.driver.memory", "1g")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    _SESSIONS[master] = spark
    return spark


def _running(spark) -> bool:
    """Whether ``spark`` still runs: a stopped session has no Java context left (``_jsc`` is
    None), so a second count in the same process starts a new one instead of failing."""
    context = spark.sparkContext._jsc
    return context is not None and not context.sc().isStopped()


class SparkBackend:
    """:class:`~nps_xl.engines.counting.Backend` on Spark SQL."""

    name = "spark"

    def __init__(self, source: Source, *, master: str | None = None) -> None:
        from pyspark.sql import functions as F
        from pyspark.sql.types import StringType, StructField, StructType

        self.source = source
        self.spark = spark = session(master)
        names = [f"c{j}" for j in range(len(source.names))]
        path = os.fspath(source.data)
        if source.kind == "csv":
            schema = StructType([StructField(n, StringType()) for n in names])
            frame = spark.read.csv(
                path,
                schema=schema,
                sep=source.delimiter,
                quote='"',
                escape='"',
                header=False,
                multiLine=True,
                encoding="UTF-8",
                mode="PERMISSIVE",
            )
            skip = source.header_records
            frame = frame.select(
                (F.monotonically_increasing_id() - skip + 1).alias("_row"),
                # a quoted empty cell is an empty cell (Spark reads it as "")
                *[F.expr(f"nullif({n}, '')").alias(n) for n in names],
            ).where(F.col("_row") >= 1)
        elif source.kind == "parquet":
            frame = spark.read.parquet(path)
            original = frame.columns
            frame = frame.select(
                (F.col("_metadata.row_index") + 1).alias("_row"),
                *[F.col(f"`{o}`").alias(n) for o, n in zip(original, names, strict=True)],
            )
        else:
            frame = spark.createDataFrame(source.table)
        frame.createOrReplaceTempView("raw")
        self._rows = RowMap(source, self.query)

    def execute(self, statement: str) -> None:
        self.spark.sql(statement)

    def keep(self, roles) -> None:
        """The one parse: the report's columns cached as ``answers`` (read now, eagerly, and
        kept for every later query)."""
        from nps_xl.engines import sql

        self.spark.sql("UNCACHE TABLE IF EXISTS answers")
        self.spark.sql(f"CACHE TABLE answers AS {sql.answers_select(roles)}")

    def query(self, statement: str) -> pa.Table:
        return self.spark.sql(statement).toArrow()

    def register(self, name: str, values: pa.Array) -> None:
        table = pa.table({"v": values})
        self.spark.createDataFrame(table).createOrReplaceTempView(name)

    def rows(self) -> RowMap:
        return self._rows

    def close(self) -> None:
        self._rows.close()
        self.spark.sql("UNCACHE TABLE IF EXISTS answers")
        for name in ("raw", "answers"):
            self.spark.catalog.dropTempView(name)
