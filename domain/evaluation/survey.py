"""Citizens' survey for the Impact dimension: one response per respondent code per campaign.

The secretariat opens a campaign with a number of respondent codes (handed out on paper or
in links); only their SHA-256 is kept, so the log holds no code that could be replayed. A
response names its code: one not issued is refused, which bounds the campaign against
ballot stuffing, and a response is its own aggregate whose id comes from (campaign, code),
so a second response with the same code collides instead of counting twice. No personal
data is kept beyond an optional kelurahan. The counts are made by a read model.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.evaluation.moderation import Moderation, moderation_refusal
from domain.shared import (
    AlreadyExistsError,
    DomainError,
    JejakAggregate,
    ValidationError,
    natural_id,
)

_CAMPAIGN = "jejak.evaluation:SurveyCampaign"
_RESPONSE = "jejak.evaluation:SurveyResponse"


class AlreadyAnsweredError(AlreadyExistsError):
    """A response with this respondent code was already counted in this campaign."""

    code = "already-answered"
    title = "This code has already answered"


class UnknownCodeError(DomainError):
    """The code was not issued for this survey."""

    code = "unknown-survey-code"
    title = "Not a code of this survey"


class SurveyCampaign(JejakAggregate):
    """A survey of one program in one year, bounded to a number of respondents."""

    TOPIC = _CAMPAIGN

    @staticmethod
    def create_id(city_code: str, campaign_code: str) -> uuid.UUID:
        """The id of campaign ``campaign_code`` of ``city_code``."""
        return natural_id("survey-campaign", city_code, campaign_code)

    @event("Created", topic=f"{_CAMPAIGN}.Created")
    def __init__(
        self,
        city_code: str,
        campaign_code: str,
        year: int,
        program: str,
        question: str,
        code_hashes: list[str],
        actor: str,
        capacity: str,
        effective_at: datetime,
        id: uuid.UUID | None = None,
    ) -> None:
        self.city_code, self.campaign_code, self.year = city_code, campaign_code, year
        self.program, self.question = program, question
        self.code_hashes = frozenset(code_hashes)

    def check_code(self, respondent_code: str) -> None:
        """Refuse a code this campaign did not issue."""
        if code_hash(respondent_code) not in self.code_hashes:
            raise UnknownCodeError(f"This is not a code of the survey {self.campaign_code}.")


class SurveyResponse(JejakAggregate):
    """One respondent's answer: a rating from 1 to 5, a comment, maybe a kelurahan."""

    TOPIC = _RESPONSE

    @staticmethod
    def create_id(campaign_id: uuid.UUID, respondent_code: str) -> uuid.UUID:
        """The id of the response of ``respondent_code`` (the code itself is not kept)."""
        return natural_id("survey-response", campaign_id.hex, respondent_code)

    @event("Created", topic=f"{_RESPONSE}.Created")
    def __init__(
        self,
        campaign_id: uuid.UUID,
        rating: int,
        comment: str,
        kelurahan: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
        id: uuid.UUID | None = None,
    ) -> None:
        self.campaign_id, self.rating = campaign_id, rating
        self.comment, self.kelurahan = comment, kelurahan
        self.moderation: str = Moderation.PENDING

    def moderate(self, decision: str, reason: str, **by: Any) -> bool:
        """Approve or reject the answer's comment; False when so decided already."""
        refusal = moderation_refusal(self.moderation, decision, reason)
        if refusal is not None:
            raise refusal
        if self.moderation == decision:
            return False
        self._comment_moderated(decision=decision, reason=reason.strip(), **by)
        return True

    @event("CommentModerated", topic=f"{_RESPONSE}.CommentModerated")
    def _comment_moderated(
        self, decision: str, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.moderation = decision


def check_response(respondent_code: str, rating: object, comment: str, kelurahan: str) -> int:
    """The rating of a well-formed response (1 to 5), else ``ValidationError``."""
    if not 4 <= len(respondent_code.strip()) <= 64:
        raise ValidationError("code", "Give the survey code you received (4 to 64 characters).")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError("rating", "The rating is a whole number from 1 to 5.")
    if len(comment) > 2000 or len(kelurahan) > 100:
        raise ValidationError("comment", "The comment is at most 2000 characters.")
    return rating


def code_hash(respondent_code: str) -> str:
    """What the log keeps of a respondent code: its SHA-256."""
    return hashlib.sha256(respondent_code.strip().upper().encode()).hexdigest()


def new_codes(count: int) -> list[str]:
    """``count`` fresh respondent codes, each unguessable (about 50 bits) and easy to type."""
    alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
    return ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(count)]
