"""PostgreSQL advisory locks, held on a session of their own.

A session lock needs one session for as long as it is held, so it connects directly (past a
transaction-pooling PgBouncer, at ``JEJAK_DB_DIRECT_URL`` when set), never through the pool.
Leases (infra/leader.py), view rebuilds (projections/engine/viewstore_lock.py) and the
creation of the store's own tables (infra/store.py) take them.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Iterator
from typing import Any


def lock_key(namespace: str, name: str) -> int:
    """A signed 64-bit advisory-lock key for ``name`` within ``namespace``."""
    digest = hashlib.sha256(f"{namespace}:{name}".encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def postgres_conninfo(env: dict[str, str]) -> dict[str, Any]:
    """Connection keywords for psycopg from the store's environment."""
    return {
        "dbname": env["POSTGRES_DBNAME"],
        "host": env["POSTGRES_HOST"],
        "port": env["POSTGRES_PORT"],
        "user": env["POSTGRES_USER"],
        "password": env.get("POSTGRES_PASSWORD", ""),
        "connect_timeout": 5,
        "application_name": "jejak-lease",
    }


@contextlib.contextmanager
def held(env: dict[str, str], namespace: str, name: str) -> Iterator[None]:
    """Wait for the advisory lock ``name`` of ``namespace`` and hold it for the block."""
    import psycopg

    with psycopg.connect(autocommit=True, **postgres_conninfo(env)) as conn:
        key = lock_key(namespace, name)
        conn.execute("SELECT pg_advisory_lock(%s)", (key,))
        try:
            yield
        finally:
            with contextlib.suppress(psycopg.Error):  # closing the session frees it too
                conn.execute("SELECT pg_advisory_unlock(%s)", (key,))
