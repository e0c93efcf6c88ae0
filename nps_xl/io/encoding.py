"""Which text encoding a CSV file is in, decided on evidence, never guessed.

Excel on Windows saves "CSV" in the machine's ANSI code page: GBK in mainland China, Big5 in
Taiwan, Windows-1251 in Bulgaria, Windows-1257 in Lithuania, Windows-1252 in Western Europe,
Shift-JIS in Japan. None of these files says which it is, and most bytes decode without error
in most code pages, so "it decoded" proves nothing. The rule (:func:`detect_encoding`):

1. **A byte-order mark** decides: UTF-8, UTF-16 or UTF-32.
2. **UTF-8** is checked over the *whole* file (streamed; ASCII chunks are skipped). A file that
   is valid UTF-8 is UTF-8. A file that is UTF-8 apart from a few stray bytes (a line pasted
   from another program) is refused with the line of the first stray byte: decoding it in
   another code page would garble every other non-ASCII character.
3. **Otherwise** every candidate code page (:data:`CANDIDATES`, plus charset-normalizer's own
   proposals) decodes a sample of the file (its head and the lines around the first non-UTF-8
   bytes). A candidate is *plausible* when its **language fit** is at least 0.9 (and, when
   several are, charset-normalizer's mess ratio is at most 0.2): the share of non-ASCII letters
   that sit in words written entirely in the alphabet of one language (Lithuanian "ąčęėįšųūž",
   Bulgarian Cyrillic, …; for Chinese, Japanese and Korean the share of characters among the
   most frequent ones of the script: GB2312 level 1, Big5 level 1, JIS level 1 plus kana,
   KS X 1001 Hangul). A wrong code page gives words that mix alphabets ("tikëtina" and
   "Ðiauliai" in the same file, "trиs") or rare ideographs.
4. Plausible candidates that decode the sample to the *same* text are one choice (German
   Windows-1252 and Windows-1250 agree on "ä ö ü ß"). If one choice is left, it is used and
   the result says which encoding that was. If several are left, the one whose header row
   contains a known header word with non-ASCII letters ("tikėtina", "推薦", "препоръчате") wins;
   failing that, the file is refused with the candidates, each with a word as it would read,
   and the ``--encoding`` flag to choose.

``encoding=`` overrides all this; bytes that are invalid in the encoding given are replaced by
"�" and the lines holding them are listed in a note.
"""

from __future__ import annotations

import codecs
import re
import sys
import unicodedata
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from nps_xl.errors import Message
from nps_xl.io._common import Joined, Note, SurveyFileError

__all__ = [
    "CANDIDATES",
    "HEADER_WORDS",
    "TextDecoding",
    "detect_encoding",
    "encoding_label",
    "language_fit",
]

#: Code pages tried when a file is not UTF-8, in order of preference among equal readings.
CANDIDATES = (
    "cp1252",  # Western Europe, the Americas (Excel's "CSV" on en/fr/de/es/pt/it/nl Windows)
    "latin-1",  # ISO-8859-1 (R, older Unix tools): cp1252 without its 0x80–0x9F symbols
    "cp1250",  # Central Europe: pl, cs, sk, hu, sl, hr, ro
    "cp1251",  # Cyrillic: bg, ru, uk, sr, mk
    "cp1257",  # Baltic: lt, lv, et
    "gb18030",  # Simplified Chinese (GBK and its extension)
    "cp950",  # Traditional Chinese (Big5 as Windows writes it)
    "cp932",  # Japanese (Shift-JIS as Windows writes it)
    "cp949",  # Korean (EUC-KR / Unified Hangul Code)
)

