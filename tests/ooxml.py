"""Checks that stand in for Excel: what real Excel refuses or "repairs" that LibreOffice forgives.

No Excel runs in CI, so the packages we write are checked against what Excel is documented (or
known) to enforce when it opens a file:

* every XML part is well formed and valid against the ECMA-376 transitional schemas
  (``shared/ooxml-schemas/`` beside the repository, see its README), after markup
  compatibility is applied as Excel applies it: attributes and elements of ``mc:Ignorable``
  namespaces dropped, ``mc:AlternateContent`` replaced by its ``mc:Fallback``; and an
  ``mc:AlternateContent`` whose ``mc:Choice`` is empty is reported;
* the package: a content type for every part, relationship targets that exist, unique ids;
* SpreadsheetML rules the schema cannot express: shared-string ``count``/``uniqueCount``
  right and indices in range, rows and cells in ascending order, style indices in range,
  cell text of at most 32,767 characters, unique sheet and table names, table column names
  unique case-insensitively and equal to their header cells, tables that do not overlap each
  other or a sheet's AutoFilter, valid defined names that point at existing sheets, number
  formats without unquoted non-ASCII literals, data-validation texts within Excel's lengths;
* the ribbon: every callback in ``customUI`` names a ``Sub`` of the add-in's VBA project
  (read with oletools' olevba).

``package_problems(path)`` returns every finding as one readable line; tests assert it is empty.
Text of ``<t>``, ``<v>`` and ``name`` attributes is compared after ST_Xstring decoding
(``_x0041_`` is "A"), as Excel reads it.
"""

from __future__ import annotations

import functools
import os
import posixpath
import re
import warnings
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

ROOT = Path(__file__).resolve().parent.parent
#: CI lays shared/ beside the repository; this variable may point elsewhere.
SCHEMA_ENV = "NPS_XL_OOXML_SCHEMAS"

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
CONTENT_TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
CHART = "http://schemas.openxmlformats.org/drawingml/2006/chart"
XML_NS = "http://www.w3.org/XML/1998/namespace"
CUSTOM_UI = (
    "http://schemas.microsoft.com/office/2006/01/customui",
    "http://schemas.microsoft.com/office/2009/07/customui",
)

#: Schema file per root-element namespace (README of shared/ooxml-schemas).
SCHEMAS = {
    MAIN: "sml.xsd",
    CHART: "dml-chart.xsd",
    "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing": (
        "dml-spreadsheetDrawing.xsd"
    ),
    "http://schemas.openxmlformats.org/drawingml/2006/main": "dml-main.xsd",  # a:theme
    CONTENT_TYPES: "opc-contentTypes.xsd",
    PKG_REL: "opc-relationships.xsd",
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "opc-coreProperties.xsd"
    ),
    "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties": (
        "shared-documentPropertiesExtended.xsd"
    ),
}
#: Elements of ECMA-376 1st edition that Excel still writes but the ISO/IEC 29500 schemas here
#: dropped: ``cp:contentType`` (Excel-saved core properties, e.g. xlwings' add-in template).
ECMA_FIRST_EDITION_ONLY = {
    "http://schemas.openxmlformats.org/package/2006/metadata/core-properties": (
        "{http://schemas.openxmlformats.org/package/2006/metadata/core-properties}contentType",
    ),
}
#: Root namespaces of XML parts no ECMA-376 schema covers: checked for well-formedness and by
#: the rules below. Any other namespace is reported, so a new kind of part cannot slip through.
WITHOUT_SCHEMA = {
    CUSTOM_UI[0]: "ribbon (Office 2007 customUI)",
    CUSTOM_UI[1]: "ribbon (Office 2010 customUI)",
    "": "VML drawing (legacy, cell notes)",
    "urn:schemas-microsoft-com:vml": "VML drawing (legacy, cell notes)",
    # Office add-in parts ([MS-OWEXML], not ECMA-376): checked in tests/test_lite_workbook.py
    "http://schemas.microsoft.com/office/webextensions/webextension/2010/11": "Office add-in",
    "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11": "add-in task panes",
}

EXCEL_MAX_ROWS, EXCEL_MAX_COLS = 1_048_576, 16_384
EXCEL_MAX_TEXT = 32_767  # characters (UTF-16 units) in a cell: Excel specifications and limits
EXCEL_MAX_FORMULA = 8_192  # characters of a formula
_FORBIDDEN_IN_SHEET_NAMES = set("[]:*?/\\")
_XSTRING = re.compile("_x([0-9A-Fa-f]{4})_")
_CELL = re.compile(r"^([A-Z]{1,3})(\d+)$")
_RANGE = re.compile(r"^\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?$")
_SAFE = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=True)


