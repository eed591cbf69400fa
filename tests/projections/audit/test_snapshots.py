"""Snapshots: a long history read as of a version from the nearest snapshot; the log verifies."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from domain.plan import PlanApplication
from domain.plan.application import SNAPSHOT_EVERY
from infra.store import EventStore
from projections.audit.decode import reader
from projections.audit.history import state_as_of, state_at_version
from projections.audit.rawlog import RawLog
from projections.audit.verify import verify
from tests.support.plan import KADIS, plan_setup

EVENTS = 1000


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    """A chained SQLite store of its own."""
    event_store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    yield event_store
    event_store.close()


def long_milestone(store: EventStore, events: int = EVENTS) -> uuid.UUID:
    """A milestone with ``events`` events: progress reported again and again, an hour apart."""
    app = store.app(PlanApplication)
    milestone_id = plan_setup(store).milestone_id
    milestone = app.get_milestone(milestone_id)
    start = milestone.modified_on
    while milestone.version < events:
        attribution = KADIS.attribution()
        attribution["effective_at"] = start + timedelta(hours=milestone.version)
        milestone.report_progress(10.0, "Laporan berkala", (), **attribution)
        if milestone.version % 37 == 0 or milestone.version == events:
            app.save_changes(milestone)
    return milestone_id


class Reads:
    """Counts the rows the store hands out for one aggregate: events and snapshots."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, store: EventStore) -> None:
        self.events = self.snapshots = 0
        snapshots = reader(store).snapshots
        assert snapshots is not None
        self._count(monkeypatch, store.recorder, "events")
        self._count(monkeypatch, snapshots.recorder, "snapshots")

    def _count(self, monkeypatch: pytest.MonkeyPatch, recorder: Any, what: str) -> None:
        select = recorder.select_events

        def counted(*args: Any, **kwargs: Any) -> Any:
            rows = list(select(*args, **kwargs))
            setattr(self, what, getattr(self, what) + len(rows))
            return rows

        monkeypatch.setattr(recorder, "select_events", counted)


@contextmanager
def without_snapshots(store: EventStore) -> Iterator[EventStore]:
    """The same database read with snapshotting off: every state is a full replay."""
    replaying = EventStore(store.url, extra_env={"IS_SNAPSHOTTING_ENABLED": "n"})
    try:
        yield replaying
    finally:
        replaying.close()


def test_state_at_a_version_of_a_1000_event_milestone_reads_one_snapshot_and_few_events(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    milestone_id = long_milestone(store)
    with without_snapshots(store) as replaying:
        expected = state_at_version(replaying, milestone_id, 987)
    reads = Reads(monkeypatch, store)
    assert state_at_version(store, milestone_id, 987) == expected
    assert reads.snapshots <= 1
    assert reads.events < 100


def test_state_as_of_a_moment_reads_one_snapshot_and_few_events(
    store: EventStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    milestone_id = long_milestone(store)
    moment = list(reader(store).events.get(milestone_id))[732].timestamp
    with without_snapshots(store) as replaying:
        expected = state_at_version(replaying, milestone_id, 733)
    reads = Reads(monkeypatch, store)
    assert state_as_of(store, milestone_id, moment) == expected
    assert reads.snapshots <= 1
    assert reads.events < 100


def test_a_snapshot_reads_back_the_same_milestone_as_a_full_replay(store: EventStore) -> None:
    milestone_id = long_milestone(store, 120)
    snapshotted = store.app(PlanApplication).get_milestone(milestone_id)
    with without_snapshots(store) as replaying:
        replayed = replaying.app(PlanApplication).get_milestone(milestone_id)
    assert vars(snapshotted) == vars(replayed)


def test_the_log_still_verifies_and_holds_only_events_with_snapshots_taken(
    store: EventStore,
) -> None:
    milestone_id = long_milestone(store, 120)
    snapshots = reader(store).snapshots
    assert snapshots is not None
    every = range(SNAPSHOT_EVERY, 121, SNAPSHOT_EVERY)
    assert [s.originator_version for s in snapshots.get(milestone_id)] == list(every)
    assert verify(store).ok
    assert [raw.originator_version for raw in RawLog(store).events_of(milestone_id)] == list(
        range(1, 121)
    )
