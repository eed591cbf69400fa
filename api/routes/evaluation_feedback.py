"""Citizens' feedback on published programs, and the secretariat's moderation of comments."""

from __future__ import annotations

import uuid
from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.deps import Allow, app_of
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.schemas import CommandResult
from api.schemas.evaluation_citizens import (
    CommentOut,
    GiveFeedback,
    Moderate,
    ProgramFeedbackOut,
    RatingsOut,
)
from api.schemas.params import IdempotencyKeyHeader
from domain.evaluation import EvaluationApplication
from domain.plan import PlanApplication
from domain.plan.values import PlanStatus
from domain.shared import NotFoundError
from projections.engine.viewstore import ViewStore
from projections.views.evaluation.comments import CommentsView, approved_ratings, pending, shown

router = APIRouter(tags=["citizens"])

Evaluations = Annotated[EvaluationApplication, Depends(app_of(EvaluationApplication))]
Plans = Annotated[PlanApplication, Depends(app_of(PlanApplication))]
Comments = Annotated[ViewStore, Fresh(CommentsView.name)]
Moderator = Annotated[Caller, Allow("feedback:moderate")]
CommentReader = Annotated[Caller, Allow("feedback:read")]


def published_program_code(plans: Plans, program_id: uuid.UUID) -> str:
    """The code of a program of a published (approved) plan; else 404, as for the public."""
    try:
        program = plans.get_program(program_id)
        published = plans.get_plan(program.plan_id).status != PlanStatus.DRAFT
    except NotFoundError:
        published = False
    if not published:
        raise ProblemError(404, "not-found", "No such published program",
                           "Feedback is given on a program of a published plan.")  # fmt: skip
    return str(program.code)


@router.post("/feedback", status_code=201)
def give_feedback(
    body: GiveFeedback,
    caller: Annotated[Caller, Allow("feedback:give")],
    app: Evaluations,
    plans: Plans,
    response: Response,
    idempotency_key: IdempotencyKeyHeader = None,
) -> CommandResult:
    """Rate a published program, with a comment: shown once the secretariat approves it."""
    program_id = uuid.UUID(body.program_id)
    code = published_program_code(plans, program_id)
    feedback_id, position = app.give_feedback(
        program_id, program_code=code, key=idempotency_key or str(uuid.uuid4()),
        rating=body.rating, comment=body.comment, kelurahan=body.kelurahan, by=caller.actor(),
    )  # fmt: skip
    return CommandResult(position=position, id=str(feedback_id))


@router.get("/feedback/programs/{program_id}")
def program_feedback(
    program_id: uuid.UUID, caller: CommentReader, views: Comments
) -> ProgramFeedbackOut:
    """A program's approved feedback and ratings (pending and rejected ones are never shown)."""
    comments = [CommentOut(**asdict(c)) for c in shown(views, str(program_id))]  # type: ignore[arg-type]
    ratings = RatingsOut(**asdict(approved_ratings(views, str(program_id))))
    return ProgramFeedbackOut(program_id=str(program_id), ratings=ratings, comments=comments)


@router.get("/surveys/{campaign_id}/comments")
def survey_comments(
    campaign_id: uuid.UUID, caller: CommentReader, views: Comments
) -> list[CommentOut]:
    """A survey's approved comments (pending and rejected ones are never shown)."""
    return [CommentOut(**asdict(c)) for c in shown(views, str(campaign_id))]  # type: ignore[arg-type]


@router.get("/feedback/pending")
def moderation_queue(caller: Moderator, views: Comments) -> list[CommentOut]:
    """Feedback and survey comments awaiting the secretariat's decision, oldest first."""
    return [CommentOut(**asdict(c)) for c in pending(views)]  # type: ignore[arg-type]


@router.post("/feedback/{comment_id}/moderation")
def moderate(
    comment_id: uuid.UUID, body: Moderate, caller: Moderator, app: Evaluations
) -> CommandResult:
    """Approve or reject a feedback or a survey comment; a rejected one is never shown."""
    position = app.moderate(
        comment_id, decision=body.decision, reason=body.reason, by=caller.actor()
    )
    return CommandResult(position=position or 0, id=str(comment_id))