class SchemasMissing(RuntimeError):
    """The ECMA-376 schema folder is not where CI puts it."""


def schema_dir() -> Path:
    """``<repo>/../shared/ooxml-schemas`` (or ``$NPS_XL_OOXML_SCHEMAS``); raises if absent."""
    env = os.environ.get(SCHEMA_ENV)
    folder = Path(env) if env else ROOT.parent / "shared" / "ooxml-schemas"
    if not (folder / "sml.xsd").is_file():
        raise SchemasMissing(
            f"The ECMA-376 schemas are not in {folder}. The Excel-fidelity checks need them: "
            "put the shared/ folder beside the repository (shared/ooxml-schemas/sml.xsd) or "
            f"set {SCHEMA_ENV} to a folder that holds them."
        )
    return folder


@functools.cache
def schema(filename: str) -> etree.XMLSchema:
    """The compiled schema (once per test session)."""
    return etree.XMLSchema(etree.parse(str(schema_dir() / filename), _SAFE))


def xstring(text: str | None) -> str:
    """Decode ST_Xstring escapes as Excel does: ``_x0041_`` → "A", ``_x005F_x0041_`` → "_x0041_"."""
    return _XSTRING.sub(lambda m: chr(int(m.group(1), 16)), text or "")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def col_index(letters: str) -> int:
    """``A`` → 1, ``XFD`` → 16384."""
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def cell_key(ref: str) -> tuple[int, int]:
    """``B5`` → (5, 2), 1-based (row, column)."""
    m = _CELL.match(ref.replace("$", ""))
    return int(m.group(2)), col_index(m.group(1))


def parse_range(ref: str) -> tuple[int, int, int, int]:
    """``A1:C5`` → (first row, first col, last row, last col), 1-based."""
    m = _RANGE.match(ref)
    if not m:
        raise ValueError(f"not an A1 range: {ref!r}")
    c1, r1, c2, r2 = m.group(1), int(m.group(2)), m.group(3) or m.group(1), m.group(4)
    return r1, col_index(c1), int(r2 or r1), col_index(c2)


def _overlap(a: tuple[int, int, int, int], b: tuple[int, int, int, int]) -> bool:
    return not (a[2] < b[0] or b[2] < a[0] or a[3] < b[1] or b[3] < a[1])


# --------------------------------------------------------------------------- the package


@dataclass
class Package:
    """The parts of an OPC package (xlsx, xlam) and what is found in them."""

    path: Path
    parts: dict[str, bytes]
    problems: list[str] = field(default_factory=list)
    _trees: dict[str, etree._Element | None] = field(default_factory=dict)

    @classmethod
    def open(cls, path: str | Path) -> Package:
        with zipfile.ZipFile(path) as z:
            names = z.namelist()
            parts = {n: z.read(n) for n in names}
        pkg = cls(Path(path), parts)
        if len(set(names)) != len(names):
            pkg.problem("zip", "the same part name occurs twice")
        return pkg

    def problem(self, part: str, message: str) -> None:
        self.problems.append(f"{self.path.name}: {part}: {message}")

    def xml(self, name: str) -> etree._Element | None:
        """The parsed part (None, with a problem, if it is not well formed)."""
        if name not in self._trees:
            try:
                tree = etree.fromstring(self.parts[name], _SAFE)
                if tree.getroottree().docinfo.doctype:
                    self.problem(name, "has a DOCTYPE (Excel refuses DTDs)")
                self._trees[name] = tree
            except etree.XMLSyntaxError as exc:
                self.problem(name, f"not well-formed XML: {exc}")
                self._trees[name] = None
        return self._trees[name]

    def rels(self, part: str) -> list[etree._Element]:
        """Relationships whose source is ``part`` ("" for the package)."""
        folder, base = posixpath.split(part)
        name = posixpath.join(folder, "_rels", base + ".rels")
        root = self.xml(name) if name in self.parts else None
        return [] if root is None else root.findall(f"{{{PKG_REL}}}Relationship")

    def target(self, part: str, rel: etree._Element) -> str:
        target = rel.get("Target", "")
        if target.startswith("/"):
            return target.lstrip("/")
        return posixpath.normpath(posixpath.join(posixpath.dirname(part), target))

    def related(self, part: str, type_suffix: str) -> list[str]:
        return [
            self.target(part, r)
            for r in self.rels(part)
            if r.get("Type", "").endswith(type_suffix) and r.get("TargetMode") != "External"
        ]

    def xml_parts(self) -> list[str]:
        return [n for n in self.parts if n.endswith((".xml", ".rels", ".vml"))]


