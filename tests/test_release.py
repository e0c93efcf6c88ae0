"""The release: one version everywhere, and a wheel that holds everything a user needs.

``scripts/check_wheel.sh`` builds the sdist and the wheel (from the sdist), installs the wheel
without ``-e`` into a fresh virtual environment and runs ``nps-xl`` from a folder outside the
checkout; this module runs it (so the README's test command, and CI, do) and then compares the
wheel's and the sdist's file lists with the files of the repository, counted independently
(the folders listed here, not the code's own list). docs/install.md, docs/development.md.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

import pytest
import tomllib
from packaging.requirements import Requirement
from typer.testing import CliRunner

import nps_xl
from nps_xl import shipped
from nps_xl.cli import app
from nps_xl.i18n import LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
LANGUAGE_FOLDERS = ("zh-Hans", "zh-Hant", "lt", "bg")


def repository_files() -> dict[str, list[str]]:
    """What a user needs, listed from the repository's folders (not from nps_xl.shipped)."""
    templates = sorted(
        p.relative_to(ROOT / "workbook_templates").as_posix()
        for p in (ROOT / "workbook_templates").rglob("*")
        if p.is_file()
    )
    return {
        "templates": templates,
        "translations": sorted(p.name for p in (ROOT / "nps_xl" / "i18n").glob("*.json")),
        "data": sorted(p.name for p in (ROOT / "nps_xl" / "data").iterdir() if p.is_file()),
    }


def missing_from_wheel(names: list[str]) -> list[str]:
    """The repository's templates, translations and data files that a wheel with these entries
    lacks."""
    have = set(names)
    files = repository_files()
    wanted = [f"nps_xl/workbook_templates/{n}" for n in files["templates"]]
    wanted += [f"nps_xl/i18n/{n}" for n in files["translations"]]
    wanted += [f"nps_xl/data/{n}" for n in files["data"]]
    wanted += ["nps_xl/excel/ribbon/customUI.xml", "nps_xl/excel/lite_main.py"]
    return [w for w in wanted if w not in have]


@pytest.fixture(scope="module")
def release(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    dist = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "check_wheel.sh"), str(dist)],
        capture_output=True,
        text=True,
        timeout=600,
        env={**os.environ, "PYTHON": sys.executable},
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return dist, done.stdout


# --------------------------------------------------------------------------- one version


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"]
    assert project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "nps_xl.__version__"}
    assert re.fullmatch(r"\d+\.\d+\.\d+", nps_xl.__version__)
    # nowhere else in the package source
    for path in (ROOT / "nps_xl").rglob("*.py"):
        if path.name != "__init__.py" or path.parent.name != "nps_xl":
            assert f'"{nps_xl.__version__}"' not in path.read_text(encoding="utf-8"), path


def test_cli_version() -> None:
    result = CliRunner().invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"nps-xl {nps_xl.__version__}"


