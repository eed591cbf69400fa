"""Running the whole engine for a city: both workflows, the starter, and waiting on the store."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from temporalio.client import Client
from temporalio.worker import Worker

from domain.approvals.request import ApprovalRequest
from infra.store import EventStore
from tests.workflows.approval.scenario import event_names
from tests.workflows.starter.scenario import City, city, submit
from tests.workflows.workers import worker_of
from workflows import registry
from workflows.starter.loop import WorkflowStarter


@asynccontextmanager
async def engine(client: Client, store: EventStore, task_queue: str) -> AsyncIterator[Worker]:
    """A worker with every workflow and activity over ``store``, as `jejak up` runs it."""
    workflows, activities = registry.workflows(), registry.activities(store)
    async with worker_of(client, task_queue, workflows, activities, threads=16) as worker:
        yield worker


@asynccontextmanager
async def report_in_approval(
    client: Client, store: EventStore, task_queue: str
) -> AsyncIterator[tuple[City, str]]:
    """A city whose milestone report was submitted and its approval started, the engine running.

    Yields the city and the approval request's id.
    """
    scenario = city(store)
    submit(scenario.plan, scenario.milestone_id)
    async with engine(client, store, task_queue):
        await follow(store, client, task_queue)
        yield (
            scenario,
            str(ApprovalRequest.create_id("milestone-report", str(scenario.milestone_id))),
        )


async def follow(store: EventStore, client: Client, task_queue: str) -> int:
    """Let the workflow starter process the log as it stands; the position reached."""
    return await WorkflowStarter(store, client, task_queue).catch_up()


def count(store: EventStore, name: str) -> int:
    """How many events named ``name`` the store holds."""
    return event_names(store).count(name)
