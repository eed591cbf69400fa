"""Sending a decision to the approval's workflow (a Temporal Update), in API terms."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable

from fastapi import Request

from api.problems import ProblemError
from domain.approvals.values import ApprovalState
from workflows.approval import client
from workflows.approval.inputs import DecideInput

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
    request: Request, request_id: uuid.UUID, decision: DecideInput
) -> tuple[int, ApprovalState]:
    """Ask the approval's workflow to record ``decision``; a log position at or after it,
    and the approval's new state as the Update answered it.

    The workflow chooses the OPD and the capacity from the decision's mandate on its own
    state of the approval, and its update validator refuses with the approval rules
    (403/409 through the problem handler); a missing worker is a 503 the caller may retry
    with the same key.
    """
    update = client.decide(request.app.state.temporal, str(request_id), decision)
    state = await awaited(update)
    return await position_after(request), state


async def position_after(request: Request) -> int:
    """A log position at or after the change: an update answers once it is stored."""
    store = request.app.state.store
    return int(await asyncio.to_thread(store.max_position))


async def awaited(update: Awaitable[ApprovalState]) -> ApprovalState:
    """The update's answer; a missing worker or an unreachable Temporal is a 503 to retry."""
    try:
        return await update
    except client.WorkerUnavailableError as error:
        raise unavailable(str(error), int(error.retry_after_seconds)) from None
    except RuntimeError:  # the lazy client could not connect
        raise unavailable("Temporal cannot be reached; try again shortly.") from None


async def sent(request: Request, update: Awaitable[ApprovalState]) -> tuple[int, ApprovalState]:
    """Await ``update``; a log position at or after the change it stored, and the approval's
    new state as the update answered it."""
    state = await awaited(update)
    return await position_after(request), state
