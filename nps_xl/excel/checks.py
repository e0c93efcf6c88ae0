"""What desktop Excel needs before the NPS add-in and the ``=NPS(...)`` functions can run.

``nps-xl addin check`` (and ``nps-xl addin install``, after installing) says what is missing,
one line each. The checks are pure functions of :class:`Facts` — registry values, the
interpreter path, the environment — so they are tested on any system by feeding facts;
:func:`gather_facts` collects the real ones (the registry only on Windows, through ``winreg``).

What is checked where:

* **Windows**: desktop Excel has been set up for this account (registry key
  ``HKCU\\Software\\Microsoft\\Office\\<version>\\Excel``); *Trust access to the VBA project
  object model* (``…\\Excel\\Security\\AccessVBOM`` = 1; an Office policy under
  ``HKCU\\Software\\Policies\\Microsoft\\Office\\…`` wins) — xlwings' *Import Functions* writes
  the function wrappers into the workbook's VBA project through it; the interpreter exists; it
  is not a Python from the Microsoft Store (its sandbox stops Excel from starting it: "Could
  not activate Python COM server"); a conda environment is activated, so that the add-in's
  *Conda Path* and *Conda Env* settings can be filled in (xlwings runs ``<Conda Path>\\condabin\\
  conda activate <Conda Env>`` first, which needs conda 4.6 or later — without activation
  numpy's DLLs do not load).
* **macOS**: the interpreter exists (RunPython runs it through AppleScript; there is no VBA
  object model setting and no conda activation step there).
* elsewhere: nothing — there is no desktop Excel.
"""

from __future__ import annotations

import os
import platform
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import PureWindowsPath

from nps_xl.i18n import text

#: Office versions with an Excel that runs xlwings (2010, 2013, 2016/2019/2021/365).
OFFICE_VERSIONS = ("16.0", "15.0", "14.0")
USER_KEY = r"Software\Microsoft\Office\{version}\Excel"
POLICY_KEY = r"Software\Policies\Microsoft\Office\{version}\Excel"
SECURITY = r"\Security"
#: Folders a Python from the Microsoft Store lives in (the app alias and the package).
STORE_MARKERS = ("\\windowsapps\\", "pythonsoftwarefoundation.python.")

#: Read one registry value below HKEY_CURRENT_USER: ``(key path, value name) → value``;
#: None when the key or value is missing; ``""`` as the value name asks whether the key exists.
RegistryReader = Callable[[str, str], "int | str | None"]


@dataclass(frozen=True)
class Facts:
    """What the checks look at; :func:`gather_facts` fills it in from the running system."""

    system: str  # platform.system(): "Windows", "Darwin", "Linux", …
    interpreter: str  # the Python the add-in will run
    interpreter_exists: bool
    #: Office version → AccessVBOM of the user (None: not set); only versions whose Excel key
    #: exists. Empty: no Excel set up for this account. None: the registry could not be read
    #: (another system pretending to be Windows, as in tests), so nothing is said about it.
    access_vbom: Mapping[str, int | None] | None = None
    #: Office version → AccessVBOM set by a policy (None: no policy).
    access_vbom_policy: Mapping[str, int | None] = field(default_factory=dict)
    prefix: str = ""  # the environment folder of the interpreter
    conda_env_folder: bool = False  # <prefix>\conda-meta exists
    environ: Mapping[str, str] = field(default_factory=dict)  # CONDA_* variables
    conda_bat_exists: bool = False  # <Conda Path>\condabin\conda.bat exists


@dataclass(frozen=True)
class Finding:
    """One line of the check: ``missing`` says what stops Excel; otherwise it is a note."""

    key: str
    fields: Mapping[str, str]
    missing: bool = True

    def message(self, lang: str = "en") -> str:
        return text(self.key, lang, **self.fields)


@dataclass(frozen=True)
class CondaSettings:
    """The add-in's ``Conda Path`` and ``Conda Env`` (both empty: no conda)."""

    path: str = ""
    env: str = ""


def conda_settings(facts: Facts) -> CondaSettings:
    """What ``Conda Path`` and ``Conda Env`` should hold, as ``xlwings addin install`` derives
    them: ``CONDA_EXE`` without its last two parts (``\\Scripts\\conda.exe``) and
    ``CONDA_DEFAULT_ENV`` — only on Windows, for an interpreter of the activated environment."""
    if facts.system != "Windows" or not facts.conda_env_folder:
        return CondaSettings()
    exe, env = facts.environ.get("CONDA_EXE", ""), facts.environ.get("CONDA_DEFAULT_ENV", "")
    active = facts.environ.get("CONDA_PREFIX", "")
    if not (exe and env and active) or not _same_folder(active, facts.prefix):
        return CondaSettings()
    for _ in range(2):  # <Conda Path>\Scripts\conda.exe → <Conda Path>, as typed
        exe = exe[: max(exe.rfind("\\"), exe.rfind("/"), 0)]
    return CondaSettings(exe, env)


