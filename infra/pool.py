"""One pool of PostgreSQL connections per process, lent to everything that reads or writes.

The event store's recorder already keeps a psycopg_pool (eventsourcing's PostgresDatastore);
the read models and the idempotency keys borrow from that same pool instead of opening
connections of their own, so a process never holds more than ``size + max_overflow``
connections for its work, whatever its load. Only the connections that must stay one
session for a long time live outside it: the LISTEN of a log follower and the advisory
lock of a lease (docs/operations.md, "Connection budget").

SQLite has no pool: a connection there is a file handle, not a server process, and
SQLite lets one writer in at a time whatever the number of connections.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, Literal

from eventsourcing.persistence import InterfaceError, OperationalError

#: SQLite's words for a file another connection holds (other OperationalErrors are bugs).
SQLITE_BUSY = re.compile(r"database (table )?is locked|database is busy")

#: What a failure to reach the database means for a caller: wait a moment, or much longer.
Shortage = Literal["busy", "unreachable"]


@dataclass(frozen=True)
class PoolSizing:
    """How many connections a process may hold, and how long a caller waits for one."""

    size: int = 4
    max_overflow: int = 6
    timeout: int = 5
    check: bool = True

    @property
    def most(self) -> int:
        """The most connections the pool opens at once."""
        return self.size + self.max_overflow

    def environment(self) -> dict[str, str]:
        """The eventsourcing settings that size the recorder's pool (shared by everyone).

        eventsourcing uses POSTGRES_CONNECT_TIMEOUT as the pool's wait for a connection;
        POSTGRES_PRE_PING makes the pool test a connection before lending it, so the ones
        the database dropped (a restart, a failover) are replaced instead of failing a
        request each.
        """
        return {
            "POSTGRES_POOL_SIZE": str(self.size),
            "POSTGRES_MAX_OVERFLOW": str(self.max_overflow),
            "POSTGRES_CONNECT_TIMEOUT": str(self.timeout),
            "POSTGRES_PRE_PING": "y" if self.check else "n",
        }


def search_path_option(schema: str) -> str:
    """The libpq ``options`` that make unqualified names (read models, keys) the store's."""
    return f"-c search_path={schema.strip() or 'public'}"


class SharedPool:
    """The recorder's pool, lent for one unit of work at a time."""

    def __init__(self, datastore: Any) -> None:
        self._datastore = datastore

    @contextmanager
    def connection(self, wait: float | None = None) -> Iterator[Any]:
        """A pooled autocommit connection, returned to the pool when the block ends.

        Callers are served first come, first served. One that waited ``wait`` seconds
        (default: ``PoolSizing.timeout``) in vain gets ``psycopg_pool.PoolTimeout``
        (see ``shortage``). A connection that broke in the block, or is returned inside a
        transaction, is discarded or rolled back by the pool, never lent again as it is.
        The driver's own errors pass unchanged (the recorder wraps its own, not these).
        """
        pool = self._datastore.pool
        pool.open(wait=False)  # opens once; the recorder's first statement usually has
        with pool.connection(timeout=wait) as conn:
            yield conn

    def stats(self) -> dict[str, int]:
        """The pool's counters (psycopg_pool's names: pool_size, pool_available, ...)."""
        found: dict[str, int] = self._datastore.pool.get_stats()
        return found


def shortage(exc: BaseException) -> Shortage | None:
    """Why the database could not serve a request, or None when the error is something else.

    ``busy``: every connection of the pool stayed lent out for the whole wait, the server
    has no connection slot left, a lock was not granted in time, or SQLite's file stayed
    locked. ``unreachable``: the server refused, dropped or never answered. The driver's
    error decides, wherever it sits in the chain of causes (eventsourcing wraps it).
    """
    import psycopg
    from psycopg import errors
    from psycopg_pool import PoolTimeout, TooManyRequests

    busy = (
        PoolTimeout,
        TooManyRequests,
        errors.TooManyConnections,
        errors.LockNotAvailable,
        errors.QueryCanceled,
    )
    found: Shortage | None = None
    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, busy):
            return "busy"
        if isinstance(seen, sqlite3.OperationalError):
            return "busy" if SQLITE_BUSY.search(str(seen)) else None
        if isinstance(seen, psycopg.OperationalError | psycopg.InterfaceError):
            return "unreachable"
        if isinstance(seen, OperationalError | InterfaceError):
            found = "unreachable"
        seen = seen.__cause__ or seen.__context__
    return found
