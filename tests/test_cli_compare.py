"""`nps-xl compare`: two waves whose headers differ, one --score per export, the sides named
as a person names them, and every command-line mistake said in the tool's own words (docs:
cli.md, "Comparing two waves or two periods"). Expected NPS are counted here with pandas."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from nps_xl.cli import app

runner = CliRunner()
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}


def run(*args: str):
    result = runner.invoke(app, list(args), env=ENV)
    result.flat = " ".join(result.output.split())
    return result


def nps(scores: pd.Series) -> float:
    s = pd.to_numeric(scores, errors="coerce").dropna()
    return 100 * (int((s >= 9).sum()) - int((s <= 6).sum())) / len(s)


@pytest.fixture
def waves(tmp_path):
    """Wave 1 as a CRM writes it, wave 2 from a forms tool: other headers, other order."""
    one = pd.DataFrame(
        {
            "Ticket": range(1, 61),
            "Closed at": [f"2025-01-{1 + i % 28:02d}" for i in range(60)],
            "Score": [10, 9, 3, 7, 10, 2] * 10,
        }
    )
    two = pd.DataFrame(
        {
            "Timestamp": [f"2025-02-{1 + i % 28:02d} 10:00" for i in range(50)],
            "How likely are you to recommend us to a friend?": [9, 6, 10, 8, 5] * 10,
            "Team": list("ab") * 25,
        }
    )
    a, b = tmp_path / "wave1.csv", tmp_path / "wave2.csv"
    one.to_csv(a, index=False)
    two.to_csv(b, index=False)
    return a, b, one["Score"], two["How likely are you to recommend us to a friend?"]


def test_each_export_finds_its_own_score_column(waves):
    a, b, first, second = waves
    result = runner.invoke(app, ["compare", str(a), str(b), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["first"]["label"] == "wave1.csv" and doc["second"]["label"] == "wave2.csv"
    assert doc["first"]["n"] == 60 and doc["second"]["n"] == 50
    assert doc["first"]["nps"] == pytest.approx(nps(first), abs=1e-9)  # +16.7
    assert doc["second"]["nps"] == pytest.approx(nps(second), abs=1e-9)  # 0.0


def test_one_score_per_export_in_their_order(tmp_path):
    """Headers no detection could take for the score ("Q7", "Q12"): one --score each."""
    a, b = tmp_path / "spring.csv", tmp_path / "autumn.csv"
    pd.DataFrame({"Q7": [10, 10, 10, 3], "Q8": [1, 2, 3, 4]}).to_csv(a, index=False)
    pd.DataFrame({"Q12": [3, 3, 9, 8], "Q7": [10, 10, 10, 10]}).to_csv(b, index=False)
    args = ["compare", str(a), str(b), "--score", "Q7", "--score", "Q12", "--json"]
    doc = json.loads(runner.invoke(app, args, env=ENV).stdout)
    assert doc["first"]["nps"] == pytest.approx(50.0)  # 3 of 4 promoters, 1 detractor
    assert doc["second"]["nps"] == pytest.approx(-25.0)  # 1 promoter, 2 detractors of 4
    # one --score is both exports' column
    same = runner.invoke(app, ["compare", str(a), str(b), "--score", "Q7", "--json"], env=ENV)
    assert json.loads(same.stdout)["second"]["nps"] == pytest.approx(100.0)
    three = run("compare", str(a), str(b), "--score", "Q7", "--score", "Q12", "--score", "Q8")
    assert three.exit_code == 2 and "one per export" in three.flat
    one_file = run(
        "compare", str(a), "--first-until", "2025-01-01", "--score", "Q7", "--score", "Q8"
    )
    assert one_file.exit_code == 2 and "give one --score" in one_file.flat


def test_two_exports_with_one_name_are_told_apart_by_their_folders(tmp_path):
    for folder, scores in (("2024", [10, 3]), ("2025", [10, 10])):
        (tmp_path / folder).mkdir()
        pd.DataFrame({"Score": scores}).to_csv(tmp_path / folder / "answers.csv", index=False)
    args = ["compare", *(str(tmp_path / f / "answers.csv") for f in ("2024", "2025")), "--json"]
    doc = json.loads(runner.invoke(app, args, env=ENV).stdout)
    assert (doc["first"]["label"], doc["second"]["label"]) == (
        "2024/answers.csv",
        "2025/answers.csv",
    )


@pytest.fixture
def year(tmp_path):
    """Answers from 1 Jan to 31 Dec 2025: day k of the year scores k mod 11."""
    days = pd.date_range("2025-01-01", "2025-12-31", freq="D")
    frame = pd.DataFrame({"Date": days.strftime("%Y-%m-%d"), "Score": [i % 11 for i in range(365)]})
    path = tmp_path / "p.csv"
    frame.to_csv(path, index=False)
    frame["Date"] = days
    return path, frame


SPLIT = {  # --first-until 2025-01-31 --second-since 2025-02-01
    "en": ("until 31 January 2025", "from 1 February 2025"),
    "zh-Hans": ("截至2025年1月31日", "2025年2月1日起"),
    "zh-Hant": ("截至2025年1月31日", "2025年2月1日起"),
    "lt": ("iki 2025 m. sausio 31 d.", "nuo 2025 m. vasario 1 d."),
    "bg": ("до 31 януари 2025 г.", "от 1 февруари 2025 г."),
}
MONTHS = {  # January against February, each given by its first and last day
    "en": ("January 2025", "February 2025"),
    "zh-Hans": ("2025年1月", "2025年2月"),
    "zh-Hant": ("2025年1月", "2025年2月"),
    "lt": ("2025 m. sausis", "2025 m. vasaris"),
    "bg": ("януари 2025 г.", "февруари 2025 г."),
}


@pytest.mark.parametrize("lang", list(SPLIT))
def test_two_periods_of_one_file_are_named_as_a_person_would(year, lang):
    path, frame = year
    split = ["--first-until", "2025-01-31", "--second-since", "2025-02-01"]
    result = run("compare", str(path), *split, "--lang", lang)
    assert result.exit_code == 0, result.output
    assert all(label in result.flat for label in SPLIT[lang]), result.flat
    assert "… …" not in result.flat and "p.csv" not in result.flat
    months = [*("--first-since", "2025-01-01", "--first-until", "2025-01-31")]
    months += ["--second-since", "2025-02-01", "--second-until", "2025-02-28"]
    doc = json.loads(
        runner.invoke(
            app, ["compare", str(path), *months, "--lang", lang, "--json"], env=ENV
        ).stdout
    )
    assert (doc["first"]["label"], doc["second"]["label"]) == MONTHS[lang]
    jan = frame[frame["Date"].dt.month == 1]["Score"]
    feb = frame[frame["Date"].dt.month == 2]["Score"]
    assert doc["first"]["n"] == 31 and doc["second"]["n"] == 28
    assert doc["first"]["nps"] == pytest.approx(nps(jan), abs=1e-9)
    assert doc["second"]["nps"] == pytest.approx(nps(feb), abs=1e-9)


def test_quarters_years_and_odd_spans(year):
    path, _ = year
    args = ["compare", str(path), "--first-since", "2025-01-01", "--first-until", "2025-03-31"]
    args += ["--second-since", "2025-04-03", "--second-until", "2025-06-30", "--json"]
    doc = json.loads(runner.invoke(app, args, env=ENV).stdout)
    assert doc["first"]["label"] == "Q1 2025"
    assert doc["second"]["label"] == "3 April 2025 – 30 June 2025"
    whole = ["compare", str(path), str(path), "--first-since", "2025-01-01"]
    whole += ["--first-until", "2025-12-31", "--json"]
    doc = json.loads(runner.invoke(app, whole, env=ENV).stdout)
    assert doc["first"]["label"] == "p.csv, 2025" and doc["second"]["label"] == "p.csv, all answers"


def test_a_side_without_answers_names_its_days_and_the_files_range(year):
    path, _ = year
    result = run(
        "compare", str(path), "--first-until", "2024-06-30", "--second-since", "2025-02-01"
    )
    assert result.exit_code == 2
    assert "(until 30 June 2024)" in result.flat
    assert "run from 2025-01-01 to 2025-12-31" in result.flat
    wrong = run(
        "compare", str(path), "--second-since", "2025-03-01", "--second-until", "2025-02-01"
    )
    assert (
        wrong.exit_code == 2 and "--second-since 2025-03-01 is after --second-until" in wrong.flat
    )


# ------------------------------------------------------------------ the tool's voice

LIBRARY_WORDS = ("Input should", "Value error", "validation error", "pydantic", "Invalid value for")


def _options():
    """Every option of every command that converts its value (numbers, choices)."""
    group = typer.main.get_command(app)
    stack = [((), group)]
    while stack:
        path, command = stack.pop()
        if hasattr(command, "commands"):  # a group (typer's own copy of click's)
            stack += [((*path, n), c) for n, c in command.commands.items()]
            continue
        for param in command.params:
            if getattr(param, "param_type_name", "") != "option" or param.is_flag:
                continue
            annotation = repr(getattr(param.get_runtime_param(), "annotation", str))
            if not any(t in annotation for t in ("str", "Path")):  # numbers, choices
                yield path, param


OPTIONS = sorted({(" ".join(p), o.opts[0]) for p, o in _options()})


def test_the_options_that_convert_values_are_found():
    found = {option for _, option in OPTIONS}
    assert {"--target", "--follow-up-limit", "--period", "--invalid"} <= found


@pytest.mark.parametrize(("command", "option"), OPTIONS)
def test_no_option_value_is_refused_in_the_validation_librarys_words(tmp_path, command, option):
    data = tmp_path / "a.csv"
    data.write_text("Score\n9\n", encoding="utf-8")
    args = [*command.split(), str(data), option, "-7.5x"]
    if command == "demo":
        args.remove(str(data))
    for lang in ("en", "bg"):
        done = subprocess.run(
            [sys.executable, "-m", "nps_xl.cli", *args, "--lang", lang],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            env={**os.environ, "COLUMNS": "300"},
        )
        assert done.returncode == 2, done.stderr
        line = done.stderr.strip()
        assert line.startswith("nps-xl: error: " + option) and "'-7.5x'" in line, line
        assert not any(words in line for words in LIBRARY_WORDS), line


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--follow-up-limit", "-2"], "--follow-up-limit must be 0 or more; got -2."),
        (["--follow-up-limit", "2.5"], "--follow-up-limit takes a whole number such as 100"),
        (["--target", "high"], "--target takes a number such as 40; got 'high'."),
        (["--invalid", "maybe"], "--invalid takes one of skip, error; got 'maybe'."),
        (["--period", "fortnight"], "--period takes one of week, month, quarter, year"),
        (["--lang", "bg", "--follow-up-limit", "-2"], "--follow-up-limit трябва да е 0 или повече"),
        (["--lang=zh-Hans", "--invalid", "maybe"], "--invalid 只接受以下之一:skip, error"),
    ],
)
def test_option_values_are_refused_in_the_tools_voice(tmp_path, args, said):
    data = tmp_path / "a.csv"
    data.write_text("Score\n9\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", "report", str(data), *args],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "300"},
    )
    assert done.returncode == 2
    assert said in done.stderr and not any(w in done.stderr for w in LIBRARY_WORDS), done.stderr
    assert not (tmp_path / "nps_report.xlsx").exists()
