"""A worker that stops in the middle of an approval loses nothing and records nothing twice."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from temporalio.testing import WorkflowEnvironment

from domain.approvals.values import ApprovalStatus
from infra.store import EventStore
from tests.workflows.approval.scenario import approval_input, ballot, events, start, step
from tests.workflows.histories import keep_history
from tests.workflows.workers import running_worker
from workflows.approval import client as approvals
from workflows.approval.client import WorkerUnavailableError

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]


async def test_approval_survives_a_worker_restart_with_each_decision_once(
    dev_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    url = f"sqlite:///{tmp_path / 'events.db'}"
    approval = approval_input([step(0, "DINKES"), step(1, "BAPPEDA")])
    client, request_id = dev_env.client, approval.request_id
    second = ballot("BAPPEDA")
    first_store = EventStore(url)
    try:
        async with running_worker(client, first_store, task_queue):
            handle = await start(client, task_queue, approval)
            await approvals.decide(client, request_id, ballot("DINKES"))
    finally:
        first_store.close()
    # No worker: the caller is told to come back later, and comes back with the same id.
    with pytest.raises(WorkerUnavailableError):
        await approvals.decide(client, request_id, second, rpc_timeout=timedelta(seconds=1))
    store = EventStore(url)
    try:
        async with running_worker(client, store, task_queue):
            state = await approvals.decide(client, request_id, second)
            assert state.status == ApprovalStatus.APPROVED
            assert await handle.result() == ApprovalStatus.APPROVED
            await keep_history(handle, "approval", "worker-restart")
        decisions = [d["decision_id"] for d in events(store, "DecisionRecorded")]
    finally:
        store.close()
    assert len(decisions) == 2
    assert second.decision_id in decisions
    assert len(set(decisions)) == 2
