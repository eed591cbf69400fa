"""A PostgreSQL server of a run's own (pgserver) that can be killed with SIGKILL and started
again, and a sampler of the connections it holds.

The shared server of ``bench.stores`` serves many rows at once; a fault run kills its
database, so it gets one of its own. Its default ``max_connections`` (100) is PostgreSQL's.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import psutil
import psycopg

#: Seconds a restarted server may take to accept connections again.
RESTART_WITHIN = 60.0
#: What each process says it is (libpq's PGAPPNAME), so connections can be counted by kind.
APP_NAME = "PGAPPNAME"


class Database:
    """One PostgreSQL server in ``pgdata``; ``kill()`` and ``start()`` like a ``Proc``."""

    def __init__(self, pgdata: Path) -> None:
        import pgserver

        self.name = "database"
        self.server: Any = pgserver.get_server(pgdata, cleanup_mode="stop")
        self.restarted_at: list[float] = []

    def uri(self, database: str | None = None) -> str:
        """The server's URL (over its Unix socket), for ``database`` when given."""
        return str(self.server.get_uri(database))

    def create(self, label: str) -> str:
        """A new empty database; its URL."""
        name = f"{label}_{uuid.uuid4().hex[:6]}".lower()
        with psycopg.connect(self.uri(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.uri(name)

    @property
    def pid(self) -> int:
        """The postmaster's process id."""
        return int(self.server.get_pid())

    def kill(self) -> None:
        """kill -9 the postmaster, and wait until every backend it leaves behind has exited."""
        postmaster = psutil.Process(self.pid)
        backends = postmaster.children(recursive=True)
        postmaster.kill()
        postmaster.wait(10)
        # Backends notice their postmaster is gone and exit; the shared memory they hold
        # would stop a new postmaster from starting.
        _, alive = psutil.wait_procs(backends, timeout=30)
        for left in alive:
            left.kill()
        psutil.wait_procs(alive, timeout=10)

    def start(self) -> Database:
        """Start the server again (crash recovery replays its WAL), ready for connections."""
        with self.server._lock:
            self.server.ensure_postgres_running()
        self.wait_ready(RESTART_WITHIN)
        self.restarted_at.append(time.time())
        return self

    def wait_ready(self, within: float) -> None:
        """Wait until the server accepts a connection."""
        deadline = time.monotonic() + within
        while True:
            try:
                with psycopg.connect(self.uri(), connect_timeout=2):
                    return
            except psycopg.OperationalError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.1)

    def stop(self) -> None:
        """Stop the server for good."""
        self.server.cleanup()


class ConnectionSampler:
    """Counts the client connections the server holds, by application name, every ``every``
    seconds in a thread; keeps the peak of the total and of each name."""

    def __init__(self, database: Database, every: float = 0.2) -> None:
        self.database, self.every = database, every
        self.peak = 0
        self.peak_by_name: Counter[str] = Counter()
        self.at_peak: dict[str, int] = {}
        self.samples = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="connections", daemon=True)

    def __enter__(self) -> ConnectionSampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        conn: psycopg.Connection[Any] | None = None
        while not self._stop.wait(self.every):
            try:
                if conn is None or conn.closed:
                    conn = psycopg.connect(
                        self.database.uri(), autocommit=True, connect_timeout=2,
                        application_name="sampler",
                    )  # fmt: skip
                self.take(conn)
            except psycopg.Error:
                conn = None  # the server is away (killed on purpose): look again later
        if conn is not None:
            conn.close()

    def take(self, conn: psycopg.Connection[Any]) -> None:
        """One sample: client backends other than this sampler, by application name."""
        rows = conn.execute(
            "SELECT application_name, count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            " GROUP BY application_name"
        ).fetchall()
        by_name = {kind_of(str(name)): 0 for name, _ in rows}
        for name, count in rows:
            by_name[kind_of(str(name))] += int(count)
        total = sum(by_name.values())
        self.samples += 1
        for name, count in by_name.items():
            self.peak_by_name[name] = max(self.peak_by_name[name], count)
        if total > self.peak:
            self.peak, self.at_peak = total, by_name

    def report(self) -> dict[str, Any]:
        """The peak, who held the connections then, and each kind's own peak."""
        return {
            "peak": self.peak,
            "at_peak": dict(sorted(self.at_peak.items())),
            "peak_by_kind": dict(sorted(self.peak_by_name.items())),
            "samples": self.samples,
        }


def kind_of(application_name: str) -> str:
    """``api-2`` -> ``api``; the lease's own connections keep their name."""
    head, _, tail = application_name.rpartition("-")
    return head if head and tail.isdigit() else application_name or "other"
