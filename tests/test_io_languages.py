"""The reading layer in the reader's language: every refusal of ``nps_xl.io`` reaches the
command line as one line in the ``--lang`` language (exit code 2), and ``load_survey(lang=...)``
writes its notes in that language.

The files come from the generators of ``tests/fixtures/reading_exports.py`` and
``tests/test_hostile_input.py``. The words expected in each language are copied by hand from
the catalogue (``nps_xl/i18n/<lang>.json``); each case also checks that the line holds the
longest fixed part of its key's text, so the error is the one the case means.
"""

from __future__ import annotations

import ast
import copy
import importlib.util
import pickle
import re
import string
import sys
from pathlib import Path

import pytest
from test_hostile_input import (
    _a1_and_xfd1048576,
    _header_in_column_one_million,
    _sheet_xlsx,
    _two_hundred_million_parquet_rows,
)
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.i18n import CATALOGUE
from nps_xl.io import SurveyFileError, load_survey, read_survey
from nps_xl.io._common import Note

HERE = Path(__file__).parent
if "reading_exports" in sys.modules:  # loaded by test_reading_exports.py
    rx = sys.modules["reading_exports"]
else:
    _spec = importlib.util.spec_from_file_location(
        "reading_exports", HERE / "fixtures" / "reading_exports.py"
    )
    rx = importlib.util.module_from_spec(_spec)
    sys.modules["reading_exports"] = rx
    _spec.loader.exec_module(rx)

runner = CliRunner()
# wide enough that nothing but a line break in the message could make a second line
ENV = {"COLUMNS": "1000", "NO_COLOR": "1", "TERM": "dumb"}
LANGS = ("zh-Hans", "zh-Hant", "lt", "bg")


def _uncertain_encoding(tmp: Path) -> list[str]:
    """Only "ė" in the file and no known header word: Windows-1257 reads "gerėja",
    Windows-1252 "gerëja" (a letter of French and Albanian); nothing decides between them."""
    path = tmp / "short.csv"
    rows = "Score;Comment\r\n" + "".join(f"{s};gerėja {i}\r\n" for i, s in enumerate([9, 3, 10]))
    path.write_bytes(rows.encode("cp1257"))
    return [str(path)]


# case: (key, file maker → CLI arguments, English words that must not remain, {lang: a word})
CASES = {
    "uncertain encoding": (
        "error_file_encoding_uncertain",
        _uncertain_encoding,
        "cannot tell for sure which text encoding",
        {"zh-Hans": "无法确定", "zh-Hant": "無法確定", "lt": "koduotę", "bg": "кодировка"},
    ),
    "1–5 scale": (
        "error_score_scale",
        lambda tmp: [str(rx.make_five_point(tmp).path)],
        "this looks like a shorter rating scale",
        {"zh-Hans": "量表", "zh-Hant": "量表", "lt": "skalę", "bg": "скала"},
    ),
    "sheet of 17 billion cells": (
        "error_sheet_too_large",
        lambda tmp: [str(_a1_and_xfd1048576(tmp))],
        "Export the answers as CSV or Parquet instead",
        {"zh-Hans": "单元格", "zh-Hant": "儲存格", "lt": "langelių", "bg": "клетки"},
    ),
    "cell beyond Excel's columns": (
        "error_sheet_beyond_excel",
        lambda tmp: [str(_header_in_column_one_million(tmp))],
        "delete what lies beyond your data",
        {
            "zh-Hans": "行 × 16,384 列",
            "zh-Hant": "列 × 16,384 欄",
            "lt": "stulpelių",
            "bg": "колони",
        },
    ),
    "200 million Parquet rows": (
        "error_parquet_rows",
        lambda tmp: [str(_two_hundred_million_parquet_rows(tmp))],
        "Filter or split the answers",
        {"zh-Hans": "上限", "zh-Hant": "上限", "lt": "eilučių", "bg": "реда"},
    ),
    "unknown encoding name": (
        "error_unknown_encoding",
        lambda tmp: [str(rx.make_excel_code_page(tmp, "cp1257").path), "--encoding", "baltic"],
        "Unknown encoding",
        {
            "zh-Hans": "未知的编码",
            "zh-Hant": "未知的編碼",
            "lt": "Nežinoma koduotė",
            "bg": "Неизвестна кодировка",
        },
    ),
    "empty sheet": (
        "error_sheet_empty",
        lambda tmp: [str(_sheet_xlsx(tmp / "empty_sheet.xlsx", b""))],
        "pass --sheet with the sheet that holds the answers",
        {"zh-Hans": "是空的", "zh-Hant": "是空的", "lt": "tuščias", "bg": "празен"},
    ),
}


@pytest.fixture(scope="module")
def arguments(tmp_path_factory) -> dict[str, list[str]]:
    """Each case's file, written once for every language."""
    out = {}
    for case, (_, make, _, _) in CASES.items():
        folder = tmp_path_factory.mktemp(re.sub(r"\W+", "_", case))
        out[case] = make(folder)
    return out


def _summary(args: list[str], lang: str):
    result = runner.invoke(app, ["summary", *args, "--lang", lang], env=ENV)
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    return result, lines


