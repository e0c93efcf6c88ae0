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

* **Misuse** (issue "Reliability 2") — the real command on what an unlucky user does: ``--tables``
  into the folder that holds the input (named ``trend.csv``) and over existing tables, formula
  text in comments, a size limit on written files (``RLIMIT_FSIZE``, as a full disk), weights of
  1e308 and 5e-324, a web page saved as ``.xls``, answers on a workbook's second sheet, standard
  input. Each case's expectation is worked out here from what it wrote (an independent count).

Run: ``python scripts/attack_reports.py`` (defaults: 2 repeats, 30 kills; ``--campaign misuse``
runs only the misuse cases, as CI does). Prints one table and exits 1 if anything failed. The
figures are quoted in docs/reliability.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import signal
import subprocess
import sys
import tempfile
import time
from fractions import Fraction
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


# ----------------------------------------------------------------------------- misuse
SCORES = [10, 9, 9, 8, 7, 6, 3, 0, 10, 5, 9, 2]


def _nps(scores: list[int]) -> float:
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


def _cli(args: list[str], *, stdin: bytes | None = None, limit: int | None = None):
    pre = (
        "import resource; resource.setrlimit(resource.RLIMIT_FSIZE, "
        f"({limit}, {limit})); import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        if limit
        else ""
    )
    code = pre + "import sys; from nps_xl.cli import main; sys.exit(main(sys.argv[1:]))"
    run = subprocess.run(
        [sys.executable, "-c", code, *args], input=stdin, capture_output=True, timeout=120
    )
    return run.returncode, run.stdout.decode(), run.stderr.decode().strip()


def _one_line(err: str) -> bool:
    return err.count("\n") == 0 and "Traceback" not in err and "internal error" not in err


