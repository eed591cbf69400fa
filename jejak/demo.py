"""The reference scenario, loaded on the first start of an empty event store."""

from __future__ import annotations

import structlog

from infra.scenario import ScenarioApps, load_reference_scenario
from infra.settings import Settings
from infra.store import EventStore

log = structlog.get_logger("jejak.demo")


def load_demo_if_empty(settings: Settings) -> bool:
    """Load the reference scenario when the event log is empty; True when it was loaded."""
    store = EventStore(settings.store_url)
    try:
        if store.max_position() > 0:
            return False
        summary = load_reference_scenario(ScenarioApps.of(store.app))
        log.info("reference scenario loaded", units=summary.units, events=store.max_position())
        return True
    finally:
        store.close()
