"""User text into XlsxWriter cells, so that Excel shows exactly that text.

What XlsxWriter does not do for arbitrary text:

* It takes every string that starts with ``<r>`` and ends with ``</r>`` for a rich string it
  built itself and writes it into the file unescaped (``xl/sharedStrings.xml``, or the sheet in
  constant_memory mode). A comment ``<r>a & b</r>`` makes the part malformed, ``<r>x</r>``
  breaks the schema (Excel offers to "repair" the file) and ``<r><t>hi</t></r>`` shows "hi".
  :func:`write_text` writes such text as rich-text runs it escapes itself, so the cell shows
  the same characters. (``write_rich_string`` with plain fragments is no way out:
  XlsxWriter escapes ``_xHHHH_`` and control characters in each fragment and then again in
  the whole string, so those would show as ``_x005F_…`` text.)
* Excel reads ``_xHHHH_`` in text as an escaped character, so a literal ``_x0041_`` must be
  written ``_x005F_x0041_``. XlsxWriter escapes only non-overlapping occurrences: text such as
  ``_x0041_x0042_`` would show as ``_x0041B``. Such text is written as runs split inside
  every ``_xHHHH_``, which Excel reads literally.
* It cuts text over Excel's 32,767 characters per cell without a word. :func:`excel_text`
  cuts visibly: the kept text ends in :data:`CUT_MARK` and a :class:`TextCutWarning` names
  the sheet and the first cell.

:class:`TextWorksheet` sends every ``write_string`` of a sheet (and what is built on it:
``write``, ``add_table``'s header cells) through :func:`write_text`. :func:`unique_headers`
and :func:`xstring` make Table column names Excel accepts.
"""

from __future__ import annotations

import itertools
import re
import warnings
from collections.abc import Sequence

from xlsxwriter.utility import xl_rowcol_to_cell
from xlsxwriter.worksheet import Worksheet

#: Characters (UTF-16 code units) Excel keeps in one cell: Microsoft, "Excel specifications
#: and limits" ("Total number of characters that a cell can contain: 32,767").
EXCEL_MAX_TEXT = 32_767
#: Ends text that was cut to :data:`EXCEL_MAX_TEXT` (language-neutral: "text left out").
CUT_MARK = "[…]"
#: Characters of a Table column name (Excel refuses longer headers in the Table UI).
EXCEL_MAX_HEADER = 255

_PLAIN_WRITE = Worksheet._write_string  # XlsxWriter's own, used once a string is safe
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
_ESCAPE_LIKE = re.compile("(?=_x[0-9A-Fa-f]{4}_)")  # every start, overlapping ones too
_OVERLAPPING = re.compile("_x[0-9A-Fa-f]{4}_x[0-9A-Fa-f]{4}_")
_XSTRING_UNDERSCORE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")
_XSTRING_CONTROL = re.compile("[\x00-\x1f\ufffe\uffff]")


class TextCutWarning(UserWarning):
    """Text longer than Excel's 32,767 characters per cell was cut."""


def utf16_len(text: str) -> int:
    """Length as Excel counts it (UTF-16 code units: an emoji counts two)."""
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def excel_text(text: str) -> str:
    """``text`` as one Excel cell can hold it: unchanged up to 32,767 UTF-16 units, otherwise
    the first ones (never half a surrogate pair) followed by :data:`CUT_MARK`, 32,767 in all.

    >>> excel_text("short")
    'short'
    >>> cut = excel_text("x" * 40_000)
    >>> len(cut), cut[-4:]
    (32767, 'x[…]')
    """
    if len(text) <= EXCEL_MAX_TEXT // 2 or utf16_len(text) <= EXCEL_MAX_TEXT:
        return text
    units = text.encode("utf-16-le", "surrogatepass")[: 2 * (EXCEL_MAX_TEXT - len(CUT_MARK))]
    if 0xD8 <= units[-1] <= 0xDB:  # a high surrogate whose partner was cut off
        units = units[:-2]
    return units.decode("utf-16-le", "surrogatepass") + CUT_MARK


def looks_prebuilt(text: str) -> bool:
    """Whether XlsxWriter would take ``text`` for one of its pre-built rich strings."""
    return text.startswith("<r>") and text.endswith("</r>")


def needs_runs(text: str) -> bool:
    """Whether XlsxWriter's own escaping would change what Excel shows: a pre-built rich
    string lookalike, or overlapping ``_xHHHH_`` sequences."""
    return looks_prebuilt(text) or ("_x" in text and _OVERLAPPING.search(text) is not None)


