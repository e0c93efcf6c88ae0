"""Where an NPS stands: band labels (named schemes) and published industry benchmarks.

Bands
-----
``band(nps, scheme="five", lang="en")`` names the band an NPS falls in. Every scheme is a
``BandScheme`` in ``BAND_SCHEMES`` with its ordered thresholds, the i18n key of each band, its
source and a note on what happens exactly at a threshold:

* ``"five"`` (alias ``"5"``, the default) — the 5-band scheme of our source guides
  (``000`` zh-Hans, ``002`` lt; ``004`` bg is the same guide but lacks the list): below 0 needs
  improvement; 0–30 acceptable; 30–50 good; 50–70 excellent; above 70 world class.
* ``"three"`` (alias ``"3"``) — guide ``001`` (zh-Hans): below 30 low, 30–50 medium, above 50
  high.
* ``"bain"`` — the rule of thumb attributed to Bain & Company / Fred Reichheld: above 0 good,
  above 20 favourable ("great"), above 50 excellent, above 80 world class.

Boundaries. The guides write touching ranges ("0-30", "30-50"), so a value that is exactly a
threshold needs a rule. For ``five`` and ``three`` **a threshold belongs to the higher band**
(lower bounds inclusive: 0 is acceptable, 30 good, 50 excellent, 70 world class; in ``three``
30 is medium and 50 high), because

1. the first band is "below 0" (低于0 / Žemiau 0), strictly, so 0 must open the "0-30" band, and
   the other ranges follow the same pattern;
2. the zh-Hans wording of the top bands, "70以上" and "50分以上", includes the number by the
   usual Chinese convention (以上 = "that number or more");
3. SurveyMonkey's published benchmarks (guide ``003``) state quartiles the same way: "+72 or
   higher".

For ``bain`` every threshold is worded "above X", so **a threshold belongs to the lower band**
(0 is not yet good, 20 is good, 50 favourable, 80 excellent).

Values are compared after rounding to 9 decimals, so floating-point noise such as
``100 * (0.7 - 0.4) == 29.999999999999996`` lands in the band of 30, where it belongs.

Benchmarks
----------
``nps_xl/data/benchmarks.csv`` holds published figures, one per row:
``industry, statistic, value, source, year``. ``industry`` is a snake_case id with an i18n key
``industry_<id>``; ``statistic`` is one of ``average``, ``median``, ``bottom_quartile``,
``top_quartile`` (i18n key ``benchmark_<statistic>``). Only figures read in a source are there;
see the README section "Bands and benchmarks" for the list with sources.

``benchmark(nps, industry)`` compares an NPS with every row of one industry:
``your_gap = nps − value`` and a verdict per row:

* average / median: "above" when the gap is +0.5 or more, "below" when it is −0.5 or less,
  otherwise "at" (the published figures are whole numbers, so we compare at that precision);
* top quartile: "in the top quartile" when ``nps >= value`` (the sources say "+72 or higher"),
  otherwise "below";
* bottom quartile: "in the bottom quartile" when ``nps <= value`` ("0 or lower"), otherwise
  "above".
"""

from __future__ import annotations

import bisect
import csv
import math
import numbers
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pandas as pd

from nps_xl.i18n import CATALOGUE, text

__all__ = [
    "BAND_SCHEMES",
    "STATISTICS",
    "BandScheme",
    "band",
    "band_key",
    "benchmark",
    "benchmark_table",
    "industries",
    "resolve_scheme",
    "verdict",
]

# Order in which statistics are listed for one source.
STATISTICS: tuple[str, ...] = ("average", "median", "bottom_quartile", "top_quartile")

# NPS values are compared after rounding away float noise (see the module docstring).
_DECIMALS = 9
# Half a point: the published figures are whole numbers.
AT_TOLERANCE = 0.5


@dataclass(frozen=True)
class BandScheme:
    """A named set of NPS bands.

    ``thresholds`` are the ascending cut points; ``keys`` are the i18n keys of the
    ``len(thresholds) + 1`` bands from lowest to highest. ``threshold_in_higher_band`` says
    where a value equal to a threshold goes (``True``: ``[30, 50)`` style ranges; ``False``:
    ``(30, 50]``, for "above X" wording).
    """

    name: str
    thresholds: tuple[float, ...]
    keys: tuple[str, ...]
    threshold_in_higher_band: bool
    source: str
    boundaries: str

    def __post_init__(self) -> None:
        if len(self.keys) != len(self.thresholds) + 1:
            raise ValueError(f"Band scheme {self.name!r} needs one more key than thresholds.")
        if list(self.thresholds) != sorted(set(self.thresholds)):
            raise ValueError(f"Band scheme {self.name!r} needs strictly ascending thresholds.")

    def key_for(self, nps: float) -> str:
        """The i18n key of the band holding ``nps`` (already checked and rounded)."""
        find = bisect.bisect_right if self.threshold_in_higher_band else bisect.bisect_left
        return self.keys[find(self.thresholds, nps)]


