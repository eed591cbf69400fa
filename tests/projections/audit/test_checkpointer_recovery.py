"""The checkpointer survives a lost database connection and signs again afterwards."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import psycopg
import pytest

from infra.background import BackgroundTable, HeartbeatWriter
from infra.background_report import background_health
from infra.settings import Settings
from infra.store import EventStore
from projections.audit.checkpointer import Checkpointer, start_checkpointer
from projections.audit.checkpoints import latest_checkpoint
from tests.projections.audit.dossier import build_log
from tests.support.polling import until
from tests.support.stores import store_url


def terminate_other_sessions(dsn: str) -> int:
    """pg_terminate_backend on every other session of the database; how many were ended."""
    with psycopg.connect(dsn, autocommit=True) as admin:
        rows = admin.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return len(rows)


def write_despite_outage(store: EventStore, prefix: str) -> None:
    """Add events; the store's first use of a killed connection may fail once."""
    for _ in range(5):
        try:
            build_log(store, dossiers=2, notes=1, prefix=prefix)
            return
        except Exception:  # the pool hands out a dead connection, then a fresh one
            time.sleep(0.2)
    raise AssertionError("the store never came back")


@pytest.mark.postgres
def test_checkpointer_whose_connections_are_killed_recovers_and_signs_again(
    postgres_dsn: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url, extra = store_url("postgres", tmp_path, request)
    store = EventStore(url, extra)
    settings = Settings(_env_file=None, data_dir=tmp_path, audit_checkpoint_every=1)  # type: ignore[call-arg]
    checkpointer = Checkpointer(settings, store, every_seconds=0.2)
    heartbeat = HeartbeatWriter(store, [checkpointer.status])
    stop = threading.Event()
    build_log(store, dossiers=2, notes=1)
    thread = start_checkpointer(checkpointer, stop)
    try:
        until(lambda: (c := latest_checkpoint(store)) and c.position == store.max_position(), 10)
        assert terminate_other_sessions(postgres_dsn) >= 1
        write_despite_outage(store, "after")
        head = store.max_position()
        until(lambda: (c := latest_checkpoint(store)) and c.position == head, 20)
        assert thread.is_alive()
        assert checkpointer.status.role == "leader"
        heartbeat.beat()
        health = background_health(store)
        assert health["ok"] is True
        job = health["jobs"]["checkpointer"]
        assert job["checkpoint_position"] == head
        assert job["checkpoint_age_seconds"] < 30
    finally:
        stop.set()
        thread.join(5)
        heartbeat.stop()
    try:
        assert BackgroundTable(store).read() == []  # a clean stop leaves no row behind
    finally:
        store.close()
