"""Build and install ``nps_xl.xlam``, the Excel add-in with the NPS ribbon tab.

The add-in is xlwings' own ``quickstart_addin_ribbon.xlam`` (the file ``xlwings quickstart NAME
--addin --ribbon`` copies) with two parts rewritten and everything else kept byte for byte:

* ``customUI/customUI.xml`` — an ``NPS`` tab with one large "Refresh report" button
  (template: ``nps_xl/excel/ribbon/customUI.xml``, words from :mod:`nps_xl.i18n`);
* the configuration sheet ``myaddin.conf`` (``xl/worksheets/sheet1.xml`` and the shared strings)
  — renamed from ``_myaddin.conf``, whose leading underscore switches it off.

``xl/vbaProject.bin`` stays identical, so the VBA matches the DLL of the installed xlwings
(``xlwings64-<version>.dll``). Its ribbon callback, read from the template's VBA::

    Sub RunMain(control As IRibbonControl)            ' module RibbonMyAddin
        mymodule = Left(ThisWorkbook.Name, (InStrRev(ThisWorkbook.Name, ".", -1, _
                                                      vbTextCompare) - 1))
        RunPython "import " & mymodule & ";" & mymodule & ".main()"
    End Sub

so the file name ``nps_xl.xlam`` makes the button run ``import nps_xl;nps_xl.main()``. The VBA
reads its settings from a sheet called ``PROJECT_NAME & ".conf"`` with ``PROJECT_NAME =
"myaddin"``, key in column A and value in column B, from A1 down to the first empty cell
(``GetConfigFromSheet``); a ``myaddin.conf`` sheet in the user's workbook wins over the add-in's.
"""

from __future__ import annotations

import io
import os
import platform
import re
import shutil
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from xml.etree import ElementTree as ET

import defusedxml.ElementTree as safe_et
import typer

from nps_xl.i18n import normalize_language, text

if TYPE_CHECKING:
    from nps_xl.excel import checks

#: The file name is the Python module the ribbon button imports (see the module docstring).
ADDIN_NAME = "nps_xl.xlam"
#: xlwings' ribbon add-in template, inside the installed xlwings package.
XLWINGS_TEMPLATE = "quickstart_addin_ribbon.xlam"
#: The VBA ribbon callback of the template (module RibbonMyAddin).
CALLBACK = "RibbonMyAddin.RunMain"
#: The VBA constant PROJECT_NAME of the template is "myaddin": it reads the sheet "myaddin.conf".
CONFIG_SHEET = "myaddin.conf"
DISABLED_CONFIG_SHEET = "_" + CONFIG_SHEET
#: Python module with the Excel functions (``Import Functions`` of the xlwings add-in).
UDF_MODULES = "nps_xl.excel.udfs"

CUSTOM_UI_PARTS = ("customUI/customUI.xml", "customUI/customUI14.xml")
WORKBOOK_PART = "xl/workbook.xml"
#: Title and Comments of the workbook: what Excel's Add-ins dialog shows for an add-in.
CORE_PART = "docProps/core.xml"
VBA_PART = "xl/vbaProject.bin"
SHARED_STRINGS_PART = "xl/sharedStrings.xml"
#: Every zip entry gets this timestamp, so a build is a function of its inputs only.
ZIP_DATE = (2000, 1, 1, 0, 0, 0)

_MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"
_RIBBON_TEMPLATE = Path(__file__).with_name("ribbon") / "customUI.xml"

#: Button attributes filled from the i18n catalogue: (element id, attribute, key).
_RIBBON_TEXT = (
    ("npsReportGroup", "label", "ribbon_group"),
    ("npsRefreshReport", "label", "ribbon_refresh"),
    ("npsRefreshReport", "screentip", "ribbon_refresh_screentip"),
    ("npsRefreshReport", "supertip", "ribbon_refresh_supertip"),
)


@dataclass(frozen=True)
class Setting:
    """One row of the configuration sheet: key (A), value (B), note for the user (C)."""

    key: str
    value: str | bool
    note: str


