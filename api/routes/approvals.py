"""Approval requests: where they stand, and decisions on their open step."""

from __future__ import annotations

import asyncio
import uuid
from typing import Annotated

from fastapi import APIRouter, Request, Response

from api import policy
from api.approval_updates import (
    known_opd,
    reassignment_id,
    refuse_closed,
    send_reassignment,
    send_withdrawal,
)
from api.decisions import position_after, send_decision
from api.deps import Allow, Approvals, Organisation, etag
from api.policy import Caller
from api.problems import ProblemError
from api.schemas.approvals import (
    ApprovalChanged,
    ApprovalHistory,
    ApprovalOut,
    Decide,
    DecisionOut,
    DecisionResult,
    Reassign,
    StepOut,
    Withdraw,
)
from api.schemas.params import IdempotencyKeyHeader
from domain.approvals import rules
from domain.approvals.errors import error_for
from domain.approvals.values import ApprovalState, Ballot, Decided, Refusal, StepView
from domain.shared import ConflictError, DomainError, NotFoundError
from workflows.approval import mandates
from workflows.approval.inputs import DecideInput, Mandate, ReassignInput, WithdrawInput

router = APIRouter(prefix="/approvals", tags=["approvals"])

DECISION_NAMESPACE = uuid.UUID("0e0b8a4e-64a6-4c2f-9a52-3c4f1d2b7a61")

IdempotencyKey = IdempotencyKeyHeader


def step_out(step: StepView) -> StepOut:
    """One step in plain values."""
    spec = step.spec
    return StepOut(
        index=spec.index,
        opd_codes=list(spec.opd_codes),
        assigned_opds=list(step.assigned_opds),
        mode=spec.mode,
        quorum=spec.quorum,
        sla_working_days=spec.sla_working_days,
        strategic=spec.strategic,
        budget=spec.budget,
        opened_at=step.opened_at,
        due_at=step.due_at,
        escalation_level=step.escalation_level,
        outcome=step.outcome,
        is_open=step.is_open,
        decisions=[DecisionOut(**vars(d)) for d in step.decisions],
        escalation_reason=step.escalation_reason,
    )


def approval_out(state: ApprovalState) -> ApprovalOut:
    """An approval request in plain values."""
    return ApprovalOut(
        id=str(state.request_id),
        version=state.version,
        subject_kind=state.subject_kind,
        subject_id=state.subject_id,
        title=state.title,
        owner_opd=state.owner_opd,
        submitted_by=state.submitted_by,
        status=state.status,
        round=state.round,
        current_step=state.current_step,
        steps=[step_out(s) for s in state.steps],
        attempt=state.attempt,
        previous_request_id=state.previous_request_id,
    )


def owners(state: ApprovalState) -> set[str]:
    """The OPDs that own the request or are asked to decide one of its steps."""
    return {state.owner_opd, *(o for s in state.steps for o in s.assigned_opds)}


def decision_id(caller: Caller, key: str | None) -> str:
    """The decision's id: derived from the Idempotency-Key, so a retry is the same decision."""
    if key is None:
        return str(uuid.uuid4())
    return str(uuid.uuid5(DECISION_NAMESPACE, f"{caller.user}/{key}"))


@router.get("/of/{subject_kind}/{subject_id}")
def approval_history(
    subject_kind: str,
    subject_id: str,
    caller: Annotated[Caller, Allow("approval:read")],
    approvals: Approvals,
) -> ApprovalHistory:
    """Every approval request of a subject (a milestone report sent again after a rejection)."""
    found = approvals.attempts(subject_kind, subject_id)
    if not found:
        raise NotFoundError(f"No approval was requested for {subject_kind} {subject_id}.")
    policy.check(caller, "approval:read", {o for state in found for o in owners(state)})
    items = [approval_out(state) for state in found]
    return ApprovalHistory(subject_kind=subject_kind, subject_id=subject_id, items=items)


@router.get("/{request_id}")
def get_approval(
    request_id: uuid.UUID,
    caller: Annotated[Caller, Allow("approval:read")],
    approvals: Approvals,
    response: Response,
) -> ApprovalOut:
    """Where an approval request stands: its steps, decisions, deadlines and escalations."""
    state = approvals.snapshot(request_id)
    policy.check(caller, "approval:read", owners(state))
    response.headers["ETag"] = etag(state.version)
    return approval_out(state)


