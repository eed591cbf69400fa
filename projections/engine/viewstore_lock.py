"""One process at a time builds read-model tables that take longer than one transaction.

Creating a view's first generation is one transaction under a transaction lock
(``Tx.lock``). A rebuild spans many transactions, so projectors starting together with a
new view version take a session lock for it: the first rebuilds, the next waits, then
finds the view current and rebuilds nothing. PostgreSQL: a session advisory lock on a
connection of its own (past a transaction pooler, like a lease's). SQLite: a blocking
``flock`` on a file beside the database. In memory: one process, nothing to exclude.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from pathlib import Path

from infra.leader import postgres_conninfo
from infra.store import EventStore

#: The lock held while views are rebuilt at a projector's start.
REBUILD_LOCK = "read-model-rebuild"


def lock_key(schema: str, name: str) -> int:
    """A signed 64-bit PostgreSQL advisory-lock key for ``name`` within ``schema``."""
    digest = hashlib.sha256(f"jejak:{schema}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


@contextlib.contextmanager
def exclusive(store: EventStore, name: str) -> Iterator[None]:
    """Wait for the lock ``name`` across processes and hold it for the block."""
    module = store.env["PERSISTENCE_MODULE"]
    if module == "eventsourcing.postgres":
        import psycopg

        with psycopg.connect(autocommit=True, **postgres_conninfo(store.direct_env)) as conn:
            key = lock_key(store.env.get("POSTGRES_SCHEMA", ""), name)
            conn.execute("SELECT pg_advisory_lock(%s)", (key,))
            try:
                yield
            finally:
                with contextlib.suppress(psycopg.Error):  # closing the session frees it too
                    conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
        return
    db_name = store.env.get("SQLITE_DBNAME", ":memory:")
    if module != "eventsourcing.sqlite" or db_name == ":memory:":
        yield
        return
    with Path(f"{db_name}.{name}.lock").open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
