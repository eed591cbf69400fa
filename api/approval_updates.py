"""Reassigning and withdrawing a running approval (Temporal Updates), in API terms."""

from __future__ import annotations

import asyncio
import uuid

from fastapi import Request

from api.decisions import sent
from api.policy import Caller
from domain.approvals.errors import error_for
from domain.approvals.values import ApprovalState, Refusal
from domain.organisation.application import OrganisationApplication
from workflows.approval import client
from workflows.approval.inputs import ReassignInput, WithdrawInput

REASSIGNMENT_NAMESPACE = uuid.UUID("5b8f3c1e-2d47-4a9e-8f61-0c7d9e4a2b13")


def reassignment_id(caller: Caller, key: str | None) -> str | None:
    """The update's id, derived from the Idempotency-Key so a retry reassigns nothing new."""
    return None if key is None else str(uuid.uuid5(REASSIGNMENT_NAMESPACE, f"{caller.user}/{key}"))


async def known_opd(organisation: OrganisationApplication, code: str) -> str:
    """The registered OPD's code (upper case), else ``UnknownOpdError`` (404)."""
    opd = await asyncio.to_thread(organisation.get_opd, code)
    return str(opd.code)


def refuse_closed(found: Refusal | None) -> None:
    """409, before asking the workflow, for a request whose workflow has ended.

    Only the request's status is checked here (``rules.closed_refusal`` for a
    reassignment, ``rules.withdraw_refusal`` for a withdrawal): the workflow applies the
    whole rule, and a retried update (same id) must still get its first answer.
    """
    if found:
        raise error_for(found)


async def send_reassignment(
    request: Request, request_id: uuid.UUID, given: ReassignInput, update_id: str | None
) -> tuple[int, ApprovalState]:
    """Ask the approval's workflow to reassign; a log position at or after it, and the
    approval's new state."""
    temporal = request.app.state.temporal
    update = client.reassign(temporal, str(request_id), given, reassignment_id=update_id)
    return await sent(request, update)


async def send_withdrawal(
    request: Request, request_id: uuid.UUID, given: WithdrawInput
) -> tuple[int, ApprovalState]:
    """Ask the approval's workflow to withdraw the request; a log position after it, and the
    approval's final state."""
    update = client.withdraw(request.app.state.temporal, str(request_id), given)
    return await sent(request, update)
