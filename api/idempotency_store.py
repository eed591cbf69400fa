"""Where Idempotency-Keys are kept: a table in the same database as the events."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from typing import Any, Protocol

from infra.pool import SharedPool
from infra.store import EventStore

TABLE = "jejak_idempotency_keys"
#: How long a key is remembered (the draft asks for at least 24 hours).
RETENTION_SECONDS = 48 * 3600
#: A claim still without a response after this long belongs to a process that died
#: (kill -9, power loss) before it could release it: the key may be claimed again.
IN_FLIGHT_LEASE_SECONDS = 30
#: Seconds a completion or a release waits for a connection (a claim waits the pool's
#: usual time): they queue like everyone else, but stay in the queue until served, so a
#: key is settled even while every connection is in demand.
SETTLE_WAIT_SECONDS = 10.0

#: The rows that are forgotten: expired keys and abandoned claims (given ``cutoffs()``).
FORGOTTEN = "(created_at < ? OR (status IS NULL AND created_at < ?))"

CLAIMED = "claimed"
REPLAY = "replay"
MISMATCH = "mismatch"
IN_FLIGHT = "in-flight"


@dataclass(frozen=True)
class Stored:
    """A finished response kept for replay."""

    status: int
    headers: str
    body: bytes


@dataclass(frozen=True)
class Claim:
    """What claiming a key found: claimed (go ahead), replay, mismatch or in-flight."""

    outcome: str
    stored: Stored | None = None


class KeyStore(Protocol):
    """Claims keys before a command runs, and keeps the response after."""

    def claim(self, user: str, key: str, fingerprint: str, at: float | None = None) -> Claim: ...
    def complete(self, user: str, key: str, stored: Stored) -> None: ...
    def release(self, user: str, key: str) -> None: ...
    def abandon(self, user: str, key: str, at: float) -> None: ...
    def purge(self) -> int: ...


def cutoffs(now: float) -> tuple[float, float]:
    """The times before which a key expired and a claim was abandoned, seen at ``now``."""
    return now - RETENTION_SECONDS, now - IN_FLIGHT_LEASE_SECONDS


def judge(row: tuple[Any, ...] | None, fingerprint: str) -> Claim:
    """What an existing row means for a request with ``fingerprint``."""
    if row is None:
        return Claim(IN_FLIGHT)  # released between our insert and select: let the client retry
    found, status, headers, body = row
    if found != fingerprint:
        return Claim(MISMATCH)
    if status is None:
        return Claim(IN_FLIGHT)
    return Claim(REPLAY, Stored(int(status), str(headers), bytes(body)))


class SqlKeyStore:
    """Keys in a table of the event database (SQLite file or PostgreSQL).

    ``borrow(wait)`` lends an autocommit connection for one call (each statement is
    atomic), waiting up to ``wait`` seconds (None: the usual time): on PostgreSQL from
    the process's one pool, on SQLite a fresh file handle.
    """

    def __init__(
        self,
        borrow: Callable[[float | None], AbstractContextManager[Any]],
        placeholder: str,
        blob: str,
        created_meanwhile: tuple[type[Exception], ...] = (),
    ) -> None:
        self._borrow, self._p = borrow, placeholder
        # Another process may create it between PostgreSQL's check and its own insert.
        with self._cursor() as cur, suppress(*created_meanwhile):
            cur.execute(
                f"CREATE TABLE IF NOT EXISTS {TABLE} (user_id TEXT NOT NULL, key TEXT NOT"
                f" NULL, fingerprint TEXT NOT NULL, status INTEGER, headers TEXT, body {blob},"
                " created_at DOUBLE PRECISION NOT NULL, PRIMARY KEY (user_id, key))"
            )

    @contextmanager
    def _cursor(self, wait: float | None = None) -> Iterator[Any]:
        """A cursor on a borrowed autocommit connection, whose rows are tuples."""
        with self._borrow(wait) as conn:
            yield conn.cursor()

    def _sql(self, text: str) -> str:
        return text.replace("?", self._p)

    def claim(self, user: str, key: str, fingerprint: str, at: float | None = None) -> Claim:
        """Insert the key (the unique primary key decides who runs); else judge the row.

        ``at`` (default: now) marks this claim, so that ``abandon`` can find it.
        """
        now = time.time() if at is None else at
        with self._cursor() as cur:
            cur.execute(
                self._sql(f"DELETE FROM {TABLE} WHERE user_id = ? AND key = ? AND {FORGOTTEN}"),
                (user, key, *cutoffs(now)),
            )
            cur.execute(
                self._sql(
                    f"INSERT INTO {TABLE} (user_id, key, fingerprint, created_at)"
                    " VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING"
                ),
                (user, key, fingerprint, now),
            )
            if cur.rowcount == 1:
                return Claim(CLAIMED)
            cur.execute(
                self._sql(
                    f"SELECT fingerprint, status, headers, body FROM {TABLE}"
                    " WHERE user_id = ? AND key = ?"
                ),
                (user, key),
            )
            return judge(cur.fetchone(), fingerprint)

    def complete(self, user: str, key: str, stored: Stored) -> None:
        """Keep the response for replay."""
        with self._cursor(SETTLE_WAIT_SECONDS) as cur:
            cur.execute(
                self._sql(
                    f"UPDATE {TABLE} SET status = ?, headers = ?, body = ?"
                    " WHERE user_id = ? AND key = ?"
                ),
                (stored.status, stored.headers, stored.body, user, key),
            )

    def release(self, user: str, key: str) -> None:
        """Forget a key whose command failed, so a retry may run it."""
        with self._cursor(SETTLE_WAIT_SECONDS) as cur:
            cur.execute(
                self._sql(f"DELETE FROM {TABLE} WHERE user_id = ? AND key = ?"), (user, key)
            )

    def abandon(self, user: str, key: str, at: float) -> None:
        """Forget the claim made ``at``, if it was recorded at all (its answer was lost)."""
        with self._cursor(SETTLE_WAIT_SECONDS) as cur:
            cur.execute(
                self._sql(
                    f"DELETE FROM {TABLE} WHERE user_id = ? AND key = ? AND status IS NULL"
                    " AND created_at = ?"
                ),
                (user, key, at),
            )

    def purge(self) -> int:
        """Forget every expired key and every abandoned claim; how many were forgotten."""
        with self._cursor() as cur:
            cur.execute(self._sql(f"DELETE FROM {TABLE} WHERE {FORGOTTEN}"), cutoffs(time.time()))
            return int(cur.rowcount)


class MemoryKeyStore:
    """Keys in this process only (for the in-memory event store)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[str, int | None, str, bytes]] = {}
        self._created: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def claim(self, user: str, key: str, fingerprint: str, at: float | None = None) -> Claim:
        """Claim the key, or judge the existing row."""
        with self._lock:
            row = self._rows.get((user, key))
            if row is None:
                self._rows[(user, key)] = (fingerprint, None, "", b"")
                self._created[(user, key)] = time.time() if at is None else at
                return Claim(CLAIMED)
        return judge(row, fingerprint)

    def abandon(self, user: str, key: str, at: float) -> None:
        """Forget the claim made ``at`` if it is still unanswered."""
        with self._lock:
            row = self._rows.get((user, key))
            if row is not None and row[1] is None and self._created.get((user, key)) == at:
                self._rows.pop((user, key), None)
                self._created.pop((user, key), None)

    def complete(self, user: str, key: str, stored: Stored) -> None:
        """Keep the response for replay."""
        with self._lock:
            fingerprint = self._rows[(user, key)][0]
            self._rows[(user, key)] = (fingerprint, stored.status, stored.headers, stored.body)

    def release(self, user: str, key: str) -> None:
        """Forget a key."""
        with self._lock:
            self._rows.pop((user, key), None)
            self._created.pop((user, key), None)

    def purge(self) -> int:
        """Forget every key older than the retention time; how many were forgotten."""
        oldest = time.time() - RETENTION_SECONDS
        with self._lock:
            expired = [k for k, at in self._created.items() if at < oldest]
            for found in expired:
                self._rows.pop(found, None)
                self._created.pop(found, None)
        return len(expired)


