"""The citizens' side of the evaluation: survey campaigns and answers, feedback, moderation.

A part of ``EvaluationApplication`` (one application per context), kept apart because it
changes for other reasons than the year's evaluation.
"""

from __future__ import annotations

import uuid

from eventsourcing.application import AggregateNotFoundError

from domain.evaluation.feedback import Feedback, checked_feedback
from domain.evaluation.survey import (
    AlreadyAnsweredError,
    SurveyCampaign,
    SurveyResponse,
    check_response,
    code_hash,
    new_codes,
)
from domain.shared import (
    Actor,
    AlreadyExistsError,
    JejakApplication,
    NotFoundError,
    ValidationError,
)


class CitizensCommands(JejakApplication):
    """Surveys, feedback and their moderation; every command returns its log position."""

    def open_campaign(
        self,
        *,
        city_code: str,
        campaign_code: str,
        year: int,
        program: str,
        question: str,
        respondents: int,
        by: Actor,
    ) -> tuple[uuid.UUID, list[str], int]:
        """Open a citizens' survey of one program; its id, the respondent codes, the position.

        The codes are answered only here: the log keeps their SHA-256.
        """
        if not campaign_code.strip() or not program.strip() or not question.strip():
            raise ValidationError("campaign_code", "A survey needs a code, a program, a question.")
        if isinstance(respondents, bool) or not 1 <= respondents <= 100_000:
            raise ValidationError("respondents", "A survey has 1 to 100,000 respondents.")
        city, code = city_code.strip().upper(), campaign_code.strip().upper()
        codes = new_codes(respondents)
        campaign = SurveyCampaign(
            city_code=city, campaign_code=code, year=year, program=program.strip(),
            question=question.strip(), code_hashes=sorted(code_hash(c) for c in codes),
            id=SurveyCampaign.create_id(city, code), **by.attribution(),
        )  # fmt: skip
        position = self.save_new(campaign, what=f"The survey {code}")
        return campaign.id, codes, position

    def respond(
        self,
        campaign_id: uuid.UUID,
        *,
        respondent_code: str,
        rating: int,
        comment: str = "",
        kelurahan: str = "",
        by: Actor,
    ) -> int:
        """Record one respondent's answer once; the same code again is ``AlreadyAnsweredError``."""
        rating = check_response(respondent_code, rating, comment, kelurahan)
        campaign = self.campaign(campaign_id)
        campaign.check_code(respondent_code)
        response = SurveyResponse(
            campaign_id=campaign_id, rating=rating, comment=comment.strip(),
            kelurahan=kelurahan.strip(),
            id=SurveyResponse.create_id(campaign_id, code_hash(respondent_code)),
            **by.attribution(),
        )  # fmt: skip
        try:
            return self.save_new(response, what="An answer with this survey code")
        except AlreadyExistsError:
            raise AlreadyAnsweredError(
                "This survey code has already been used to answer."
            ) from None

    def campaign(self, campaign_id: uuid.UUID) -> SurveyCampaign:
        """The survey campaign with this id, or ``NotFoundError``."""
        return self.get(campaign_id, SurveyCampaign, "The survey")

    def give_feedback(
        self, program_id: uuid.UUID, *, program_code: str, key: str, rating: int,
        comment: str = "", kelurahan: str = "", by: Actor,
    ) -> tuple[uuid.UUID, int]:  # fmt: skip
        """Record a citizen's feedback on a program, pending moderation; its id and position.

        The same ``key`` again is the same feedback: its id and the log's position.
        """
        rating = checked_feedback(rating, comment, kelurahan)
        feedback = Feedback(
            program_id=program_id, program_code=program_code, rating=rating,
            comment=comment.strip(), kelurahan=kelurahan.strip(),
            id=Feedback.create_id(program_id, key), **by.attribution(),
        )  # fmt: skip
        try:
            return feedback.id, self.save_new(feedback, what="This feedback")
        except AlreadyExistsError:
            return feedback.id, self.recorder.max_notification_id() or 0

    def moderate(
        self, comment_id: uuid.UUID, *, decision: str, reason: str = "", by: Actor
    ) -> int | None:
        """Approve or reject a feedback or a survey answer's comment; None when so decided."""
        found: object
        try:
            found = self.repository.get(comment_id)
        except AggregateNotFoundError:
            found = None
        if not isinstance(found, Feedback | SurveyResponse):
            raise NotFoundError("There is no feedback or survey comment with this id.")
        return self.run_once(found, found.moderate, decision, reason, **by.attribution())