def settings(
    interpreter_win: str = "",
    interpreter_mac: str = "",
    conda_path: str = "",
    conda_env: str = "",
) -> tuple[Setting, ...]:
    """The rows of ``myaddin.conf``. Empty values fall back to xlwings' defaults."""
    return (
        Setting(
            "Interpreter_Win",
            interpreter_win,
            "Windows: full path of the python.exe that has nps-xl installed. Empty: "
            "`python` on PATH. `nps-xl addin install` fills this in.",
        ),
        Setting(
            "Interpreter_Mac",
            interpreter_mac,
            "macOS: full path of the python that has nps-xl installed (run `which python` in "
            "that environment). `nps-xl addin install` fills this in.",
        ),
        Setting(
            "PYTHONPATH",
            "",
            "Optional: extra folders for Python modules, separated by ;",
        ),
        Setting(
            "Conda Path",
            conda_path,
            "Windows, with Conda: the Anaconda/Miniconda folder (Excel activates the "
            "environment first). `nps-xl addin install` fills this in when conda is active.",
        ),
        Setting("Conda Env", conda_env, "Windows, with Conda: the environment name, e.g. base."),
        Setting(
            "UDF Modules",
            UDF_MODULES,
            "The NPS Excel functions (=NPS(...)); import them with the xlwings add-in.",
        ),
        Setting("Debug UDFs", False, "Leave FALSE."),
        Setting("Use UDF Server", False, "Leave FALSE: each click starts a fresh Python."),
        Setting("Show Console", False, "TRUE shows Python's console window (Windows)."),
    )


class AddinError(RuntimeError):
    """The add-in cannot be built or installed; the message says what to do."""


# --------------------------------------------------------------------------- build


def xlwings_template() -> Path:
    """``quickstart_addin_ribbon.xlam`` of the installed xlwings."""
    import xlwings

    path = Path(xlwings.__file__).with_name(XLWINGS_TEMPLATE)
    if not path.is_file():
        raise AddinError(
            text("addin_no_template", "en", version=xlwings.__version__, file=XLWINGS_TEMPLATE)
        )
    return path


def custom_ui(lang: str = "en") -> bytes:
    """The ribbon XML: the template with label, screentip and supertip in ``lang``."""
    lang = normalize_language(lang)
    root = safe_et.fromstring(_RIBBON_TEMPLATE.read_bytes())
    by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
    for element_id, attribute, key in _RIBBON_TEXT:
        by_id[element_id].set(attribute, text(key, lang))
    ET.register_namespace("", _UI_NS)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' + body).encode("utf-8")


def about(lang: str = "en") -> tuple[str, str]:
    """``(title, comments)`` of the add-in: Excel's Add-ins dialog lists the add-in by its title
    and shows the comments below the list; both name the nps-xl release and the xlwings it was
    built for (the version of the DLL its VBA calls)."""
    import xlwings

    from nps_xl import __version__

    lang = normalize_language(lang)
    return (
        text("addin_title", lang, version=__version__),
        text("addin_about", lang, version=__version__, xlwings=xlwings.__version__),
    )


def core_properties(core_xml: bytes, lang: str = "en") -> bytes:
    """The template's ``docProps/core.xml`` with ``dc:title`` and ``dc:description`` set to
    :func:`about`; everything else of the part unchanged."""
    from xml.sax.saxutils import escape

    for tag, value in zip(("title", "description"), about(lang), strict=True):
        pattern = rb"<dc:%s\s*/>|<dc:%s>[^<]*</dc:%s>" % ((tag.encode(),) * 3)
        element = f"<dc:{tag}>{escape(value)}</dc:{tag}>".encode()
        core_xml, count = re.subn(pattern, lambda _m, e=element: e, core_xml)
        if count != 1:
            raise AddinError(f"{CORE_PART}: expected one dc:{tag} element.")
    return core_xml


