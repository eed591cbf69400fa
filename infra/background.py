"""What the background loops (starter, checkpointer, projector) say about themselves.

Each loop updates a ``LoopStatus`` in memory as it goes; one ``HeartbeatWriter`` thread per
process writes them every few seconds to the ``jejak_background`` table of the store's
database, through the store's own connections. Any process (the API's ``/health`` and
``/metrics``, ``jejak projections status``) reads that table: a loop whose last tick is
old is dead, whatever its process says.
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import structlog

from infra.leader import holder_name
from infra.store import EventStore

log = structlog.get_logger(__name__)

TABLE = "jejak_background"
#: Seconds between two writes of a process's statuses.
BEAT_SECONDS = 3.0
#: A loop that has not ticked for this long is reported dead.
STALE_SECONDS = 30.0
#: Rows of processes gone this long are forgotten.
FORGET_SECONDS = 600.0
#: Roles: a ``leader`` or ``running`` loop does the work; a ``standby`` waits for the lease.
WORKING = ("leader", "running")

_COLUMNS = (
    "job, holder, role, tick_at, beat_at, position, last_ok_at, "
    "last_error, last_error_at, errors, detail"
)


@dataclass
class LoopStatus:
    """One loop's state, updated by the loop itself (plain attribute writes, no I/O)."""

    job: str
    role: str = "starting"
    tick_at: float = field(default_factory=time.time)
    position: int = 0
    last_ok_at: float = 0.0
    last_error: str = ""
    last_error_at: float = 0.0
    errors: int = 0
    detail: dict[str, Any] = field(default_factory=dict)

    def tick(self, role: str | None = None, position: int | None = None) -> None:
        """The loop is alive (and, when given, in this role and at this position)."""
        self.tick_at = time.time()
        if role is not None:
            self.role = role
        if position is not None:
            self.position = position

    def succeeded(self, position: int | None = None) -> None:
        """One round of work went through."""
        self.tick(position=position)
        self.last_ok_at = self.tick_at

    def failed(self, error: BaseException) -> None:
        """One round of work failed; the loop retries."""
        self.tick()
        self.last_error, self.last_error_at = repr(error)[:500], self.tick_at
        self.errors += 1


class BackgroundTable:
    """The ``jejak_background`` table in the store's database."""

    def __init__(self, store: EventStore) -> None:
        self.store = store
        self.postgres = store.is_postgres
        self.durable = store.env["PERSISTENCE_MODULE"] != "eventsourcing.popo"
        schema = store.env.get("POSTGRES_SCHEMA", "") or "public"
        self.name = f'"{schema}".{TABLE}' if self.postgres else TABLE
        self._created = False

    @contextmanager
    def _cursor(self) -> Iterator[Any]:
        datastore: Any = getattr(self.store.recorder, "datastore")  # noqa: B009
        with datastore.transaction(commit=True) as cursor:
            yield cursor

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.postgres else sql

    def create(self) -> None:
        """Create the table if it is missing."""
        real = "DOUBLE PRECISION" if self.postgres else "REAL"
        with self._cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE IF NOT EXISTS {self.name} (job TEXT NOT NULL, holder TEXT NOT NULL,"
                f" role TEXT NOT NULL, tick_at {real} NOT NULL, beat_at {real} NOT NULL,"
                f" position BIGINT NOT NULL, last_ok_at {real} NOT NULL, last_error TEXT NOT NULL,"
                f" last_error_at {real} NOT NULL, errors BIGINT NOT NULL, detail TEXT NOT NULL,"
                " PRIMARY KEY (job, holder))"
            )
        self._created = True

    def write(self, holder: str, statuses: list[LoopStatus]) -> None:
        """Store the statuses of one process, and forget processes long gone."""
        if not self.durable:
            return
        if not self._created:
            self.create()
        now = time.time()
        with self._cursor() as cursor:
            for s in statuses:
                values = (s.job, holder, s.role, s.tick_at, now, s.position, s.last_ok_at)
                cursor.execute(
                    self._sql(
                        f"INSERT INTO {self.name} ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?,?,?) "
                        "ON CONFLICT (job, holder) DO UPDATE SET role = excluded.role,"
                        " tick_at = excluded.tick_at, beat_at = excluded.beat_at,"
                        " position = excluded.position, last_ok_at = excluded.last_ok_at,"
                        " last_error = excluded.last_error,"
                        " last_error_at = excluded.last_error_at, errors = excluded.errors,"
                        " detail = excluded.detail"
                    ),
                    (*values, s.last_error, s.last_error_at, s.errors, json.dumps(s.detail)),
                )
            cursor.execute(
                self._sql(f"DELETE FROM {self.name} WHERE beat_at < ?"), (now - FORGET_SECONDS,)
            )

    def forget(self, holder: str) -> None:
        """Remove the rows of a process that stops cleanly."""
        if self.durable and self._created:
            with self._cursor() as cursor:
                cursor.execute(self._sql(f"DELETE FROM {self.name} WHERE holder = ?"), (holder,))

    def read(self) -> list[dict[str, Any]]:
        """Every stored row, as dicts (empty when no loop ever ran here)."""
        if not self.durable:
            return []
        with self._cursor() as cursor:
            # Look before reading, so a read never has to create (and so lock) anything.
            cursor.execute(
                f"SELECT to_regclass('{self.name}') IS NOT NULL"
                if self.postgres
                else f"SELECT COUNT(*) FROM sqlite_master WHERE name = '{TABLE}'"
            )
            found = cursor.fetchall()[0]
            if not (tuple(found.values()) if isinstance(found, dict) else found)[0]:
                return []
            cursor.execute(f"SELECT {_COLUMNS} FROM {self.name} ORDER BY job, holder")
            rows = cursor.fetchall()
        names = [c.strip() for c in _COLUMNS.split(",")]
        return [
            dict(zip(names, tuple(row.values()) if isinstance(row, dict) else row, strict=True))
            for row in rows
        ]


class HeartbeatWriter:
    """Writes this process's loop statuses to the background table every few seconds."""

    def __init__(self, store: EventStore, statuses: list[LoopStatus]) -> None:
        self.table = BackgroundTable(store)
        self.statuses = statuses
        self.holder = holder_name()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="heartbeat", daemon=True)

    def start(self) -> HeartbeatWriter:
        """Begin writing in a daemon thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop writing and remove this process's rows (a clean stop is not a death)."""
        self._stop.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=5)
        try:
            self.table.forget(self.holder)
        except Exception as exc:  # the database may be the reason we stop
            log.warning("could not remove heartbeat rows", error=repr(exc))

    def beat(self) -> None:
        """Write the statuses once."""
        self.table.write(self.holder, self.statuses)

    def _run(self) -> None:
        while True:
            try:
                self.beat()
            except Exception as exc:  # the database is away; the next beat tries again
                log.warning("heartbeat not written", error=repr(exc))
            if self._stop.wait(BEAT_SECONDS):
                return


def seconds_since(iso: str | None, now: float) -> float | None:
    """Seconds from an ISO 8601 time to ``now`` (None when there is no time)."""
    return round(now - datetime.fromisoformat(iso).timestamp(), 1) if iso else None