def package_problems(path: str | Path) -> list[str]:
    """Every finding on the package at ``path``: empty when Excel would open it cleanly."""
    pkg = Package.open(path)
    for name in pkg.xml_parts():
        root = pkg.xml(name)
        if root is not None:
            _check_schema(pkg, name, root)
    _check_content_types(pkg)
    _check_relationships(pkg)
    workbook = _workbook_part(pkg)
    if workbook:
        _check_workbook(pkg, workbook)
    return pkg.problems


# --------------------------------------------------------------------------- schemas


def markup_compatible(root: etree._Element) -> tuple[etree._Element, list[str]]:
    """A copy of ``root`` as an application that knows only ECMA-376 reads it (ECMA-376
    Part 3): ``mc:AlternateContent`` → the content of its ``mc:Fallback`` (none if absent),
    elements and attributes of ``mc:Ignorable`` namespaces dropped, ``xml:space`` dropped
    (Excel writes it on ``<t>``; the stub xml schema has no such attribute).
    Also returns what is wrong with the markup-compatibility markup itself."""
    root = etree.fromstring(etree.tostring(root), _SAFE)
    problems = []
    ignorable: set[str] = set()
    for el in root.iter():
        for prefix in (el.get(f"{{{MC}}}Ignorable") or "").split():
            uri = el.nsmap.get(prefix)
            if uri is None:
                problems.append(f"mc:Ignorable names the undeclared prefix {prefix!r}")
            else:
                ignorable.add(uri)
    for alt in list(root.iter(f"{{{MC}}}AlternateContent")):
        choices = alt.findall(f"{{{MC}}}Choice")
        if not choices:
            problems.append("mc:AlternateContent without mc:Choice")
        for choice in choices:
            if len(choice) == 0:
                problems.append(
                    f"empty mc:Choice Requires={choice.get('Requires')!r} (remove the whole "
                    "mc:AlternateContent)"
                )
            for prefix in (choice.get("Requires") or "").split():
                if prefix not in choice.nsmap:
                    problems.append(f"mc:Choice requires the undeclared prefix {prefix!r}")
        fallback = alt.find(f"{{{MC}}}Fallback")
        parent = alt.getparent()
        at = parent.index(alt)
        for i, child in enumerate(list(fallback) if fallback is not None else []):
            parent.insert(at + i, child)
        parent.remove(alt)
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        ns = etree.QName(el).namespace
        if ns in ignorable and el.getparent() is not None:
            el.getparent().remove(el)
            continue
        for attr in list(el.attrib):
            ans = etree.QName(attr).namespace
            if ans in ignorable or ans in (MC, XML_NS):
                del el.attrib[attr]
    etree.cleanup_namespaces(root)
    return root, problems


def schema_problems(name: str, root: etree._Element) -> list[str]:
    """What the ECMA-376 schema (and markup compatibility) find wrong in one part."""
    ns = etree.QName(root).namespace or ""
    if ns in WITHOUT_SCHEMA:
        return []
    if ns not in SCHEMAS:
        return [f"no schema for the root namespace {ns!r}; add it to tests/ooxml.py"]
    clean, problems = markup_compatible(root)
    for tag in ECMA_FIRST_EDITION_ONLY.get(ns, ()):
        for el in clean.findall(tag):
            clean.remove(el)
    xsd = schema(SCHEMAS[ns])
    if not xsd.validate(clean):
        errors = [f"line {e.line}: {e.message}" for e in list(xsd.error_log)[:5]]
        problems.append(f"invalid against {SCHEMAS[ns]}: " + " | ".join(errors))
    return problems


def _check_schema(pkg: Package, name: str, root: etree._Element) -> None:
    for message in schema_problems(name, root):
        pkg.problem(name, message)


# --------------------------------------------------------------------------- package rules


