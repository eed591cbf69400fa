"""The reference scenario is loaded on the first start of an empty store, and only then."""

from __future__ import annotations

from pathlib import Path

from infra.settings import Settings
from infra.store import EventStore
from jejak.demo import load_demo_if_empty


def test_reference_scenario_is_loaded_once_on_an_empty_store(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, data_dir=tmp_path, event_store_url="")  # type: ignore[call-arg]
    assert load_demo_if_empty(settings) is True
    store = EventStore(settings.store_url)
    try:
        loaded = store.max_position()
    finally:
        store.close()
    assert loaded > 0
    assert load_demo_if_empty(settings) is False
    store = EventStore(settings.store_url)
    try:
        assert store.max_position() == loaded
    finally:
        store.close()
