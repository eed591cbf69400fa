"""Citizens' feedback and survey comments: pending until moderated, decided once."""

from __future__ import annotations

import uuid

import pytest

from domain.evaluation import EvaluationApplication
from domain.evaluation.moderation import AlreadyModeratedError, Moderation
from domain.shared import Actor, NotFoundError, ValidationError

CITIZEN = Actor("warga")
ADMIN = Actor("sekretariat.sc")
PROGRAM = uuid.uuid4()


def test_feedback_is_pending_until_approved_and_a_retry_is_the_same_feedback() -> None:
    app = EvaluationApplication()
    first, _ = app.give_feedback(PROGRAM, program_code="P1", key="k", rating=4, comment="Baik",
                                 by=CITIZEN)  # fmt: skip
    again, _ = app.give_feedback(PROGRAM, program_code="P1", key="k", rating=4, comment="Baik",
                                 by=CITIZEN)  # fmt: skip
    assert first == again
    assert app.repository.get(first).moderation == Moderation.PENDING
    assert app.moderate(first, decision="approved", by=ADMIN) is not None
    assert app.moderate(first, decision="approved", by=ADMIN) is None
    with pytest.raises(AlreadyModeratedError):
        app.moderate(first, decision="rejected", reason="Berubah pikiran", by=ADMIN)


def test_a_survey_comment_is_moderated_like_feedback() -> None:
    app = EvaluationApplication()
    campaign, codes, _ = app.open_campaign(
        city_code="SIANTAR", campaign_code="S1", year=2024, program="P1", question="Puas?",
        respondents=1, by=ADMIN,
    )  # fmt: skip
    app.respond(campaign, respondent_code=codes[0], rating=2, comment="Lambat", by=CITIZEN)
    responses = [
        n.originator_id for n in app.recorder.select_notifications(0, 100)
        if n.topic.endswith("SurveyResponse.Created")
    ]  # fmt: skip
    with pytest.raises(ValidationError, match="why"):
        app.moderate(responses[0], decision="rejected", by=ADMIN)
    app.moderate(responses[0], decision="rejected", reason="Kasar", by=ADMIN)
    assert app.repository.get(responses[0]).moderation == Moderation.REJECTED


def test_bad_feedback_and_unknown_ids_are_refused() -> None:
    app = EvaluationApplication()
    with pytest.raises(ValidationError):
        app.give_feedback(PROGRAM, program_code="P1", key="k", rating=0, by=CITIZEN)
    with pytest.raises(NotFoundError):
        app.moderate(uuid.uuid4(), decision="approved", by=ADMIN)
    year_id, _ = app.open_year(city_code="SIANTAR", year=2024, by=ADMIN,
                               weights={"baseline": 20, "output": 20, "outcome": 20,
                                        "impact": 20, "quick-win": 20})  # fmt: skip
    with pytest.raises(NotFoundError):
        app.moderate(year_id, decision="approved", by=ADMIN)  # not a comment
