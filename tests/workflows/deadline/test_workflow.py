"""The deadline workflow on a time-skipping server: weeks and months pass in a moment."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, timedelta

import pytest_asyncio
from temporalio.api.enums.v1 import EventType
from temporalio.client import Client, WorkflowHandle
from temporalio.testing import WorkflowEnvironment

from infra.store import EventStore
from tests.workflows.deadline.scenario import (
    deadline_events,
    deadline_input,
    deadline_worker,
    done,
    escalated_then_done,
    recorded,
    register_search_attributes,
    start,
    until_status,
    working_day_in,
)
from tests.workflows.histories import keep_history
from workflows.deadline.inputs import DueDateChanged
from workflows.deadline.workflow import DeadlineWorkflow


@pytest_asyncio.fixture(loop_scope="session")
async def skipping(skipping_env: WorkflowEnvironment) -> WorkflowEnvironment:
    """The time-skipping server, with Jejak's search attributes declared."""
    await register_search_attributes(skipping_env.client)
    return skipping_env


async def in_days(env: WorkflowEnvironment, days: int) -> date:
    """The first working day ``days`` days after the test server's now (it skips ahead)."""
    return working_day_in(days, (await env.get_current_time()).date())


@asynccontextmanager
async def deadline_due(
    env: WorkflowEnvironment, store: EventStore, task_queue: str, due: date | int
) -> AsyncIterator[WorkflowHandle[DeadlineWorkflow, str]]:
    """The deadline workflow of a subject due on ``due`` (or in ``due`` days), worker running."""
    due_date = await in_days(env, due) if isinstance(due, int) else due
    async with deadline_worker(env.client, store, task_queue):
        yield await start(env.client, task_queue, deadline_input(due_date))


async def run_chain(client: Client, handle: WorkflowHandle[DeadlineWorkflow, str]) -> int:
    """How many runs the workflow took (1 + the number of continue-as-new)."""
    runs, run_id = 1, handle.first_execution_run_id
    while run_id:
        history = await client.get_workflow_handle(handle.id, run_id=run_id).fetch_history()
        last = history.events[-1]
        if last.event_type != EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW:
            return runs
        run_id = last.workflow_execution_continued_as_new_event_attributes.new_execution_run_id
        runs += 1
    return runs


async def test_thirty_day_deadline_reminds_three_times_and_escalates_once_per_level(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    async with deadline_due(skipping, memory_store, task_queue, 30) as handle:
        await escalated_then_done(skipping, handle, 5)
        await keep_history(handle, "deadline", "escalated")
    counts = recorded(memory_store)
    assert counts == {
        "Tracked": 1,
        "ReminderSent": 3,
        "OverdueRecorded": 1,
        "Escalated": 2,
        "Closed": 1,
    }
    assert [e.level for e in deadline_events(memory_store, "Escalated")] == [1, 2]  # type: ignore[attr-defined]
    assert [e.label for e in deadline_events(memory_store, "ReminderSent")] == ["H-2", "H-1", "H-0"]  # type: ignore[attr-defined]


async def test_ninety_day_deadline_continues_as_new_and_escalates_once_per_level(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = skipping.client
    async with deadline_due(skipping, memory_store, task_queue, 90) as handle:
        await escalated_then_done(skipping, handle, 5)
        runs = await run_chain(client, handle)
        first_run = client.get_workflow_handle(handle.id, run_id=handle.first_execution_run_id)
        await keep_history(first_run, "deadline", "continued-as-new")
    assert runs >= 3
    counts = recorded(memory_store)
    assert counts["Escalated"] == 2
    assert counts["ReminderSent"] == 3


async def test_changed_due_date_moves_the_reminders_and_escalations(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    first, later = (await in_days(skipping, 20)), (await in_days(skipping, 45))
    async with deadline_due(skipping, memory_store, task_queue, first) as handle:
        await handle.signal(DeadlineWorkflow.due_date_changed, DueDateChanged(later.isoformat(), 7))
        await escalated_then_done(skipping, handle, 8)
        await keep_history(handle, "deadline", "due-date-moved")
    reminded_for = {e.due_date for e in deadline_events(memory_store, "ReminderSent")}  # type: ignore[attr-defined]
    overdue_for = [e.due_date for e in deadline_events(memory_store, "OverdueRecorded")]  # type: ignore[attr-defined]
    assert reminded_for == {later}
    assert overdue_for == [later]
    assert recorded(memory_store)["DueDateMoved"] == 1


async def test_replayed_due_date_signal_is_ignored(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    first = await in_days(skipping, 20)
    async with deadline_due(skipping, memory_store, task_queue, first) as handle:
        later = await in_days(skipping, 40)
        await handle.signal(DeadlineWorkflow.due_date_changed, DueDateChanged(later.isoformat(), 9))
        stale = DueDateChanged((await in_days(skipping, 60)).isoformat(), 9)
        await handle.signal(DeadlineWorkflow.due_date_changed, stale)
        state = await handle.query(DeadlineWorkflow.state)
        await done(handle, 10)
    assert state["due_date"] == later.isoformat()


async def test_done_ends_the_workflow_without_alerts(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    async with deadline_due(skipping, memory_store, task_queue, 30) as handle:
        await done(handle, 3)
        await keep_history(handle, "deadline", "done")
    assert recorded(memory_store) == {"Tracked": 1, "Closed": 1}


async def test_deadline_already_past_is_noted_overdue_without_stale_reminders(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    past = date(2023, 10, 18)
    async with deadline_due(skipping, memory_store, task_queue, past) as handle:
        await until_status(skipping, handle, "escalated")
        await done(handle, 3)
    assert recorded(memory_store) == {
        "Tracked": 1,
        "OverdueRecorded": 1,
        "Escalated": 2,
        "Closed": 1,
    }


async def test_deadline_keeps_waiting_after_the_inspektorat_and_closes_when_done(
    skipping: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    client = skipping.client
    async with deadline_due(skipping, memory_store, task_queue, 5) as handle:
        await until_status(skipping, handle, "escalated")
        await skipping.sleep(timedelta(days=75))  # more than two runs' worth of waiting
        state = await handle.query(DeadlineWorkflow.state)
        await done(handle, 11)
        runs = await run_chain(client, handle)
    assert state["status"] == "escalated"
    assert runs >= 3
    counts = recorded(memory_store)
    assert counts["Escalated"] == 2
    assert counts["Closed"] == 1
    assert [e.reason for e in deadline_events(memory_store, "Closed")] == ["milestone approved"]  # type: ignore[attr-defined]
