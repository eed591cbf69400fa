"""Fixtures that start what the tests need: event stores (memory, SQLite, PostgreSQL)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.store import EventStore

STORE_KINDS = ["memory", "sqlite", "postgres"]


@pytest.fixture(scope="session")
def postgres_dsn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A PostgreSQL server: ``JEJAK_TEST_POSTGRES_DSN`` when given, else pgserver."""
    given = os.environ.get("JEJAK_TEST_POSTGRES_DSN")
    if given:
        yield given
        return
    import pgserver

    server = pgserver.get_server(tmp_path_factory.mktemp("pgdata"), cleanup_mode="stop")
    try:
        yield server.get_uri()
    finally:
        server.cleanup()


def new_postgres_schema(dsn: str) -> str:
    """A fresh, empty schema, so each test starts from an empty store."""
    import psycopg

    schema = "t_" + uuid.uuid4().hex[:12]
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {schema}")
    return schema


def store_url(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> tuple[str, dict[str, str]]:
    """The URL and extra environment of a fresh store of ``kind``."""
    if kind == "memory":
        return "memory://", {}
    if kind == "sqlite":
        return f"sqlite:///{tmp_path / 'events.db'}", {}
    dsn = request.getfixturevalue("postgres_dsn")
    return dsn, {"POSTGRES_SCHEMA": new_postgres_schema(dsn)}


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh event store, once in memory, once on SQLite and once on PostgreSQL."""
    if request.param == "postgres":
        request.applymarker(pytest.mark.postgres)
    url, extra = store_url(request.param, tmp_path, request)
    event_store = EventStore(url, extra)
    try:
        yield event_store
    finally:
        event_store.close()


@pytest.fixture(params=["sqlite", "postgres"])
def durable_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh event store on a real database: SQLite and PostgreSQL."""
    url, extra = store_url(request.param, tmp_path, request)
    event_store = EventStore(url, extra)
    try:
        yield event_store
    finally:
        event_store.close()
