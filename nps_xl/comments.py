"""Comment themes: match an editable keyword list, and discover frequent terms.

Two jobs, both language-light (no NLP library):

* **Theme matching.** A theme list maps a theme name to keywords in any language
  (``nps_xl/data/themes.csv`` ships price, support, quality, delivery and usability in en, zh-Hans,
  zh-Hant, lt and bg; pass your own CSV, DataFrame or dict to replace it). Matching is
  case-insensitive. A keyword in an alphabetic script (Latin, Cyrillic, …) is a *stem* that must
  start a word: ``kain`` matches "kaina", "kainos", "kainą" but not "pakaina"; ``pric`` matches
  "price", "pricing". A keyword containing Chinese characters matches anywhere (Chinese has no
  spaces between words). A Chinese character before a Latin keyword counts as a word start.
* **Term discovery.** Comments are cut into terms: lowercased words of letters for alphabetic
  scripts (minus small stopword lists for en, lt and bg), and overlapping character bigrams of each
  run of Chinese characters (``"物流太慢"`` → 物流, 流太, 太慢; bigrams holding a common function
  character such as 的 or 了 are left out). Each comment counts a term once.

Large inputs: the work is done once per distinct comment (survey exports repeat many comments,
and blanks), and with pyarrow installed the regular expressions run in Arrow's RE2 engine; without
it Python's ``re`` gives the same matches.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

try:  # optional: much faster regular expressions over many distinct comments
    import pyarrow as pa
    import pyarrow.compute as pc
except ImportError:  # pragma: no cover - exercised by forcing _USE_ARROW = False in tests
    pa = pc = None

_USE_ARROW = pc is not None

#: Chinese (Han) characters: CJK Unified Ideographs, Extension A, Compatibility Ideographs.
_HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_HAN_RE = re.compile(f"[{_HAN}]")

ThemesLike = None | str | Path | pd.DataFrame | Mapping[str, Sequence[str] | str]

# ----------------------------------------------------------------------------- theme lists


def default_themes_path() -> Path:
    """Path of the shipped theme list (copy and edit it to make your own)."""
    return Path(__file__).with_name("data") / "themes.csv"


def load_themes(themes: ThemesLike = None) -> dict[str, list[str]]:
    """A theme list as ``{theme: [keyword, …]}`` (theme order kept, keywords lowercased).

    ``themes`` may be ``None`` (the shipped list), a path to a CSV with columns ``theme`` and
    ``keyword`` (a ``language`` column is optional and only documents the keyword), a DataFrame
    with those columns, or a dict ``{theme: [keywords]}`` / ``{theme: "kw1; kw2"}``.
    """
    if themes is None:
        themes = default_themes_path()
    if isinstance(themes, (str, Path)):
        path = Path(themes)
        if not path.exists():
            raise FileNotFoundError(
                f"Theme list {str(path)!r} does not exist. Give a CSV with columns theme, keyword."
            )
        themes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    if isinstance(themes, pd.DataFrame):
        cols = {str(c).strip().lower(): c for c in themes.columns}
        missing = [c for c in ("theme", "keyword") if c not in cols]
        if missing:
            raise ValueError(
                f"The theme list needs columns 'theme' and 'keyword'; missing {missing}. "
                f"Columns found: {list(themes.columns)}."
            )
        out: dict[str, list[str]] = {}
        for i, (theme, keyword) in enumerate(
            zip(themes[cols["theme"]], themes[cols["keyword"]], strict=True), start=1
        ):
            theme = "" if pd.isna(theme) else str(theme).strip()
            keyword = "" if pd.isna(keyword) else str(keyword).strip()
            if not theme and not keyword:
                continue
            if not theme or not keyword:
                raise ValueError(
                    f"Row {i} of the theme list has a {'keyword' if keyword else 'theme'} but no "
                    f"{'theme' if keyword else 'keyword'}. Fill both cells or delete the row."
                )
            out.setdefault(theme, []).append(keyword)
        themes = out
    if not isinstance(themes, Mapping):
        raise TypeError(
            "themes must be None, a CSV path, a DataFrame (theme, keyword) or a dict "
            f"{{theme: [keywords]}}, got {type(themes).__name__}."
        )
    result: dict[str, list[str]] = {}
    for theme, keywords in themes.items():
        if isinstance(keywords, str):
            keywords = re.split(r"[;\n]", keywords)
        cleaned = [str(k).strip().lower() for k in keywords if str(k).strip()]
        if not cleaned:
            raise ValueError(f"Theme {theme!r} has no keywords. Give at least one keyword.")
        result[str(theme)] = list(dict.fromkeys(cleaned))
    return result


def _pattern(keywords: Sequence[str], engine: str) -> str:
    """One regular expression for a theme: (word-start stems) | (Chinese substrings)."""
    stems = sorted({k for k in keywords if not _HAN_RE.search(k)}, key=len, reverse=True)
    han = sorted({k for k in keywords if _HAN_RE.search(k)}, key=len, reverse=True)
    parts = []
    if stems:
        alternation = "|".join(re.escape(k) for k in stems)
        if engine == "re2":
            # RE2 has no look-behind: consume the character before the stem instead.
            parts.append(f"(?:^|[^\\p{{L}}\\p{{N}}]|\\p{{Han}})(?:{alternation})")
        else:
            # Not preceded by a letter or digit other than a Chinese character.
            parts.append(f"(?<![^\\W_{_HAN}])(?:{alternation})")
    if han:
        parts.append("|".join(re.escape(k) for k in han))
    return "|".join(parts)


def _distinct_lower(comments: object) -> tuple[np.ndarray, list[str]]:
    """Codes into the distinct comments (−1 = blank) and those comments, lowercased."""
    s = comments if isinstance(comments, pd.Series) else pd.Series(np.asarray(comments, object))
    codes, uniques = pd.factorize(s, use_na_sentinel=True)  # fast on Arrow-backed strings
    texts = [u.lower() if isinstance(u, str) else str(u).lower() for u in uniques]
    return np.asarray(codes), texts


def distinct_theme_hits(
    comments: object, themes: ThemesLike = None
) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Theme matches per *distinct* comment: ``(codes, {theme: hits}, filled)``.

    ``codes`` maps each row to its distinct comment (−1 for missing values); ``hits[theme]``
    and ``filled`` (not whitespace-only) are boolean arrays over the distinct comments.
    """
    theme_list = load_themes(themes)
    if _USE_ARROW:  # lowercasing, trimming and matching all in Arrow: no Python loop per text
        s = comments if isinstance(comments, pd.Series) else pd.Series(comments, dtype=object)
        codes, lowered = _arrow_distinct(s)
        filled = pc.not_equal(pc.utf8_trim_whitespace(lowered), "").to_numpy(zero_copy_only=False)
        filled = filled.astype(bool)
    else:
        codes, texts = _distinct_lower(comments)
        filled = np.fromiter((t.strip() != "" for t in texts), bool, len(texts))
    out = {}
    for theme, keywords in theme_list.items():
        if _USE_ARROW:
            hits = pc.match_substring_regex(lowered, _pattern(keywords, "re2"))
            hits = hits.to_numpy(zero_copy_only=False).astype(bool)
        else:
            rx = re.compile(_pattern(keywords, "python"))
            hits = np.fromiter((rx.search(t) is not None for t in texts), bool, len(texts))
        out[theme] = hits
    return codes, out, filled