_OD = "application/vnd.openxmlformats-officedocument."
#: Content type a part must have for Excel, by the relationship type that reaches it.
EXPECTED_CONTENT_TYPES = {
    "/officeDocument": (
        _OD + "spreadsheetml.sheet.main+xml",
        _OD + "spreadsheetml.template.main+xml",
        "application/vnd.ms-excel.sheet.macroEnabled.main+xml",
        "application/vnd.ms-excel.addin.macroEnabled.main+xml",
    ),
    "/worksheet": (_OD + "spreadsheetml.worksheet+xml",),
    "/styles": (_OD + "spreadsheetml.styles+xml",),
    "/sharedStrings": (_OD + "spreadsheetml.sharedStrings+xml",),
    "/table": (_OD + "spreadsheetml.table+xml",),
    "/comments": (_OD + "spreadsheetml.comments+xml",),
    "/theme": (_OD + "theme+xml",),
    "/drawing": (_OD + "drawing+xml",),
    "/chart": (_OD + "drawingml.chart+xml",),
    "/vmlDrawing": (_OD + "vmlDrawing",),
    "/metadata/core-properties": ("application/vnd.openxmlformats-package.core-properties+xml",),
    "/extended-properties": (_OD + "extended-properties+xml",),
    "/vbaProject": ("application/vnd.ms-office.vbaProject",),
}


def content_types(pkg: Package) -> dict[str, str | None]:
    """``{part: content type}`` from ``[Content_Types].xml`` (Override, else Default)."""
    root = pkg.xml("[Content_Types].xml") if "[Content_Types].xml" in pkg.parts else None
    if root is None:
        return {}
    defaults = {
        d.get("Extension", "").lower(): d.get("ContentType")
        for d in root.findall(f"{{{CONTENT_TYPES}}}Default")
    }
    overrides = {
        o.get("PartName", "").lstrip("/"): o.get("ContentType")
        for o in root.findall(f"{{{CONTENT_TYPES}}}Override")
    }
    return {
        part: overrides.get(part, defaults.get(part.rsplit(".", 1)[-1].lower()))
        for part in pkg.parts
        if part != "[Content_Types].xml"
    }


def _check_content_types(pkg: Package) -> None:
    name = "[Content_Types].xml"
    if name not in pkg.parts:
        pkg.problem(name, "missing")
        return
    root = pkg.xml(name)
    if root is None:
        return
    types = content_types(pkg)
    for part, kind in types.items():
        if not kind and not part.endswith("/"):
            pkg.problem(part, "has no content type (no Override, no Default for its extension)")
    for override in root.findall(f"{{{CONTENT_TYPES}}}Override"):
        if override.get("PartName", "").lstrip("/") not in pkg.parts:
            pkg.problem(
                name, f"Override for a part that does not exist: {override.get('PartName')}"
            )
    sources = [""] + [n for n in pkg.parts if not n.endswith(".rels")]
    for source in sources:
        for rel in pkg.rels(source):
            if rel.get("TargetMode") == "External":
                continue
            target = pkg.target(source, rel)
            suffix = next(
                (k for k in EXPECTED_CONTENT_TYPES if rel.get("Type", "").endswith(k)), None
            )
            if suffix and target in types and types[target] not in EXPECTED_CONTENT_TYPES[suffix]:
                pkg.problem(target, f"content type {types[target]!r} is not one for a {suffix[1:]}")


def _check_relationships(pkg: Package) -> None:
    for rels in [n for n in pkg.parts if n.endswith(".rels")]:
        folder = posixpath.dirname(posixpath.dirname(rels))
        source = posixpath.join(folder, posixpath.basename(rels)[: -len(".rels")])
        if source and source not in pkg.parts:
            pkg.problem(rels, f"relationships of a part that does not exist: {source}")
        ids = [r.get("Id") for r in pkg.rels(source)]
        if len(set(ids)) != len(ids):
            pkg.problem(rels, "relationship ids repeat")
        for rel in pkg.rels(source):
            if rel.get("TargetMode") == "External":
                continue
            target = pkg.target(source, rel)
            if target not in pkg.parts:
                pkg.problem(rels, f"{rel.get('Id')} points at a missing part {target}")


def _workbook_part(pkg: Package) -> str | None:
    found = pkg.related("", "/officeDocument")
    return found[0] if found else None


# --------------------------------------------------------------------------- SpreadsheetML


def _text(si: etree._Element) -> str:
    """The text Excel shows for an ``<si>`` / ``<is>``: its ``<t>``s, not phonetic runs; each
    ``<t>`` is an ST_Xstring of its own (an escape never spans two runs)."""
    return "".join(
        xstring(t.text) for t in si.iter(f"{{{MAIN}}}t") if t.getparent().tag != f"{{{MAIN}}}rPh"
    )


