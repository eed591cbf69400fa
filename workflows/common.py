"""What the approval and deadline workflows share, and what their activities share.

Workflow side: how an activity is called (one timeout, one retry policy), the alerts both
wait for, and how a refusal reaches the caller of an update. Activity side: the boundary
that binds the workflow's ids to the log and turns final domain refusals non-retryable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar

import structlog
from temporalio import activity, workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError, ApplicationError

from domain.approvals.values import Refusal
from domain.shared import SYSTEM, Actor, Capacity, ConflictError, DomainError

Self = TypeVar("Self")
In = TypeVar("In")
Out = TypeVar("Out")

#: How long one attempt of an activity may take, and how attempts are retried.
ACTIVITY_TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))

log = structlog.get_logger("jejak.workflows")


async def act(method: Callable[[Self, In], Out], arg: In) -> Out:
    """Run one activity method from a workflow, with the shared timeout and retry policy."""
    return await workflow.execute_activity_method(
        method, arg, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY
    )


class AlertKind(StrEnum):
    """What an alert does when it is due."""

    REMINDER = "reminder"
    ESCALATION = "escalation"


@dataclass
class Alert:
    """A reminder or an escalation due at ``at`` (of an approval's step, or of a deadline)."""

    at: datetime
    kind: str
    label: str = ""
    level: int = 0


def refused(refusal: Refusal) -> ApplicationError:
    """The error that tells the caller of an update why, with the refusal's code as its type."""
    return ApplicationError(refusal.message, type=refusal.code, non_retryable=True)


def reraised(error: ActivityError) -> ApplicationError:
    """An activity's refusal, passed on to the caller of an update with its code."""
    cause = error.cause
    if isinstance(cause, ApplicationError):
        return ApplicationError(cause.message, type=cause.type, non_retryable=True)
    return ApplicationError(str(error), type="activity-failed", non_retryable=True)


@contextmanager
def activity_boundary() -> Iterator[None]:
    """Bind the workflow ids to the log context; turn final domain refusals non-retryable."""
    info = activity.info()
    with structlog.contextvars.bound_contextvars(
        workflow_id=info.workflow_id,
        run_id=info.workflow_run_id,
        activity=info.activity_type,
        attempt=info.attempt,
    ):
        try:
            yield
        except DomainError as error:
            # A plain ConflictError is a concurrent write: trying again can succeed.
            retryable = type(error) is ConflictError
            log.info("domain refused", code=error.code, retryable=retryable)
            raise ApplicationError(
                error.message, type=error.code, non_retryable=not retryable
            ) from error


def system_at(moment: datetime) -> Actor:
    """The engine itself, acting at ``moment``."""
    return Actor(SYSTEM.actor_id, Capacity.SYSTEM, moment)
