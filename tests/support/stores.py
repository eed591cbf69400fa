"""Fresh event stores for tests: in memory, on SQLite, or in a new PostgreSQL schema."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.store import EventStore

#: The three stores every application is tested on (tests/domain/test_store_contract.py).
STORE_KINDS = ["memory", "sqlite", "postgres"]


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


def opened(kind: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[EventStore]:
    """A fresh event store of ``kind``, closed after the test (for fixtures to yield from)."""
    url, extra = store_url(kind, tmp_path, request)
    event_store = EventStore(url, extra)
    try:
        yield event_store
    finally:
        event_store.close()
