"""What every part of the reading layer shares: the error type and the small text helpers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from nps_xl.errors import LocalizedError, Message

__all__ = ["Message", "SurveyFileError"]


class SurveyFileError(LocalizedError, ValueError):
    """A survey file cannot be read or its columns cannot be found; the message says why and
    what to do, in one line, naming the file row or cell where there is one. The frequent ones
    carry an i18n ``key`` and ``fields`` (:class:`nps_xl.i18n.LocalizedError`), so
    ``exc.localized("lt")`` tells it in Lithuanian; the others are English only."""


def one_line(exc: BaseException | str, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def norm(text: object) -> str:
    """Case-, width- and space-insensitive form of a header (NFKC, casefold, single spaces)."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def rows_text(index: Sequence[int], limit: int = 10) -> str:
    """``"rows 3, 5 and 2 more"`` for file rows."""
    shown = [str(int(i)) for i in list(index)[:limit]]  # a row number is a label, not a quantity
    more = len(index) - len(shown)
    word = "row" if len(index) == 1 else "rows"
    return f"{word} {', '.join(shown)}" + (f" and {more} more" if more > 0 else "")


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
