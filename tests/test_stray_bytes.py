"""A file in one encoding with a few lines of another (docs: reading.md, "Stray bytes"): read,
each such line in the encoding that fits it, the lines and the changed characters named in a
note; scores never touched; --encoding overrides. The files are written here from known text
with Python's own codecs, so the expected values are that text."""

from __future__ import annotations

import json
import random

import pandas as pd
import pytest
from typer.testing import CliRunner

from nps_xl.cli import app
from nps_xl.io import load_survey

runner = CliRunner()
CITIES = ["София", "Пловдив", "Варна"]
ENV = {"COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb"}
NAMES = ["José Martins", "Inês Gonçalves", "Ana Conceição", "João Pereira", "Luís Simões"]
DOS = {7: "José Antônio", 40: "Açores Sá", 41: "Conceição Ávila", 90: "Fátima Simão"}
DOS.update({100: "Núñez Gonçalo", 120: "Inês Frazão", 150: "Sérgio Brandão", 151: "Mário Gil"})


def _nps(scores: list[int]) -> float:
    return 100 * (sum(s >= 9 for s in scores) - sum(s <= 6 for s in scores)) / len(scores)


@pytest.fixture
def western(tmp_path):
    """A Windows-1252 Portuguese export; eight lines typed on a DOS terminal (CP850)."""
    rng = random.Random(11)
    lines, names, scores = ["ID;Nome;Score;Comentário"], [], []
    for i in range(1, 201):
        name = DOS.get(i + 1, rng.choice(NAMES))
        names.append(name)
        scores.append(rng.randrange(11))
        lines.append(f"{i};{name};{scores[-1]};ótimo serviço, não mudem")
    raw = [
        line.encode("cp850" if n in DOS else "cp1252") for n, line in enumerate(lines, 1)
    ]  # physical line n
    path = tmp_path / "clientes.csv"
    path.write_bytes(b"\r\n".join(raw) + b"\r\n")
    return path, names, scores


def test_dos_lines_in_a_windows_1252_file_are_read_and_named(western):
    path, names, scores = western
    survey = load_survey(path, score="Score")
    assert survey.encoding == "windows-1252"
    assert survey.frame["Nome"].tolist() == names  # every name as it was typed
    assert survey.frame["Score"].astype(int).tolist() == scores
    note = next(n for n in survey.notes if "another encoding" in n)
    # the first five lines with what changed, then how many more: line 7 is "6;José Antônio"
    assert "(8): line 7 read as cp850 ('Jos‚' → 'José'); line 40 read as cp850" in note
    assert "line 41 read as cp850 ('Concei‡Æo' → 'Conceição')" in note
    assert note.count(" read as cp850") == 5 and "and 3 more" in note
    # the CLI says the same, and its NPS is the one of the scores written
    result = runner.invoke(app, ["summary", str(path), "--json", "--score", "Score"], env=ENV)
    doc = json.loads(result.stdout)
    assert doc["headline"]["nps"] == pytest.approx(_nps(scores), abs=1e-9)
    assert any("line 7 read as cp850" in n for n in doc["notes"])
    # in the reader's language
    bg = load_survey(path, score="Score", lang="bg")
    assert any("ред 7 е прочетен като cp850 ('Jos‚' → 'José')" in n for n in bg.notes)


def test_encoding_overrides_the_reading_of_each_line(western):
    path, _, scores = western
    survey = load_survey(path, score="Score", encoding="windows-1252")
    assert survey.frame.loc[7, "Nome"] == "Jos‚ Ant“nio"  # what the user asked for
    assert not any("another encoding" in n for n in survey.notes)
    assert survey.frame["Score"].astype(int).tolist() == scores


def test_the_engine_reads_the_lines_as_pandas_does(western):
    path, _, scores = western
    args = ["summary", str(path), "--json", "--score", "Score"]
    pandas_doc = json.loads(runner.invoke(app, args, env=ENV).stdout)
    duck = runner.invoke(app, [*args, "--engine", "duckdb"], env=ENV)
    assert duck.exit_code == 0, duck.output
    duck_doc = json.loads(duck.stdout)
    assert (
        duck_doc["headline"]["nps"] == pandas_doc["headline"]["nps"] == pytest.approx(_nps(scores))
    )
    assert [n for n in duck_doc["notes"] if "another encoding" in n] == [
        n for n in pandas_doc["notes"] if "another encoding" in n
    ]


