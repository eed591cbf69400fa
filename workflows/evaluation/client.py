"""What the API calls on a year's evaluation workflow: start it, move it on, read its state.

Each step is a Temporal update answered once it is recorded. A refusal comes back as the
domain error its code names (so the API answers it as any other: 409, 403, 422, 404); no
worker answering in time is ``WorkerUnavailableError`` (503, retry with the same id).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from temporalio.client import (
    Client,
    WorkflowHandle,
    WorkflowUpdateFailedError,
    WorkflowUpdateRPCTimeoutOrCancelledError,
)
from temporalio.common import WorkflowIDReusePolicy
from temporalio.exceptions import ApplicationError, WorkflowAlreadyStartedError
from temporalio.service import RPCError, RPCStatusCode

from domain.evaluation.errors import AlreadyScoredError, ScoreIdReusedError, UnknownItemError
from domain.evaluation.process import WrongStageError
from domain.shared import (
    AlreadyExistsError,
    ConflictError,
    DomainError,
    NotEntitledError,
    NotFoundError,
    ValidationError,
)
from workflows.approval.client import WorkerUnavailableError
from workflows.evaluation.inputs import EvaluationInput, EvaluationState, evaluation_workflow_id
from workflows.evaluation.workflow import EvaluationWorkflow

DEFAULT_TIMEOUT = timedelta(seconds=10)
Given = TypeVar("Given")
Answer = TypeVar("Answer")
#: The refusals a step may give, by code.
_ERRORS: dict[str, type[DomainError]] = {
    e.code: e
    for e in (WrongStageError, NotEntitledError, NotFoundError, UnknownItemError,
              AlreadyScoredError, ScoreIdReusedError, AlreadyExistsError)
}  # fmt: skip


class EvaluationNotRunningError(NotFoundError):
    """No evaluation workflow runs for this year (never started, or the index is out)."""

    code = "evaluation-not-running"
    title = "The evaluation process is not running"


class EvaluationAlreadyStartedError(AlreadyExistsError):
    """The year's evaluation process was started before."""

    code = "evaluation-already-started"
    title = "The evaluation process is already started"


def handle(client: Client, year_id: str) -> WorkflowHandle[EvaluationWorkflow, float]:
    """The typed handle of a year's evaluation workflow."""
    return client.get_workflow_handle_for(EvaluationWorkflow.run, evaluation_workflow_id(year_id))


async def start(client: Client, task_queue: str, given: EvaluationInput) -> str:
    """Start the year's process; its workflow id. A year runs it once."""
    try:
        await client.start_workflow(
            EvaluationWorkflow.run, given, id=evaluation_workflow_id(given.year_id),
            task_queue=task_queue, id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
        )  # fmt: skip
    except WorkflowAlreadyStartedError:
        raise EvaluationAlreadyStartedError("This year's evaluation is already running.") from None
    return evaluation_workflow_id(given.year_id)


def refusal_error(cause: BaseException | None) -> DomainError:
    """The domain error a refused step names (its type is the refusal's code)."""
    if not isinstance(cause, ApplicationError):
        return ConflictError("The step could not be recorded. Please try again.")
    if cause.type == ValidationError.code:
        return ValidationError("request", cause.message)
    return _ERRORS.get(cause.type or "", ConflictError)(cause.message)


async def step(
    client: Client, year_id: str, update: Any, given: Any, update_id: str | None = None,
    rpc_timeout: timedelta = DEFAULT_TIMEOUT,
) -> Any:  # fmt: skip
    """Run one update of the year's workflow; its answer, or the named refusal."""
    try:
        return await handle(client, year_id).execute_update(
            update, given, id=update_id, rpc_timeout=rpc_timeout
        )
    except WorkflowUpdateFailedError as error:
        raise refusal_error(error.cause) from error
    except WorkflowUpdateRPCTimeoutOrCancelledError as error:
        raise WorkerUnavailableError() from error
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise EvaluationNotRunningError("This year's evaluation is not running.") from error
        if error.status in (RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE):
            raise WorkerUnavailableError() from error
        raise


async def state(
    client: Client, year_id: str, rpc_timeout: timedelta = DEFAULT_TIMEOUT
) -> EvaluationState:
    """Where the year's process stands (also once finished: a worker replays it to answer)."""
    try:
        found: EvaluationState = await handle(client, year_id).query(
            EvaluationWorkflow.state, rpc_timeout=rpc_timeout
        )
    except RPCError as error:
        if error.status == RPCStatusCode.NOT_FOUND:
            raise EvaluationNotRunningError("This year's evaluation was never started.") from error
        if error.status in (
            RPCStatusCode.DEADLINE_EXCEEDED, RPCStatusCode.UNAVAILABLE,
            RPCStatusCode.FAILED_PRECONDITION,  # no worker polls the task queue
        ):  # fmt: skip
            raise WorkerUnavailableError() from error
        raise
    return found
