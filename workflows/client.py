"""What the API calls on a running approval: decide, reassign, withdraw, resubmitted.

Each call is a Temporal update answered synchronously with the approval's new state. The
wait is bounded: when no worker answers in time the caller gets ``WorkerUnavailableError``
(HTTP 503 with Retry-After) and may retry with the same decision id without risk.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode

from domain.approvals.model import REFUSALS, NotSubmitterError, RequestClosedError
from domain.shared import (
    ConflictError,
    DomainError,
    NotEntitledError,
    NotFoundError,
    ValidationError,
)
from workflows.approval import ApprovalWorkflow, approval_workflow_id
from workflows.inputs import DecideInput, ReassignInput, ResubmitInput, Snapshot, WithdrawInput

DEFAULT_TIMEOUT = timedelta(seconds=10)

_BY_CODE: dict[str, type[DomainError]] = {
    **REFUSALS,
    RequestClosedError.code: RequestClosedError,
    NotSubmitterError.code: NotSubmitterError,
    NotEntitledError.code: NotEntitledError,
    NotFoundError.code: NotFoundError,
}


class WorkerUnavailableError(Exception):
    """No workflow worker answered in time; nothing is lost, try again later."""

    def __init__(self, retry_after_seconds: int = 5) -> None:
        super().__init__("The approval engine is busy or restarting. Please try again shortly.")
        self.retry_after_seconds = retry_after_seconds


class ApprovalNotRunningError(RequestClosedError):
    """No approval workflow runs for this request (never started, or already finished)."""

    code = "approval-not-running"
    title = "The approval is not running"


def refusal_error(cause: BaseException) -> DomainError:
    """The domain error named by a refused update (its type is the refusal's code)."""
    if not isinstance(cause, ApplicationError):
        return ConflictError("The decision could not be recorded. Please try again.")
    kind = _BY_CODE.get(cause.type or "")
    if kind is not None:
        return kind(cause.message)
    if cause.type in (ValidationError.code, "invalid-route"):
        return ValidationError("request", cause.message)
    return ConflictError(cause.message)


async def _update(
    handle: WorkflowHandle[Any, Any],
    update: str,
    arg: Any,
    update_id: str | None,
    rpc_timeout: timedelta,
) -> Snapshot:
    """Run one update and translate what can go wrong into named errors."""
    try:
        result: Snapshot = await handle.execute_update(
            update, arg, id=update_id, result_type=dict, rpc_timeout=rpc_timeout
        )
    except WorkflowUpdateFailedError as error:
        raise refusal_error(error.cause) from error
    except WorkflowUpdateRPCTimeoutOrCancelledError as error:
        raise WorkerUnavailableError() from error
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ApprovalNotRunningError(
                "This approval is not open for decisions any more."
            ) from error
        if error.status in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE):
            raise WorkerUnavailableError() from error
        raise
    return result


def _handle(client: Client, request_id: str) -> WorkflowHandle[Any, Any]:
    return client.get_workflow_handle(approval_workflow_id(request_id))


async def decide(
    client: Client, request_id: str, decision: DecideInput, rpc_timeout: timedelta = DEFAULT_TIMEOUT
) -> Snapshot:
    """Record a decision; the decision id is the update id, so a retry records nothing new."""
    return await _update(
        _handle(client, request_id), "decide", decision, decision.decision_id, rpc_timeout
    )


async def reassign(
    client: Client,
    request_id: str,
    given: ReassignInput,
    rpc_timeout: timedelta = DEFAULT_TIMEOUT,
    reassignment_id: str | None = None,
) -> Snapshot:
    """Hand one OPD's share of a step to another OPD; answers the new state."""
    return await _update(
        _handle(client, request_id), "reassign", given, reassignment_id, rpc_timeout
    )


async def withdraw(
    client: Client, request_id: str, given: WithdrawInput, rpc_timeout: timedelta = DEFAULT_TIMEOUT
) -> Snapshot:
    """Withdraw the request; answers the final state."""
    return await _update(_handle(client, request_id), "withdraw", given, None, rpc_timeout)


async def resubmitted(client: Client, request_id: str, given: ResubmitInput) -> None:
    """Tell the workflow the submitter sent the revised subject back (a new round starts)."""
    try:
        await _handle(client, request_id).signal(ApprovalWorkflow.resubmitted, given)
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise ApprovalNotRunningError("This approval is not waiting for a revision.") from error
        raise
