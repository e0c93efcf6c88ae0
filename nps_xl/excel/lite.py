"""The xlwings Lite workbooks: the template workbook plus the xlwings Lite add-in's own parts.

xlwings Lite (Pyodide in Excel: Windows, Mac, Excel on the web) keeps a workbook's code in the
file, in the Office add-in part that Excel saves for it (ECMA-376 Part 2 package, Microsoft's
``webextension`` parts, [MS-OWEXML]):

* ``xl/webextensions/webextension1.xml``: ``<we:webextension>`` naming the xlwings Lite add-in
  (AppSource id ``wa200008175``) and its properties, each value a JSON string: ``main.py`` (the
  code; here :mod:`nps_xl.excel.lite_main`, embedded unchanged), ``requirements.txt``
  (:func:`lite_requirements`), ``pyodideVersion`` and ``addinVersion``;
* ``xl/webextensions/taskpanes.xml`` (+ its ``_rels``): the task pane that shows the add-in;
* the content types of both parts and the package relationship to the task panes.

The format is the one xlwings Lite itself writes (read from workbooks it saved). The sheets are
:func:`nps_xl.workbook.xlsx.write_template`'s, unchanged, so a Lite workbook is the template
``nps_survey.xlsx`` that also carries the functions and the refresh.
"""

from __future__ import annotations

import html
import importlib.metadata
import json
import re
import sys
import uuid
import zipfile
from importlib import resources
from pathlib import Path

from packaging.requirements import Requirement

from nps_xl.files import write_atomically
from nps_xl.numbers import LANGUAGES

__all__ = [
    "LITE_FILE",
    "PYODIDE_VERSION",
    "emscripten_environment",
    "lite_main_source",
    "lite_requirements",
    "write_lite_templates",
    "write_lite_workbook",
]

LITE_FILE = "nps_lite.xlsx"
#: The xlwings Lite add-in in Microsoft AppSource.
ADDIN_ID = "wa200008175"
#: The Pyodide release xlwings Lite runs (add-in 1.0.0.0-18, the version its saved workbooks
#: name); tests/test_lite_dependencies.py checks the requirements against its package list.
PYODIDE_VERSION = "0.27.5"
PYODIDE_PYTHON = "3.12"
ADDIN_VERSION = "1.0.0.0-18"
#: The xlwings that add-in puts into a new workbook's requirements.txt (its changelog:
#: "New workbooks now default to xlwings 0.33.15"). nps-xl's emscripten requirement on xlwings
#: must allow it and be a range, not an exact pin: Lite records the exact versions it installed
#: in requirements-pinned.txt itself, and its add-in moves on with xlwings.
LITE_XLWINGS = "0.33.15"
#: What xlwings Lite puts into a new workbook's requirements.txt and marks "required"
#: (besides xlwings): its editor and HTTP helpers. All pure-Python wheels.
LITE_REQUIRED = ("python-dotenv", "pyodide-http", "black")

_WE = "http://schemas.microsoft.com/office/webextensions/webextension/2010/11"
_WETP = "http://schemas.microsoft.com/office/webextensions/taskpanes/2010/11"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
REL_TASKPANES = "http://schemas.microsoft.com/office/2011/relationships/webextensiontaskpanes"
REL_WEBEXTENSION = "http://schemas.microsoft.com/office/2011/relationships/webextension"
CT_TASKPANES = "application/vnd.ms-office.webextensiontaskpanes+xml"
CT_WEBEXTENSION = "application/vnd.ms-office.webextension+xml"
TASKPANES_PART = "xl/webextensions/taskpanes.xml"
WEBEXTENSION_PART = "xl/webextensions/webextension1.xml"
_XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'


def emscripten_environment(python: str = PYODIDE_PYTHON) -> dict[str, str]:
    """The PEP 508 marker environment of Pyodide (CPython compiled to WebAssembly)."""
    return {
        "sys_platform": "emscripten",
        "platform_system": "Emscripten",
        "os_name": "posix",
        "platform_machine": "wasm32",
        "platform_release": "",
        "platform_version": "",
        "implementation_name": "cpython",
        "platform_python_implementation": "CPython",
        "implementation_version": f"{python}.0",
        "python_version": python,
        "python_full_version": f"{python}.0",
        "extra": "",
    }


def declared_requirements() -> list[str]:
    """nps-xl's ``dependencies``: from the checkout's pyproject.toml when running from one (so a
    change there is seen before reinstalling), else from the installed package's metadata."""
    pyproject = Path(__file__).resolve().parents[2] / "pyproject.toml"
    if pyproject.is_file() and sys.version_info >= (3, 11):
        import tomllib

        project = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("project", {})
        if project.get("name") == "nps-xl":
            return list(project["dependencies"])
    return [
        r
        for r in importlib.metadata.requires("nps-xl") or []
        if "extra" not in str(Requirement(r).marker or "")
    ]


def lite_requirements(python: str = PYODIDE_PYTHON) -> list[Requirement]:
    """The requirements nps-xl declares that apply on emscripten (their markers evaluated for
    Pyodide's Python ``python``), markers dropped."""
    environment = emscripten_environment(python)
    out = []
    for line in declared_requirements():
        req = Requirement(line)
        if req.marker is None or req.marker.evaluate(environment):
            req.marker = None
            out.append(req)
    return out


def requirements_txt(python: str = PYODIDE_PYTHON) -> str:
    """The workbook's requirements.txt: xlwings (as nps-xl pins it) and Lite's own required
    helpers, marked ``# required`` as Lite marks them; then nps-xl and its Lite-safe
    dependencies."""
    from nps_xl import __version__

    reqs = lite_requirements(python)
    xlwings = [r for r in reqs if r.name.lower() == "xlwings"]
    lines = [f"{r}  # required" for r in xlwings]
    lines += [f"{name}  # required" for name in LITE_REQUIRED]
    lines.append(f"nps-xl=={__version__}")
    lines += [str(r) for r in reqs if r.name.lower() != "xlwings"]
    return "\n".join(lines) + "\n"


