"""Domain tests run on the in-memory store; the store matrix is kept in test_store_contract."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.store import EventStore


@pytest.fixture
def store() -> Iterator[EventStore]:
    """A fresh in-memory event store (the domain does not depend on the database)."""
    event_store = EventStore("memory://")
    try:
        yield event_store
    finally:
        event_store.close()
