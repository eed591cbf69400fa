"""Citizens' surveys for the Impact dimension: the secretariat opens one, citizens answer once."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends

from api.deps import Allow, app_of
from api.policy import Caller
from api.readmodels import Fresh
from api.routes.calendar import CityCheck
from api.schemas import CommandResult, links
from api.schemas.evaluation import OpenSurvey, SurveyAnswer, SurveyCountsOut, SurveyOpened
from domain.evaluation import EvaluationApplication
from projections.engine.viewstore import ViewStore
from projections.views.evaluation.survey import SurveyView, survey_counts

router = APIRouter(prefix="/surveys", tags=["evaluation"])

Evaluations = Annotated[EvaluationApplication, Depends(app_of(EvaluationApplication))]


@router.post("", status_code=201, responses=links.SURVEY_OPENED)
def open_survey(
    body: OpenSurvey,
    caller: Annotated[Caller, Allow("survey:open")],
    app: Evaluations,
    served: CityCheck,
) -> SurveyOpened:
    """Open a survey of one program; the answer lists the respondent codes, shown only once."""
    served(body.city_code)
    campaign_id, codes, position = app.open_campaign(**body.model_dump(), by=caller.actor())
    return SurveyOpened(id=str(campaign_id), position=position, codes=codes)


@router.post("/{campaign_id}/responses")
def answer_survey(
    campaign_id: uuid.UUID,
    body: SurveyAnswer,
    caller: Annotated[Caller, Allow("survey:respond")],
    app: Evaluations,
) -> CommandResult:
    """Answer a survey with the code you received; each code answers once."""
    position = app.respond(campaign_id, respondent_code=body.code, rating=body.rating,
                           comment=body.comment, kelurahan=body.kelurahan,
                           by=caller.actor())  # fmt: skip
    return CommandResult(position=position)


@router.get("/{campaign_id}/counts")
def counts(
    campaign_id: uuid.UUID,
    caller: Annotated[Caller, Allow("survey:read")],
    views: Annotated[ViewStore, Fresh(SurveyView.name)],
) -> SurveyCountsOut:
    """How many answered, the mean rating and the distribution (comments are not shown)."""
    return SurveyCountsOut(**asdict(survey_counts(views, str(campaign_id))))
