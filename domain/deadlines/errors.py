"""Why a deadline command is refused."""

from __future__ import annotations

from domain.shared import ValueRefusedError


class UnknownDeadlineKindError(ValueRefusedError):
    """Only milestones, deliverables and commitments have tracked deadlines."""

    code = "unknown-deadline-kind"
    title = "Not a kind of deadline"
    FIELD = "kind"
    MESSAGE = "'{}' is not a kind of deadline (milestone, deliverable, commitment)."


class EscalationLevelError(ValueRefusedError):
    """An escalation goes to level 1 (Sekda) or 2 (Inspektorat)."""

    code = "invalid-escalation-level"
    title = "Not an escalation level"
    FIELD = "level"
    MESSAGE = "Escalation goes to level 1 (Sekda) or 2 (Inspektorat), not {}."