def write_text(ws: Worksheet, row: int, col: int, text: str, cell_format=None) -> int:
    """Write ``text`` so that Excel shows exactly these characters (cut to 32,767, see
    :func:`excel_text`). Returns XlsxWriter's status (0: written)."""
    safe = excel_text(text)
    if safe is not text:
        _warn_cut(ws, row, col, text)
    if needs_runs(safe):
        runs = _escaped_runs(safe)
        if utf16_len(runs) <= EXCEL_MAX_TEXT:
            return _PLAIN_WRITE(ws, row, col, runs, cell_format)
        # the escaped run is too long for XlsxWriter's length check: plain fragments
        # instead (exact unless the text also holds control characters, see module doc)
        parts = _fragments(safe)
        fmt = [] if cell_format is None else [cell_format]
        return ws.write_rich_string(row, col, *parts, *fmt)
    return _PLAIN_WRITE(ws, row, col, safe, cell_format)


def _escaped_runs(text: str) -> str:
    """``<r><t>…</t></r>`` runs holding ``text``, split inside every ``_xHHHH_`` sequence (so
    none is read as an escape), with ``& < >`` escaped here; XlsxWriter then escapes control
    characters of the whole string, as for any text. Runs without ``<rPr>`` take the cell's
    font."""
    return "".join(
        f'<r><t xml:space="preserve">{piece.translate(_XML_ESCAPES)}</t></r>'
        for piece in _pieces(text, ())
    )


def _fragments(text: str) -> list[str]:
    """Pieces of ``text`` for ``write_rich_string``: split after ``<`` and ``r`` (no piece is
    a pre-built string; three pieces, the least it takes without a cell format) and inside
    every ``_xHHHH_``-like sequence (XlsxWriter would escape it twice)."""
    return _pieces(text, (1, 2))


def _pieces(text: str, cuts: tuple[int, ...]) -> list[str]:
    """``text`` cut at ``cuts`` and two characters into every ``_xHHHH_`` sequence."""
    at = set(cuts) | {m.start() + 2 for m in _ESCAPE_LIKE.finditer(text)}
    bounds = [0, *sorted(c for c in at if 0 < c < len(text)), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(bounds)]


def _warn_cut(ws: Worksheet, row: int, col: int, text: str) -> None:
    if getattr(ws, "_nps_text_cut", False):  # once per sheet: a column of long texts
        return
    ws._nps_text_cut = True
    warnings.warn(
        f"Text of {utf16_len(text):,} characters in sheet {ws.name!r}, cell "
        f"{xl_rowcol_to_cell(row, col)}, was cut to Excel's limit of {EXCEL_MAX_TEXT:,} "
        f"characters per cell; cut cells end in {CUT_MARK}. The full text stays in your data.",
        TextCutWarning,
        stacklevel=3,
    )


class TextWorksheet(Worksheet):
    """A worksheet whose ``write_string`` — and ``write`` and ``add_table``'s header cells,
    which call it — shows user text exactly (:func:`write_text`). Pass it to
    ``Workbook.add_worksheet(name, worksheet_class=TextWorksheet)``."""

    def _write_string(self, row, col, string, cell_format=None):
        return write_text(self, row, col, string, cell_format)


def xstring(text: str) -> str:
    """``text`` in ST_Xstring form (ECMA-376 Part 1, 22.9.2.19), for XML attributes that
    XlsxWriter writes unescaped, such as Table column names: control characters, U+FFFE/FFFF
    and literal ``_xHHHH_`` become ``_xHHHH_`` escapes, which Excel decodes when it reads.

    >>> xstring("a_x0041_b"), xstring("_x0041_x0042_"), xstring("line\\nbreak")
    ('a_x005F_x0041_b', '_x005F_x0041_x005F_x0042_', 'line_x000A_break')
    """
    text = _XSTRING_UNDERSCORE.sub("_x005F_", text)  # every "_" that starts an escape
    return _XSTRING_CONTROL.sub(lambda m: f"_x{ord(m.group()):04X}_", text)


def unique_headers(headers: Sequence[object]) -> list[str]:
    """Table column names Excel accepts, in order: text of at most 255 characters, never
    empty (``Column3``, as Excel names it), and unique case-insensitively — Excel compares
    column names without case, so the second ``Region``/``REGION`` becomes ``REGION (2)``
    (the next free number). The first of equal names keeps its name.

    >>> unique_headers(["Score", "Region", "REGION", "score", "", "Region (2)"])
    ['Score', 'Region', 'REGION (3)', 'score (2)', 'Column5', 'Region (2)']
    """
    names = []
    for i, header in enumerate(headers):
        name = "" if header is None else str(header)
        names.append(name[:EXCEL_MAX_HEADER] if name else f"Column{i + 1}")
    taken: set[str] = set()
    first = []
    for name in names:
        first.append(name.casefold() not in taken)
        taken.add(name.casefold())
    out = []
    for name, keep in zip(names, first, strict=True):
        if keep:
            out.append(name)
            continue
        k = 2
        while True:
            suffix = f" ({k})"
            candidate = name[: EXCEL_MAX_HEADER - len(suffix)] + suffix
            if candidate.casefold() not in taken:
                break
            k += 1
        taken.add(candidate.casefold())
        out.append(candidate)
    return out
