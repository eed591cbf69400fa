"""The reference scenario, loaded on the first start of an empty event store."""

from __future__ import annotations

import structlog

from infra.settings import Settings
from infra.store import EventStore

log = structlog.get_logger("jejak.demo")


def load_demo_if_empty(settings: Settings) -> bool:
    """Load the reference scenario when the event log is empty; True when it was loaded."""
    try:
        from domain.scenario import (  # type: ignore[import-not-found]
            ScenarioApps,
            load_reference_scenario,
        )
    except ImportError:
        log.warning("reference scenario not available")
        return False
    store = EventStore(settings.store_url)
    try:
        if store.max_position() > 0:
            return False
        load_reference_scenario(ScenarioApps.of(store.app))
    except Exception:
        # A broken demo must not keep the stack from starting; the log says what failed.
        log.exception("reference scenario could not be loaded")
        return False
    else:
        log.info("reference scenario loaded", max_position=store.max_position())
        return True
    finally:
        store.close()
