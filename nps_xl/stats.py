"""Statistics of the Net Promoter Score: estimate, variance, intervals, tests, sample sizes.

Everything here is a function of :class:`~nps_xl.counts.Counts` (detractors, passives,
promoters and, for weighted data, the sum of squared weights). Functions that take ``data``
accept either a ``Counts`` or raw answers, which are counted with :func:`nps_xl.counts.counts`.

Notation used in the docstrings (shares are proportions, 0..1)::

    n        number of answers (for weighted data: the Kish effective n, see below)
    p, d     promoter share, detractor share;   NPS = 100·(p − d)
    code     each answer coded +1 promoter, 0 passive, −1 detractor; NPS = 100·mean(code)
    V        variance of one code:  V = p + d − (p − d)²        (Rocks 2016, eq. 1)
    z        standard normal quantile 1 − (1 − confidence)/2

Weighted data (``design=``)
    Weighted ``Counts`` hold weight sums. Their shares are the weighted shares and every
    formula uses an effective sample size ``n_eff`` in place of ``n``: the "effective counts"
    are ``n_eff·d, n_eff·(1 − p − d), n_eff·p``. For unweighted data ``n_eff = n`` and nothing
    changes. Two effective sizes (``design=``):

    ``"linearization"`` (the default whenever the counts carry the Σw² per category)
        The design-based (Taylor linearization) variance of the weighted mean code, for
        ``n`` answers with codes ``y_i`` and weights ``w_i``::

            v = n/(n − 1) · Σ w_i² (y_i − ȳ)² / (Σw)²,      ȳ = Σ w y / Σ w
              = n/(n − 1) · Σ_k S_k (y_k − ȳ)² / (Σw)²       (k: the three categories)

        ``S_k`` the Σw² of category ``k``. It equals the squared standard error of R
        ``survey::svymean(~y, svydesign(ids = ~1, weights = ~w))`` (Binder 1983; Lumley 2010,
        *Complex Surveys*, §2.3). The design effect is ``deff = v / (V/n)`` (Kish 1965) and
        the effective n is ``n_eff = n/deff = V/v`` (Korn and Graubard 1998, *Survey
        Methodology* 24(2), 193–201), so that Wald is exactly ``ȳ ± z·sqrt(v)``, svymean's
        interval; adjusted Wald, score and bootstrap run on the effective counts. When every
        answer is in one category (``V = v = 0``) the ratio is undefined and Kish's n is used.
    ``"kish"``
        Kish's approximation ``n_eff = (Σw)²/Σw²`` (Kish 1965, *Survey Sampling*, §11.7): right
        when the weights are unrelated to the answers, off by 6–10% in the standard error when
        they are related (non-response weights usually are). The only choice for weighted
        ``Counts(d, m, p, sum_squared_weights)`` built without the split.

    Both assume one stage of sampling without clusters or strata.

Finite population (``population=``)
    ``population=N`` (N ≥ n) multiplies every method's variance by the finite population
    correction ``f = 1 − n/N``, ``n`` the unweighted number of answers (Cochran 1977,
    *Sampling Techniques*, §2.5; R ``svydesign(fpc = )``): Wald ``SE = sqrt(f·V/n)``;
    adjusted Wald ``SE = sqrt(f·Ṽ/ñ)`` around the adjusted centre (``ñ = n + 3``); score: the
    bounds where ``|T| = z·sqrt(f)``; bootstrap: the percentile bounds pulled toward the
    estimate by ``sqrt(f)``; weighted: ``f·v``, which equals svymean with ``fpc``. For
    unweighted Wald, survey's variance is ``n/(n − 1)`` times ours (``svymean`` uses the
    ``n − 1`` variance, the NPS package ``V/n``): ``SE_survey² = n/(n − 1) · f·V/n``. ``n = N``
    is a census: every interval is the estimate itself and a test of two censuses has
    ``p = 0`` for any difference (1 for none). Sample sizes: ``n = n0/(1 + (n0 − 1)/N)``
    rounded up (Cochran 1977, §4.4), ``n0`` the answer for an infinite population.

References
    Rocks, B. (2016). Interval Estimation for the "Net Promoter Score". *The American
    Statistician* 70(4), 365–372. doi:10.1080/00031305.2016.1158124
    Tango, T. (1998). Equivalence test and confidence interval for the difference in proportions
    for the paired-sample design. *Statistics in Medicine* 17, 891–908.
    Sauro, J. and Lewis, J. R. (MeasuringU), "Confidence intervals for Net Promoter Scores" and
    "Evaluating NPS confidence intervals with real-world data" (2021).
    R package ``NPS`` (Rocks), functions ``npvar``, ``nps.se`` and ``nps.test``.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import NormalDist

import numpy as np

from nps_xl.counts import Counts, counts, warn_skipped
from nps_xl.errors import NoValidAnswersError
from nps_xl.scores import Scale, parse_scores

__all__ = [
    "COMPARE_METHODS",
    "DESIGNS",
    "INTERVAL_METHODS",
    "PSEUDO_OBSERVATIONS",
    "Comparison",
    "Interval",
    "SmallSampleWarning",
    "compare",
    "compare_paired",
    "design_effect",
    "design_variance",
    "effective_n",
    "finite_population_correction",
    "interval",
    "nps",
    "sample_size",
    "sample_size_difference",
    "small_sample_problem",
    "standard_error",
    "variance",
    "z_value",
]

INTERVAL_METHODS = ("adjusted-wald", "wald", "score", "bootstrap")
COMPARE_METHODS = ("adjusted-wald", "wald")
#: How weighted data's variance is estimated (see the module docstring).
DESIGNS = ("linearization", "kish")

#: Pseudo-answers the adjusted-Wald method adds: (detractors, passives, promoters), total 3.
#: Rocks (2016); the default of ``pseudo_observations`` in the R package NPS; MeasuringU.
PSEUDO_OBSERVATIONS = (0.75, 1.5, 0.75)

#: The standard normal distribution (its quantile is Wichura's AS 241, accurate to ~1e-16).
_NORMAL = NormalDist()

DEFAULT_RESAMPLES = 10_000
DEFAULT_SEED = 2016
#: The largest resample the bootstrap draws (see :func:`interval`).
MAX_BOOTSTRAP_SIZE = 10**18
#: The largest sample size :func:`sample_size` and :func:`sample_size_difference` return: more
#: answers than any survey can collect, and the most a spreadsheet shows exactly (15 digits).
MAX_SAMPLE_SIZE = 10**15

ScaleLike = str | Scale | Sequence[int] | None

#: Below this effective n the Wald and bootstrap intervals cover well under their nominal level
#: (measured: ``benchmarks/bench_coverage.py``); the tables' default ``min_n`` is the same.
SMALL_SAMPLE_N = 30
#: The methods whose coverage fails for small or unanimous samples (adjusted Wald and score
#: keep close to nominal coverage there: Rocks 2016 and our own exact enumeration).
UNRELIABLE_WHEN_SMALL = ("wald", "bootstrap")


class SmallSampleWarning(UserWarning):
    """A Wald or bootstrap interval where its coverage is known to fail (few answers, or every
    answer in one category): the message names the method and the one to use instead."""


# --------------------------------------------------------------------------- result objects


@dataclass(frozen=True)
class Interval:
    """A confidence interval for one NPS, in NPS points (−100..100).

    ``estimate`` is the NPS of the data itself (not the adjusted centre of the adjusted-Wald
    interval). ``low``/``high`` are clipped to [−100, 100]. ``margin`` is half the width of the
    interval before clipping (for Wald and adjusted-Wald: z × standard error), the "± margin of
    error" people report. ``n`` is the number of answers (total weight for weighted data) and
    ``effective_n`` the effective sample size the interval used. For weighted data ``design``
    says which (``"linearization"`` or ``"kish"``; ``None`` when unweighted) and
    ``design_effect`` is ``deff = v/(V/n)`` (1 when unweighted; for Kish ``n/n_eff``).
    ``population`` is the ``N`` of a finite population correction (``None``: infinite).

    ``widened`` is true when a bound was moved to the estimate so that the interval holds it
    (see :func:`interval`); ``margin`` stays the method's own.
    """

    estimate: float
    low: float
    high: float
    margin: float
    confidence: float
    method: str
    n: float
    effective_n: float
    widened: bool = False
    design: str | None = None
    design_effect: float = 1.0
    population: float | None = None

    def to_dict(self) -> dict[str, float | str | None]:
        return asdict(self)

    def __repr__(self) -> str:
        return (
            f"Interval(estimate={self.estimate:.2f}, low={self.low:.2f}, high={self.high:.2f}, "
            f"margin={self.margin:.2f}, confidence={self.confidence:g}, "
            f"method={self.method!r}, n={_show_n(self.n)})"
        )

    def __str__(self) -> str:
        return (
            f"NPS {self.estimate:.1f} ({self.confidence:.0%} CI {self.low:.1f} to "
            f"{self.high:.1f}, ±{self.margin:.1f}, {self.method}, n={_show_n(self.n)})"
        )


@dataclass(frozen=True)
class Comparison:
    """The difference between two NPS values, ``a − b``, in NPS points.

    ``low``/``high`` bound the difference (−200..200); ``z`` and ``p_value`` (two-sided) test
    "no difference"; ``significant`` is ``p_value < 1 − confidence``. ``standard_error`` is the
    one the test used (points). ``n_a``/``n_b`` are the answers in each sample (pairs for a
    paired comparison) and ``dropped`` the pairs left out of a paired comparison. ``design``:
    the weighted design used (``None`` when neither sample is weighted).
    ``widened`` is true when a bound was moved to the observed difference so that the interval
    holds it (see :func:`compare`); ``z``, ``p_value`` and ``significant`` are the method's own.
    """

    difference: float
    low: float
    high: float
    z: float
    p_value: float
    significant: bool
    nps_a: float
    nps_b: float
    confidence: float
    method: str
    standard_error: float
    n_a: float
    n_b: float
    dropped: int = 0
    widened: bool = False
    design: str | None = None

    def to_dict(self) -> dict[str, float | str | bool | int]:
        return asdict(self)

    def __repr__(self) -> str:
        return (
            f"Comparison(difference={self.difference:.2f}, low={self.low:.2f}, "
            f"high={self.high:.2f}, z={self.z:.3f}, p_value={self.p_value:.4g}, "
            f"significant={self.significant}, nps_a={self.nps_a:.2f}, nps_b={self.nps_b:.2f}, "
            f"confidence={self.confidence:g}, method={self.method!r})"
        )

    def __str__(self) -> str:
        verdict = "significant" if self.significant else "not significant"
        return (
            f"NPS {self.nps_a:.1f} vs {self.nps_b:.1f}: difference {self.difference:+.1f} "
            f"({self.confidence:.0%} CI {self.low:.1f} to {self.high:.1f}), z={self.z:.2f}, "
            f"p={self.p_value:.3g}, {verdict}"
        )


def _show_n(n: float) -> str:
    return str(int(n)) if float(n).is_integer() else f"{n:.1f}"


# --------------------------------------------------------------------------- basics


def _as_counts(
    data: object, scale: ScaleLike = None, invalid: str = "error", weights: object = None
) -> Counts:
    if isinstance(data, Counts):
        if weights is not None:
            raise ValueError(
                "weights apply to raw answers; these are already Counts. Pass the raw "
                "answers with weights=, or weighted Counts without weights=."
            )
        c = data
    else:
        c = counts(data, scale=scale, invalid=invalid, weights=weights)
    if not c.n > 0 or not c.effective_n > 0:
        raise NoValidAnswersError(
            "No valid answers: there is no detractor, passive or promoter to compute an NPS "
            "from. Check that the range holds scores on the chosen scale (or that the weights "
            "are not all 0); blank cells are ignored."
        )
    return c


def _check_confidence(confidence: float) -> float:
    try:
        ok = 0.0 < float(confidence) < 1.0
    except (TypeError, ValueError):
        ok = False
    if not ok:
        raise ValueError(
            f"confidence must be a number between 0 and 1 (e.g. 0.95 for 95%), got {confidence!r}."
        )
    return float(confidence)


def _check_method(method: str, allowed: tuple[str, ...]) -> str:
    if method not in allowed:
        raise ValueError(
            f"Unknown method {method!r}. Choose one of: " + ", ".join(repr(m) for m in allowed)
        )
    return method


def z_value(confidence: float) -> float:
    """Two-sided standard normal quantile z = Φ⁻¹(1 − (1 − confidence)/2): 1.959964 for 0.95."""
    return _NORMAL.inv_cdf(1.0 - (1.0 - confidence) / 2.0)


def _two_sided_p(z: float) -> float:
    return math.erfc(abs(z) / math.sqrt(2.0))  # = 2·Φ(−|z|), exact in the far tail


def _shares(c: Counts) -> tuple[float, float, float]:
    """(detractor, passive, promoter) shares, 0..1 (exact even when the counts add up to more
    than the largest float, see :attr:`Counts.promoter_share`)."""
    return c.detractor_share, c.passive_share, c.promoter_share


def _code_variance(d: float, p: float) -> float:
    # Guard the tiny negative values rounding can give when p + d == (p − d)².
    return max(p + d - (p - d) ** 2, 0.0)


def nps(
    scores_or_counts: object,
    *,
    scale: ScaleLike = None,
    invalid: str = "error",
    weights: object = None,
) -> float:
    """Net Promoter Score in points: ``100 × (promoters − detractors) / answers``.

    Reichheld (2003), "The One Number You Need to Grow", *Harvard Business Review*. With
    ``weights`` the shares are weighted shares. Raises ``ValueError`` when there is no valid
    answer.
    """
    return _as_counts(scores_or_counts, scale, invalid, weights).nps


def variance(c: Counts) -> float:
    """Variance of one answer coded +1/0/−1: ``V = p + d − (p − d)²`` (0..1).

    Rocks (2016), eq. 1; R package NPS ``npvar``. Examples: counts (1, 2, 3) → 5/9;
    (1, 0, 1) → 1 (the maximum); (0, 1, 1) → 1/4.
    """
    c = _as_counts(c)
    d, _, p = _shares(c)
    return _code_variance(d, p)


def standard_error(
    c: Counts, *, design: str | None = None, population: float | None = None
) -> float:
    """Standard error of the NPS as a proportion: ``sqrt(f·V / n_eff)`` (× 100 for points).

    R package NPS ``nps.se`` (unweighted, ``f = 1``); ``n_eff`` is :func:`effective_n` for
    weighted counts (with the linearization design ``sqrt(f·v)``, svymean's SE) and ``f`` the
    finite population correction of ``population`` (:func:`finite_population_correction`).
    """
    c = _as_counts(c)
    f = finite_population_correction(c, population)
    return math.sqrt(f * variance(c) / effective_n(c, design=design))


def _check_design(design: str | None, c: Counts) -> str | None:
    """The design used for ``c``: ``None`` when unweighted, else ``design`` or its default."""
    if design is not None and design not in DESIGNS:
        raise ValueError(
            f"Unknown design {design!r}. Choose 'linearization' (design-based, the default) "
            "or 'kish'."
        )
    if not c.is_weighted:
        return None
    if design is None:
        return "linearization" if c.has_design else "kish"
    if design == "linearization" and not c.has_design:
        raise ValueError(
            "design='linearization' needs the weighted Counts' Σw² per category and the number "
            "of answers (squared_weights=, answers=); these carry only sum_squared_weights, so "
            "only design='kish' is possible. Count the raw answers with weights= instead."
        )
    return design


def design_variance(c: Counts) -> float:
    """Design-based (linearization) variance of the NPS as a proportion, weighted counts:

    ``v = n/(n − 1) · Σ_k S_k (y_k − ȳ)² / (Σw)²``, ``y_k`` ∈ {−1, 0, +1}, ``ȳ = p − d``,
    ``S_k`` the Σw² of category ``k``, ``n`` the unweighted number of answers. Equals the
    squared SE of R ``survey::svymean(~y, svydesign(ids = ~1, weights = ~w))`` (Binder 1983;
    Lumley 2010, §2.3). Unweighted counts: ``V/n`` (the R package NPS, ``nps.se``²). NaN for
    fewer than 2 answers.
    """
    c = _as_counts(c)
    d, _, p = _shares(c)
    if not c.is_weighted:
        return _code_variance(d, p) / c.n
    _check_design("linearization", c)
    n = c.answers
    if n < 2:
        return math.nan
    mean = p - d
    total = c.n
    s_d, s_m, s_p = c.squared_weights
    # each weight relative to the total weight, so that neither Σw² nor (Σw)² overflows
    spread = (
        s_d / total * (-1.0 - mean) ** 2 + s_m / total * mean**2 + s_p / total * (1.0 - mean) ** 2
    ) / total
    return n / (n - 1) * spread


def design_effect(c: Counts, *, design: str | None = None) -> float:
    """Design effect of weighted counts, ``deff = v / (V/n)`` (Kish 1965, §8.2): the variance
    of the weighted NPS over that of a simple random sample of the same ``n`` answers.

    ``design="linearization"`` (the default when the counts carry it): ``v`` from
    :func:`design_variance`, ``n`` the unweighted number of answers; equals
    ``svymean(..., deff = TRUE)`` of R ``survey``... except that ``survey`` divides by the
    ``n − 1`` variance of a simple random sample (``deff_survey = deff · (n − 1)/n``).
    ``design="kish"``: ``n / ((Σw)²/Σw²)`` with ``n`` the unweighted answers, when known, else
    ``1 + cv²`` of the weights cannot be told and it is NaN. 1 for unweighted counts; NaN when
    every answer is in one category (``V = 0``).
    """
    c = _as_counts(c)
    chosen = _check_design(design, c)
    if chosen is None:
        return 1.0
    n = c.answer_count
    if chosen == "kish":
        return n / c.effective_n if math.isfinite(n) else math.nan
    v_srs = variance(c) / n
    v = design_variance(c)
    return v / v_srs if v_srs > 0 and math.isfinite(v) else math.nan


def effective_n(c: Counts, *, design: str | None = None) -> float:
    """The effective sample size the intervals and tests use in place of ``n``.

    Unweighted: ``n``. Weighted, ``design="linearization"`` (the default when the counts carry
    the Σw² per category): ``n_eff = V / v = n / deff`` (Korn and Graubard 1998), ``v`` from
    :func:`design_variance`; when every answer is in one category (``V = v = 0``) or there is
    one answer, Kish's size. ``design="kish"``: ``(Σw)²/Σw²`` (Kish 1965, §11.7).
    """
    c = _as_counts(c)
    chosen = _check_design(design, c)
    if chosen != "linearization":
        return c.effective_n
    v = design_variance(c)
    big_v = variance(c)
    if not (big_v > 0 and v > 0 and math.isfinite(v)):
        return c.effective_n
    return big_v / v


def finite_population_correction(c: Counts | float, population: float | None) -> float:
    """``f = 1 − n/N`` for ``n`` answers from a population of ``N`` (1 when ``population`` is
    ``None``): Cochran (1977), *Sampling Techniques*, §2.5; R ``svydesign(fpc = )``.

    ``c`` is the Counts (``n`` = its unweighted number of answers, also when weighted) or the
    number of answers. ``population`` below ``n`` raises ``ValueError`` naming it.
    """
    if population is None:
        return 1.0
    n = c.answer_count if isinstance(c, Counts) else float(c)
    if isinstance(population, bool) or not isinstance(population, (int, float, np.number)):
        raise ValueError(
            f"population must be the number of people the answers were drawn from (a whole "
            f"number at least the number of answers), got {population!r}."
        )
    if not math.isfinite(n):
        raise ValueError(
            "population needs the number of answers, which these weighted Counts do not carry "
            "(answers=). Count the raw answers with weights=, or leave population out."
        )
    big_n = float(population)
    if math.isinf(big_n) and big_n > 0:
        return 1.0
    if not (math.isfinite(big_n) and big_n >= n and big_n > 0):
        raise ValueError(
            f"population must be at least the number of answers ({_show_n(n)}), got "
            f"{population!r}: give the size of the whole population the answers came from."
        )
    return max(1.0 - n / big_n, 0.0)


def hold_estimate(
    low: float, high: float, estimate: float, limit: float
) -> tuple[float, float, bool]:
    """D1: the interval shown holds the estimate shown.

    ``low = min(low, estimate)``, ``high = max(high, estimate)``, then both clipped to
    ``[−limit, limit]`` (points). Returns ``(low, high, widened)``. The widened interval
    contains the method's own, so its coverage is at least the method's (each true value the
    method's interval covers, the widened one covers too). Needed where the method is centred
    elsewhere than the estimate: adjusted Wald pulls toward 0 (1 promoter: −48.5…98.5 around
    an NPS of 100 becomes −48.5…100).
    """
    widened = estimate < low or estimate > high
    low, high = min(low, estimate), max(high, estimate)
    return max(low, -limit), min(high, limit), widened


def small_sample_problem(c: Counts, method: str, n_eff: float | None = None) -> str | None:
    """Why ``method``'s interval cannot be trusted for ``c``, or ``None``.

    Wald and the percentile bootstrap give a zero-width interval when every answer is in one
    category, and cover far below their nominal level when the effective n (``n_eff``, by
    default :func:`effective_n`, design-based when weighted) is below :data:`SMALL_SAMPLE_N`
    (measured by ``benchmarks/bench_coverage.py``: 40–65% at n = 5–10 for a high NPS).
    Adjusted Wald and score keep close to nominal coverage and never warn.
    Returns ``"unanimous"`` or ``"small"``.
    """
    if method not in UNRELIABLE_WHEN_SMALL:
        return None
    if max(_shares(c)) >= 1.0:
        return "unanimous"
    if (effective_n(c) if n_eff is None else n_eff) < SMALL_SAMPLE_N:
        return "small"
    return None


def _warn_small(c: Counts, method: str, n_eff: float) -> None:
    problem = small_sample_problem(c, method, n_eff)
    if problem is None:
        return
    why = (
        "every answer is in one category"
        if problem == "unanimous"
        else f"the sample has fewer than {SMALL_SAMPLE_N} answers (effective n {n_eff:.3g})"
    )
    warnings.warn(
        f"The {method} interval covers far less than its confidence level here: {why}. "
        f"Use method='adjusted-wald' (the default) or method='score' instead.",
        SmallSampleWarning,
        stacklevel=3,
    )


# --------------------------------------------------------------------------- intervals


def _effective_counts(c: Counts, n_eff: float) -> tuple[float, float, float, float]:
    """(detractors, passives, promoters, n) scaled to the effective sample size ``n_eff``."""
    d, m, p = _shares(c)
    return d * n_eff, m * n_eff, p * n_eff, n_eff


def _adjusted(c: Counts, n_eff: float) -> tuple[float, float, float]:
    """Adjusted-Wald centre (proportion), code variance and n (Rocks 2016)."""
    if math.isinf(n_eff):  # counts beyond the largest float: 3 pseudo-answers weigh 0
        d, _, p = _shares(c)
        return p - d, _code_variance(d, p), math.inf
    det, _, pro, n = _effective_counts(c, n_eff)
    a_det, a_pas, a_pro = PSEUDO_OBSERVATIONS
    n_adj = n + a_det + a_pas + a_pro
    p_adj = (pro + a_pro) / n_adj
    d_adj = (det + a_det) / n_adj
    return p_adj - d_adj, _code_variance(d_adj, p_adj), n_adj


def _wald_bounds(c: Counts, n_eff: float, z: float) -> tuple[float, float]:
    d, _, p = _shares(c)
    half = z * math.sqrt(_code_variance(d, p) / n_eff)
    centre = p - d
    return centre - half, centre + half


def _adjusted_wald_bounds(c: Counts, n_eff: float, z: float) -> tuple[float, float]:
    centre, v_adj, n_adj = _adjusted(c, n_eff)
    half = z * math.sqrt(v_adj / n_adj)
    return centre - half, centre + half


def _restricted_detractor_share(det: float, pro: float, n: float, delta: float) -> float:
    """Maximum-likelihood detractor share given ``p − d = delta`` (Tango 1998, eq. 6).

    Setting the derivative of ``det·log q + pas·log(1 − 2q − Δ) + pro·log(q + Δ)`` to zero
    gives ``2n·q² + B·q + C = 0`` with ``B = −det − pro + (2n − pro + det)·Δ`` and
    ``C = −det·Δ·(1 − Δ)``; ``q`` is its non-negative root. (Called with shares and ``n = 1``:
    the equation divided by ``n``, which has the same roots and cannot overflow.)
    """
    a = 2.0 * n
    b = -det - pro + (2.0 * n - pro + det) * delta
    c = -det * delta * (1.0 - delta)
    disc = max(b * b - 4.0 * a * c, 0.0)
    if b > 0:  # numerically stable form of (−b + sqrt(disc)) / 2a
        return max(-2.0 * c / (b + math.sqrt(disc)), 0.0) if c else 0.0
    return max((-b + math.sqrt(disc)) / (2.0 * a), 0.0)


def _score_gap(delta: float, d: float, p: float, n: float, z: float, side: int) -> float:
    """``(p − d − Δ) + side·z·sqrt(V(Δ)/n)``: zero where the score statistic is ∓z.

    This is ``(pro − det − nΔ) + side·z·sqrt(n·V(Δ))`` divided by ``n``, written in shares so
    that it neither overflows for huge counts nor loses the root for a tiny ``z``.
    """
    q = _restricted_detractor_share(d, p, 1.0, delta)
    v = max(2.0 * q + delta - delta * delta, 0.0)
    return (p - d - delta) + side * z * math.sqrt(v / n)


def _score_bound(d: float, p: float, n: float, z: float, side: int) -> float:
    """One bound of the score interval: the root of :func:`_score_gap` between the estimate and
    ``side`` (+1 for the high bound, −1 for the low one)."""
    eps = 1e-12
    centre = p - d
    # The score statistic T(Δ) falls from +∞ to −∞ over (−1, 1) and is 0 at the estimate; at
    # Δ = ±1 the restricted variance is 0, so the gap there is p − d ∓ 1.
    if (p if side > 0 else d) >= 1.0 - eps:  # every answer at this end: the bound is ±1
        return float(side)
    args = (d, p, n, z, side)
    start = min(max(centre + side * eps, -1.0), 1.0)
    gap_start = _score_gap(start, *args)
    if gap_start == 0.0:
        return start
    if (gap_start > 0) == (side > 0):  # the usual case: the root lies beyond start
        low, high = sorted((start, float(side)))
        return _brentq(_score_gap, low, high, args)
    # A tiny z or a huge n puts the root within eps of the estimate, between it and start.
    if _score_gap(centre, *args) == 0.0:
        return centre
    low, high = sorted((centre, start))
    return _brentq(_score_gap, low, high, args)


def _brentq(function, low: float, high: float, args: tuple) -> float:
    # imported here: scipy.optimize takes ~0.4 s to import and only the score method needs it
    from scipy import optimize

    return optimize.brentq(function, low, high, args=args, xtol=1e-13)


def _score_bounds(c: Counts, n_eff: float, z: float) -> tuple[float, float]:
    d, _, p = _shares(c)
    return _score_bound(d, p, n_eff, z, -1), _score_bound(d, p, n_eff, z, 1)


def _bootstrap_bounds(
    c: Counts, n_eff: float, confidence: float, resamples: int, seed: int | None
) -> tuple[float, float]:
    d, m, p = _shares(c)
    # numpy draws at most 2⁶³ − 1 answers; beyond 10¹⁸ the interval is narrower than 10⁻⁶
    # points anyway, so larger samples are resampled at that size.
    size = max(round(min(n_eff, MAX_BOOTSTRAP_SIZE)), 1)
    rng = np.random.default_rng(seed)
    draws = rng.multinomial(size, [d, m, p], size=resamples)
    values = (draws[:, 2] - draws[:, 0]) / size
    alpha = 1.0 - confidence
    low, high = np.quantile(values, [alpha / 2.0, 1.0 - alpha / 2.0])
    return float(low), float(high)


def interval(
    data: object,
    *,
    confidence: float = 0.95,
    method: str = "adjusted-wald",
    scale: ScaleLike = None,
    invalid: str = "error",
    weights: object = None,
    resamples: int = DEFAULT_RESAMPLES,
    seed: int | None = DEFAULT_SEED,
    warn: bool = True,
    design: str | None = None,
    population: float | None = None,
) -> Interval:
    """Confidence interval for the NPS of ``data`` (``Counts`` or raw answers), in points.

    Methods (``n`` is :func:`effective_n` for weighted data — by default the design-based
    ``V/v``, with ``design="kish"`` Kish's ``(Σw)²/Σw²``; results × 100 for points; with
    ``population=N`` each variance is multiplied by ``f = 1 − n/N``, see the module docstring):

    ``"adjusted-wald"`` (default; best coverage in Rocks 2016 and MeasuringU 2021)
        Add 3 pseudo-answers — ¾ detractor, 1½ passive, ¾ promoter — then use the Wald
        formula on the adjusted data: ``ñ = n + 3``, ``p̃ = (pro + ¾)/ñ``, ``d̃ = (det + ¾)/ñ``,
        ``Ṽ = p̃ + d̃ − (p̃ − d̃)²``, interval ``(p̃ − d̃) ± z·sqrt(Ṽ/ñ)``. The interval is
        centred on the adjusted NPS, pulled slightly toward 0, and never has zero width; for a
        handful of answers that are all promoters (or all detractors) its own bounds leave
        out the observed ±100 (1 promoter: −48.5 to 98.5); the rule below widens that to
        −48.5 to 100.
    ``"wald"``
        ``(p − d) ± z·sqrt(V/n)`` with ``V = p + d − (p − d)²``; the R package NPS
        ``nps.test`` one-sample interval. Zero width when every answer is in one category.
    ``"score"``
        Score interval: all ``Δ`` with ``|T(Δ)| ≤ z`` for
        ``T(Δ) = (pro − det − n·Δ) / sqrt(n·(2·q̃ + Δ − Δ²))``, where ``q̃`` is the maximum
        likelihood detractor share under the restriction ``p − d = Δ`` (closed form, Tango
        1998). This is the "iterative" interval of Rocks (2016), Tango's score interval for
        paired proportions applied to the trinomial; the bounds are solved with Brent's
        method to 1e−13.
    ``"bootstrap"``
        Percentile bootstrap: ``resamples`` multinomial resamples of size ``n`` (rounded for
        weighted data) from the observed shares, interval = the ``α/2`` and ``1 − α/2``
        quantiles of their NPS. Reproducible: ``seed`` fixes the generator (``None`` for
        fresh randomness). Zero width when every answer is in one category. Samples of more
        than 10¹⁸ answers are resampled at 10¹⁸ (the interval is then narrower than 10⁻⁶
        points either way).

    **The interval holds the estimate** (rule D1, :func:`hold_estimate`): a bound that leaves
    out the observed NPS is moved to it, ``low = min(low, NPS)``, ``high = max(high, NPS)``,
    then the bounds are clipped to [−100, 100]; ``widened`` says it happened. The widened
    interval contains the method's own, so its coverage is at least the method's (measured in
    ``benchmarks/bench_coverage.py``). In practice adjusted Wald is the method that needs it
    (its centre is pulled toward 0); Wald and score are built around the estimate.

    ``warn`` (default true): a :class:`SmallSampleWarning` when ``method`` is ``"wald"`` or
    ``"bootstrap"`` and the answers are unanimous or the effective n is below 30
    (:func:`small_sample_problem`); the interval is still the method asked for. Tables pass
    ``warn=False`` and say it once in a note. ``confidence`` must be strictly between 0 and 1.
    """
    confidence = _check_confidence(confidence)
    _check_method(method, INTERVAL_METHODS)
    c = _as_counts(data, scale, invalid, weights)
    chosen = _check_design(design, c)
    n_eff = effective_n(c, design=chosen)
    f = finite_population_correction(c, population)
    # the finite population correction multiplies the variance by f: z·sqrt(f) does it for
    # Wald, adjusted Wald (SE = sqrt(f·Ṽ/ñ)) and score alike
    z = z_value(confidence) * math.sqrt(f)
    if f == 0.0:  # a census: the estimate is the population's NPS
        low = high = c.promoter_share - c.detractor_share
    elif method == "wald":
        low, high = _wald_bounds(c, n_eff, z)
    elif method == "adjusted-wald":
        low, high = _adjusted_wald_bounds(c, n_eff, z)
    elif method == "score":
        low, high = _score_bounds(c, n_eff, z)
    else:
        if int(resamples) < 2000:
            raise ValueError(f"resamples must be at least 2000, got {resamples!r}.")
        low, high = _bootstrap_bounds(c, n_eff, confidence, int(resamples), seed)
        if f < 1.0:  # the resampled spread, pulled toward the estimate by sqrt(f)
            centre, shrink = c.promoter_share - c.detractor_share, math.sqrt(f)
            low, high = centre + shrink * (low - centre), centre + shrink * (high - centre)
    if warn:
        _warn_small(c, method, n_eff)
    shown_low, shown_high, widened = hold_estimate(100.0 * low, 100.0 * high, c.nps, 100.0)
    return Interval(
        estimate=c.nps,
        low=shown_low,
        high=shown_high,
        margin=100.0 * (high - low) / 2.0,
        confidence=confidence,
        method=method,
        n=c.n,
        effective_n=n_eff,
        widened=widened,
        design=chosen,
        design_effect=design_effect(c, design=chosen) if chosen else 1.0,
        population=None if population is None else float(population),
    )


# --------------------------------------------------------------------------- comparisons


def compare(
    a: object,
    b: object,
    *,
    confidence: float = 0.95,
    method: str = "adjusted-wald",
    scale: ScaleLike = None,
    invalid: str = "error",
    weights_a: object = None,
    weights_b: object = None,
    design: str | None = None,
    population: float | tuple[float | None, float | None] | None = None,
) -> Comparison:
    """Compare the NPS of two independent samples: ``difference = NPS(a) − NPS(b)``.

    ``a`` and ``b`` are ``Counts`` (weighted or not) or raw answers (with ``weights_a`` /
    ``weights_b`` for weighted answers). ``V/n`` below is, for a weighted sample, ``V/n_eff``
    with :func:`effective_n` of ``design`` (by default design-based: ``V/n_eff = v``, the
    squared svymean SE). ``population``: one ``N`` both samples were drawn from, or a pair
    ``(N_a, N_b)``; each sample's variance is multiplied by its ``f = 1 − n/N``. Two
    censuses (``f = 0`` both) differ by exactly their difference: ``p`` is 0, or 1 for none.

    ``"wald"``
        ``SE = sqrt(V_a/n_a + V_b/n_b)`` (unpooled), interval ``Δ ± z·SE``,
        ``z = Δ/SE``, two-sided ``p = 2·Φ(−|z|)``: exactly the two-sample ``nps.test`` of the
        R package NPS (Rocks), except that the difference keeps its sign.
    ``"adjusted-wald"`` (default)
        Each sample gets the adjusted-Wald pseudo-answers (¾, 1½, ¾) as in :func:`interval`:
        ``SE = sqrt(Ṽ_a/ñ_a + Ṽ_b/ñ_b)``, interval ``(ÑPS_a − ÑPS_b) ± z·SE`` (the
        Agresti–Caffo construction for a difference of proportions). The test uses the same
        adjusted difference and SE, ``z = (ÑPS_a − ÑPS_b)/SE``, so that ``significant`` is
        true exactly when the interval excludes 0, and so that samples in which every answer is
        in one category (unadjusted SE = 0) do not give z = ∞. Use ``method="wald"`` for the
        classical unadjusted test.

    ``difference``, ``nps_a`` and ``nps_b`` are always the unadjusted NPS values (points).

    **The interval holds the difference** (rule D1, :func:`hold_estimate`): a bound that
    leaves out the observed difference is moved to it, then the bounds are clipped to
    [−200, 200]; ``widened`` says so. Two waves of two answers each — two detractors against a
    passive and a promoter, a difference of −150 — get −150.0…27.7, not −147.7…27.7. The
    widened interval contains the method's own, so its coverage is at least the method's;
    ``z``, ``p_value`` and ``significant`` stay the method's own test.
    """
    confidence = _check_confidence(confidence)
    _check_method(method, COMPARE_METHODS)
    ca = _as_counts(a, scale, invalid, weights_a)
    cb = _as_counts(b, scale, invalid, weights_b)
    design_a, design_b = _check_design(design, ca), _check_design(design, cb)
    na_eff, nb_eff = effective_n(ca, design=design_a), effective_n(cb, design=design_b)
    pop_a, pop_b = population if isinstance(population, tuple) else (population, population)
    fa = finite_population_correction(ca, pop_a)
    fb = finite_population_correction(cb, pop_b)
    z_crit = z_value(confidence)
    if method == "wald" or fa == fb == 0.0:
        da, _, pa = _shares(ca)
        db, _, pb = _shares(cb)
        centre = (pa - da) - (pb - db)
        se = math.sqrt(fa * _code_variance(da, pa) / na_eff + fb * _code_variance(db, pb) / nb_eff)
    else:
        centre_a, va, na = _adjusted(ca, na_eff)
        centre_b, vb, nb = _adjusted(cb, nb_eff)
        centre = centre_a - centre_b
        se = math.sqrt(fa * va / na + fb * vb / nb)
    z, p = _z_test(centre, se)
    difference = ca.nps - cb.nps
    low, high, widened = hold_estimate(
        100.0 * (centre - z_crit * se), 100.0 * (centre + z_crit * se), difference, 200.0
    )
    return Comparison(
        difference=difference,
        low=low,
        high=high,
        z=z,
        p_value=p,
        significant=p < 1.0 - confidence,
        nps_a=ca.nps,
        nps_b=cb.nps,
        confidence=confidence,
        method=method,
        standard_error=100.0 * se,
        n_a=ca.n,
        n_b=cb.n,
        widened=widened,
        design=design_a or design_b,
    )


def _z_test(estimate: float, se: float) -> tuple[float, float]:
    if se > 0:
        z = estimate / se
    elif estimate == 0:
        z = 0.0
    else:  # no sampling variation at all, yet a difference: the Wald test's limit
        z = math.copysign(math.inf, estimate)
    return z, _two_sided_p(z)


def compare_paired(
    a: object,
    b: object,
    *,
    confidence: float = 0.95,
    scale: ScaleLike = None,
    invalid: str = "error",
    population: float | None = None,
) -> Comparison:
    """Compare two answers of the same respondents: ``difference = NPS(a) − NPS(b)``.

    Typical use: ``compare_paired(after, before)`` — a positive difference is an improvement.
    ``a`` and ``b`` are equal-length sequences of raw answers, one position per respondent.
    Pairs with a blank (or, with ``invalid="skip"``, an invalid answer) on either side are
    dropped; ``dropped`` says how many.

    Each respondent's change ``D_i = code(a_i) − code(b_i)`` (−2..2) is averaged:
    ``Δ = mean(D)`` (which equals ``NPS(a) − NPS(b)`` of the kept pairs),
    ``SE = sd(D)/sqrt(n)`` with the ``n − 1`` standard deviation, interval ``Δ ± z·SE``,
    ``z = Δ/SE``, ``p = 2·Φ(−|z|)`` (a large-sample paired z test; for small panels prefer a
    few more respondents). ``method`` is ``"paired"``. ``population=N``: the panel was drawn
    from ``N`` people, ``SE = sqrt(f)·sd(D)/sqrt(n)`` with ``f = 1 − n/N`` (Cochran 1977,
    §2.5; R ``svymean(~D, svydesign(ids = ~1, fpc = ~N))`` gives the same SE).
    """
    confidence = _check_confidence(confidence)
    pa = parse_scores(a, scale=scale, invalid=invalid)
    pb = parse_scores(b, scale=scale, invalid=invalid)
    if len(pa.values) != len(pb.values):
        raise ValueError(
            f"Paired answers need one 'a' and one 'b' answer per respondent, but a has "
            f"{len(pa.values)} cells and b has {len(pb.values)}. Give two ranges of equal length."
        )
    warn_skipped(pa)
    warn_skipped(pb)
    keep = pa.valid & pb.valid
    n = int(keep.sum())
    if n == 0:
        raise NoValidAnswersError(
            "No valid answers: no respondent has a valid score in both a and b. Check that "
            "the two ranges line up respondent by respondent."
        )
    codes_a = pa.scale.categorize(pa.values[keep]).astype(float)
    codes_b = pb.scale.categorize(pb.values[keep]).astype(float)
    diffs = codes_a - codes_b
    mean = float(diffs.mean())
    f = finite_population_correction(n, population)
    se = float(diffs.std(ddof=1) / math.sqrt(n)) * math.sqrt(f) if n > 1 else 0.0
    z_crit = z_value(confidence)
    z, p = _z_test(mean, se)
    # D1 (:func:`hold_estimate`): centred on the difference, so never widened in exact
    # arithmetic; the step guards the rounding of mean ± z·SE.
    low, high, widened = hold_estimate(
        100.0 * (mean - z_crit * se), 100.0 * (mean + z_crit * se), 100.0 * mean, 200.0
    )
    return Comparison(
        difference=100.0 * mean,
        low=low,
        high=high,
        z=z,
        p_value=p,
        significant=p < 1.0 - confidence,
        nps_a=100.0 * float(codes_a.mean()),
        nps_b=100.0 * float(codes_b.mean()),
        confidence=confidence,
        method="paired",
        standard_error=100.0 * se,
        n_a=n,
        n_b=n,
        dropped=len(keep) - n,
        widened=widened,
    )


# --------------------------------------------------------------------------- sample size


def _planning_variance(
    expected_nps: float | None, promoter_share: float | None, detractor_share: float | None
) -> float:
    if promoter_share is not None or detractor_share is not None:
        if promoter_share is None or detractor_share is None:
            raise ValueError("Give both promoter_share and detractor_share (0..1), or neither.")
        p, d = float(promoter_share), float(detractor_share)
        if not (0 <= p <= 1 and 0 <= d <= 1 and p + d <= 1 + 1e-12):
            raise ValueError(
                f"promoter_share and detractor_share must be between 0 and 1 and add up to at "
                f"most 1, got {promoter_share!r} and {detractor_share!r}."
            )
        if expected_nps is not None and not math.isclose(100 * (p - d), expected_nps, abs_tol=1e-9):
            raise ValueError(
                f"expected_nps {expected_nps!r} does not match the shares given "
                f"(100 × ({p} − {d}) = {100 * (p - d):g}); give one or the other."
            )
        return _code_variance(d, p)
    if expected_nps is not None:
        if not -100 <= float(expected_nps) <= 100:
            raise ValueError(f"expected_nps must be between −100 and 100, got {expected_nps!r}.")
        # Largest variance an NPS of this size can have: no passives, V = 1 − NPS².
        return 1.0 - (float(expected_nps) / 100.0) ** 2
    return 1.0


def _ceil(x: float) -> int:
    # Tolerate rounding noise so that an exact whole number is not pushed up by one.
    return math.ceil(x - 1e-9)


def sample_size(
    margin: float,
    *,
    confidence: float = 0.95,
    expected_nps: float | None = None,
    promoter_share: float | None = None,
    detractor_share: float | None = None,
    population: float | None = None,
) -> int:
    """Answers needed so that the adjusted-Wald margin of error is at most ``margin`` points.

    ``n = ceil(z²·V / (margin/100)² − 3)`` (the adjusted-Wald interval's ``ñ = n + 3``), at
    least 1. ``V`` is the worst case 1 (half promoters, half detractors) unless the expected
    shares are given; with only ``expected_nps`` it is the worst case for that NPS,
    ``1 − (NPS/100)²``. At 95%: ±20 → 94, ±10 → 382, ±5 → 1534. From a population of ``N``:
    ``n = ceil(n0 / (1 + (n0 − 1)/N))`` with ``n0`` the answer above (Cochran 1977, §4.4):
    ±5 from 300 accounts → 252.

    ``margin`` is above 0 and at most 200. A margin so small that more than
    :data:`MAX_SAMPLE_SIZE` (10¹⁵) answers would be needed raises ``ValueError`` naming the
    smallest margin that can be planned for.
    """
    confidence = _check_confidence(confidence)
    if isinstance(margin, bool) or not (isinstance(margin, (int, float)) and 0 < margin <= 200):
        raise ValueError(
            f"margin must be a number of NPS points above 0 and at most 200, got {margin!r}."
        )
    v = _planning_variance(expected_nps, promoter_share, detractor_share)
    z = z_value(confidence)
    pseudo = sum(PSEUDO_OBSERVATIONS)
    _check_population(population)
    if z * z * v == 0:  # no variation expected (an NPS of ±100): one answer tells it
        return 1
    _check_planned(z * z * v, margin, pseudo, "margin", "a margin of error")
    return _finite(max(_ceil(z * z * v / (margin / 100.0) ** 2 - pseudo), 1), population)


def _check_population(population: float | None) -> None:
    if population is None:
        return
    ok = not isinstance(population, bool) and isinstance(population, (int, float, np.number))
    if not (ok and population >= 1 and not math.isnan(population)):
        raise ValueError(
            f"population must be the number of people you can survey (1 or more), got "
            f"{population!r}."
        )


def _finite(n0: int, population: float | None) -> int:
    """``ceil(n0 / (1 + (n0 − 1)/N))`` (Cochran 1977, §4.4), at most ``N``."""
    if population is None or math.isinf(population):
        return n0
    return max(min(_ceil(n0 / (1.0 + (n0 - 1) / float(population))), math.ceil(population)), 1)


def _check_planned(numerator: float, points: float, minus: float, name: str, what: str) -> None:
    """Refuse ``points`` so small that ``numerator / (points/100)² − minus`` answers would be
    more than :data:`MAX_SAMPLE_SIZE`: say the smallest value that can be planned for."""
    smallest = 100.0 * math.sqrt(numerator / (MAX_SAMPLE_SIZE + minus))
    if abs(points) < smallest * (1 + 1e-9):  # (so that rounding never gives one too many)
        step = 10.0 ** (math.floor(math.log10(smallest)) - 1)  # 2 significant digits, rounded up
        raise ValueError(
            f"{what.capitalize()} of {abs(points):.3g} points would need more than "
            f"{MAX_SAMPLE_SIZE:,} answers. Give a {name} of at least "
            f"{math.ceil(smallest / step) * step:.2g} points."
        )


def sample_size_difference(
    difference: float,
    *,
    confidence: float = 0.95,
    power: float = 0.8,
    shares_a: tuple[float, float] | None = None,
    shares_b: tuple[float, float] | None = None,
    population: float | None = None,
) -> int:
    """Answers needed in *each* of two groups to detect an NPS difference of ``difference``.

    Two-sided Wald z test at level ``1 − confidence`` with the given ``power``:
    ``n = ceil((z_{1−α/2} + z_{power})² · (V_a + V_b) / (difference/100)²)``.
    ``shares_a``/``shares_b`` are the expected ``(promoter_share, detractor_share)`` of each
    group; without them ``V = 1`` (the worst case). At 95%/80%, worst case: 10 points → 1570.
    ``population=N``: each group is drawn from ``N`` people, ``n = ceil(n0/(1 + (n0 − 1)/N))``
    per group (Cochran 1977, §4.4).
    A difference needing more than :data:`MAX_SAMPLE_SIZE` answers raises ``ValueError``.
    """
    confidence = _check_confidence(confidence)
    try:
        power_ok = 0.0 < float(power) < 1.0
    except (TypeError, ValueError):
        power_ok = False
    if not power_ok:
        raise ValueError(f"power must be between 0 and 1 (e.g. 0.8), got {power!r}.")
    if not (isinstance(difference, (int, float)) and 0 < abs(difference) <= 200):
        raise ValueError(f"difference must be a non-zero number of NPS points, got {difference!r}.")
    va = _planning_variance(None, *shares_a) if shares_a is not None else 1.0
    vb = _planning_variance(None, *shares_b) if shares_b is not None else 1.0
    z_total = z_value(confidence) + _NORMAL.inv_cdf(power)
    _check_population(population)
    if z_total**2 * (va + vb) == 0:
        return 1
    _check_planned(z_total**2 * (va + vb), difference, 0.0, "difference", "a difference")
    n0 = max(_ceil(z_total**2 * (va + vb) / (difference / 100.0) ** 2), 1)
    return _finite(n0, population)
