"""A light start (docs: performance.md, "Start-up"): ``nps-xl --help``, ``--version`` and a
mistyped option import none of the heavy libraries, and ``import nps_xl`` keeps every public
name working while importing them only when a name is used.

The import list is Python's own (``python -X importtime`` prints every module it imports, in a
fresh process), so the test is deterministic: no timing.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

import nps_xl

ROOT = Path(__file__).resolve().parent.parent
#: What a start that only declares the commands must not load.
HEAVY = ("pandas", "numpy", "duckdb", "polars", "pyarrow", "xlsxwriter", "scipy", "pyspark")


def imported(*code_or_args: str) -> tuple[set[str], subprocess.CompletedProcess]:
    """The top-level packages a fresh ``python -X importtime …`` imports, and the process."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *code_or_args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    names = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            name = line.rsplit("|", 1)[1].strip()
            if name != "package":  # the header line
                names.add(name.partition(".")[0])
    return names, done


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["report", "--help"],
        ["summary", "--nope"],  # an unknown option: one line, exit 2
        ["report", "x.csv", "-o", "y.xlsx", "--period", "fortnight"],  # a bad value
        ["compare"],  # a missing argument
    ],
)
def test_start_imports_no_heavy_library(args: list[str]) -> None:
    names, done = imported("-m", "nps_xl", *args)
    assert done.returncode in (0, 2), done.stderr[-2000:]
    assert "nps_xl" in names and "typer" in names  # the list is real
    assert not names & set(HEAVY), sorted(names & set(HEAVY))
    if args == ["--version"]:
        assert done.stdout.strip() == f"nps-xl {nps_xl.__version__}"
        assert "rich" not in names  # the version needs no console either


def test_the_summary_still_loads_what_it_needs() -> None:
    # the counter-check: the same list does show pandas when a command reads a file
    sample = ROOT / "nps_xl" / "data" / "sample_survey.csv"
    names, done = imported("-m", "nps_xl", "summary", str(sample), "--brief")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "pandas" in names


def test_import_nps_xl_is_light_and_names_load_on_use() -> None:
    code = (
        "import sys, nps_xl as nx\n"
        "heavy = [m for m in " + repr(HEAVY) + " if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert nx.nps([10, 9, 7, 3]) == 25.0\n"
        "assert 'numpy' in sys.modules\n"
    )
    _, done = imported("-c", code)
    assert done.returncode == 0, done.stderr[-2000:]


def test_every_public_name_resolves_and_is_listed() -> None:
    import nps_xl.io as nio

    for package in (nps_xl, nio):
        for name in package.__all__:
            assert getattr(package, name) is not None, name
        assert set(package.__all__) <= set(dir(package))
    with pytest.raises(AttributeError, match="no_such_name"):
        nps_xl.no_such_name  # noqa: B018


def test_a_submodule_does_not_hide_the_function_of_its_name() -> None:
    # nps_xl.counts is the function and nps_xl/counts.py a module; nps_xl.io.tidy likewise
    import nps_xl.counts
    import nps_xl.io
    import nps_xl.io.tidy

    assert callable(nps_xl.counts) and nps_xl.counts.__module__ == "nps_xl.counts"
    assert nps_xl.counts([10, 0]).n == 2
    assert callable(nps_xl.io.tidy) and nps_xl.io.tidy.__module__ == "nps_xl.io.tidy"
    from nps_xl import counts

    assert counts is nps_xl.counts


@pytest.mark.parametrize("package", ["nps_xl", "nps_xl.io"])
def test_type_checking_imports_match_the_lazy_names(package: str) -> None:
    """The names under ``if TYPE_CHECKING:`` (for editors and type checkers) are exactly the
    lazy ones, each from the same module."""
    module = sys.modules.get(package) or __import__(package, fromlist=["_"])
    tree = ast.parse(Path(module.__file__).read_text(encoding="utf-8"))
    declared = set()
    for node in tree.body:
        if isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            for imp in node.body:
                if isinstance(imp, ast.ImportFrom) and imp.module.startswith("nps_xl"):
                    for alias in imp.names:
                        declared.add((imp.module, alias.name, alias.asname or alias.name))
    lazy = set()
    for source, names in module._EXPORTS.items():
        for entry in names:
            name, _, alias = entry.partition(" as ")
            lazy.add((source, name, alias or name))
    assert declared == lazy
    assert {alias for _, _, alias in lazy} <= set(module.__all__) | {"read_raw"}


def test_an_engine_report_imports_no_query_engine_it_does_not_use(tmp_path) -> None:
    """A DuckDB count needs DuckDB, pyarrow's arrays and compute functions, but not pyarrow's
    Acero engine (77 ms of a start; ``pyarrow.Table.group_by`` would import it) nor Polars."""
    lines = ["Date,Score,Region"] + [f"2025-01-{d:02d},{d % 11},R{d % 3}" for d in range(1, 29)]
    path = tmp_path / "answers.csv"
    path.write_text("\n".join(lines) + "\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    args = ["report", str(path), "-o", str(tmp_path / "out.xlsx"), "--aggregates-only",
            "--engine", "duckdb", "--brief"]  # fmt: skip
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "nps_xl", *args],
                          capture_output=True, text=True, env=env, timeout=180)  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    modules = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
               if line.startswith("import time:") and "|" in line}  # fmt: skip
    assert {"duckdb._seam", "pyarrow.compute"} <= modules  # the list is real: the engine ran
    assert not {"pyarrow.acero", "pyarrow._acero", "polars"} & modules
