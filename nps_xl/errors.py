"""Errors a person reads, told in their language: a catalogue key and its fields travel with the
error and are turned into words only when a surface shows them.

The core (``scores``, ``io``, ``stats``, the Excel conversions) raises these without loading any
word list. Importing this module imports only :mod:`nps_xl.numbers` (language codes and number
conventions, no words); the catalogue (:mod:`nps_xl.i18n`, which builds on this module and
re-exports it) is imported when a message is first rendered::

    >>> error = ValueError("row 7 is empty")
    >>> localized(error, "lt")  # an error without a key keeps its English message
    'row 7 is empty'
    >>> Message("position_row", row="7").render("zh-Hant")
    '第 7 列'
"""

from __future__ import annotations

import string

from nps_xl.numbers import DEFAULT_LANGUAGE, format_number, normalize_language

__all__ = [
    "LocalizedError",
    "Message",
    "NoValidAnswersError",
    "localized",
]


def _is_english(lang: str | None) -> bool:
    return normalize_language(lang) == DEFAULT_LANGUAGE


class Message:
    """A text to be told later, in the reader's language: a catalogue key and its fields.

    ``Message("position_row", row=7).render("zh-Hant")`` → ``"第 7 列"``. A field may itself be a
    ``Message`` (rendered in the same language); ``int`` and ``float`` fields are written with
    the language's number conventions (:mod:`nps_xl.numbers`: ``1 030``, ``2,8`` in lt), so pass
    row numbers and other identifiers as text; a field the template writes with a conversion
    (``{value!r}``) is left as it is. ``str(message)`` is the English text.
    """

    __slots__ = ("fields", "key")

    def __init__(self, key: str, /, **fields: object) -> None:
        self.key = key
        self.fields = fields

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        from nps_xl.i18n import CATALOGUE, text  # here: the catalogue builds on this module

        entry = CATALOGUE.get(self.key, {})
        # a field written with a conversion ({value!r}) is shown as the value itself
        converted = {
            name
            for template in entry.values()
            for _, name, _, conversion in string.Formatter().parse(template)
            if conversion
        }
        values = {}
        for name, value in self.fields.items():
            if isinstance(value, Message):
                value = value.render(lang)
            elif name in converted:
                pass
            elif isinstance(value, float):
                value = format_number(value, lang, digits=1)
            elif isinstance(value, int) and not isinstance(value, bool):
                value = format_number(value, lang, digits=0)
            values[name] = value
        return text(self.key, lang, **values)

    def __str__(self) -> str:
        return self.render(DEFAULT_LANGUAGE)

    def __repr__(self) -> str:
        fields = "".join(f", {k}={v!r}" for k, v in self.fields.items())
        return f"Message({self.key!r}{fields})"


class LocalizedError(Exception):
    """Mixin for errors a person reads: ``key`` and ``fields`` name a catalogue text, so the
    CLI, the Excel functions and the ribbon can show the error in their reader's language, while
    ``str(exc)`` stays the English message of the Python API.

    Use it as the first base of an exception class (``class SurveyFileError(LocalizedError,
    ValueError)``) and raise either ``Error.from_key(key, **fields)`` (the message is the
    English catalogue text) or ``Error(english).localize(key, **fields)`` when the English
    message must stay worded as before. ``fields`` follow :class:`Message` (nested messages,
    numbers written per language).
    """

    key: str | None = None
    fields: dict[str, object] = {}  # noqa: RUF012 - replaced per instance by localize()

    def localize(self, key: str, /, **fields: object):
        """Attach the catalogue key and fields; returns the exception itself (for ``raise``)."""
        self.key = key
        self.fields = dict(fields)
        return self

    @classmethod
    def from_key(cls, key: str, /, **fields: object):
        """The exception whose message is the English text of ``key``."""
        return cls(Message(key, **fields).render(DEFAULT_LANGUAGE)).localize(key, **fields)

    def localized(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        """The message in ``lang``: ``str(self)`` for English or when no key is attached."""
        if self.key is None or _is_english(lang):
            return str(self)
        try:
            return Message(self.key, **self.fields).render(lang)
        except (KeyError, ValueError):  # a missing field must not hide the error itself
            return str(self)


class NoValidAnswersError(ValueError):
    """Not a single valid answer to compute a statistic from (every answer blank or invalid, or
    all weights 0).

    ``str(exc)`` is the English message of the Python API, which says what was empty; in other
    languages the error is told by its key, ``error_no_valid_answers``, or by the key of the
    surface that shows it (``localized(exc, lang, no_valid_key="cli_no_valid_answers")``), which
    says what to do there. It is a ``ValueError``, as it was before it had a class of its own.
    """

    #: The catalogue key of the general words for "no valid answers".
    key: str = "error_no_valid_answers"


def localized(
    exc: BaseException,
    lang: str | None = DEFAULT_LANGUAGE,
    *,
    no_valid_key: str = NoValidAnswersError.key,
) -> str:
    """Any exception's message in ``lang``: localized when it carries a key; a
    :class:`NoValidAnswersError` as the text of ``no_valid_key`` (each surface says what to do in
    its own terms); else ``str(exc)``."""
    if isinstance(exc, LocalizedError):
        return exc.localized(lang)
    if isinstance(exc, NoValidAnswersError) and not _is_english(lang):
        from nps_xl.i18n import text  # here: the catalogue builds on this module

        return text(no_valid_key, lang)
    return str(exc)
