"""Every option value is checked before any work (docs: cli.md, "Mistakes in the command
line"): a column named for a part it cannot play is refused in one line with three of its
values (the first three distinct ones, counted here with pandas), exit code 2, nothing written;
--since/--until that keep no answer name the days the file holds. CLI and Python API alike."""

from __future__ import annotations

import pandas as pd
import pytest
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.io import SurveyFileError, load_survey

runner = CliRunner()
ENV = {"COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}


@pytest.fixture
def export(tmp_path):
    frame = pd.DataFrame(
        {
            "Answered": ["2025-03-02", "2025-03-09", "2025-04-11", "", "2025-05-20"],
            "Rating": [10, 3, 9, 8, 6],
            "Note": ["quick", "", "slow", "quick", "kind"],
            "Factor": ["1.5", "-2", "1", "1", "1"],
        }
    )
    path = tmp_path / "wave.csv"
    frame.to_csv(path, index=False)
    return path, pd.read_csv(path, dtype=str, keep_default_na=False)


def _first_three(series: pd.Series) -> str:
    """The first three distinct non-blank values, texts quoted, numbers as numbers."""
    values = [v for v in dict.fromkeys(series) if v.strip()][:3]
    numbers = pd.to_numeric(pd.Series(values), errors="coerce")
    if numbers.notna().all():
        return ", ".join(f"{n:g}" for n in numbers)
    return ", ".join(repr(v) for v in values)


@pytest.mark.parametrize(
    ("option", "column", "said"),
    [
        ("--date", "Note", "holds no dates"),
        ("--score", "Note", "holds no answers on the 0–10 scale"),
        ("--weight", "Factor", "holds no weights"),
    ],
)
def test_a_column_that_cannot_play_its_part_is_refused_with_three_values(
    tmp_path, export, option, column, said
):
    path, text = export
    out = tmp_path / "r.xlsx"
    args = ["report", str(path), "-o", str(out), option, column]
    if option != "--score":
        args += ["--score", "Rating"]
    result = runner.invoke(app, args, env=ENV)
    assert result.exit_code == 2, result.output
    line = " ".join(result.output.split())
    assert line.startswith(f"nps-xl: error: {option} '{column}' {said}"), line
    assert f"({_first_three(text[column])})" in line  # 'quick', 'slow', 'kind' / 1.5, -2, 1
    assert "internal error" not in line and not out.exists()
    flag = {"--date": "date", "--score": "score", "--weight": "weight"}[option]
    given = {flag: column} if flag == "score" else {flag: column, "score": "Rating"}
    with pytest.raises(SurveyFileError, match=said):
        load_survey(path, **given)


def test_one_column_for_two_parts_and_days_out_of_order(export):
    path, _ = export
    clash = runner.invoke(app, ["summary", str(path), "--score", "Rating", "--date", "Rating"])
    assert clash.exit_code == 2
    assert "given with both --score and --date" in " ".join(clash.output.split())
    order = ["summary", str(path), "--since", "2025-05-01", "--until", "2025-04-01"]
    swapped = runner.invoke(app, order, env=ENV)
    assert swapped.exit_code == 2
    assert "--since 2025-05-01 is after --until 2025-04-01" in " ".join(swapped.output.split())


def test_days_that_keep_no_answer_name_the_days_the_file_holds(export):
    path, text = export
    dated = pd.to_datetime(text["Answered"].replace("", None)).dropna()
    args = ["summary", str(path), "--score", "Rating", "--date", "Answered"]
    result = runner.invoke(app, [*args, "--since", "2025-06-01"], env=ENV)
    assert result.exit_code == 2
    line = " ".join(result.output.split())
    assert "(from 1 June 2025)" in line and "Pass --score" not in line
    first, last = dated.min().date().isoformat(), dated.max().date().isoformat()
    assert f"the file's {len(dated)} dated answers run from {first} to {last}" in line
    kept = runner.invoke(app, [*args, "--since", "2025-03-01", "--until", "2025-03-31"], env=ENV)
    assert kept.exit_code == 0, kept.output
    assert "Kept 2 of 5 answers (March 2025)" in " ".join(kept.output.split())
