"""Every dependency nps-xl declares for emscripten installs in xlwings Lite's Pyodide.

Pyodide (CPython in WebAssembly) installs a package either from its own list of packages it has
compiled (``pyodide-lock.json``, shipped in the ``pyodide`` npm package) or, through micropip,
as a pure-Python wheel (``py3-none-any``) from the package index. So each requirement that
applies on emscripten (markers evaluated for Pyodide's Python), and each of their own
requirements in turn, must be in the lock file with a version the specifier allows, or have a
pure-Python wheel. Checked against the Pyodide xlwings Lite runs
(:data:`nps_xl.excel.lite.PYODIDE_VERSION`) and the newest release.

The lock files come from ``scripts/fetch_pyodide_locks.sh`` (run by
scripts/install_system_deps.sh, so CI has them) into ``.cache/pyodide-locks`` (or
``$NPS_XL_PYODIDE_LOCKS``); a missing one fails the test.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from email.parser import Parser
from functools import cache
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name, parse_wheel_filename

from nps_xl.excel.lite import PYODIDE_VERSION, emscripten_environment, requirements_txt

ROOT = Path(__file__).resolve().parent.parent
LOCKS = Path(os.environ.get("NPS_XL_PYODIDE_LOCKS", ROOT / ".cache" / "pyodide-locks"))
FETCH = "bash scripts/fetch_pyodide_locks.sh"


def _newest() -> str:
    marker = LOCKS / "newest"
    assert marker.is_file(), f"No Pyodide lock files in {LOCKS}: run {FETCH}."
    return marker.read_text(encoding="utf-8").strip()


def lock(version: str) -> dict:
    path = LOCKS / version / "pyodide-lock.json"
    assert path.is_file(), f"{path} is missing: run {FETCH}."
    return json.loads(path.read_text(encoding="utf-8"))


def pyodide_python(lock_data: dict) -> str:
    return ".".join(lock_data["info"]["python"].split(".")[:2])


@cache
def pure_wheel(requirement: str, python: str, folder: str) -> Path | None:
    """A pure-Python wheel satisfying ``requirement`` for CPython ``python``, from the package
    index (``pip download --platform any``), or None when there is none."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:",
         "--platform", "any", "--python-version", python, "--implementation", "py",
         "--abi", "none", "--disable-pip-version-check", "-q", "-d", folder, requirement],
        capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    if done.returncode != 0:
        assert "No matching distribution" in done.stderr or "Could not find" in done.stderr, (
            done.stderr  # anything else (no network…) is a failure of the check itself
        )
        return None
    name = canonicalize_name(Requirement(requirement).name)
    for wheel in Path(folder).glob("*.whl"):
        got, version, _, tags = parse_wheel_filename(wheel.name)
        if got == name and version in Requirement(requirement).specifier:
            assert all(t.abi == "none" and t.platform == "any" for t in tags), wheel.name
            return wheel
    raise AssertionError(f"pip downloaded no wheel of {requirement}")


def _wheel_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as z:
        name = next(n for n in z.namelist() if n.endswith(".dist-info/METADATA"))
        metadata = Parser().parsestr(z.read(name).decode("utf-8"))
    return metadata.get_all("Requires-Dist") or []


