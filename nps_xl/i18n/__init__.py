"""Every user-visible word of nps-xl, in English, Simplified Chinese, Traditional Chinese,
Lithuanian and Bulgarian.

The words are data: one JSON file per language beside this module (``en.json``,
``zh-Hans.json``, ``zh-Hant.json``, ``lt.json``, ``bg.json``), each an object of key → text
in UTF-8 with its keys sorted, the key-value JSON that translation tools read and write.
``README.md`` beside them says where the words come from and what a translator should know.
Code never writes a label, header, sheet name or message itself; it asks
``text(key, lang, **fields)``::

    >>> text("promoters", "lt")
    'Šalininkai'
    >>> text("cli_written", "zh-Hant", path="report.xlsx")
    '報告已寫入 report.xlsx'

The files are read the first time a text is asked for, not when nps-xl is imported. ``CATALOGUE``
maps a key to ``{language: text}``; besides the words it holds the number and date conventions
of :mod:`nps_xl.numbers` (``decimal_separator``, ``date_format``, …), which live there.

Adding a key: add it to every language file (keep the keys sorted). The tests
(``tests/test_i18n.py``) fail when a file is not valid, when a language lacks a key or has an
empty text, when the ``{fields}`` of the languages differ, or when a sheet name is not valid in
Excel. At run time a missing translation falls back to English rather than failing in front of
a user.

:class:`Message`, :class:`LocalizedError` and :func:`localized` live in :mod:`nps_xl.errors`
and are re-exported here.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterator, MutableMapping

from nps_xl.errors import LocalizedError, Message, localized
from nps_xl.numbers import (
    CONVENTION_KEYS,
    CONVENTIONS,
    DEFAULT_LANGUAGE,
    LANGUAGES,
    normalize_language,
)

__all__ = [
    "CATALOGUE",
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "LocalizedError",
    "Message",
    "localized",
    "normalize_language",
    "text",
]


def read_language(lang: str) -> dict[str, str]:
    """The words of one language, as its file holds them (key → text).

    ``lang`` is one of ``LANGUAGES``. Each call reads the file; :data:`CATALOGUE` and
    :func:`text` read every file once and keep the result.
    """
    import json
    from importlib.resources import files

    if lang not in LANGUAGES:
        raise ValueError(f"{lang!r} is not one of {', '.join(LANGUAGES)}.")
    return json.loads(files(__name__).joinpath(f"{lang}.json").read_text(encoding="utf-8"))


@functools.cache
def _catalogue() -> dict[str, dict[str, str]]:
    """key → {language: text}: every language file, then the number conventions."""
    built: dict[str, dict[str, str]] = {}
    for lang in LANGUAGES:
        for key, value in read_language(lang).items():
            built.setdefault(key, {})[lang] = value
    for key in CONVENTION_KEYS:
        built[key] = {lang: str(getattr(CONVENTIONS[lang], key)) for lang in LANGUAGES}
    return built


class _Catalogue(MutableMapping):
    """``CATALOGUE``: a dict of key → {language: text} that reads the language files when it is
    first used."""

    __slots__ = ()

    def __getitem__(self, key: str) -> dict[str, str]:
        return _catalogue()[key]

    def __setitem__(self, key: str, value: dict[str, str]) -> None:
        _catalogue()[key] = value

    def __delitem__(self, key: str) -> None:
        del _catalogue()[key]

    def __contains__(self, key: object) -> bool:
        return key in _catalogue()

    def __iter__(self) -> Iterator[str]:
        return iter(_catalogue())

    def __len__(self) -> int:
        return len(_catalogue())

    def get(self, key: str, default=None):
        return _catalogue().get(key, default)

    def __repr__(self) -> str:
        loaded = "loaded" if _catalogue.cache_info().currsize else "not loaded yet"
        return f"<nps_xl.i18n.CATALOGUE: {', '.join(LANGUAGES)}; {loaded}>"


#: key → {language: text} for every key :func:`text` knows.
CATALOGUE: MutableMapping[str, dict[str, str]] = _Catalogue()


class _MessageKeyError(KeyError):
    """A KeyError whose message prints without the quotes KeyError adds around its argument."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


def _field_names(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field is not None}


def text(key: str, lang: str | None = DEFAULT_LANGUAGE, /, **fields: object) -> str:
    """Return the text for ``key`` in ``lang``, with ``{fields}`` filled in by ``str.format``.

    ``lang`` goes through ``normalize_language``. A language missing for a key falls back to
    English (the tests make sure none is missing). Raises ``KeyError`` for an unknown key or a
    missing field, ``ValueError`` for an unknown language.
    """
    language = normalize_language(lang)
    catalogue = _catalogue()
    try:
        entry = catalogue[key]
    except KeyError:
        import difflib

        close = difflib.get_close_matches(str(key), catalogue, n=3)
        hint = f" Did you mean {', '.join(map(repr, close))}?" if close else ""
        raise _MessageKeyError(
            f"No text with the key {key!r} in nps_xl.i18n.CATALOGUE.{hint}"
        ) from None
    template = entry.get(language, entry.get(DEFAULT_LANGUAGE))
    if template is None:
        raise _MessageKeyError(f"The key {key!r} has no {language} or {DEFAULT_LANGUAGE} text.")
    try:
        return template.format(**fields)
    except KeyError as exc:
        needed = ", ".join(sorted(_field_names(template)))
        raise _MessageKeyError(
            f"text({key!r}) needs the field {exc.args[0]!r}; its fields are: {needed}."
        ) from None