@dataclass
class Sheet:
    name: str
    part: str
    root: etree._Element
    cells: dict[tuple[int, int], etree._Element] = field(default_factory=dict)


def _check_workbook(pkg: Package, part: str) -> None:
    root = pkg.xml(part)
    if root is None:
        return
    q = functools.partial("{{{}}}{}".format, MAIN)
    sheets: list[Sheet] = []
    rels = {r.get("Id"): pkg.target(part, r) for r in pkg.rels(part)}
    seen_names: set[str] = set()
    for el in root.iter(q("sheet")):
        name = el.get("name", "")
        bad = _FORBIDDEN_IN_SHEET_NAMES.intersection(name)
        if not name or len(name) > 31 or bad or name[0] == "'" or name[-1] == "'":
            pkg.problem(part, f"invalid sheet name {name!r}")
        if name.casefold() in seen_names:
            pkg.problem(part, f"sheet name {name!r} repeats (case-insensitively)")
        seen_names.add(name.casefold())
        target = rels.get(el.get(f"{{{DOC_REL}}}id"))
        sheet_root = pkg.xml(target) if target in pkg.parts else None
        if sheet_root is not None and etree.QName(sheet_root).localname == "worksheet":
            sheets.append(Sheet(name, target, sheet_root))

    styles = pkg.related(part, "/styles")
    xf_count = None
    if styles and pkg.xml(styles[0]) is not None:
        style_root = pkg.xml(styles[0])
        xfs = style_root.find(q("cellXfs"))
        xf_count = 0 if xfs is None else len(xfs)
        for fmt in style_root.iter(q("numFmt")):
            for message in number_format_problems(fmt.get("formatCode", "")):
                pkg.problem(styles[0], f"numFmt {fmt.get('formatCode')!r}: {message}")

    sst_part = pkg.related(part, "/sharedStrings")
    strings: list[str] | None = None
    sst_root = pkg.xml(sst_part[0]) if sst_part else None
    if sst_root is not None:
        strings = [_text(si) for si in sst_root.findall(q("si"))]
        for i, s in enumerate(strings):
            if utf16_len(s) > EXCEL_MAX_TEXT:
                pkg.problem(sst_part[0], f"string {i} has {utf16_len(s)} characters (> 32,767)")
        unique = int(sst_root.get("uniqueCount", "-1"))
        if unique != len(strings):
            pkg.problem(sst_part[0], f"uniqueCount={unique} but {len(strings)} <si> items")

    shared_refs = 0
    for sheet in sheets:
        shared_refs += _check_sheet(pkg, sheet, strings, xf_count)
    if sst_root is not None:
        count = int(sst_root.get("count", "-1"))
        if count != shared_refs:
            pkg.problem(sst_part[0], f"count={count} but {shared_refs} cells use shared strings")

    table_names = _check_tables(pkg, sheets, strings)
    _check_defined_names(pkg, part, root, [s.name for s in sheets], table_names)


def _check_sheet(pkg: Package, sheet: Sheet, strings: list[str] | None, xfs: int | None) -> int:
    q = functools.partial("{{{}}}{}".format, MAIN)
    shared = 0
    last_row = 0
    for row in sheet.root.iter(q("row")):
        r = int(row.get("r", last_row + 1))
        if r <= last_row or r > EXCEL_MAX_ROWS:
            pkg.problem(sheet.part, f"row {r} out of order or out of range (after {last_row})")
        last_row = r
        last_col = 0
        for c in row.findall(q("c")):
            ref = c.get("r")
            m = _CELL.match(ref or "")
            if not m:
                pkg.problem(sheet.part, f"cell without a valid r in row {r}: {ref!r}")
                continue
            col, cell_row = col_index(m.group(1)), int(m.group(2))
            if cell_row != r or col <= last_col or col > EXCEL_MAX_COLS:
                pkg.problem(sheet.part, f"cell {ref} out of order or not in row {r}")
            last_col = col
            sheet.cells[(cell_row, col)] = c
            if xfs is not None and int(c.get("s", "0")) >= xfs:
                pkg.problem(sheet.part, f"cell {ref} uses style {c.get('s')} of {xfs}")
            kind = c.get("t", "n")
            v = c.find(q("v"))
            if kind == "s":
                shared += 1
                index = int(v.text) if v is not None and (v.text or "").isdigit() else -1
                if strings is not None and not 0 <= index < len(strings):
                    pkg.problem(sheet.part, f"cell {ref} refers to shared string {index}")
            elif kind == "inlineStr":
                is_ = c.find(q("is"))
                text = _text(is_) if is_ is not None else ""
                if utf16_len(text) > EXCEL_MAX_TEXT:
                    pkg.problem(sheet.part, f"cell {ref} holds {utf16_len(text)} characters")
            f = c.find(q("f"))
            if f is not None and len(f.text or "") > EXCEL_MAX_FORMULA:
                pkg.problem(sheet.part, f"formula in {ref} is longer than 8,192 characters")
    for dv in sheet.root.iter(q("dataValidation")):
        for attr, limit in (("promptTitle", 32), ("errorTitle", 32), ("prompt", 255),
                            ("error", 255)):  # fmt: skip
            value = xstring(dv.get(attr))
            if len(value) > limit:
                pkg.problem(sheet.part, f"dataValidation {attr} longer than {limit} characters")
    return shared


