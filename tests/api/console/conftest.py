"""Fixtures of the console tests: the engine over a socket, Chromium, and a Temporal server of
their own: the approvals they complete keep their workflow ids there, ids the reference city of
every other engine test reuses (a completed approval is not started again)."""

from collections.abc import AsyncIterator

import pytest_asyncio
from temporalio.testing import WorkflowEnvironment

from tests.api.console.stack import browser, console
from tests.support.temporal import dev_server

__all__ = ["browser", "console", "dev_env"]


@pytest_asyncio.fixture(scope="package", loop_scope="session")
async def dev_env() -> AsyncIterator[WorkflowEnvironment]:
    """A Temporal dev server for the console's tests alone."""
    async with dev_server() as env:
        yield env
