"""Progress on long work (docs: cli.md, "Progress"): the phases of a report (reading, counting,
writing) are drawn on stderr when it is a terminal — a pseudo-terminal here (Python's ``pty``) —
never on stdout, not at all when stderr is no terminal, and not with ``--quiet``.

The phase names are checked against the words of the language file (en.json), read here
independently of the code that draws them."""

from __future__ import annotations

import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "nps_xl" / "data" / "sample_survey.csv"
WORDS = json.loads((ROOT / "nps_xl" / "i18n" / "en.json").read_text(encoding="utf-8"))
ANSI = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[()][A-Z0-9]|[\r\x07]")


def _run(tmp_path: Path, *extra: str, terminal: bool) -> tuple[str, str, int]:
    """``nps-xl report SAMPLE -o …`` with stderr on a pseudo-terminal (or a pipe); stdout is
    always a pipe. Returns (stdout, stderr without escape codes, exit code)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "COLUMNS": "200", "TERM": "xterm"}
    env.pop("NO_COLOR", None)
    args = [sys.executable, "-m", "nps_xl", "report", str(SAMPLE), "-o",
            str(tmp_path / "r.xlsx"), "--force", "--brief", *extra]  # fmt: skip
    if not terminal:
        done = subprocess.run(args, capture_output=True, text=True, env=env, timeout=120)
        return done.stdout, done.stderr, done.returncode
    leader, follower = pty.openpty()
    proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=follower, env=env)
    os.close(follower)
    chunks = []
    while True:
        try:
            data = os.read(leader, 65536)
        except OSError:  # the other side closed
            break
        if not data:
            break
        chunks.append(data)
    stdout = proc.stdout.read().decode()
    proc.wait(timeout=120)
    os.close(leader)
    return stdout, ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")), proc.returncode


def _phases(name_in: str, name_out: str) -> list[str]:
    return [
        WORDS["cli_reading"].format(name=name_in),
        WORDS["cli_counting"].format(name=name_in),
        WORDS["cli_writing"].format(name=name_out),
    ]


def test_the_phases_appear_on_a_terminal_stderr_only(tmp_path):
    stdout, stderr, code = _run(tmp_path, terminal=True)
    assert code == 0, stderr[-2000:]
    for label in _phases(SAMPLE.name, "r.xlsx"):
        assert label in stderr, (label, stderr[-2000:])
        assert label not in stdout
    assert "r.xlsx" in stdout  # the summary and "written" line are on stdout as before


@pytest.mark.parametrize("extra", [(), ("--quiet",)], ids=["no-terminal", "quiet"])
def test_no_progress_without_a_terminal_or_with_quiet(tmp_path, extra):
    terminal = bool(extra)  # --quiet is checked on a terminal, the other case on a pipe
    stdout, stderr, code = _run(tmp_path, *extra, terminal=terminal)
    assert code == 0, stderr[-2000:]
    for label in _phases(SAMPLE.name, "r.xlsx"):
        assert label not in stderr and label not in stdout
    assert stderr.strip() == ""  # nothing extra printed


def test_nothing_listens_by_default():
    from nps_xl import progress

    progress.phase("reading", 10)  # no listener: a no-op
    progress.advance(5)
    heard = []

    class Ear:
        def phase(self, name, total=None):
            heard.append((name, total))

        def advance(self, done):
            heard.append(done)

    with progress.reporting(Ear()):
        progress.phase("counting")
        progress.advance(3)
    progress.phase("writing")
    assert heard == [("counting", None), 3]
