"""The refusals of the evaluation context."""

from __future__ import annotations

from domain.shared import AlreadyExistsError, DomainError, NotFoundError


class UnknownItemError(NotFoundError):
    """The evaluation year has no item with this code."""

    code = "unknown-evaluation-item"
    title = "No such evaluation item"


class AlreadyScoredError(AlreadyExistsError):
    """This assessor already scored this item; a score is given once."""

    code = "already-scored"
    title = "Already scored"


class ScoreIdReusedError(DomainError):
    """A score id was used before for another item or by another assessor."""

    code = "score-id-reused"
    title = "This score id was used for another score"
