"""What a reader of each language sees: the CLI summary and its tables, errors of the CLI, the
Python API and the Excel functions.

Figures are computed here with plain pandas from the sample survey (NPS = % of 9–10 minus % of
0–6 over the valid answers), never taken from the package; the words are those of the source
guides (推荐者 / 推薦型 / Šalininkai / Защитници …) and the number conventions those of Unicode
CLDR (see tests/test_numbers.py), both written out literally here.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from classic_runner import MISSING, classic_excel
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.counts import Counts
from nps_xl.i18n import LANGUAGES, LocalizedError, localized
from nps_xl.io import SurveyFileError, read_survey
from nps_xl.scores import ScoreError, parse_scores

SAMPLE = Path(__file__).parent.parent / "nps_xl" / "data" / "sample_survey.csv"
ENV = {"COLUMNS": "240", "NO_COLOR": "1", "TERM": "dumb"}
NBSP, MINUS = "\u00a0", "\u2212"
runner = CliRunner()

CATEGORIES = {
    "en": ("Promoters", "Passives", "Detractors"),
    "zh-Hans": ("推荐者", "被动者", "反对者"),
    "zh-Hant": ("推薦型", "被動型", "批評型"),
    "lt": ("Šalininkai", "Pasyvūs", "Kritikai"),
    "bg": ("Защитници", "Пасивни", "Критици"),
}
METHOD = {
    "en": "adjusted Wald",
    "zh-Hans": "调整 Wald 法",
    "zh-Hant": "調整 Wald 法",
    "lt": "pakoreguotas Waldo metodas",
    "bg": "коригиран метод на Валд",
}
INDUSTRY = {
    "en": "Global (all industries)",
    "zh-Hans": "全球(所有行业)",
    "zh-Hant": "全球(所有產業)",
    "lt": "Pasaulis (visi sektoriai)",
    "bg": "Глобално (всички индустрии)",
}
#: CLDR: (group separator, decimal separator, percent suffix, minus sign, strftime of a date)
CONVENTIONS = {
    "en": (",", ".", "%", "-", "%Y-%m-%d"),
    "zh-Hans": (",", ".", "%", "-", "%Y-%m-%d"),
    "zh-Hant": (",", ".", "%", "-", "%Y/%m/%d"),
    "lt": (NBSP, ",", NBSP + "%", MINUS, "%Y-%m-%d"),
    "bg": ("", ",", "%", "-", "%d.%m.%Y г."),  # bg groups from five digits; the counts have four
}
#: English words of the summary and its tables that must not reach a non-English reader. The
#: sample's own column names and group values (Score, Region, Smart Hub, "Phone support", …)
#: are the user's data and stay as they are, so none of them is listed.
ENGLISH = (
    "Promoters",
    "Passives",
    "Detractors",
    "Total valid",
    "Category",
    "Count",
    "Share",
    "NPS summary",
    "adjusted Wald",
    "Average",
    "Global",
    "all industries",
    "benchmark",
    "Your gap",
    "Good",
    "Blank",
    "Invalid",
    "left out",
    "in row",
    "Columns",
    "Trend",
    "periods",
    "Period",
    "Low",
    "High",
    "Change",
    "Segments",
    "Group",
    "Difference",
    "Impact",
    "Themes",
    "Theme",
    "Mentions",
    "Quality",
    "Price",
    "Delivery",
    "Ease of use",
    "significant",
    "fewer than",
    "answers",
    "January",
    "August",
    "November",
    "CI",
)


def run(*args: str):
    result = runner.invoke(app, list(args), env=ENV)
    result.flat = _flat(result.output)
    return result


def _flat(output: str) -> str:
    """One line: rich wraps long lines (no-break spaces, part of the numbers, are kept)."""
    return re.sub(r"[ \n]+", " ", output).strip()


# --------------------------------------------------------------------------- independent figures


def _answers() -> pd.DataFrame:
    """The sample survey with the score as the leading whole number of each answer (blank,
    "N/A" → not valid), by plain pandas."""
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    number = pd.to_numeric(
        raw["Score"].str.strip().str.extract(r"^(\d+)(?:\s*[-–].*)?$")[0], errors="coerce"
    )
    raw["score"] = number.where(number.between(0, 10))
    raw["date"] = pd.to_datetime(raw["Date"], format="%Y-%m-%d")
    return raw[raw["score"].notna()].copy()


def _nps(scores: pd.Series) -> float:
    """From whole counts, so that ties such as 161/560 = 28.75 round as the exact value."""
    return 100 * (int((scores >= 9).sum()) - int((scores <= 6).sum())) / len(scores)


def _group(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def _decimal(x: float, lang: str, *, sign: bool = False, digits: int = 1) -> str:
    _, dec, _, minus, _ = CONVENTIONS[lang]
    text = f"{abs(x):,.{digits}f}".replace(",", "\0").replace(".", dec)
    text = text.replace("\0", CONVENTIONS[lang][0])
    if round(x, digits) < 0:
        return minus + text
    return ("+" if sign else "") + text


@pytest.fixture(scope="module")
def answers() -> pd.DataFrame:
    return _answers()


@pytest.fixture(scope="module")
def summaries() -> dict[str, str]:
    out = {}
    for lang in LANGUAGES:
        result = run("summary", str(SAMPLE), "--lang", lang)
        assert result.exit_code == 0, result.output
        out[lang] = result.output
    return out


def _rows(output: str, title: str) -> list[list[str]]:
    """The body rows of the rich table whose title starts with ``title``: cells stripped."""
    lines = output.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    rows = []
    for line in lines[start + 4 :]:  # title, top border, header, header rule
        if not line.startswith("│"):
            if line.startswith("├"):
                continue
            break
        rows.append([cell.strip() for cell in line.strip("│").split("│")])
    return rows


# --------------------------------------------------------------------------- the CLI summary


@pytest.mark.parametrize("lang", LANGUAGES)
def test_summary_speaks_the_language(summaries, answers, lang):
    out = summaries[lang]
    flat = _flat(out)
    group, dec, pct, _, date_format = CONVENTIONS[lang]
    s = answers["score"]
    n, pro, pas, det = len(s), int((s >= 9).sum()), int(s.between(7, 8).sum()), int((s <= 6).sum())
    assert (n, pro, pas, det) == (1968, 1030, 588, 350)
    for word, count in zip(CATEGORIES[lang], (pro, pas, det), strict=True):
        share = f"{100 * count / n:.1f}".replace(".", dec) + pct
        assert f"{word} │ {_group(count, group)} │ {share} │" in flat, (word, flat[:600])
    assert _group(n, group) in flat
    assert f"NPS {_decimal(_nps(s), lang, sign=True)}" in flat
    assert METHOD[lang] in flat and INDUSTRY[lang] in flat
    first, last = answers["date"].min(), answers["date"].max()
    assert f"{first.strftime(date_format)} … {last.strftime(date_format)}" in flat
    if lang == "en":
        return
    leaked = [word for word in ENGLISH if re.search(rf"\b{re.escape(word)}\b", out)]
    assert not leaked, leaked
    # negative numbers use the language's minus sign (U+2212 in lt), never "-" before a digit
    if MINUS in CONVENTIONS[lang]:
        assert not re.search(r"(?<![\w-])-\d", out)
        assert MINUS in out


def test_numbers_are_grouped_the_cldr_way(summaries):
    """1 030 promoters: "1,030" (en, zh), "1 030" with a no-break space (lt), "1030" (bg)."""
    summaries = {lang: _flat(out) for lang, out in summaries.items()}
    assert "│ 1,030 │" in summaries["en"] and "│ 1,030 │" in summaries["zh-Hans"]
    assert f"│ 1{NBSP}030 │" in summaries["lt"]
    assert "│ 1030 │" in summaries["bg"]
    assert "52.3%" in summaries["zh-Hant"] and f"52,3{NBSP}%" in summaries["lt"]
    assert "52,3%" in summaries["bg"]


def test_brief_prints_the_headline_only():
    full = run("summary", str(SAMPLE), "--lang", "lt")
    brief = run("summary", str(SAMPLE), "--lang", "lt", "--brief")
    assert brief.exit_code == 0 and "Šalininkai" in brief.flat
    for title in ("Tendencija", "Segmentai", "Temos"):
        assert title in full.flat and title not in brief.flat


# --------------------------------------------------------------------------- the tables, by pandas


def test_trend_rows_equal_a_pandas_groupby(summaries, answers):
    by_month = answers.groupby(answers["date"].dt.to_period("M"))["score"]
    nps = by_month.apply(_nps)
    n = by_month.size()
    assert nps.idxmin() == pd.Period("2025-08", "M")  # the worst month of the sample
    rows = _rows(summaries["en"], "Trend")
    assert len(rows) == 12 == min(12, len(nps))  # the last twelve of 18 months
    shown = nps.index[-12:]
    for month, (label, count, value, interval, change) in zip(shown, rows, strict=True):
        assert label == month.strftime("%B %Y")
        assert count.rstrip(" !") == str(n[month])
        assert value.removesuffix(" ◆") == f"{nps[month]:+.1f}"  # ◆: outside the limits
        assert change.rstrip(" *") == f"{nps[month] - nps[month - 1]:+.1f}"
        low, high = (float(x) for x in interval.split(" … "))
        assert low < nps[month] < high
    # the same rows in Lithuanian: "2026 m. sausis", Lithuanian decimals and minus
    lt = _rows(summaries["lt"], "Tendencija")
    january = shown.get_loc(pd.Period("2026-01", "M"))
    assert lt[january][0] == "2026 m. sausis"
    assert lt[january][2].removesuffix(" ◆") == _decimal(
        nps[pd.Period("2026-01", "M")], "lt", sign=True
    )
    change = nps[pd.Period("2026-01", "M")] - nps[pd.Period("2025-12", "M")]
    assert lt[january][4].rstrip(" *") == _decimal(change, "lt", sign=True)


def test_worst_month_2025_08(tmp_path, answers):
    """2025-08, the worst month, is older than the last twelve months shown: an export of the
    2025 answers only shows it, and so does --period quarter (2025 Q3)."""
    august = answers[answers["date"].dt.to_period("M") == pd.Period("2025-08", "M")]["score"]
    raw = pd.read_csv(SAMPLE, dtype=str, keep_default_na=False)
    early = tmp_path / "survey_2025.csv"
    raw[raw["Date"] < "2026-01-01"].to_csv(early, index=False)
    for lang, title, label in (
        ("en", "Trend", "August 2025"),
        ("lt", "Tendencija", "2025 m. rugpjūtis"),
    ):
        result = run("summary", str(early), "--lang", lang)
        assert result.exit_code == 0, result.output
        row = next(r for r in _rows(result.output, title) if r[0] == label)
        assert row[1].rstrip(" !") == str(len(august))
        assert row[2].removesuffix(" ◆") == _decimal(_nps(august), lang, sign=True)
        assert _nps(august) < 0 < _nps(answers["score"])  # worse than the year, and negative
    result = run("summary", str(SAMPLE), "--period", "quarter", "--lang", "zh-Hans")
    assert result.exit_code == 0, result.output
    quarter = answers[answers["date"].dt.to_period("Q") == pd.Period("2025Q3", "Q")]["score"]
    row = next(r for r in _rows(result.output, "趋势") if r[0] == "2025年第3季度")
    assert row[1].rstrip(" !") == str(len(quarter))
    assert row[2].removesuffix(" ◆") == f"{_nps(quarter):+.1f}"


def test_segment_rows_equal_a_pandas_groupby(summaries, answers):
    overall = _nps(answers["score"])
    rows = _rows(summaries["en"], "Segments")
    segment = None
    seen = 0
    for name, group, count, value, difference, impact in rows:
        segment = name or segment
        inside = answers[segment] == group
        s, rest = answers.loc[inside, "score"], answers.loc[~inside, "score"]
        assert count.rstrip(" !") == str(len(s))
        assert value == f"{_nps(s):+.1f}"
        assert difference.rstrip(" *") == f"{_nps(s) - _nps(rest):+.1f}"
        assert impact == f"{overall - _nps(rest):+.1f}"
        seen += 1
    segments = ("Region", "Product", "Channel", "Customer tenure")
    assert seen == sum(answers[c].nunique() for c in segments) == 14
    # Smart Hub: % of 9–10 minus % of 0–6 among its answers
    hub = answers.loc[answers["Product"] == "Smart Hub", "score"]
    want = 100 * ((hub >= 9).sum() - (hub <= 6).sum()) / len(hub)
    hub_row = next(r for r in rows if r[1] == "Smart Hub")
    assert hub_row[3] == f"{want:+.1f}"
    bg_row = next(r for r in _rows(summaries["bg"], "Сегменти") if r[1] == "Smart Hub")
    assert bg_row[3] == _decimal(want, "bg", sign=True)
    # sorted by impact within each segment column
    product = [r for r in rows if r[1] in set(answers["Product"])]
    impacts = [float(r[5]) for r in product]
    assert impacts == sorted(impacts, reverse=True)


# --------------------------------------------------------------------------- CLI errors


@pytest.fixture
def bad_scores(tmp_path) -> Path:
    path = tmp_path / "bad.csv"
    path.write_text("Score,Date\n9,2025-01-01\n11,2025-01-02\n7,2025-01-03\n", encoding="utf-8")
    return path


ERRORS = {
    # 11 is on line 3 of the CSV file (the header is line 1)
    "invalid": {
        "en": "11 in line 3 is not a score on the 0–10 scale",
        "zh-Hans": "第 3 行的 11 不是 0–10 量表上的有效评分",
        "zh-Hant": "第 3 行的 11 不是 0–10 量表上的有效分數",
        "lt": "11 (failo 3 eilutė) nėra 0–10 skalės balas",
        "bg": "11 (ред 3 на файла) не е оценка по скалата 0–10",
    },
    "missing": {
        "en": "missing.csv: no such file",
        "zh-Hans": "missing.csv:文件不存在",
        "zh-Hant": "missing.csv:檔案不存在",
        "lt": "missing.csv: tokio failo nėra",
        "bg": "missing.csv: няма такъв файл",
    },
    "exists": {
        "en": "exists; pass --force to overwrite",
        "zh-Hans": "已存在;如需覆盖,请加上 --force",
        "zh-Hant": "已存在;若要覆寫,請加上 --force",
        "lt": "jau yra; norėdami perrašyti, nurodykite --force",
        "bg": "вече съществува; подайте --force, за да го презапишете",
    },
    "column": {
        "en": "There is no column 'Nope' (given with --score)",
        "zh-Hans": "没有名为 'Nope' 的列(由 --score 指定)",
        "zh-Hant": "沒有名為 'Nope' 的欄(由 --score 指定)",
        "lt": "Stulpelio 'Nope' nėra (nurodyta su --score)",
        "bg": "Няма колона 'Nope' (зададена с --score)",
    },
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_cli_errors_in_the_language(tmp_path, bad_scores, lang):
    out = tmp_path / "report.xlsx"
    out.write_bytes(b"old")
    cases = {
        "invalid": ("summary", str(bad_scores), "--score", "Score", "--invalid", "error"),
        "missing": ("summary", str(tmp_path / "missing.csv")),
        "exists": ("report", str(bad_scores), "-o", str(out)),
        "column": ("summary", str(bad_scores), "--score", "Nope"),
    }
    for case, args in cases.items():
        result = run(*args, "--lang", lang)
        assert result.exit_code == 2, (case, result.output)
        assert result.flat.startswith("nps-xl: error: "), result.flat
        assert ERRORS[case][lang] in result.flat, (case, result.flat)
        assert "Traceback" not in result.output
        if lang != "en":
            assert ERRORS[case]["en"] not in result.flat
    assert out.read_bytes() == b"old"


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "holds no answers on the 0–10 scale ('N/A', 'x')"),
        ("zh-Hans", "中没有 0–10 量表上的回答('N/A', 'x')"),
        ("bg", "не съдържа отговори по скалата 0–10 ('N/A', 'x')"),
    ],
)
def test_cli_no_valid_answers(tmp_path, lang, words):
    path = tmp_path / "none.csv"
    path.write_text("Score,Comment\nN/A,a\n,b\nx,c\n", encoding="utf-8")
    result = run("summary", str(path), "--score", "Score", "--lang", lang)
    assert result.exit_code == 2 and words in result.flat, result.flat


# --------------------------------------------------------------------------- the Python API


def test_score_error_is_english_and_localized():
    with pytest.raises(ScoreError) as caught:
        parse_scores([9, 11, 7], invalid="error")
    exc = caught.value
    assert "11 at position 2" in str(exc) and exc.localized("en") == str(exc)
    assert "第 2 个位置的值 11" in exc.localized("zh-Hans")
    assert "11 (2 pozicija)" in exc.localized("lt")
    with pytest.raises(ScoreError) as caught:
        parse_scores([[9, 10], [7, "great"]], invalid="error")
    assert "row 2, column 2" in str(caught.value)
    assert "ред 2, колона 2" in caught.value.localized("bg")
    assert "第 2 列第 2 欄" in caught.value.localized("zh-Hant")


def test_no_valid_answers_from_the_statistics_is_rendered_by_key():
    from nps_xl import stats

    with pytest.raises(ValueError) as caught:
        stats.nps(Counts(detractors=0, passives=0, promoters=0))
    assert not isinstance(caught.value, LocalizedError)
    assert localized(caught.value, "en") == str(caught.value)
    assert localized(caught.value, "lt").startswith("Nėra tinkamų atsakymų")
    assert localized(caught.value, "zh-Hant").startswith("沒有有效回覆")


def _xlsx_with_entities(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><Types>&a;</Types>',
        )
        z.writestr("xl/workbook.xml", "<workbook/>")
    return path


@pytest.mark.parametrize(
    ("make", "english", "bulgarian"),
    [
        (lambda p: p / "nope.csv", "nope.csv: no such file", "няма такъв файл"),
        (
            lambda p: (p / "a.csv").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64)) and p / "a.csv",
            "a.csv is a PNG image, not a survey export",
            "a.csv е изображение PNG, а не експорт на анкета",
        ),
        (
            lambda p: (p / "b.xlsx").write_bytes(b"PK\x03\x04 not a zip") and p / "b.xlsx",
            "b.xlsx is damaged: it starts like an XLSX/ODS file",
            "b.xlsx е повреден: започва като файл XLSX/ODS",
        ),
        (
            lambda p: _xlsx_with_entities(p / "bomb.xlsx"),
            "bomb.xlsx refused: part [Content_Types].xml declares XML entities",
            "bomb.xlsx е отхвърлен: частта [Content_Types].xml декларира XML единици",
        ),
    ],
)
def test_survey_file_errors_are_english_and_localized(tmp_path, make, english, bulgarian):
    with pytest.raises(SurveyFileError) as caught:
        read_survey(make(tmp_path))
    assert english in str(caught.value)
    assert bulgarian in caught.value.localized("bg")
    result = run("summary", str(make(tmp_path)), "--lang", "bg")
    assert result.exit_code == 2 and bulgarian in result.flat, result.flat


def test_ambiguous_score_column_names_the_flag(tmp_path):
    path = tmp_path / "two.csv"
    path.write_text("Would you recommend A,Would you recommend B\n9,3\n10,7\n", encoding="utf-8")
    for lang, words in (("en", "Several columns"), ("lt", "Keli stulpeliai"), ("bg", "Няколко")):
        result = run("summary", str(path), "--lang", lang)
        assert result.exit_code == 2 and words in result.flat, result.flat
        assert "--score" in result.flat and "'Would you recommend A'" in result.flat


# --------------------------------------------------------------------------- an Excel function


@pytest.fixture(scope="module")
def xl():
    with classic_excel() as excel:
        yield excel


UDF_INVALID = {
    "en": "#NPS! 11 in row 2 of scores is not a score on the 0–10 scale",
    "zh-Hans": "#NPS! scores 的第 2 行中的 11 不是 0–10 量表上的有效评分",
    "zh-Hant": "#NPS! scores 的第 2 列中的 11 不是 0–10 量表上的有效分數",
    "lt": "#NPS! 11 (scores 2 eilutė) nėra 0–10 skalės balas",
    "bg": "#NPS! 11 (ред 2 от scores) не е оценка по скалата 0–10",
}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_udf_error_in_the_lang_argument(xl, lang):
    """NPS_COUNTS(scores, invalid, scale, lang) called as the VBA wrapper does."""
    scores = ((9.0,), (11.0,), (None,))
    result = xl.call("NPS_COUNTS", scores, MISSING, MISSING, lang)
    assert isinstance(result, str) and result.startswith(UDF_INVALID[lang]), result
    empty = xl.call("NPS_COUNTS", ((None,), ("x",)), "skip", MISSING, lang)
    assert empty.startswith("#NPS! ") and "scores" in empty


def test_udf_error_is_english_without_lang(xl):
    scores = ((9.0,), (11.0,), (None,))
    assert xl.call("NPS_COUNTS", scores, MISSING, MISSING, MISSING).startswith(UDF_INVALID["en"])
    assert xl.call("NPS", scores).startswith(UDF_INVALID["en"])  # NPS has no lang argument
