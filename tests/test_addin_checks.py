"""What desktop Excel still needs (nps_xl.excel.checks): facts in, one line per missing thing.

The facts are those of real Windows set-ups: the registry values Office writes
(``HKCU\\Software\\Microsoft\\Office\\16.0\\Excel\\Security\\AccessVBOM``, DWORD 1 when *Trust
access to the VBA project object model* is ticked), the paths a Microsoft Store Python runs
from, and the variables ``conda activate`` sets. docs/ribbon.md (Checks).
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import defusedxml.ElementTree as safe_et
import pytest
from typer.testing import CliRunner

from nps_xl.excel import addin, checks
from nps_xl.i18n import LANGUAGES, text

PY = r"C:\Users\ann\AppData\Local\Programs\Python\Python312\python.exe"
STORE_ALIAS = (
    r"C:\Users\ann\AppData\Local\Microsoft\WindowsApps"
    r"\PythonSoftwareFoundation.Python.3.12_qbz5n2kfra8p0\python.exe"
)
STORE_PREFIX = (
    r"C:\Program Files\WindowsApps"
    r"\PythonSoftwareFoundation.Python.3.12_3.12.2800.0_x64__qbz5n2kfra8p0"
)
MINI = r"C:\Users\ann\miniconda3"
CONDA_ON = {
    "CONDA_EXE": MINI + r"\Scripts\conda.exe",
    "CONDA_DEFAULT_ENV": "survey",
    "CONDA_PREFIX": MINI + r"\envs\survey",
}


def windows(**changes) -> checks.Facts:
    """A Windows PC where everything is in place; ``changes`` take one thing away."""
    facts = {
        "system": "Windows",
        "interpreter": PY,
        "interpreter_exists": True,
        "access_vbom": {"16.0": 1},
        "access_vbom_policy": {"16.0": None},
        "prefix": str(Path(PY).parent),
        "conda_env_folder": False,
        "environ": {},
        "conda_bat_exists": False,
    }
    return checks.Facts(**(facts | changes))


def keys(facts: checks.Facts) -> list[str]:
    return [f.key for f in checks.check(facts) if f.missing]


def test_nothing_missing_on_a_ready_pc() -> None:
    assert checks.check(windows()) == []


@pytest.mark.parametrize(
    ("vbom", "policy", "missing"),
    [
        ({"16.0": None}, {}, True),  # never ticked: the value does not exist
        ({"16.0": 0}, {}, True),
        ({"16.0": 1}, {"16.0": 0}, True),  # ticked, but a policy switches it off
        ({"16.0": 0}, {"16.0": 1}, False),  # a policy switches it on
        ({"15.0": 1, "16.0": 0}, {}, False),  # Excel 2013 beside 365: one ticked is enough
    ],
)
def test_trust_access_to_the_vba_project_object_model(vbom, policy, missing) -> None:
    got = keys(windows(access_vbom=vbom, access_vbom_policy=policy))
    assert got == (["addin_check_vbom"] if missing else [])
    if missing:
        line = checks.check(windows(access_vbom=vbom, access_vbom_policy=policy))[0].message()
        assert '"Trust access to the VBA project object model"' in line
        assert line.startswith("Missing:") and "\n" not in line


def test_no_excel_for_this_account() -> None:
    (finding,) = checks.check(windows(access_vbom={}))
    assert finding.key == "addin_check_no_excel"
    assert r"HKEY_CURRENT_USER\Software\Microsoft\Office\<version>\Excel" in finding.message()


def test_registry_unreadable_says_nothing_about_it() -> None:
    assert checks.check(windows(access_vbom=None)) == []


def test_interpreter_that_does_not_exist() -> None:
    (finding,) = checks.check(windows(interpreter_exists=False))
    assert finding.key == "addin_check_no_interpreter"
    assert PY in finding.message() and "--interpreter" in finding.message()


@pytest.mark.parametrize(
    ("interpreter", "prefix"),
    [(STORE_ALIAS, ""), (STORE_ALIAS, STORE_PREFIX), (PY, STORE_PREFIX)],
)
def test_a_python_from_the_microsoft_store(interpreter: str, prefix: str) -> None:
    (finding,) = checks.check(windows(interpreter=interpreter, prefix=prefix))
    assert finding.key == "addin_check_store_python"
    assert "Could not activate Python COM server" in finding.message()


@pytest.mark.parametrize(
    "path",
    [PY, r"C:\Users\ann\envs\windowsapps-demo\Scripts\python.exe", r"D:\WindowsAppsX\python.exe"],
)
def test_other_pythons_are_not_taken_for_the_store(path: str) -> None:
    assert not checks.is_store_python(path, str(Path(path).parent))


def test_conda_activated_fills_in_conda_path_and_env() -> None:
    facts = windows(
        interpreter=CONDA_ON["CONDA_PREFIX"] + r"\python.exe",
        prefix=CONDA_ON["CONDA_PREFIX"],
        conda_env_folder=True,
        environ=CONDA_ON,
        conda_bat_exists=True,
    )
    assert checks.conda_settings(facts) == checks.CondaSettings(MINI, "survey")
    (note,) = checks.check(facts)
    assert not note.missing and MINI in note.message() and "survey" in note.message()


@pytest.mark.parametrize(
    "environ",
    [
        {},  # a conda python run from a plain prompt
        CONDA_ON | {"CONDA_PREFIX": MINI, "CONDA_DEFAULT_ENV": "base"},  # base is active
    ],
)
def test_conda_not_activated_for_this_environment(environ: dict) -> None:
    facts = windows(
        interpreter=MINI + r"\envs\survey\python.exe",
        prefix=MINI + r"\envs\survey",
        conda_env_folder=True,
        environ=environ,
    )
    assert checks.conda_settings(facts) == checks.CondaSettings()
    (finding,) = checks.check(facts)
    assert finding.key == "addin_check_conda_inactive"
    assert "conda activate survey" in finding.message()


def test_conda_too_old_to_activate() -> None:
    facts = windows(prefix=CONDA_ON["CONDA_PREFIX"], conda_env_folder=True, environ=CONDA_ON)
    assert keys(facts) == ["addin_check_conda_old"]
    assert "condabin\\conda.bat" in checks.check(facts)[0].message()


def test_several_things_missing_give_one_line_each() -> None:
    facts = windows(
        access_vbom={"16.0": None},
        interpreter=STORE_ALIAS,
        prefix=STORE_PREFIX,
    )
    assert keys(facts) == ["addin_check_vbom", "addin_check_store_python"]


def test_macos_checks_only_the_interpreter() -> None:
    mac = windows(system="Darwin", access_vbom={}, interpreter="/opt/py/bin/python3")
    assert checks.check(mac) == []
    assert keys(windows(system="Darwin", interpreter_exists=False)) == [
        "addin_check_no_interpreter"
    ]


def test_elsewhere_there_is_nothing_to_check() -> None:
    (note,) = checks.check(windows(system="Linux"))
    assert not note.missing and "Linux" in note.message()


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_message_in_every_language(lang: str) -> None:
    fields = {"path": PY, "prefix": MINI, "env": "base", "key": "HKCU", "system": "Windows"}
    for key in (
        "addin_check_vbom",
        "addin_check_no_excel",
        "addin_check_store_python",
        "addin_check_no_interpreter",
        "addin_check_conda_inactive",
        "addin_check_conda_old",
        "addin_check_conda_set",
        "addin_check_elsewhere",
        "addin_check_ok",
    ):
        line = text(key, lang, **fields)
        assert line and "\n" not in line
        if lang != "en":
            assert line != text(key, "en", **fields)
    assert "Could not activate Python COM server" in text("addin_check_store_python", lang, path=PY)


# --------------------------------------------------------------------------- gathered facts


def fake_registry(values: dict[str, object]):
    def read(key: str, name: str):
        return values.get(f"{key}|{name}")

    return read


def test_gather_facts_reads_the_registry_keys_office_writes(tmp_path: Path) -> None:
    python = tmp_path / "python.exe"
    python.write_bytes(b"")
    registry = fake_registry(
        {
            r"Software\Microsoft\Office\16.0\Excel|": "",
            r"Software\Microsoft\Office\16.0\Excel\Security|AccessVBOM": 1,
            r"Software\Policies\Microsoft\Office\16.0\Excel\Security|AccessVBOM": 0,
        }
    )
    facts = checks.gather_facts(str(python), system="Windows", registry=registry, environ={})
    assert facts.access_vbom == {"16.0": 1} and facts.access_vbom_policy == {"16.0": 0}
    assert facts.interpreter_exists and facts.prefix == str(tmp_path)
    assert keys(facts) == ["addin_check_vbom"]  # the policy wins
    nothing = checks.gather_facts(str(python), system="Windows", registry=fake_registry({}))
    assert nothing.access_vbom == {}


def test_gather_facts_finds_a_conda_environment(tmp_path: Path) -> None:
    root = tmp_path / "miniconda3"
    env = root / "envs" / "survey"
    (env / "conda-meta").mkdir(parents=True)
    (env / "python.exe").write_bytes(b"")
    (root / "condabin").mkdir()
    (root / "condabin" / "conda.bat").write_bytes(b"")
    environ = {
        "CONDA_EXE": str(root / "Scripts" / "conda.exe"),
        "CONDA_DEFAULT_ENV": "survey",
        "CONDA_PREFIX": str(env),
        "PATH": "ignored",
    }
    facts = checks.gather_facts(
        str(env / "python.exe"), system="Windows", registry=fake_registry({}), environ=environ
    )
    assert facts.conda_env_folder and facts.conda_bat_exists
    assert set(facts.environ) == {"CONDA_EXE", "CONDA_DEFAULT_ENV", "CONDA_PREFIX"}


# --------------------------------------------------------------------------- install and check


def config(path: Path) -> dict[str, str]:
    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    with zipfile.ZipFile(path) as z:
        sst = safe_et.fromstring(z.read("xl/sharedStrings.xml"))
        sheet = safe_et.fromstring(z.read("xl/worksheets/sheet1.xml"))
    strings = ["".join(t.text or "" for t in si.iter(f"{main}t")) for si in sst.iter(f"{main}si")]
    cells = {}
    for c in sheet.iter(f"{main}c"):
        v = c.find(f"{main}v")
        cells[c.get("r")] = strings[int(v.text)] if c.get("t") == "s" and v is not None else ""
    return {cells[f"A{i}"]: cells.get(f"B{i}", "") for i in range(1, 10)}


def test_install_with_conda_writes_the_conda_settings_and_says_so(tmp_path: Path) -> None:
    facts = windows(
        interpreter=CONDA_ON["CONDA_PREFIX"] + r"\python.exe",
        prefix=CONDA_ON["CONDA_PREFIX"],
        conda_env_folder=True,
        environ=CONDA_ON,
        conda_bat_exists=True,
        access_vbom={"16.0": None},
    )
    done = addin.install_addin(
        interpreter=facts.interpreter, target_dir=tmp_path, system="Windows", facts=facts
    )
    values = config(tmp_path / "nps_xl.xlam")
    assert values["Conda Path"] == MINI and values["Conda Env"] == "survey"
    assert values["Interpreter_Win"] == facts.interpreter
    assert done[-2] == text("addin_check_vbom", "en")
    assert done[-1] == text("addin_check_conda_set", "en", path=MINI, env="survey")


def test_install_without_conda_leaves_the_conda_settings_empty(tmp_path: Path) -> None:
    addin.install_addin(interpreter=PY, target_dir=tmp_path, system="Windows", facts=windows())
    values = config(tmp_path / "nps_xl.xlam")
    assert values["Conda Path"] == "" and values["Conda Env"] == ""


def test_cli_check_here(monkeypatch: pytest.MonkeyPatch) -> None:
    result = CliRunner().invoke(addin.addin_app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == text("addin_check_elsewhere", "en", system="Linux")
    monkeypatch.setattr(checks, "gather_facts", lambda interpreter=None: windows(
        access_vbom={"16.0": 0}, interpreter_exists=False))  # fmt: skip
    result = CliRunner().invoke(addin.addin_app, ["check", "--lang", "lt"])
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        text("addin_check_vbom", "lt"),
        text("addin_check_no_interpreter", "lt", path=PY),
    ]
    monkeypatch.setattr(checks, "gather_facts", lambda interpreter=None: windows())
    result = CliRunner().invoke(addin.addin_app, ["check"])
    assert result.exit_code == 0
    assert result.output.strip() == text("addin_check_ok", "en", system="Windows")
