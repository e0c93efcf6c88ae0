"""The language files (``nps_xl/i18n/<lang>.json``) as files: valid, canonical, the same keys in
every language, shipped with the package, and read only when a text is first asked for."""

from __future__ import annotations

import doctest
import fnmatch
import json
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

import nps_xl.errors
import nps_xl.i18n
import nps_xl.numbers
from nps_xl.i18n import CATALOGUE, LANGUAGES, read_language
from nps_xl.numbers import CONVENTION_KEYS

ROOT = Path(__file__).resolve().parents[1]
I18N = Path(nps_xl.i18n.__file__).parent
FIX = "python -m json.tool --sort-keys --no-ensure-ascii --indent 2 {path} {path}"


def _path(lang: str) -> Path:
    return I18N / f"{lang}.json"


def _canonical(words: dict[str, str]) -> str:
    return json.dumps(words, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def test_one_file_per_language_and_no_other() -> None:
    assert sorted(path.stem for path in I18N.glob("*.json")) == sorted(LANGUAGES)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_is_a_utf8_json_object_of_texts(lang: str) -> None:
    raw = _path(lang).read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf"), "no byte-order mark, please"
    words = json.loads(raw.decode("utf-8"))  # raises on invalid UTF-8 or JSON
    assert isinstance(words, dict)
    for key, value in words.items():
        assert isinstance(value, str), (key, value)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_has_no_duplicate_keys(lang: str) -> None:
    # json.loads keeps the last of two equal keys without a word; a tool or a merge may make them.
    def pairs(items: list[tuple[str, str]]) -> dict[str, str]:
        keys = [key for key, _ in items]
        duplicated = sorted({key for key in keys if keys.count(key) > 1})
        assert not duplicated, f"{_path(lang).name}: {duplicated}"
        return dict(items)

    json.loads(_path(lang).read_text(encoding="utf-8"), object_pairs_hook=pairs)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_file_is_in_canonical_form(lang: str) -> None:
    # Sorted keys and one layout keep every change a one-line diff.
    path = _path(lang)
    words = read_language(lang)
    assert list(words) == sorted(words), f"keys out of order; run: {FIX.format(path=path)}"
    as_stored = path.read_text(encoding="utf-8").replace("\r\n", "\n")
    assert as_stored == _canonical(words), f"run: {FIX.format(path=path)}"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_file_has_the_keys_of_english(lang: str) -> None:
    english = set(read_language("en"))
    keys = set(read_language(lang))
    assert sorted(english - keys) == [], f"{lang}.json lacks these keys"
    assert sorted(keys - english) == [], f"{lang}.json has keys en.json has not"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_no_invisible_characters(lang: str) -> None:
    # A control character, a no-break or zero-width space or a direction mark cannot be seen in
    # review; the number conventions that need a no-break space live in nps_xl/numbers.py.
    for key, value in read_language(lang).items():
        odd = [
            f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}"
            for ch in value
            if unicodedata.category(ch) in ("Cc", "Cf", "Co", "Cn", "Zl", "Zp")
            or (unicodedata.category(ch) == "Zs" and ch != " ")
        ]
        assert not odd, (lang, key, odd)


def test_conventions_are_not_in_the_files() -> None:
    # They are no words to translate: nps_xl.numbers holds them, and CATALOGUE adds them.
    for lang in LANGUAGES:
        assert not set(CONVENTION_KEYS) & set(read_language(lang)), lang


def test_catalogue_is_the_files_plus_the_conventions() -> None:
    expected = {key: {} for key in read_language("en")}
    for lang in LANGUAGES:
        for key, value in read_language(lang).items():
            expected[key][lang] = value
    for key in CONVENTION_KEYS:
        expected[key] = {
            lang: str(getattr(nps_xl.numbers.CONVENTIONS[lang], key)) for lang in LANGUAGES
        }
    assert dict(CATALOGUE) == expected
    assert all(list(CATALOGUE[key]) == list(LANGUAGES) for key in CATALOGUE)


def test_read_language_refuses_other_names() -> None:
    with pytest.raises(ValueError, match="not one of"):
        read_language("../README")


def test_package_data_ships_the_files() -> None:
    tomllib = pytest.importorskip("tomllib")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    package_data = config["tool"]["setuptools"]["package-data"]
    patterns = [f"nps_xl/{p}" for p in package_data.get("nps_xl", [])]
    patterns += [f"nps_xl/i18n/{p}" for p in package_data.get("nps_xl.i18n", [])]
    for lang in LANGUAGES:
        name = f"nps_xl/i18n/{lang}.json"
        assert any(fnmatch.fnmatch(name, pattern) for pattern in patterns), (name, patterns)


# --- read lazily, once ------------------------------------------------------------------------


def _in_fresh_python(code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


PROBE = """
import sys, traceback

where = []


def hook(event, args):
    # the first language file opened, and by whom
    if event == "open" and not where and str(args[0]).endswith(".json") and "i18n" in str(args[0]):
        where.append("".join(traceback.format_stack(limit=12)[:-1]))


sys.addaudithook(hook)
for name in {modules!r}:
    __import__(name)
print(where[0] if where else "not read")
"""


@pytest.mark.parametrize(
    "modules",
    [
        ["nps_xl.errors"],
        ["nps_xl.scores"],
        ["nps_xl.numbers"],
        ["nps_xl.i18n"],
        ["nps_xl"],
        ["nps_xl.errors", "nps_xl.scores", "nps_xl.io", "nps_xl.stats", "nps_xl.numbers"],
    ],
)
def test_importing_reads_no_language_file(modules: list[str]) -> None:
    # Importing must stay cheap (the CLI starts with it); a module that asks for a text while
    # it is imported reads the files: ask inside the function that needs the text instead.
    read = _in_fresh_python(PROBE.format(modules=modules))
    assert read == "not read", f"importing {modules} read a language file here:\n{read}"


def test_probe_sees_a_read() -> None:
    code = PROBE.replace("print(", "import nps_xl.i18n; nps_xl.i18n.text('promoters')\nprint(")
    read = _in_fresh_python(code.format(modules=["nps_xl.i18n"]))
    assert "in text" in read and "i18n" in read, read


def test_raising_a_keyed_error_reads_the_files_once() -> None:
    # The probe above sees a load: the first rendered message reads the files, later ones not.
    code = """
from nps_xl import i18n
from nps_xl.scores import parse_scores
for _ in range(3):
    try:
        parse_scores([11])
    except ValueError as exc:
        exc.localized("lt")
print(i18n._catalogue.cache_info().misses)
"""
    assert _in_fresh_python(code) == "1"


def test_errors_imports_no_catalogue_at_module_level() -> None:
    # nps_xl.errors may name the catalogue only inside the functions that render a message.
    import ast
    import inspect

    tree = ast.parse(inspect.getsource(nps_xl.errors))
    top = [
        node.module
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("nps_xl")
    ]
    assert top == ["nps_xl.numbers"]


# --- the examples in the docstrings run ---------------------------------------------------------


@pytest.mark.parametrize("module", [nps_xl.errors, nps_xl.numbers, nps_xl.i18n])
def test_docstring_examples(module) -> None:
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0 and result.failed == 0, result
