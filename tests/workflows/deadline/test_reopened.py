"""A returned deliverable and a renewed commitment are due again: their deadlines restart."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from temporalio.client import WorkflowExecutionStatus, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from domain.bimtek.application import BimtekApplication
from domain.commitments.application import CommitmentsApplication
from domain.deadlines.application import DeadlinesApplication
from domain.deadlines.track import DeadlineTrack
from domain.values import PartRef
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.approval.outcome_scenario import count, engine, follow
from tests.workflows.histories import keep_history
from tests.workflows.starter.scenario import KADIS, city, due_in
from workflows.deadline.workflow import DeadlineWorkflow
from workflows.starter.loop import WorkflowStarter

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


async def replay_from_zero(starter: WorkflowStarter) -> None:
    """The starter crashed before saving anything: every event is processed again."""
    await starter.process_batch(starter.follower.read(0))


async def test_returned_deliverable_restarts_its_deadline_once_and_closes_it_again(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client, scenario = dev_env.client, city(memory_store)
    bimtek = memory_store.app(BimtekApplication)
    session, subject = scenario.session_id, str(PartRef(scenario.session_id, "D-1"))
    track = memory_store.app(DeadlinesApplication)
    track_id = DeadlineTrack.create_id("deliverable", subject)

    def hand_in() -> None:
        bimtek.submit_deliverable(
            session,
            deliverable_id="D-1",
            reference="dok/1",
            submitted_at=datetime.now(UTC),
            by=KADIS,
        )

    async with engine(client, memory_store, task_queue):
        await follow(memory_store, client, task_queue)
        hand_in()
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Closed") == 1)
        bimtek.return_deliverable(session, deliverable_id="D-1", reason="Incomplete", by=KADIS)
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Reopened") == 1)
        await replay_from_zero(WorkflowStarter(memory_store, client, task_queue))
        handle = client.get_workflow_handle(scenario.deadline_ids()[1])
        running = (await handle.describe()).status
        reopened = track.get_track(track_id)
        hand_in()
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Closed") == 2)
        await replay_from_zero(WorkflowStarter(memory_store, client, task_queue))
        await handle.result()
        await keep_history(handle, "deadline", "reopened")
    assert running == WorkflowExecutionStatus.RUNNING
    assert not reopened.is_closed
    assert count(memory_store, "Reopened") == 1
    assert count(memory_store, "Closed") == 2
    assert track.get_track(track_id).is_closed


async def test_renewed_commitment_follows_its_new_signing_deadline(
    dev_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client, scenario = dev_env.client, city(memory_store)
    track_id = DeadlineTrack.create_id("commitment", str(scenario.commitment_id))
    async with engine(client, memory_store, task_queue):
        await follow(memory_store, client, task_queue)
        await eventually(lambda: memory_store.app(DeadlinesApplication).find(track_id) is not None)
        memory_store.app(CommitmentsApplication).renew(
            scenario.commitment_id, new_date=due_in(10), signing_deadline=due_in(90), by=KADIS
        )
        await follow(memory_store, client, task_queue)
        await eventually(lambda: count(memory_store, "Reopened") == 1)
        handle = client.get_workflow_handle(scenario.deadline_ids()[2])
        await until_due(handle, due_in(90).isoformat())
    assert memory_store.app(DeadlinesApplication).get_track(track_id).due_date == due_in(90)


async def until_due(handle: WorkflowHandle[Any, Any], due: str) -> None:
    """Wait until the deadline workflow follows ``due``."""
    for _ in range(100):
        state = await handle.query(DeadlineWorkflow.state)
        if state["due_date"] == due:
            return
        await asyncio.sleep(0.05)
    raise AssertionError(f"the deadline never followed {due}")
