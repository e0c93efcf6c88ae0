"""The docs site builds with ``mkdocs build --strict`` and lists every page in its navigation."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"

#: Pages the hooks make at build time (scripts/mkdocs_hooks.py), not files in docs/.
GENERATED = {"index.md"}


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