BAND_SCHEMES: dict[str, BandScheme] = {
    "five": BandScheme(
        name="five",
        thresholds=(0.0, 30.0, 50.0, 70.0),
        keys=(
            "band_needs_improvement",
            "band_acceptable",
            "band_good",
            "band_excellent",
            "band_world_class",
        ),
        threshold_in_higher_band=True,
        source=(
            "NPS guide of our sources 000 (zh-Hans), 002 (lt) and 004 (bg, partial), published "
            "20 Jan 2026: below 0 needs significant improvement; 0-30 acceptable but with room "
            "to improve; 30-50 good; 50-70 excellent; above 70 world-class."
        ),
        boundaries=(
            "A threshold belongs to the higher band: below 0 needs improvement, 0 <= NPS < 30 "
            "acceptable, 30 <= NPS < 50 good, 50 <= NPS < 70 excellent, 70 and above world "
            "class. 'Below 0' is strict, so 0 opens '0-30'; zh-Hans '70以上' includes 70."
        ),
    ),
    "three": BandScheme(
        name="three",
        thresholds=(30.0, 50.0),
        keys=("band_low", "band_medium", "band_high"),
        threshold_in_higher_band=True,
        source=(
            "NPS guide of our source 001 (zh-Hans), section 2.3: high NPS (50分以上, 50 and "
            "above), medium NPS (30-50), low NPS (30分以下, 30 and below)."
        ),
        boundaries=(
            "A threshold belongs to the higher band: NPS < 30 low, 30 <= NPS < 50 medium, 50 "
            "and above high. The guide's own words claim 30 for both low (30分以下) and "
            "medium (30-50); we follow '50分以上' and the five-band rule so 30 is medium, "
            "like 'good' in the five-band scheme."
        ),
    ),
    "bain": BandScheme(
        name="bain",
        thresholds=(0.0, 20.0, 50.0, 80.0),
        keys=(
            "band_needs_improvement",
            "band_good_bain",
            "band_great",
            "band_excellent_bain",
            "band_world_class_bain",
        ),
        threshold_in_higher_band=False,
        source=(
            "Rule of thumb attributed to Bain & Company (Fred Reichheld), as published e.g.: "
            "'Above 0 is good, above 20 is favorable, above 50 is excellent, and above 80 is "
            "world class'. The scheme names no band for 0 and below; we label it 'needs "
            "improvement' as the five-band scheme does."
        ),
        boundaries=(
            "Every threshold is worded 'above X', so a threshold belongs to the lower band: "
            "NPS <= 0 needs improvement, 0 < NPS <= 20 good, 20 < NPS <= 50 favourable/great, "
            "50 < NPS <= 80 excellent, above 80 world class."
        ),
    ),
}

_SCHEME_ALIASES: dict[str, str] = {
    "five": "five",
    "5": "five",
    "5-band": "five",
    "three": "three",
    "3": "three",
    "3-band": "three",
    "bain": "bain",
}


def resolve_scheme(scheme: str | int | BandScheme = "five") -> BandScheme:
    """Return the ``BandScheme`` for a name or alias (case-insensitive: "five", "5", "three",
    "3", "bain") or a ``BandScheme`` itself. Raises ``ValueError`` listing the schemes."""
    if isinstance(scheme, BandScheme):
        return scheme
    if isinstance(scheme, bool) or not isinstance(scheme, str | int):
        raise ValueError(_unknown_scheme(scheme))
    name = _SCHEME_ALIASES.get(str(scheme).strip().lower())
    if name is None:
        raise ValueError(_unknown_scheme(scheme))
    return BAND_SCHEMES[name]


def _unknown_scheme(scheme: object) -> str:
    return (
        f"Unknown band scheme {scheme!r}. Use one of: "
        f"{', '.join(repr(name) for name in BAND_SCHEMES)} (aliases '5' and '3')."
    )


