"""The refusals of the bimtek context."""

from __future__ import annotations

from domain.shared import AlreadyExistsError, DomainError, NotEntitledError, NotFoundError


class NotInvitedError(NotEntitledError):
    """The OPD was not invited to this stage."""

    code = "opd-not-invited"
    title = "The OPD was not invited"


class DeliverableNotFoundError(NotFoundError):
    """No deliverable with this id was assigned at this stage."""

    code = "deliverable-not-found"
    title = "Deliverable not found"


class DeliverableAlreadyAssignedError(AlreadyExistsError):
    """A deliverable with this id was already assigned at this stage."""

    code = "deliverable-already-assigned"
    title = "Deliverable already assigned"


class DeliverableStatusError(DomainError):
    """The deliverable is not in a state that allows this step."""

    code = "deliverable-wrong-status"
    title = "Not possible in the deliverable's current state"
