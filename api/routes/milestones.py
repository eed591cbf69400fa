"""Milestones of a program: progress reports and submission for approval by the owner OPD."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Response

from api import policy
from api.deps import Allow, ExpectedVersion, etag
from api.policy import Caller
from api.routes.plans import Plans, program_owners
from api.schemas import CommandResult, Page, links
from api.schemas.plans import AddMilestone, MilestoneOut, ReportOut, ReportProgress
from domain.approvals.request import ApprovalRequest
from domain.plan import Milestone

router = APIRouter(tags=["plan"])

Reader = Annotated[Caller, Allow("milestone:read")]


def milestone_out(milestone: Milestone) -> MilestoneOut:
    """A milestone in plain values."""
    return MilestoneOut(
        id=str(milestone.id),
        version=milestone.version,
        program_id=str(milestone.program_id),
        code=milestone.code,
        title=milestone.title,
        due_date=milestone.due_date,
        weight=milestone.weight,
        owner_opd=milestone.owner_opd,
        status=milestone.status,
        percent=milestone.percent,
        approved_percent=milestone.approved_percent,
        submitted_by=milestone.submitted_by,
        comment=milestone.comment,
        reports=[ReportOut(**{**vars(r), "evidence": list(r.evidence)}) for r in milestone.reports],
    )


@router.get("/programs/{program_id}/milestones")
def list_milestones(program_id: uuid.UUID, caller: Reader, app: Plans) -> Page[MilestoneOut]:
    """The milestones of a program you may see, in the order they were added."""
    policy.check(caller, "milestone:read", program_owners(app.get_program(program_id)))
    items = [milestone_out(m) for m in app.milestones_of(program_id)]
    return Page[MilestoneOut](items=items)


@router.post("/programs/{program_id}/milestones", status_code=201, responses=links.MILESTONE_ADDED)
def add_milestone(
    program_id: uuid.UUID,
    body: AddMilestone,
    caller: Annotated[Caller, Allow("milestone:create")],
    app: Plans,
    response: Response,
    expected: ExpectedVersion,
) -> CommandResult:
    """Add a dated, weighted milestone to a program."""
    created = app.add_milestone(
        program_id, **body.model_dump(), by=caller.actor(), expected_version=expected
    )
    links.located(response, f"/milestones/{created.id}")
    return CommandResult(position=created.position, id=str(created.id))


@router.get("/milestones/{milestone_id}")
def get_milestone(
    milestone_id: uuid.UUID, caller: Reader, app: Plans, response: Response
) -> MilestoneOut:
    """A milestone: due date, status, progress and its reports."""
    milestone = app.get_milestone(milestone_id)
    policy.check(caller, "milestone:read", [milestone.owner_opd])
    response.headers["ETag"] = etag(milestone.version)
    return milestone_out(milestone)


@router.post("/milestones/{milestone_id}/progress")
def report_progress(
    milestone_id: uuid.UUID,
    body: ReportProgress,
    caller: Annotated[Caller, Allow("milestone:report")],
    app: Plans,
    expected: ExpectedVersion,
) -> CommandResult:
    """Report progress on a milestone: by the head of its owner OPD, with evidence."""
    milestone = app.get_milestone(milestone_id)
    policy.check(caller, "milestone:report", [milestone.owner_opd])
    position = app.report_progress(
        milestone_id,
        **body.model_dump(),
        by=caller.actor(milestone.owner_opd),
        expected_version=expected,
    )
    return CommandResult(position=position)


@router.post("/milestones/{milestone_id}/submit", responses=links.MILESTONE_SUBMITTED)
def submit(
    milestone_id: uuid.UUID,
    caller: Annotated[Caller, Allow("milestone:submit")],
    app: Plans,
    expected: ExpectedVersion,
) -> CommandResult:
    """Submit a milestone's progress for approval (the approval workflow starts from it)."""
    milestone = app.get_milestone(milestone_id)
    policy.check(caller, "milestone:submit", [milestone.owner_opd])
    position = app.submit_milestone(
        milestone_id, by=caller.actor(milestone.owner_opd), expected_version=expected
    )
    approval = ApprovalRequest.create_id("milestone-report", str(milestone_id))
    return CommandResult(position=position, id=str(approval))
