"""The yearly smart-city evaluation: weights, items, evidence, assessors' scores, the index."""

from domain.evaluation.application import EvaluationApplication, YearResult
from domain.evaluation.errors import AlreadyScoredError, ScoreIdReusedError, UnknownItemError
from domain.evaluation.rules import DIMENSIONS, DimensionResult, achievement_index, checked_weights
from domain.evaluation.values import Evidence, Item, Score
from domain.evaluation.year import EvaluationYear

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
