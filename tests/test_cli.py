"""The nps-xl command line. Expected figures are computed here with plain pandas from the
files (NPS = % of 9–10 minus % of 0–6 over valid answers; adjusted Wald interval of
Rocks 2016 written out by hand), never taken from the package."""

from __future__ import annotations

import csv
import math
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from nps_xl.cli import PAUSE_ENV, app

HERE = Path(__file__).parent
EXPORTS = HERE / "fixtures" / "exports"
SAMPLE = HERE.parent / "nps_xl" / "data" / "sample_survey.csv"
runner = CliRunner()
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str, cwd: Path | None = None):
    old = Path.cwd()
    if cwd is not None:
        os.chdir(cwd)
    try:
        result = runner.invoke(app, list(args), env=ENV)
    finally:
        os.chdir(old)
    result.flat = " ".join(result.output.split())  # rich wraps long lines
    return result


def independent_figures(path: Path, score: str = "Score") -> dict:
    """NPS figures of a CSV by plain pandas: the leading whole number of each answer."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)[score].str.strip()
    number = pd.to_numeric(raw.str.extract(r"^(\d+)(?:\s*[-–=(].*)?$")[0], errors="coerce")
    valid = number.between(0, 10)
    blank = raw.eq("")
    # the line of the file each record starts on (a quoted comment may span lines)
    with open(path, encoding="utf-8", newline="") as fh:
        reader, starts, line = csv.reader(fh), [], 1
        for _ in reader:
            starts.append(line)
            line = reader.line_num + 1
    invalid_rows = [starts[i + 1] for i in raw.index[~valid & ~blank]]
    s = number[valid]
    n = len(s)
    pro, det = int((s >= 9).sum()), int((s <= 6).sum())
    pas = n - pro - det
    nt = n + 3
    p, d = (pro + 0.75) / nt, (det + 0.75) / nt
    se = math.sqrt((p + d - (p - d) ** 2) / nt)
    z = 1.959963984540054
    return {
        "n": n,
        "promoters": pro,
        "passives": pas,
        "detractors": det,
        "blank": int(blank.sum()),
        "invalid_rows": invalid_rows,
        "invalid_values": raw[~valid & ~blank].tolist(),
        "nps": 100 * (pro - det) / n,
        "low": 100 * ((p - d) - z * se),
        "high": 100 * ((p - d) + z * se),
    }


def test_demo_prints_the_sample_figures(tmp_path):
    want = independent_figures(SAMPLE)
    result = run("demo", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    out = result.flat
    assert f"Promoters │ {want['promoters']:,} │ {100 * want['promoters'] / want['n']:.1f}%" in out
    assert f"Passives │ {want['passives']:,} │ {100 * want['passives'] / want['n']:.1f}%" in out
    assert (
        f"Detractors │ {want['detractors']:,} │ {100 * want['detractors'] / want['n']:.1f}%" in out
    )
    assert f"Total valid │ {want['n']:,}" in out
    assert f"NPS {want['nps']:+.1f}" in out
    assert f"95% CI {want['low']:+.1f} … {want['high']:+.1f}" in out
    assert f"Blank: {want['blank']}" in out
    # every invalid answer named with the line of the CSV file it is on
    assert f"Invalid: {len(want['invalid_rows'])} left out" in out
    for row, value in zip(want["invalid_rows"], want["invalid_values"], strict=True):
        assert f"{value!r} in line {row}" in out
    # band of the five-band scheme (30–50 good) and the global average +32 (SurveyMonkey)
    assert 30 <= want["nps"] < 50 and "Good" in out
    assert "Average (Global (all industries)" in out and f"{want['nps'] - 32:+.1f}" in out
    report = tmp_path / "nps_demo_report.xlsx"
    if report.exists():  # written once the workbook writer is installed
        assert report.stat().st_size > 10_000
        # the demo may overwrite its own report
        assert run("demo", cwd=tmp_path).exit_code == 0


@pytest.mark.parametrize("lang", ["zh-Hans", "zh-Hant", "lt", "bg"])
def test_demo_speaks_the_language(tmp_path, lang):
    from nps_xl.i18n import text

    result = run("demo", "--lang", lang, "-o", str(tmp_path / "r.xlsx"), cwd=tmp_path)
    assert result.exit_code == 0, result.output
    for key in ("promoters", "passives", "detractors"):
        assert text(key, lang) in result.output


@pytest.mark.parametrize(
    "name", ["surveymonkey.csv", "qualtrics.csv", "typeform.csv", "google_forms.csv"]
)
def test_summary_of_each_survey_tool(name):
    # fixture answers: 10 9 9 8 7 6 3 0 10 5 → 4 promoters, 2 passives, 4 detractors, NPS 0
    result = run("summary", str(EXPORTS / name))
    assert result.exit_code == 0, result.output
    assert "Promoters │ 4 │ 40.0%" in result.flat
    assert "Passives │ 2 │ 20.0%" in result.flat
    assert "Detractors │ 4 │ 40.0%" in result.flat
    assert "NPS +0.0" in result.flat


def test_weighted_summary_with_decimal_commas():
    # weights 0.5 on answers 1,3,5,7,9 and 1.5 on the others (";" export, "9,0" and "1,5")
    scores = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5]
    weights = [0.5, 1.5] * 5
    pro = sum(w for s, w in zip(scores, weights, strict=True) if s >= 9)
    det = sum(w for s, w in zip(scores, weights, strict=True) if s <= 6)
    total = sum(weights)
    result = run("summary", str(EXPORTS / "semicolon_decimal_comma.csv"))
    assert result.exit_code == 0, result.output
    assert f"NPS {100 * (pro - det) / total:+.1f}" in result.flat
    # the design-based effective n V/v (v: svymean's n/(n − 1)·Σw²(y − ȳ)²/(Σw)²)
    codes = [1 if s >= 9 else 0 if s >= 7 else -1 for s in scores]
    p, d = pro / total, det / total
    v = sum(w * w * (c - (p - d)) ** 2 for w, c in zip(weights, codes, strict=True))
    v *= len(scores) / (len(scores) - 1) / total**2
    assert f"effective n {(p + d - (p - d) ** 2) / v:,.1f}" in result.flat


def test_latest_answer_per_customer(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "Date,Customer ID,Score\n2025-01-01,c1,0\n2025-02-01,c1,10\n2025-01-05,c2,9\n"
        "2025-03-01,c2,2\n2025-01-09,,7\n"
    )
    # latest: c1 → 10, c2 → 2, anonymous 7 kept: 1 promoter, 1 passive, 1 detractor
    result = run("summary", str(path), "--customer", "Customer ID")
    assert result.exit_code == 0, result.output
    assert "Promoters │ 1 │" in result.flat and "Detractors │ 1 │" in result.flat
    assert "2 earlier answers left out" in result.flat


def test_explicit_column_flags(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("Rating A,Rating B,Region\n9,0,x\n10,0,y\n")
    result = run("summary", str(path))
    assert result.exit_code == 2
    # each candidate with its n and NPS, so the user picks with one glance
    assert "--score" in result.flat
    assert "'Rating A' (n=2, NPS +100)" in result.flat
    assert "'Rating B' (n=2, NPS -100)" in result.flat
    result = run("summary", str(path), "--score", "Rating B")
    assert result.exit_code == 0 and "NPS -100.0" in result.flat


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("summary", "missing.csv"), "missing.csv: no such file"),
        (("summary", "{tmp}/a.csv", "--score", "Nope"), "no column 'Nope'"),
        (("summary", "{tmp}/a.csv", "--lang", "xx"), "Unknown language 'xx'"),
        (("report", "{tmp}/a.csv", "-o", "{tmp}/out.csv"), "name it"),
        (("report", "{tmp}/a.csv", "-o", "{tmp}/nofolder/out.xlsx"), "does not exist"),
        (("summary", "{tmp}/a.csv", "--industry", "zzz"), "zzz"),
    ],
)
def test_bad_input_is_one_line_and_exit_code_2(tmp_path, args, message):
    (tmp_path / "a.csv").write_text("Score\n9\n3\n")
    result = run(*(a.format(tmp=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
    assert message in result.flat
    assert "Traceback" not in result.output
    assert (
        len([ln for ln in result.output.splitlines() if ln.strip().startswith("nps-xl: error")])
        == 1
    )


# --- the report workbook ---------------------------------------------------------------------


@pytest.fixture
def writer():
    return pytest.importorskip("nps_xl.workbook.xlsx").write_report


def test_report_refuses_to_overwrite_without_force(tmp_path, writer):
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"precious")
    result = run("report", str(EXPORTS / "typeform.csv"), "-o", str(out))
    assert result.exit_code == 2
    assert "exists; pass --force" in result.flat
    assert out.read_bytes() == b"precious"
    result = run("report", str(EXPORTS / "typeform.csv"), "-o", str(out), "--force")
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:2] == b"PK"
    assert not list(tmp_path.glob(".*tmp*"))  # no temporary file left behind


def _read_sheet(path: Path, sheet: str) -> list[list]:
    from python_calamine import CalamineWorkbook

    return CalamineWorkbook.from_path(str(path)).get_sheet_by_name(sheet).to_python()


def test_formula_injection_text_stays_text(tmp_path, writer):
    path = tmp_path / "evil.csv"
    evil = ['=1+1', '+SUM(A1:A9)', "-2+3", "@SUM(1)", '=HYPERLINK("http://x.test","go")',
            "=cmd|' /C calc'!A0"]  # fmt: skip
    scores = [0, 3, 5, 6, 2, 1]
    quoted = [c.replace('"', '""') for c in evil]
    rows = "".join(f'{scores[i]},"{q}",seg{i % 2}\n' for i, q in enumerate(quoted))
    path.write_text("Score,Comment,Region\n" + rows)
    out = tmp_path / "r.xlsx"
    result = run("report", str(path), "-o", str(out))
    assert result.exit_code == 0, result.output
    grid = _read_sheet(out, "Responses")
    header = grid[0]
    comments = [r[header.index("Comment")] for r in grid[1:]]
    assert comments == evil
    # and no cell of the Responses sheet holds a formula
    import zipfile

    with zipfile.ZipFile(out) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        sheets = {n: z.read(n) for n in names}
    for xml in sheets.values():
        for formula in (b"<f>1+1", b"<f>cmd", b"<f>SUM(A1:A9)", b"<f>HYPERLINK", b"<f>-2+3"):
            assert formula not in xml


def test_report_segments_and_rows_from_qualtrics(tmp_path, writer):
    out = tmp_path / "q.xlsx"
    result = run("report", str(EXPORTS / "qualtrics.csv"), "-o", str(out), "--period", "week")
    assert result.exit_code == 0, result.output
    grid = _read_sheet(out, "Responses")
    assert grid[0] == ["Response ID", "Date", "Score", "Comment", "Which region are you in?"]
    assert [r[2] for r in grid[1:]] == [10, 9, 9, 8, 7, 6, 3, 0, 10, 5]


# --- atomic write: kill the process mid-write ------------------------------------------------

FAKE_WRITER_RUN = """
import sys, time
import nps_xl.cli as cli

