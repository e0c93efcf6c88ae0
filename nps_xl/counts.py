"""The ``Counts`` value: how many answers were detractors, passives and promoters.

Every NPS statistic is a function of these three numbers (with weights: their weight sums, the
sum of squared weights of each category and the unweighted number of answers, which give the
design-based variance of :mod:`nps_xl.stats` and Kish's effective sample size). Whatever can
count — numpy over an Excel range, pandas over a survey export, SQL over a warehouse — produces
``Counts``, and the statistics never see raw rows.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Hashable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from nps_xl.scores import (
    BLANK,
    INVALID,
    ParsedScores,
    Scale,
    parse_scores,
    position_label,
    resolve_scale,
)


class InvalidAnswersWarning(UserWarning):
    """Issued when ``invalid="skip"`` left answers out, so they are never dropped silently."""


@dataclass(frozen=True)
class Counts:
    """Detractors, passives and promoters of one group of answers.

    Unweighted counts are whole numbers. Weighted counts are weight sums and carry
    ``sum_squared_weights`` Σw², so the Kish effective sample size ``n_eff = (Σw)² / Σw²``
    (Kish 1965, *Survey Sampling*, §11.7) survives merging. Counted from answers they also
    carry ``squared_weights`` — ``(S_d, S_m, S_p)``, the Σw² of the detractors, passives and
    promoters — and ``answers``, the unweighted number of answers: with them the design-based
    (linearization) variance of :func:`nps_xl.stats.design_variance` is exact, since
    ``Σ w²(y − ȳ)² = Σ_k S_k (y_k − ȳ)²`` over the three codes ``y_k`` ∈ {−1, 0, +1}. All of
    it adds up when counts merge. ``Counts(d, m, p, sum_squared_weights)`` alone, without the
    split, allows only the Kish approximation (``design="kish"``).
    """

    detractors: float = 0
    passives: float = 0
    promoters: float = 0
    sum_squared_weights: float | None = None
    squared_weights: tuple[float, float, float] | None = None
    answers: int | None = None

    def __post_init__(self) -> None:
        for name in ("detractors", "passives", "promoters"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
                raise TypeError(f"{name} must be a number, got {value!r}.")
            try:
                finite = math.isfinite(value)  # an int beyond a float's range overflows here
            except OverflowError:
                finite = False
            if not finite or value < 0:
                raise ValueError(f"{name} must be a finite number ≥ 0, got {value!r}.")
        if self.squared_weights is not None:
            split = tuple(float(x) for x in self.squared_weights)
            if len(split) != 3 or not all(x >= 0 and math.isfinite(x) for x in split):
                raise ValueError(
                    "squared_weights must be three finite numbers ≥ 0 (the Σw² of the "
                    f"detractors, passives and promoters), got {self.squared_weights!r}."
                )
            object.__setattr__(self, "squared_weights", split)
            if self.sum_squared_weights is None:
                object.__setattr__(self, "sum_squared_weights", math.fsum(split))
        if self.sum_squared_weights is not None and not self.sum_squared_weights >= 0:
            raise ValueError(f"sum_squared_weights must be ≥ 0, got {self.sum_squared_weights!r}.")
        if self.answers is not None and (
            isinstance(self.answers, bool)
            or not isinstance(self.answers, (int, np.integer))
            or self.answers < 0
        ):
            raise ValueError(
                f"answers must be the whole number of answers counted (≥ 0), got {self.answers!r}."
            )

    @property
    def n(self) -> float:
        """Answers (or total weight) counted: detractors + passives + promoters."""
        return self.detractors + self.passives + self.promoters

    @property
    def is_weighted(self) -> bool:
        return self.sum_squared_weights is not None

    @property
    def effective_n(self) -> float:
        """Kish effective sample size (Σw)²/Σw²; equals ``n`` for unweighted counts."""
        if self.sum_squared_weights is None:
            return self.n
        ssw = self.sum_squared_weights
        # n·(n/Σw²), not n²/Σw²: n² overflows for weight sums above ~1e154
        return float(self.n) * (float(self.n) / ssw) if ssw else 0.0

    @property
    def has_design(self) -> bool:
        """Whether the design-based variance can be computed: unweighted counts, or weighted
        counts that carry ``squared_weights`` and ``answers``."""
        return not self.is_weighted or (
            self.squared_weights is not None and self.answers is not None
        )

    @property
    def answer_count(self) -> float:
        """The unweighted number of answers (``n`` for unweighted counts; ``answers`` for
        weighted ones, NaN when weighted counts do not carry it)."""
        if not self.is_weighted:
            return self.n
        return math.nan if self.answers is None else self.answers

    @property
    def promoter_share(self) -> float:
        return self._share(self.promoters)

    @property
    def passive_share(self) -> float:
        return self._share(self.passives)

    @property
    def detractor_share(self) -> float:
        return self._share(self.detractors)

    def _share(self, part: float) -> float:
        n = self.n
        if math.isinf(n):  # the counts add up beyond the largest float: divide them first
            top = max(self.detractors, self.passives, self.promoters)
            return part / top / (self.detractors / top + self.passives / top + self.promoters / top)
        return part / n if n else math.nan

    @property
    def nps(self) -> float:
        """NPS = 100 × (promoters − detractors) / n, from −100 to 100 (NaN when n = 0).

        Reichheld (2003), "The One Number You Need to Grow", Harvard Business Review.
        """
        if not self.n:
            return math.nan
        value = 100.0 * (self.promoters - self.detractors) / self.n
        if math.isfinite(value):
            return value
        # counts near the largest float overflow the product or the sum: use the shares
        return 100.0 * (self.promoter_share - self.detractor_share)

    def __add__(self, other: Counts) -> Counts:
        if not isinstance(other, Counts):
            return NotImplemented
        if self.sum_squared_weights is None and other.sum_squared_weights is None:
            return Counts(
                self.detractors + other.detractors,
                self.passives + other.passives,
                self.promoters + other.promoters,
            )
        # an unweighted group has weights 1, so its Σw² is its n (and S_k its counts)
        split = answers = None
        if self.has_design and other.has_design:
            split = tuple(a + b for a, b in zip(_split(self), _split(other), strict=True))
            answers = int(self.answer_count) + int(other.answer_count)
        return Counts(
            self.detractors + other.detractors,
            self.passives + other.passives,
            self.promoters + other.promoters,
            _ssw(self) + _ssw(other),
            split,
            answers,
        )

    def without(self, part: Counts) -> Counts:
        """The answers of these counts outside ``part`` (a group of them), rounding guarded
        at 0: e.g. "the rest" a segment is tested against."""
        if self.sum_squared_weights is None:
            return Counts(
                self.detractors - part.detractors,
                self.passives - part.passives,
                self.promoters - part.promoters,
            )
        split = answers = None
        if self.has_design and part.has_design:
            split = tuple(max(a - b, 0.0) for a, b in zip(_split(self), _split(part), strict=True))
            answers = max(int(self.answer_count) - int(part.answer_count), 0)
        return Counts(
            max(self.detractors - part.detractors, 0.0),
            max(self.passives - part.passives, 0.0),
            max(self.promoters - part.promoters, 0.0),
            max(self.sum_squared_weights - _ssw(part), 0.0),
            split,
            answers,
        )

    def __radd__(self, other: object) -> Counts:
        if other == 0:  # lets sum() start from 0
            return self
        return NotImplemented

    def to_dict(self) -> dict[str, float]:
        return {
            "n": self.n,
            "promoters": self.promoters,
            "passives": self.passives,
            "detractors": self.detractors,
            "promoter_share": self.promoter_share,
            "passive_share": self.passive_share,
            "detractor_share": self.detractor_share,
            "nps": self.nps,
            "effective_n": self.effective_n,
        }

    @classmethod
    def from_codes(cls, codes: np.ndarray, weights: np.ndarray | None = None) -> Counts:
        """Count category codes (−1 detractor, 0 passive, +1 promoter)."""
        codes = np.asarray(codes)
        if weights is None:
            tally = np.bincount((codes + 1).astype(np.intp), minlength=3)
            return cls(int(tally[0]), int(tally[1]), int(tally[2]))
        w = np.asarray(weights, dtype=float)
        slot = (codes + 1).astype(np.intp)
        tally = np.bincount(slot, weights=w, minlength=3)
        split = np.bincount(slot, weights=w * w, minlength=3)
        return cls(
            float(tally[0]),
            float(tally[1]),
            float(tally[2]),
            float(np.sum(w * w)),
            (float(split[0]), float(split[1]), float(split[2])),
            len(slot),
        )

    @classmethod
    def from_histogram(
        cls,
        histogram: np.ndarray,
        scale: str | Scale | Sequence[int] | None = "0-10",
        sum_squared_weights: float | None = None,
    ) -> Counts:
        """Count from answers per scale point (``minimum..maximum``)."""
        sc = resolve_scale(scale)
        cuts = np.cumsum(histogram)
        detractors = cuts[sc.detractor_max - sc.minimum]
        passives = cuts[sc.passive_max - sc.minimum] - detractors
        promoters = cuts[-1] - detractors - passives
        kind = int if sum_squared_weights is None else float
        return cls(kind(detractors), kind(passives), kind(promoters), sum_squared_weights)

    @classmethod
    def from_scores(
        cls,
        scores: np.ndarray,
        scale: str | Scale | Sequence[int] | None = "0-10",
        weights: np.ndarray | None = None,
    ) -> Counts:
        """Count already-valid scores (see :func:`counts` for raw answers)."""
        return cls.from_codes(resolve_scale(scale).categorize(scores), weights)


def _ssw(c: Counts) -> float:
    return c.n if c.sum_squared_weights is None else c.sum_squared_weights


def _split(c: Counts) -> tuple[float, float, float]:
    """(S_d, S_m, S_p): the Σw² per category (the counts themselves when unweighted)."""
    if c.squared_weights is None:
        return float(c.detractors), float(c.passives), float(c.promoters)
    return c.squared_weights


def _categories(histogram: np.ndarray, sc: Scale) -> tuple[float, float, float]:
    cuts = np.cumsum(histogram)
    detractors = float(cuts[sc.detractor_max - sc.minimum])
    passives = float(cuts[sc.passive_max - sc.minimum]) - detractors
    return detractors, passives, float(cuts[-1]) - detractors - passives


def counts(
    scores: object,
    *,
    scale: str | Scale | Sequence[int] | None = None,
    invalid: str = "error",
    weights: object = None,
) -> Counts:
    """Count raw answers into :class:`Counts`.

    ``scores`` may be a list, nested rows, a numpy array, a pandas Series, or a ``Counts``
    (returned as it is). ``weights`` has the same shape as ``scores``; every valid answer needs a
    finite weight ≥ 0. With ``invalid="skip"`` an :class:`InvalidAnswersWarning` says how many
    answers were left out and where.
    """
    if isinstance(scores, Counts):
        return scores
    parsed = parse_scores(scores, scale=scale, invalid=invalid)
    warn_skipped(parsed)
    sc, values = parsed.scale, parsed.values  # NaN wherever the answer is not a valid score
    if weights is None:
        detractors = int(np.count_nonzero(values <= sc.detractor_max))
        passives = int(np.count_nonzero(values <= sc.passive_max)) - detractors
        return Counts(detractors, passives, parsed.n - detractors - passives)
    w = np.where(parsed.valid, parse_weights(weights, parsed), 0.0)
    c = Counts.from_histogram(parsed.histogram(w), sc, float(np.dot(w, w)))
    split = _categories(parsed.histogram(w * w), sc)
    return Counts(c.detractors, c.passives, c.promoters, c.sum_squared_weights, split, parsed.n)


def warn_skipped(parsed: ParsedScores, rows: Sequence[int] | None = None) -> None:
    """Say which invalid answers were left out; ``rows``: the row a person sees for each
    invalid answer (a file's rows), else their positions in the input."""
    if parsed.invalid:
        if rows is None:
            listed = parsed.invalid_report()
        else:
            shown = [
                f"{v!r} in row {r}" if isinstance(v, str) else f"{v} in row {r}"
                for r, v in zip(rows[:10], parsed.invalid_values[:10], strict=False)
            ]
            more = parsed.invalid - len(shown)
            listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
        warnings.warn(
            f"Left out {parsed.invalid} invalid answer{'s' if parsed.invalid > 1 else ''}: "
            f"{listed}.",
            InvalidAnswersWarning,
            stacklevel=3,
        )


#: Weights are rescaled by a power of two (exact) when the largest lies outside
#: [2⁻⁴⁰⁰, 2⁴⁰⁰] (about 10⁻¹²⁰ to 10¹²⁰), so that neither Σw nor Σw² overflows or underflows.
WEIGHT_RESCALE_EXPONENT = 400


def parse_weights(weights: object, parsed: ParsedScores) -> np.ndarray:
    """Weights as floats aligned with ``parsed``; each valid answer needs a finite weight ≥ 0.

    NPS, the shares, the intervals and Kish's effective sample size ``(Σw)²/Σw²`` do not change
    when every weight is multiplied by one constant (Kish 1965, §11.7). So weights whose
    largest is beyond :data:`WEIGHT_RESCALE_EXPONENT` are divided by the power of two nearest
    it — an exact operation in binary floating point — before anything is summed: 1e308 or
    5e-324 gives the same NPS and effective n as 1. Weight sums are then relative to the
    largest weight. A bad weight raises ``ValueError`` naming the weights' column (a Series'
    name) and the row or line (a Series' index named ``"line"``/``"row"``, as
    :mod:`nps_xl.io` reads files), else its position.
    """
    raw = np.asarray(weights, dtype=object).reshape(-1)
    w = pd.to_numeric(pd.Series(raw), errors="coerce").to_numpy(dtype=float)
    if len(w) != len(parsed.values):
        raise ValueError(
            f"weights has {len(w)} values but there are {len(parsed.values)} answers; "
            "give one weight per answer."
        )
    with np.errstate(invalid="ignore"):
        bad = parsed.valid & ~(np.isfinite(w) & (w >= 0))
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        blank = pd.isna(raw[i]) or str(raw[i]).strip() in ("", "nan", "None")
        place, count = _weight_place(weights, i, parsed), int(bad.sum())
        if blank:
            raise ValueError(
                f"{_weights_name(weights)} has no weight in {place}, which has an answer "
                f"(answers without a weight: {count}). Every answer with a score needs a "
                "weight: fill it in, or leave the weights out."
            )
        raise ValueError(
            f"{_weights_name(weights)} holds {_shown(raw[i])} in {place}, which is not a "
            f"weight (a number of 0 or more; answers without one: {count}). Fix the weight, "
            "or leave the weights out."
        )
    return _rescaled(w, parsed.valid)


def _rescaled(w: np.ndarray, valid: np.ndarray) -> np.ndarray:
    top = float(w[valid].max()) if valid.any() else 0.0
    limit = WEIGHT_RESCALE_EXPONENT
    if top == 0.0 or -limit <= np.frexp(top)[1] <= limit:
        return w
    return np.ldexp(w, -int(np.frexp(top)[1]))  # exact: only the exponent changes


def _weights_name(weights: object) -> str:
    name = None
    if isinstance(weights, pd.Series):  # nps_xl.io keeps the export's header in attrs
        name = weights.attrs.get("weight_column", weights.name)
    return f"The weight column {name!r}" if isinstance(name, str) and name else "weights"


def _weight_place(weights: object, i: int, parsed: ParsedScores) -> str:
    index = weights.index if isinstance(weights, pd.Series) else None
    if index is not None and index.name in ("line", "row") and len(index) > i:
        return f"{index.name} {index[i]}"
    return position_label(i, parsed.shape)


def _shown(value: object) -> str:
    return (
        repr(value)
        if isinstance(value, str)
        else f"{value:g}"
        if isinstance(value, float)
        else str(value)
    )


# ----------------------------------------------------------------------------- grouped counts

#: Category codes of :class:`Answers`: the three NPS categories, then blank and invalid answers.
DETRACTOR, PASSIVE, PROMOTER, BLANK_ANSWER, INVALID_ANSWER = range(5)


@dataclass(frozen=True, eq=False)
class Answers:
    """Raw answers read once: a category code per answer and the weights, aligned with the rows.

    ``category`` is 0 detractor, 1 passive, 2 promoter, 3 blank, 4 invalid (``DETRACTOR`` …).
    Every table and figure of a report counts these codes; no one parses the scores again.
    """

    parsed: ParsedScores
    category: np.ndarray  # intp, one per answer
    weights: np.ndarray | None = None  # float, 0 where the answer is not valid

    @classmethod
    def read(
        cls,
        values: object,
        *,
        scale: str | Scale | Sequence[int] | None = None,
        weights: object = None,
    ) -> Answers:
        """Parse ``values`` (``invalid="skip"``: invalid answers are kept, coded, and listed on
        ``parsed``) and the weights of the valid ones (finite and ≥ 0, else ``ValueError``)."""
        parsed = parse_scores(values, scale=scale, invalid="skip")
        category = np.full(len(parsed.values), INVALID_ANSWER, dtype=np.intp)
        category[parsed.status == BLANK] = BLANK_ANSWER
        valid = parsed.valid
        category[valid] = parsed.scale.categorize(parsed.values[valid]).astype(np.intp) + 1
        w = None
        if weights is not None:
            w = np.where(valid, parse_weights(weights, parsed), 0.0)
        return cls(parsed, category, w)

    def __len__(self) -> int:
        return len(self.category)

    @property
    def valid(self) -> np.ndarray:
        return self.category <= PROMOTER

    @property
    def weighted(self) -> bool:
        return self.weights is not None

    def take(self, rows: np.ndarray) -> Answers:
        """The answers at positions ``rows`` (a filter; positions keep their file rows)."""
        rows = np.asarray(rows, dtype=np.intp)
        p = self.parsed
        status = p.status[rows]
        # invalid_positions is ascending, so each kept invalid answer's value is found by search
        at = np.searchsorted(p.invalid_positions, rows[status == INVALID])
        values = tuple(p.invalid_values[i] for i in at.tolist())
        kept = ParsedScores(p.values[rows], status, (len(rows),), p.scale, values)
        return Answers(
            kept, self.category[rows], None if self.weights is None else self.weights[rows]
        )


@dataclass(frozen=True, eq=False)
class GroupedCounts:
    """Answers per group: the interchange between whatever counts and every table.

    One entry per group ``keys[i]``: ``n`` valid answers, ``detractors`` / ``passives`` /
    ``promoters`` (whole numbers; weight sums when weighted, with ``sum_squared_weights`` Σw²
    so the Kish effective n survives merging, and ``squared_weights``, one row
    ``(S_d, S_m, S_p)`` of Σw² per category for each group, for the design-based variance),
    ``blank`` and ``invalid`` answers. numpy over a
    cell range, pandas over a file, an SQL engine or Spark can each produce it; two of them
    add up (``a + b``, groups matched by key), so partial counts of partitions merge exactly.
    """

    keys: np.ndarray  # object array of group labels
    n: np.ndarray
    detractors: np.ndarray
    passives: np.ndarray
    promoters: np.ndarray
    blank: np.ndarray
    invalid: np.ndarray
    sum_squared_weights: np.ndarray | None = None
    squared_weights: np.ndarray | None = None  # float (groups × 3): S_d, S_m, S_p

    def __post_init__(self) -> None:
        split = self.squared_weights
        if split is not None:
            split = np.asarray(split, dtype=float).reshape(len(self.keys), 3)
            object.__setattr__(self, "squared_weights", split)
            if self.sum_squared_weights is None:
                object.__setattr__(self, "sum_squared_weights", split.sum(axis=1))

    @classmethod
    def count(
        cls, answers: Answers, group: np.ndarray, keys: Sequence[Hashable] | np.ndarray
    ) -> GroupedCounts:
        """Count ``answers`` by ``group`` (codes 0…len(keys)−1 per answer; −1 leaves it out)."""
        size = len(keys)
        cells = 5 * size
        group = np.asarray(group, dtype=np.intp)
        # one flat bincount over (group, category) cells; rows left out go to a spare last cell
        cell = np.where(group >= 0, group * 5 + answers.category, cells)
        t = np.bincount(cell, minlength=cells + 1)[:cells].reshape(size, 5)
        out = dict(
            n=t[:, :3].sum(axis=1),
            detractors=t[:, DETRACTOR],
            passives=t[:, PASSIVE],
            promoters=t[:, PROMOTER],
            blank=t[:, BLANK_ANSWER],
            invalid=t[:, INVALID_ANSWER],
        )
        ssw = None
        if answers.weights is not None:
            w = np.bincount(cell, weights=answers.weights, minlength=cells + 1)[:cells]
            w = w.reshape(size, 5)
            out.update(detractors=w[:, DETRACTOR], passives=w[:, PASSIVE], promoters=w[:, PROMOTER])
            w2 = answers.weights * answers.weights
            split = np.bincount(cell, weights=w2, minlength=cells + 1)[:cells]
            split = split.reshape(size, 5)[:, :3]
            return cls(
                _object_array(keys),
                **out,
                sum_squared_weights=split.sum(axis=1),
                squared_weights=split,
            )
        return cls(_object_array(keys), **out, sum_squared_weights=ssw)

    @classmethod
    def overall(cls, answers: Answers, key: Hashable = "all") -> GroupedCounts:
        """All answers as one group."""
        return cls.count(answers, np.zeros(len(answers), dtype=np.intp), [key])

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def weighted(self) -> bool:
        return self.sum_squared_weights is not None

    def counts(self, i: int) -> Counts:
        """The :class:`Counts` of group ``i``."""
        if self.sum_squared_weights is None:
            return Counts(int(self.detractors[i]), int(self.passives[i]), int(self.promoters[i]))
        split = self.squared_weights
        return Counts(
            float(self.detractors[i]),
            float(self.passives[i]),
            float(self.promoters[i]),
            float(self.sum_squared_weights[i]),
            None if split is None else tuple(float(x) for x in split[i]),
            None if split is None else int(self.n[i]),
        )

    def where(self, mask: np.ndarray) -> Counts:
        """The answers of the groups selected by ``mask``, merged into one :class:`Counts`."""
        if self.sum_squared_weights is None:
            return Counts(
                int(self.detractors[mask].sum()),
                int(self.passives[mask].sum()),
                int(self.promoters[mask].sum()),
            )
        split = self.squared_weights
        return Counts(
            float(self.detractors[mask].sum()),
            float(self.passives[mask].sum()),
            float(self.promoters[mask].sum()),
            float(self.sum_squared_weights[mask].sum()),
            None if split is None else tuple(float(x) for x in split[mask].sum(axis=0)),
            None if split is None else int(self.n[mask].sum()),
        )

    def total(self) -> Counts:
        return self.where(np.ones(len(self), dtype=bool))

    def regroup(self, codes: np.ndarray, keys: Sequence[Hashable] | np.ndarray) -> GroupedCounts:
        """Sum group ``i`` into new group ``codes[i]`` (−1: leave it out), e.g. distinct raw
        dates into calendar months, or distinct comments into themes' groups."""
        codes = np.asarray(codes, dtype=np.intp)
        size = len(keys)
        slot = np.where(codes >= 0, codes, size)

        def add(values: np.ndarray) -> np.ndarray:
            summed = np.bincount(slot, weights=values, minlength=size + 1)[:size]
            return summed if values.dtype.kind == "f" else np.rint(summed).astype(np.int64)

        ssw, split = self.sum_squared_weights, self.squared_weights
        return GroupedCounts(
            _object_array(keys),
            add(self.n),
            add(self.detractors),
            add(self.passives),
            add(self.promoters),
            add(self.blank),
            add(self.invalid),
            None if ssw is None else add(ssw),
            None if split is None else np.column_stack([add(split[:, k]) for k in range(3)]),
        )

    def __add__(self, other: GroupedCounts) -> GroupedCounts:
        if not isinstance(other, GroupedCounts):
            return NotImplemented
        if self.weighted != other.weighted:
            raise ValueError("Cannot add weighted and unweighted grouped counts.")
        keys = list(dict.fromkeys([*self.keys.tolist(), *other.keys.tolist()]))
        index = {k: i for i, k in enumerate(keys)}
        a = self.regroup(np.array([index[k] for k in self.keys.tolist()]), keys)
        b = other.regroup(np.array([index[k] for k in other.keys.tolist()]), keys)
        ssw = split = None
        if a.sum_squared_weights is not None and b.sum_squared_weights is not None:
            ssw = a.sum_squared_weights + b.sum_squared_weights
        if a.squared_weights is not None and b.squared_weights is not None:
            split = a.squared_weights + b.squared_weights
        return GroupedCounts(
            a.keys,
            a.n + b.n,
            a.detractors + b.detractors,
            a.passives + b.passives,
            a.promoters + b.promoters,
            a.blank + b.blank,
            a.invalid + b.invalid,
            ssw,
            split,
        )

    def to_frame(self) -> pd.DataFrame:
        """One row per group: ``group, n, detractors, passives, promoters, blank, invalid``
        (and ``sum_squared_weights`` when weighted, with ``squared_weights_detractors`` …
        ``squared_weights_promoters`` when the groups carry the split)."""
        out = pd.DataFrame(
            {
                "group": self.keys,
                "n": self.n,
                "detractors": self.detractors,
                "passives": self.passives,
                "promoters": self.promoters,
                "blank": self.blank,
                "invalid": self.invalid,
            }
        )
        if self.sum_squared_weights is not None:
            out["sum_squared_weights"] = self.sum_squared_weights
        if self.squared_weights is not None:
            for k, name in enumerate(("detractors", "passives", "promoters")):
                out[f"squared_weights_{name}"] = self.squared_weights[:, k]
        return out


def _object_array(keys: Sequence[Hashable] | np.ndarray) -> np.ndarray:
    out = np.empty(len(keys), dtype=object)
    out[:] = list(keys) if not isinstance(keys, np.ndarray) else keys
    return out
