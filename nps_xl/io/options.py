"""Every option value a user gives is checked here, once, before any counting: the days of
``--since``/``--until``, the ``--scale``, and each column named with ``--date``, ``--score``,
``--weight``, ``--segment``, ``--comment``, ``--customer`` or ``--response-id``.

A column that cannot play the part it was given is refused in one line naming the column, what
it holds (three sample values) and what to do — never an internal error later::

    --date 'Comment' holds no dates ('fine', 'line one…', 'great'). Name the column with the
    answer dates, or leave --date out.

Unknown column names are refused by the detection step (:func:`nps_xl.io.detect.detect`),
listing the columns the file has. The CLI, the Python API (:func:`nps_xl.io.load_survey`) and
the engines' sampling all read through :func:`check_columns`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

import numpy as np
import pandas as pd

from nps_xl.io._common import SurveyFileError, norm

__all__ = ["check_clashes", "check_columns", "check_days", "parse_day", "sample_values"]

#: How many distinct values of a column a message shows.
SAMPLES = 3


def parse_day(value: str | None, option: str) -> pd.Timestamp | None:
    """The day of ``--since``/``--until`` (ISO 8601 only: "April" or 03/04/2025 would be
    guesses); a one-line message naming the option otherwise."""
    if value is None:
        return None
    try:
        day = datetime.fromisoformat(str(value).strip())
        if day.tzinfo is not None:  # the answers' dates are local times, without a zone
            raise ValueError(value)
        return pd.Timestamp(day)
    except ValueError:
        raise SurveyFileError.from_key("cli_bad_day", option=option, value=value) from None


def check_days(
    since: str | None,
    until: str | None,
    *,
    since_flag: str = "--since",
    until_flag: str = "--until",
) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
    """``--since`` and ``--until`` as days, checked before any reading: each an ISO date, the
    first not after the second."""
    first, last = parse_day(since, since_flag), parse_day(until, until_flag)
    if first is not None and last is not None and first > last:
        raise SurveyFileError.from_key(
            "error_option_days_order", since=since, until=until, first=since_flag, second=until_flag
        )
    return first, last


def sample_values(series: pd.Series, limit: int = SAMPLES) -> str:
    """The first ``limit`` distinct non-blank values of ``series`` as ``'a', 'b', 'c'``
    (long texts shortened, line breaks shown as spaces)."""
    shown: list[str] = []
    for v in pd.unique(series.dropna().to_numpy(dtype=object)):
        if isinstance(v, str):
            v = " ".join(v.split())
            if not v:
                continue
            v = v if len(v) <= 30 else v[:29] + "…"
        elif isinstance(v, float) and v.is_integer():
            v = int(v)
        shown.append(repr(v) if isinstance(v, str) else str(v))
        if len(shown) == limit:
            break
    return ", ".join(shown) or "—"


def check_clashes(given: Mapping[str, str | Sequence[str] | None]) -> None:
    """One column named for two parts (``--date Score --score Score``) is refused."""
    seen: dict[str, str] = {}
    for flag, value in given.items():
        for name in [value] if isinstance(value, str) else list(value or ()):
            key = norm(name)
            if key in seen and seen[key] != flag:
                raise SurveyFileError.from_key(
                    "error_option_clash", column=name, first=seen[key], second=flag
                )
            seen.setdefault(key, flag)


def check_columns(
    frame: pd.DataFrame,
    given: Mapping[str, str | None],
    *,
    scale: object = None,
    dayfirst: bool | None = None,
) -> None:
    """Each column the user named (``given``: flag → export column, as resolved) holds what
    its part needs: dates for ``--date``, answers on the scale for ``--score``, numbers ≥ 0
    for ``--weight``. Blank columns are refused too (nothing to read)."""
    for flag, column in given.items():
        if not column or column not in frame.columns:
            continue
        series = frame[column]
        filled = series.dropna()
        if filled.dtype == object or pd.api.types.is_string_dtype(filled.dtype):
            filled = filled[filled.astype(str).str.strip() != ""]
        if filled.empty:
            raise SurveyFileError.from_key("error_option_blank", flag=flag, column=column)
        if flag == "--date" and not _has_dates(filled, dayfirst):
            raise SurveyFileError.from_key(
                "error_option_no_dates", flag=flag, column=column, values=sample_values(filled)
            )
        if flag == "--score" and not _has_scores(filled, scale):
            from nps_xl.scores import resolve_scale

            raise SurveyFileError.from_key(
                "error_option_no_scores",
                flag=flag,
                column=column,
                values=sample_values(filled),
                scale=str(resolve_scale(scale)),
            )
        if flag == "--weight" and not _has_weights(filled):
            raise SurveyFileError.from_key(
                "error_option_no_weights", flag=flag, column=column, values=sample_values(filled)
            )


def _distinct(series: pd.Series, limit: int = 2000) -> pd.Series:
    values = pd.unique(series.to_numpy(dtype=object))[:limit]
    return pd.Series(values, dtype=object)


def _has_dates(series: pd.Series, dayfirst: bool | None) -> bool:
    if series.dtype.kind == "M":
        return True
    from nps_xl.io.tidy import parse_dates

    return bool(parse_dates(_distinct(series), dayfirst, [], "date").notna().any())


def _has_scores(series: pd.Series, scale: object) -> bool:
    from nps_xl.scores import parse_scores

    return parse_scores(_distinct(series).to_numpy(), scale=scale, invalid="skip").n > 0


def _has_weights(series: pd.Series) -> bool:
    text = _distinct(series).astype(str).str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float)
    return bool(np.isfinite(numbers).any() and (numbers[np.isfinite(numbers)] >= 0).all())
