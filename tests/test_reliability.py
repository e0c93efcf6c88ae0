"""The user's data is never lost and the machine's errors are not called ours (issue 23):
``--tables`` follows the rules of ``-o``; CSV cells cannot run as formulas; permission denied,
a full disk and a file-size limit end in one line naming the path, exit 2, no temporary file.

The environment errors are real conditions, made in a subprocess: a folder without write
permission for a process without ``CAP_DAC_OVERRIDE`` (root keeps its uid but loses the
capability to ignore permission bits, ``setpriv --bounding-set``), a 64 KB tmpfs for the full
disk, and ``RLIMIT_FSIZE`` for the file-size limit.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "nps_xl" / "data" / "sample_survey.csv"
TABLES = ["follow_up.csv", "invalid_answers.csv", "segments.csv", "themes.csv", "trend.csv"]


def nps_xl(
    *args: str, preexec_fn=None, prefix: tuple[str, ...] = ()
) -> subprocess.CompletedProcess:
    """The real command in a fresh process (stderr as the user sees it)."""
    return subprocess.run(
        [*prefix, sys.executable, "-m", "nps_xl.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
        preexec_fn=preexec_fn,
        timeout=120,
    )


def one_line(proc: subprocess.CompletedProcess) -> str:
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert len(lines) == 1, proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*") if ".nps-xl-" in p.name)


# --- 1. --tables never writes over the input or an existing file -----------------------------


@pytest.mark.parametrize("link", ["same path", "hard link", "symbolic link"])
def test_tables_never_write_over_the_input(tmp_path, link):
    """The export lies in the tables folder under a table's name (``trend.csv``), itself or
    through a link: refused, even with --force, and the export is unchanged."""
    tables = tmp_path / "tables"
    tables.mkdir()
    export = tables / "trend.csv"
    if link == "same path":
        shutil.copy(SAMPLE, export)
        given = export
    else:
        given = tmp_path / "export.csv"
        shutil.copy(SAMPLE, given)
        (os.link if link == "hard link" else os.symlink)(given, export)
    before = SAMPLE.read_bytes()
    for force in ((), ("--force",)):
        proc = nps_xl("summary", str(given), "--tables", str(tables), "--brief", *force)
        assert proc.returncode == 2, proc.stderr
        assert "is the input file" in one_line(proc)
        assert given.read_bytes() == before and export.read_bytes() == before
    assert sorted(p.name for p in tables.iterdir()) == ["trend.csv"]  # nothing else written


def test_tables_refuse_existing_files_without_force(tmp_path):
    tables = tmp_path / "tables"
    tables.mkdir()
    mine = tables / "segments.csv"
    mine.write_text("my own segments\n", encoding="utf-8")
    proc = nps_xl("summary", str(SAMPLE), "--tables", str(tables), "--brief")
    assert proc.returncode == 2
    line = one_line(proc)
    assert "segments.csv" in line and "--force" in line
    # checked before anything was written: the folder is as it was
    assert sorted(p.name for p in tables.iterdir()) == ["segments.csv"]
    assert mine.read_text(encoding="utf-8") == "my own segments\n"
    proc = nps_xl("summary", str(SAMPLE), "--tables", str(tables), "--brief", "--force")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in tables.iterdir()) == TABLES
    with open(mine, encoding="utf-8", newline="") as fh:
        assert next(csv.reader(fh))[:2] == ["segment", "group"]


def test_report_refuses_a_hard_link_to_its_input(tmp_path):
    """``-o`` too compares files, not names: a hard link to the export is the export."""
    export = tmp_path / "export.xlsx"
    proc = nps_xl("report", str(SAMPLE), "-o", str(export), "--brief")
    assert proc.returncode == 0, proc.stderr
    link = tmp_path / "again.xlsx"
    os.link(export, link)
    before = export.read_bytes()
    proc = nps_xl("report", str(export), "-o", str(link), "--force", "--brief")
    assert proc.returncode == 2 and "is the input file" in one_line(proc)
    assert export.read_bytes() == before


def test_a_table_that_is_a_folder_is_refused(tmp_path):
    tables = tmp_path / "tables"
    (tables / "trend.csv").mkdir(parents=True)
    proc = nps_xl("summary", str(SAMPLE), "--tables", str(tables), "--brief", "--force")
    assert proc.returncode == 2 and "is a folder" in one_line(proc)


# --- 3. CSV formula injection -----------------------------------------------------------------

HOSTILE = (
    "Response ID,Date,Score,Comment,Region,Balance\n"
    'R1,2025-01-05,3,"=HYPERLINK(""http://evil"",""x"")",+North,-12.5\n'
    "R2,2025-01-06,9,fine,@South,4\n"
    "R3,2025-02-01,=1+1,-2+3,North,-1\n"
    'R4,2025-02-03,2,"\tTAB",-South,7\n'
    'R5,2025-02-04,1,"\rCR",North,3\n'
    "R6,2025-02-05,10,ok,North,3\n"
)


def _tables(tmp_path: Path, *extra: str) -> dict[str, list[dict]]:
    export = tmp_path / "hostile.csv"
    export.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "tables"
    proc = nps_xl(
        "summary", str(export), "--score", "Score", "--segment", "Region",
        "--segment", "Balance", "--tables", str(out), "--brief", *extra,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    read = {}
    for name in TABLES:
        with open(out / name, encoding="utf-8", newline="") as fh:
            read[name] = list(csv.DictReader(fh))
    return read


FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def test_csv_text_cells_cannot_run_as_formulas(tmp_path):
    """Every text cell of every CSV that starts like a formula (OWASP "CSV Injection") starts
    with an apostrophe; numbers, negative ones too, stay numbers."""
    read = _tables(tmp_path)
    follow = {r["response_id"]: r for r in read["follow_up.csv"]}
    assert follow["R1"]["comment"] == '\'=HYPERLINK("http://evil","x")'
    assert follow["R1"]["Region"] == "'+North"
    assert follow["R4"]["comment"] == "'\tTAB" and follow["R4"]["Region"] == "'-South"
    assert follow["R5"]["comment"] == "'\rCR"
    assert float(follow["R1"]["Balance"]) == -12.5  # a number, written as one
    assert [r["value"] for r in read["invalid_answers.csv"]] == ["'=1+1"]
    groups = {r["group"] for r in read["segments.csv"] if r["segment"] == "Region"}
    assert groups == {"'+North", "'-South", "'@South", "North"}
    balance = {float(r["group"]) for r in read["segments.csv"] if r["segment"] == "Balance"}
    assert balance == {-12.5, -1.0, 3.0, 4.0, 7.0}
    for rows in read.values():
        for row in rows:
            for value in row.values():
                if value.startswith(FORMULA_START):
                    float(value)  # only numbers may start so; anything else raises here


def test_raw_csv_writes_the_text_as_it_is(tmp_path):
    read = _tables(tmp_path, "--raw-csv")
    follow = {r["response_id"]: r for r in read["follow_up.csv"]}
    assert follow["R1"]["comment"] == '=HYPERLINK("http://evil","x")'
    assert follow["R4"]["Region"] == "-South"
    assert [r["value"] for r in read["invalid_answers.csv"]] == ["=1+1"]


# --- 4. the machine's errors are the machine's -----------------------------------------------

NO_OVERRIDE = ("setpriv", "--bounding-set=-dac_override,-dac_read_search,-fowner")


@pytest.fixture
def locked(tmp_path):
    """A folder nobody may write into (mode 555), for a process without CAP_DAC_OVERRIDE."""
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    yield folder
    folder.chmod(0o755)


@pytest.mark.parametrize("command", ["report", "tables"])
def test_permission_denied_names_the_path(locked, command):
    args = (
        ("report", str(SAMPLE), "-o", str(locked / "r.xlsx"))
        if command == "report"
        else ("summary", str(SAMPLE), "--tables", str(locked / "sub"))
    )
    proc = nps_xl(*args, "--brief", prefix=NO_OVERRIDE)
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc)
    assert "Permission denied" in line and str(locked) in line and "internal error" not in line
    assert list(locked.iterdir()) == []


def test_reading_a_file_without_permission_is_named(tmp_path):
    export = tmp_path / "export.csv"
    shutil.copy(SAMPLE, export)
    export.chmod(0o000)
    proc = nps_xl("summary", str(export), "--brief", prefix=NO_OVERRIDE)
    assert proc.returncode == 2
    assert "export.csv" in one_line(proc) and "readable" in proc.stderr


@pytest.fixture
def full_disk(tmp_path):
    """A 64 KB tmpfs: smaller than the sample's report (CI runs as root, as here)."""
    folder = tmp_path / "full"
    folder.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(folder)], check=True)
    yield folder
    subprocess.run(["umount", str(folder)], check=True)


