"""The event store: one factory, one recorder, one log shared by every application."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qs, unquote, urlsplit

from eventsourcing.persistence import (
    ApplicationRecorder,
    InfrastructureFactory,
    TrackingRecorder,
)
from eventsourcing.utils import Environment

from domain import catalog
from domain.shared import JejakApplication
from infra.advisory import held
from infra.pool import PoolSizing, SharedPool, search_path_option
from infra.settings import Settings
from infra.tracing import trace_saves

TApp = TypeVar("TApp", bound=JejakApplication)

#: The name of the shared store; on PostgreSQL the tables are ``jejak_events`` etc.
STORE_NAME = "jejak"

#: The advisory lock under which a process creates the store's own tables (PostgreSQL).
TABLES_LOCK = "store-tables"

#: The recorders that hash-chain every event (infra/chain.py), by database.
CHAINED_RECORDER_TOPIC = {
    "sqlite": "infra.chain:ChainedSQLiteApplicationRecorder",
    "postgres": "infra.chain:ChainedPostgresApplicationRecorder",
}

#: How pooled connections show in ``pg_stat_activity`` (leases: jejak-lease, LISTEN:
#: jejak-listen), so an operator can count each kind.
POOL_APPLICATION_NAME = "jejak-pool"

#: The settings that say where a PostgreSQL server is and who connects.
SERVER_KEYS = frozenset(
    {"POSTGRES_DBNAME", "POSTGRES_HOST", "POSTGRES_PORT", "POSTGRES_USER", "POSTGRES_PASSWORD"}
)

#: Every application reads snapshots (a table apart from the chained log) where they exist;
#: those with ``snapshotting_intervals`` take them.
SNAPSHOTS = {"IS_SNAPSHOTTING_ENABLED": "y"}


def private_file(path: Path) -> None:
    """Create ``path`` readable by its owner only (0600), in a directory made 0700.

    SQLite gives its -wal and -shm files the mode of the database file, so they stay
    private too. An existing database is narrowed to 0600; an existing directory is left.
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
    os.chmod(path, 0o600)


def environment_for(url: str, pool: PoolSizing | None = None) -> dict[str, str]:
    """The eventsourcing environment variables for a store URL (``pool`` sizes PostgreSQL's)."""
    parts = urlsplit(url)
    if parts.scheme == "memory":
        return {"PERSISTENCE_MODULE": "eventsourcing.popo", **SNAPSHOTS}
    if parts.scheme == "sqlite":
        path = unquote(parts.path)
        # sqlite:///relative/path and sqlite:////absolute/path, as SQLAlchemy spells them.
        db_name = path[1:] if path.startswith("/") else path
        if db_name != ":memory:":
            private_file(Path(db_name))
        return {
            "PERSISTENCE_MODULE": "eventsourcing.sqlite",
            "SQLITE_DBNAME": db_name or ":memory:",
            "SQLITE_LOCK_TIMEOUT": "10",
            "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER_TOPIC["sqlite"],
            **SNAPSHOTS,
        }
    if parts.scheme in {"postgresql", "postgres"}:
        query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        host = query.get("host") or parts.hostname or "localhost"
        return {
            "PERSISTENCE_MODULE": "eventsourcing.postgres",
            "POSTGRES_DBNAME": unquote(parts.path.lstrip("/")) or "postgres",
            "POSTGRES_HOST": host,
            "POSTGRES_PORT": str(parts.port or 5432),
            "POSTGRES_USER": unquote(parts.username or "postgres"),
            "POSTGRES_PASSWORD": unquote(parts.password or ""),
            **(pool or PoolSizing()).environment(),
            "APPLICATION_RECORDER_TOPIC": CHAINED_RECORDER_TOPIC["postgres"],
            **SNAPSHOTS,
        }
    raise ValueError(f"unknown event store URL scheme: {parts.scheme!r}")


class EventStore:
    """Builds and holds the shared infrastructure and the application services over it.

    On PostgreSQL the recorder's connection pool is the process's only pool (``pool``):
    read models and idempotency keys borrow from it (infra/pool.py).
    """

    def __init__(
        self,
        url: str,
        extra_env: dict[str, str] | None = None,
        pool: PoolSizing | None = None,
        direct_url: str = "",
    ) -> None:
        catalog.load_all()
        self.url = url
        self.env = {**environment_for(url, pool), **(extra_env or {})}
        #: Where sessions that must stay one session connect (a LISTEN, a lease's advisory
        #: lock): ``direct_url``, past a transaction-pooling PgBouncer; else the store's URL.
        self.direct_env = self.env
        if direct_url:
            server = {k: v for k, v in environment_for(direct_url).items() if k in SERVER_KEYS}
            self.direct_env = {**self.env, **server}
        self.factory: InfrastructureFactory[Any] = InfrastructureFactory.construct(
            Environment(STORE_NAME, self.env)
        )
        self.pool: SharedPool | None = None
        if self.is_postgres:
            datastore: Any = getattr(self.factory, "datastore")  # noqa: B009
            # Before the pool opens (the recorder's first statement opens it): the library
            # names its own tables with their schema; everyone else relies on the path.
            datastore.pool.kwargs["options"] = search_path_option(
                self.env.get("POSTGRES_SCHEMA", "")
            )
            datastore.pool.kwargs["application_name"] = POOL_APPLICATION_NAME
            self.pool = SharedPool(datastore)
        self.recorder: ApplicationRecorder = self._recorder_with_tables()
        trace_saves(self.recorder)
        self._apps: dict[type[JejakApplication], JejakApplication] = {}

    def _recorder_with_tables(self) -> ApplicationRecorder:
        """The application recorder, the store's tables created first where they may race.

        Two processes opening a fresh PostgreSQL schema at once would both run the library's
        ``CREATE TABLE IF NOT EXISTS``, and the second can fail on the catalog (a duplicate
        ``pg_type`` key): the log, snapshot and tracking tables are created under one advisory
        lock, after which every later ``IF NOT EXISTS`` finds them.
        """
        if not self.is_postgres:
            return self.factory.application_recorder()
        schema = self.env.get("POSTGRES_SCHEMA", "")
        with held(self.direct_env, f"{STORE_NAME}:{schema}", TABLES_LOCK):
            recorder: ApplicationRecorder = self.factory.application_recorder()
            self.factory.aggregate_recorder("snapshots")
            self.factory.tracking_recorder()
        return recorder

    @property
    def is_postgres(self) -> bool:
        """True when the store is PostgreSQL (followers may subscribe instead of polling)."""
        return self.env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"

    def app(self, cls: type[TApp]) -> TApp:
        """The one instance of application service ``cls`` over this store."""
        if cls not in self._apps:
            self._apps[cls] = cls(self.env, factory=self.factory, recorder=self.recorder)
        app = self._apps[cls]
        assert isinstance(app, cls)
        return app

    def tracking_recorder(self) -> TrackingRecorder:
        """A recorder of positions, in the same database as the events."""
        recorder: TrackingRecorder = self.factory.tracking_recorder()
        return recorder

    def max_position(self) -> int:
        """The position of the newest event in the log (0 when empty)."""
        return self.recorder.max_notification_id() or 0

    def close(self) -> None:
        """Release connections."""
        self.factory.close()


def open_store(settings: Settings) -> EventStore:
    """The event store the settings name, its connection pool sized by them."""
    return EventStore(settings.store_url, pool=settings.db_pool, direct_url=settings.db_direct_url)
