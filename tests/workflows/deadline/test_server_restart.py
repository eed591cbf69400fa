"""The Temporal server restarts while a deadline waits: it still escalates exactly once per level.

A dev server persisted to a file is stopped (SIGTERM) before the escalations are due and
started again on the same file; the same worker reconnects and the timers fire.
"""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from temporalio.client import Client

from infra.store import EventStore
from infra.temporal import SEARCH_ATTRIBUTES
from tests.support.polling import eventually
from tests.support.serving import free_port
from tests.workflows.deadline.scenario import deadline_input, deadline_worker, done, recorded, start
from workflows.common import Alert, AlertKind

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

TEMPORAL = Path(sys.executable).parent / "temporal"


def dev_server(db: Path, port: int) -> subprocess.Popen[bytes]:
    """Start a dev server on ``port`` persisted to ``db``."""
    command = [
        str(TEMPORAL),
        *("server", "start-dev", "--headless", "--log-level", "error"),
        *("--db-filename", str(db), "--ip", "127.0.0.1", "--port", str(port)),
        *("--http-port", str(free_port()), "--metrics-port", str(free_port())),
    ]
    for name, kind in SEARCH_ATTRIBUTES.items():
        command += ["--search-attribute", f"{name}={kind}"]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server as an operator would (SIGTERM) and wait for it to exit."""
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=20)


@contextmanager
def stopped_at_exit(servers: list[subprocess.Popen[bytes]]) -> Iterator[None]:
    """Whatever happens, no server outlives the test."""
    try:
        yield
    finally:
        for server in servers:
            if server.poll() is None:
                stop(server)


async def connected(port: int) -> Client:
    """A client, once the server answers."""
    for _ in range(100):
        try:
            return await Client.connect(f"127.0.0.1:{port}")
        except RuntimeError:
            await asyncio.sleep(0.2)
    raise AssertionError("the Temporal dev server did not start")


def escalations_in(seconds: float) -> list[Alert]:
    """Sekda, then Inspektorat, a few seconds from now (instead of days after a due date)."""
    now = datetime.now(UTC)
    return [
        Alert(now + timedelta(seconds=seconds), AlertKind.ESCALATION, "sekda", 1),
        Alert(now + timedelta(seconds=seconds + 1), AlertKind.ESCALATION, "inspektorat", 2),
    ]


async def test_deadline_escalates_once_per_level_across_a_server_restart(
    tmp_path: Path, memory_store: EventStore, task_queue: str
) -> None:
    db, port = tmp_path / "temporal.db", free_port()
    servers = [dev_server(db, port)]
    with stopped_at_exit(servers):
        client = await connected(port)
        async with deadline_worker(client, memory_store, task_queue, escalations_in(5)):
            given = deadline_input(date.today())
            handle = await start(client, task_queue, given)
            await eventually(lambda: recorded(memory_store)["Tracked"] == 1)
            stop(servers[0])  # before the escalations are due
            escalated_while_down = recorded(memory_store)["Escalated"]
            servers.append(dev_server(db, port))  # the same file: the workflow is still there
            await eventually(lambda: recorded(memory_store)["Escalated"] == 2, seconds=40)
            await done(handle, 1)
    assert escalated_while_down == 0
    counts = recorded(memory_store)
    assert (counts["Escalated"], counts["OverdueRecorded"], counts["Closed"]) == (2, 1, 1)