def test_bytes_that_are_no_cyrillic_character_are_named_with_their_lines(tmp_path):
    """Windows-1251 has no character 0x98: two such bytes, on lines 10 and 100."""
    lines = ["ID,Град,Оценка,Коментар"] + [
        f"{i},{CITIES[i % 3]},{i % 11},Много добро обслужване" for i in range(1, 201)
    ]
    raw = [line.encode("cp1251") for line in lines]
    raw[9] = raw[9].replace("добро".encode("cp1251"), b"\xe4\xee\x98\xe1\xf0\xee")
    raw[99] += b"\x98"
    path = tmp_path / "bg.csv"
    path.write_bytes(b"\n".join(raw) + b"\n")
    survey = load_survey(path, score="Оценка")
    assert survey.encoding == "windows-1251"
    assert survey.frame.loc[10, "Comment"] == "Много до\ufffdбро обслужване"
    assert survey.frame["Град"].tolist() == [CITIES[i % 3] for i in range(1, 201)]
    assert survey.frame["Score"].astype(int).tolist() == [i % 11 for i in range(1, 201)]
    note = next(n for n in survey.notes if "no character" in n)
    assert "line 10: bytes that are no Windows-1251 (Cyrillic) character" in note
    assert "('до\ufffdбро')" in note and "line 100:" in note
    result = runner.invoke(app, ["summary", str(path), "--score", "Оценка", "--lang", "bg"])
    assert result.exit_code == 0, result.output
    assert "ред 10: байтове, които не са знаци" in " ".join(result.output.split())


def test_a_windows_line_in_a_utf8_file(tmp_path):
    people = ["Zoë Renée", "Chloé Dubois", "Anaïs Müller"]
    lines = ["ID,Store,Score"] + [f"{i},{people[i % 3]},{i % 11}" for i in range(1, 301)]
    raw = [line.encode("utf-8") for line in lines]
    raw[4] = "4,Renée Çelik,9".encode("cp1252")
    path = tmp_path / "u.csv"
    path.write_bytes(b"\n".join(raw) + b"\n")
    survey = load_survey(path, score="Score")
    assert survey.encoding == "utf-8"
    assert survey.frame.loc[5, "Store"] == "Renée Çelik"
    assert survey.frame.loc[6, "Store"] == people[5 % 3]
    assert any("line 5 read as windows-1252 ('Ren\ufffde' → 'Renée')" in n for n in survey.notes)
    expected = [i % 11 for i in range(1, 301)]
    expected[3] = 9
    assert pd.Series(survey.frame["Score"]).astype(int).tolist() == expected


def test_the_fast_utf8_check_agrees_with_python_s_decoder():
    """Big files' non-ASCII chunks are checked by pyarrow instead of decoded: it must call
    valid exactly what Python's strict UTF-8 decoder (the reference) accepts — surrogates,
    overlong forms, code points past U+10FFFF and cut sequences included."""
    from nps_xl.io.encoding import _ARROW_CHECK_BYTES, _utf8_check

    check = _utf8_check(_ARROW_CHECK_BYTES)
    assert check.__name__ == "arrow"

    def python(block: bytes) -> bool:
        try:
            block.decode("utf-8")
        except UnicodeDecodeError:
            return False
        return True

    rng = random.Random(21)
    text = "Šiauliai 北京 Пловдив café 😀 ".encode() * 3
    cases = [b"\xed\xa0\x80", b"\xc0\x80", b"\xe0\x80\xaf", b"\xf4\x90\x80\x80",
             b"\xf8\x88\x80\x80", b"\xef\xbf\xbf", b"\xe2\x82", b"\x80", b"\xc2",
             b"\xf0\x9f\x98\x80", text]  # fmt: skip
    cases += [bytes(rng.randrange(256) for _ in range(rng.randrange(1, 6))) for _ in range(50_000)]
    for _ in range(5_000):  # valid text with one byte changed
        changed = bytearray(text)
        changed[rng.randrange(len(changed))] = rng.randrange(256)
        cases.append(bytes(changed))
    got = [check(c) for c in cases]
    want = [python(c) for c in cases]
    assert got == want
    assert 1_000 < sum(want) < len(want) - 1_000  # both kinds, many of each
