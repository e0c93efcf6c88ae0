"""A campaign against ``nps-xl report``: hostile files and runs killed outright.

* **Hostile files** — every case of ``tests/test_hostile_input.py`` (XML and zip bombs, a sheet
  spanning A1:XFD1048576, a 200-million-row Parquet file, random bytes, …), each given to the
  real command ``nps-xl report`` ``--repeat`` times in a fresh process limited to 3 GB of
  address space. A case passes when the process ends by itself within ``--seconds`` with exit
  code 2 and one line on stderr (no traceback), under ``--memory-mb`` of peak memory.
* **Kills** — ``--kills`` runs of ``nps-xl report`` on a generated export big enough for the
  streamed Responses sheet, each killed with SIGKILL at a random moment of its run, half of them
  over an existing report (``--force``). After each kill the destination must be the previous
  report, untouched, or absent; never half a workbook. The next run must remove what the killed
  one left (its temporary report and its private temp folder) and write a whole report that
  opens.

Run: ``python scripts/attack_reports.py`` (defaults: 2 repeats, 30 kills). Prints one table
and exits 1 if anything failed. The figures are quoted in the README (*Reliability*).
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({3 * 1024**3}, {3 * 1024**3}))"
RUN = f"{LIMIT}; import sys; from nps_xl.cli import main; sys.exit(main())"


def _hostile_cases():
    sys.path.insert(0, str(ROOT / "tests"))
    from test_hostile_input import CASES  # the files the tests build, built again here

    return CASES


def attack_files(folder: Path, repeat: int, seconds: float, memory_mb: float) -> list[dict]:
    results = []
    for name, (make, _expected) in _hostile_cases().items():
        case_dir = folder / f"case{len(results)}"
        case_dir.mkdir()
        path = make(case_dir)
        for _ in range(repeat):
            out = case_dir / "report.xlsx"
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            try:
                proc = subprocess.run(
                    [sys.executable, "-c", RUN, "report", str(path), "-o", str(out)],
                    capture_output=True,
                    text=True,
                    timeout=seconds * 3,
                    env={**os.environ, "COLUMNS": "300"},
                )
                code, err = proc.returncode, proc.stderr
            except subprocess.TimeoutExpired:
                code, err = "timeout", ""
            took = time.perf_counter() - start
            peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            lines = [ln for ln in err.splitlines() if ln.strip()]
            ok = (
                code == 2
                and len(lines) == 1
                and "Traceback" not in err
                and took < seconds
                and not out.exists()
            )
            results.append(
                {
                    "case": name,
                    "ok": ok,
                    "code": code,
                    "seconds": took,
                    # ru_maxrss of children is the largest child so far: report it when it grew
                    "peak_mb": peak if peak * 1024 > before else None,
                    "line": lines[0][:100] if lines else "",
                }
            )
    return results


def _export(path: Path, answers: int) -> None:
    rng = random.Random(7)
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("Response ID,Date,Score,Comment,Region\n")
        for i in range(answers):
            score = rng.choice([*range(11), "N/A", ""])
            fh.write(
                f"R{i:06d},2025-{1 + i % 12:02d}-{1 + i % 28:02d},{score},"
                f"comment {rng.random():.6f},{rng.choice(['North', 'South', 'East'])}\n"
            )


def _opens(path: Path) -> bool:
    from python_calamine import CalamineWorkbook

    try:
        return bool(CalamineWorkbook.from_path(str(path)).sheet_names)
    except Exception:
        return False


def _private_folders(pid: int) -> list[Path]:
    return list(Path(tempfile.gettempdir()).glob(f"nps-xl-{pid}-*"))


def attack_kills(folder: Path, kills: int, answers: int) -> list[dict]:
    export = folder / "export.csv"
    _export(export, answers)
    out = folder / "report.xlsx"
    cmd = [sys.executable, "-c", RUN, "report", str(export), "-o", str(out), "--brief"]
    start = time.perf_counter()
    subprocess.run([*cmd, "--force"], check=True, capture_output=True)
    whole = time.perf_counter() - start
    good = out.read_bytes()
    rng = random.Random(2026)
    results = []
    for k in range(kills):
        existing = k % 2 == 0
        if existing:
            out.write_bytes(good)
        else:
            out.unlink(missing_ok=True)
        proc = subprocess.Popen(
            [*cmd, *(["--force"] if existing else [])],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        time.sleep(rng.uniform(0.05, whole))
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        finished = proc.returncode == 0
        # the previous report untouched, or none, or a whole new one (the kill came after
        # the new report was put in place): never half a workbook
        if existing:
            intact = out.read_bytes() == good or _opens(out)
        else:
            intact = not out.exists() or _opens(out)
        left = [*folder.glob(f".report.nps-xl-{proc.pid}.tmp.xlsx"), *_private_folders(proc.pid)]
        # the next run cleans up after the killed one and writes a whole report
        done = subprocess.run([*cmd, "--force"], capture_output=True)
        cleaned = not any(p.exists() for p in left)
        ok = intact and cleaned and done.returncode == 0 and _opens(out)
        results.append(
            {"kill": k + 1, "over_old_report": existing, "ok": ok, "left": len(left),
             "intact": intact, "cleaned": cleaned, "next_run": done.returncode,
             "finished_before_kill": finished}
        )  # fmt: skip
        if not ok:
            print(f"kill {k + 1} FAILED: {results[-1]} {done.stderr.decode()[-300:]}")
        good = out.read_bytes()
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per hostile file")
    parser.add_argument("--seconds", type=float, default=15.0, help="time limit per run")
    parser.add_argument("--memory-mb", type=float, default=800.0, help="peak memory limit")
    parser.add_argument("--kills", type=int, default=30, help="runs killed with SIGKILL")
    parser.add_argument("--answers", type=int, default=60_000, help="answers in the kill export")
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
        folder = Path(tmp)
        t = time.perf_counter()
        files = attack_files(folder, args.repeat, args.seconds, args.memory_mb)
        took_files = time.perf_counter() - t
        print(f"Hostile files: {len(files)} runs of nps-xl report, {took_files:.0f} s")
        print(f"{'case':<42} {'exit':>5} {'seconds':>8}  message")
        for r in files:
            failed += not r["ok"]
            mark = "" if r["ok"] else "  FAILED"
            print(f"{r['case']:<42} {r['code']!s:>5} {r['seconds']:8.2f}  {r['line'][:60]}{mark}")
        slowest = max(r["seconds"] for r in files)
        peaks = [r["peak_mb"] for r in files if r["peak_mb"]]
        print(
            f"passed {sum(r['ok'] for r in files)} of {len(files)}; slowest {slowest:.2f} s; "
            f"largest peak memory of a run {max(peaks or [0]):.0f} MB"
        )
        kill_dir = folder / "kills"
        kill_dir.mkdir()
        t = time.perf_counter()
        kills = attack_kills(kill_dir, args.kills, args.answers)
        took_kills = time.perf_counter() - t
        failed += sum(not r["ok"] for r in kills)
        print(
            f"\nKills: {len(kills)} runs killed with SIGKILL ({args.answers:,} answers, "
            f"{took_kills:.0f} s): {sum(r['ok'] for r in kills)} left the old report or none "
            f"and were cleaned up by the next run; "
            f"{sum(r['left'] > 0 for r in kills)} had left files behind "
            f"({sum(r['finished_before_kill'] for r in kills)} finished before the kill)."
        )
    print("\nFAILED" if failed else "\nall passed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
