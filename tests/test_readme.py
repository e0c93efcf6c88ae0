"""The README's set-up commands are the ones CI runs, and its examples are true."""

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
    assert nx.counts([10, 9, 7, "10 - Extremely likely", None, 3]) == nx.Counts(1, 1, 3)
    assert nx.counts([10, 9, 7, "10 - Extremely likely", None, 3]).nps == 40.0
    assert nx.Counts(detractors=15, passives=15, promoters=70).nps == 55.0
    assert nx.sample_size(5) == 1534
    assert nx.band(42) == "Good"


def test_public_api_names():
    for name in ["Counts", "counts", "nps", "interval", "compare", "sample_size", "band"]:
        assert name in nx.__all__ and hasattr(nx, name)
