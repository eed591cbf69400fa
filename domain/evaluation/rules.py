"""The rules of the yearly evaluation: dimensions, weights, scores, evidence and the index.

The achievement index is ``sum(weight x dimension score) / 100``; a dimension's score is
the mean of its items' final scores, and an item's final score is the mean of the scores
its assessors gave it. Weights are set per year (the published sets differ) and must be
finite, from 0 to 100, and add up to 100.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from domain.shared import ValidationError

#: The five dimensions of the evaluation, in the order the ministry lists them.
DIMENSIONS = ("baseline", "output", "outcome", "impact", "quick-win")
#: The kinds of evidence an item carries: a document by reference, or an uploaded file.
EVIDENCE_KINDS = ("document", "file")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")
#: Weights are percents; a sum within this of 100 counts as 100 (10.1 + 19.9 in floats).
_TOLERANCE = 1e-9


def _number(field: str, value: object, what: str) -> float:
    """``value`` as a finite float, or ``ValidationError``."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValidationError(field, f"{what} must be a finite number, not {value!r}.")
    return float(value)


def checked_weights(weights: Mapping[str, object]) -> dict[str, float]:
    """The weight of each of the five dimensions, finite, 0 to 100, adding up to 100."""
    unknown = sorted(set(weights) - set(DIMENSIONS))
    if unknown:
        raise ValidationError("weights", f"'{unknown[0]}' is not a dimension of the evaluation.")
    missing = [d for d in DIMENSIONS if d not in weights]
    if missing:
        raise ValidationError(
            "weights", f"Give a weight for every dimension; {missing[0]} has none."
        )
    found = {d: _number("weights", weights[d], f"The weight of {d}") for d in DIMENSIONS}
    for dimension, weight in found.items():
        if not 0 <= weight <= 100:
            raise ValidationError("weights", f"The weight of {dimension} must be from 0 to 100.")
    total = sum(found.values())
    if abs(total - 100) > _TOLERANCE:
        raise ValidationError("weights", f"The weights add up to {total:g}, not 100.")
    return found


def checked_dimension(dimension: str) -> str:
    """``dimension`` when it is one of the five, else ``ValidationError``."""
    if dimension not in DIMENSIONS:
        raise ValidationError(
            "dimension", f"'{dimension}' is not a dimension; use one of {', '.join(DIMENSIONS)}."
        )
    return dimension


def checked_score(score: object) -> float:
    """A score: a finite number from 0 to 100."""
    value = _number("score", score, "A score")
    if not 0 <= value <= 100:
        raise ValidationError("score", f"A score is from 0 to 100, not {value:g}.")
    return value


def check_evidence(
    kind: str, title: str, document_number: str, link: str, sha256: str, size: int, filename: str
) -> None:
    """Refuse evidence that does not say what it is and where it is found."""
    if kind not in EVIDENCE_KINDS:
        raise ValidationError("kind", f"Evidence is a document or a file, not '{kind}'.")
    if not title.strip():
        raise ValidationError("title", "Give the evidence a title.")
    if kind == "document" and not (document_number.strip() or link.strip()):
        raise ValidationError("document_number", "A document needs its number or a link.")
    if kind == "file":
        if not _SHA256.match(sha256):
            raise ValidationError("sha256", "A file's SHA-256 is 64 lower-case hex digits.")
        if isinstance(size, bool) or size <= 0:
            raise ValidationError("size", "A file's size is a positive number of bytes.")
        if not filename.strip():
            raise ValidationError("filename", "Give the file's name.")


def mean(values: Iterable[float]) -> float | None:
    """The mean of ``values``, or None when there are none."""
    found = list(values)
    return sum(found) / len(found) if found else None


@dataclass(frozen=True)
class DimensionResult:
    """One dimension: its weight, items, items scored and score (None while none is scored)."""

    dimension: str
    weight: float
    items: int
    scored_items: int
    score: float | None

    @property
    def contribution(self) -> float:
        """What the dimension adds to the index: weight x score / 100 (0 while unscored)."""
        return self.weight * (self.score or 0.0) / 100


def dimension_results(
    weights: Mapping[str, float], item_scores: Mapping[str, tuple[str, list[float]]]
) -> list[DimensionResult]:
    """Each dimension's score: the mean of its scored items' final scores (mean of assessors).

    ``item_scores`` maps an item code to (dimension, the scores its assessors gave).
    """
    results = []
    for dimension in DIMENSIONS:
        finals = [
            final
            for d, scores in item_scores.values()
            if d == dimension and (final := mean(scores)) is not None
        ]
        items = sum(1 for d, _ in item_scores.values() if d == dimension)
        results.append(
            DimensionResult(dimension, weights[dimension], items, len(finals), mean(finals))
        )
    return results


def achievement_index(results: Iterable[DimensionResult]) -> float:
    """The index: sum(weight x dimension score) / 100; an unscored dimension adds 0."""
    return sum(result.contribution for result in results)


def achieved(approved_percent: float) -> bool:
    """A milestone is achieved when its progress was approved at 100%."""
    return approved_percent >= 100


def weighted_mean(pairs: Iterable[tuple[float, float]]) -> float | None:
    """The mean of (weight, value) pairs, weighted; None when the weights add up to nothing."""
    found = list(pairs)
    total = sum(weight for weight, _ in found)
    return sum(weight * value for weight, value in found) / total if total > 0 else None
