"""What every part of the reading layer shares: the error type, the notes and the small text
helpers."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence

from nps_xl.errors import LocalizedError, Message
from nps_xl.numbers import DEFAULT_LANGUAGE, normalize_language

__all__ = [
    "Joined",
    "Listing",
    "Message",
    "Note",
    "SurveyFileError",
    "render_note",
    "rows_message",
]


class SurveyFileError(LocalizedError, ValueError):
    """A survey file cannot be read or its columns cannot be found; the message says why and
    what to do, in one line, naming the file row or cell where there is one. Each carries an
    i18n ``key`` and ``fields`` (:class:`nps_xl.errors.LocalizedError`), so
    ``exc.localized("lt")`` tells it in Lithuanian; ``str(exc)`` is the English message."""


class Note(str):
    """A note on how a file was read ("Read as Windows-1257 (Baltic) text…"): its English text,
    as a ``str`` (so code that keeps notes as text, compares or searches them keeps working),
    and the catalogue message that tells it in another language (:meth:`render`).

    ``Note(None, key, **fields)``: the English text is the catalogue's; ``Note(english, key,
    **fields)`` keeps an English wording the catalogue cannot give (plurals: "1 value", "3
    values"). ``fields`` follow :class:`~nps_xl.errors.Message`.
    """

    message: Message

    def __new__(cls, english: str | None, key: str, /, **fields: object) -> Note:
        message = Message(key, **fields)
        note = super().__new__(
            cls, message.render(DEFAULT_LANGUAGE) if english is None else english
        )
        note.message = message
        return note

    def __reduce__(self):  # copies and pickles keep the message
        return (_note, (str.__str__(self), self.message.key, self.message.fields))

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        """The note in ``lang`` (its English text for English)."""
        if normalize_language(lang) == DEFAULT_LANGUAGE:
            return str.__str__(self)
        return self.message.render(lang)


def _note(english: str, key: str, fields: dict[str, object]) -> Note:
    return Note(english, key, **fields)


def render_note(note: str, lang: str | None = DEFAULT_LANGUAGE) -> str:
    """A note in ``lang``: a :class:`Note` rendered, any other text as it is."""
    return note.render(lang) if isinstance(note, Note) else str(note)


class Listing(Message):
    """Items joined by commas, then "and 3 more" (``cli_and_more``) in the reader's language:
    ``Listing(["'A'", "'B'"], more=3)`` → ``'A', 'B' and 3 more``."""

    def __init__(self, items: Sequence[str], more: int = 0) -> None:
        super().__init__("cli_and_more", count=more)
        self.items = tuple(items)
        self.more = more

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        shown = ", ".join(self.items)
        return shown + (" " + super().render(lang) if self.more > 0 else "")

    def __repr__(self) -> str:
        return f"Listing({list(self.items)!r}, more={self.more!r})"


class Joined(Message):
    """Messages and texts side by side, each part in the reader's language: ``Joined(
    Message("position_line", line="3"), "…")`` → ``line 3 …``."""

    def __init__(self, *parts: Message | str) -> None:
        super().__init__("position_line")  # not rendered: each part is
        self.parts = parts

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        return " ".join(p.render(lang) if isinstance(p, Message) else p for p in self.parts)

    def __repr__(self) -> str:
        return f"Joined{self.parts!r}"


def one_line(exc: BaseException | str, limit: int = 200) -> str:
    text = " ".join(str(exc).split())
    return text[:limit] + ("…" if len(text) > limit else "")


def norm(text: object) -> str:
    """Case-, width- and space-insensitive form of a header (NFKC, casefold, single spaces)."""
    return " ".join(unicodedata.normalize("NFKC", str(text)).casefold().split())


def _is_lines(index: Sequence[int]) -> bool:
    """Whether ``index`` holds the lines of a text file (a reader names that index "line")."""
    return getattr(index, "name", None) == "line"


def rows_text(index: Sequence[int], limit: int = 10) -> str:
    """``"rows 3, 5 and 2 more"`` for file rows (``"lines …"`` for the lines of a CSV file)."""
    shown = [str(int(i)) for i in list(index)[:limit]]  # a row number is a label, not a quantity
    more = len(index) - len(shown)
    unit = "line" if _is_lines(index) else "row"
    word = unit if len(index) == 1 else unit + "s"
    return f"{word} {', '.join(shown)}" + (f" and {more} more" if more > 0 else "")


def rows_message(index: Sequence[int], limit: int = 10) -> Message:
    """:func:`rows_text` in the reader's language (``position_row``, ``position_rows``,
    ``position_rows_more``)."""
    shown = ", ".join(str(int(i)) for i in list(index)[:limit])
    more = len(index) - min(len(index), limit)
    if _is_lines(index):
        if len(index) == 1:
            return Message("position_line", line=shown)
        if more > 0:
            return Message("position_lines_more", lines=shown, more=more)
        return Message("position_lines", lines=shown)
    if len(index) == 1:
        return Message("position_row", row=shown)
    if more > 0:
        return Message("position_rows_more", rows=shown, more=more)
    return Message("position_rows", rows=shown)


def plural(n: int, word: str, many: str | None = None) -> str:
    return f"{n:,} {word if n == 1 else (many or word + 's')}"
