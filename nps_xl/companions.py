"""The metrics people report next to the NPS: CSAT, CES and CRR.

Source guide 000 (zh-Hans, "NPS与其他指标", also 002 lt and 004 bg) names them as the companions
of the NPS: CSAT measures satisfaction with one interaction or product on a 1–5 or 1–10 scale,
CES the effort a customer had to make, CRR the share of customers who stay. It gives no
formulas; the ones below are the usual published definitions, cited on each function.
"""

from __future__ import annotations

import math

import numpy as np

from nps_xl.scores import Scale, parse_scores

__all__ = ["DEFAULT_SATISFIED_MIN", "ces", "crr", "csat"]

#: Lowest rating counted as "satisfied" when ``satisfied_min`` is not given: the top two boxes
#: of a 5- or 7-point scale, the top three (8–10) of a 10-point scale.
DEFAULT_SATISFIED_MIN = {5: 4, 7: 6, 10: 8}


def _ratings(ratings: object, scale_min: int, scale_max: int, invalid: str) -> np.ndarray:
    # A Scale is only used here for its ends: parse_scores checks min..max and whole numbers.
    scale = Scale(scale_min, scale_min, scale_min, scale_max, name=f"{scale_min}-{scale_max}")
    parsed = parse_scores(ratings, scale=scale, invalid=invalid)
    if parsed.n == 0:
        raise ValueError(
            f"No valid rating: there is no answer on the {scale} scale to compute from "
            f"({parsed.blank} blank, {parsed.invalid} invalid). Blank cells are ignored."
        )
    return parsed.scores


def _whole(value: object, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
        raise TypeError(f"{name} must be a whole number, got {value!r}.")
    if not float(value).is_integer():
        raise ValueError(f"{name} must be a whole number, got {value!r}.")
    return int(value)


def csat(
    ratings: object,
    *,
    scale_max: int = 5,
    satisfied_min: int | None = None,
    invalid: str = "error",
) -> float:
    """Customer Satisfaction Score: the percentage of ratings that are "satisfied".

    ``CSAT = 100 × (ratings ≥ satisfied_min) / valid ratings``, on a 1..``scale_max`` scale.
    By default the satisfied answers are 4–5 on a 1–5 scale (the "top two boxes"), 6–7 on 1–7
    and 8–10 on 1–10; other scales need ``satisfied_min``. This is the definition used by
    e.g. SurveyMonkey, Qualtrics and HubSpot ("percentage of satisfied customers"); source
    guide 000 names the 1–5 and 1–10 scales. Example: ratings 5, 4, 3, 2, 5 → 3 of 5 → 60.

    Ratings are read like NPS answers (``scores.parse_scores``): blanks are ignored, labelled
    text ("4 - Satisfied") is read, anything else is invalid (``invalid="error"`` raises,
    ``"skip"`` leaves it out).
    """
    top = _whole(scale_max, "scale_max")
    if top < 2:
        raise ValueError(f"scale_max must be at least 2, got {scale_max!r}.")
    if satisfied_min is None:
        if top not in DEFAULT_SATISFIED_MIN:
            raise ValueError(
                f"Give satisfied_min for a 1–{top} scale (the lowest rating that counts as "
                "satisfied); defaults exist for 1–5 (4), 1–7 (6) and 1–10 (8)."
            )
        threshold = DEFAULT_SATISFIED_MIN[top]
    else:
        threshold = _whole(satisfied_min, "satisfied_min")
        if not 1 <= threshold <= top:
            raise ValueError(
                f"satisfied_min must be between 1 and scale_max ({top}), got {satisfied_min!r}."
            )
    scores = _ratings(ratings, 1, top, invalid)
    return 100.0 * float(np.count_nonzero(scores >= threshold)) / len(scores)


def ces(ratings: object, *, scale_max: int = 7, invalid: str = "error") -> float:
    """Customer Effort Score: the mean rating on a 1..``scale_max`` effort scale (default 1–7).

    ``CES = Σ ratings / valid ratings``. The metric is from Dixon, Freeman and Toman, "Stop
    Trying to Delight Your Customers", *Harvard Business Review*, July–August 2010 (CEB, now
    Gartner); its "CES 2.0" asks how much one agrees that "the company made it easy for me to
    handle my issue" on 1 (strongly disagree) to 7 (strongly agree), so higher means less
    effort. Read the direction from your own question. Example: 7, 6, 5, 2 → 5.
    """
    top = _whole(scale_max, "scale_max")
    if top < 2:
        raise ValueError(f"scale_max must be at least 2, got {scale_max!r}.")
    return float(np.mean(_ratings(ratings, 1, top, invalid)))


def crr(start: float, end: float, new: float) -> float:
    """Customer Retention Rate in percent: ``CRR = (end − new) / start × 100``.

    ``start`` customers at the start of the period, ``end`` at its end, ``new`` won during it
    (the standard retention-rate formula; source guide 000/004 describe CRR as the share of
    customers who keep doing business with you). Example: start 200, end 210, new 30 → 90.
    """
    values = {}
    for name, value in (("start", start), ("end", end), ("new", new)):
        if isinstance(value, bool) or not isinstance(value, (int, float, np.number)):
            raise TypeError(f"{name} must be a number of customers, got {value!r}.")
        if not math.isfinite(value) or value < 0:
            raise ValueError(f"{name} must be a number of customers ≥ 0, got {value!r}.")
        values[name] = float(value)
    if values["start"] == 0:
        raise ValueError("start must be above 0: with no customers at the start, none stayed.")
    if values["new"] > values["end"]:
        raise ValueError(
            f"new ({new!r}) cannot exceed end ({end!r}): the customers at the end include "
            "the new ones."
        )
    retained = values["end"] - values["new"]
    if retained > values["start"]:
        raise ValueError(
            f"end − new = {retained:g} customers kept, more than the {values['start']:g} at the "
            "start. Check the three numbers (new must count every customer won in the period)."
        )
    rate = 100.0 * retained / values["start"]
    # near the largest float 100 × retained overflows; retained ≤ start, so divide first
    return rate if math.isfinite(rate) else 100.0 * (retained / values["start"])