def config_sheet_part(parts: dict[str, bytes]) -> str:
    """Zip path of the configuration sheet, found through workbook.xml and its relationships."""
    workbook = safe_et.fromstring(parts[WORKBOOK_PART])
    rel_id = None
    for sheet in workbook.iter(f"{{{_MAIN_NS}}}sheet"):
        if sheet.get("name") in (CONFIG_SHEET, DISABLED_CONFIG_SHEET):
            rel_id = sheet.get(f"{{{_REL_NS}}}id")
    if rel_id is None:
        raise AddinError(f"{WORKBOOK_PART} has no sheet called {DISABLED_CONFIG_SHEET!r}.")
    rels = safe_et.fromstring(parts["xl/_rels/workbook.xml.rels"])
    for rel in rels.iter(f"{{{_PKG_REL_NS}}}Relationship"):
        if rel.get("Id") == rel_id:
            return "xl/" + rel.get("Target").lstrip("/").removeprefix("xl/")
    raise AddinError(f"No relationship {rel_id!r} in xl/_rels/workbook.xml.rels.")


def _cell(ref: str, value: str | bool, strings: list[str]) -> str:
    if isinstance(value, bool):
        return f'<c r="{ref}" s="1" t="b"><v>{int(value)}</v></c>'
    if value == "":
        return f'<c r="{ref}" s="1"/>'
    strings.append(value)
    return f'<c r="{ref}" s="1" t="s"><v>{len(strings) - 1}</v></c>'


def config_sheet_xml(rows: tuple[Setting, ...]) -> tuple[bytes, bytes]:
    """``(sheet xml, sharedStrings xml)`` of the configuration sheet.

    Keys sit in A1:A{n} without gaps (the VBA stops at the first empty A cell); notes go in
    column C, which the VBA never reads.
    """
    strings: list[str] = []
    xml_rows = []
    for i, row in enumerate(rows, start=1):
        cells = [_cell(f"A{i}", row.key, strings), _cell(f"B{i}", row.value, strings)]
        cells.append(_cell(f"C{i}", row.note, strings))
        xml_rows.append(f'<row r="{i}" spans="1:3">{"".join(cells)}</row>')
    # codeName="Sheet2" ties the sheet to its VBA document module: keep it.
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN_NS}" xmlns:r="{_REL_NS}">'
        '<sheetPr codeName="Sheet2"/>'
        f'<dimension ref="A1:C{len(rows)}"/>'
        '<sheetViews><sheetView tabSelected="1" workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultColWidth="8.875" defaultRowHeight="15.75"/>'
        '<cols><col min="1" max="1" width="16" style="1" customWidth="1"/>'
        '<col min="2" max="2" width="40" style="1" customWidth="1"/>'
        '<col min="3" max="3" width="90" style="1" customWidth="1"/></cols>'
        f"<sheetData>{''.join(xml_rows)}</sheetData>"
        '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'
        "</worksheet>"
    )
    from xml.sax.saxutils import escape  # here, not at the top: it imports urllib (slow)

    items = "".join(f"<si><t>{escape(s)}</t></si>" for s in strings)
    sst = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<sst xmlns="{_MAIN_NS}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'
    )
    return sheet.encode("utf-8"), sst.encode("utf-8")


def _enable_config_sheet(workbook_xml: bytes) -> bytes:
    old = f'name="{DISABLED_CONFIG_SHEET}"'.encode()
    if workbook_xml.count(old) != 1:
        raise AddinError(f"{WORKBOOK_PART}: expected one sheet {DISABLED_CONFIG_SHEET!r}.")
    # Excel records the folder the template was last saved in (<x15ac:absPath>); a folder of
    # xlwings' build machine means nothing to our users, so it goes — with the
    # <mc:AlternateContent> around it, which would otherwise keep an empty <mc:Choice>.
    workbook_xml = re.sub(rb"<x15ac:absPath [^>]*/>", b"", workbook_xml)
    workbook_xml = re.sub(
        rb"<mc:AlternateContent\b[^>]*>\s*<mc:Choice\b[^>]*>\s*</mc:Choice>\s*"
        rb"</mc:AlternateContent>",
        b"",
        workbook_xml,
    )
    return workbook_xml.replace(old, f'name="{CONFIG_SHEET}"'.encode())


