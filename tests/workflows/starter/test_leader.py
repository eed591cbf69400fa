"""Two workers, one starter: only the lease holder starts workflows; the other takes over."""

from __future__ import annotations

import asyncio
from pathlib import Path

from temporalio.testing import WorkflowEnvironment

from infra.leader import Lease
from infra.store import EventStore
from tests.support.polling import eventually
from tests.workflows.starter.scenario import city
from workflows.starter.loop import LEASE_NAME, WorkflowStarter


async def test_only_the_lease_holder_starts_workflows_and_a_standby_takes_over(
    dev_env: WorkflowEnvironment, tmp_path: Path, task_queue: str
) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    city(store)
    client = dev_env.client
    starters = [WorkflowStarter(store, client, task_queue, poll_interval=0.05) for _ in "ab"]
    leases = [Lease(store, LEASE_NAME) for _ in starters]
    stops = [asyncio.Event() for _ in starters]
    runs = [
        asyncio.create_task(s.run(stop, lease))
        for s, stop, lease in zip(starters, stops, leases, strict=True)
    ]
    try:
        await eventually(lambda: any(s.status.position == store.max_position() for s in starters))
        roles = sorted(s.status.role for s in starters)
        assert roles == ["leader", "standby"]
        assert [s.status.errors for s in starters] == [0, 0]  # no race, no "stalled" lines
        leader = next(i for i, s in enumerate(starters) if s.status.role == "leader")
        standby = 1 - leader
        assert starters[standby].status.position == 0  # it never touched the log
        stops[leader].set()
        await runs[leader]
        leases[leader].release()  # what the death of its process does
        await eventually(lambda: starters[standby].status.role == "leader", seconds=5)
        await eventually(
            lambda: starters[standby].status.position == store.max_position(), seconds=10
        )
    finally:
        for stop in stops:
            stop.set()
        await asyncio.gather(*runs)
        for lease in leases:
            lease.release()
        store.close()
