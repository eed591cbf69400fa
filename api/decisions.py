"""Sending a decision to the approval's workflow (a Temporal Update), in API terms."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable
from datetime import datetime
from typing import Any

from fastapi import Request

from api.problems import ProblemError
from domain.approvals.application import ApprovalState, StepView
from domain.approvals.rules import Ballot, Decided, StepSpec
from workflows import client
from workflows.inputs import DecideInput, Snapshot

#: Seconds a client should wait before retrying when no worker answers.
RETRY_AFTER = 5


def unavailable(detail: str, retry_after: int = RETRY_AFTER) -> ProblemError:
    """503 with Retry-After: nothing was recorded, the caller may retry."""
    return ProblemError(
        503,
        "worker-unavailable",
        "Decisions cannot be taken right now",
        detail,
        {"Retry-After": str(retry_after)},
    )


async def send_decision(
    request: Request, request_id: uuid.UUID, ballot: Ballot, comment: str
) -> tuple[int, ApprovalState | None]:
    """Ask the approval's workflow to record ``ballot``; a log position at or after it, and
    the approval's new state as the Update answered it (None if it answered none).

    The workflow's update validator refuses with the domain's own errors (403/409 through
    the problem handler); a missing worker is a 503 the caller may retry with the same key.
    """
    decision = DecideInput(
        decision_id=ballot.decision_id,
        person_nip=ballot.person_nip,
        opd_code=ballot.opd_code,
        capacity=ballot.capacity,
        outcome=ballot.outcome,
        comment=comment,
    )
    update = client.decide(request.app.state.temporal, str(request_id), decision)
    answered = await awaited(update)
    state = state_of(answered) if answered else None
    return await position_after(request), state


async def position_after(request: Request) -> int:
    """A log position at or after the change: an update answers once it is stored."""
    store = request.app.state.store
    return int(await asyncio.to_thread(store.max_position))


async def awaited(update: Awaitable[Snapshot]) -> Snapshot:
    """The update's answer; a missing worker or an unreachable Temporal is a 503 to retry."""
    try:
        return await update
    except client.WorkerUnavailableError as error:
        raise unavailable(str(error), int(error.retry_after_seconds)) from None
    except RuntimeError:  # the lazy client could not connect
        raise unavailable("Temporal cannot be reached; try again shortly.") from None


async def sent(request: Request, update: Awaitable[Snapshot]) -> int:
    """Await ``update``; a log position at or after the change it stored."""
    await awaited(update)
    return await position_after(request)


def state_of(found: Snapshot) -> ApprovalState:
    """The approval's state from the plain values the workflow answers (``snapshot_dict``)."""
    return ApprovalState(
        request_id=uuid.UUID(found["request_id"]),
        version=found["version"],
        subject_kind=found["subject_kind"],
        subject_id=found["subject_id"],
        title=found["title"],
        owner_opd=found["owner_opd"],
        submitted_by=found["submitted_by"],
        status=found["status"],
        round=found["round"],
        current_step=found["current_step"],
        steps=tuple(_step_of(s) for s in found["steps"]),
        attempt=found.get("attempt", 1),
        previous_request_id=found.get("previous_request_id"),
    )


def _step_of(step: dict[str, Any]) -> StepView:
    return StepView(
        spec=StepSpec.from_dict(step["spec"]),
        assigned_opds=tuple(step["assigned_opds"]),
        opened_at=_moment(step["opened_at"]),
        due_at=_moment(step["due_at"]),
        decisions=tuple(Decided(**d) for d in step["decisions"]),
        reminders=tuple(step["reminders"]),
        escalation_level=step["escalation_level"],
        outcome=step["outcome"],
        is_open=step["is_open"],
        escalation_reason=step.get("escalation_reason"),
    )


def _moment(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value is not None else None
