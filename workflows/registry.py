"""What the worker runs: the workflow classes and the activities over the event store."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from infra.store import EventStore
from workflows.approval.activities import ApprovalActivities
from workflows.approval.workflow import ApprovalWorkflow
from workflows.deadline.activities import DeadlineActivities
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.evaluation.activities import EvaluationActivities
from workflows.evaluation.workflow import EvaluationWorkflow


def workflows() -> list[type]:
    """The workflow classes the worker registers."""
    return [ApprovalWorkflow, DeadlineWorkflow, EvaluationWorkflow]


def activities(store: EventStore) -> list[Callable[..., Any]]:
    """The activities the worker registers, bound to the application services of ``store``."""
    return [
        *ApprovalActivities.over(store).all(),
        *DeadlineActivities.over(store).all(),
        *EvaluationActivities.over(store).all(),
    ]
