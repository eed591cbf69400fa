"""Fixtures of the audit tests."""

from __future__ import annotations

import pytest

from infra.store import EventStore
from tests.projections.audit.dossier import build_log


@pytest.fixture
def chained(durable_store: EventStore) -> EventStore:
    """A durable store holding a small log."""
    build_log(durable_store, dossiers=3, notes=3)
    return durable_store
