"""The README's set-up commands are the ones CI runs, and its examples are true.

The README is the front page (at most about 250 lines); the manual it links to is the mkdocs site
in docs/ (tests/test_docs.py). The Python API examples of docs/statistics.md are checked below.
"""

import doctest
import re
from pathlib import Path

import nps_xl as nx

ROOT = Path(__file__).resolve().parents[1]


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.DOTALL)
    assert block, "README must start with a bash block of set-up commands"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_opens_with_demo_and_test_commands():
    demo, tests = readme_commands()
    assert demo.endswith("nps-xl demo")
    assert "pytest" in tests


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    _, tests = readme_commands()
    assert any(line.startswith(tests) for line in ci.splitlines())


def test_readme_api_examples():
    """The examples of docs/statistics.md (The Python API)."""
    assert nx.counts([10, 9, 7, "10 - Extremely likely", None, 3]) == nx.Counts(1, 1, 3)
    assert nx.counts([10, 9, 7, "10 - Extremely likely", None, 3]).nps == 40.0
    assert nx.Counts(detractors=15, passives=15, promoters=70).nps == 55.0
    assert nx.sample_size(5) == 1534
    assert nx.band(42) == "Good"


def test_public_api_names():
    for name in ["Counts", "counts", "nps", "interval", "compare", "sample_size", "band"]:
        assert name in nx.__all__ and hasattr(nx, name)


def test_readme_is_a_front_page():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 250


def test_readme_python_session_is_true():
    """The README's `>>>` session gives what it shows (run by doctest, output compared)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    sessions = re.findall(r"```pycon\n(.*?)```", text, re.DOTALL)
    assert sessions, "the README shows a Python session"
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    for k, session in enumerate(sessions):
        runner.run(parser.get_doctest(session, {}, f"README session {k + 1}", "README.md", 0))
    result = runner.summarize(verbose=False)
    assert result.attempted >= 6
    assert result.failed == 0


def test_readme_links_lead_to_files_and_headings():
    """Every relative link of the README names a file of the repository (docs pages included);
    its #anchor is checked where the site is built (tests/test_docs.py builds docs/)."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", text)
    local = [t for t in targets if not t.startswith(("http://", "https://"))]
    assert "docs/img/dashboard.png" in local
    missing = [t for t in local if not (ROOT / t).exists()]
    assert missing == []