def _cell_text(cell: etree._Element | None, strings: list[str] | None) -> str | None:
    if cell is None:
        return None
    kind = cell.get("t", "n")
    v = cell.find(f"{{{MAIN}}}v")
    if kind == "s" and v is not None and strings is not None:
        return strings[int(v.text)]
    if kind == "inlineStr":
        is_ = cell.find(f"{{{MAIN}}}is")
        return _text(is_) if is_ is not None else ""
    if kind == "str" and v is not None:
        return xstring(v.text)
    return None


def _check_tables(pkg: Package, sheets: list[Sheet], strings: list[str] | None) -> set[str]:
    q = functools.partial("{{{}}}{}".format, MAIN)
    names: dict[str, str] = {}
    ids: set[str] = set()
    for sheet in sheets:
        ranges: list[tuple[str, tuple[int, int, int, int]]] = []
        for tpart in pkg.related(sheet.part, "/table"):
            t = pkg.xml(tpart)
            if t is None:
                continue
            label = f"table {t.get('name')!r}"
            for attr in ("name", "displayName"):
                value = t.get(attr, "")
                if not defined_name_ok(value):
                    pkg.problem(tpart, f"{attr} {value!r} is not a valid name")
                if value.casefold() in names and names[value.casefold()] != tpart:
                    pkg.problem(tpart, f"{attr} {value!r} is used by another table")
                names[value.casefold()] = tpart
            if t.get("id") in ids:
                pkg.problem(tpart, f"table id {t.get('id')} repeats")
            ids.add(t.get("id"))
            box = parse_range(t.get("ref", "A1"))
            ranges.append((label, box))
            columns = t.find(q("tableColumns"))
            cols = [] if columns is None else columns.findall(q("tableColumn"))
            width = box[3] - box[1] + 1
            if len(cols) != width or int(columns.get("count", "-1")) != len(cols):
                pkg.problem(tpart, f"{label}: {len(cols)} columns for a range {width} wide")
            seen: set[str] = set()
            for j, col in enumerate(cols):
                name = xstring(col.get("name"))
                if not name:
                    pkg.problem(tpart, f"{label}: column {j + 1} has no name")
                if name.casefold() in seen:
                    pkg.problem(tpart, f"{label}: column name {name!r} repeats (Excel compares "
                                "column names case-insensitively)")  # fmt: skip
                seen.add(name.casefold())
                if t.get("headerRowCount", "1") != "0":
                    header = _cell_text(sheet.cells.get((box[0], box[1] + j)), strings)
                    if header != name and not (header is None and strings is None):
                        pkg.problem(
                            tpart,
                            f"{label}: header cell {header!r} differs from column name {name!r}",
                        )
        auto = sheet.root.find(q("autoFilter"))
        if auto is not None:
            ranges.append(("the sheet's AutoFilter", parse_range(auto.get("ref"))))
        for i, (a, box_a) in enumerate(ranges):
            for b, box_b in ranges[i + 1 :]:
                if _overlap(box_a, box_b):
                    pkg.problem(sheet.part, f"{a} overlaps {b}")
    return set(names)


_CELL_LIKE = re.compile(r"^[A-Za-z]{1,3}\d+$")
_R1C1_LIKE = re.compile(r"^[RrCc]$|^[Rr]\d*[Cc]\d*$")
_NAME = re.compile(r"^[^\W\d]|^[_\\]")


