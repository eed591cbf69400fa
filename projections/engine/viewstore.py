"""Where read models live: the event store's own database, on the process's connections."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from typing import Any

from infra.store import EventStore
from infra.tracing import span
from projections.engine.dialect import DBConnection, Dialect, dialect_for

BOOKKEEPING = (
    "CREATE TABLE IF NOT EXISTS projection_generations ("
    "view {text} PRIMARY KEY, active_generation {int} NOT NULL, version {int} NOT NULL)",
    "CREATE TABLE IF NOT EXISTS projection_positions ("
    "view {text} NOT NULL, generation {int} NOT NULL, position {int} NOT NULL, "
    "updated_at {text} NOT NULL, PRIMARY KEY (view, generation))",
)

#: The lock taken by whoever creates read-model tables (the bookkeeping, a view's first
#: generation): two processes starting together must not both create them.
CREATION_LOCK = "read-model-tables"


class Tx:
    """One open transaction: ``execute`` and ``query`` take ``?`` placeholders."""

    def __init__(self, cursor: Any, dialect: Dialect) -> None:
        self._cursor = cursor
        self._dialect = dialect

    def execute(self, sql: str, params: Sequence[Any] = ()) -> None:
        """Run one statement."""
        self._cursor.execute(self._dialect.sql(sql), tuple(params))

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """Run one query and return its rows as tuples."""
        self._cursor.execute(self._dialect.sql(sql), tuple(params))
        return [tuple(row) for row in self._cursor.fetchall()]

    def columns(self, table: str) -> list[str]:
        """The column names of a table, in order."""
        self._cursor.execute(f"SELECT * FROM {table} WHERE 1 = 0")
        return [str(d[0]) for d in self._cursor.description]

    def lock(self, name: str) -> None:
        """Wait for the lock ``name`` and hold it until this transaction ends.

        PostgreSQL: a transaction advisory lock (concurrent ``CREATE TABLE IF NOT EXISTS``
        there may fail on the system catalogs, and two inserts of one row collide). SQLite:
        nothing to do, a write transaction holds the whole file already.
        """
        if self._dialect.name == "postgres":
            # Keyed by schema and name: deployments sharing a database never wait on each other.
            self._cursor.execute(
                "SELECT pg_advisory_xact_lock(hashtext(current_schema()), hashtext(%s))", (name,)
            )

    def position(self, view: str, generation: int) -> int:
        """The last log position applied to a generation of a view (0 for none)."""
        rows = self.query(
            "SELECT position FROM projection_positions WHERE view = ? AND generation = ?",
            (view, generation),
        )
        return int(rows[0][0]) if rows else 0

    def set_position(self, view: str, generation: int, position: int) -> None:
        """Record how far a generation of a view has applied the log."""
        self.execute(
            "INSERT INTO projection_positions (view, generation, position, updated_at) "
            "VALUES (?, ?, ?, ?) ON CONFLICT (view, generation) DO UPDATE SET "
            "position = excluded.position, updated_at = excluded.updated_at",
            (view, generation, position, datetime.now(UTC).isoformat()),
        )

    def active_generation(self, view: str, *, lock: bool = False) -> tuple[int, int] | None:
        """The active generation of a view and the view version it was built with.

        ``lock`` holds the view's row until commit, so a batch and a generation swap never
        interleave (SQLite write transactions are serial anyway).
        """
        rows = self.query(
            "SELECT active_generation, version FROM projection_generations WHERE view = ?"
            + (self._dialect.lock_row if lock else ""),
            (view,),
        )
        return (int(rows[0][0]), int(rows[0][1])) if rows else None


class ViewStore:
    """Read models in the event store's database, beside the events.

    PostgreSQL: each transaction borrows a connection from the process's one pool (the
    event store's, infra/pool.py), so readers and writers of many threads run side by
    side within the pool's size. SQLite: one connection, shared by the threads of a
    process under a lock: writers hold it for one short batch transaction, readers for
    one query (a SQLite file lets one writer in at a time anyway).
    """

    def __init__(self, store: EventStore) -> None:
        self.dialect = dialect_for(store.env)
        self._pool = store.pool
        self._conn: DBConnection | None = None
        self._lock = threading.RLock()
        with self.transaction() as tx:
            tx.lock(CREATION_LOCK)
            for statement in BOOKKEEPING:
                tx.execute(self.dialect.ddl(statement))

    def _connection(self) -> DBConnection:
        if self._conn is None:
            self._conn = self.dialect.connect()
        return self._conn

    @contextmanager
    def _borrowed(self) -> Iterator[Any]:
        """A connection for one transaction: the pool's, or the one SQLite connection."""
        if self._pool is not None:
            with self._pool.connection() as conn:
                yield conn
            return
        with self._lock:
            try:
                yield self._connection()
            except Exception as exc:
                if self.dialect.is_connection_error(exc):
                    self.reset()  # the next transaction reconnects
                raise

    @contextmanager
    def transaction(self, *, write: bool = True, batch: bool = False) -> Iterator[Tx]:
        """A transaction: committed when the block ends, rolled back on error.

        On SQLite a write transaction takes the database's write lock at once (so two
        writers never deadlock upgrading); a read one does not block the event writers.
        ``batch`` (many writes, few reads) sends statements to PostgreSQL without waiting
        for each answer; a failure there closes the connection, which rolls back (the pool
        then drops it).
        """
        with span("jejak.views." + ("write" if write else "read")), self._borrowed() as conn:
            if batch and self.dialect.pipelines:
                try:
                    with conn.pipeline():
                        yield from self._transaction(conn, write, pipelined=True)
                except BaseException:
                    with suppress(Exception):  # an error answered late leaves it open
                        conn.close()
                    raise
            else:
                yield from self._transaction(conn, write, pipelined=False)

    def _transaction(self, conn: Any, write: bool, *, pipelined: bool) -> Iterator[Tx]:
        cursor = self.dialect.cursor(conn)
        cursor.execute(self.dialect.begin_write if write else "BEGIN")
        try:
            yield Tx(cursor, self.dialect)
        except BaseException:
            if not pipelined:
                with suppress(Exception):  # a broken connection rolled back already
                    cursor.execute("ROLLBACK")
            raise
        cursor.execute("COMMIT")

    def query(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        """One read, in a read transaction."""
        with self.transaction(write=False) as tx:
            return tx.query(sql, params)

    def table(self, view: str, base_name: str) -> str:
        """The name of a view's table in its active generation (the one reads use)."""
        with self.transaction(write=False) as tx:
            active = tx.active_generation(view)
        if active is None:
            raise LookupError(f"The read model {view!r} has not been built yet.")
        return table_name(base_name, active[0])

    def tables(self, view: str, base_names: Iterable[str]) -> dict[str, str]:
        """The names of several of a view's tables in its active generation (one read)."""
        with self.transaction(write=False) as tx:
            active = tx.active_generation(view)
        if active is None:
            raise LookupError(f"The read model {view!r} has not been built yet.")
        return {base: table_name(base, active[0]) for base in base_names}

    def positions(self, views: Iterable[str] | None = None) -> dict[str, int]:
        """The position of the active generation of each (or each named) view."""
        rows = self.query(
            "SELECT g.view, p.position FROM projection_generations g "
            "JOIN projection_positions p "
            "ON p.view = g.view AND p.generation = g.active_generation"
        )
        wanted = set(views) if views is not None else None
        return {str(v): int(p) for v, p in rows if wanted is None or v in wanted}

    def wait_for(self, views: Iterable[str], position: int, timeout: float) -> bool:
        """Wait until every named view has applied the log up to ``position``."""
        names = set(views)
        deadline = time.monotonic() + timeout
        while True:
            reached = self.positions(names)
            if len(reached) == len(names) and all(p >= position for p in reached.values()):
                return True
            if time.monotonic() >= deadline:
                return False
            time.sleep(min(0.02, max(0.0, deadline - time.monotonic())))

    def reset(self) -> None:
        """Drop the SQLite connection (after it broke); the next use opens a new one.

        Pooled connections need no reset: the pool drops a broken one when it comes back.
        """
        conn, self._conn = self._conn, None
        if conn is not None:
            with suppress(Exception):  # closing a broken connection may fail too
                conn.close()

    def close(self) -> None:
        """Release the SQLite connection (the pool closes with the event store)."""
        with self._lock:
            self.reset()


def table_name(base_name: str, generation: int) -> str:
    """The physical name of a view table in one generation, e.g. ``timeline_g2``."""
    return f"{base_name}_g{generation}"
