"""The evaluation process over HTTP: each step is an update of the year's workflow.

The secretariat starts it and compiles, hands over and publishes; an OPD head declares
their OPD's items filled; the Sekda approves; an assessor scores (once per score id,
derived from the Idempotency-Key). Each answers where the process stands.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from dataclasses import asdict
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request

from api import policy
from api.decisions import unavailable
from api.deps import Allow, AppSettings
from api.policy import Caller
from api.routes.evaluation import Evaluations, Preparer, Reader, score_id
from api.schemas.evaluation_process import (
    HandOver,
    ItemsFilled,
    ProcessOut,
    ProcessScore,
    StartProcess,
)
from api.schemas.params import IdempotencyKeyHeader
from domain.evaluation.process import assign_refusal, check
from workflows.approval.client import WorkerUnavailableError
from workflows.evaluation import client
from workflows.evaluation.inputs import (
    Assignment,
    EvaluationInput,
    EvaluationState,
    FillInput,
    HandOverInput,
    ScoreInput,
    StepInput,
)
from workflows.evaluation.workflow import EvaluationWorkflow

router = APIRouter(prefix="/evaluations/{year_id}/process", tags=["evaluation"])


async def known_year(year_id: uuid.UUID, app: Evaluations) -> uuid.UUID:
    """The year's id once it is known to exist (404 before Temporal is asked)."""
    await asyncio.to_thread(app.get_year, year_id)
    return year_id


#: A year that exists; declared after the caller, so a refused role is 403 either way.
KnownYear = Annotated[uuid.UUID, Depends(known_year)]


async def _answered(request: Request, call: Awaitable[Any]) -> ProcessOut:
    """The step's answer with a log position at or after it; 503 when no worker answers."""
    try:
        found = await call
    except WorkerUnavailableError as error:
        raise unavailable(str(error), int(error.retry_after_seconds)) from None
    except RuntimeError:  # the lazy client could not connect
        raise unavailable("Temporal cannot be reached; try again shortly.") from None
    position = int(await asyncio.to_thread(request.app.state.store.max_position))
    if not isinstance(found, EvaluationState):
        found = await client.state(request.app.state.temporal, request.path_params["year_id"])
    return ProcessOut(**asdict(found), position=position)


def _step(request: Request, year_id: uuid.UUID, update: Any, given: Any,
          update_id: str | None = None) -> Awaitable[Any]:  # fmt: skip
    return client.step(request.app.state.temporal, str(year_id), update, given, update_id)


@router.post("", status_code=201)
async def start(
    year_id: uuid.UUID, body: StartProcess, caller: Preparer, app: Evaluations,
    settings: AppSettings, request: Request,
) -> ProcessOut:  # fmt: skip
    """Start the year's process: each OPD fills its items in ``fill_days`` working days,
    reminded before and escalated after, as for deliverables."""
    year = await asyncio.to_thread(app.get_year, year_id)
    for assignment in body.assignments:  # refused here, before a workflow starts for it
        codes = [code.upper() for code in assignment.item_codes]
        check(assign_refusal(year.stage, codes, year.items, date.today()))
    given = EvaluationInput(
        year_id=str(year_id), city_code=year.city_code, fill_days=body.fill_days,
        assignments=[Assignment(a.opd_code.upper(), list(a.item_codes)) for a in body.assignments],
        opened_by=caller.user,
    )  # fmt: skip
    started = client.start(request.app.state.temporal, settings.temporal_task_queue, given)
    return await _answered(request, started)


@router.get("")
async def where(caller: Reader, year_id: KnownYear, request: Request) -> ProcessOut:
    """Where the year's process stands."""
    return await _answered(request, client.state(request.app.state.temporal, str(year_id)))


@router.post("/filled")
async def filled(
    body: ItemsFilled, caller: Annotated[Caller, Allow("evaluation:fill")], year_id: KnownYear,
    request: Request,
) -> ProcessOut:  # fmt: skip
    """An OPD's head declares its items filled (each must have its evidence)."""
    opd = body.opd_code.upper()
    policy.check(caller, "evaluation:fill", [opd])
    given = FillInput(opd, caller.user, caller.capacity_for(opd))
    return await _answered(request, _step(request, year_id, EvaluationWorkflow.fill, given))


@router.post("/compile")
async def compile_package(caller: Preparer, year_id: KnownYear, request: Request) -> ProcessOut:
    """The secretariat compiles the package once every OPD filled its items."""
    given = StepInput(caller.user, caller.capacity_for())
    return await _answered(request, _step(request, year_id, EvaluationWorkflow.compile, given))


@router.post("/approval")
async def approve(
    caller: Annotated[Caller, Allow("evaluation:approve")], year_id: KnownYear, request: Request
) -> ProcessOut:
    """The Sekda approves the compiled package (the mayor may not: it is the Sekda's)."""
    given = StepInput(caller.user, caller.capacity_for())
    return await _answered(request, _step(request, year_id, EvaluationWorkflow.approve, given))


@router.post("/hand-over")
async def hand_over(
    body: HandOver, caller: Preparer, year_id: KnownYear, request: Request
) -> ProcessOut:
    """The secretariat hands the approved package to these assessors, who alone score it."""
    given = HandOverInput(list(body.assessors), caller.user, caller.capacity_for())
    return await _answered(request, _step(request, year_id, EvaluationWorkflow.hand_over, given))


@router.post("/scores")
async def score(
    body: ProcessScore, caller: Annotated[Caller, Allow("evaluation:score")],
    year_id: KnownYear, request: Request,
    idempotency_key: IdempotencyKeyHeader = None,
) -> ProcessOut:  # fmt: skip
    """Score an item once, with a comment; a retry with the same Idempotency-Key is the same
    score (recorded once)."""
    the_id = score_id(caller, idempotency_key)
    given = ScoreInput(the_id, body.item_code.upper(), body.score, body.comment, caller.user)
    return await _answered(
        request, _step(request, year_id, EvaluationWorkflow.score, given, the_id)
    )


@router.post("/publication")
async def publish(caller: Preparer, year_id: KnownYear, request: Request) -> ProcessOut:
    """Publish the final index once every item is scored; the process ends."""
    given = StepInput(caller.user, caller.capacity_for())
    return await _answered(request, _step(request, year_id, EvaluationWorkflow.publish, given))