def _csv(path: Path, rows: list[tuple]) -> None:
    # a Date column, so that every table (trend.csv too) is written
    days = [f"2024-{1 + i % 12:02d}-15" for i in range(len(rows))]
    lines = ["Score,Comment,Date"]
    lines += [",".join(map(str, (*r, d))) for r, d in zip(rows, days, strict=True)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _case_tables_over_input(folder: Path):
    out = folder / "tables"
    out.mkdir()
    src = out / "trend.csv"
    _csv(src, [(s, "fine") for s in SCORES])
    before = src.read_bytes()
    code, _, err = _cli(["summary", str(src), "--tables", str(out), "--force"])
    return code == 2 and _one_line(err) and src.read_bytes() == before, code, err


def _case_tables_existing(folder: Path):
    src = folder / "answers.csv"
    _csv(src, [(s, "fine") for s in SCORES])
    out = folder / "existing"
    out.mkdir()
    kept = out / "trend.csv"
    kept.write_text("mine\n", encoding="utf-8")
    code, _, err = _cli(["summary", str(src), "--tables", str(out)])
    return code == 2 and _one_line(err) and kept.read_text() == "mine\n", code, err


def _case_formula_text(folder: Path):
    src = folder / "formulas.csv"
    hostile = ["=1+2", "+SUM(A1)", "-2+3", "@cmd", "=HYPERLINK(1)"]
    _csv(src, [(3, f'"{h}"') for h in hostile] + [(9, "ok")])
    out = folder / "formulas"
    code, _, err = _cli(["summary", str(src), "--tables", str(out)])
    cells = []
    for table in sorted(out.glob("*.csv")) if out.exists() else []:
        with table.open(encoding="utf-8", newline="") as f:
            cells += [c for row in csv.reader(f) for c in row]
    dangerous = [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    dangerous += [c for c in cells if c[:1] == "-" and not _is_number(c)]
    neutral = sum(c.lstrip("'") in hostile for c in cells if c.startswith("'"))
    return code == 0 and not dangerous and neutral == len(hostile), code, err or f"{neutral} kept"


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _case_file_size_limit(folder: Path):
    src = folder / "big.csv"
    _csv(src, [(s, "x" * 200) for s in SCORES * 50])
    dest = folder / "limited"
    dest.mkdir()
    code, _, err = _cli(["report", str(src), "-o", str(dest / "r.xlsx")], limit=20_000)
    left = [p.name for p in dest.iterdir()]
    return code == 2 and _one_line(err) and not left, code, err


def _case_weights(folder: Path, weights: list[float], name: str):
    src = folder / f"{name}.csv"
    body = "".join(f"{s},{w!r}\n" for s, w in zip(SCORES, weights, strict=True))
    src.write_text("Score,Weight\n" + body, encoding="utf-8")
    code, out, err = _cli(["summary", str(src), "--weight", "Weight", "--json"])
    if code != 0 or err:
        return False, code, err
    w = [Fraction(x) for x in weights]
    pro = sum(x for x, s in zip(w, SCORES, strict=True) if s >= 9)
    det = sum(x for x, s in zip(w, SCORES, strict=True) if s <= 6)
    want = float(100 * (pro - det) / sum(w))
    got = json.loads(out)["headline"]["nps"]
    return abs(got - want) < 1e-9, code, f"NPS {got:.4f}, exact {want:.4f}"


def _case_web_page(folder: Path):
    src = folder / "export.xls"
    rows = "".join(f"<tr><td>{s}</td><td>fine</td></tr>" for s in SCORES)
    src.write_text(
        "<html><body><table><tr><th>Score</th><th>Comment</th></tr>" + rows + "</table>",
        encoding="utf-8",
    )
    code, out, err = _cli(["summary", str(src), "--json"])
    got = json.loads(out)["headline"] if code == 0 else {}
    ok = got.get("n") == len(SCORES) and abs(got.get("nps", 1e9) - _nps(SCORES)) < 1e-9
    return ok, code, err or f"n {got.get('n')}"


def _case_second_sheet(folder: Path):
    import xlsxwriter

    src = folder / "two_sheets.xlsx"
    book = xlsxwriter.Workbook(str(src))
    book.add_worksheet("About").write(0, 0, "Exported by our CRM")
    sheet = book.add_worksheet("Answers")
    sheet.write_row(0, 0, ["Score", "Comment"])
    for i, s in enumerate(SCORES, start=1):
        sheet.write_row(i, 0, [s, "fine"])
    book.close()
    code, out, err = _cli(["summary", str(src), "--json"])
    got = json.loads(out)["headline"] if code == 0 else {}
    return got.get("n") == len(SCORES), code, err or f"n {got.get('n')}"


def _case_stdin(folder: Path):
    data = "Score,Comment\n" + "".join(f"{s},fine\n" for s in SCORES)
    code, out, err = _cli(["summary", "-", "--json"], stdin=data.encode())
    got = json.loads(out)["headline"] if code == 0 else {}
    return got.get("n") == len(SCORES), code, err or f"n {got.get('n')}"


HUGE = [1e308, 5e307, 1.7e308, 1e306, 8e307, 1e308, 3e307, 1.2e308, 9e307, 1e300, 1e308, 6e307]
TINY = [5e-324, 1e-322, 2e-320, 5e-324, 3e-321, 1e-323, 7e-322, 5e-324, 2e-321, 4e-323]
TINY += [1e-320, 9e-324]
MISUSE = {
    "--tables into the input's folder": _case_tables_over_input,
    "--tables over existing tables": _case_tables_existing,
    "formula text in comments": _case_formula_text,
    "file-size limit (a full disk)": _case_file_size_limit,
    "weights of 1e308": lambda f: _case_weights(f, HUGE, "huge"),
    "subnormal weights": lambda f: _case_weights(f, TINY, "tiny"),
    "web page saved as .xls": _case_web_page,
    "answers on the second sheet": _case_second_sheet,
    "standard input": _case_stdin,
}


def attack_misuse(folder: Path) -> list[dict]:
    results = []
    for case, run in MISUSE.items():
        here = folder / str(len(results))
        here.mkdir()
        t = time.perf_counter()
        ok, code, line = run(here)
        results.append(
            {"case": case, "ok": ok, "code": code, "seconds": time.perf_counter() - t,
             "line": line.splitlines()[0] if line else ""}
        )  # fmt: skip
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="runs per hostile file")
    parser.add_argument("--seconds", type=float, default=15.0, help="time limit per run")
    parser.add_argument("--memory-mb", type=float, default=800.0, help="peak memory limit")
    parser.add_argument("--kills", type=int, default=30, help="runs killed with SIGKILL")
    parser.add_argument("--answers", type=int, default=60_000, help="answers in the kill export")
    parser.add_argument("--campaign", choices=("all", "misuse"), default="all", help="what to run")
    args = parser.parse_args()
    failed = 0
    with tempfile.TemporaryDirectory(prefix="attack-") as tmp:
        folder = Path(tmp)
        misuse_dir = folder / "misuse"
        misuse_dir.mkdir()
        misuse = attack_misuse(misuse_dir)
        failed += sum(not r["ok"] for r in misuse)
        print(f"Misuse: {len(misuse)} cases of the real command")
        for r in misuse:
            mark = "" if r["ok"] else "  FAILED"
            print(f"{r['case']:<42} {r['code']!s:>5} {r['seconds']:8.2f}  {r['line'][:60]}{mark}")
        if args.campaign == "misuse":
            print("\nFAILED" if failed else "\nall passed")
            return 1 if failed else 0
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
