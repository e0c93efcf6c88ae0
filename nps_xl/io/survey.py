"""One call from a file to the answers: :func:`load_survey` returns a :class:`Survey` value."""

from __future__ import annotations

import os
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.io._common import Note, plural, render_note
from nps_xl.io.detect import (
    COLUMN_NOTES,
    Columns,
    RepeatedIds,
    check_drivers,
    detect,
    parse_drivers_option,
)
from nps_xl.io.options import check_clashes, check_columns
from nps_xl.io.readers import MISSING_MARKERS, RawSurvey, read_raw
from nps_xl.io.tidy import tidy_frame
from nps_xl.numbers import normalize_language
from nps_xl.scores import resolve_scale

__all__ = ["Survey", "load_survey"]


@dataclass(frozen=True)
class Survey:
    """A survey export, read and tidied.

    * ``frame`` — canonical columns ``Response ID, Date, Score, Comment, <segments…>``, then
      ``Customer ID`` and ``Weight`` when present; the index is the file row of each answer
      (as a spreadsheet or text editor shows it), also after filtering.
    * ``columns`` — which export column holds what (detected or chosen).
    * ``segments`` — the segment column names in ``frame`` (Qualtrics: the question text).
    * ``notes`` — one line per problem found (encoding used, unreadable dates, long texts,
      rating columns left out, missing-value markers read as blanks…), in the language
      :func:`load_survey` was given (English by default).
    * ``encoding`` — text files: the encoding used (``"utf-8"``, ``"windows-1257"``,
      ``"gb18030"``…).
    * ``source`` — the survey tool recognised from the headers (``"Qualtrics"``…), if any.
    * ``other_dates`` — the export's other date columns, best first, when it has several
      (README, *Which date column*); ``date=`` picks one.
    * ``repeats`` — when the customer column was detected (or an id column whose values repeat
      was read as one): how many customers answered more than once, and on how many answers
      (:class:`~nps_xl.io.detect.RepeatedIds`); ``None`` when no customer answered twice or
      ``customer=`` was given.
    * ``column_notes`` — those of ``notes`` that say which column was taken for what.
    * ``drivers`` — the key-driver rating columns in ``frame`` (after ``Weight``), detected
      (:func:`~nps_xl.io.detect.rating_columns`) or chosen with ``drivers=``.
    """

    frame: pd.DataFrame
    columns: Columns
    segments: tuple[str, ...]
    notes: tuple[str, ...]
    encoding: str | None
    source: str | None
    other_dates: tuple[str, ...] = ()
    repeats: RepeatedIds | None = None
    column_notes: tuple[str, ...] = ()
    drivers: tuple[str, ...] = ()


