"""The master plan: its aspects and programs (milestones are in ``milestones``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api import policy
from api.deps import Allow, ExpectedVersion, app_of, etag
from api.paging import page_of
from api.policy import Caller
from api.readmodels import Fresh
from api.schemas import CommandResult, Page, links
from api.schemas.plans import AddProgram, AspectOut, CreatePlan, PlanOut, PlanSummary, ProgramOut
from domain.plan import Aspect, MasterPlan, PlanApplication, Program
from projections.engine.viewstore import ViewStore
from projections.views.plan_progress.view import PlanProgressView

router = APIRouter(tags=["plan"])

Plans = Annotated[PlanApplication, Depends(app_of(PlanApplication))]
PlanReader = Annotated[Caller, Allow("plan:read")]
ProgramReader = Annotated[Caller, Allow("program:read")]
Views = Annotated[ViewStore, Fresh(PlanProgressView.name)]
Limit = Annotated[int, Query(ge=1, le=200)]


def plan_summary(plan: MasterPlan) -> PlanSummary:
    """A plan in a list."""
    return PlanSummary(
        id=str(plan.id),
        version=plan.version,
        city_code=plan.city_code,
        title=plan.title,
        start_year=plan.start_year,
        end_year=plan.end_year,
        status=plan.status,
    )


def program_owners(program: Program) -> set[str]:
    """The owner OPD and the supporting OPDs of a program."""
    return {program.owner_opd, *program.supporting_opds}


def program_out(program: Program) -> ProgramOut:
    """A program in plain values."""
    return ProgramOut(
        id=str(program.id),
        version=program.version,
        plan_id=str(program.plan_id),
        code=program.code,
        name=program.name,
        aspect=program.aspect,
        owner_opd=program.owner_opd,
        supporting_opds=list(program.supporting_opds),
        quick_win=program.quick_win,
        horizon=program.horizon,
        weight=program.weight,
        targets=dict(program.targets),
        budgets=dict(program.budgets),
        milestones=len(program.milestones),
    )


def plan_ids(views: ViewStore) -> list[str]:
    """Every plan the read model knows of, drafts included."""
    table = views.table(PlanProgressView.name, "plan_aspects")
    return [str(row[0]) for row in views.query(f"SELECT DISTINCT plan_id FROM {table}")]


@router.get("/plans")
def list_plans(
    caller: PlanReader, app: Plans, views: Views, cursor: str | None = None, limit: Limit = 50
) -> Page[PlanSummary]:
    """The master plans, by city and first year."""
    found = [plan_summary(app.get_plan(uuid.UUID(pid))) for pid in plan_ids(views)]
    page, next_cursor = page_of(found, lambda p: f"{p.city_code}\x1f{p.start_year}", cursor, limit)
    return Page[PlanSummary](items=page, next_cursor=next_cursor)


@router.post("/plans", status_code=201, responses=links.PLAN_CREATED)
def create_plan(
    body: CreatePlan,
    caller: Annotated[Caller, Allow("plan:create")],
    app: Plans,
    response: Response,
) -> CommandResult:
    """Draft a city's master plan for a period of years."""
    fields = body.model_dump(exclude={"aspects"})
    aspects = [Aspect(**a.model_dump()) for a in body.aspects] if body.aspects else None
    created = app.create_plan(**fields, aspects=aspects, by=caller.actor())
    links.located(response, f"/plans/{created.id}")
    return CommandResult(position=created.position, id=str(created.id))


@router.get("/plans/{plan_id}")
def get_plan(plan_id: uuid.UUID, caller: PlanReader, app: Plans, response: Response) -> PlanOut:
    """A master plan: its period, vision, status and aspects."""
    plan = app.get_plan(plan_id)
    response.headers["ETag"] = etag(plan.version)
    aspects = [
        AspectOut(
            id=a.id, label_en=a.label_en, label_id=a.label_id, programs=len(plan.programs[a.id])
        )
        for a in plan.aspects
    ]
    return PlanOut(
        **plan_summary(plan).model_dump(),
        city_name=plan.city_name,
        years=plan.years,
        vision=plan.vision,
        baseline_version=plan.baseline_version,
        aspects=aspects,
    )


@router.get("/plans/{plan_id}/programs")
def list_programs(
    plan_id: uuid.UUID,
    caller: ProgramReader,
    app: Plans,
    cursor: str | None = None,
    limit: Limit = 50,
) -> Page[ProgramOut]:
    """The programs of a plan you may see (an OPD head: those it owns or supports), by code."""
    found = [
        program_out(p)
        for p in app.programs_of(plan_id)
        if policy.visible(caller, "program:read", program_owners(p))
    ]
    page, next_cursor = page_of(found, lambda p: p.code, cursor, limit)
    return Page[ProgramOut](items=page, next_cursor=next_cursor)


@router.post("/plans/{plan_id}/programs", status_code=201, responses=links.PROGRAM_ADDED)
def add_program(
    plan_id: uuid.UUID,
    body: AddProgram,
    caller: Annotated[Caller, Allow("program:create")],
    app: Plans,
    response: Response,
    expected: ExpectedVersion,
) -> CommandResult:
    """Add a program to an aspect of the draft plan."""
    created = app.add_program(
        plan_id, **body.model_dump(), by=caller.actor(), expected_version=expected
    )
    links.located(response, f"/programs/{created.id}")
    return CommandResult(position=created.position, id=str(created.id))


@router.get("/programs/{program_id}")
def get_program(
    program_id: uuid.UUID, caller: ProgramReader, app: Plans, response: Response
) -> ProgramOut:
    """A program: its aspect, owner and supporting OPDs, targets and budgets."""
    program = app.get_program(program_id)
    policy.check(caller, "program:read", program_owners(program))
    response.headers["ETag"] = etag(program.version)
    return program_out(program)