@router.post("/{request_id}/decisions")
async def decide(
    request_id: uuid.UUID,
    body: Decide,
    caller: Annotated[Caller, Allow("approval:decide")],
    approvals: Approvals,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> DecisionResult:
    """Approve, reject or return the open step, in the capacity you hold today."""
    the_id = decision_id(caller, idempotency_key)
    mandate = mandate_of(caller, body.opd_code)
    # The workflow chooses the OPD and checks the decision on its own copy of the
    # approval: nothing is read from the store on the way to a recorded decision.
    decision = DecideInput(the_id, caller.user, "", "", body.outcome, body.comment, mandate)
    try:
        position, after = await send_decision(request, request_id, decision)
    except (DomainError, ProblemError):
        # Refused, or not answered: the approval in the store says what the caller is told.
        state = await asyncio.to_thread(approvals.snapshot, request_id)
        if (earlier := recorded_decision(state, the_id)) is not None:
            # A retry of a decision already recorded (the first answer was lost): same result.
            return decision_result(earlier, await position_after(request), state)
        refuse_as_rules_say(caller, state, the_id, mandate, body)
        raise
    decided = recorded_decision(after, the_id)
    if decided is None:  # a decision of an earlier round, answered by its id
        state = await asyncio.to_thread(approvals.snapshot, request_id)
        decided = recorded_decision(state, the_id)
    if decided is None:
        raise ConflictError("The decision could not be found again. Please read the approval.")
    return decision_result(decided, position, after)


def mandate_of(caller: Caller, asked: str | None) -> Mandate:
    """Whom the caller may decide for today: their OPDs, or any OPD (leadership)."""
    anywhere = policy.scope_of(caller.role, "approval:decide") == policy.ANY
    return Mandate(
        leads={opd: caller.capacity_for(opd) for opd in caller.opds},
        anywhere_as=caller.capacity_for() if anywhere else "",
        asked=asked or "",
    )


def refuse_as_rules_say(
    caller: Caller, state: ApprovalState, the_id: str, mandate: Mandate, body: Decide
) -> None:
    """Raise what the approval rules say of this decision on ``state``, if anything."""
    chosen = mandates.choice(state, caller.user, mandate)
    if isinstance(chosen, tuple):
        opd_code, capacity = chosen
        found = refusal_of(state, Ballot(the_id, caller.user, opd_code, capacity, body.outcome))
    else:
        found = chosen
    if found is None:
        return
    if found.code == mandates.NOT_ASSIGNED:
        policy.check(caller, "approval:decide", mandates.current_assigned(state))
    if found.code == mandates.OPD_NOT_MINE:
        raise policy.refused("approval:decide", found.message)
    if found.code == mandates.OPD_NEEDED:
        raise ProblemError(
            422,
            "opd-needed",
            "Say for which OPD you decide",
            found.message,
            errors=[{"field": "opd_code", "message": "Required: you may decide for several."}],
        )
    raise error_for(found)


def refusal_of(state: ApprovalState, ballot: Ballot) -> Refusal | None:
    """Why the rules refuse this person in this capacity on the open step, or None."""
    step = state.current
    if step is None:
        return None
    escalated = step.escalation_level >= 1
    return rules.person_refusal(step.spec, ballot, state.submitted_by, escalated)


def recorded_decision(state: ApprovalState, the_id: str) -> Decided | None:
    """The decision with this id, if the approval already holds it."""
    found = (d for s in state.steps for d in s.decisions if d.decision_id == the_id)
    return next(found, None)


def decision_result(decided: Decided, position: int, state: ApprovalState) -> DecisionResult:
    """The answer to a decision: who decided for which OPD, and where the approval stands."""
    return DecisionResult(
        decision_id=decided.decision_id,
        position=position,
        opd_code=decided.opd_code,
        capacity=decided.capacity,
        approval=approval_out(state),
    )


@router.post("/{request_id}/reassignments")
async def reassign(
    request_id: uuid.UUID,
    body: Reassign,
    caller: Annotated[Caller, Allow("approval:reassign")],
    approvals: Approvals,
    organisation: Organisation,
    request: Request,
    idempotency_key: IdempotencyKey = None,
) -> ApprovalChanged:
    """Hand one OPD's share of a step not yet completed to another OPD (secretariat, leaders)."""
    state = await asyncio.to_thread(approvals.snapshot, request_id)
    policy.check(caller, "approval:reassign", owners(state))
    from_opd = await known_opd(organisation, body.from_opd)
    to_opd = await known_opd(organisation, body.to_opd)
    refuse_closed(rules.closed_refusal(state.status))
    given = ReassignInput(
        step_index=body.step_index,
        from_opd=from_opd,
        to_opd=to_opd,
        reason=body.reason,
        actor=caller.user,
        capacity=caller.capacity_for(),
    )
    update_id = reassignment_id(caller, idempotency_key)
    position, after = await send_reassignment(request, request_id, given, update_id)
    return ApprovalChanged(position=position, approval=approval_out(after))


@router.post("/{request_id}/withdrawal")
async def withdraw(
    request_id: uuid.UUID,
    body: Withdraw,
    caller: Annotated[Caller, Allow("approval:withdraw")],
    approvals: Approvals,
    request: Request,
) -> ApprovalChanged:
    """Withdraw the request: by the head of the OPD that submitted it, or the secretariat."""
    state = await asyncio.to_thread(approvals.snapshot, request_id)
    policy.check(caller, "approval:withdraw", [state.owner_opd])
    refuse_closed(rules.withdraw_refusal(state.status))
    capacity = caller.capacity_for(state.owner_opd)
    given = WithdrawInput(reason=body.reason, actor=caller.user, capacity=capacity)
    position, after = await send_withdrawal(request, request_id, given)
    return ApprovalChanged(position=position, approval=approval_out(after))
