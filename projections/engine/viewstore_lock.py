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
from collections.abc import Iterator
from pathlib import Path

from infra.advisory import held
from infra.store import EventStore

#: The lock held while views are rebuilt at a projector's start.
REBUILD_LOCK = "read-model-rebuild"


@contextlib.contextmanager
def exclusive(store: EventStore, name: str) -> Iterator[None]:
    """Wait for the lock ``name`` across processes and hold it for the block."""
    module = store.env["PERSISTENCE_MODULE"]
    if module == "eventsourcing.postgres":
        with held(store.direct_env, f"jejak:{store.env.get('POSTGRES_SCHEMA', '')}", name):
            yield
        return
    db_name = store.env.get("SQLITE_DBNAME", ":memory:")
    if module != "eventsourcing.sqlite" or db_name == ":memory:":
        yield
        return
    with Path(f"{db_name}.{name}.lock").open("a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield
