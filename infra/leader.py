"""A lease that one process holds at a time, so a background job runs exactly once.

PostgreSQL: a session advisory lock on a connection of its own. The lock lives as long as
that connection: when the leader dies, or only its connection drops, PostgreSQL frees the
lock and the next follower that asks takes it. SQLite: an exclusive ``flock`` on a lock
file beside the database, which the kernel releases when the holding process dies. The
in-memory store lives in one process, which always leads.

A leader that lost its connection notices at its next ``hold()`` and steps down; until
then two processes may briefly both act, which is why the jobs under a lease (the workflow
starter, the checkpointer) stay idempotent on their own.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
from pathlib import Path
from typing import IO, Any

import structlog

from infra.advisory import lock_key, postgres_conninfo
from infra.store import EventStore

log = structlog.get_logger(__name__)


def holder_name() -> str:
    """Who holds a lease: host and process id, as operators read them."""
    return f"{socket.gethostname()}:{os.getpid()}"


class Lease:
    """One named lease over the store's database; ``hold()`` says whether we lead now."""

    def __init__(self, store: EventStore, name: str) -> None:
        self.name = name
        self.holder = holder_name()
        self._env = store.direct_env  # a session of its own: never through a transaction pooler
        self._kind = store.env["PERSISTENCE_MODULE"].rsplit(".", 1)[-1]
        self._held = False
        self._conn: Any = None
        self._file: IO[bytes] | None = None
        namespace = store.env.get("POSTGRES_SCHEMA", "") or store.env.get("SQLITE_DBNAME", "")
        self.key = lock_key(namespace, name)

    @property
    def held(self) -> bool:
        """Whether this process led at the last ``hold()``."""
        return self._held

    def hold(self) -> bool:
        """Take the lease if it is free, or check it is still ours; True while we lead."""
        was = self._held
        if self._kind == "postgres":
            self._held = self._hold_postgres()
        elif self._kind == "sqlite":
            self._held = self._hold_file()
        else:
            self._held = True
        if self._held != was:
            log.info("leading" if self._held else "no longer leading", lease=self.name)
        return self._held

    def release(self) -> None:
        """Give the lease up (closing its connection or lock file)."""
        if self._conn is not None:
            if self._held:
                # Unlock before closing: the server ends a closed session a moment later,
                # and the next leader should not have to wait for that.
                with contextlib.suppress(Exception):
                    self._conn.execute("SELECT pg_advisory_unlock(%s)", (self.key,))
            self._close_connection()
        if self._file is not None:
            self._file.close()
            self._file = None
        self._held = False

    def _hold_postgres(self) -> bool:
        import psycopg

        try:
            if self._conn is None:
                self._conn = psycopg.connect(autocommit=True, **postgres_conninfo(self._env))
            if self._held:
                # The lock is ours as long as this session lives: prove the session lives.
                self._conn.execute("SELECT 1")
                return True
            row = self._conn.execute("SELECT pg_try_advisory_lock(%s)", (self.key,)).fetchone()
            return bool(row and row[0])
        except psycopg.Error as exc:
            log.warning("lease connection lost", lease=self.name, error=str(exc))
            self._close_connection()
            return False

    def _close_connection(self) -> None:
        try:
            self._conn.close()
        except Exception as exc:  # closing a dead connection may fail; it is gone either way
            log.debug("lease connection close failed", error=str(exc))
        self._conn = None

    def _hold_file(self) -> bool:
        if self._held or self._env["SQLITE_DBNAME"] == ":memory:":
            return True  # a database in memory is private to this process
        if self._file is None:
            path = Path(f"{self._env['SQLITE_DBNAME']}.{self.name}.lock")
            self._file = path.open("a+b")
        try:
            # flock locks belong to the open file, so two leases in one process also exclude.
            fcntl.flock(self._file.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True