# What the result reports, and what users may pass back as encoding=.
_LABELS = {
    "utf-8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "utf-16": "utf-16",
    "utf-16-le": "utf-16-le",
    "utf-16-be": "utf-16-be",
    "utf-32": "utf-32",
    "cp1252": "windows-1252",
    "latin-1": "iso-8859-1",
    "iso8859-1": "iso-8859-1",
    "cp1250": "windows-1250",
    "cp1251": "windows-1251",
    "cp1257": "windows-1257",
    "gb18030": "gb18030",
    "cp950": "big5",
    "cp932": "shift_jis",
    "cp949": "euc-kr",
}
# Names people pass for encodings we decode with a Windows superset.
_SUPERSETS = {
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "big5": "cp950",
    "shift_jis": "cp932",
    "euc_kr": "cp949",
    "iso8859-1": "latin-1",
    "latin_1": "latin-1",
}
# The catalogue key of each reported name's description ("Windows-1257 (Baltic)").
_DESCRIPTIONS = {
    "windows-1252": "encoding_windows_1252",
    "iso-8859-1": "encoding_iso_8859_1",
    "windows-1250": "encoding_windows_1250",
    "windows-1251": "encoding_windows_1251",
    "windows-1257": "encoding_windows_1257",
    "gb18030": "encoding_gb18030",
    "big5": "encoding_big5",
    "shift_jis": "encoding_shift_jis",
    "euc-kr": "encoding_euc_kr",
}

_CHUNK = 4 * 1024 * 1024
_SAMPLE = 256 * 1024
#: A file with at least this many valid UTF-8 characters per invalid byte sequence is UTF-8
#: with stray bytes, not a file in another code page.
_UTF8_MAJORITY = 10
_PLAUSIBLE_FIT = 0.9
_MAX_JUNK = 0.1
_MAX_MESS = 0.2


@dataclass(frozen=True)
class TextDecoding:
    """How to decode a text file: ``codec`` for Python, ``name`` as reported to the user."""

    codec: str
    name: str
    errors: str = "strict"
    note: Note | None = None


def encoding_label(codec: str) -> str:
    """The reported name of a Python codec (``"cp1257"`` → ``"windows-1257"``)."""
    return _LABELS.get(codec, codec)


def describe(name: str) -> Message | str:
    """A reported name as the user reads it: ``"windows-1257"`` → ``Windows-1257 (Baltic)``
    (a :class:`~nps_xl.errors.Message`, in the reader's language), other names as they are."""
    key = _DESCRIPTIONS.get(name)
    return name if key is None else Message(key)


def _codec(name: str) -> str:
    """A Python codec for a user's encoding name; supersets for GBK, Big5, Shift-JIS, EUC-KR."""
    text = name.strip().lower().replace("_", "-")
    if text in ("latin-1", "latin1", "iso-8859-1", "l1"):
        return "latin-1"
    try:
        found = codecs.lookup(text).name
    except LookupError:
        raise SurveyFileError.from_key("error_unknown_encoding", name=name) from None
    found = _SUPERSETS.get(found, found)
    if found == "utf-8" and text in ("utf-8-sig", "utf8-sig"):
        return "utf-8-sig"
    return {"utf-8-sig": "utf-8-sig"}.get(found, found)


# ------------------------------------------------------------------------------------ entry


def detect_encoding(path: Path, head: bytes, *, encoding: str | None = None) -> TextDecoding:
    """The encoding of the text file ``path`` (``head``: its first bytes); see the module."""
    if encoding is not None:
        return _forced(path, _codec(encoding))
    bom = _bom(head)
    if bom:
        return TextDecoding(bom, encoding_label(bom))
    if _utf16_without_bom(head):
        codec = "utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"
        return TextDecoding(
            codec, codec, note=Note(None, "note_utf16_no_bom", encoding=codec.upper())
        )
    scan = _scan_utf8(path)
    if scan.ok:
        return TextDecoding("utf-8", "utf-8")
    if scan.valid >= _UTF8_MAJORITY * scan.bad_count:
        # UTF-8 with a few lines of another encoding: each such line read as it fits best
        return _with_stray_lines(path, TextDecoding("utf-8", "utf-8"))
    sample = _sample(path, head, scan.bad)
    return _with_stray_lines(path, _choose(path, sample))


