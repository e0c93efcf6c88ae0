"""Answers that cannot plausibly come from a 0–10 question are never scored as 0–10 unasked
(docs/reading.md, "Scale: answers that are not 0–10"). Expected counts are counted here by hand
from the data made for each case, not taken from the tool."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from nps_xl import nps, summary
from nps_xl.scores import SCALE_CHECK_MIN_ANSWERS, ScaleError, header_scale, parse_scores

FIVE = [1, 2, 3, 4, 5] * 10  # 50 answers of a 1–5 question
SEVEN = [1, 2, 3, 4, 5, 6, 7] * 4  # 28 answers of a 1–7 question


@pytest.mark.parametrize(
    ("answers", "span"),
    [(FIVE, "1–5"), (SEVEN, "1–7"), ([0, 1, 2, 3, 4] * 3, "0–4"), ([2, 3, 4] * 5, "2–4")],
)
def test_the_api_refuses_answers_of_a_shorter_scale_and_names_scale(answers, span):
    with pytest.raises(ScaleError, match=r"scale=") as caught:
        nps(answers)
    message = str(caught.value)
    assert f"All {len(answers)} answers lie within {span}" in message
    assert "\n" not in message
    assert "scale=" in caught.value.localized("lt")


def test_summary_of_a_frame_refuses_too():
    frame = pd.DataFrame({"Score": FIVE})
    with pytest.raises(ScaleError, match=r'scale="1-5"'):
        summary(frame)


def test_an_explicit_scale_always_overrides():
    # on 0–10 every one of the 50 answers is a detractor (≤ 6): NPS −100
    assert nps(FIVE, scale="0-10") == -100.0
    # on 1–5 (5 promoter, 4 passive, 1–3 detractor): 10 promoters, 30 detractors of 50 → −40
    assert nps(FIVE, scale="1-5") == pytest.approx(100 * (10 - 30) / 50)
    out = summary(pd.DataFrame({"Score": FIVE}), scale="1-5")
    assert (out["promoters"], out["detractors"], out["n"]) == (10, 30, 50)


def test_too_few_answers_are_not_evidence():
    # [7, 8]: one passive… both passives on 0–10, NPS 0
    assert nps([7, 8]) == 0.0
    few = [1, 2, 3] * 3  # 9 answers within 1–5: one short of the minimum evidence
    assert len(few) == SCALE_CHECK_MIN_ANSWERS - 1
    assert nps(few) == -100.0
    with pytest.raises(ScaleError):
        nps([*few, 4])


def test_answers_that_use_the_0_10_range_pass():
    # a 0 and an 8 among them: neither within 0–5 nor within 1–7
    answers = [0, 3, 5, 8] * 5  # 5 promoters? none (8 is passive): 5 passives, 15 detractors
    assert nps(answers) == pytest.approx(100 * (0 - 15) / 20)
    assert nps([1, 2, 3, 4, 5, 6, 7, 8] * 3) == pytest.approx(100 * (0 - 18) / 24)


@pytest.mark.parametrize(
    ("header", "span"),
    [
        ("Rating (1-5)", (1, 5)),
        ("Satisfaction 1–7", (1, 7)),
        ("Score out of 5", (1, 5)),
        ("Stars", (1, 5)),
        ("评分(1到5)", (1, 5)),
        ("满分5分", (1, 5)),
        ("評分（1至7）", (1, 7)),
        ("星級", (1, 5)),
        ("Įvertinimas (1 iki 5)", (1, 5)),
        ("Įvertinimas žvaigždutėmis", (1, 5)),
        ("Оценка от 1 до 5", (1, 5)),
        ("Брой звезди", (1, 5)),
    ],
)
def test_a_header_that_names_another_scale(header, span):
    assert header_scale(header) == span
    with pytest.raises(ScaleError, match="names a"):
        summary(pd.DataFrame({header: [4, 5, 9]}), score=header)


@pytest.mark.parametrize(
    "header",
    ["Score", "Likelihood to recommend (0-10)", "NPS 0–10", "评分 (0到10)", "Оценка от 0 до 10"],
)
def test_a_header_naming_0_10_or_nothing_is_no_doubt(header):
    assert header_scale(header) is None
    # 9 and 10 promoters (2), 7 passive (1), 3 detractor (1) of 4 → NPS 25
    out = summary(pd.DataFrame({header: [9, 10, 7, 3]}), score=header)
    assert out["nps"] == pytest.approx(25.0)


def test_parse_scores_with_a_stated_scale_never_asks():
    assert parse_scores(FIVE, scale="0-10").n == 50
    assert parse_scores(pd.Series(FIVE, name="Rating (1-5)"), scale="1-5").n == 50


# --------------------------------------------------------------------------- the CLI


def _csv(path, header: str, scores: list) -> str:
    lines = [f"ID,Date,{header}"]
    lines += [f"R{i},2025-01-{i % 28 + 1:02d},{s}" for i, s in enumerate(scores)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def _cli(*args: str):
    from typer.testing import CliRunner

    from nps_xl.cli import app

    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "240", "NO_COLOR": "1"})
    result.flat = " ".join(result.output.split())
    return result


@pytest.mark.parametrize(
    ("header", "scores", "needle"),
    [
        ("Rating", [1, 2, 3, 4, 5] * 8, "All 40 answers in 'Rating' lie within 1–5"),
        ("Rating", [1, 2, 3, 4, 5, 6, 7] * 5, "All 35 answers in 'Rating' lie within 1–7"),
        ("Оценка (от 1 до 5)", [3, 4, 5, 9] * 2, "names a 1–5 scale"),
        ("Įvertinimas (1 iki 7)", [3, 4, 5, 9] * 2, "names a 1–7 scale"),
        ("评分(满分5分)", [3, 4, 5, 9] * 2, "names a 1–5 scale"),
    ],
)
def test_the_cli_refuses_each_kind_and_names_scale(tmp_path, header, scores, needle):
    result = _cli("summary", _csv(tmp_path / "a.csv", header, scores))
    assert result.exit_code == 2
    assert needle in result.flat and "--scale" in result.flat


def test_the_cli_with_a_stated_scale_counts(tmp_path):
    path = _csv(tmp_path / "a.csv", "Rating", [1, 2, 3, 4, 5, 6, 7] * 5)
    # 1,5,6,7: 7 promoter (5), 6 passive (5), 1–5 detractor (25) of 35 → NPS −57.1
    result = _cli("summary", path, "--scale", "1,5,6,7", "--json")
    assert result.exit_code == 0, result.output
    head = json.loads(result.output)["headline"]
    assert (head["promoters"], head["passives"], head["detractors"]) == (5, 5, 25)
    assert head["nps"] == pytest.approx(100 * (5 - 25) / 35)


# --------------------------------------------------------------------------- the refresh


def _five_point_book(tmp_path, scale_name=None):
    """A report workbook made from a 0–10 export (no scale stated), whose Responses table then
    holds the answers of a 1–5 question, as the Office.js refresh receives it."""
    from test_refresh import payload_from_file

    from nps_xl.workbook import layout as L
    from nps_xl.workbook.xlsx import write_report

    first = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(len(FIVE))],
            "Date": pd.date_range("2025-01-01", periods=len(FIVE), freq="D"),
            "Score": [(3 * i) % 11 for i in range(len(FIVE))],
        }
    )
    path = tmp_path / "report.xlsx"
    write_report(path, first)
    payload = payload_from_file(path, len(FIVE))
    sheet = next(s for s in payload["sheets"] if s["name"] == L.sheet_name("responses"))
    score = sheet["values"][0].index("Score")
    for row, answer in zip(sheet["values"][1:], FIVE, strict=False):
        row[score] = answer
    if scale_name is not None:
        payload["names"].append(
            {"name": L.SCALE_NAME, "refers_to": scale_name, "book_scope": True,
             "scope_sheet_name": None, "scope_sheet_index": None,
             "sheet_index": None, "address": None}
        )  # fmt: skip
    return path, payload


def test_the_report_workbook_states_its_scale_only_when_one_was_given(tmp_path):
    import zipfile

    from nps_xl.workbook.xlsx import write_report

    frame = pd.DataFrame({"Score": [0, 5, 9, 10] * 5})
    write_report(tmp_path / "plain.xlsx", frame)
    write_report(tmp_path / "five.xlsx", pd.DataFrame({"Score": FIVE}), scale="1-5")
    names = {}
    for name in ("plain", "five"):
        with zipfile.ZipFile(tmp_path / f"{name}.xlsx") as z:
            names[name] = z.read("xl/workbook.xml").decode()
    assert '<definedName name="NPS_Scale">""</definedName>' in names["plain"]
    assert '<definedName name="NPS_Scale">"1,3,4,5"</definedName>' in names["five"]


def test_the_refresh_asks_for_the_scale_and_writes_nothing(tmp_path):
    from test_refresh import run

    _, payload = _five_point_book(tmp_path)
    actions = run(payload)
    (alert,) = [a for a in actions if a["func"] == "alert"]
    message = alert["args"][0]
    assert message.startswith(f"Not refreshed: all {len(FIVE)} answers in 'Score' lie within 1–5")
    assert 'NPS_Scale as ="1-5"' in message and "--scale 1-5" in message
    # not one cell changed: the only action is the message
    assert [a["func"] for a in actions if a["func"] != "alert"] == []


def test_the_refresh_reads_a_stated_scale(tmp_path):
    from test_refresh import run, written

    from nps_xl.i18n import text
    from nps_xl.workbook import layout as L

    # 1–5: 5 promoter (10 of 50), 4 passive (10), 1–3 detractors (30): NPS −40
    _, payload = _five_point_book(tmp_path, '="1-5"')
    trend = written(run(payload), payload)[L.sheet_name("trend")]
    n, nps_col = trend[0].index(text("n")), trend[0].index(text("nps"))
    counts = {}
    for k, answer in enumerate(FIVE):
        month = pd.Timestamp("2025-01-01") + pd.Timedelta(days=k)
        counts.setdefault(month.strftime("%Y-%m"), []).append(answer)
    want = [100 * (v.count(5) - sum(a <= 3 for a in v)) / len(v) for _, v in sorted(counts.items())]
    assert [r[nps_col] for r in trend[1:]] == pytest.approx(want)
    assert sum(r[n] for r in trend[1:]) == len(FIVE)
    # stated 0–10: every answer a detractor
    _, payload = _five_point_book(tmp_path, '="0-10"')
    trend = written(run(payload), payload)[L.sheet_name("trend")]
    assert {r[nps_col] for r in trend[1:]} == {-100.0}
