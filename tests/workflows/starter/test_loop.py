"""The workflow starter on a Temporal dev server: a crash before saving its position loses
nothing and duplicates nothing."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from eventsourcing.persistence import Notification
from temporalio.client import Client
from temporalio.testing import WorkflowEnvironment

from domain.deadlines.track import DeadlineTrack
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.deadline.scenario import deadline_worker, recorded
from tests.workflows.starter.scenario import KADIS, city, due_in
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.starter.loop import WorkflowStarter


class CrashError(Exception):
    """The starter died after starting workflows, before saving its position."""


def crash(position: int) -> None:
    raise CrashError(position)


async def executions(client: Client, workflow_id: str) -> int:
    """How many runs with this id the server lists (visibility lags a little: wait for one)."""
    for _ in range(50):
        found = [w async for w in client.list_workflows(f'WorkflowId = "{workflow_id}"')]
        if found:
            return len(found)
        await asyncio.sleep(0.1)
    return 0


def moved_of(store: EventStore, milestone_id: uuid.UUID) -> list[Notification]:
    """The milestone deadline's recorded due date moves."""
    track_id = DeadlineTrack.create_id("milestone", str(milestone_id))
    return [
        n
        for n in store.recorder.select_notifications(0, 1000)
        if n.originator_id == track_id and n.topic.endswith(".DueDateMoved")
    ]


async def crash_then_replay(store: EventStore, client: Client, task_queue: str) -> int:
    """Process the log, die before saving, then replay everything from zero."""
    starter = WorkflowStarter(store, client, task_queue)
    with pytest.raises(CrashError):
        await starter.process_batch(starter.follower.read(0), before_save=crash)
    assert starter.position() == 0
    return await WorkflowStarter(store, client, task_queue).catch_up()


async def test_crash_between_start_and_position_save_starts_each_workflow_once(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    scenario = city(memory_store)
    reached = await crash_then_replay(memory_store, dev_env.client, task_queue)
    await crash_then_replay(memory_store, dev_env.client, task_queue)
    assert reached == memory_store.max_position()
    for workflow_id in scenario.deadline_ids():
        assert await executions(dev_env.client, workflow_id) == 1, workflow_id


async def test_replayed_signals_move_the_deadline_once_and_end_it(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = dev_env.client
    scenario = city(memory_store)
    milestone_deadline = scenario.deadline_ids()[0]
    async with deadline_worker(client, memory_store, task_queue):
        await WorkflowStarter(memory_store, client, task_queue).catch_up()
        scenario.plan.change_due_date(
            scenario.milestone_id, due_date=due_in(120), reason="Vendor late", by=KADIS
        )
        await crash_then_replay(memory_store, client, task_queue)
        handle = client.get_workflow_handle_for(DeadlineWorkflow.run, milestone_deadline)
        state = await handle.query(DeadlineWorkflow.state)
        # The move is recorded by an activity after the signal: let it land before the
        # subject is done, as it would in days, not milliseconds.
        await eventually(lambda: moved_of(memory_store, scenario.milestone_id), lambda m: m)
        scenario.plan.report_progress(scenario.milestone_id, percent=100, by=KADIS)
        scenario.plan.submit_milestone(scenario.milestone_id, by=KADIS)
        scenario.plan.approve_milestone(scenario.milestone_id, by=KADIS)
        await crash_then_replay(memory_store, client, task_queue)
        assert await handle.result() == "done"
    assert state["due_date"] == due_in(120).isoformat()
    assert len(moved_of(memory_store, scenario.milestone_id)) == 1
    assert recorded(memory_store)["Closed"] == 1
