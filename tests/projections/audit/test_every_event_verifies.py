"""Property: for every event class of the catalog, the export, the verifier and the chain agree."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from eventsourcing.domain import Aggregate
from eventsourcing.persistence import ApplicationRecorder
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from domain.catalog import CONTEXTS
from domain.shared import JejakApplication
from infra.store import EventStore
from projections.audit.decode import decode
from projections.audit.export import ExportFormat, export, exported_events, header
from projections.audit.rawlog import RawLog
from projections.audit.verify import verify
from tests.projections.audit.catalog_events import (
    as_stored,
    event_classes,
    events_of,
    load_verifier,
    store_events,
    unique_ids,
)
from tests.projections.audit.export_edits import EDITS, edited, write_entries

CLASSES = event_classes()
VERIFIER = load_verifier()
FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv", "xlsx")
SLOW_OK = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow]


@contextmanager
def fresh_store(folder: Path) -> Iterator[EventStore]:
    """An empty chained SQLite store of its own."""
    store = EventStore(f"sqlite:///{folder / f'{uuid.uuid4().hex}.db'}")
    try:
        yield store
    finally:
        store.close()


def _topic(cls: type[Aggregate.Event]) -> str:
    return str(getattr(cls, "TOPIC", cls.__qualname__))


def test_the_catalog_holds_the_events_of_every_context() -> None:
    contexts = {_topic(cls).split(":")[0] for cls in CLASSES}
    assert len(CLASSES) >= 60
    assert {"jejak.approvals", "jejak.plan", "jejak.commitments", "jejak.bimtek"} <= contexts
    assert any(getattr(cls, "class_version", 1) > 1 for cls in CLASSES)


def test_snapshots_are_kept_apart_so_the_log_holds_only_these_events(tmp_path: Path) -> None:
    with fresh_store(tmp_path) as store:
        apps = [store.app(cls) for cls in _applications(JejakApplication)]
        snapshotting = [app for app in apps if app.snapshotting_intervals]
        assert len(apps) >= len(CONTEXTS)
        assert snapshotting
        # A snapshot goes to a store of its own, never to the chained log the verifier reads.
        for app in snapshotting:
            assert app.snapshots is not None
            assert app.snapshots.recorder is not store.recorder
            assert not isinstance(app.snapshots.recorder, ApplicationRecorder)


def _applications(base: type[JejakApplication]) -> list[type[JejakApplication]]:
    found = []
    for cls in base.__subclasses__():
        found += [cls, *_applications(cls)]
    return [cls for cls in found if not cls.__module__.startswith("tests.")]


@pytest.mark.parametrize("cls", CLASSES, ids=_topic)
@settings(max_examples=2, deadline=None, suppress_health_check=SLOW_OK)
@given(data=st.data())
def test_every_event_class_exports_and_verifies_in_every_format(
    cls: type[Aggregate.Event], data: st.DataObject, tmp_path: Path
) -> None:
    events = unique_ids(data.draw(st.lists(events_of(cls), min_size=1, max_size=3)))
    as_version_one = getattr(cls, "class_version", 1) > 1 and data.draw(st.booleans())
    with fresh_store(tmp_path) as store:
        store_events(store, [as_stored(store, e, as_version_one) for e in events])
        report = verify(store)
        assert report.ok
        assert [e["hash"] for e in exported_events(store)][-1] == report.last_hash
        for raw in RawLog(store).all_events():
            decode(store, raw)  # stored versions still decode (and upcast) as the domain reads them
        for fmt in FORMATS:
            out = tmp_path / f"log.{fmt}"
            assert export(store, out, fmt) == len(events)
            assert VERIFIER.verify(out, set()).startswith(f"OK: {len(events)} events")


@pytest.mark.slow  # 120 edited exports, each verified in full
@settings(max_examples=120, deadline=None, suppress_health_check=SLOW_OK)
@given(data=st.data())
def test_an_edit_of_any_readable_column_or_chained_byte_is_caught_at_its_position(
    data: st.DataObject, tmp_path: Path
) -> None:
    classes = data.draw(st.lists(st.sampled_from(CLASSES), min_size=1, max_size=5))
    events = unique_ids([data.draw(events_of(cls)) for cls in classes])
    with fresh_store(tmp_path) as store:
        store_events(store, [as_stored(store, e, as_version_one=False) for e in events])
        entries, head = list(exported_events(store)), header(store)
    index = data.draw(st.integers(0, len(entries) - 1))
    column = data.draw(st.sampled_from(EDITS))
    fmt = data.draw(st.sampled_from(FORMATS))
    rng = random.Random(data.draw(st.integers(0, 2**32)))
    out = write_entries(head, edited(entries, index, column, rng), fmt, tmp_path / f"e.{fmt}")
    with pytest.raises(VERIFIER.AlteredError) as caught:
        VERIFIER.verify(out, set())
    assert (caught.value.position, caught.value.kind) == (entries[index]["position"], "changed")
