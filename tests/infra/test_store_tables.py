"""Two processes opening a fresh PostgreSQL schema at once: the store's tables made once."""

from __future__ import annotations

from contextlib import ExitStack

import pytest

from domain.shared import JejakApplication
from infra.store import EventStore
from tests.support.racing import together
from tests.support.stores import new_postgres_schema

pytestmark = pytest.mark.postgres


def test_stores_opened_together_on_a_fresh_schema_both_open_and_share_one_log(
    postgres_dsn: str,
) -> None:
    with ExitStack() as closing:
        for _ in range(5):  # each round on a fresh schema, where the tables are created
            schema = {"POSTGRES_SCHEMA": new_postgres_schema(postgres_dsn)}

            def opened(extra: dict[str, str] = schema) -> EventStore:
                store = EventStore(postgres_dsn, extra)
                closing.callback(store.close)
                store.app(JejakApplication)  # its snapshot store, on the tables made above
                return store

            first, second = together(opened, opened)

            assert first.max_position() == second.max_position() == 0
