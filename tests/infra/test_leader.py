"""One process at a time holds a lease; when it dies, another takes over within seconds."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from infra.leader import Lease
from infra.store import EventStore
from tests.support.polling import until
from tests.support.stores import store_url

#: Lease holders run as child processes and are killed.
pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]


class Holder:
    """A child process asking for the lease, with what it printed so far."""

    def __init__(self, url: str, extra: dict[str, str], name: str) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        # The test made the tables: two children creating them at once would collide.
        extra = {**extra, "CREATE_TABLE": "false"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.infra.lease_holder", url, json.dumps(extra), name],
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        self.lines: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.append(line.strip())

    @property
    def leading(self) -> bool:
        """Whether the last thing it said is that it leads."""
        return bool(self.lines) and self.lines[-1] == "leading"

    def kill(self) -> None:
        """kill -9: no chance to release anything."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


@pytest.fixture(params=["sqlite", "postgres"])
def store_spec(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[str, dict[str, str]]:
    """The URL and extra environment of a fresh SQLite or PostgreSQL store, tables made."""
    url, extra = store_url(request.param, tmp_path, request)
    # Made here, so the two children never race to create the same tables.
    EventStore(url, extra).close()
    return url, extra


def test_exactly_one_process_leads_and_a_killed_leader_is_replaced_within_seconds(
    store_spec: tuple[str, dict[str, str]],
) -> None:
    url, extra = store_spec
    holders = [Holder(url, extra, "workflow-starter") for _ in range(2)]
    try:
        until(lambda: any(h.leading for h in holders), 20)
        time.sleep(1.0)  # both have asked several times by now
        assert sum(h.leading for h in holders) == 1
        leader = next(h for h in holders if h.leading)
        follower = next(h for h in holders if h is not leader)
        leader.kill()
        took = until(lambda: follower.leading, 5)
        assert took < 5
    finally:
        for holder in holders:
            holder.kill()


def test_two_leases_on_separate_connections_exclude_each_other_until_one_is_released(
    durable_store: EventStore,
) -> None:
    first, second = Lease(durable_store, "checkpointer"), Lease(durable_store, "checkpointer")
    other_job = Lease(durable_store, "workflow-starter")
    try:
        assert first.hold() is True
        assert second.hold() is False
        assert other_job.hold() is True  # leases of different jobs are independent
        assert first.hold() is True
        first.release()
        assert second.hold() is True
        assert first.hold() is False
    finally:
        for lease in (first, second, other_job):
            lease.release()


@pytest.mark.postgres
def test_a_leader_whose_connection_is_killed_steps_down_and_another_takes_over(
    postgres_dsn: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, extra = store_url("postgres", tmp_path, request)
    store = EventStore(url, extra)
    first, second = Lease(store, "checkpointer"), Lease(store, "checkpointer")
    try:
        assert first.hold() is True
        assert second.hold() is False
        with psycopg.connect(postgres_dsn, autocommit=True) as admin:
            # The only lease session holding an advisory lock is the leader's.
            admin.execute(
                "SELECT pg_terminate_backend(a.pid) FROM pg_stat_activity a"
                " JOIN pg_locks l ON l.pid = a.pid AND l.locktype = 'advisory' AND l.granted"
                " WHERE a.application_name = 'jejak-lease'"
            )
        # The backend ends a moment after it is told to; the follower retries meanwhile.
        until(second.hold, 5)
        assert first.hold() is False
    finally:
        first.release()
        second.release()
        store.close()
