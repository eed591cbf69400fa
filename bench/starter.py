"""Row 2s: the workflow starter catching up the reference city, against raw starts.

Each run starts a fresh Temporal dev server (the reference city's workflow ids are
deterministic: a second run on the same server would find them all there already), lets
the workflow starter catch up the log from position zero (no worker polls, so both sides
measure starts, not the workflows' first tasks), then starts as many no-op workflows as the
starter started, with the same number in flight, straight through the client.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import uuid

import httpx
from eventsourcing.popo import POPOTrackingRecorder
from temporalio.client import Client

from bench.minimal import MinimalWorkflow
from bench.report import Row, Stat
from bench.stack import Stack, free_port, reference_stack
from bench.stores import fresh_dir
from infra.store import EventStore
from infra.temporal import wait_until_ready
from workflows.starter.loop import TRACKING_NAME, WorkflowStarter
from workflows.starter.rules import Command, Start

TASK_QUEUE = "bench-starter"


class CountingStarter(WorkflowStarter):
    """The product's starter, counting the workflows it starts."""

    started = 0

    async def send(self, command: Command) -> None:
        """Send, and count the starts."""
        await super().send(command)
        if isinstance(command, Start):
            self.started += 1


async def starter_run(store: EventStore, client: Client) -> tuple[int, float]:
    """Workflows started and seconds taken by the starter catching up from position zero."""
    starter = CountingStarter(store, client, TASK_QUEUE, tracking=POPOTrackingRecorder())
    began = time.perf_counter()
    await starter.catch_up()
    return starter.started, time.perf_counter() - began


async def raw_run(client: Client, count: int, in_flight: int) -> float:
    """Seconds to start ``count`` no-op workflows, ``in_flight`` at a time."""
    limit = asyncio.Semaphore(in_flight)

    async def one() -> None:
        async with limit:
            await client.start_workflow(
                MinimalWorkflow.run, id=f"raw/{uuid.uuid4()}", task_queue=TASK_QUEUE
            )

    began = time.perf_counter()
    await asyncio.gather(*(one() for _ in range(count)))
    return time.perf_counter() - began


def one_run(stack: Stack, store: EventStore, in_flight: int) -> tuple[int, float, float]:
    """Started, starter seconds, raw seconds, on a fresh dev server."""
    fresh = Stack(stack.data_dir, stack.settings.event_store_url)
    fresh.start_temporal()
    try:

        async def both() -> tuple[int, float, float]:
            # Ready: the frontend answers and the default namespace exists.
            client = await wait_until_ready(fresh.settings)
            started, seconds = await starter_run(store, client)
            return started, seconds, await raw_run(client, started, in_flight)

        return asyncio.run(both())
    finally:
        fresh.stop()


def wait_healthy(url: str, within: float) -> None:
    """Wait until ``url`` answers 200 (every part of the stack up)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2.0).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} never answered 200")


def after_up(within: float = 120) -> float:
    """Seconds from ``/health`` 200 after ``jejak up`` on an empty directory (it loads the
    reference city) until the starter's saved position reaches the log's head of then."""
    data = fresh_dir("up")
    api = free_port()
    env = {
        **os.environ,
        "JEJAK_DATA_DIR": str(data),
        "JEJAK_API_PORT": str(api),
        "JEJAK_TEMPORAL_PORT": str(free_port()),
        "JEJAK_TEMPORAL_UI_PORT": str(free_port()),
        "JEJAK_LOG_LEVEL": "WARNING",
    }
    with (data / "up.log").open("wb") as out:
        up = subprocess.Popen(
            [sys.executable, "-m", "jejak", "up"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_healthy(f"http://127.0.0.1:{api}/health", within)
        healthy = time.monotonic()
        store = EventStore(f"sqlite:///{data / 'jejak.db'}")
        try:
            head, tracking = store.max_position(), store.tracking_recorder()
            while (tracking.max_tracking_id(TRACKING_NAME) or 0) < head:
                if time.monotonic() - healthy > within:
                    raise TimeoutError("the starter did not catch up")
                time.sleep(0.05)
            return time.monotonic() - healthy
        finally:
            store.close()
    finally:
        os.killpg(up.pid, signal.SIGTERM)
        up.wait(60)


def starter_rows(runs: int, in_flight: int) -> list[Row]:
    """The starter row over the reference city."""
    stack = reference_stack("starter")
    store = EventStore(stack.settings.event_store_url)
    try:
        results = [one_run(stack, store, in_flight) for _ in range(runs)]
    finally:
        store.close()
    started = results[0][0]
    ours = [n / s for n, s, _ in results]
    raw = [n / r for n, _, r in results]
    seconds = Stat.of([s for _, s, _ in results])
    up = after_up()
    row = Row(
        "2. Workflow starter, reference city",
        Stat.of(ours),
        "starts/s",
        Stat.of(raw),
        "dev server's raw start rate",
        ">= 0.7x raw, all started < 5 s (also after jejak up)",
        notes=(
            f"The workflow starter catching up the reference city's log from position 0 on a "
            f"fresh Temporal dev server: {started} workflows started (approvals and deadlines) "
            f"in {seconds.median:.2f} s ({seconds.low:.2f}-{seconds.high:.2f}), rules read "
            f"from the event store included. Baseline: as many no-op workflows started "
            f"through the client, {in_flight} in flight, on the same server right after. "
            f"With `jejak up` (Temporal, worker, projector and API, the reference city loaded "
            f"on the first start): {up:.1f} s from /health 200 until the starter's position "
            f"reached the head, the worker running the workflows meanwhile."
        ),
        extra={
            "started": started,
            "seconds": seconds.median,
            "in_flight": in_flight,
            "after_up_seconds": up,
        },
    )
    row.passed = (row.ratio or 0) >= 0.7 and seconds.median < 5 and up < 5
    return [row]
