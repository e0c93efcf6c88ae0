"""nps-xl: Net Promoter Score analysis inside Excel, in Python and on the command line.

The public API, all in the user's words::

    import nps_xl as nx
    nx.nps([10, 9, 7, 3])                 # 25.0
    nx.interval(nx.counts(scores))        # adjusted-Wald 95% interval
"""

from nps_xl.benchmarks import BAND_SCHEMES, band, benchmark, benchmark_table, industries, verdict
from nps_xl.counts import Counts, InvalidAnswersWarning, counts
from nps_xl.scores import SCALES, ParsedScores, Scale, ScoreError, categorize, parse_scores
from nps_xl.stats import (
    Comparison,
    Interval,
    compare,
    compare_paired,
    interval,
    nps,
    sample_size,
    sample_size_difference,
    standard_error,
    variance,
)

__version__ = "0.1.0"

__all__ = [
    "BAND_SCHEMES",
    "SCALES",
    "Comparison",
    "Counts",
    "Interval",
    "InvalidAnswersWarning",
    "ParsedScores",
    "Scale",
    "ScoreError",
    "band",
    "benchmark",
    "benchmark_table",
    "categorize",
    "compare",
    "compare_paired",
    "counts",
    "industries",
    "interval",
    "nps",
    "parse_scores",
    "sample_size",
    "sample_size_difference",
    "standard_error",
    "variance",
    "verdict",
]
