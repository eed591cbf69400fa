"""Schemas of approval requests and decisions."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.bounds import Comment, OpdCode, Reason, Whole


class DecisionOut(BaseModel):
    """A decision recorded on a step."""

    decision_id: str
    person_nip: str
    opd_code: str
    capacity: str
    outcome: str
    comment: str


class StepOut(BaseModel):
    """One step of the current round."""

    index: int
    opd_codes: list[str]
    assigned_opds: list[str]
    mode: str
    quorum: int | None
    sla_working_days: int
    strategic: bool
    budget: bool
    opened_at: datetime | None
    due_at: datetime | None
    escalation_level: int
    outcome: str | None
    is_open: bool
    decisions: list[DecisionOut]
    escalation_reason: str | None = Field(
        None, description="Why the step went to the Sekda at once: nobody in office may decide it"
    )


class ApprovalOut(BaseModel):
    """Where an approval request stands."""

    id: str
    version: int
    subject_kind: str
    subject_id: str
    title: str
    owner_opd: str
    submitted_by: str
    status: str
    round: int
    current_step: int | None
    steps: list[StepOut]
    attempt: int = Field(1, description="Which submission of the subject: 2 after a rejection")
    previous_request_id: str | None = Field(
        None, description="The closed request of the previous submission, if any"
    )


class ApprovalHistory(BaseModel):
    """Every approval request of one subject, first submission first."""

    subject_kind: str
    subject_id: str
    items: list[ApprovalOut]


class Decide(RequestBody):
    """A decision on the open step: approve, reject or return for revision."""

    outcome: Literal["approve", "reject", "return"]
    comment: Comment = ""
    opd_code: OpdCode | None = Field(
        None, description="For whom you decide, when you lead more than one assigned OPD"
    )


class DecisionResult(BaseModel):
    """A recorded decision."""

    decision_id: str
    position: int
    opd_code: str
    capacity: str
    approval: ApprovalOut


class Reassign(RequestBody):
    """Hand one OPD's share of a step not yet completed to another OPD, and why."""

    step_index: Whole = Field(ge=0, le=50, description="The step, counted from 0")
    from_opd: OpdCode
    to_opd: OpdCode
    reason: Reason


class Withdraw(RequestBody):
    """Withdraw the request: nothing more can be decided on it."""

    reason: Reason


class ApprovalChanged(BaseModel):
    """An approval after a reassignment or withdrawal, and the log position of the change."""

    position: int
    approval: ApprovalOut
