"""Why a deadline command is refused."""

from __future__ import annotations

from domain.shared import ValidationError


class UnknownDeadlineKindError(ValidationError):
    """Only milestones, deliverables and commitments have tracked deadlines."""

    code = "unknown-deadline-kind"
    title = "Not a kind of deadline"

    def __init__(self, kind: str) -> None:
        super().__init__(
            "kind", f"'{kind}' is not a kind of deadline (milestone, deliverable, commitment)."
        )


class EscalationLevelError(ValidationError):
    """An escalation goes to level 1 (Sekda) or 2 (Inspektorat)."""

    code = "invalid-escalation-level"
    title = "Not an escalation level"

    def __init__(self, level: int) -> None:
        super().__init__(
            "level", f"Escalation goes to level 1 (Sekda) or 2 (Inspektorat), not {level}."
        )
