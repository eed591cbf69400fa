"""Temporal test fixtures: a dev server (updates, search attributes) and a time-skipping server."""

from __future__ import annotations

import sys
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
import pytest_asyncio
from temporalio.api.enums.v1 import IndexedValueType
from temporalio.api.operatorservice.v1 import AddSearchAttributesRequest
from temporalio.testing import WorkflowEnvironment

from infra.store import EventStore
from workflows.search import ALL_KEYS

BIN = Path(sys.executable).parent


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server (full server: updates, custom search attributes).

    Deliberately not the one of ``tests.support.temporal``: these tests load the reference
    city too, whose approvals have deterministic workflow ids, so sharing a server with the
    API's engine tests would make one's approval a duplicate of the other's.
    """
    env = await WorkflowEnvironment.start_local(
        dev_server_existing_path=str(BIN / "temporal"),
        search_attributes=ALL_KEYS,
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def skipping_env() -> AsyncIterator[WorkflowEnvironment]:
    """A time-skipping Temporal test server: weeks of deadlines pass in a moment."""
    env = await WorkflowEnvironment.start_time_skipping(
        test_server_existing_path=str(BIN / "temporal-test-server"),
    )
    # The test server refuses undeclared search attributes, and has no start option for them.
    await env.client.operator_service.add_search_attributes(
        AddSearchAttributesRequest(
            namespace=env.client.namespace,
            search_attributes={
                key.name: IndexedValueType.ValueType(key.indexed_value_type) for key in ALL_KEYS
            },
        )
    )
    try:
        yield env
    finally:
        await env.shutdown()


@pytest.fixture
def memory_store() -> Iterator[EventStore]:
    """A fresh in-memory event store."""
    store = EventStore("memory://")
    try:
        yield store
    finally:
        store.close()


@pytest.fixture
def task_queue() -> str:
    """A task queue of this test alone, so workers of other tests never pick its tasks."""
    return f"approvals-{uuid.uuid4().hex[:8]}"