def _with_stray_lines(path: Path, decoding: TextDecoding) -> TextDecoding:
    """``decoding``, or (when some lines read better in another encoding, or only with "�")
    a codec that reads each of those lines as :func:`nps_xl.io.stray.plan_lines` planned,
    with a note naming them."""
    from nps_xl.io.stray import plan_lines, register_plan, stray_note

    plan = plan_lines(path, decoding.codec)
    if plan.empty:
        return decoding
    return TextDecoding(
        register_plan(plan), decoding.name, note=stray_note(plan, describe(decoding.name))
    )


# ------------------------------------------------------------------------------------ BOM etc.


def _bom(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return "utf-32"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(head: bytes) -> bool:
    """ASCII-heavy UTF-16 without a BOM: zero bytes at every other position."""
    sample = head[: 4096 - 4096 % 2]
    if len(sample) < 8:
        return False
    odd, even = sample[1::2], sample[0::2]
    return (odd.count(0) >= 0.9 * len(odd) and even.count(0) < 0.1 * len(even)) or (
        even.count(0) >= 0.9 * len(even) and odd.count(0) < 0.1 * len(odd)
    )


def is_utf16_text(head: bytes) -> bool:
    return _bom(head) in ("utf-16", "utf-32") or _utf16_without_bom(head)


@dataclass
class _Utf8Scan:
    ok: bool
    valid: int = 0  # non-ASCII characters that were valid UTF-8
    bad: tuple[int, ...] = ()  # byte offsets of the first invalid sequences
    bad_count: int = 0


_LEADS = bytes(range(0xC0, 0x100))
_NOT_LEADS = bytes(range(0xC0))


#: From this size a file's non-ASCII chunks are validated by pyarrow even when pyarrow is not
#: imported yet: its UTF-8 check is ~6× faster than ``bytes.decode`` (0.015 s against
#: 0.085 s per 64 MB of a generated export), which pays for the import (~0.1 s).
_ARROW_CHECK_BYTES = 128 * 1024**2


def _utf8_check(size: int):
    """A function telling whether a block is valid UTF-8 (no text is built): pyarrow's
    validation where pyarrow is imported already or the file is big, else ``bytes.decode``."""
    if "pyarrow" in sys.modules or size >= _ARROW_CHECK_BYTES:
        try:
            import pyarrow as pa
        except ImportError:  # pragma: no cover - the engines' extra is not installed
            pass
        else:

            def arrow(block: bytes) -> bool:
                offsets = pa.array([0, len(block)], pa.int64()).buffers()[1]
                data = pa.py_buffer(block)  # no copy
                text = pa.Array.from_buffers(pa.large_string(), 1, [None, offsets, data])
                try:
                    text.validate(full=True)
                except pa.ArrowInvalid:
                    return False
                return True

            return arrow

    def decode(block: bytes) -> bool:
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    return decode


def _scan_utf8(path: Path, keep: int = 64, give_up: int = 2000) -> _Utf8Scan:
    """Validate the whole file as UTF-8, streamed. Fast when valid: pure-ASCII chunks are
    skipped and the others checked in C (:func:`_utf8_check`). On the first error, count
    valid characters and invalid sequences (up to ``give_up`` of them)."""
    valid_utf8 = _utf8_check(path.stat().st_size)
    with open(path, "rb") as fh:
        base, carry, failed = 0, b"", False
        valid, bad, bad_count = 0, [], 0
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            data = carry + chunk
            if not data:
                break
            cut = len(data) if final else _complete(data)
            block, carry = data[:cut], data[cut:]
            if not failed and (block.isascii() or valid_utf8(block)):
                base += len(block)
                if final:
                    break
                continue
            pos = 0
            while pos < len(block):
                try:
                    block[pos:].decode("utf-8")
                    if failed:
                        valid += len(block[pos:].translate(None, _NOT_LEADS))
                    pos = len(block)
                except UnicodeDecodeError as exc:
                    failed = True
                    valid += len(block[pos : pos + exc.start].translate(None, _NOT_LEADS))
                    bad_count += 1
                    if len(bad) < keep:
                        bad.append(base + pos + exc.start)
                    pos += max(exc.end, exc.start + 1)
                    if bad_count >= give_up:
                        return _Utf8Scan(False, valid, tuple(bad), bad_count)
            base += len(block)
            if final:
                break
    if not failed:
        return _Utf8Scan(True)
    return _Utf8Scan(False, valid, tuple(bad), bad_count)


def _complete(data: bytes) -> int:
    """Where to cut ``data`` so no UTF-8 sequence is split (the rest waits for the next read)."""
    for back in range(1, min(4, len(data)) + 1):
        b = data[-back]
        if b < 0x80:
            return len(data)
        if b >= 0xC0:
            need = 2 if b < 0xE0 else 3 if b < 0xF0 else 4
            return len(data) - back if need > back else len(data)
    return len(data)


def line_at(path: Path, offset: int) -> tuple[int, str]:
    """The 1-based line holding byte ``offset`` and a short look at the bytes there
    (``byte 0xD0 in '9,Ðiauliai'``)."""
    line, byte, shown = _stray(path, offset)
    return line, f"byte {byte} in {shown!r}"


def stray_message(path: Path, offset: int) -> Message:
    """Where byte ``offset`` is, for a message in the reader's language (``position_line_byte``:
    ``line 6002 (byte 0xD0 in '9,Ðiauliai')``)."""
    line, byte, shown = _stray(path, offset)
    return Message("position_line_byte", line=str(line), byte=byte, text=shown)


def _stray(path: Path, offset: int) -> tuple[int, str, str]:
    """The 1-based line holding byte ``offset``, that byte (``"0xD0"``) and the text around
    it."""
    line, start = 1, 0
    with open(path, "rb") as fh:
        pos = 0
        while pos < offset:
            chunk = fh.read(min(_CHUNK, offset - pos))
            if not chunk:
                break
            line += chunk.count(b"\n")
            nl = chunk.rfind(b"\n")
            if nl >= 0:
                start = pos + nl + 1
            pos += len(chunk)
        fh.seek(start)
        raw = fh.read(offset - start + 40).split(b"\n")[0]
    stray = raw[offset - start : offset - start + 1]
    shown = raw.decode("utf-8", "replace").strip()
    if len(shown) > 40:
        shown = shown[:39] + "…"
    return line, f"0x{stray.hex().upper()}", shown


def _forced(path: Path, codec: str) -> TextDecoding:
    """The caller's encoding, checked over the whole file; invalid bytes become "�"."""
    bad = invalid_offsets(path, codec)
    name = encoding_label(codec)
    if not bad:
        return TextDecoding(codec, name)
    lines = sorted({_stray(path, off)[0] for off in bad[:10]})
    count = f"{len(bad)}{'+' if len(bad) >= 1000 else ''}"
    listed = ", ".join(map(str, lines))
    shown = f"{listed}{' …' if len(bad) > 10 else ''}"
    where: Message = (
        Message("position_lines", lines=listed)
        if len(lines) > 1
        else Message("position_line", line=listed)
    )
    if len(bad) > 10:  # more bytes than the lines listed
        where = Joined(where, "…")
    return TextDecoding(
        codec,
        name,
        errors="replace",
        note=Note(
            f"{count} byte sequences are not valid {name} and were read as "
            f'"\ufffd" (line{"s" if len(lines) > 1 else ""} {shown}).',
            "note_bytes_replaced",
            count=count,
            encoding=name,
            lines=where,
        ),
    )


def invalid_offsets(path: Path, codec: str, limit: int = 1000) -> list[int]:
    """Byte offsets (approximate for multi-byte codecs) where ``codec`` fails, streamed."""
    decoder = codecs.getincrementaldecoder(codec)("strict")
    found: list[int] = []
    base = 0
    with open(path, "rb") as fh:
        while True:
            chunk = fh.read(_CHUNK)
            final = not chunk
            pos = 0
            while True:
                try:
                    decoder.decode(chunk[pos:], final=final)
                    break
                except UnicodeDecodeError as exc:
                    found.append(base + pos + max(exc.start, 0))
                    if len(found) >= limit:
                        return found
                    decoder.reset()
                    pos += max(exc.end, exc.start + 1, 1)
                    if pos >= len(chunk) and not final:
                        break
                    if final and pos >= len(chunk):
                        break
            base += len(chunk)
            if final:
                return found


# ------------------------------------------------------------------------------------ choosing


def _sample(path: Path, head: bytes, bad: tuple[int, ...]) -> bytes:
    """The head of the file plus the lines around its first non-UTF-8 bytes (a file can be
    ASCII for megabytes before its first accented name)."""
    sample = head[:_SAMPLE]
    if len(head) > _SAMPLE or (bad and bad[-1] >= len(sample)):
        with open(path, "rb") as fh:
            parts, seen = [sample], len(sample)
            for off in bad:
                if off < seen or sum(map(len, parts)) >= 2 * _SAMPLE:
                    continue
                fh.seek(max(off - 2048, 0))
                piece = fh.read(8192)
                start = piece.find(b"\n") + 1
                end = piece.rfind(b"\n")
                parts.append(piece[start:end] if end > start else piece)
                seen = off + 6144
            sample = b"\n".join(parts)
    # never judge a multi-byte character cut at the end of the sample
    if len(sample) >= _SAMPLE and b"\n" in sample:
        sample = sample[: sample.rfind(b"\n")]
    return sample


@dataclass
class _Reading:
    codec: str
    text: str
    fit: float
    language: str | None
    junk: float
    header_words: int
    strict: bool = True  # False: a few bytes are no character of the code page


def _choose(path: Path, sample: bytes, *, again: bool = True) -> TextDecoding:
    readings = [r for r in (_read_as(c, sample) for c in CANDIDATES) if r is not None]
    plausible = [r for r in readings if r.fit >= _PLAUSIBLE_FIT and r.junk <= _MAX_JUNK]
    if not plausible:
        # none of the code pages of our users' machines fits: charset-normalizer's proposals
        extra = [r for r in (_read_as(c, sample) for c in _proposals(sample)) if r is not None]
        readings += extra
        plausible = [r for r in extra if r.fit >= _PLAUSIBLE_FIT and r.junk <= _MAX_JUNK]
    plausible = _coherent(sample, plausible)
    if any(r.strict for r in plausible):  # a code page that reads every byte comes first
        plausible = [r for r in plausible if r.strict]
    # one choice per distinct reading; the first candidate in preference order names it
    choices: dict[str, _Reading] = {}
    for r in plausible:
        choices.setdefault(r.text, r)
    picked = list(choices.values())
    if len(picked) > 1:
        best = max(r.header_words for r in picked)
        if best > 0 and sum(r.header_words == best for r in picked) == 1:
            picked = [r for r in picked if r.header_words == best]
    if len(picked) > 1 and again:
        # readings that differ on a few lines only (a DOS code page's names in a Windows-1252
        # file): the encoding of the others decides; those lines are read on their own
        # (nps_xl.io.stray)
        contested = _contested_lines([r.text for r in picked])
        lines = sample.split(b"\n")
        rest = b"\n".join(x for i, x in enumerate(lines) if i not in contested)
        if 0 < len(contested) <= len(lines) // 20 and not rest.isascii():
            return _choose(path, rest, again=False)  # decided on the other lines' evidence
    if len(picked) == 1:
        r = picked[0]
        name = encoding_label(r.codec)
        return TextDecoding(
            r.codec, name, note=Note(None, "note_encoding_used", encoding=describe(name))
        )
    # latin-1 decodes any bytes, so there is always a reading to show
    shown = (
        picked or list({r.text: r for r in sorted(readings, key=lambda r: r.fit)}.values())[:-4:-1]
    )
    options = "; ".join(
        f"{encoding_label(r.codec)} ({_example(r.text, [o.text for o in shown])!r})" for r in shown
    )
    # several readings fit the language of the file, or none does
    key = "error_file_encoding_uncertain" if picked else "error_file_encoding"
    raise SurveyFileError.from_key(key, name=path.name, options=options)


def _contested_lines(texts: list[str]) -> set[int]:
    """The 0-based lines on which the decoded ``texts`` of one sample disagree."""
    split = [t.split("\n") for t in texts]
    if len({len(s) for s in split}) > 1:
        return set()
    return {i for i, line in enumerate(zip(*split, strict=True)) if len(set(line)) > 1}


def _proposals(sample: bytes) -> list[str]:
    """charset-normalizer's best guesses that are not among :data:`CANDIDATES`."""
    found: list[str] = []
    known = {codecs.lookup(c).name for c in CANDIDATES}
    try:
        from charset_normalizer import from_bytes

        for match in list(from_bytes(sample[:65536]))[:3]:
            for name in match.could_be_from_charset[:2]:
                try:
                    codec = _SUPERSETS.get(codecs.lookup(name).name, codecs.lookup(name).name)
                except LookupError:
                    continue
                if codec.startswith(("utf", "ascii")) or codecs.lookup(codec).name in known:
                    continue
                if codec not in found:
                    found.append(codec)
    except Exception:
        pass
    return found


def _coherent(sample: bytes, readings: list[_Reading]) -> list[_Reading]:
    """Drop readings charset-normalizer finds messy (symbols inside words, odd case changes,
    unprintable characters): its mess ratio above 0.2."""
    if len(readings) <= 1:
        return readings
    try:
        from charset_normalizer import from_bytes

        keep = []
        for r in readings:
            matches = from_bytes(sample[:65536], cp_isolation=[r.codec], threshold=_MAX_MESS)
            best = matches.best()
            if best is None or best.chaos <= _MAX_MESS:
                keep.append(r)
        return keep or readings
    except Exception:
        return readings


def _example(text: str, others: list[str]) -> str:
    """A word of ``text`` that reads differently in the other readings."""
    words = _WORD.findall(text)
    other_words = [set(_WORD.findall(o)) for o in others if o is not text]
    for w in words:
        if not w.isascii() and all(w not in ow for ow in other_words):
            return w[:30]
    for w in words:
        if not w.isascii():
            return w[:30]
    return text.strip()[:30]


#: A code page may fail on at most one byte sequence per this many non-ASCII characters and
#: still be the file's encoding (those lines are read by :mod:`nps_xl.io.stray`).
_STRAY_SHARE = 50


def _read_as(codec: str, sample: bytes) -> _Reading | None:
    stray = 0
    try:
        text = sample.decode(codec)
    except LookupError:
        return None
    except UnicodeDecodeError:
        # a few bytes that are no character in this code page (0x98 in Windows-1251)
        text = sample.decode(codec, "replace")
        stray = text.count("\ufffd") or 1
        if stray * _STRAY_SHARE > sum(1 for ch in text if not ch.isascii()) - stray:
            return None
        text = text.replace("\ufffd", "")
    fit, language, junk = language_fit(text)
    header = text.split("\n", 1)[0]
    strict = "\ufffd" not in text and stray == 0
    return _Reading(codec, text, fit, language, junk, known_header_words(header), strict)


# ------------------------------------------------------------------------------- language fit

# Non-ASCII letters of each alphabet-written language (lower case). A word fits a language when
# all its letters belong to it (ASCII letters too for Latin-script languages).
_LATIN = {
    "lt": "ąčęėįšųūž",
    "lv": "āčēģīķļņšūž",
    "et": "äöõüšž",
    "pl": "ąćęłńóśźż",
    "cs": "áčďéěíňóřšťúůýž",
    "sk": "áäčďéíĺľňóôŕšťúýž",
    "hr": "čćđšž",
    "sl": "čšž",
    "hu": "áéíóöőúüű",
    "ro": "ăâîșşțţ",
    "de": "äöüß",
    "fr": "àâæçéèêëîïôœùûüÿ",
    "es": "áéíñóúü",
    "pt": "áàâãçéêíóôõú",
    "it": "àèéìíîòóùú",
    "nl": "áéëïóöüèà",
    "ca": "àçèéíïòóú·",
    "da": "æøåé",
    "sv": "åäöé",
    "fi": "äöå",
    "is": "áðéíóúýþæö",
    "tr": "çğıöşüâî",
    "sq": "çë",
}
_CYRILLIC = {
    "bg": "абвгдежзийклмнопрстуфхцчшщъьюя",
    "ru": "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
    "uk": "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя",
    "sr": "абвгдђежзијклљмнњопрстћуфхцчџш",
    "mk": "абвгдѓежзѕијклљмнњопрстќуфхцчџш",
    "be": "абвгдеёжзйіклмнопрстуўфхцчшыьэюя",
}
_OTHER_SCRIPTS = {"el": "GREEK", "he": "HEBREW", "ar": "ARABIC", "th": "THAI"}
# Typographic punctuation that may stand next to letters in any language.
_NEUTRAL = set("‘’‚“”„«»‹›–—…·•°€£¥§©®™×÷±²³½¼¾¿¡№\u00a0\u00ad\u200b\u2009\u202f")
_INSIDE_WORDS = set("’·\u00ad\u2011")  # l’école, col·lecció, soft and non-breaking hyphens
_WORD = re.compile(r"[^\s\d!-/:-@\[-`{-~]+")


@lru_cache(maxsize=65536)
def _cjk(ch: str) -> str | None:
    """Which CJK language ``ch`` is frequent in ("zh-Hans", "zh-Hant", "ja", "ko" flags)."""
    o = ord(ch)
    if 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF65:
        return "punct"
    flags = []
    if 0x3040 <= o <= 0x30FF:
        return "ja"
    if 0xAC00 <= o <= 0xD7A3:
        try:
            b = ch.encode("euc_kr")
            return "ko" if 0xB0 <= b[0] <= 0xC8 else "ko-rare"
        except UnicodeEncodeError:
            return "ko-rare"
    if not (0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF):
        return None
    try:
        b = ch.encode("gb2312")
        if 0xB0 <= b[0] <= 0xD7:
            flags.append("zh-Hans")
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("big5")
        code = b[0] << 8 | b[1]
        if 0xA440 <= code <= 0xC67E:
            flags.append("zh-Hant")
    except UnicodeEncodeError:
        pass
    try:
        b = ch.encode("shift_jis")
        code = b[0] << 8 | b[1]
        if 0x889F <= code <= 0x9872:
            flags.append("ja")
    except UnicodeEncodeError:
        pass
    return " ".join(flags) or "han-rare"


@lru_cache(maxsize=4096)
def _script(ch: str) -> str | None:
    name = unicodedata.name(ch, "")
    for lang, word in _OTHER_SCRIPTS.items():
        if name.startswith(word):
            return lang
    return None


def language_fit(text: str) -> tuple[float, str | None, float]:
    """(fit, language, junk) of decoded text; see the module docstring.

    ``fit`` is the largest share of non-ASCII letters that fit one language; ``junk`` the share
    of non-ASCII characters that are neither letters nor common typography (control
    characters, box drawing, stray symbols inside words).
    """
    per_language: Counter[str] = Counter()
    letters_total = 0
    non_ascii = 0
    junk = 0
    latin_sets = {k: set(v) for k, v in _LATIN.items()}
    cyr_sets = {k: set(v) for k, v in _CYRILLIC.items()}
    for word in _WORD.findall(text):
        if word.isascii():
            continue
        lower = word.lower()
        letters = [c for c in lower if not c.isascii() and c.isalpha()]
        others = [c for c in lower if not c.isascii() and not c.isalpha()]
        non_ascii += len(letters) + len(others)
        # typography may stand around a word ("«word»", "word…"), not inside it ("f³r")
        inner = lower.strip("".join(_NEUTRAL)) if letters else ""
        bad_symbols = [
            c
            for c in others
            if _cjk(c) != "punct" and (c not in _NEUTRAL or (c in inner and c not in _INSIDE_WORDS))
        ]
        junk += len(bad_symbols)
        if not letters:
            continue
        letters_total += len(letters)
        if bad_symbols:
            continue
        has_ascii_letters = any(c.isascii() and c.isalpha() for c in lower)
        kinds = {_cjk(c) for c in letters}
        if kinds - {None}:
            # CJK: count the letters that are frequent in each language
            for lang in ("zh-Hans", "zh-Hant", "ja", "ko"):
                per_language[lang] += sum(
                    1 for c in letters if (k := _cjk(c)) is not None and lang in k.split()
                )
            continue
        letter_set = set(letters)
        for lang, alphabet in latin_sets.items():
            if letter_set <= alphabet:
                per_language[lang] += len(letters)
        if not has_ascii_letters:
            for lang, alphabet in cyr_sets.items():
                if letter_set <= alphabet:
                    per_language[lang] += len(letters)
            scripts = {_script(c) for c in letter_set}
            if len(scripts) == 1 and None not in scripts:
                per_language[scripts.pop()] += len(letters)
    junk_share = junk / non_ascii if non_ascii else 0.0
    if letters_total == 0:
        return 1.0, None, junk_share
    language, fitting = per_language.most_common(1)[0] if per_language else (None, 0)
    return fitting / letters_total, language, junk_share


# --------------------------------------------------------------------------- header vocabulary

# Header words with non-ASCII letters, as survey tools and people write them: a decoding that
# reproduces one of them in the header row is the right one among otherwise equal readings.
HEADER_WORDS = tuple(
    """
    推荐 推薦 评分 評分 原因 意见 意見 评论 評論 日期 时间 時間 地区 地區 编号 編號 客户 客戶
    可能性 建议 建議 满意 滿意 提交 回复 回覆 城市 门店 門市 渠道 产品 產品 分数 分數 理由
    勧め 薦め すすめ おすすめ 推奨 日付 地域 回答 コメント 추천 이유 의견 날짜 지역 응답 점수
    tikėtina rekomenduotumėte rekomenduoti kodėl priežastis įvertinimas atsiliepimas
    komentaras miestas šalis regionas klientas apklausos balas препоръчате препоръча
    препоръчали вероятно защо коментар причина дата град регион оценка клиент отговор
    рекомендовать порекомендуете порекомендовать почему комментарий рекомендуете probabilidade
    recomendaria comentário região razão avaliação respostas cliente probabilidad recomendaría
    recomendarías comentario razón región puntuación recommanderiez recommanderiez-vous
    probabilité commentaire région réponse weiterempfehlen wahrscheinlich begründung grund
    warum größe kunde perché raccomanderesti consiglieresti probabilità città waarschijnlijk
    aanbevelen opmerking waarom prawdopodobne polecisz poleciłbyś poleciłabyś dlaczego ocenę
    ocena uzasadnienie miasto województwo
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_HEADER_WORD_SET = frozenset(w.casefold() for w in HEADER_WORDS)


def known_header_words(header: str) -> int:
    """How many known header words (:data:`HEADER_WORDS`) with non-ASCII letters ``header``
    holds."""
    text = unicodedata.normalize("NFKC", header).casefold()
    count = 0
    for w in _HEADER_WORD_SET:
        if not w.isascii() and w in text:
            count += 1
    return count
