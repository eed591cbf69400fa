"""The view tests' runner (of the views their module names in ``VIEWS``) and the services
whose events they project."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.bimtek import BimtekApplication
from domain.commitments import CommitmentsApplication
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from tests.projections.runners import prepared


@pytest.fixture
def runner(durable_store: EventStore, request: pytest.FixtureRequest) -> Iterator[ProjectionRunner]:
    """A runner of the test module's ``VIEWS``, prepared but not following."""
    with prepared(durable_store, request.module.VIEWS) as projection_runner:
        yield projection_runner


@pytest.fixture
def approvals(durable_store: EventStore) -> ApprovalsApplication:
    """The approvals service over the store."""
    return durable_store.app(ApprovalsApplication)


@pytest.fixture
def bimtek(durable_store: EventStore) -> BimtekApplication:
    """The bimtek service over the store."""
    return durable_store.app(BimtekApplication)


@pytest.fixture
def commitments(durable_store: EventStore) -> CommitmentsApplication:
    """The commitments service over the store."""
    return durable_store.app(CommitmentsApplication)