def slow_writer(path, frame, **kw):
    with open(path, "wb") as fh:
        fh.write(b"PK" + b"x" * 5_000_000)

cli._writer = lambda: slow_writer
sys.argv = ["nps-xl", *sys.argv[1:]]
cli.app()
"""


def _start(args: list[str], tmp_path: Path, *, fake: bool) -> subprocess.Popen:
    env = {**os.environ, PAUSE_ENV: "30"}
    cmd = [sys.executable, "-c", FAKE_WRITER_RUN, *args] if fake else [
        sys.executable, "-m", "nps_xl.cli", *args]  # fmt: skip
    return subprocess.Popen(
        cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )


def _kill_when_temp_is_written(proc: subprocess.Popen, folder: Path, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        temps = list(folder.glob(".*.tmp.xlsx"))
        if temps and temps[0].stat().st_size > 0:
            # the hook sleeps after the temporary file is complete: it will not grow further
            time.sleep(0.3)
            proc.send_signal(signal.SIGKILL)
            proc.wait(10)
            return temps[0]
        if proc.poll() is not None:
            raise AssertionError(proc.stderr.read().decode())
        time.sleep(0.05)
    proc.kill()
    raise AssertionError("the temporary report never appeared")


@pytest.mark.parametrize("fake", [True, False], ids=["any-writer", "real-writer"])
@pytest.mark.parametrize("existing", [True, False], ids=["old-report", "no-report"])
def test_killed_run_leaves_old_report_or_none(tmp_path, fake, existing):
    if not fake:
        pytest.importorskip("nps_xl.workbook.xlsx")
    data = tmp_path / "big.csv"
    with open(data, "w") as fh:
        fh.write("Date,Score,Comment,Region\n")
        for i in range(20_000):
            fh.write(f"2025-{1 + i % 12:02d}-{1 + i % 28:02d},{i % 11},comment {i},R{i % 4}\n")
    out = tmp_path / "report.xlsx"
    if existing:
        out.write_bytes(b"old report")
    args = ["report", str(data), "-o", str(out), *(["--force"] if existing else [])]
    proc = _start(args, tmp_path, fake=fake)
    temp = _kill_when_temp_is_written(proc, tmp_path)
    assert proc.returncode == -signal.SIGKILL
    assert temp.parent == out.parent  # same folder, so os.replace is a rename
    if existing:
        assert out.read_bytes() == b"old report"
    else:
        assert not out.exists()
    # a run that is not interrupted replaces it in one step
    env = {k: v for k, v in os.environ.items() if k != PAUSE_ENV}
    cmd = [sys.executable, "-c", FAKE_WRITER_RUN] if fake else [sys.executable, "-m", "nps_xl.cli"]
    done = subprocess.run([*cmd, *args[:4], "--force"], cwd=tmp_path, env=env, capture_output=True)
    assert done.returncode == 0, done.stderr.decode()
    assert out.read_bytes()[:2] == b"PK"


def test_no_traceback_for_a_writer_missing_a_column(tmp_path):
    result = run("summary", str(SAMPLE), "--segment", "Nope")
    assert result.exit_code == 2
    assert "no column 'Nope' (given with --segment)" in result.flat


def test_failed_write_leaves_no_temporary_file_and_the_old_report(tmp_path, monkeypatch):
    import nps_xl.cli as cli

    def broken_writer(path, frame, **kwargs):
        Path(path).write_bytes(b"half a workbook")
        raise ValueError("Segment column(s) ['X'] not in the data; check --segment names.")

    monkeypatch.setattr(cli, "_writer", lambda: broken_writer)
    out = tmp_path / "r.xlsx"
    out.write_bytes(b"old report")
    result = run("report", str(EXPORTS / "typeform.csv"), "-o", str(out), "--force")
    assert result.exit_code == 2
    assert "check --segment names" in result.flat
    assert out.read_bytes() == b"old report"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.xlsx"]


def test_templates_are_written_for_every_language(tmp_path, writer):
    from nps_xl.i18n import LANGUAGES

    result = run("templates", "--out", str(tmp_path / "wt"))
    assert result.exit_code == 0, result.output
    for lang in LANGUAGES:
        folder = tmp_path / "wt" if lang == "en" else tmp_path / "wt" / lang
        for name in ("nps_survey.xlsx", "nps_dashboard.xlsx"):
            assert (folder / name).read_bytes()[:2] == b"PK", (lang, name)


def test_follow_up_limit_keeps_the_newest_detractors_and_says_how_many_more(tmp_path):
    """--follow-up-limit caps the list (newest first) and the sheet says what it left out."""
    from python_calamine import CalamineWorkbook

    out = tmp_path / "capped.xlsx"
    sample = Path(__file__).resolve().parents[1] / "nps_xl" / "data" / "sample_survey.csv"
    result = CliRunner().invoke(
        app, ["report", str(sample), "-o", str(out), "--follow-up-limit", "3", "--lang", "lt"]
    )
    assert result.exit_code == 0, result.output
    rows = CalamineWorkbook.from_path(out).get_sheet_by_name("Tolesni veiksmai").to_python()
    answers = pd.read_csv(sample, keep_default_na=False, na_values=[""], dtype={"Score": str})
    scores = pd.to_numeric(answers["Score"].str.extract(r"^(\d+)")[0])  # "0 - Not at all…" is 0
    detractors = answers[scores <= 6].sort_values("Date", ascending=False, kind="stable")
    assert len(rows) == 1 + 3
    assert {r[0] for r in rows[1:]} <= set(detractors["Response ID"].head(5))
    assert f"{len(detractors) - 3}" in rows[0][-1]  # "347 more detractors not listed"
    assert {r[3] for r in rows[1:]} == {"Kritikas"}  # the category in the reader's language


def test_weighted_report_writes_a_weighted_workbook(tmp_path):
    """A weight column is used in the summary and in the workbook: its Responses table holds
    the weights and its Dashboard caches the weighted NPS (no "unweighted" note)."""
    from python_calamine import CalamineWorkbook

    from nps_xl.workbook import layout as L

    answers = tmp_path / "weighted.csv"
    answers.write_text("Score,Weight\n10,2\n9,1\n3,1\n7,0.5\n", encoding="utf-8")
    out = tmp_path / "weighted.xlsx"
    result = CliRunner().invoke(app, ["report", str(answers), "-o", str(out), "--brief"])
    assert result.exit_code == 0, result.output
    assert "unweighted" not in " ".join(result.output.split())
    # weighted NPS = 100·(3 − 1)/4.5 = 44.4
    assert "+44.4" in result.output
    book = CalamineWorkbook.from_path(str(out))
    rows = book.get_sheet_by_index(1).to_python()
    assert rows[0][L.WEIGHT_COLUMN] == "Weight"
    assert [r[L.WEIGHT_COLUMN] for r in rows[1:]] == [2, 1, 1, 0.5]
    dash = book.get_sheet_by_index(0).to_python()
    assert dash[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL] == pytest.approx(200 / 4.5)
    assert dash[L.FIGURE_BY_NAME["NPS_N"].row][L.VALUE_COL] == 4


def _count_score_reads(monkeypatch) -> list[int]:
    """The length of every whole score column parsed (nps_xl.scores.parse_scores), in order."""
    import importlib

    counts = importlib.import_module("nps_xl.counts")  # nps_xl.counts is also a function
    real = counts.parse_scores
    lengths: list[int] = []

    def counted(values, **kwargs):
        parsed = real(values, **kwargs)
        lengths.append(len(parsed.values))
        return parsed

    monkeypatch.setattr(counts, "parse_scores", counted)
    return lengths


def test_report_builds_each_table_once_for_terminal_and_workbook(tmp_path, monkeypatch):
    """One Report for the terminal and the workbook: the score column is parsed once."""
    reads = _count_score_reads(monkeypatch)
    out = tmp_path / "once.xlsx"
    result = run("report", str(SAMPLE), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert reads == [2000]  # the sample's 2,000 answers, read once
    # the Segments sheet holds the sample's NPS per region, computed here with plain pandas
    answers = pd.read_csv(SAMPLE, keep_default_na=False, na_values=[""], dtype={"Score": str})
    score = pd.to_numeric(answers["Score"].str.extract(r"^(\d+)")[0])  # "10 - Extremely…" is 10
    ok = score.between(0, 10)
    by_region = (
        answers[ok]
        .assign(s=score[ok])
        .groupby("Region")["s"]
        .agg(lambda s: 100 * ((s >= 9).mean() - (s <= 6).mean()))
    )
    grid = _read_sheet(out, "Segments")
    header = grid[0]
    got = {r[header.index("Group")]: r[header.index("NPS")] for r in grid[1:]
           if r[header.index("Segment")] == "Region"}  # fmt: skip
    assert got.keys() == set(by_region.index)
    for region, nps in by_region.items():
        assert got[region] == pytest.approx(nps, rel=1e-9)


def test_weighted_report_workbook_tables_are_the_terminals(tmp_path, monkeypatch):
    """With weights the terminal's report and the workbook's are one weighted report: the
    scores read once, the Segments sheet weighted."""
    answers = tmp_path / "weighted.csv"
    answers.write_text(
        "Score,Weight,Region\n10,3,North\n10,1,North\n0,1,North\n9,1,South\n3,5,South\n",
        encoding="utf-8",
    )
    reads = _count_score_reads(monkeypatch)
    out = tmp_path / "weighted.xlsx"
    result = run("report", str(answers), "-o", str(out))
    assert result.exit_code == 0, result.output
    assert reads == [5]
    grid = _read_sheet(out, "Segments")
    header = grid[0]
    got = {r[header.index("Group")]: r[header.index("NPS")] for r in grid[1:]}
    # weighted: North 100·(4 − 1)/5; South 100·(1 − 5)/6
    assert got["North"] == pytest.approx(60.0, rel=1e-12)
    assert got["South"] == pytest.approx(-400 / 6, rel=1e-12)


# --- runs that race, runs that were killed, absurd options --------------------------------------


def test_two_runs_racing_for_one_new_path_never_replace_each_other(tmp_path):
    """Both runs pass the early "exists?" check, then pause; the file is claimed in one step
    (create-exclusive), so exactly one run writes it and the other stops with one line."""
    data = tmp_path / "small.csv"
    data.write_text("Score\n10\n9\n3\n", encoding="utf-8")
    out = tmp_path / "race.xlsx"
    env = {**os.environ, PAUSE_ENV: "2"}
    cmd = [sys.executable, "-m", "nps_xl.cli", "report", str(data), "-o", str(out), "--brief"]
    procs = [
        subprocess.Popen(cmd, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        for _ in range(2)
    ]
    results = [(p.wait(120), p.stderr.read().decode()) for p in procs]
    codes = sorted(code for code, _ in results)
    assert codes == [0, 2], results
    loser = next(err for code, err in results if code == 2)
    assert "exists; pass --force" in " ".join(loser.split()) and "Traceback" not in loser
    assert out.read_bytes()[:2] == b"PK"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["race.xlsx", "small.csv"]


def test_leftovers_of_killed_runs_are_removed_by_the_next_run(tmp_path):
    import tempfile

    dead = 2**22 + 12345  # above the usual pid range: no such process
    while True:
        try:
            os.kill(dead, 0)
            dead += 1
        except ProcessLookupError:
            break
    stale = tmp_path / f".report.nps-xl-{dead}.tmp.xlsx"
    stale.write_bytes(b"half a workbook")
    mine = tmp_path / f".report.nps-xl-{os.getppid()}.tmp.xlsx"  # a live run's: left alone
    users = tmp_path / f".budget.{dead}.tmp.xlsx"  # named alike, but not nps-xl's: left alone
    users.write_bytes(b"the user's")
    folder = tmp_path / f".photos.nps-xl-{dead}.tmp.xlsx"  # a folder beside the report: kept
    folder.mkdir()
    mine.write_bytes(b"in progress")
    rows = Path(tempfile.mkdtemp(prefix=f"nps-xl-{dead}-"))
    (rows / "xlsxwriter_rows").write_bytes(b"x" * 1000)
    result = run("report", str(SAMPLE), "-o", str(tmp_path / "report.xlsx"), "--brief")
    assert result.exit_code == 0, result.output
    assert not stale.exists() and not rows.exists()
    assert mine.exists() and users.exists() and folder.exists()


def test_the_writers_temporary_files_live_in_a_folder_of_the_run(tmp_path, monkeypatch):
    """XlsxWriter streams the Responses rows to temporary files: in a folder named after the
    run, removed when it ends."""
    import nps_xl.cli as cli
    from nps_xl.workbook import xlsx

    seen = []
    real = xlsx.write_report

    def spy(path, frame, **kwargs):
        seen.append(Path(kwargs["tmpdir"]))
        assert seen[-1].name.startswith(f"nps-xl-{os.getpid()}-") and seen[-1].is_dir()
        return real(path, frame, **kwargs)

    monkeypatch.setattr(cli, "_writer", lambda: spy)
    result = run("report", str(SAMPLE), "-o", str(tmp_path / "r.xlsx"), "--brief")
    assert result.exit_code == 0, result.output
    assert seen and not seen[0].exists()


@pytest.mark.parametrize("target", ["nan", "inf", "-500", "1e308"])
def test_an_absurd_target_is_refused_in_one_line(target):
    result = run("summary", str(SAMPLE), "--target", target)
    assert result.exit_code == 2
    assert "target NPS must be a number from −100 to 100" in result.flat
    assert "Traceback" not in result.output


def test_customer_keeps_the_latest_valid_answer(tmp_path):
    """A later blank or "N/A" never hides the same customer's earlier score."""
    data = tmp_path / "customers.csv"
    data.write_text(
        "Customer,Date,Score\n"
        "a,2025-01-01,10\n"
        "a,2025-02-01,N/A\n"  # later, not a score: a's 10 stands
        "b,2025-01-01,3\n"
        "b,2025-03-01,\n"  # later, blank: b's 3 stands
        "c,2025-01-01,2\n"
        "c,2025-02-01,9\n",  # later and valid: c's 9 replaces the 2
        encoding="utf-8",
    )
    result = run("summary", str(data), "--customer", "Customer", "--brief")
    assert result.exit_code == 0, result.output
    # kept: a 10, b 3, c 9 → 2 promoters, 1 detractor of 3: NPS +33.3; nothing invalid
    assert "NPS +33.3" in result.flat
    assert "Total valid │ 3" in result.flat
    assert "Invalid" not in result.flat


