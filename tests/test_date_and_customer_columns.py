"""Which date column, and ids that repeat (docs/reading.md, *Which date column* and *Repeated
IDs*): through the Python API (load_survey), the CLI (summary --json, --date, --customer) and the
ribbon refresh (tests/refresh_runner.py, the Office.js route). Every expected figure is counted
here, with pandas, from the rows the test writes."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from nps_xl.i18n import text
from nps_xl.io import load_survey

RUNNER = Path(__file__).with_name("refresh_runner.py")
N = 36
SCORES = [(i * 7) % 11 for i in range(N)]


def _days(start: dt.date, step: int) -> list[str]:
    return [(start + dt.timedelta(days=step * i)).isoformat() for i in range(N)]


#: The time of the answer spread over three months of 2025; record-keeping dates elsewhere.
ANSWERED = _days(dt.date(2025, 1, 3), 2)
CREATED = _days(dt.date(2021, 6, 1), 9)
UPDATED = _days(dt.date(2024, 2, 1), 1)
BIRTH = _days(dt.date(1970, 3, 1), 300)
SIGNUP = _days(dt.date(2019, 1, 1), 20)


def _write(path: Path, columns: dict[str, list[object]]) -> Path:
    pd.DataFrame(columns).to_csv(path, index=False, encoding="utf-8")
    return path


def _months(dates: list[str]) -> dict[str, int]:
    """Answers per month, counted independently of nps-xl."""
    return pd.Series(pd.to_datetime(dates)).dt.strftime("%Y-%m").value_counts().to_dict()


# (answered header, record-keeping headers) in the five languages
LANGUAGE_HEADERS = {
    "en": ("Submitted at", ["Created at", "Last updated", "Date of birth", "Signup date"]),
    "zh-Hans": ("提交时间", ["创建时间", "更新时间", "出生日期", "注册日期"]),
    "zh-Hant": ("提交時間", ["建立時間", "更新時間", "出生日期", "註冊日期"]),
    "lt": ("Pateikta", ["Sukurta", "Atnaujinta", "Gimimo data", "Registracijos data"]),
    "bg": ("Попълнено", ["Създадено", "Обновено", "Дата на раждане", "Дата на регистрация"]),
}


def _dated_file(tmp_path: Path, lang: str, answered_at: int = 2) -> tuple[Path, str, list[str]]:
    """Record-keeping dates first (the first one would win today), the answer time among them."""
    answered, records = LANGUAGE_HEADERS[lang]
    values = [CREATED, UPDATED, BIRTH, SIGNUP]
    columns: dict[str, list[object]] = dict(zip(records, values, strict=True))
    items = list(columns.items())
    items.insert(answered_at, (answered, ANSWERED))
    columns = {"Score": SCORES, **dict(items)}
    return _write(tmp_path / f"dates-{lang}.csv", columns), answered, records


@pytest.mark.parametrize("lang", list(LANGUAGE_HEADERS))
def test_the_time_of_the_answer_wins_over_record_keeping_dates(tmp_path, lang):
    path, answered, records = _dated_file(tmp_path, lang)
    survey = load_survey(path, lang=lang)
    assert survey.columns.date == answered
    assert set(survey.other_dates) == set(records)
    trend = survey.frame["Date"].dt.strftime("%Y-%m").value_counts().to_dict()
    assert trend == _months(ANSWERED)
    # the note names the column used and every other one, with the flag, in the language
    (note,) = [n for n in survey.notes if "--date" in n]
    assert answered in note and all(repr(r) in note for r in records)
    assert note == survey.column_notes[0]


def test_a_plain_date_ranks_above_record_keeping_and_below_the_answer_time(tmp_path):
    path = _write(
        tmp_path / "plain.csv",
        {"Last login": UPDATED, "Date": ANSWERED, "Score": SCORES, "Account created": CREATED},
    )
    survey = load_survey(path)
    assert survey.columns.date == "Date"
    assert survey.other_dates == ("Last login", "Account created")
    path = _write(
        tmp_path / "timestamp.csv",
        {"Date": CREATED, "Timestamp": ANSWERED, "Score": SCORES},
    )
    assert load_survey(path).columns.date == "Timestamp"


def test_ties_go_to_the_most_readable_dates_then_the_leftmost(tmp_path):
    sparse = [d if i % 3 else "" for i, d in enumerate(UPDATED)]
    one_unreadable = ["soon", *CREATED[1:]]
    path = _write(
        tmp_path / "ties.csv",
        {
            "Call date": sparse,
            "Service date": one_unreadable,
            "Visit date": ANSWERED,
            "Score": SCORES,
        },
    )
    survey = load_survey(path)
    assert survey.columns.date == "Visit date"  # 36 readable dates, against 35 and 24
    assert survey.other_dates == ("Service date", "Call date")
    path = _write(
        tmp_path / "equal.csv", {"Visit date": ANSWERED, "Call date": UPDATED, "Score": SCORES}
    )
    assert load_survey(path).columns.date == "Visit date"


def test_one_date_column_says_nothing(tmp_path):
    path = _write(tmp_path / "one.csv", {"Created": CREATED, "Score": SCORES})
    survey = load_survey(path)
    assert (survey.columns.date, survey.other_dates, survey.notes) == ("Created", (), ())


def _cli(*args: str) -> dict:
    out = subprocess.run(
        [sys.executable, "-m", "nps_xl.cli", "summary", *args, "--json"],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


def test_cli_names_the_date_column_and_the_flag_and_date_picks_another(tmp_path):
    path, answered, records = _dated_file(tmp_path, "en", answered_at=4)
    doc = _cli(str(path))
    assert doc["columns"]["date"] == answered
    assert sorted(doc["other_date_columns"]) == sorted(records)
    assert any("--date" in n and answered in n for n in doc["notes"])
    periods = {row["period"]: row["n"] for row in doc["trend"]}
    assert periods == _months(ANSWERED)
    chosen = _cli(str(path), "--date", "Signup date")
    assert chosen["columns"]["date"] == "Signup date"
    assert {row["period"]: row["n"] for row in chosen["trend"]} == _months(SIGNUP)
    assert not any("--date" in n for n in chosen["notes"])


# --------------------------------------------------------------------------- repeated ids

#: 36 answers of 21 customers; customers 0–5 answered three times, 6–8 twice, the rest once.
CUSTOMERS = [c for c in range(21) for _ in range(3 if c < 6 else 2 if c < 9 else 1)]


def _repeats(ids: list[object]) -> tuple[int, int]:
    """(customers who answered more than once, their answers), counted with pandas."""
    counts = pd.Series([i for i in ids if i not in (None, "")]).value_counts()
    many = counts[counts > 1]
    return len(many), int(many.sum())


def _customer_file(tmp_path: Path, header: str, ids: list[object], **more) -> Path:
    columns = {header: ids, "Submitted at": ANSWERED, "Score": SCORES, **more}
    return _write(tmp_path / "customers.csv", columns)


def test_an_id_that_repeats_is_a_customer_column(tmp_path):
    ids = [f"C{c:04d}" for c in CUSTOMERS]
    survey = load_survey(_customer_file(tmp_path, "ID", ids))
    assert (survey.columns.response_id, survey.columns.customer) == (None, "ID")
    customers, answers = _repeats(ids)
    assert (survey.repeats.customers, survey.repeats.answers) == (customers, answers) == (9, 24)
    (note,) = survey.column_notes[-1:]
    assert f"{customers} customers answered more than once ({answers} answers)" in note
    assert '--customer "ID"' in note
    # every answer still counts; the answers are numbered in file order
    assert len(survey.frame) == N and survey.frame["Response ID"].is_unique


@pytest.mark.parametrize(
    "header", ["Customer ID", "客户编号", "客戶編號", "Kliento Nr.", "Номер на клиента", "user_id"]
)
def test_customer_headers_in_five_languages_beside_a_response_id(tmp_path, header):
    ids = [f"K-{c}" for c in CUSTOMERS]
    path = _customer_file(tmp_path, header, ids, **{"Response ID": [f"R{i}" for i in range(N)]})
    survey = load_survey(path)
    assert (survey.columns.response_id, survey.columns.customer) == ("Response ID", header)
    customers, answers = _repeats(ids)
    assert (survey.repeats.customers, survey.repeats.answers) == (customers, answers)
    assert any(f'--customer "{header}"' in n for n in survey.notes)


def test_unique_ids_and_blanks_stay_response_ids(tmp_path):
    ids: list[object] = [f"R{i}" if i % 5 else "" for i in range(N)]  # blanks never repeat
    survey = load_survey(_customer_file(tmp_path, "Response ID", ids, Member=["yes", "no"] * 18))
    assert (survey.columns.response_id, survey.columns.customer, survey.repeats) == (
        "Response ID",
        None,
        None,
    )
    assert survey.segments == ("Member",)  # a yes/no "Member" is no customer id
    assert not any("--customer" in n for n in survey.notes)
    unique = _customer_file(tmp_path, "Account ID", [f"A{i}" for i in range(N)])
    survey = load_survey(unique)
    assert (survey.columns.customer, survey.repeats, survey.notes) == ("Account ID", None, ())


def test_a_repeating_id_beside_a_customer_column_is_no_response_id(tmp_path):
    ids = [f"C{c}" for c in CUSTOMERS]
    path = _customer_file(tmp_path, "ID", [i // 2 for i in range(N)], **{"Customer ID": ids})
    survey = load_survey(path)
    assert (survey.columns.response_id, survey.columns.customer) == (None, "Customer ID")
    assert (survey.repeats.customers, survey.repeats.answers) == _repeats(ids)
    assert any(n.startswith("ID: its values repeat (18 of them on 36") for n in survey.notes)


def test_cli_counts_repeats_and_customer_keeps_each_latest_answer(tmp_path):
    ids: list[object] = [f"C{c}" for c in CUSTOMERS]
    ids[-1] = ""  # an anonymous answer
    path = _customer_file(tmp_path, "ID", ids)
    doc = _cli(str(path))
    customers, answers = _repeats(ids)
    assert doc["columns"]["customer"] == "ID" and doc["columns"]["response_id"] is None
    assert doc["repeat_customers"] == {"customers": customers, "answers": answers}
    assert doc["headline"]["n"] == N
    latest = _cli(str(path), "--customer", "ID")
    frame = pd.DataFrame({"id": ids, "date": ANSWERED, "score": SCORES})
    named = frame[frame["id"] != ""].sort_values("date").groupby("id").tail(1)
    expected = pd.concat([named, frame[frame["id"] == ""]])
    promoters = int((expected["score"] >= 9).sum())
    detractors = int((expected["score"] <= 6).sum())
    assert latest["headline"]["n"] == len(expected) == 21
    assert latest["headline"]["nps"] == pytest.approx(100 * (promoters - detractors) / 21)
    assert latest["repeat_customers"] is None


def test_notes_in_every_language(tmp_path):
    path = _customer_file(tmp_path, "ID", [f"C{c}" for c in CUSTOMERS], Created=CREATED)
    for lang in ("zh-Hans", "zh-Hant", "lt", "bg"):
        survey = load_survey(path, lang=lang)
        assert len(survey.column_notes) == 2
        assert any('--customer "ID"' in n and "9" in n and "24" in n for n in survey.notes)
        assert any("--date" in n and "Created" in n for n in survey.notes)


# --------------------------------------------------------------------------- ribbon refresh


def _col(n: int) -> str:
    return "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[n - 1]


def _book(frame: pd.DataFrame) -> dict:
    """The JSON Excel sends for a workbook with only a Responses table holding ``frame``."""
    values = [list(frame.columns)] + [
        [None if v in ("", None) else v for v in row] for row in frame.itertuples(index=False)
    ]
    last = f"${_col(len(frame.columns))}${len(frame) + 1}"
    table = {
        "name": "Responses",
        "range_address": f"$A$1:{last}",
        "header_row_range_address": f"$A$1:${_col(len(frame.columns))}$1",
        "data_body_range_address": f"$A$2:{last}",
        "total_row_range_address": None,
        "show_headers": True,
        "show_totals": False,
        "table_style": "TableStyleMedium2",
        "show_autofilter": True,
    }
    sheet = {"name": "Responses", "values": values, "pictures": [], "tables": [table]}
    return {
        "client": "Office.js",
        "version": "0.37.8",
        "book": {"name": "answers.xlsx", "active_sheet_index": 0, "selection": "A1"},
        "names": [],
        "sheets": [{**sheet, "charts": []}],
    }


def _refresh(frame: pd.DataFrame) -> tuple[str, dict[str, list[list[object]]]]:
    out = subprocess.run(
        [sys.executable, str(RUNNER)],
        input=json.dumps(_book(frame)),
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    actions = json.loads(out.stdout)["actions"]
    (alert,) = [a for a in actions if a["func"] == "alert"]
    names = {}
    for a in actions:
        if a["func"] == "addSheet":
            names[a["args"][0]] = a["args"][1]
    written = {}
    for a in actions:
        if a["func"] == "setValues" and (a["start_row"], a["start_column"]) == (0, 0):
            rows = [[v[1:] if isinstance(v, str) and v[:1] == "'" else v for v in r]
                    for r in a["values"]]  # fmt: skip
            written[names.get(a["sheet_position"], a["sheet_position"])] = rows
    return alert["args"][0], written


def test_refresh_says_repeated_response_ids_are_customers_and_skips_date_columns():
    ids = [f"C{c}" for c in CUSTOMERS]
    frame = pd.DataFrame(
        {
            "Response ID": ids,
            "Date": ANSWERED,
            "Score": SCORES,
            "Comment": [None] * N,
            "Plan": ["Free", "Pro", "Team"] * 12,
            "Signup date": SIGNUP,
            "Date of birth": BIRTH,
        }
    )
    message, sheets = _refresh(frame)
    customers, answers = _repeats(ids)
    assert f"Response ID: {customers} IDs repeat ({answers} answers)" in message
    assert '--customer "Response ID"' in message
    assert "'Signup date', 'Date of birth'" in message
    segments = sheets[text("sheet_segments")]
    assert {row[0] for row in segments[1:]} == {"Plan"}  # dates are never segments
    trend = sheets[text("sheet_trend")]
    months = {str(row[0])[:7]: row[1] for row in trend[1:]}
    assert {k: v for k, v in months.items()} == _months(ANSWERED)


def test_refresh_uses_an_answer_time_column_when_the_date_column_is_empty():
    frame = pd.DataFrame(
        {
            "Response ID": [f"R{i}" for i in range(N)],
            "Date": [None] * N,
            "Score": SCORES,
            "Comment": [None] * N,
            "Created": CREATED,
            "Submitted at": ANSWERED,
        }
    )
    message, sheets = _refresh(frame)
    assert 'Dates from "Submitted at"' in message and "'Created'" in message
    assert "IDs repeat" not in message
    trend = sheets[text("sheet_trend")]
    assert {str(row[0])[:7]: row[1] for row in trend[1:]} == _months(ANSWERED)