def build_addin(
    out_path: str | os.PathLike[str],
    *,
    lang: str = "en",
    interpreter_win: str = "",
    interpreter_mac: str = "",
    conda_path: str = "",
    conda_env: str = "",
    template: str | os.PathLike[str] | None = None,
) -> Path:
    """Write ``nps_xl.xlam`` (any file name works, but only ``nps_xl.xlam`` runs nps_xl).

    ``template`` defaults to the installed xlwings' ``quickstart_addin_ribbon.xlam``. The
    result depends only on the inputs: entries keep their order and get fixed timestamps.
    """
    source = Path(template) if template else xlwings_template()
    with zipfile.ZipFile(source) as zin:
        infos = zin.infolist()
        parts = {info.filename: zin.read(info) for info in infos}
    conf_part = config_sheet_part(parts)
    sheet_xml, sst_xml = config_sheet_xml(
        settings(interpreter_win, interpreter_mac, conda_path, conda_env)
    )
    new = {
        CORE_PART: core_properties(parts[CORE_PART], lang),
        WORKBOOK_PART: _enable_config_sheet(parts[WORKBOOK_PART]),
        conf_part: sheet_xml,
        SHARED_STRINGS_PART: sst_xml,
    }
    ui = custom_ui(lang)
    for name in CUSTOM_UI_PARTS:
        if name in parts:
            new[name] = ui
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zout:
        for info in infos:
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_DATE)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            zout.writestr(entry, new.get(info.filename, parts[info.filename]))
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_bytes(buffer.getvalue())
    return out


# --------------------------------------------------------------------------- install


def startup_dir(system: str | None = None, home: Path | None = None) -> Path:
    """Excel's per-user startup folder (XLSTART): every add-in there loads with Excel.

    * Windows: ``%APPDATA%\\Microsoft\\Excel\\XLSTART`` (what ``Application.StartupPath``
      returns, and where ``xlwings addin install`` copies to);
    * macOS (Excel 2016 and later, sandboxed):
      ``~/Library/Group Containers/UBF8T346G9.Office/User Content/Startup/Excel``.

    Raises :class:`AddinError` elsewhere: there is no desktop Excel to load it.
    """
    system = system or platform.system()
    home = home or Path.home()
    if system == "Windows":
        appdata = os.environ.get("APPDATA") or str(home / "AppData" / "Roaming")
        return Path(appdata) / "Microsoft" / "Excel" / "XLSTART"
    if system == "Darwin":
        return (
            home
            / "Library"
            / "Group Containers"
            / "UBF8T346G9.Office"
            / "User Content"
            / "Startup"
            / "Excel"
        )
    raise AddinError(text("addin_needs_excel", "en", system=system or "?"))