# --- for scripts: JSON, CSV tables; filters and comparisons ---------------------------------


def _sample_answers() -> pd.DataFrame:
    """The sample survey by plain pandas: the leading whole number of each answer."""
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    number = pd.to_numeric(raw["Score"].str.extract(r"^(\d+)(?:\s*[-–=(].*)?$")[0])
    return raw.assign(s=number, Date=pd.to_datetime(raw["Date"]))[number.between(0, 10)]


def _nps(s: pd.Series) -> float:
    return 100 * ((s >= 9).mean() - (s <= 6).mean())


def test_summary_json_has_every_figure_as_numbers(tmp_path):
    import json

    result = runner.invoke(app, ["summary", str(SAMPLE), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    answers = _sample_answers()
    assert doc["headline"]["nps"] == pytest.approx(_nps(answers["s"]), abs=1e-9)
    assert doc["headline"]["n"] == len(answers)
    assert doc["headline"]["invalid"] == 2 and isinstance(doc["headline"]["blank"], int)
    assert [r["value"] for r in doc["invalid"]] == ["N/A", "N/A"]
    months = answers.groupby(answers["Date"].dt.to_period("M"))["s"]
    assert [r["nps"] for r in doc["trend"]] == pytest.approx([_nps(s) for _, s in months])
    assert doc["trend"][0]["start"] == str(min(months.groups)) + "-01"
    region = {r["group"]: r["nps"] for r in doc["segments"] if r["segment"] == "Region"}
    for name, s in answers.groupby("Region")["s"]:
        assert region[name] == pytest.approx(_nps(s), abs=1e-9)


def test_tables_folder_holds_the_reports_tables(tmp_path):
    out = tmp_path / "tables"
    result = run("summary", str(SAMPLE), "--tables", str(out), "--brief")
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(
        ["trend.csv", "segments.csv", "themes.csv", "follow_up.csv", "invalid_answers.csv"]
    )
    answers = _sample_answers()
    trend = pd.read_csv(out / "trend.csv")
    months = answers.groupby(answers["Date"].dt.to_period("M"))["s"]
    assert trend["nps"].tolist() == pytest.approx([_nps(s) for _, s in months])
    invalid = pd.read_csv(out / "invalid_answers.csv", keep_default_na=False)
    assert invalid["value"].tolist() == ["N/A", "N/A"]
    follow = pd.read_csv(out / "follow_up.csv")
    assert len(follow) == int((answers["s"] <= 6).sum())  # fewer than the 5,000 limit


def test_since_and_until_keep_the_answers_of_those_days():
    answers = _sample_answers()
    q2 = answers[(answers["Date"] >= "2025-04-01") & (answers["Date"] <= "2025-06-30")]
    result = run("summary", str(SAMPLE), "--since", "2025-04-01", "--until", "2025-06-30")
    assert result.exit_code == 0, result.output
    assert f"NPS {_nps(q2['s']):+.1f}" in result.flat
    assert f"Total valid │ {len(q2):,}" in result.flat
    bad = run("summary", str(SAMPLE), "--since", "April")
    assert bad.exit_code == 2 and "--since 'April' is not a date" in bad.flat


def test_compare_two_periods_of_one_export():
    """Difference, interval and p-value of the unpooled two-sample test on the adjusted codes
    (nps_xl.stats.compare, pinned to R); here checked against the two NPS counted by pandas."""
    import json

    answers = _sample_answers()
    a = answers[answers["Date"] < "2025-07-01"]["s"]
    b = answers[answers["Date"] >= "2025-07-01"]["s"]
    args = ["compare", str(SAMPLE), "--first-until", "2025-06-30", "--second-since", "2025-07-01"]
    result = run(*args)
    assert result.exit_code == 0, result.output
    assert f"{_nps(a):+.1f}" in result.flat and f"{_nps(b):+.1f}" in result.flat
    doc = json.loads(runner.invoke(app, [*args, "--json"], env=ENV).stdout)
    assert doc["first"]["nps"] == pytest.approx(_nps(a), abs=1e-9)
    assert doc["second"]["nps"] == pytest.approx(_nps(b), abs=1e-9)
    assert doc["low"] < doc["difference"] < doc["high"]
    assert (doc["p_value"] < 0.05) == doc["significant"]
    # second − first, as the trend's change (adjusted Wald: within half a point of the raw one)
    assert doc["difference"] == pytest.approx(_nps(b) - _nps(a), abs=0.5)
    lonely = run("compare", str(SAMPLE))
    assert lonely.exit_code == 2 and "--first-since" in lonely.flat
    scored = run(*args, "--score", "Score")  # one question named: compared as before
    assert scored.exit_code == 0 and f"{_nps(a):+.1f}" in scored.flat
    two = run(*args, "--score", "Score", "--score", "Score")
    assert two.exit_code == 2 and "one --score" in two.flat


def test_compare_two_exports(tmp_path):
    first, second = tmp_path / "a.csv", tmp_path / "b.csv"
    first.write_text("Score\n" + "\n".join(["10"] * 30 + ["3"] * 10) + "\n", encoding="utf-8")
    second.write_text("Score\n" + "\n".join(["10"] * 10 + ["3"] * 30) + "\n", encoding="utf-8")
    result = run("compare", str(first), str(second))
    assert result.exit_code == 0, result.output
    assert "+50.0" in result.flat and "-50.0" in result.flat
    assert "significant at 95" in result.flat and "not significant" not in result.flat


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["summary", str(SAMPLE), "--period", "fortnight"], "--period takes one of week, month"),
        (["summary"], "Missing argument"),
        (["report", str(SAMPLE), "-o", "r.xlsx", "--follow-up-limit", "many"], "follow-up-limit"),
        (["bogus"], "No such command"),
    ],
)
def test_the_command_lines_own_mistakes_are_one_line_too(tmp_path, args, said):
    """Mistakes typer finds before a command runs get the same one line and exit code 2."""
    done = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "80"},
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("nps-xl: error:"), done.stderr
    assert said in lines[0] and "╭" not in done.stderr


