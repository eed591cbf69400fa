"""Sending a decision to the approval's workflow (a Temporal Update), in API terms."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import Request

from api.problems import ProblemError
from domain.approvals.rules import Ballot
from workflows import client
from workflows.inputs import DecideInput

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
) -> int:
    """Ask the approval's workflow to record ``ballot``; answers a log position at or after it.

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
    try:
        await client.decide(request.app.state.temporal, str(request_id), decision)
    except client.WorkerUnavailableError as error:
        raise unavailable(str(error), int(error.retry_after_seconds)) from None
    # The update answers once the decision is in the store, so the newest position covers it.
    store = request.app.state.store
    return int(await asyncio.to_thread(store.max_position))
