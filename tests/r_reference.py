"""Re-run an R script that writes a reference file (scripts/make_*_reference.R), so a test can
check that the file committed under tests/ is what R produces today."""

from __future__ import annotations

import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Skips a test on a machine without R (CI installs it: scripts/install_system_deps.sh).
needs_r = pytest.mark.skipif(shutil.which("Rscript") is None, reason="R is not installed")


def regenerated(script: str, tmp_path: Path) -> dict:
    """The names the R script ``scripts/<script>`` writes, run again now."""
    out = tmp_path / "regenerated.py"
    with out.open("w") as fh:
        subprocess.run(
            ["Rscript", str(ROOT / "scripts" / script)],
            check=True,
            stdout=fh,
            timeout=300,
            cwd=ROOT,
        )
    return runpy.run_path(str(out))


def constants(module: object) -> list[str]:
    """The upper-case names of a reference module (never none: an empty file proves nothing)."""
    names = [name for name in dir(module) if name.isupper()]
    assert names
    return names