def test_several_nps_questions_get_a_block_and_a_dashboard_each(tmp_path):
    """Relationship NPS, product NPS and eNPS in one export: --score repeated."""
    import json

    from python_calamine import CalamineWorkbook

    questions = {
        "Recommend us": [10, 9, 9, 7, 3, 10, 8, 2],
        "Recommend the app": [6, 6, 9, 10, 10, 7, 5, 9],
        "Recommend working here": [9, 8, 7, 3, 4, 10, 10, 10],
    }
    frame = pd.DataFrame(
        {"Date": [f"2025-0{1 + i % 3}-1{i}" for i in range(8)], **questions, "Team": list("ab" * 4)}
    )
    data = tmp_path / "three.csv"
    frame.to_csv(data, index=False)
    args = [arg for q in questions for arg in ("--score", q)]
    result = run("summary", str(data), *args, "--brief")
    assert result.exit_code == 0, result.output
    for name, scores in questions.items():
        s = pd.Series(scores)
        assert name in result.flat
        assert f"NPS {_nps(s):+.1f}" in result.flat
    doc = json.loads(runner.invoke(app, ["summary", str(data), *args, "--json"], env=ENV).stdout)
    got = {q["question"]: q["headline"]["nps"] for q in doc["questions"]}
    assert got == pytest.approx({k: _nps(pd.Series(v)) for k, v in questions.items()})
    out = tmp_path / "three.xlsx"
    result = run("report", str(data), "-o", str(out), *args, "--brief")
    assert result.exit_code == 0, result.output
    book = CalamineWorkbook.from_path(str(out))
    assert book.sheet_names[-2:] == ["Dashboard 2", "Dashboard 3"]
    from nps_xl.workbook import layout as L

    for sheet, name in zip(("Dashboard", "Dashboard 2", "Dashboard 3"), questions, strict=True):
        grid = book.get_sheet_by_name(sheet).to_python()
        nps = grid[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL]
        assert nps == pytest.approx(_nps(pd.Series(questions[name]))), sheet


