"""The Temporal dev server the API and console tests share (updates, custom search attributes)."""

from __future__ import annotations

import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from workflows.search import ALL_KEYS

#: The Temporal CLI the test extra installs beside the interpreter.
TEMPORAL = Path(sys.executable).parent / "temporal"


@asynccontextmanager
async def dev_server() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server with the search attributes the workflows set."""
    started = WorkflowEnvironment.start_local(
        dev_server_existing_path=str(TEMPORAL), search_attributes=ALL_KEYS
    )
    async with await started as env:  # shut down on the way out
        yield env


@pytest_asyncio.fixture(scope="session", loop_scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server for the whole session."""
    async with dev_server() as env:
        yield env