def defined_name_ok(name: str) -> bool:
    """Excel's rules for defined and table names: 1–255 characters, first a letter, ``_`` or
    ``\\``, then letters, digits, ``_``, ``.`` and ``\\``; no cell (``A1``, ``R1C1``) lookalike."""
    if not name or len(name) > 255 or not _NAME.match(name):
        return False
    if any(not (ch.isalnum() or ch in "_.\\") for ch in name):
        return False
    m = _CELL_LIKE.match(name)
    if m and col_index(re.match("[A-Za-z]+", name).group().upper()) <= EXCEL_MAX_COLS:
        return False
    return not _R1C1_LIKE.match(name)


_SHEET_IN_FORMULA = re.compile(r"'((?:[^']|'')+)'!|([^\W\d][\w.]*)!")


def _check_defined_names(pkg, part, root, sheet_names, table_names) -> None:
    q = functools.partial("{{{}}}{}".format, MAIN)
    seen: set[tuple[str, str | None]] = set()
    folded = {s.casefold() for s in sheet_names}
    for dn in root.iter(q("definedName")):
        name = dn.get("name", "")
        scope = dn.get("localSheetId")
        plain = name.removeprefix("_xlnm.")
        if not defined_name_ok(plain):
            pkg.problem(part, f"defined name {name!r} is not a valid name")
        if (name.casefold(), scope) in seen:
            pkg.problem(part, f"defined name {name!r} repeats in its scope")
        seen.add((name.casefold(), scope))
        if scope is None and name.casefold() in table_names:
            pkg.problem(part, f"defined name {name!r} is also a table name")
        if scope is not None and int(scope) >= len(sheet_names):
            pkg.problem(part, f"defined name {name!r} has localSheetId {scope} out of range")
        formula = dn.text or ""
        if not formula.strip():
            pkg.problem(part, f"defined name {name!r} refers to nothing")
        for m in _SHEET_IN_FORMULA.finditer(formula):
            sheet = (m.group(1) or "").replace("''", "'") or m.group(2)
            if sheet.casefold() not in folded:
                pkg.problem(part, f"defined name {name!r} refers to a missing sheet {sheet!r}")


def number_format_problems(code: str) -> list[str]:
    """Literal characters Excel's format parser may refuse: anything outside ASCII must be
    quoted (``"±"``) or escaped (``\\±``); ``[...]`` (colour, condition, locale) is left alone."""
    problems = []
    i = 0
    while i < len(code):
        ch = code[i]
        if ch == '"':
            end = code.find('"', i + 1)
            if end < 0:
                return ["unterminated quoted text"]
            i = end + 1
            continue
        if ch == "\\" or ch in "_*":
            i += 2
            continue
        if ch == "[":
            end = code.find("]", i)
            i = len(code) if end < 0 else end + 1
            continue
        if not ch.isascii():
            problems.append(f'unquoted non-ASCII character {ch!r} (write \\{ch} or "{ch}")')
        i += 1
    return problems


# --------------------------------------------------------------------------- charts


def chart_category_problems(path: str | Path) -> list[str]:
    """Category references Excel would read differently from the writer's intent: a range
    more than one column (or row) wide is a multi-level axis, which Excel writes as
    ``c:multiLvlStrRef`` with a ``c:multiLvlStrCache``, not as numbers."""
    pkg = Package.open(path)
    problems = []
    for name in [n for n in pkg.parts if n.startswith("xl/charts/chart")]:
        root = pkg.xml(name)
        if root is None:
            continue
        for cat in root.iter(f"{{{CHART}}}cat"):
            ref = cat[0] if len(cat) else None
            f = None if ref is None else ref.find(f"{{{CHART}}}f")
            if f is None or "!" not in (f.text or ""):
                continue
            box = parse_range(f.text.rsplit("!", 1)[1])
            two_d = box[0] != box[2] and box[1] != box[3]
            kind = etree.QName(ref).localname
            if two_d and kind != "multiLvlStrRef":
                problems.append(f"{name}: categories {f.text} span columns but are a {kind}")
    return problems


# --------------------------------------------------------------------------- the ribbon


_SUB = re.compile(
    r"^\s*(?:Public\s+|Private\s+)?Sub\s+(\w+)\s*\(([^)]*)\)", re.IGNORECASE | re.MULTILINE
)
_CALLBACKS = re.compile(r"^(on[A-Z]\w*|get[A-Z]\w*|loadImage)$")