def install_addin(
    *,
    interpreter: str | None = None,
    target_dir: str | os.PathLike[str] | None = None,
    lang: str = "en",
    system: str | None = None,
    facts: checks.Facts | None = None,
) -> list[str]:
    """Build the add-in for this Python and copy it into XLSTART; return what was done, then
    one line for each thing Excel still needs (:mod:`nps_xl.excel.checks`).

    ``interpreter`` (default: the running Python, which has nps_xl installed) goes into
    ``Interpreter_Win`` or ``Interpreter_Mac``; on Windows, with a conda environment activated,
    ``Conda Path`` and ``Conda Env`` too (as ``xlwings addin install`` derives them). On macOS
    the AppleScript that RunPython calls is installed too, as ``xlwings addin install`` does.
    """
    from nps_xl.excel import checks

    system = system or platform.system()
    if system not in ("Windows", "Darwin") and not target_dir:
        raise AddinError(text("addin_needs_excel", lang, system=system))
    folder = Path(target_dir) if target_dir else startup_dir(system)
    interpreter = interpreter or sys.executable
    target = folder / ADDIN_NAME
    win, mac = (interpreter, "") if system == "Windows" else ("", interpreter)
    facts = facts or checks.gather_facts(interpreter, system=system)
    conda = checks.conda_settings(facts)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        build_addin(
            target,
            lang=lang,
            interpreter_win=win,
            interpreter_mac=mac,
            conda_path=conda.path,
            conda_env=conda.env,
        )
    except OSError as exc:
        raise AddinError(
            text("addin_locked", lang, path=target, reason=exc.strerror or exc)
        ) from exc
    done = [
        text("addin_installed", lang, path=target),
        text("addin_interpreter", lang, interpreter=interpreter),
    ]
    if system == "Darwin" and not target_dir:
        done.append(text("addin_applescript", lang, path=_install_applescript()))
    if system in ("Windows", "Darwin"):
        done += [finding.message(lang) for finding in checks.check(facts)]
    return done


def _install_applescript() -> Path:
    """Copy ``xlwings-<version>.applescript`` where sandboxed Excel may run it (macOS)."""
    import xlwings

    script = Path(xlwings.__file__).with_name(f"xlwings-{xlwings.__version__}.applescript")
    folder = Path.home() / "Library" / "Application Scripts" / "com.microsoft.Excel"
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(script, folder)
    return folder / script.name


# --------------------------------------------------------------------------- CLI

addin_app = typer.Typer(
    help="The Excel add-in with the NPS ribbon tab (nps_xl.xlam).", no_args_is_help=True
)


@addin_app.command("build")
def build_command(
    out: Annotated[Path, typer.Argument(help="Where to write the add-in.")] = Path(ADDIN_NAME),
    lang: Annotated[str, typer.Option(help="Language of the ribbon labels.")] = "en",
    interpreter: Annotated[
        str, typer.Option(help="Python to run (Interpreter_Win / Interpreter_Mac).")
    ] = "",
) -> None:
    """Build nps_xl.xlam from the installed xlwings' ribbon add-in template."""
    import xlwings

    try:
        path = build_addin(out, lang=lang, interpreter_win=interpreter, interpreter_mac=interpreter)
    except AddinError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    typer.echo(text("addin_built", lang, path=path, version=xlwings.__version__))


@addin_app.command("install")
def install_command(
    lang: Annotated[str, typer.Option(help="Language of the ribbon labels.")] = "en",
    interpreter: Annotated[
        str, typer.Option(help="Python to run; default: the Python running this command.")
    ] = "",
    directory: Annotated[
        Path | None,
        typer.Option("--dir", help="Install into this folder instead of Excel's XLSTART."),
    ] = None,
) -> None:
    """Install nps_xl.xlam where Excel loads add-ins (XLSTART) on Windows and macOS."""
    try:
        done = install_addin(interpreter=interpreter or None, target_dir=directory, lang=lang)
    except AddinError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from exc
    for line in done:
        typer.echo(line)


@addin_app.command("check")
def check_command(
    lang: Annotated[str, typer.Option(help="Language of the messages.")] = "en",
    interpreter: Annotated[
        str, typer.Option(help="Python the add-in runs; default: the Python running this command.")
    ] = "",
) -> None:
    """Say what desktop Excel still needs for the add-in, one line each (exit code 1).

    Windows: trust access to the VBA project object model, the interpreter, a Python from the
    Microsoft Store, conda activation. macOS: the interpreter.
    """
    from nps_xl.excel import checks

    lang = normalize_language(lang)
    facts = checks.gather_facts(interpreter or None)
    found = checks.check(facts)
    for finding in found:
        typer.echo(finding.message(lang))
    if not any(f.missing for f in found):
        if facts.system in ("Windows", "Darwin"):
            typer.echo(text("addin_check_ok", lang, system=facts.system))
        return
    raise typer.Exit(1)