def _same_folder(a: str, b: str) -> bool:
    return (
        str(PureWindowsPath(a)).rstrip("\\").lower() == str(PureWindowsPath(b)).rstrip("\\").lower()
    )


def is_store_python(interpreter: str, prefix: str = "") -> bool:
    """A Python installed from the Microsoft Store (its alias in ``…\\WindowsApps\\`` or its
    package ``PythonSoftwareFoundation.Python.3.x_…``)."""
    paths = (str(PureWindowsPath(p)).lower() + "\\" for p in (interpreter, prefix) if p)
    return any(marker in path for path in paths for marker in STORE_MARKERS)


def check(facts: Facts) -> list[Finding]:
    """Everything desktop Excel still needs, in the order a user fixes them (see the module
    docstring for what is checked on which system)."""
    if facts.system not in ("Windows", "Darwin"):
        return [Finding("addin_check_elsewhere", {"system": facts.system or "?"}, False)]
    found: list[Finding] = []
    if facts.system == "Windows":
        found += _check_excel(facts)
    if is_store_python(facts.interpreter, facts.prefix) and facts.system == "Windows":
        found.append(Finding("addin_check_store_python", {"path": facts.interpreter}))
    elif not facts.interpreter_exists:
        found.append(Finding("addin_check_no_interpreter", {"path": facts.interpreter}))
    if facts.system == "Windows" and facts.conda_env_folder:
        found += _check_conda(facts)
    return found


def _check_excel(facts: Facts) -> list[Finding]:
    if facts.access_vbom is None:
        return []
    if not facts.access_vbom:
        return [
            Finding(
                "addin_check_no_excel",
                {"key": "HKEY_CURRENT_USER\\" + USER_KEY.format(version="<version>")},
            )
        ]
    for version, user in facts.access_vbom.items():
        policy = facts.access_vbom_policy.get(version)
        value = policy if policy is not None else user
        if value == 1:
            return []
    return [Finding("addin_check_vbom", {})]


def _check_conda(facts: Facts) -> list[Finding]:
    env_name = PureWindowsPath(facts.prefix).name or "base"
    settings = conda_settings(facts)
    if not settings.path:
        return [Finding("addin_check_conda_inactive", {"prefix": facts.prefix, "env": env_name})]
    if not facts.conda_bat_exists:
        return [Finding("addin_check_conda_old", {"path": settings.path})]
    return [Finding("addin_check_conda_set", {"path": settings.path, "env": settings.env}, False)]


# --------------------------------------------------------------------------- the real facts


def _winreg_reader() -> RegistryReader | None:
    try:
        import winreg  # Windows only
    except ImportError:
        return None

    def read(key: str, name: str) -> int | str | None:
        try:
            with winreg.OpenKey(winreg.HKEY_CURRENT_USER, key) as handle:
                if name == "":
                    return ""
                return winreg.QueryValueEx(handle, name)[0]
        except OSError:
            return None

    return read


def _as_int(value: object) -> int | None:
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def gather_facts(
    interpreter: str | None = None,
    *,
    system: str | None = None,
    registry: RegistryReader | None = None,
    environ: Mapping[str, str] | None = None,
) -> Facts:
    """The facts of this computer for ``interpreter`` (default: the running Python)."""
    system = system or platform.system()
    interpreter = interpreter or sys.executable
    environ = os.environ if environ is None else environ
    if system == "Windows":
        # python.exe sits at the top of a python.org or conda environment (venv: Scripts\)
        folder = os.path.dirname(interpreter)
        prefix = sys.prefix if interpreter == sys.executable else folder
    else:
        prefix = sys.prefix if interpreter == sys.executable else ""
    facts = {
        "system": system,
        "interpreter": interpreter,
        "interpreter_exists": os.path.isfile(interpreter),
        "prefix": prefix,
        "conda_env_folder": bool(prefix) and os.path.isdir(os.path.join(prefix, "conda-meta")),
        "environ": {k: v for k, v in environ.items() if k.startswith("CONDA_")},
    }
    if system == "Windows":
        read = registry or _winreg_reader()
        user, policy = {}, {}
        for version in OFFICE_VERSIONS if read else ():
            if read(USER_KEY.format(version=version), "") is None:
                continue
            user[version] = _as_int(read(USER_KEY.format(version=version) + SECURITY, "AccessVBOM"))
            policy[version] = _as_int(
                read(POLICY_KEY.format(version=version) + SECURITY, "AccessVBOM")
            )
        facts["access_vbom"] = user if read else None
        facts["access_vbom_policy"] = policy
        conda = conda_settings(Facts(**facts))
        facts["conda_bat_exists"] = bool(conda.path) and os.path.isfile(
            os.path.join(conda.path, "condabin", "conda.bat")
        )
    return Facts(**facts)