def vba_subs(vba_project: bytes) -> dict[tuple[str, str], str]:
    """``{(module, sub): parameter list}`` of a ``vbaProject.bin`` (oletools' olevba)."""
    with warnings.catch_warnings():  # olevba's pyparsing grammar uses deprecated names
        warnings.simplefilter("ignore", DeprecationWarning)
        from oletools.olevba import VBA_Parser

    parser = VBA_Parser("vbaProject.bin", data=vba_project)
    try:
        subs = {}
        for _, _, module_file, code in parser.extract_macros():
            module = re.search(r'Attribute VB_Name = "([^"]+)"', code)
            module_name = module.group(1) if module else Path(module_file).stem
            for m in _SUB.finditer(code):
                subs[(module_name.casefold(), m.group(1).casefold())] = m.group(2)
        return subs
    finally:
        parser.close()


def ribbon_problems(path: str | Path) -> list[str]:
    """Every ribbon callback (``onAction``, ``getLabel``, …) of the package's customUI parts
    names a ``Sub`` of its VBA project; an ``onAction`` Sub takes ``IRibbonControl``."""
    pkg = Package.open(path)
    problems = []
    ui_parts = pkg.related("", "/ui/extensibility") + pkg.related("", "/ui/extensibility2")
    if not ui_parts:
        return [f"{pkg.path.name}: no customUI part"]
    vba_parts = [n for n in pkg.parts if n.endswith("vbaProject.bin")]
    subs = vba_subs(pkg.parts[vba_parts[0]]) if vba_parts else {}
    for part in ui_parts:
        root = pkg.xml(part)
        if root is None or etree.QName(root).namespace not in CUSTOM_UI:
            problems.append(f"{part}: not a customUI document")
            continue
        ids = [el.get("id") for el in root.iter() if el.get("id")]
        if len(set(ids)) != len(ids):
            problems.append(f"{part}: control ids repeat")
        for el in root.iter():
            for attr, value in el.attrib.items():
                if not _CALLBACKS.match(attr):
                    continue
                module, _, sub = value.rpartition(".")
                found = [
                    params
                    for (mod, name), params in subs.items()
                    if name == sub.casefold() and (not module or mod == module.casefold())
                ]
                if not found:
                    problems.append(f"{part}: {attr}={value!r} names no Sub of the VBA project")
                elif attr == "onAction" and "IRibbonControl" not in found[0]:
                    problems.append(f"{part}: {value} does not take (control As IRibbonControl)")
    return problems


def iter_problems(paths: Iterable[str | Path]) -> list[str]:
    """``package_problems`` of several files, one list."""
    return [p for path in paths for p in package_problems(path)]


# --------------------------------------------------------------------------- reading cells


def sheet_cells(path: str | Path, sheet_name: str) -> dict[tuple[int, int], object]:
    """``{(row, col): value}`` (1-based) of one sheet as Excel reads it: text (shared or
    inline, ST_Xstring decoded) as ``str``, numbers as ``float``, booleans as ``bool``;
    formula cells as ``("=" + formula, cached value)``."""
    pkg = Package.open(path)
    workbook = _workbook_part(pkg)
    root = pkg.xml(workbook)
    rels = {r.get("Id"): pkg.target(workbook, r) for r in pkg.rels(workbook)}
    part = next(
        rels[s.get(f"{{{DOC_REL}}}id")]
        for s in root.iter(f"{{{MAIN}}}sheet")
        if s.get("name") == sheet_name
    )
    sst = pkg.related(workbook, "/sharedStrings")
    strings = [_text(si) for si in pkg.xml(sst[0]).findall(f"{{{MAIN}}}si")] if sst else None
    out: dict[tuple[int, int], object] = {}
    for c in pkg.xml(part).iter(f"{{{MAIN}}}c"):
        m = _CELL.match(c.get("r"))
        key = (int(m.group(2)), col_index(m.group(1)))
        kind = c.get("t", "n")
        v = c.find(f"{{{MAIN}}}v")
        f = c.find(f"{{{MAIN}}}f")
        if kind in ("s", "inlineStr", "str"):
            value: object = _cell_text(c, strings)
        elif kind == "b":
            value = v is not None and v.text == "1"
        elif kind == "e":
            value = ("#error", v.text if v is not None else None)
        else:
            value = float(v.text) if v is not None and v.text else None
        if f is not None:
            value = ("=" + (f.text or ""), value)
        if value is not None:
            out[key] = value
    return out


def sheet_names(path: str | Path) -> list[str]:
    pkg = Package.open(path)
    root = pkg.xml(_workbook_part(pkg))
    return [s.get("name") for s in root.iter(f"{{{MAIN}}}sheet")]
