"""What the API calls on a running approval: decide, reassign, withdraw.

Each call is a Temporal update answered synchronously with the approval's new state. The
wait is bounded: when no worker answers in time the caller gets ``WorkerUnavailableError``
(HTTP 503 with Retry-After) and may retry with the same decision id without risk.
"""

from __future__ import annotations

from datetime import timedelta
from typing import TypeVar

from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.exceptions import ApplicationError
from temporalio.service import RPCError, RPCStatusCode
from temporalio.workflow import UpdateMethodMultiParam

from domain.approvals.errors import RequestClosedError, error_for
from domain.approvals.values import ApprovalState, Refusal
from domain.shared import ConflictError, DomainError, NotEntitledError, NotFoundError
from workflows.approval.inputs import (
    DecideInput,
    ReassignInput,
    WithdrawInput,
    approval_workflow_id,
)
from workflows.approval.workflow import ApprovalWorkflow

DEFAULT_TIMEOUT = timedelta(seconds=10)
#: Refusals an update may give that are not the approval rules' own.
_OTHERS: dict[str, type[DomainError]] = {
    NotEntitledError.code: NotEntitledError,
    NotFoundError.code: NotFoundError,
}

Given = TypeVar("Given")
ApprovalHandle = WorkflowHandle[ApprovalWorkflow, str]
#: An update of the approval workflow that takes a ``Given`` and answers the new state.
Update = UpdateMethodMultiParam[[ApprovalWorkflow, Given], ApprovalState]


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
    code = cause.type or ""
    if code in _OTHERS:
        return _OTHERS[code](cause.message)
    return error_for(Refusal(code, cause.message), unknown=ConflictError)


def handle(client: Client, request_id: str) -> ApprovalHandle:
    """The typed handle of a request's approval workflow."""
    return client.get_workflow_handle_for(ApprovalWorkflow.run, approval_workflow_id(request_id))


async def _update(
    approval: ApprovalHandle,
    update: Update[Given],
    arg: Given,
    update_id: str | None,
    rpc_timeout: timedelta,
) -> ApprovalState:
    """Run one update and translate what can go wrong into named errors."""
    try:
        return await approval.execute_update(update, arg, id=update_id, rpc_timeout=rpc_timeout)
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


async def decide(
    client: Client, request_id: str, decision: DecideInput, rpc_timeout: timedelta = DEFAULT_TIMEOUT
) -> ApprovalState:
    """Record a decision; the decision id is the update id, so a retry records nothing new."""
    return await _update(
        handle(client, request_id),
        ApprovalWorkflow.decide,
        decision,
        decision.decision_id,
        rpc_timeout,
    )


async def reassign(
    client: Client,
    request_id: str,
    given: ReassignInput,
    rpc_timeout: timedelta = DEFAULT_TIMEOUT,
    reassignment_id: str | None = None,
) -> ApprovalState:
    """Hand one OPD's share of a step to another OPD; answers the new state."""
    return await _update(
        handle(client, request_id), ApprovalWorkflow.reassign, given, reassignment_id, rpc_timeout
    )


async def withdraw(
    client: Client, request_id: str, given: WithdrawInput, rpc_timeout: timedelta = DEFAULT_TIMEOUT
) -> ApprovalState:
    """Withdraw the request; answers the final state."""
    return await _update(
        handle(client, request_id), ApprovalWorkflow.withdraw, given, None, rpc_timeout
    )
