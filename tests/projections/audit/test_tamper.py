"""Acceptance: every direct edit of the stored log is detected, at the right position."""

from __future__ import annotations

import random
import shutil
import sqlite3
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from infra.store import EventStore
from projections.audit.verify import verify
from tests.projections.audit.dossier import build_log
from tests.projections.audit.tampering import Tables, tamper
from tests.support.stores import new_postgres_schema

SQLITE_TABLES = Tables("stored_events", "event_chain", "rowid", "?")


def _verified(url: str, extra: dict[str, str] | None = None) -> tuple[int, str] | None:
    store = EventStore(url, extra)
    try:
        problem = verify(store).problem
    finally:
        store.close()
    return (problem.position, problem.kind) if problem else None


@pytest.fixture(scope="module")
def sqlite_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite file holding a log of 150 events, built once."""
    path = tmp_path_factory.mktemp("log") / "events.db"
    store = EventStore(f"sqlite:///{path}")
    build_log(store, dossiers=10, notes=14)
    store.close()
    return path


def test_untouched_log_verifies(sqlite_log: Path) -> None:
    assert _verified(f"sqlite:///{sqlite_log}") is None


@pytest.mark.slow  # a thousand verifications of the whole log
def test_thousand_random_edits_are_each_detected_at_the_right_position(
    sqlite_log: Path, tmp_path: Path
) -> None:
    case = tmp_path / "case.db"
    kinds: Counter[str] = Counter()
    for seed in range(1000):
        shutil.copy(sqlite_log, case)
        with sqlite3.connect(case) as conn:

            def execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
                return conn.execute(sql, params).fetchall()

            expected = tamper(execute, SQLITE_TABLES, random.Random(seed))
        conn.close()
        assert _verified(f"sqlite:///{case}") == expected, f"seed {seed}"
        kinds[expected[1]] += 1
    assert set(kinds) == {"changed", "missing", "reordered", "inserted"}


@pytest.mark.postgres
def test_edits_on_postgresql_are_detected_at_the_right_position(postgres_dsn: str) -> None:
    import psycopg

    source = new_postgres_schema(postgres_dsn)
    store = EventStore(postgres_dsn, {"POSTGRES_SCHEMA": source})
    build_log(store, dossiers=4, notes=5)
    store.close()
    for seed in range(30):
        schema = new_postgres_schema(postgres_dsn)
        _verified(postgres_dsn, {"POSTGRES_SCHEMA": schema})  # creates the empty tables
        tables = Tables(f"{schema}.jejak_events", f"{schema}.event_chain", "notification_id", "%s")
        with psycopg.connect(postgres_dsn, autocommit=True) as conn:
            conn.execute(f"INSERT INTO {schema}.jejak_events SELECT * FROM {source}.jejak_events")
            conn.execute(f"INSERT INTO {schema}.event_chain SELECT * FROM {source}.event_chain")

            def execute(sql: str, params: tuple[Any, ...]) -> list[tuple[Any, ...]]:
                cursor = conn.execute(sql, params)
                return cursor.fetchall() if cursor.description else []

            expected = tamper(execute, tables, random.Random(seed))
        assert _verified(postgres_dsn, {"POSTGRES_SCHEMA": schema}) == expected, f"seed {seed}"
