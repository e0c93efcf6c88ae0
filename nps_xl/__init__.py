"""nps-xl: Net Promoter Score analysis inside Excel, in Python and on the command line.

The public API, all in the user's words::

    import nps_xl as nx
    nx.nps([10, 9, 7, 3])                 # 25.0
    nx.interval(nx.counts(scores))        # adjusted-Wald 95% interval
"""

from typing import TYPE_CHECKING

from nps_xl._lazy import lazy_exports

#: Each public name and the module that defines it: imported on first use (PEP 562), so
#: ``import nps_xl`` and ``nps-xl --help`` load no pandas, numpy or scipy. The same names are
#: imported under TYPE_CHECKING below for type checkers and editors (a test keeps both equal).
_EXPORTS = {
    "nps_xl.excel.refresh": ("refresh_report",),  # the refresh as an xlwings script (Server, Lite)
    "nps_xl.key_drivers": ("drivers",),  # key drivers (numpy linear algebra)
    "nps_xl.benchmarks": (
        "BAND_SCHEMES",
        "band",
        "benchmark",
        "benchmark_table",
        "industries",
        "verdict",
    ),
    "nps_xl.companions": (
        "ces",
        "crr",
        "csat",
    ),
    "nps_xl.counts": (
        "Answers",
        "Counts",
        "GroupedCounts",
        "InvalidAnswersWarning",
        "counts",
    ),
    "nps_xl.raking": ("Raking", "rake"),  # weights raked to known margins
    "nps_xl.report": (
        "Report",
        "ReportColumns",
        "ReportOptions",
        "build_report",
    ),
    "nps_xl.scores": (
        "SCALES",
        "ParsedScores",
        "Scale",
        "ScoreError",
        "categorize",
        "parse_scores",
    ),
    "nps_xl.stats": (
        "Comparison",
        "Interval",
        "SmallSampleWarning",
        "compare",
        "compare_paired",
        "interval",
        "nps",
        "sample_size",
        "sample_size_difference",
        "standard_error",
        "variance",
    ),
    "nps_xl.tables": (
        "crosstab",
        "discover_terms",
        "follow_up",
        "invalid_answers",
        "latest_per_customer",
        "segments",
        "summary",
        "themes",
        "trend",
    ),
}

if TYPE_CHECKING:
    from nps_xl.benchmarks import (
        BAND_SCHEMES,
        band,
        benchmark,
        benchmark_table,
        industries,
        verdict,
    )
    from nps_xl.companions import ces, crr, csat
    from nps_xl.counts import Answers, Counts, GroupedCounts, InvalidAnswersWarning, counts
    from nps_xl.excel.refresh import refresh_report
    from nps_xl.key_drivers import drivers
    from nps_xl.raking import Raking, rake
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

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

#: The release: the one place it is written (pyproject.toml reads it, CHANGELOG.md names it).
__version__ = "0.3.0"


def main() -> None:
    """What the NPS ribbon button runs (``import nps_xl; nps_xl.main()``): refresh the report of
    the calling workbook. Imported lazily so the core stays free of xlwings."""
    from nps_xl.excel.refresh import main as refresh_main

    refresh_main()


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
    "Raking",
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
    "drivers",
    "follow_up",
    "industries",
    "interval",
    "invalid_answers",
    "latest_per_customer",
    "main",
    "nps",
    "parse_scores",
    "rake",
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
