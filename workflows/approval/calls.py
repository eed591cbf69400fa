"""How the approval workflow calls the activities a caller waits for: on its own worker.

A decision's answer waits for ``record_decision`` and, when the step closes, for
``open_step`` or ``apply_outcome``. As ordinary activities each one is a task sent through
the Temporal server and a workflow task to take its result; as local activities the worker
that runs the workflow task runs them at once, and the whole decision is one workflow task.
They are the same idempotent activities: a workflow task lost with its worker runs them
again, and each records nothing the second time.

Workflows started before this change recorded ordinary activities in their histories, so
the change is behind a patch: replaying such a history keeps the ordinary calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from temporalio import workflow

from workflows.common import ACTIVITY_TIMEOUT, RETRY, act

Self = TypeVar("Self")
In = TypeVar("In")
Out = TypeVar("Out")

#: The patch id recorded (once per workflow run) by runs whose activities run locally.
LOCAL_ACTIVITIES = "approval-local-activities"


async def act_here(method: Callable[[Self, In], Out], arg: In) -> Out:
    """Run one activity method on this worker (a local activity), or as before in old runs."""
    if not workflow.patched(LOCAL_ACTIVITIES):
        return await act(method, arg)
    return await workflow.execute_local_activity_method(
        method, arg, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY
    )