# --- engines: the same figures, counted where the file lies -------------------------------------


def _figures(doc: dict) -> dict:
    """The figures of a summary --json document that every engine must give alike."""
    return {
        "headline": {k: v for k, v in doc["headline"].items()},
        "trend": doc["trend"],
        "segments": doc["segments"],
        "themes": doc["themes"],
        "invalid": doc["invalid"],
    }


@pytest.mark.parametrize("engine", ["duckdb", "spark"])
def test_every_engine_gives_the_summary_pandas_gives(engine):
    import json

    if engine == "spark":
        pytest.importorskip("pyspark")
    docs = {}
    for name in ("pandas", engine):
        result = runner.invoke(app, ["summary", str(SAMPLE), "--json", "--engine", name], env=ENV)
        assert result.exit_code == 0, result.output
        docs[name] = _figures(json.loads(result.stdout))
    assert docs[engine] == docs["pandas"]
    assert docs["pandas"]["headline"]["nps"] == pytest.approx(_nps(_sample_answers()["s"]))


def test_a_report_counted_by_duckdb_holds_the_results_only(tmp_path):
    from python_calamine import CalamineWorkbook

    from nps_xl.workbook import layout as L

    out = tmp_path / "duck.xlsx"
    result = run("report", str(SAMPLE), "-o", str(out), "--engine", "duckdb", "--brief")
    assert result.exit_code == 0, result.output
    assert "counted by duckdb where the file lies" in result.flat
    book = CalamineWorkbook.from_path(str(out))
    grid = book.get_sheet_by_name("Dashboard").to_python()
    nps = grid[L.FIGURE_BY_NAME["NPS_Score"].row][L.VALUE_COL]
    assert nps == pytest.approx(_nps(_sample_answers()["s"]))
    assert book.get_sheet_by_name("Responses").to_python() in ([], [[]], [[""]])
    refused = run("summary", str(SAMPLE), "--engine", "duckdb", "--since", "2025-05-01")
    assert refused.exit_code == 2 and "--engine pandas" in refused.flat


