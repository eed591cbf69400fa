"""The rules of the plan: weighted progress, weights, program ids and the aspects of a plan."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence

from domain.plan.values import Aspect
from domain.shared import ValidationError, natural_id
from domain.values import required_text


def weighted_progress(items: Iterable[tuple[float, float]]) -> float:
    """The progress (percent) of (weight, percent) items, weighted; 0.0 when there are none."""
    pairs = list(items)
    total = sum(weight for weight, _ in pairs)
    if total <= 0:
        return 0.0
    return sum(weight * percent for weight, percent in pairs) / total


def positive_weight(weight: float) -> float:
    """``weight`` as a float, or ``ValidationError`` unless it is a number above zero."""
    if isinstance(weight, bool) or not isinstance(weight, int | float) or weight <= 0:
        raise ValidationError("weight", f"The weight must be a number above zero, not {weight!r}.")
    return float(weight)


def program_id_for(plan_id: uuid.UUID, code: str) -> uuid.UUID:
    """The id of program ``code`` of a plan."""
    return natural_id("program", plan_id.hex, code)


def check_aspects(aspects: Sequence[Aspect]) -> None:
    """Refuse an empty list of aspects, blank labels or a repeated id."""
    if not aspects:
        raise ValidationError("aspects", "A master plan needs at least one aspect.")
    ids = [required_text("aspects", a.id, "An aspect id") for a in aspects]
    for a in aspects:
        required_text("aspects", a.label_en, f"The English label of aspect {a.id}")
        required_text("aspects", a.label_id, f"The Indonesian label of aspect {a.id}")
    if len(set(ids)) != len(ids):
        raise ValidationError("aspects", "Each aspect may appear only once.")
