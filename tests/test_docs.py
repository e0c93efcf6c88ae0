"""The docs site builds with ``mkdocs build --strict`` and lists every page in its navigation."""

import doctest
import importlib.util
import os
import re
import shutil
import subprocess
import sys
import warnings
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"


def hooks():
    """scripts/mkdocs_hooks.py, the module mkdocs.yml's ``hooks:`` loads."""
    spec = importlib.util.spec_from_file_location(
        "mkdocs_hooks", ROOT / "scripts" / "mkdocs_hooks.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: Pages the hooks make at build time, not files in docs/.
GENERATED = set(hooks().GENERATED)


def nav_pages(entries) -> list[str]:
    """Every page path named in mkdocs.yml's nav, depth first."""
    pages = []
    for entry in entries:
        value = next(iter(entry.values())) if isinstance(entry, dict) else entry
        if isinstance(value, list):
            pages += nav_pages(value)
        elif not str(value).startswith(("http://", "https://")):
            pages.append(value)
    return pages


def mkdocs_config() -> dict:
    # mkdocs.yml may hold !!python tags of extensions; none are used, so safe_load reads it.
    return yaml.safe_load((ROOT / "mkdocs.yml").read_text(encoding="utf-8"))


def test_every_page_is_in_the_nav_and_every_nav_entry_is_a_page():
    nav = nav_pages(mkdocs_config()["nav"])
    files = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    assert len(nav) == len(set(nav)), "a page is listed twice in the nav"
    assert sorted(files - set(nav)) == [], "pages missing from mkdocs.yml's nav"
    assert sorted(set(nav) - files - GENERATED) == [], "nav entries without a page"
    assert sorted(GENERATED - set(nav)) == [], "generated pages missing from the nav"
    assert not GENERATED & files, "a generated page must not also be a file in docs/"


def test_every_page_starts_with_its_title():
    for page in DOCS.rglob("*.md"):
        first = page.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# "), f"{page.relative_to(ROOT)} must start with a '# Title' line"


def build(repo: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


def test_mkdocs_build_strict_passes(tmp_path):
    run = build(ROOT, tmp_path)
    assert run.returncode == 0, run.stdout + run.stderr
    assert (tmp_path / "index.html").is_file()
    # The front page is the README: its first set-up command is on the site's home page.
    home = re.sub(r"<[^>]+>", "", (tmp_path / "index.html").read_text(encoding="utf-8"))
    assert "pip install -e . &amp;&amp; nps-xl demo" in home
    for page in ("reference/excel-functions", "reference/cli"):
        assert (tmp_path / page / "index.html").is_file(), page


def test_a_broken_anchor_fails_the_build(tmp_path):
    """The build is strict about anchors too: a link to a heading that is not there fails it."""
    copy = tmp_path / "repo"
    shutil.copytree(DOCS, copy / "docs")
    shutil.copytree(ROOT / "scripts", copy / "scripts")
    shutil.copy(ROOT / "mkdocs.yml", copy)
    shutil.copy(ROOT / "README.md", copy)
    page = copy / "docs" / "troubleshooting.md"
    page.write_text(page.read_text(encoding="utf-8") + "\n[x](cli.md#no-such-heading)\n", "utf-8")
    run = build(copy, tmp_path / "site")
    assert run.returncode != 0
    assert "no-such-heading" in run.stdout + run.stderr


def test_excel_reference_is_what_excel_shows():
    """The generated function reference holds, for every function, exactly the description and
    argument descriptions xlwings' own *Import Functions* gives Excel's Insert Function dialog
    (classic xlwings' decorators and ``import_udfs``, run by tests/classic_runner.py)."""
    from classic_runner import classic_excel

    with classic_excel() as xl:
        options = xl.import_functions().macro_options
    shown = {o["macro"].split("!")[-1]: o for o in options}
    generated = {f["name"]: f for f in hooks().excel_functions()}
    assert sorted(generated) == sorted(shown)
    page = hooks().excel_reference()
    for name, option in shown.items():
        function = generated[name]
        assert " ".join(function["description"].split()) == " ".join(option["Description"].split())
        docs = [a["doc"] for a in function["arguments"]]
        assert docs == list(option["ArgumentDescriptions"])
        assert f"\n## {name}\n" in page
        for doc in docs:
            assert hooks().cell(doc) in page


def _section(page: str, title: str) -> str:
    start = page.index(f"\n## {title} ")
    end = page.find("\n## ", start + 1)
    return page[start : end if end != -1 else len(page)]


def test_cli_reference_lists_every_option_help_prints():
    """Every command and every option ``nps-xl … --help`` prints (typer's own help screen, run
    as a user runs it) is in the generated CLI reference, under that command."""
    page = hooks().cli_reference()
    commands = [c["path"][1:] for c in hooks().cli_commands()]
    assert ["report"] in commands and ["addin", "install"] in commands
    env = {**os.environ, "COLUMNS": "300", "NO_COLOR": "1", "TERM": "dumb"}
    for path in commands:
        run = subprocess.run(
            [sys.executable, "-m", "nps_xl.cli", *path, "--help"],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
        )
        assert run.returncode == 0, run.stderr
        printed = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", run.stdout))
        assert "--help" in printed
        section = _section(page, " ".join(["nps-xl", *path]))
        listed = set(re.findall(r"(?<![\w-])--[a-z][a-z-]*", section))
        assert printed <= listed, (path, printed - listed)


def sessions(page: Path) -> list[str]:
    return re.findall(r"```pycon\n(.*?)```", page.read_text(encoding="utf-8"), re.DOTALL)


def test_the_python_sessions_of_the_docs_print_what_they_show(monkeypatch):
    """Every ``>>>`` session on a docs page (the cookbook's recipes first) gives the output the
    page shows, run from the repository root as the pages say; a page's sessions share names."""
    monkeypatch.chdir(ROOT)
    pages = [p for p in sorted(DOCS.rglob("*.md")) if sessions(p)]
    assert len([p for p in pages if p.parent.name == "cookbook"]) >= 6
    parser = doctest.DocTestParser()
    flags = doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    failures = []
    for page in pages:
        runner = doctest.DocTestRunner(optionflags=flags)
        names: dict = {}
        for k, text in enumerate(sessions(page)):
            name = f"{page.relative_to(ROOT)} session {k + 1}"
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # e.g. the sample's two "N/A" answers
                test = parser.get_doctest(text, names, name, str(page), 0)
                runner.run(test, out=failures.append, clear_globs=False)
                names = test.globs  # DocTest copies the names it is given
        assert runner.summarize(verbose=False).attempted > 0
    assert failures == [], "\n".join(failures)