def test_a_full_disk_is_named_and_leaves_nothing(full_disk):
    out = full_disk / "report.xlsx"
    proc = nps_xl("report", str(SAMPLE), "-o", str(out), "--brief")
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc)
    assert "No space left on device" in line and str(out) in line
    assert list(full_disk.iterdir()) == []


def _limit(size: int):
    return lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (size, size))


def test_a_file_size_limit_is_named_and_keeps_the_old_files(tmp_path):
    """Over an existing report and tables (``--force``): the limit stops the run in one line,
    the old files stay as they were, no temporary file is left."""
    out = tmp_path / "report.xlsx"
    tables = tmp_path / "tables"
    out.write_bytes(b"the old report")
    tables.mkdir()
    (tables / "follow_up.csv").write_text("old\n", encoding="utf-8")
    proc = nps_xl(
        "report", str(SAMPLE), "-o", str(out), "--tables", str(tables), "--force", "--brief",
        preexec_fn=_limit(20_000),
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    line = one_line(proc)
    assert "File too large" in line and "follow_up.csv" in line
    assert out.read_bytes() == b"the old report"
    assert (tables / "follow_up.csv").read_text(encoding="utf-8") == "old\n"
    assert leftovers(tmp_path) == []
    proc = nps_xl("report", str(SAMPLE), "-o", str(out), "--force", "--brief",
                  preexec_fn=_limit(60_000))  # fmt: skip
    assert proc.returncode == 2 and str(out) in one_line(proc)
    assert out.read_bytes() == b"the old report" and leftovers(tmp_path) == []
