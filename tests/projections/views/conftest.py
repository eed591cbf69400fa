"""The view tests' runner: of the views their module names in ``VIEWS``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from tests.projections.runners import prepared


@pytest.fixture
def runner(durable_store: EventStore, request: pytest.FixtureRequest) -> Iterator[ProjectionRunner]:
    """A runner of the test module's ``VIEWS``, prepared but not following."""
    with prepared(durable_store, request.module.VIEWS) as projection_runner:
        yield projection_runner
