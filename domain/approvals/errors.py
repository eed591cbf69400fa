"""Why an approval command is refused: one error class per stable code."""

from __future__ import annotations

from domain.approvals.values import Refusal
from domain.shared import (
    ConflictError,
    DomainError,
    NotEntitledError,
    ValidationError,
)


class StepClosedError(ConflictError):
    """The step is not open for this action."""

    code = "step-closed"
    title = "The step is not open"


class AlreadyDecidedError(ConflictError):
    """This person or OPD has already decided the step."""

    code = "already-decided"
    title = "Already decided"


class RequestClosedError(ConflictError):
    """The request is no longer in progress."""

    code = "request-closed"
    title = "The approval request is closed"


class InvalidRouteError(ValidationError):
    """The route of steps cannot be used."""

    code = "invalid-route"
    title = "The approval route is not valid"

    def __init__(self, message: str) -> None:
        super().__init__("route", message)


class UnknownOutcomeError(ValidationError):
    """A decision must be approve, reject or return."""

    code = "unknown-outcome"

    def __init__(self, message: str) -> None:
        super().__init__("outcome", message)


class WrongOpdError(NotEntitledError):
    """The OPD is not asked to decide this step."""

    code = "wrong-opd"


class NotHeadError(NotEntitledError):
    """Only an OPD head (or Plt./Plh.) decides a step."""

    code = "not-head"


class ActingRestrictedError(NotEntitledError):
    """A Plt./Plh. may not decide strategic or budget matters."""

    code = "acting-restricted"


class FourEyesError(NotEntitledError):
    """The submitter may not decide their own request."""

    code = "four-eyes"


class NotSubmitterError(NotEntitledError):
    """Only the submitter or the owner OPD may resubmit."""

    code = "not-submitter"


#: The error of each refusal code the approval rules give (see ``error_for``).
REFUSALS: dict[str, type[DomainError]] = {
    e.code: e
    for e in (
        RequestClosedError,
        NotSubmitterError,
        StepClosedError,
        AlreadyDecidedError,
        UnknownOutcomeError,
        WrongOpdError,
        NotHeadError,
        ActingRestrictedError,
        FourEyesError,
    )
}


def error_for(refusal: Refusal, unknown: type[DomainError] = NotEntitledError) -> DomainError:
    """The error that says ``refusal``; a code the approvals do not know is ``unknown``."""
    if refusal.code == ValidationError.code:
        return ValidationError(refusal.field or "request", refusal.message)
    if refusal.code == InvalidRouteError.code:
        return InvalidRouteError(refusal.message)
    return REFUSALS.get(refusal.code, unknown)(refusal.message)
