"""The columns of a big export, found on its first answers.

An engine counts the whole file, but which column holds the score, the date, the comment and
the segments is decided by :func:`nps_xl.io.load_survey` — the same rules as for a small file —
on a sample: the file's header and its first :data:`SAMPLE_ANSWERS` answers, written to a
temporary file of the same kind (CSV records copied as they are, the first Parquet rows, an XLSX
sheet's first rows as text). The segments found there are judged again on the whole column,
from the engine's counts (:func:`segments_of_the_whole_file`): a column whose first answers
repeat a few values but whose whole file does not is no segment.
"""

from __future__ import annotations

import csv
import os
import tempfile
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from nps_xl.engines.source import describe
from nps_xl.i18n import text
from nps_xl.io import Survey, load_survey
from nps_xl.io.detect import MAX_SEGMENT_VALUES
from nps_xl.numbers import format_count

#: Answers the columns are detected on.
SAMPLE_ANSWERS = 20_000


def sample_survey(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    answers: int = SAMPLE_ANSWERS,
    score: str | None = None,
    date: str | None = None,
    comment: str | None = None,
    segments: Sequence[str] | None = None,
    response_id: str | None = None,
    weight: str | None = None,
    dayfirst: bool | None = None,
    scale: object = None,
    lang: str = "en",
    drivers: Sequence[str] | str | None = None,
    source=None,
) -> Survey:
    """:func:`nps_xl.io.load_survey` of the first ``answers`` answers of ``path``: its
    ``columns`` name the export's own columns, for :func:`nps_xl.engines.count_file`.
    ``source``: the file as :func:`~nps_xl.engines.source.describe` read it already (the
    caller closes it); else it is described here."""
    given = source is not None
    if not given:
        source = describe(path, sheet=sheet, encoding=encoding)
    try:
        with tempfile.TemporaryDirectory(prefix=f"nps-xl-{os.getpid()}-sample-") as tmp:
            folder = Path(tmp)
            if source.kind == "csv":
                sample = _csv_head(source.data, source.delimiter, source, answers, folder)
            elif source.kind == "parquet":
                sample = _parquet_head(source.path, answers, folder)
            else:
                sample = _table_head(source, answers, folder)
            return load_survey(
                sample,
                encoding="utf-8" if sample.suffix == ".csv" else None,
                score=score,
                date=date,
                comment=comment,
                segments=list(segments) if segments else None,
                response_id=response_id,
                weight=weight,
                dayfirst=dayfirst,
                scale=scale,
                lang=lang,
                drivers=drivers,
            )
    finally:
        if not given:
            source.close()


def _csv_head(data: Path, delimiter: str, source, answers: int, folder: Path) -> Path:
    """The header records and the first ``answers`` records, copied (quoted line breaks kept)."""
    target = folder / f"{Path(source.path).stem}.csv"
    keep = source.header_records + answers
    with (
        open(data, encoding="utf-8-sig", errors="replace", newline="") as fh,
        open(target, "w", encoding="utf-8", newline="") as out,
    ):
        writer = csv.writer(out, delimiter=delimiter)
        for i, record in enumerate(csv.reader(fh, delimiter=delimiter)):
            if i >= keep:
                break
            writer.writerow(record)
    return target


def _parquet_head(path: Path, answers: int, folder: Path) -> Path:
    import pyarrow as pa
    import pyarrow.parquet as pq

    target = folder / f"{path.stem}.parquet"
    batches = pq.ParquetFile(path).iter_batches(batch_size=answers)
    first = next(batches, None)
    table = (
        pa.Table.from_batches([first]) if first is not None else pq.read_schema(path).empty_table()
    )
    pq.write_table(table, target)
    return target


def _table_head(source, answers: int, folder: Path) -> Path:
    """A spreadsheet's first rows (as the engine read them: text) as a CSV file."""
    table = source.table.slice(0, answers)
    target = folder / f"{Path(source.path).stem}.csv"
    columns = [table.column(f"c{j}").to_pylist() for j in range(len(source.names))]
    with open(target, "w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(source.names)
        for row in zip(*columns, strict=True):
            writer.writerow(["" if v is None else v for v in row])
    return target


def segments_of_the_whole_file(counts, columns, lang: str = "en"):
    """``(counts, columns, notes)`` without the detected segments that fail the segment rule
    on the whole column (:mod:`nps_xl.io.detect`: at most :data:`MAX_SEGMENT_VALUES` distinct
    values, and at most one distinct value per three answers that have one).

    ``counts`` is the engine's :class:`~nps_xl.report.ReportCounts` of the whole file, whose
    per-segment groups are the column's distinct values, so the rule is judged on every row,
    not on the sample the columns were found on. Only for detected segments: a segment the
    user named stays."""
    keep, notes = [], []
    by_segment = dict(counts.by_segment)
    for name in columns.segments:
        groups = by_segment.get(name)
        if groups is None:
            keep.append(name)
            continue
        distinct = len(groups)
        answered = int((groups.n + groups.blank + groups.invalid).sum())
        if distinct <= MAX_SEGMENT_VALUES and distinct <= max(2, answered // 3):
            keep.append(name)
            continue
        del by_segment[name]
        notes.append(
            text(
                "note_segment_whole_file",
                lang,
                column=name,
                answers=format_count(SAMPLE_ANSWERS, lang),
                distinct=format_count(distinct, lang),
            )
        )
    if not notes:
        return counts, columns, ()
    return (
        replace(counts, by_segment=by_segment),
        replace(columns, segments=tuple(keep)),
        tuple(notes),
    )