def resolve(requirements: list[str], lock_data: dict, folder: Path) -> tuple[dict, list[str]]:
    """``({name: "pyodide X" | "pure wheel X"}, [problems])`` for ``requirements`` and
    everything they require on emscripten. A package that is in the lock file but in a version
    the specifier excludes counts as installable when a pure-Python wheel of an allowed version
    exists (micropip then installs that one from the index)."""
    python = pyodide_python(lock_data)
    packages = {canonicalize_name(k): v for k, v in lock_data["packages"].items()}
    status: dict[str, str] = {}
    problems: list[str] = []
    queue = [(Requirement(r), "") for r in requirements]
    while queue:
        req, extra = queue.pop(0)
        environment = emscripten_environment(python) | {"extra": extra}
        if req.marker is not None and not req.marker.evaluate(environment):
            continue
        name = canonicalize_name(req.name)
        entry = packages.get(name)
        if entry is not None and req.specifier.contains(entry["version"], prereleases=True):
            status.setdefault(name, f"pyodide {entry['version']}")
            continue  # the lock's own dependencies are in the lock
        if name in status and not status[name].startswith("pyodide"):
            continue
        # not in the lock, or not in a version allowed: micropip then takes a pure-Python
        # wheel from the package index (a compiled package has none)
        plain = str(Requirement(f"{req.name}{req.specifier}"))
        wheel = pure_wheel(plain, python, str(folder))
        if wheel is None:
            problems.append(
                f"{req}: not in this Pyodide (Python {python}) and no pure-Python wheel"
            )
            status[name] = "missing"
            continue
        status[name] = f"pure wheel {parse_wheel_filename(wheel.name)[1]}" + (
            f" (Pyodide has {entry['version']})" if entry is not None else ""
        )
        for line in _wheel_requirements(wheel):
            queue += [(Requirement(line), e) for e in ("", *req.extras)]
    return status, problems


def declared() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def versions() -> list[str]:
    return [PYODIDE_VERSION, _newest()]


@pytest.fixture(scope="module")
def wheels(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("wheels")


@pytest.mark.parametrize("which", ["xlwings Lite", "newest"])
def test_every_emscripten_dependency_installs_in_pyodide(which: str, wheels: Path) -> None:
    version = PYODIDE_VERSION if which == "xlwings Lite" else _newest()
    data = lock(version)
    project = declared()
    assert SpecifierSet(project["requires-python"]).contains(pyodide_python(data))
    status, problems = resolve(project["dependencies"], data, wheels)
    assert not problems, problems
    # what runs in Lite: the statistics' libraries from Pyodide, the writer as a pure wheel
    for name in ("numpy", "pandas", "scipy"):
        assert status[name].startswith("pyodide"), status
    assert status["xlsxwriter"].startswith("pure wheel"), status
    for heavy in ("fastexcel", "duckdb", "pyarrow", "python-calamine"):
        assert heavy not in status, f"{heavy} is required on emscripten: {status[heavy]}"
    print(f"Pyodide {version}:", json.dumps(status, indent=1))


@pytest.mark.parametrize("which", ["xlwings Lite", "newest"])
def test_the_lite_workbooks_requirements_install_in_pyodide(which: str, wheels: Path) -> None:
    version = PYODIDE_VERSION if which == "xlwings Lite" else _newest()
    data = lock(version)
    lines = [line.split("#")[0].strip() for line in requirements_txt().splitlines()]
    lines = [line for line in lines if line and not line.startswith("nps-xl")]
    _, problems = resolve(lines, data, wheels)
    assert not problems, problems


@pytest.mark.parametrize(
    ("requirement", "version"),
    [
        ("fastexcel>=0.14", "newest"),  # no WebAssembly build in any Pyodide
        ("python-calamine>=0.3", PYODIDE_VERSION),  # compiled for Pyodide only from 0.29
        ("pandas>=99", PYODIDE_VERSION),  # in the lock, but not a version the specifier allows
    ],
)
def test_the_check_fails_for_a_dependency_without_a_wasm_build(
    requirement: str, version: str, wheels: Path
) -> None:
    data = lock(_newest() if version == "newest" else version)
    project = declared()
    deps = [*project["dependencies"], requirement]  # as if pyproject required it unmarked
    _, problems = resolve(deps, data, wheels)
    name = Requirement(requirement).name
    assert [p for p in problems if p.startswith(name)], problems


def test_heavy_engines_stay_required_off_emscripten() -> None:
    """The markers remove them in Pyodide only: desktop installs keep the fast engines."""
    from packaging.markers import default_environment

    desktop = default_environment() | {"sys_platform": "linux", "extra": ""}
    required = {
        canonicalize_name(r.name)
        for r in map(Requirement, declared()["dependencies"])
        if r.marker is None or r.marker.evaluate(desktop)
    }
    assert {"fastexcel", "duckdb", "pyarrow", "python-calamine"} <= required
