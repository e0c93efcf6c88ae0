"""The ribbon add-in matches the Python it calls: the xlwings DLL its compiled VBA names is the
xlwings the package allows — one exact version, moved together (docs/ribbon.md).

The VBA is read with oletools (an independent reader of the VBA project, not our own code);
the allowed versions come from pyproject.toml, evaluated for Windows, macOS and Pyodide.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import tomllib
import xlwings
from oletools.olevba import VBA_Parser
from packaging.requirements import Requirement
from packaging.version import Version

from nps_xl.excel import lite

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "workbook_templates" / "nps_xl.xlam"
XLWINGS_TEMPLATE = Path(xlwings.__file__).with_name("quickstart_addin_ribbon.xlam")
DLL = re.compile(r"xlwings(?:32|64)-(\d+\.\d+\.\d+)\.dll")
DESKTOPS = {
    "Windows": {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt"},
    "macOS": {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix"},
}


def dll_versions(xlam: Path) -> set[str]:
    """The versions in every ``xlwings32/64-<version>.dll`` the add-in's VBA modules name."""
    parser = VBA_Parser(str(xlam))
    try:
        code = "\n".join(source for _, _, _, source in parser.extract_macros())
    finally:
        parser.close()
    return set(DLL.findall(code))


def xlwings_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [r for r in map(Requirement, project["dependencies"]) if r.name.lower() == "xlwings"]


def pin_problems(dlls: set[str], requirements: list[Requirement], env: dict) -> list[str]:
    """Why the add-in would not start with what ``requirements`` allow in ``env``: empty when
    exactly one xlwings is allowed and it is the version of the DLL."""
    if len(dlls) != 1:
        return [f"the VBA names DLLs of {sorted(dlls)}: expected one version"]
    (dll,) = dlls
    applying = [r for r in requirements if r.marker is None or r.marker.evaluate(env)]
    if len(applying) != 1:
        return [f"{len(applying)} xlwings requirements apply, expected one"]
    (req,) = applying
    specs = list(req.specifier)
    if len(specs) != 1 or specs[0].operator != "==" or "*" in specs[0].version:
        return [f"{req} allows more than one xlwings; pin xlwings=={dll}"]
    if Version(specs[0].version) != Version(dll):
        return [f"{req} but the add-in's VBA calls xlwings64-{dll}.dll"]
    return []


@pytest.mark.parametrize("desktop", sorted(DESKTOPS))
def test_the_shipped_addin_names_the_dll_of_the_pinned_xlwings(desktop: str) -> None:
    dlls = dll_versions(SHIPPED)
    assert dlls == {"0.37.8"}  # read from the file; also the version in pyproject's pin
    assert pin_problems(dlls, xlwings_requirements(), DESKTOPS[desktop]) == []


def test_a_freshly_built_addin_names_the_installed_xlwings(tmp_path: Path) -> None:
    from nps_xl.excel.addin import build_addin

    built = build_addin(tmp_path / "nps_xl.xlam")
    assert dll_versions(built) == dll_versions(XLWINGS_TEMPLATE) == {xlwings.__version__}
    assert pin_problems(dll_versions(built), xlwings_requirements(), DESKTOPS["Windows"]) == []


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("xlwings>=0.33", "allows more than one"),
        ("xlwings==0.37.9", "calls xlwings64-0.37.8.dll"),
        ("xlwings~=0.37.8", "allows more than one"),
        ("xlwings==0.37.*", "allows more than one"),
    ],
)
def test_the_check_fails_when_pin_and_dll_differ(line: str, problem: str) -> None:
    found = pin_problems({"0.37.8"}, [Requirement(line)], DESKTOPS["Windows"])
    assert len(found) == 1 and problem in found[0]


def test_lite_gets_a_range_that_allows_the_xlwings_of_its_addin() -> None:
    """xlwings Lite installs its own xlwings (no DLL) and records exact versions itself
    (requirements-pinned.txt), so its requirements.txt asks for a range, not ``==``: one that
    admits the version the Lite add-in puts into new workbooks and the newest 0.x."""
    env = lite.emscripten_environment()
    applying = [r for r in xlwings_requirements() if r.marker is None or r.marker.evaluate(env)]
    assert len(applying) == 1
    lines = [line.split("#")[0].strip() for line in lite.requirements_txt().splitlines()]
    (req,) = [Requirement(x) for x in lines if x and Requirement(x).name == "xlwings"]
    assert req.specifier == applying[0].specifier
    assert all(s.operator != "==" for s in req.specifier)
    assert lite.LITE_XLWINGS in req.specifier and "0.37.8" in req.specifier
    assert "1.0.0" not in req.specifier
    assert pin_problems({"0.37.8"}, [req], env)  # no exact pin there, by design
