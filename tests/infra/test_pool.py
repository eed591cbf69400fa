"""One pool per process: sized by settings, shared by events, read models and keys."""

from __future__ import annotations

import sqlite3
from contextlib import ExitStack
from pathlib import Path

import psycopg
import pytest
from eventsourcing.persistence import OperationalError
from psycopg_pool import PoolTimeout

from api.idempotency_store import key_store_for
from infra.pool import PoolSizing, shortage
from infra.settings import Settings
from infra.store import EventStore, environment_for, open_store
from projections.engine.viewstore import ViewStore
from tests.support.stores import new_postgres_schema


def test_settings_size_the_pool_of_the_event_store(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None, data_dir=tmp_path, db_pool_size=3, db_pool_max_overflow=2
    )
    assert settings.db_pool == PoolSizing(size=3, max_overflow=2, timeout=5, check=True)
    env = environment_for("postgresql://u:p@db:5432/jejak", settings.db_pool)
    assert env["POSTGRES_POOL_SIZE"] == "3"
    assert env["POSTGRES_MAX_OVERFLOW"] == "2"
    assert env["POSTGRES_CONNECT_TIMEOUT"] == "5"
    assert env["POSTGRES_PRE_PING"] == "y"


def test_a_direct_url_must_be_postgres(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="postgresql://"):
        Settings(_env_file=None, data_dir=tmp_path, db_direct_url="sqlite:///x.db")  # type: ignore[call-arg]


def test_sqlite_has_no_pool(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    try:
        assert store.pool is None
        assert store.direct_env is store.env
    finally:
        store.close()


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (PoolTimeout("couldn't get a connection after 5.00 sec"), "busy"),
        (psycopg.errors.TooManyConnections("too many clients"), "busy"),
        (sqlite3.OperationalError("database is locked"), "busy"),
        (sqlite3.OperationalError("no such table: jejak_events"), None),
        (psycopg.OperationalError("connection refused"), "unreachable"),
        (OperationalError("wrapped without a cause"), "unreachable"),
        (ValueError("not about the database"), None),
    ],
)
def test_shortages_are_told_from_other_errors(error: Exception, expected: str | None) -> None:
    assert shortage(error) == expected


def test_a_wrapped_driver_error_is_judged_by_its_cause() -> None:
    outer = OperationalError("couldn't get a connection after 1.00 sec")
    outer.__cause__ = PoolTimeout("couldn't get a connection after 1.00 sec")
    assert shortage(outer) == "busy"


@pytest.fixture
def pg_store(postgres_dsn: str) -> EventStore:
    """A store on a fresh schema with a pool of two connections, waited one second."""
    schema = new_postgres_schema(postgres_dsn)
    sizing = PoolSizing(size=1, max_overflow=1, timeout=1)
    return EventStore(postgres_dsn, {"POSTGRES_SCHEMA": schema}, pool=sizing)


def test_read_models_and_keys_borrow_the_event_stores_pool(pg_store: EventStore) -> None:
    assert pg_store.pool is not None
    views, keys = ViewStore(pg_store), key_store_for(pg_store)
    try:
        assert views.positions() == {}
        with ExitStack() as held:
            for _ in range(2):  # every connection of the pool
                held.enter_context(pg_store.pool.connection())
            with pytest.raises(PoolTimeout):
                views.positions()
            with pytest.raises(PoolTimeout):
                keys.claim("someone", "k", "print")
        assert keys.claim("someone", "k", "print").outcome == "claimed"
    finally:
        views.close()
        pg_store.close()


def test_unqualified_names_resolve_in_the_stores_schema(pg_store: EventStore) -> None:
    assert pg_store.pool is not None
    try:
        with pg_store.pool.connection() as conn:
            row = conn.execute("SELECT current_schema()").fetchone()
        assert row["current_schema"] == pg_store.env["POSTGRES_SCHEMA"]
    finally:
        pg_store.close()


def test_sessions_of_their_own_may_go_to_another_address(tmp_path: Path) -> None:
    settings = Settings(  # type: ignore[call-arg]
        _env_file=None,
        data_dir=tmp_path,
        event_store_url=f"sqlite:///{tmp_path / 'events.db'}",
        db_direct_url="postgresql://jejak:secret@db-primary:5432/jejak",
    )
    store = open_store(settings)
    try:
        assert store.direct_env["POSTGRES_HOST"] == "db-primary"
        assert store.direct_env["POSTGRES_PASSWORD"] == "secret"
        assert store.direct_env["PERSISTENCE_MODULE"] == store.env["PERSISTENCE_MODULE"]
    finally:
        store.close()