def sqlite_store(db_name: str, timeout: float) -> SqlKeyStore:
    """Keys in the SQLite event database file."""

    @contextmanager
    def borrow(wait: float | None) -> Iterator[sqlite3.Connection]:
        conn = sqlite3.connect(db_name, timeout=wait or timeout, isolation_level=None)
        try:
            yield conn
        finally:
            conn.close()

    return SqlKeyStore(borrow, "?", "BLOB")


def postgres_store(pool: SharedPool) -> SqlKeyStore:
    """Keys in the PostgreSQL event database (and schema), on the process's one pool."""
    from psycopg.errors import DuplicateTable, UniqueViolation
    from psycopg.rows import tuple_row

    @contextmanager
    def borrow(wait: float | None) -> Iterator[Any]:
        with pool.connection(wait) as conn:
            # Pooled connections hand out dict rows (the recorder's choice); keys read tuples.
            previous, conn.row_factory = conn.row_factory, tuple_row
            try:
                yield conn
            finally:
                conn.row_factory = previous

    return SqlKeyStore(borrow, "%s", "BYTEA", (DuplicateTable, UniqueViolation))


def key_store_for(store: EventStore) -> KeyStore:
    """The key store in the same database as the events of ``store``."""
    env = store.env
    module = env.get("PERSISTENCE_MODULE", "")
    if module == "eventsourcing.sqlite" and env.get("SQLITE_DBNAME", ":memory:") != ":memory:":
        return sqlite_store(env["SQLITE_DBNAME"], float(env.get("SQLITE_LOCK_TIMEOUT", "10")))
    if store.pool is not None:
        return postgres_store(store.pool)
    return MemoryKeyStore()
