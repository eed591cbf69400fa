"""A PostgreSQL server of a run's own (pgserver) that can be killed with SIGKILL and started
again, and a sampler of the connections it holds, by the process that holds them.

The shared server of ``bench.stores`` serves many rows at once; a fault run kills its
database, so it gets one of its own. Its default ``max_connections`` (100) is PostgreSQL's.
"""

from __future__ import annotations

import re
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psutil
import psycopg

#: Seconds a restarted server may take to accept connections again.
RESTART_WITHIN = 60.0
#: The name PostgreSQL's Unix socket has in its directory.
SOCKET = ".s.PGSQL.5432"


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
    def socket_path(self) -> str:
        """The path of the server's Unix socket."""
        return str(self.server.get_postmaster_info().socket_dir / SOCKET)

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


def connections_by_pid(socket_path: str) -> Counter[int]:
    """How many connections each process holds to the server at ``socket_path``: the client
    ends of the Unix sockets whose peer is a server end of that socket (``ss -xpn``)."""
    listing = subprocess.run(["ss", "-xpnH"], capture_output=True, text=True, check=False).stdout
    server_ends: set[str] = set()
    client_ends: list[tuple[str, int]] = []
    for line in listing.splitlines():
        fields = line.split()
        # u_str ESTAB recv-q send-q local-path local-inode peer-path peer-inode users:(...)
        if len(fields) < 8 or fields[1] != "ESTAB":
            continue
        local, inode, peer = fields[4], fields[5], fields[7]
        owner = re.search(r"pid=(\d+)", line)
        if local == socket_path:
            server_ends.add(inode)
        elif local == "*" and owner:
            client_ends.append((peer, int(owner.group(1))))
    return Counter(pid for peer, pid in client_ends if peer in server_ends)


class ConnectionSampler:
    """Counts the client connections the server holds (``pg_stat_activity``) every ``every``
    seconds in a thread, and which process holds each (``names``: pid -> process name, e.g.
    ``api-2``; any other process counts as ``harness``); keeps the peak of the total and of
    each kind of process."""

    def __init__(
        self, database: Database, names: Callable[[], dict[int, str]], every: float = 0.2
    ) -> None:
        self.database, self.names, self.every = database, names, every
        self.peak = 0
        self.peak_by_kind: Counter[str] = Counter()
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
        """One sample: the client backends other than this sampler's, and who holds them."""
        row = conn.execute(
            "SELECT count(*) FROM pg_stat_activity"
            " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
        ).fetchone()
        total = int(row[0]) if row else 0
        names = self.names()
        by_kind: Counter[str] = Counter()
        for pid, count in connections_by_pid(self.database.socket_path).items():
            by_kind[kind_of(names.get(pid, "harness"))] += count
        by_kind["harness"] -= 1  # this sampler's own connection
        by_kind = +by_kind
        self.samples += 1
        for kind, count in by_kind.items():
            self.peak_by_kind[kind] = max(self.peak_by_kind[kind], count)
        if total > self.peak:
            self.peak, self.at_peak = total, dict(by_kind)

    def report(self) -> dict[str, Any]:
        """The peak, who held the connections then, and each kind's own peak."""
        return {
            "peak": self.peak,
            "at_peak": dict(sorted(self.at_peak.items())),
            "peak_by_kind": dict(sorted(self.peak_by_kind.items())),
            "samples": self.samples,
        }


def kind_of(name: str) -> str:
    """``api-2`` -> ``api``."""
    head, _, tail = name.rpartition("-")
    return head if head and tail.isdigit() else name
