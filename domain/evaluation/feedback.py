"""Citizens' feedback on a published program: a rating and a comment, shown once approved.

Feedback is its own aggregate, one per submission: its id comes from the program and the
submission's key (the Idempotency-Key), so a retried submission is the same feedback. No
personal data is kept beyond an optional kelurahan. The secretariat moderates it
(``domain.evaluation.moderation``); the read model shows approved feedback only.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.evaluation.moderation import Moderation, moderation_refusal
from domain.evaluation.process import check
from domain.evaluation.survey import check_response
from domain.shared import JejakAggregate, natural_id

_TOPIC = "jejak.evaluation:Feedback"


class Feedback(JejakAggregate):
    """A citizen's rating (1 to 5) and comment on one program of a published plan."""

    TOPIC = _TOPIC

    @staticmethod
    def create_id(program_id: uuid.UUID, key: str) -> uuid.UUID:
        """The id of the feedback submitted on ``program_id`` under ``key``."""
        return natural_id("feedback", program_id.hex, key)

    @event("Created", topic=f"{_TOPIC}.Created")
    def __init__(
        self,
        program_id: uuid.UUID,
        program_code: str,
        rating: int,
        comment: str,
        kelurahan: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
        id: uuid.UUID | None = None,
    ) -> None:
        self.program_id, self.program_code = program_id, program_code
        self.rating, self.comment, self.kelurahan = rating, comment, kelurahan
        self.moderation: str = Moderation.PENDING

    def moderate(self, decision: str, reason: str, **by: Any) -> bool:
        """Approve or reject the feedback; False when so decided already."""
        check(moderation_refusal(self.moderation, decision, reason))
        if self.moderation == decision:
            return False
        self._moderated(decision=decision, reason=reason.strip(), **by)
        return True

    @event("Moderated", topic=f"{_TOPIC}.Moderated")
    def _moderated(
        self, decision: str, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.moderation = decision


def checked_feedback(rating: object, comment: str, kelurahan: str) -> int:
    """The rating of well-formed feedback (the same bounds as a survey answer)."""
    return check_response("FEEDBACK", rating, comment, kelurahan)