def test_dates_pandas_cannot_hold_or_mixed_offsets_stop_nothing(tmp_path):
    """9999-12-31 (past pandas' 2262) is an unreadable date named with its row; offsets that
    differ across a clock change are read, each on its own."""
    far = tmp_path / "far.csv"
    far.write_text("Date,Score\n2025-03-05,9\n9999-12-31,3\n2025-04-02,10\n", encoding="utf-8")
    result = run("summary", str(far), "--brief")
    assert result.exit_code == 0, result.output
    assert "not readable as a date (first '9999-12-31'; line 3)" in result.flat
    assert "NPS +33.3" in result.flat  # 9, 3, 10: the undated answer still counts
    zones = tmp_path / "zones.csv"
    zones.write_text(
        "Date,Score\n2025-03-05T10:00:00+01:00,9\n2025-04-05T10:00:00+02:00,3\n", encoding="utf-8"
    )
    result = run("summary", str(zones), "--brief")
    assert result.exit_code == 0, result.output
    assert "2025-03-05 … 2025-04-05" in result.flat


def test_the_days_are_kept_before_each_customers_latest_answer(tmp_path):
    """--since/--until first, then --customer: in March, A's answer of March counts even though
    A answered again in April."""
    data = tmp_path / "customers.csv"
    data.write_text(
        "Customer,Date,Score\nA,2025-03-05,10\nB,2025-03-06,9\nA,2025-04-10,0\nC,2025-03-20,2\n",
        encoding="utf-8",
    )
    args = ["--customer", "Customer", "--since", "2025-03-01", "--until", "2025-03-31"]
    result = run("summary", str(data), *args, "--brief")
    assert result.exit_code == 0, result.output
    # March: A 10, B 9, C 2 → 2 promoters, 1 detractor of 3
    assert "NPS +33.3" in result.flat and "Total valid │ 3" in result.flat


