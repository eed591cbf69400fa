"""The state at a snapshot's version, read straight from the snapshot, is the repository's."""

from __future__ import annotations

import json
import sqlite3
import uuid
from collections.abc import Callable, Iterator
from datetime import timedelta, timezone
from pathlib import Path
from typing import Any

import pytest

from domain.plan import PlanApplication
from domain.transcodings import SNAPSHOT_VALUES
from infra.store import EventStore
from projections.audit.decode import reader
from projections.audit.history import public_state, state_at_version
from projections.audit.snapshot_state import state_from_snapshot
from tests.projections.audit.test_snapshots import long_milestone, without_snapshots
from tests.support.plan import KADIS
from tests.support.stores import new_postgres_schema

WIB = timezone(timedelta(hours=7))


@pytest.fixture
def store(tmp_path: Path) -> Iterator[EventStore]:
    """A chained SQLite store of its own."""
    event_store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    yield event_store
    event_store.close()


@pytest.fixture
def milestone_id(store: EventStore) -> uuid.UUID:
    """A 1,000-event milestone; one of its reports was made in Western Indonesian Time."""
    found = long_milestone(store, 990)
    app = store.app(PlanApplication)
    milestone = app.get_milestone(found)
    attribution = KADIS.attribution()
    attribution["effective_at"] = milestone.modified_on.astimezone(WIB)
    milestone.report_progress(35.5, "Laporan, zona WIB", ("bukti/a.pdf",), **attribution)
    app.save_changes(milestone)
    long_milestone_to(store, found, 1000)
    return found


def long_milestone_to(store: EventStore, found: uuid.UUID, events: int) -> None:
    app = store.app(PlanApplication)
    milestone = app.get_milestone(found)
    while milestone.version < events:
        milestone.report_progress(40.0, "Laporan berkala", (), **KADIS.attribution())
    app.save_changes(milestone)


@pytest.mark.parametrize("version", [50, 500, 950, 1000])
def test_the_snapshot_read_straight_is_the_repositorys_state_to_the_byte(
    store: EventStore, milestone_id: uuid.UUID, version: int
) -> None:
    direct = state_from_snapshot(store, milestone_id, version)
    aggregate = reader(store).repository.get(milestone_id, version=version)
    slow = public_state(aggregate)
    assert direct is not None
    assert json.dumps(direct) == json.dumps(slow)  # same keys, same order, same values
    with without_snapshots(store) as replaying:
        assert state_at_version(replaying, milestone_id, version) == direct


def test_the_report_made_in_another_zone_is_shown_in_utc(
    store: EventStore, milestone_id: uuid.UUID
) -> None:
    state = state_at_version(store, milestone_id, 1000)
    zoned = [r for r in state["reports"] if r["note"] == "Laporan, zona WIB"]
    assert len(zoned) == 1
    assert zoned[0]["effective_at"].endswith("+00:00")
    assert zoned[0]["evidence"] == ["bukti/a.pdf"]


def test_a_version_between_snapshots_is_the_replayed_state(
    store: EventStore, milestone_id: uuid.UUID
) -> None:
    assert state_from_snapshot(store, milestone_id, 999) is None
    with without_snapshots(store) as replaying:
        expected = state_at_version(replaying, milestone_id, 999)
    assert state_at_version(store, milestone_id, 999) == expected


def test_reports_stored_under_an_old_field_name_are_read_straight_under_the_new_one(
    store: EventStore, milestone_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    with without_snapshots(store) as replaying:
        expected = state_at_version(replaying, milestone_id, 1000)
    kind = SNAPSHOT_VALUES["value_model_ProgressReport"]
    monkeypatch.setattr(kind, "STORED_AS", {"catatan": "note"}, raising=False)
    _rewrite_snapshot(store, milestone_id, 1000, _with_old_field_name)
    fresh = EventStore(store.url)
    try:
        assert state_from_snapshot(fresh, milestone_id, 1000) == expected
        assert public_state(reader(fresh).repository.get(milestone_id, version=1000)) == expected
    finally:
        fresh.close()


def test_a_snapshot_of_the_first_shape_still_reads_and_the_milestone_still_works(
    store: EventStore, milestone_id: uuid.UUID
) -> None:
    """Snapshots stored before the reports were a value log hold them one object each."""
    with without_snapshots(store) as replaying:
        expected = state_at_version(replaying, milestone_id, 1000)
    _rewrite_snapshot(store, milestone_id, 1000, _as_first_shape)
    fresh = EventStore(store.url)
    try:
        assert state_from_snapshot(fresh, milestone_id, 1000) is None  # upcast the slow way
        assert state_at_version(fresh, milestone_id, 1000) == expected
        app = fresh.app(PlanApplication)
        milestone = app.get_milestone(milestone_id)
        assert len(milestone.reports) == 999  # the first event planned it
        milestone.report_progress(41.0, "Laporan sesudahnya", (), **KADIS.attribution())
        app.save_changes(milestone)
        assert app.get_milestone(milestone_id).reports[-1].percent == 41.0
    finally:
        fresh.close()


def _rewrite_snapshot(
    store: EventStore, aggregate_id: uuid.UUID, version: int, change: Callable[[Any], None]
) -> None:
    """Change the JSON of the snapshot stored at ``version`` in place."""
    snapshots = reader(store).snapshots
    assert snapshots is not None
    table = snapshots.recorder.events_table_name  # type: ignore[attr-defined]
    database = store.url.removeprefix("sqlite:///")
    with sqlite3.connect(database) as connection:
        where = "originator_id = ? AND originator_version = ?"
        key = (aggregate_id.hex, version)
        (state,) = connection.execute(f"SELECT state FROM {table} WHERE {where}", key).fetchone()
        stored = json.loads(state)
        change(stored["state"])
        connection.execute(
            f"UPDATE {table} SET state = ? WHERE {where}", (json.dumps(stored).encode(), *key)
        )


def _with_old_field_name(state: dict[str, Any]) -> None:
    fields = state["reports"]["_data_"]["fields"]
    fields[fields.index("note")] = "catatan"


def _as_first_shape(state: dict[str, Any]) -> None:
    log = state["reports"]["_data_"]
    assert state.pop("class_version") == 2
    state["reports"] = [
        {
            "_type_": log["of"],
            "_data_": {
                **dict(zip(log["fields"], row, strict=True)),
                "effective_at": {"_type_": "datetime_iso", "_data_": row[-1]},
            },
        }
        for row in log["rows"]
    ]


@pytest.mark.postgres
def test_on_postgresql_the_snapshot_read_straight_is_the_repositorys_state(
    postgres_dsn: str,
) -> None:
    pg = EventStore(postgres_dsn, {"POSTGRES_SCHEMA": new_postgres_schema(postgres_dsn)})
    try:
        found = long_milestone(pg, 100)
        direct = state_from_snapshot(pg, found, 100)
        slow = public_state(reader(pg).repository.get(found, version=100))
        assert direct is not None
        assert json.dumps(direct) == json.dumps(slow)
    finally:
        pg.close()