def _checked_nps(nps: object) -> float:
    """Return ``nps`` as a float rounded to 9 decimals, or raise a clear error."""
    if isinstance(nps, bool) or not isinstance(nps, numbers.Real):
        raise TypeError(
            f"An NPS must be a number between -100 and 100, not {nps!r} "
            f"({type(nps).__name__}). Pass the score itself, e.g. 42.5."
        )
    value = float(nps)
    if math.isnan(value):
        raise ValueError(
            "The NPS is NaN (not a number), so it has no band or benchmark position. This "
            "happens when a group has no valid answers; check the score column."
        )
    if not -100.0 <= value <= 100.0:
        raise ValueError(
            f"An NPS lies between -100 and 100, got {value:g}. If this is a share (0-1), "
            "multiply by 100; if it is a mean score, compute the NPS from the answers first."
        )
    return round(value, _DECIMALS)


def band_key(nps: float, scheme: str | int | BandScheme = "five") -> str:
    """The i18n key of the band of ``nps`` in ``scheme`` (e.g. ``"band_excellent"``).

    Same rules and errors as ``band``; useful where the label is looked up later (workbooks).
    """
    resolved = resolve_scheme(scheme)
    return resolved.key_for(_checked_nps(nps))


def band(nps: float, scheme: str | int | BandScheme = "five", lang: str | None = "en") -> str:
    """The label of the band ``nps`` falls in, in language ``lang``.

    >>> band(55)
    'Excellent'
    >>> band(30), band(29.9), band(0), band(-0.1), band(70)
    ('Good', 'Acceptable', 'Acceptable', 'Needs improvement', 'World class')
    >>> band(20, "bain"), band(20.1, "bain")
    ('Good', 'Great')

    Schemes, their sources and boundary rules: see the module docstring and
    ``BAND_SCHEMES[name].boundaries``. Raises ``ValueError`` for NaN, values outside
    [-100, 100] and unknown schemes, ``TypeError`` for values that are not numbers.
    """
    return text(band_key(nps, scheme), lang)


# --------------------------------------------------------------------------------------------
# Published benchmarks
# --------------------------------------------------------------------------------------------

_COLUMNS = ("industry", "statistic", "value", "source", "year")
_CSV_PATH = Path(__file__).with_name("data") / "benchmarks.csv"


@dataclass(frozen=True)
class PublishedFigure:
    """One cited figure of ``data/benchmarks.csv``."""

    industry: str
    statistic: str
    value: int
    source: str
    year: int


