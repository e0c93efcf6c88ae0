"""The misuse campaign of ``scripts/attack_reports.py`` runs in CI: every case of issue
"Reliability 2" through the real command, each checked against what the case itself wrote
(the input left as it was, existing tables kept, formula text neutralised, no file left by a
refused write, exact-fraction NPS for extreme weights, the answer count of a web page, of a
second sheet and of standard input)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_misuse_campaign_passes():
    run = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "attack_reports.py"), "--campaign", "misuse"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "Misuse: 9 cases of the real command"
    assert sum("FAILED" in line for line in lines) == 0
    assert lines[-1] == "all passed"