def _arrow_distinct(s: pd.Series) -> tuple[np.ndarray, object]:
    """Codes (−1 = missing) into the distinct texts of ``s``, and those texts lowercased, using
    Arrow's dictionary encoding (zero-copy for Arrow-backed string columns)."""
    try:
        arr = pa.array(s, from_pandas=True)
        if isinstance(arr, pa.ChunkedArray):
            arr = arr.combine_chunks()
        if not pa.types.is_string(arr.type) and not pa.types.is_large_string(arr.type):
            arr = pc.cast(arr, pa.large_string())
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
        codes, uniques = pd.factorize(s, use_na_sentinel=True)
        return np.asarray(codes), pc.utf8_lower(_arrow_text(uniques))
    encoded = pc.dictionary_encode(arr)
    codes = pc.fill_null(encoded.indices, -1).to_numpy(zero_copy_only=False).astype(np.intp)
    return codes, pc.utf8_lower(encoded.dictionary)


def _arrow_text(uniques: object) -> object:
    """Distinct comments as an Arrow string array (non-text values written as text)."""
    values = np.asarray(uniques, dtype=object)
    if not all(isinstance(u, str) for u in values):
        values = np.array([str(u) for u in values], dtype=object)
    return pa.array(values, type=pa.large_string())


def theme_hits(
    comments: object, themes: ThemesLike = None
) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """``({theme: mentions?}, has_comment)``: boolean arrays aligned with ``comments``.

    ``has_comment`` is false for missing values and whitespace-only text.
    """
    codes, hits, filled = distinct_theme_hits(comments, themes)
    has = codes >= 0
    safe = np.maximum(codes, 0)
    if not len(filled):
        empty = np.zeros(len(codes), dtype=bool)
        return {theme: empty.copy() for theme in hits}, empty
    return {theme: has & h[safe] for theme, h in hits.items()}, has & filled[safe]


def match_themes(comments: object, themes: ThemesLike = None) -> pd.DataFrame:
    """One boolean column per theme: does each comment mention it? (blank → False)."""
    hits, _ = theme_hits(comments, themes)
    index = comments.index if isinstance(comments, pd.Series) else None
    return pd.DataFrame(hits, index=index)


