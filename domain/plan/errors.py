"""The refusals of the plan context."""

from __future__ import annotations

from domain.shared import DomainError, ValidationError


class InvalidTransitionError(DomainError):
    """The thing is not in a state where this step is allowed."""

    code = "invalid-transition"
    title = "Not allowed in the current state"


class BaselineLockedError(InvalidTransitionError):
    """The plan is approved: its content changes only through an approved revision."""

    code = "baseline-locked"
    title = "The approved plan changes only through a revision"


class UnknownAspectError(ValidationError):
    """A program names an aspect the master plan does not have."""

    code = "unknown-aspect"
    title = "Not an aspect of this master plan"


class ProgressDecreaseError(ValidationError):
    """Progress went down without a reason."""

    code = "progress-decrease-needs-reason"
    title = "A lower progress needs a reason"