def _longest_fixed_part(key: str, lang: str) -> str:
    """The longest text between the fields of ``key``'s template in ``lang``."""
    parts = [literal for literal, *_ in string.Formatter().parse(CATALOGUE[key][lang])]
    return max(parts, key=len).strip()


@pytest.mark.parametrize("case", list(CASES))
def test_the_error_is_english_by_default(case, arguments):
    _, _, english, _ = CASES[case]
    result, lines = _summary(arguments[case], "en")
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("nps-xl: error: "), lines
    assert english in lines[0]
    assert "Traceback" not in result.output


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("case", list(CASES))
def test_the_error_is_one_line_in_the_language(case, lang, arguments):
    key, _, english, words = CASES[case]
    result, lines = _summary(arguments[case], lang)
    assert result.exit_code == 2, result.output
    assert len(lines) == 1 and lines[0].startswith("nps-xl: error: "), lines
    line = lines[0]
    assert words[lang] in line, line
    assert _longest_fixed_part(key, lang) in line, line
    assert english not in line, line


def test_every_case_error_carries_its_key(arguments):
    # the same files through the Python API: the English message, the key, the fields
    for case, (key, _, english, _) in CASES.items():
        args = arguments[case]
        encoding = args[args.index("--encoding") + 1] if "--encoding" in args else None
        with pytest.raises(SurveyFileError) as caught:
            load_survey(args[0], encoding=encoding)
        assert caught.value.key == key, case
        assert english in str(caught.value), case
        assert caught.value.localized("en") == str(caught.value)


# --------------------------------------------------------------------------- notes


CYRILLIC = re.compile(r"[\u0400-\u04ff]")


def test_load_survey_notes_are_bulgarian(tmp_path):
    """The R export (Latin-1, 342 "NA" markers, two more rating questions): the encoding
    used, the markers read as blank, the rating columns used as key drivers."""
    export = rx.make_r_latin1(tmp_path)
    english = load_survey(export.path).notes
    bulgarian = load_survey(export.path, lang="bg").notes
    assert len(english) == len(bulgarian) == 3
    assert english[0] == "Read as ISO-8859-1 (Latin-1) text: the file is not UTF-8."
    assert bulgarian[0] == "Прочетен като текст в ISO-8859-1 (Latin-1): файлът не е в UTF-8."
    assert "маркерите за липсваща стойност" in bulgarian[1] and "342" in bulgarian[1]
    assert "'NA' ×342" in bulgarian[1]
    assert bulgarian[2].startswith("Другите въпроси с оценка се използват като ключови фактори")
    assert "'satisfaction'" in bulgarian[2] and '--segment "колона"' in bulgarian[2]
    for note in bulgarian:
        assert CYRILLIC.search(note), note
        assert not re.search(r"\b(Read as|counted as|rating questions|Pass)\b", note), note
        assert type(note) is str  # rendered text, not a Note


def test_bytes_replaced_note_is_bulgarian(tmp_path):
    """A GBK file read as UTF-8 on request: the invalid bytes become "�" and the note says
    where, in Bulgarian."""
    export = rx.make_excel_code_page(tmp_path, "gbk")
    score = read_survey(export.path, encoding="utf-8").columns[2]
    (note,) = load_survey(export.path, encoding="utf-8", score=score, lang="bg").notes
    assert note.startswith("Байтовите последователности, невалидни в utf-8, са прочетени като")
    assert "ред 1" in note


def test_notes_stay_text_with_their_message():
    """Callers that keep notes as text (the engines, ``tidy`` attrs) see the English text;
    copies and pickles keep the catalogue message."""
    note = Note("3 values are odd.", "note_dates_ambiguous", column="Date", value="03/04/2025")
    assert note == "3 values are odd." and "odd" in note and isinstance(note, str)
    for twin in (copy.deepcopy(note), pickle.loads(pickle.dumps(note))):
        assert twin == note and twin.render("lt") == note.render("lt")
    assert note.render("lt").startswith("Date: tokios datos kaip '03/04/2025'")


# --------------------------------------------------------------------------- no English only


def _io_sources() -> list[Path]:
    return sorted((HERE.parent / "nps_xl" / "io").glob("*.py"))


def _is_text(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr) or (
        isinstance(node, ast.Constant) and isinstance(node.value, str)
    )


@pytest.mark.parametrize("path", _io_sources(), ids=lambda p: p.name)
def test_no_english_only_error_or_note_in_the_reading_layer(path):
    """Every ``SurveyFileError`` is raised with a key (``.from_key`` or ``.localize``) and
    every note is a ``Note``, never bare text."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            func = node.exc.func
            if isinstance(func, ast.Name) and func.id == "SurveyFileError":
                found.append(f"line {node.lineno}: raise SurveyFileError(...) without a key")
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            owner = ast.unparse(node.func.value)
            if node.func.attr in ("append", "extend") and "notes" in owner:
                for arg in node.args:
                    items = arg.elts if isinstance(arg, ast.List | ast.Tuple) else [arg]
                    if any(_is_text(item) for item in items):
                        found.append(f"line {node.lineno}: {owner}.{node.func.attr}(text)")
        if isinstance(node, ast.keyword) and node.arg == "note" and _is_text(node.value):
            found.append(f"line {node.value.lineno}: note=text")
    assert not found, found
