"""nps-xl: Net Promoter Score analysis inside Excel, in Python and on the command line.

The public API, all in the user's words::

    import nps_xl as nx
    nx.nps([10, 9, 7, 3])                 # 25.0
    nx.interval(nx.counts(scores))        # adjusted-Wald 95% interval
"""

from nps_xl.benchmarks import BAND_SCHEMES, band, benchmark, benchmark_table, industries, verdict
from nps_xl.companions import ces, crr, csat
from nps_xl.counts import Answers, Counts, GroupedCounts, InvalidAnswersWarning, counts
from nps_xl.report import Report, ReportColumns, ReportOptions, build_report
from nps_xl.scores import SCALES, ParsedScores, Scale, ScoreError, categorize, parse_scores
from nps_xl.stats import (
    Comparison,
    Interval,
    SmallSampleWarning,
    compare,
    compare_paired,
    interval,
    nps,
    sample_size,
    sample_size_difference,
    standard_error,
    variance,
)
from nps_xl.tables import (
    crosstab,
    discover_terms,
    follow_up,
    invalid_answers,
    latest_per_customer,
    segments,
    summary,
    themes,
    trend,
)

#: The release: the one place it is written (pyproject.toml reads it, CHANGELOG.md names it).
__version__ = "0.3.0"


def main() -> None:
    """What the NPS ribbon button runs (``import nps_xl; nps_xl.main()``): refresh the report of
    the calling workbook. Imported lazily so the core stays free of xlwings."""
    from nps_xl.excel.refresh import main as refresh_main

    refresh_main()


def __getattr__(name: str) -> object:
    if name == "refresh_report":  # the same refresh as an xlwings script (Server / Lite)
        from nps_xl.excel.refresh import refresh_report

        return refresh_report
    raise AttributeError(f"module 'nps_xl' has no attribute {name!r}")


__all__ = [
    "BAND_SCHEMES",
    "SCALES",
    "Answers",
    "Comparison",
    "Counts",
    "GroupedCounts",
    "Interval",
    "InvalidAnswersWarning",
    "ParsedScores",
    "Report",
    "ReportColumns",
    "ReportOptions",
    "Scale",
    "ScoreError",
    "SmallSampleWarning",
    "band",
    "benchmark",
    "benchmark_table",
    "build_report",
    "categorize",
    "ces",
    "compare",
    "compare_paired",
    "counts",
    "crosstab",
    "crr",
    "csat",
    "discover_terms",
    "follow_up",
    "industries",
    "interval",
    "invalid_answers",
    "latest_per_customer",
    "main",
    "nps",
    "parse_scores",
    "refresh_report",
    "sample_size",
    "sample_size_difference",
    "segments",
    "standard_error",
    "summary",
    "themes",
    "trend",
    "variance",
    "verdict",
]