def test_an_aggregates_only_report_names_file_rows_for_invalid_answers(tmp_path):
    from python_calamine import CalamineWorkbook

    data = tmp_path / "rows.csv"
    data.write_text("Score\n9\n3\nN/A\n10\n11\n", encoding="utf-8")
    out = tmp_path / "agg.xlsx"
    result = run("report", str(data), "-o", str(out), "--aggregates-only", "--score", "Score")
    assert result.exit_code == 0, result.output
    assert "'N/A' in line 4" in result.flat and "'11' in line 6" in result.flat
    grid = CalamineWorkbook.from_path(str(out)).get_sheet_by_name("Invalid answers").to_python()
    assert grid[0][0] == "Line"  # the CSV file's line, as the terminal says
    assert [(int(r[0]), r[1]) for r in grid[1:]] == [(4, "N/A"), (6, "11")]


def test_duckdb_names_every_question_and_the_encoding_as_pandas_does(tmp_path):
    import json

    data = tmp_path / "two.csv"
    rows = ["Miestas,Balas,Produkto balas"] + [
        f"{city},{a},{b}" for city, a, b in [("Šiauliai", 9, 10), ("Vilnius", 3, 10)] * 40
    ]
    data.write_bytes("\n".join(rows).encode("windows-1257"))
    args = ["summary", str(data), "--score", "balas", "--score", "produkto BALAS", "--json"]
    args += ["--encoding", "windows-1257"]
    docs = {}
    for engine in ("pandas", "duckdb"):
        result = runner.invoke(app, [*args, "--engine", engine], env=ENV)
        assert result.exit_code == 0, result.output
        docs[engine] = json.loads(result.stdout)["questions"]
    for doc in docs.values():
        assert [q["question"] for q in doc] == ["Balas", "Produkto balas"]
        assert [q["encoding"] for q in doc] == ["windows-1257"] * 2
        # Balas: 40 promoters, 40 detractors → 0; Produkto balas: all promoters → 100
        assert [q["headline"]["nps"] for q in doc] == [0.0, 100.0]
