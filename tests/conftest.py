"""Fixtures that start what the tests need: event stores (memory, SQLite, PostgreSQL), and the
markers that say so: a test that uses PostgreSQL, Temporal, the browser or the reference city is
marked so by the fixtures it asks for, so the fast tier (``make test-fast``) selects itself.
Tests that start processes or fuzz say ``slow`` themselves."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from infra.store import EventStore
from tests.support.stores import STORE_KINDS, opened

#: The shared fixtures: the app, the reference city, the engine on Temporal.
pytest_plugins = [
    "tests.support.app",
    "tests.support.city",
    "tests.support.engine",
    "tests.support.temporal",
]

#: The fixtures that need a service, and the marker of the tests that use them (even indirectly).
NEEDS = {
    "postgres_dsn": "postgres",
    "dev_env": "temporal",
    "skipping_env": "temporal",
    "temporal": "temporal",
    "browser": "browser",
    "console": "browser",
    # Loads the whole reference city (Pematang Siantar 2023) before the test: seconds each.
    "city": "slow",
}


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test by the services its fixtures start (the fast tier deselects them)."""
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        for fixture in names & NEEDS.keys():
            item.add_marker(NEEDS[fixture])
        # A store fixture's "postgres" case (store, durable_store, and those of the tests).
        params = getattr(getattr(item, "callspec", None), "params", {})
        if "postgres" in params.values():
            item.add_marker("postgres")


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


@pytest.fixture(params=STORE_KINDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh event store, once in memory, once on SQLite and once on PostgreSQL."""
    yield from opened(request.param, tmp_path, request)


@pytest.fixture(params=["sqlite", "postgres"])
def durable_store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[EventStore]:
    """A fresh event store on a real database: SQLite and PostgreSQL."""
    yield from opened(request.param, tmp_path, request)
