"""The yearly smart-city evaluation: weights, items, evidence, assessors' scores, the index."""

from domain.evaluation.application import EvaluationApplication, YearResult
from domain.evaluation.model import EvaluationYear
from domain.evaluation.rules import (
    DIMENSIONS,
    AlreadyScoredError,
    DimensionResult,
    ScoreIdReusedError,
    UnknownItemError,
    achievement_index,
    checked_weights,
)
from domain.evaluation.values import Evidence, Item, Score

__all__ = [
    "DIMENSIONS",
    "AlreadyScoredError",
    "DimensionResult",
    "EvaluationApplication",
    "EvaluationYear",
    "Evidence",
    "Item",
    "Score",
    "ScoreIdReusedError",
    "UnknownItemError",
    "YearResult",
    "achievement_index",
    "checked_weights",
]
