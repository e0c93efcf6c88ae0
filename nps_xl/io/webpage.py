"""A web page saved under a spreadsheet's name: the HTML ``<table>`` that CRMs, survey tools
and banks export as ``.xls`` (also ``.xlsx`` or ``.csv``), read as the table it holds.

The page is recognised by its first bytes (:func:`is_web_page`), not its name. Its declared
charset (``<meta charset>`` or ``http-equiv``) is respected. Of several tables (layout tables,
a title table) the reader keeps the one whose column holds the score; headers come from the
table's first row (``<th>`` or ``<td>``), a header cell spanning several columns names each
of them. Rows are numbered as the table shows them: the header is row 1.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from nps_xl.io._common import Message, SurveyFileError

__all__ = ["MAX_WEB_PAGE_BYTES", "is_web_page", "web_page_tables"]

MAX_WEB_PAGE_BYTES = 256 * 1024**2  # a page larger than this is refused, not parsed
_STARTS = (b"<html", b"<!doctype html", b"<table", b"<head", b"<body", b"<meta")
_OFFICE_HTML = b"urn:schemas-microsoft-com:office:excel"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"\s+")


def _ascii_head(head: bytes) -> bytes:
    """The first bytes as ASCII-compatible text: a BOM removed, UTF-16 decoded, lower case,
    leading whitespace and comments stripped."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        head = head[:4096].decode("utf-16", "ignore").encode("ascii", "ignore")
    head = head.removeprefix(b"\xef\xbb\xbf").lstrip().lower()
    while head.startswith((b"<?xml", b"<!--")):
        end = head.find(b"?>" if head.startswith(b"<?") else b"-->")
        if end < 0:
            break
        head = head[end + (2 if head.startswith(b"<?") else 3) :].lstrip()
    return head


def is_web_page(head: bytes) -> bool:
    """Whether the first bytes of a file are those of an HTML page (any case, after a BOM,
    whitespace, an XML declaration or a comment), Microsoft Office's HTML flavour included."""
    text = _ascii_head(head)
    return text.startswith(_STARTS) or (_OFFICE_HTML in head[:8192] and b"<html" in text[:8192])


def _declared_codec(data: bytes) -> str:
    """The codec the page declares in its first 8 KB (a BOM first), UTF-8 otherwise."""
    import codecs

    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    found = _CHARSET.search(data[:8192])
    if found:
        try:
            return codecs.lookup(found.group(1).decode("ascii")).name
        except LookupError:
            pass
    return "utf-8"


def _cell_text(cell) -> str:
    """A cell's text as a person reads it: ``<br>`` and ``&nbsp;`` as spaces, runs of
    whitespace as one space."""
    for br in cell.iter("br"):
        br.tail = " " + (br.tail or "")
    return _SPACES.sub(" ", "".join(cell.itertext()).replace("\xa0", " ")).strip()


def _table_rows(table) -> list[list[str]]:
    """The rows of one table (not of the tables nested in it), a cell spanning several
    columns repeated in each of them."""
    rows = []
    for tr in table.xpath("./tr|./thead/tr|./tbody/tr|./tfoot/tr"):
        row = []
        for cell in tr.xpath("./td|./th"):
            text = _cell_text(cell)
            span = cell.get("colspan", "1").strip()
            width = min(int(span), 1000) if span.isdigit() and int(span) > 0 else 1
            row.extend([text] * width)
        rows.append(row)
    return rows


def _parse(path: Path):
    """The page's element tree; the file's size is checked before it is read."""
    from lxml import html

    if path.stat().st_size > MAX_WEB_PAGE_BYTES:
        raise SurveyFileError.from_key(
            "error_web_page_too_big", name=path.name, limit=f"{MAX_WEB_PAGE_BYTES // 1024**2}"
        )
    data = path.read_bytes()
    text = data.decode(_declared_codec(data), "replace").lstrip("\ufeff")
    text = re.sub(r"^\s*<\?xml[^>]*\?>", "", text)  # lxml refuses a declaration in a str
    parser = html.HTMLParser(huge_tree=False, no_network=True, remove_comments=True)
    return html.document_fromstring(text or "<html></html>", parser=parser)


def _frame(rows: list[list[str]]) -> tuple[list[str], pd.DataFrame] | None:
    """The header (the first non-empty row) and the answers below it, indexed by table row
    (the header is row 1); ``None`` for a table without a row of answers."""
    while rows and not any(rows[0]):
        rows = rows[1:]
    if len(rows) < 2:
        return None
    header, body = rows[0], rows[1:]
    width = max(len(r) for r in rows)
    header = header + [""] * (width - len(header))
    body = [r + [""] * (width - len(r)) for r in body]
    frame = pd.DataFrame(body, columns=range(width), dtype=object)
    frame.index = pd.RangeIndex(2, 2 + len(frame), name="row")
    frame = frame.loc[(frame != "").any(axis=1)]
    return (header, frame) if len(frame) else None


def _numbers(frame: pd.DataFrame) -> pd.DataFrame:
    """Columns whose every filled cell is a number read as numbers, as a workbook gives them."""
    out = {}
    for col in frame.columns:
        text = frame[col].where(frame[col] != "")
        numbers = pd.to_numeric(text, errors="coerce")
        out[col] = numbers if numbers.notna().sum() == text.notna().sum() else text
    return pd.DataFrame(out, index=frame.index)


def web_page_tables(path: Path) -> list[tuple[list[str], pd.DataFrame]]:
    """Every table of the page at ``path`` that has a header and answers below it, in page
    order: its header cells and its cells (numbers as numbers, empty cells missing), indexed
    by table row. A page without one is refused with the one-line web-page message."""
    tables = []
    for table in _parse(path).iter("table"):
        found = _frame(_table_rows(table))
        if found is not None:
            tables.append((found[0], _numbers(found[1])))
    if not tables:
        raise SurveyFileError.from_key("error_web_page_no_table", name=path.name)
    return tables


def pick_table(
    tables: list[tuple[list[str], pd.DataFrame]], holds_score: Callable[[pd.DataFrame], bool]
) -> int:
    """The position of the first table whose columns hold the score, else of the largest."""
    for i, (_, frame) in enumerate(tables):
        if holds_score(frame):
            return i
    return max(range(len(tables)), key=lambda i: tables[i][1].size)


def note_table(position: int, count: int) -> Message | None:
    """Which table of several was read (1-based), for the notes."""
    if count < 2:
        return None
    return Message("note_web_page_table", table=str(position + 1), tables=str(count))