def load_survey(
    path: str | os.PathLike,
    *,
    sheet: str | int | None = None,
    encoding: str | None = None,
    score: str | None = None,
    date: str | None = None,
    comment: str | None = None,
    segments: Sequence[str] | None = None,
    response_id: str | None = None,
    customer: str | None = None,
    weight: str | None = None,
    dayfirst: bool | None = None,
    scale: object = None,
    lang: str = "en",
    drivers: Sequence[str] | str | None = None,
) -> Survey:
    """Read a survey export, find its columns and tidy it (see the README, *Reading your
    export*).

    ``sheet``: a sheet name or its 1-based position (``2`` or ``"2"``: the second sheet).
    ``encoding``: the text encoding of a CSV file, when detection cannot tell. ``score`` …
    ``weight``: column names that override detection (``segments=[]`` means none).
    ``dayfirst``: how to read dates such as 03/04/2025. ``scale``: the rating scale of the
    score (``"1-5"``, ``"0-4"`` or four breaks); without it a column of 0–5 answers stops with
    a message suggesting ``--scale``. ``lang``: the language of the notes (``"en"``,
    ``"zh-Hans"``, ``"zh-Hant"``, ``"lt"``, ``"bg"``); errors carry their catalogue key and are
    told in a language by :meth:`~nps_xl.io.SurveyFileError.localized`. ``drivers``: the
    key-driver rating columns (a list or ``"Product,Support"``); ``"none"`` or ``[]`` for
    none; ``None`` (default) finds the other rating questions.

    Raises :class:`~nps_xl.io.SurveyFileError` with a one-line message naming the file row or
    cell and what to do.
    """
    lang = normalize_language(lang)
    if scale is not None:
        resolve_scale(scale)  # a wrong --scale is told before the file is read
    given = {
        "--score": score,
        "--date": date,
        "--comment": comment,
        "--segment": segments,
        "--response-id": response_id,
        "--customer": customer,
        "--weight": weight,
        "--drivers": parse_drivers_option(drivers),
    }
    check_clashes(given)
    raw = read_raw(path, sheet=sheet, encoding=encoding, score=score)
    detection = detect(
        raw.frame,
        questions=raw.questions,
        comment_hint=raw.comment_hint,
        score=score,
        date=date,
        comment=comment,
        segments=segments,
        response_id=response_id,
        customer=customer,
        weight=weight,
        scale=scale,
        drivers=drivers,
    )
    columns = detection.columns
    frame = raw.frame
    check_columns(
        frame,
        {
            "--score": columns.score if score is not None else None,
            "--date": columns.date if date is not None else None,
            "--weight": columns.weight if weight is not None else None,
        },
        scale=scale,
        dayfirst=dayfirst,
    )
    if parse_drivers_option(drivers):
        check_drivers(frame, columns.drivers)
    notes = list(raw.notes)
    exact = _score_as_written(raw, columns.score, notes)
    if exact is not None:
        frame = frame.assign(**{columns.score: exact})
    tidy, segment_names, tidy_notes = tidy_frame(
        frame, columns, questions=raw.questions, dayfirst=dayfirst
    )
    notes.extend(detection.notes)
    notes.extend(tidy_notes)
    rendered = tuple(render_note(note, lang) for note in notes)
    # the drivers are the last columns of the tidy frame (Qualtrics: named by their question)
    named = tuple(tidy.columns[-len(columns.drivers) :]) if columns.drivers else ()
    return Survey(
        frame=tidy,
        columns=columns,
        segments=segment_names,
        notes=rendered,
        encoding=raw.encoding,
        source=raw.source,
        other_dates=detection.other_dates,
        repeats=detection.repeats,
        column_notes=tuple(
            text
            for note, text in zip(notes, rendered, strict=True)
            if getattr(getattr(note, "message", None), "key", None) in COLUMN_NOTES
        ),
        drivers=named,
    )


_WHOLE = re.compile(r"^\s*[+-]?\d+\s*$")
_MARKERS = frozenset(MISSING_MARKERS)


def _score_as_written(raw: RawSurvey, column: str, notes: list[Note]) -> pd.Series | None:
    """The score column of a CSV file as its text says, so :mod:`nps_xl.scores` decides:
    "1e1", "1.000" and "10.0000" stay text (invalid), while the CSV parser would have made
    them 10, 1 and 10. Plain whole numbers become numbers; missing-value markers blanks."""
    series = raw.frame[column]
    if raw.kind != "csv" or series.dtype.kind in "iub":
        return None  # whole numbers as the parser read them are exactly the text
    if series.dtype.kind != "f" and not series.isna().any():
        return None  # text already, and no marker was blanked
    text = raw.raw_text(column)
    if text is None:
        return None
    codes, uniques = pd.factorize(text, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[-1] = np.nan
    marker_codes = []
    numeric = True
    for i, value in enumerate(uniques):
        stripped = str(value).strip()
        if not stripped or stripped in _MARKERS:
            mapped[i] = np.nan
            if stripped:
                marker_codes.append(i)
        elif _WHOLE.match(stripped):
            mapped[i] = float(stripped)
        else:
            mapped[i] = str(value)
            numeric = False
    values = mapped[codes]
    if marker_codes:
        counts = np.bincount(codes[codes >= 0], minlength=len(uniques))
        shown = ", ".join(
            f"{uniques[i]!r} ×{counts[i]}" for i in sorted(marker_codes, key=lambda i: -counts[i])
        )
        total = int(sum(counts[i] for i in marker_codes))
        notes.append(
            Note(
                f"{column}: {plural(total, 'missing-value marker')} ({shown}) counted as blank "
                "answers.",
                "note_markers_blank",
                column=column,
                count=total,
                markers=shown,
            )
        )
    if numeric:
        return pd.Series(values.astype(float), index=text.index)
    # text among the answers: every answer stays as written ("11" is shown as 11, not 11.0)
    written = np.asarray(text.to_numpy(dtype=object, na_value=np.nan), dtype=object)
    if marker_codes:
        written[np.isin(codes, marker_codes)] = np.nan
    return pd.Series(written, index=text.index, dtype=object)