def lite_main_source() -> str:
    """The main.py the workbooks carry: :mod:`nps_xl.excel.lite_main`, byte for byte."""
    return resources.files("nps_xl.excel").joinpath("lite_main.py").read_text(encoding="utf-8")


def _property(name: str, value: str) -> str:
    # JSON escapes every line break and tab, so the attribute value survives XML's attribute
    # normalisation (which turns a literal newline into a space)
    encoded = html.escape(json.dumps(value, ensure_ascii=False))
    return f'<we:property name="{name}" value="{encoded}"/>'


def webextension_xml(main_py: str, requirements: str) -> str:
    """``xl/webextensions/webextension1.xml``: the xlwings Lite add-in and its code."""
    ident = "{" + str(uuid.uuid5(uuid.NAMESPACE_URL, "nps-xl/xlwings-lite")).upper() + "}"
    ref = f'id="{ADDIN_ID}" version="1.0.0.0" store="en-US" storeType="OMEX"'
    alt = f'id="{ADDIN_ID.upper()}" version="1.0.0.0" store="{ADDIN_ID.upper()}" storeType="OMEX"'
    properties = "".join(
        [
            _property("main.py", main_py),
            _property("pyodideVersion", PYODIDE_VERSION),
            _property("addinVersion", ADDIN_VERSION),
            _property("requirements.txt", requirements),
        ]
    )
    return (
        f'{_XML_DECL}<we:webextension xmlns:we="{_WE}" id="{ident}">'
        f"<we:reference {ref}/><we:alternateReferences><we:reference {alt}/>"
        f"</we:alternateReferences><we:properties>{properties}</we:properties>"
        f'<we:bindings/><we:snapshot xmlns:r="{_REL}"/></we:webextension>'
    )


def taskpanes_xml() -> str:
    """``xl/webextensions/taskpanes.xml``: the add-in's task pane, docked right, hidden until
    the user opens xlwings Lite."""
    return (
        f'{_XML_DECL}<wetp:taskpanes xmlns:wetp="{_WETP}">'
        '<wetp:taskpane dockstate="right" visibility="0" width="438" row="3">'
        f'<wetp:webextensionref xmlns:r="{_REL}" r:id="rId1"/></wetp:taskpane></wetp:taskpanes>'
    )


def _taskpanes_rels() -> str:
    return (
        f'{_XML_DECL}<Relationships xmlns="{_PKG_REL}">'
        f'<Relationship Id="rId1" Type="{REL_WEBEXTENSION}" Target="webextension1.xml"/>'
        "</Relationships>"
    )


def _with_content_types(xml: str) -> str:
    overrides = (
        f'<Override PartName="/{TASKPANES_PART}" ContentType="{CT_TASKPANES}"/>'
        f'<Override PartName="/{WEBEXTENSION_PART}" ContentType="{CT_WEBEXTENSION}"/>'
    )
    return xml.replace("</Types>", overrides + "</Types>", 1)


def _with_package_relationship(xml: str) -> str:
    used = {int(n) for n in re.findall(r'Id="rId(\d+)"', xml)}
    rid = f"rId{max(used, default=0) + 1}"
    rel = f'<Relationship Id="{rid}" Type="{REL_TASKPANES}" Target="{TASKPANES_PART}"/>'
    return xml.replace("</Relationships>", rel + "</Relationships>", 1)


def add_lite_parts(source: Path, target: Path, main_py: str, requirements: str) -> None:
    """Copy the workbook ``source`` to ``target`` with the xlwings Lite parts added; every
    other part unchanged (same order, same timestamps: the output stays deterministic)."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w") as zout:
        stamp = zin.infolist()[0].date_time
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "[Content_Types].xml":
                data = _with_content_types(data.decode("utf-8")).encode("utf-8")
            elif info.filename == "_rels/.rels":
                data = _with_package_relationship(data.decode("utf-8")).encode("utf-8")
            zout.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        for name, text in (
            (TASKPANES_PART, taskpanes_xml()),
            ("xl/webextensions/_rels/taskpanes.xml.rels", _taskpanes_rels()),
            (WEBEXTENSION_PART, webextension_xml(main_py, requirements)),
        ):
            info = zipfile.ZipInfo(name, date_time=stamp)
            zout.writestr(info, text.encode("utf-8"), compress_type=zipfile.ZIP_DEFLATED)


def write_lite_workbook(path: str | Path, *, lang: str = "en") -> Path:
    """Write the xlwings Lite workbook ``path``: the empty template of ``lang`` carrying main.py
    and requirements.txt. Returns ``path``."""
    from nps_xl.files import private_temp_folder
    from nps_xl.workbook.xlsx import write_template

    path = Path(path)
    with private_temp_folder() as folder:
        plain = write_template(folder / "template.xlsx", lang=lang)
        write_atomically(
            path,
            lambda tmp: add_lite_parts(plain, tmp, lite_main_source(), requirements_txt()),
            replace=True,
        )
    return path


def write_lite_templates(directory: str | Path) -> list[Path]:
    """``nps_lite.xlsx`` for every language: English in ``directory``, the others in
    ``directory/<lang>/`` (beside the other templates)."""
    directory = Path(directory)
    written = []
    for lang in LANGUAGES:
        target = directory if lang == "en" else directory / lang
        target.mkdir(parents=True, exist_ok=True)
        written.append(write_lite_workbook(target / LITE_FILE, lang=lang))
    return written
