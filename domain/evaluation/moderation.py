"""Moderating what citizens write: the secretariat approves a comment before anyone sees it.

A feedback and a survey answer's comment start ``pending``; the secretariat approves or
rejects each once. A rejected one is never shown; the same decision again changes nothing,
the other decision is refused (409).
"""

from __future__ import annotations

from enum import StrEnum

from domain.shared import ConflictError, DomainError, ValidationError


class Moderation(StrEnum):
    """Where a citizen's comment stands (stored in events: never rename)."""

    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"


class AlreadyModeratedError(ConflictError):
    """The comment was already approved or rejected, the other way."""

    code = "already-moderated"
    title = "Already moderated"


def moderation_refusal(current: str, decision: str, reason: str) -> DomainError | None:
    """Refuse an unknown decision, a rejection without a reason, or a change of mind."""
    if decision not in (Moderation.APPROVED, Moderation.REJECTED):
        return ValidationError("decision", "Decide 'approved' or 'rejected'.")
    if decision == Moderation.REJECTED and not reason.strip():
        return ValidationError("reason", "Say why the comment is rejected.")
    if len(reason) > 500:
        return ValidationError("reason", "The reason is at most 500 characters.")
    if current not in (Moderation.PENDING, decision):
        return AlreadyModeratedError(f"This comment was already {current}.")
    return None