@cache
def _rows() -> tuple[PublishedFigure, ...]:
    """Read and check ``data/benchmarks.csv`` once."""
    with _CSV_PATH.open("r", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if tuple(reader.fieldnames or ()) != _COLUMNS:
            raise ValueError(
                f"benchmarks.csv must have the columns {', '.join(_COLUMNS)}; "
                f"it has {reader.fieldnames}."
            )
        rows = []
        for line, record in enumerate(reader, start=2):
            where = f"benchmarks.csv line {line}"
            if record["statistic"] not in STATISTICS:
                raise ValueError(
                    f"{where}: unknown statistic {record['statistic']!r}; "
                    f"use one of {', '.join(STATISTICS)}."
                )
            if f"industry_{record['industry']}" not in CATALOGUE:
                raise ValueError(
                    f"{where}: industry {record['industry']!r} has no i18n key "
                    f"'industry_{record['industry']}'; add it to every nps_xl/i18n/<lang>.json."
                )
            if not record["source"].strip():
                raise ValueError(f"{where}: every figure needs its source.")
            try:
                value, year = int(record["value"]), int(record["year"])
            except ValueError:
                raise ValueError(f"{where}: value and year must be whole numbers.") from None
            if not -100 <= value <= 100:
                raise ValueError(f"{where}: value {value} is outside -100..100.")
            rows.append(
                PublishedFigure(
                    record["industry"], record["statistic"], value, record["source"], year
                )
            )
    return tuple(rows)


def industries() -> list[str]:
    """The industry ids that have benchmark figures, ``"global"`` first, then alphabetical."""
    ids = {row.industry for row in _rows()}
    return sorted(ids, key=lambda name: (name != "global", name))


def _squash(name: str) -> str:
    # "Professional services", "professional-services", "PROFESSIONAL_SERVICES" → one form.
    cleaned = name.strip().casefold().replace("&", " and ")
    return "".join(ch for ch in cleaned if ch.isalnum())


def resolve_industry(industry: str) -> str:
    """Map a user's industry name to its id: the id itself or its label in any language,
    ignoring case, spaces, hyphens and underscores. Raises ``ValueError`` listing the ids."""
    if not isinstance(industry, str):
        raise ValueError(f"The industry must be a name such as 'technology', not {industry!r}.")
    known = industries()
    wanted = _squash(industry)
    for industry_id in known:
        names = [industry_id, *CATALOGUE[f"industry_{industry_id}"].values()]
        if any(_squash(name) == wanted for name in names):
            return industry_id
    raise ValueError(
        f"No benchmark figures for the industry {industry!r}. Known industries: {', '.join(known)}."
    )


def industry_figures(industry_id: str) -> list[PublishedFigure]:
    """The published figures of one industry id, newest year first, statistics in reading
    order (``STATISTICS``)."""
    rows = [row for row in _rows() if row.industry == industry_id]
    # Newest year first, then the statistics in reading order (sorted() keeps file order).
    return sorted(rows, key=lambda row: (-row.year, STATISTICS.index(row.statistic)))


def verdict_key(nps: float, row: PublishedFigure) -> str:
    """The catalogue key of the verdict for ``nps`` against one figure (rules in the module
    docstring): ``verdict_top_quartile``, ``verdict_above``, ``verdict_at``, …"""
    gap = nps - row.value
    if row.statistic == "top_quartile":
        return "verdict_top_quartile" if gap >= 0 else "verdict_below"
    if row.statistic == "bottom_quartile":
        return "verdict_bottom_quartile" if gap <= 0 else "verdict_above"
    if gap >= AT_TOLERANCE:
        return "verdict_above"
    if gap <= -AT_TOLERANCE:
        return "verdict_below"
    return "verdict_at"


def benchmark(nps: float, industry: str = "global", lang: str | None = "en") -> pd.DataFrame:
    """Compare ``nps`` with every published figure for ``industry``.

    Returns one row per figure, newest year first, with the columns ``statistic`` (localized
    word, e.g. "Average"), ``value`` (the published NPS), ``your_gap`` (``nps - value``, NPS
    points), ``verdict`` (localized; rules in the module docstring), ``source`` and ``year``.

    ``industry`` is an id from ``industries()`` or its name in any supported language, ignoring
    case and spaces ("Professional services", "专业服务"). Raises ``ValueError`` for an unknown
    industry (listing the known ones), NaN or a value outside [-100, 100].
    """
    value = _checked_nps(nps)
    industry_id = resolve_industry(industry)
    records = [
        {
            "statistic": text(f"benchmark_{row.statistic}", lang),
            "value": row.value,
            "your_gap": round(value - row.value, _DECIMALS),
            "verdict": text(verdict_key(value, row), lang),
            "source": row.source,
            "year": row.year,
        }
        for row in industry_figures(industry_id)
    ]
    return pd.DataFrame.from_records(
        records, columns=["statistic", "value", "your_gap", "verdict", "source", "year"]
    )


def verdict(nps: float, industry: str = "global", lang: str | None = "en") -> str:
    """One localized verdict for a dashboard cell, from the newest figures for ``industry``.

    The newest figures are the rows of the latest year. In the top (bottom) quartile when they
    include that quartile and ``nps`` reaches it; otherwise above / at / below their average
    (or their median when there is no average).
    """
    value = _checked_nps(nps)
    rows = industry_figures(resolve_industry(industry))
    newest = [row for row in rows if row.year == rows[0].year]
    by_statistic = {row.statistic: row for row in newest}
    for quartile in ("top_quartile", "bottom_quartile"):
        row = by_statistic.get(quartile)
        if row is not None and verdict_key(value, row) == f"verdict_{quartile}":
            return text(f"verdict_{quartile}", lang)
    central = by_statistic.get("average") or by_statistic.get("median") or newest[0]
    return text(verdict_key(value, central), lang)


def benchmark_table(lang: str | None = "en") -> pd.DataFrame:
    """The whole cited table: ``industry, statistic, value, source, year``, one row per figure.

    With a language (default English) ``industry`` and ``statistic`` are the localized names;
    with ``lang=None`` they are the ids used in the CSV and accepted by ``benchmark``.
    """
    records = [
        {
            "industry": row.industry if lang is None else text(f"industry_{row.industry}", lang),
            "statistic": row.statistic
            if lang is None
            else text(f"benchmark_{row.statistic}", lang),
            "value": row.value,
            "source": row.source,
            "year": row.year,
        }
        for row in _rows()
    ]
    return pd.DataFrame.from_records(records, columns=list(_COLUMNS))