def test_changelog_starts_with_this_release() -> None:
    """Keep a Changelog 1.1.0: '## [Unreleased]' on top, then '## [x.y.z] - YYYY-MM-DD'
    sections with Added/Changed/… subsections."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert text.startswith("# Changelog\n")
    assert "keepachangelog.com/en/1.1.0" in text
    releases = re.findall(r"^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$", text, re.M)
    assert releases[0] == ("Unreleased", "")
    assert releases[1][0] == nps_xl.__version__ and releases[1][1]
    kinds = set(re.findall(r"^### (\w+)$", text, re.M))
    assert kinds <= {"Added", "Changed", "Deprecated", "Removed", "Fixed", "Security"}


def test_the_addin_about_text_names_the_release(tmp_path: Path) -> None:
    from nps_xl.excel.addin import build_addin

    for lang in LANGUAGES:
        path = build_addin(tmp_path / lang / "nps_xl.xlam", lang=lang)
        with zipfile.ZipFile(path) as z:
            core = z.read("docProps/core.xml").decode("utf-8")
        title = re.search(r"<dc:title>([^<]*)</dc:title>", core).group(1)
        about = re.search(r"<dc:description>([^<]*)</dc:description>", core).group(1)
        assert f"nps-xl {nps_xl.__version__}" in title, (lang, title)
        assert nps_xl.__version__ in about and "0.37.8" in about, (lang, about)


# --------------------------------------------------------------------------- the wheel


def test_the_wheel_installs_and_runs_outside_the_checkout(release: tuple[Path, str]) -> None:
    _, output = release
    assert f"nps-xl {nps_xl.__version__}" in output.splitlines()
    assert "/venv/" in output and "16 workbooks" in output
    assert "check_wheel: the wheel installs and runs" in output


def test_the_wheel_holds_every_template_translation_and_sample(
    release: tuple[Path, str],
) -> None:
    dist, _ = release
    (wheel,) = dist.glob("nps_xl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
        metadata = Parser().parsestr(
            z.read(f"nps_xl-{nps_xl.__version__}.dist-info/METADATA").decode("utf-8")
        )
    assert missing_from_wheel(names) == []
    files = repository_files()
    # five languages: three workbooks in each, the add-in once (counted from the folders)
    assert len(files["templates"]) == 3 * 5 + 1
    for folder in LANGUAGE_FOLDERS:
        assert f"{folder}/nps_lite.xlsx" in files["templates"]
    assert sorted(files["translations"]) == sorted(f"{lang}.json" for lang in LANGUAGES)
    assert "sample_survey.csv" in files["data"]
    assert metadata["Version"] == nps_xl.__version__
    requires = [Requirement(r) for r in metadata.get_all("Requires-Dist")]
    assert 'xlwings==0.37.8; sys_platform != "emscripten"' in [str(r) for r in requires]


def test_the_sdist_holds_the_workbooks(release: tuple[Path, str]) -> None:
    dist, _ = release
    (sdist,) = dist.glob("nps_xl-*.tar.gz")
    top = f"nps_xl-{nps_xl.__version__}/"
    with tarfile.open(sdist) as t:
        names = {n.removeprefix(top) for n in t.getnames()}
    for name in repository_files()["templates"]:
        assert f"workbook_templates/{name}" in names
    assert {"setup.py", "CHANGELOG.md", "pyproject.toml"} <= names


def test_the_check_names_a_file_missing_from_the_wheel(release: tuple[Path, str]) -> None:
    dist, _ = release
    (wheel,) = dist.glob("nps_xl-*.whl")
    with zipfile.ZipFile(wheel) as z:
        names = z.namelist()
    for gone in (
        "nps_xl/workbook_templates/lt/nps_lite.xlsx",
        "nps_xl/workbook_templates/nps_xl.xlam",
        "nps_xl/i18n/bg.json",
        "nps_xl/data/sample_survey.csv",
    ):
        assert missing_from_wheel([n for n in names if n != gone]) == [gone]


# --------------------------------------------------------------------------- shipped files


def test_the_code_lists_what_the_repository_ships() -> None:
    assert sorted(shipped.shipped_names()) == repository_files()["templates"]
    assert shipped.templates_folder() == ROOT / "workbook_templates"  # a checkout


def test_an_installation_without_a_workbook_says_which(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broken = tmp_path / "workbook_templates"
    for name in shipped.shipped_names():
        (broken / name).parent.mkdir(parents=True, exist_ok=True)
        (broken / name).write_bytes(b"x")
    (broken / "bg" / "nps_lite.xlsx").unlink()
    monkeypatch.setattr(shipped, "PACKAGE_FOLDER", broken)
    with pytest.raises(shipped.MissingWorkbooks, match=r"bg[/\\]nps_lite\.xlsx"):
        shipped.shipped_files()
    monkeypatch.setattr(shipped, "PACKAGE_FOLDER", tmp_path / "none")
    monkeypatch.setattr(shipped, "CHECKOUT_FOLDER", tmp_path / "none")
    with pytest.raises(shipped.MissingWorkbooks, match="incomplete"):
        shipped.templates_folder()


def test_nps_xl_workbooks_copies_them_and_keeps_existing_files(tmp_path: Path) -> None:
    out = tmp_path / "books"
    result = CliRunner().invoke(app, ["workbooks", str(out)])
    assert result.exit_code == 0, result.output
    assert "copied 16 workbooks" in result.output
    for name in repository_files()["templates"]:
        assert (out / name).read_bytes() == (ROOT / "workbook_templates" / name).read_bytes()
    (out / "nps_survey.xlsx").write_bytes(b"mine")
    result = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", "workbooks", str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "--force" in result.stderr
    assert (out / "nps_survey.xlsx").read_bytes() == b"mine"
    assert CliRunner().invoke(app, ["workbooks", str(out), "--force"]).exit_code == 0
    assert (out / "nps_survey.xlsx").read_bytes() != b"mine"


def test_the_docs_name_the_wheel_of_this_release() -> None:
    """Install lines name the release's files (nps_xl-x.y.z…): all of this version."""
    pages = [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]
    named = {
        (page.name, version)
        for page in pages
        for version in re.findall(r"nps_xl-(\d+\.\d+\.\d+)[-.]", page.read_text(encoding="utf-8"))
    }
    assert {page for page, _ in named} >= {"README.md", "install.md", "ribbon.md"}
    assert {version for _, version in named} == {nps_xl.__version__}, named
