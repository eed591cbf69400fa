"""The refusals of the commitments context."""

from __future__ import annotations

from domain.shared import AlreadyExistsError, DomainError, NotFoundError


class AlreadySignedError(AlreadyExistsError):
    """This person already signed in the current signing round."""

    code = "already-signed"
    title = "Already signed"


class NotSignedError(NotFoundError):
    """This person has not signed in the current signing round."""

    code = "not-signed"
    title = "Not signed"


class CommitmentClosedError(DomainError):
    """The commitment was withdrawn; nothing more can be signed or changed."""

    code = "commitment-closed"
    title = "The commitment was withdrawn"
