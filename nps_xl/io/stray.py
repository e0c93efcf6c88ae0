"""Lines of a text file in another encoding than the rest: found, decoded with the encoding
that fits them best, and named.

A CSV export is one encoding with a few lines of another more often than one would think: a
Windows-1252 file with names typed on an old terminal in its DOS code page (CP850: "Garc¡a"
for "García"), a UTF-8 file with one line pasted from a Windows-1252 program, a Windows-1251
file with a byte that is no character at all (0x98). Refusing such a file is no help, and
decoding it in one encoding garbles those lines without a word. So (:func:`plan_lines`):

* every line that holds non-ASCII bytes is decoded in the file's encoding; a line that fails
  (invalid bytes), or — in a one-byte code page — that reads as words with symbols inside
  them ("Garc¡a", "JosÃ©"), is decoded in each of :data:`LINE_CANDIDATES` too, and the one
  whose words fit one language (:func:`nps_xl.io.encoding.language_fit`) is used for that line;
* a line no candidate reads well keeps the file's encoding, its invalid bytes read as "�";
* the lines so read and the characters that changed are named in a note (the first few, then
  how many more), so nothing is garbled without a line that says where.

The file is then read through a codec registered under a name of its own
(:func:`register_plan`) that decodes each physical line as planned, so pandas and the engines'
UTF-8 copy read it unchanged. Scores are ASCII digits and never touched.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from itertools import count
from pathlib import Path

from nps_xl.errors import Message
from nps_xl.io._common import Note
from nps_xl.numbers import DEFAULT_LANGUAGE

__all__ = ["LinePlan", "plan_lines", "register_plan", "stray_note"]

#: Encodings a stray line may be in: the DOS code pages of old terminals (Western, US,
#: Central European, Cyrillic, Baltic), UTF-8, and the Windows code pages.
LINE_CANDIDATES = (
    "utf-8",
    "cp850",
    "cp437",
    "cp852",
    "cp866",
    "cp775",
    "cp1252",
    "cp1250",
    "cp1251",
    "cp1257",
)
#: One-byte code pages: every byte is a character, so a wrong line shows only in its words.
_ONE_BYTE = {"cp1252", "latin-1", "iso8859-1", "cp1250", "cp1251", "cp1257"}
#: A symbol or an odd letter touching letters: "Garc¡a", "JosÃ©", "ÐŸÑ€", "Jos‚" (not the
#: opening and closing marks of "¿Qué?", "¡Hola!", «así», „so“).
_SUSPECT = re.compile(
    r"[^\W\d_][^\w\s'’\-.,;:!?()\"/»”]|[^\w\s'’\-.,;:!?()\"/¿¡«„“‘][^\W\d_]|Ã|Ð|Ñ"
)
_FIT = 0.9
_MIN_FIT = 0.5
#: How many changed lines a note lists.
SHOWN = 5
#: Files larger than this are not planned line by line (the engines' files).
_MAX_BYTES = 512 * 1024 * 1024


@dataclass
class LinePlan:
    """How to decode a file: ``codec`` for every line except those in ``lines`` (1-based
    physical line → codec, or ``None`` for the file's codec with invalid bytes as "�")."""

    codec: str
    lines: dict[int, str | None] = field(default_factory=dict)
    changes: list[tuple[int, str, str, str]] = field(default_factory=list)  # line, was, now, codec

    @property
    def empty(self) -> bool:
        return not self.lines


def plan_lines(path: Path, codec: str, *, strict_ok: bool = False) -> LinePlan:
    """The :class:`LinePlan` of the text file ``path`` in ``codec``: the lines that read
    better in another encoding, or only with "�" (see the module)."""
    plan = LinePlan(codec)
    if path.stat().st_size > _MAX_BYTES:
        return plan
    one_byte = codecs.lookup(codec).name in {codecs.lookup(c).name for c in _ONE_BYTE}
    language = _language(path, codec)
    with open(path, "rb") as fh:
        for number, raw in enumerate(fh, 1):
            if raw.isascii():
                continue
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                text = None
            if text is not None and (strict_ok or not one_byte or not _SUSPECT.search(text)):
                continue
            current = raw.decode(codec, "replace")
            # a line that fails needs a reading that fits well; a line with symbols inside
            # its words needs one without them that reads at least as well ("N£¤ez" → "Núñez")
            # the likely encodings (the same machine's DOS code page, UTF-8) first, another only
            # when none of them reads the line ("Núñez" is cp850, not Baltic "NŻżez") and it
            # reads clearly better
            now = _score(current, language) if text is not None else 0.0
            best = None
            for likely, group in zip((True, False), _candidates(codec), strict=True):
                floor = _MIN_FIT if likely and text is not None else _FIT
                best_score = max(now - 1e-9 if likely else now, floor)
                for other in group:
                    try:
                        candidate = raw.decode(other)
                    except UnicodeDecodeError:
                        continue
                    got = _score(candidate, language)
                    if got > best_score and not _SUSPECT.search(candidate):
                        best, best_score = other, got
                if best is not None:
                    break
            if best is not None:
                plan.lines[number] = best
                plan.changes.append((number, *_changed(current, raw.decode(best)), best))
            elif text is None:  # no encoding reads it: the file's, invalid bytes as "�"
                plan.lines[number] = None
                plan.changes.append((number, *_changed(current, current), codec))
    return plan


#: The encodings a line of a file in one encoding is most likely in, first: the DOS code page
#: of the same machine, then UTF-8 (a line pasted from the web), then the others.
_LIKELY = {
    "utf-8": ("cp1252", "cp1250", "cp1251", "cp1257"),
    "cp1252": ("cp850", "cp437", "utf-8"),
    "latin-1": ("cp850", "cp437", "utf-8", "cp1252"),
    "cp1250": ("cp852", "utf-8"),
    "cp1251": ("cp866", "utf-8"),
    "cp1257": ("cp775", "utf-8"),
}


def _candidates(codec: str) -> tuple[list[str], list[str]]:
    """The encodings to try for a line of a ``codec`` file: the likely ones, then the rest."""
    name = codecs.lookup(codec).name
    first = next((v for k, v in _LIKELY.items() if codecs.lookup(k).name == name), ())
    rest = [c for c in LINE_CANDIDATES if c not in first]
    return tuple([c for c in group if codecs.lookup(c).name != name] for group in (first, rest))


def _score(text: str, language: str | None = None) -> float:
    """How well a line reads: its language fit, less the share of symbols inside words, and a
    little more when its language is the file's (Lithuanian "Šiauliai" in a Lithuanian file,
    not Icelandic "Ðiauliai")."""
    from nps_xl.io.encoding import language_fit

    fit, found, junk = language_fit(text)
    return fit * (1 - junk) + (0.05 if language is not None and found == language else 0.0)


def _language(path: Path, codec: str, lines: int = 200) -> str | None:
    """The language of the file's lines that read well in ``codec`` (the first ``lines``)."""
    from nps_xl.io.encoding import language_fit

    texts: list[str] = []
    with open(path, "rb") as fh:
        for raw in fh:
            if raw.isascii():
                continue
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError:
                continue
            if not _SUSPECT.search(text):
                texts.append(text)
            if len(texts) >= lines:
                break
    return language_fit("".join(texts))[1] if texts else None


_FIELDS = re.compile(r"[\s,;|]+")


def _changed(was: str, now: str) -> tuple[str, str]:
    """The first word that differs (``'Garc¡a'``, ``'García'``), or the word with "�"."""
    was_words, now_words = _FIELDS.split(was.strip()), _FIELDS.split(now.strip())
    for a, b in zip(was_words, now_words, strict=False):
        if a != b or "\ufffd" in a:
            return _short(a), _short(b)
    return _short(was.strip()), _short(now.strip())


def _short(text: str) -> str:
    text = text.strip(",;\t\r\n\"'")
    return text if len(text) <= 30 else text[:29] + "…"


# ------------------------------------------------------------------------------ the codec

_PLANS: dict[str, LinePlan] = {}
_NUMBERS = count(1)


def register_plan(plan: LinePlan) -> str:
    """A codec name (``npsxl_lines_3``) that decodes text as ``plan`` says, for ``open``,
    pandas and :mod:`codecs` alike."""
    name = f"npsxl_lines_{next(_NUMBERS)}"
    if not _PLANS:
        codecs.register(_search)
    _PLANS[name] = plan
    return name


def _search(name: str) -> codecs.CodecInfo | None:
    plan = _PLANS.get(name)
    if plan is None:
        return None

    class Decoder(_LineDecoder):
        def __init__(self, errors: str = "strict") -> None:
            super().__init__(plan, errors)

    def decode(data: bytes, errors: str = "strict") -> tuple[str, int]:
        return Decoder(errors).decode(bytes(data), final=True), len(data)

    def encode(text: str, errors: str = "strict") -> tuple[bytes, int]:
        return codecs.encode(text, plan.codec, errors), len(text)

    return codecs.CodecInfo(
        encode, decode, incrementaldecoder=Decoder, name=name, _is_text_encoding=True
    )


class _LineDecoder(codecs.IncrementalDecoder):
    """Decodes whole physical lines, each in the codec its plan gives."""

    def __init__(self, plan: LinePlan, errors: str = "strict") -> None:
        super().__init__(errors)
        self.plan, self.buffer, self.line = plan, b"", 1

    def decode(self, input: bytes, final: bool = False) -> str:
        data = self.buffer + bytes(input)
        cut = len(data) if final else data.rfind(b"\n") + 1
        block, self.buffer = data[:cut], data[cut:]
        if not block:
            return ""
        last = self.line + block.count(b"\n")
        planned = [n for n in self.plan.lines if self.line <= n <= last]
        if not planned:  # the common case: the whole block in the file's codec
            self.line = last
            return block.decode(self.plan.codec, "replace")
        out = []
        for raw in _lines(block):
            other = self.plan.lines.get(self.line, self.plan.codec)
            out.append(raw.decode(other or self.plan.codec, "replace"))
            self.line += raw.endswith(b"\n")
        return "".join(out)

    def reset(self) -> None:
        self.buffer, self.line = b"", 1

    def getstate(self) -> tuple[bytes, int]:
        return self.buffer, self.line

    def setstate(self, state: tuple[bytes, int]) -> None:
        self.buffer, self.line = state


def _lines(block: bytes) -> list[bytes]:
    """``block`` cut after each ``\\n`` (a lone ``\\r`` stays inside its line)."""
    parts = block.split(b"\n")
    return [p + b"\n" for p in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


# ------------------------------------------------------------------------------ the note


def stray_note(plan: LinePlan, encoding: object) -> Note:
    """ "Read as Windows-1252 text, except 2 lines …: line 7 read as cp850 ('Garc¡a' →
    'García'); line 9: … ('Ива�'). …" — the first :data:`SHOWN` lines, then how many more."""
    from nps_xl.io.encoding import encoding_label

    items: list[Message] = []
    for line, was, now, codec in plan.changes[:SHOWN]:
        if plan.lines.get(line) is None:
            items.append(Message("stray_line_replaced", line=str(line), encoding=encoding, was=was))
        else:
            name = encoding_label(codec)
            items.append(Message("stray_line_as", line=str(line), encoding=name, was=was, now=now))
    changes = _Items(items, more=len(plan.changes) - len(items))
    return Note(
        None, "note_stray_lines", encoding=encoding, count=len(plan.changes), changes=changes
    )


class _Items(Message):
    """Messages joined by "; ", then "and 3 more" in the reader's language."""

    def __init__(self, items: list[Message], more: int = 0) -> None:
        super().__init__("cli_and_more", count=more)
        self.items, self.more = tuple(items), more

    def render(self, lang: str | None = DEFAULT_LANGUAGE) -> str:
        shown = "; ".join(i.render(lang) for i in self.items)
        return shown + (" " + super().render(lang) if self.more > 0 else "")