# ----------------------------------------------------------------------------- term discovery

_STOPWORD_TEXT = (
    # English
    "a an the and or but if of to in on at by for with from as is are was were be been being am "
    "it its this that these those there here i me my we our you your he she they them their his "
    "her have has had do does did not no so too very just really also would will can could "
    "should get got all any some more most much many than then when what which who how why "
    "about after again only out up down over under into than"
    # Lithuanian
    " ir yra buvo bus bet labai kad tai su į iš per o ar nes man mano mes jūs jie jos jis ji "
    "čia ne taip dar jau kaip kas tik už apie nuo iki prie be po vis visai gana net"
    # Bulgarian
    " и в във на е са не да за от с със по че се много но това този тази той тя те ми ни аз "
    "ние вие беше бяха има как като още вече само при до към след или ли бе съм си сме сте"
)
#: Small stopword lists (en, lt, bg): words too common to be a comment's subject.
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())
#: Function characters: a Chinese bigram holding one of these is not a term.
CJK_STOP_CHARS: frozenset[str] = frozenset(
    "的了是我你他她它们們在和也都就这這那吗嗎呢吧啊得地着著个個很有"
)

_WORD_RE = re.compile(f"[^\\W\\d_{_HAN}]+")
_HAN_RUN_RE = re.compile(f"[{_HAN}]+")


def terms(text: str) -> set[str]:
    """The distinct terms of one comment (see the module docstring)."""
    text = text.lower()
    found = {w for w in _WORD_RE.findall(text) if len(w) > 1 and w not in STOPWORDS}
    for run in _HAN_RUN_RE.findall(text):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if pair[0] not in CJK_STOP_CHARS and pair[1] not in CJK_STOP_CHARS:
                found.add(pair)
    return found


def discover(
    comments: object,
    groups: object,
    *,
    top: int = 15,
    min_count: int = 2,
    min_lift: float = 1.0,
) -> pd.DataFrame:
    """Frequent terms per group (e.g. per category): ``[category, term, count, share, lift]``.

    ``count`` = comments of the group using the term (each comment once); ``share`` =
    count / comments of the group with text; ``lift`` = share ÷ the term's share in the other
    groups, with one pseudo-comment added to the other groups —
    ``lift = (c/N) / ((c_o + 1)/(N_o + 1))`` — so a term unseen elsewhere has a finite lift
    (the add-one, Laplace, smoothing of term-weighting practice). NaN when there is no other group.

    Per group, terms used at least ``min_count`` times with ``lift ≥ min_lift`` (over-represented
    in the group) are ranked by count, then lift, and the first ``top`` kept. Groups are listed
    in their order of first appearance, or in category order if ``groups`` is categorical.
    """
    comments = pd.Series(np.asarray(comments, dtype=object))
    groups = pd.Series(groups).reset_index(drop=True)
    if len(comments) != len(groups):
        raise ValueError(f"{len(comments)} comments but {len(groups)} group labels.")
    keep = comments.map(lambda t: isinstance(t, str) and t.strip() != "") & groups.notna()
    pairs = pd.DataFrame({"comment": comments[keep], "group": groups[keep]})
    # each distinct comment is tokenised once, however often it occurs
    by_pair = pairs.groupby(["group", "comment"], sort=False, observed=True).size()
    cache: dict[str, set[str]] = {}
    per_group: dict[object, Counter] = {}
    docs: Counter = Counter()
    for (group, text), times in by_pair.items():
        found = cache.get(text)
        if found is None:
            found = cache[text] = terms(text)
        counter = per_group.setdefault(group, Counter())
        for term in found:
            counter[term] += times
        docs[group] += times
    total_terms: Counter = Counter()
    for counter in per_group.values():
        total_terms.update(counter)
    total_docs = sum(docs.values())
    order = (
        list(groups.cat.categories)
        if isinstance(groups.dtype, pd.CategoricalDtype)
        else list(dict.fromkeys(groups[keep]))
    )
    rows = []
    for group in order:
        counter = per_group.get(group)
        if not counter:
            continue
        n_group = docs[group]
        n_other = total_docs - n_group
        ranked = []
        for term, count in counter.items():
            if count < min_count:
                continue
            share = count / n_group
            other = total_terms[term] - count
            lift = share / ((other + 1) / (n_other + 1)) if n_other else math.nan
            if n_other and lift < min_lift:
                continue
            ranked.append((term, count, share, lift))
        ranked.sort(key=lambda r: (-r[1], -(r[3] if r[3] == r[3] else 0.0), r[0]))
        rows.extend((group, *r) for r in ranked[:top])
    return pd.DataFrame(rows, columns=["category", "term", "count", "share", "lift"])
