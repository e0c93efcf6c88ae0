"""A header that names the score wins (docs/reading.md, "A header that names the score"): a
column headed wholly "NPS", "Score", "Likelihood to recommend" or the recommend question (in
English, Chinese, Lithuanian and Bulgarian) is the score column even when many of its answers
are invalid — they are listed — and wins over "Product NPS". The files are made here; the
expected figures are counted here from the answers written, not taken from the tool."""

from __future__ import annotations

import json
import random

import pytest
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.io import load_survey
from nps_xl.io.detect import score_named_exactly

runner = CliRunner()
ENV = {"COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
JUNK = ["N/A", "don't know", "12", "?", "n.a.", "-1"]


def _export(tmp_path, header: str, other: str = "Product NPS", bad_every: int = 3, seed: int = 5):
    """A CSV whose ``header`` column holds 0–10 answers with every ``bad_every``-th one not a
    score, beside an ``other`` column of clean 0–10 answers. Returns the path, the valid
    answers of ``header`` and the physical lines of its invalid ones."""
    rng = random.Random(seed)
    lines, valid, bad_lines = [f'ID,"{header}","{other}",Region'], [], []
    for i in range(1, 121):
        if i % bad_every == 0:
            answer = rng.choice(JUNK)
            bad_lines.append(i + 1)  # the header is line 1
        else:
            answer = str(rng.randrange(11))
            valid.append(int(answer))
        region = rng.choice(["North", "South", "East"])
        lines.append(f'{i},"{answer}",{rng.randrange(11)},{region}')
    path = tmp_path / "export.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, valid, bad_lines


def _nps(valid: list[int]) -> float:
    return 100 * (sum(v >= 9 for v in valid) - sum(v <= 6 for v in valid)) / len(valid)


QUESTIONS = [
    "NPS",
    "Score",
    "Likelihood to recommend",
    "Likelihood to recommend (0-10)",
    "How likely are you to recommend Acme to a friend or colleague?",
    "您向朋友或同事推荐我们的可能性有多大？",
    "您會向朋友推薦我們的可能性有多大？",
    "Kaip tikėtina, kad rekomenduotumėte mus draugui?",
    "Колко вероятно е да ни препоръчате на приятел?",
    "评分",
    "Įvertinimas",
    "Оценка",
]


@pytest.mark.parametrize("header", QUESTIONS)
def test_the_named_column_wins_with_a_third_of_its_answers_invalid(tmp_path, header):
    path, valid, bad_lines = _export(tmp_path, header)
    survey = load_survey(path)
    assert survey.columns.score == header
    result = runner.invoke(app, ["summary", str(path), "--json"], env=ENV)
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["columns"]["score"] == header
    assert doc["headline"]["n"] == len(valid)
    assert doc["headline"]["nps"] == pytest.approx(_nps(valid))
    assert doc["headline"]["invalid"] == len(bad_lines)
    assert [row["line"] for row in doc["invalid"]] == bad_lines  # each invalid answer listed


def test_nps_and_the_question_come_before_score(tmp_path):
    path, _, _ = _export(tmp_path, "NPS", other="Score")
    assert load_survey(path).columns.score == "NPS"
    path, _, _ = _export(tmp_path, "How likely is it that you would recommend us?", "Score")
    assert load_survey(path).columns.score.startswith("How likely")


def test_of_two_named_columns_the_one_of_scores(tmp_path):
    """ "NPS" of clean answers and "Net Promoter Score" of mostly text: the first is the score;
    two clean ones are the user's choice, named with their figures."""
    path, _, _ = _export(tmp_path, "Net Promoter Score", other="NPS", bad_every=2)
    assert load_survey(path).columns.score == "NPS"
    both, _, _ = _export(tmp_path, "Net Promoter Score", other="NPS", bad_every=1000)
    result = runner.invoke(app, ["summary", str(both)], env=ENV)
    assert result.exit_code == 2
    flat = " ".join(result.output.split())
    assert "'Net Promoter Score' (n=120" in flat and "'NPS' (n=120" in flat
    assert "--score" in flat


def test_a_named_column_without_a_single_score_is_not_the_score(tmp_path):
    words = ["friendly staff", "slow delivery", "good prices", "hard to reach"]
    lines = ["ID,Score,Likelihood"] + [
        f"{i},{words[i % 4]} and more on visit {i},{i % 11}" for i in range(1, 61)
    ]
    path = tmp_path / "grades.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert load_survey(path).columns.score == "Likelihood"


@pytest.mark.parametrize(
    ("header", "kind"),
    [
        ("nps", 2),
        ("NPS score", 2),
        ("Net Promoter Score:", 2),
        ("Score", 1),
        ("Score (0–10)", 1),
        ("Product NPS", 0),
        ("Score reason", 0),
        ("Why this score?", 0),
        ("Q1_NPS_GROUP", 0),
        ("Rating", 0),
        ("推荐意愿", 2),
        ("Rekomendavimo tikimybė", 2),
        ("Вероятност за препоръка", 2),
    ],
)
def test_which_headers_name_the_score(header, kind):
    assert score_named_exactly(header) == kind
