"""Workers for the workflow tests: one of any workflows and activities, one of the approval."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any

from temporalio.client import Client
from temporalio.worker import Worker

from infra.store import EventStore
from workflows.approval.activities import ApprovalActivities
from workflows.approval.workflow import ApprovalWorkflow


@asynccontextmanager
async def worker_of(
    client: Client,
    task_queue: str,
    workflows: Sequence[type],
    activities: Sequence[Callable[..., Any]],
    threads: int = 8,
) -> AsyncIterator[Worker]:
    """A worker of ``workflows`` and ``activities`` on this test's task queue."""
    with ThreadPoolExecutor(threads) as executor:
        worker = Worker(
            client,
            task_queue=task_queue,
            workflows=workflows,
            activities=activities,
            activity_executor=executor,
        )
        async with worker:
            yield worker


@asynccontextmanager
async def running_worker(
    client: Client, store: EventStore, task_queue: str
) -> AsyncIterator[Worker]:
    """A worker with the approval workflow and the real activities over ``store``."""
    activities = ApprovalActivities.over(store).all()
    async with worker_of(client, task_queue, [ApprovalWorkflow], activities) as worker:
        yield worker
