"""Due times, reminders and escalations of approval steps, on a time-skipping test server."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.approvals.values import ApprovalStatus
from domain.calendar import JAKARTA
from infra.store import EventStore
from tests.workflows.approval.scenario import (
    approval_input,
    ballot,
    event_names,
    events,
    start,
    step,
)
from tests.workflows.histories import keep_history
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

ALERTS = ("ReminderSent", "StepEscalated")


async def test_step_opened_before_idul_fitri_falls_due_after_the_cuti_bersama(
    skipping_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    # Opened Monday 17 Apr 2023: 19-25 Apr are Idul Fitri and its cuti bersama.
    approval = approval_input([step(0, "DINKES", sla_working_days=3)], opened_on="2023-04-17")
    async with running_worker(skipping_env.client, memory_store, task_queue):
        handle = await start(skipping_env.client, task_queue, approval)
        await approvals.decide(skipping_env.client, approval.request_id, ballot("DINKES"))
        assert await handle.result() == ApprovalStatus.APPROVED
    (opened,) = events(memory_store, "StepOpened")
    due = datetime.fromisoformat(opened["due_at"]["_data_"])
    assert due == datetime(2023, 4, 27, 23, 59, 59, tzinfo=JAKARTA)
    names = event_names(memory_store)
    assert not set(ALERTS) & set(names[names.index("DecisionRecorded") :])


async def test_overdue_step_is_reminded_then_escalated_once_per_level(
    skipping_env: WorkflowEnvironment, memory_store: EventStore, task_queue: str
) -> None:
    approval = approval_input([step(0, "DINKES", sla_working_days=5)])
    async with running_worker(skipping_env.client, memory_store, task_queue):
        handle = await start(skipping_env.client, task_queue, approval)
        await skipping_env.sleep(timedelta(days=40))
        alerts = [e for e in events(memory_store) if e["event"] in ALERTS]
        assert [e.get("label", e.get("level")) for e in alerts] == ["H-2", "H-1", "H-0", 1, 2]
        # Once escalated, the Sekda may decide in place of the late OPD head.
        sekda = ballot("DINKES", capacity="sekda", person="SEKDA-1")
        state = await approvals.decide(skipping_env.client, approval.request_id, sekda)
        assert state.status == ApprovalStatus.APPROVED
        assert await handle.result() == ApprovalStatus.APPROVED
        await keep_history(handle, "approval", "overdue-escalated")
    assert event_names(memory_store).count("StepEscalated") == 2
