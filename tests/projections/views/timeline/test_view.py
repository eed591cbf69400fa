"""The timeline: one row per event, in plain words, read back newest first."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.engine.view import Recorded
from projections.views.timeline.phrases import phrase, sentence
from projections.views.timeline.view import TimelineView, recent
from tests.projections.runners import prepared
from tests.projections.sample import CLERK, Parcel, write_events


@pytest.fixture
def runner(durable_store: EventStore) -> Iterator[ProjectionRunner]:
    """A runner of the timeline, prepared but not following."""
    with prepared(durable_store, [TimelineView()], batch_size=3) as projection_runner:
        yield projection_runner


def test_every_event_becomes_one_timeline_row(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    write_events(durable_store, 4)
    runner.catch_up()
    entries = recent(runner.viewstore, limit=10)
    assert [e.position for e in entries] == [4, 3, 2, 1]
    created = entries[-1]
    assert created.aggregate_kind == "jejak.tests:Parcel"
    assert created.event_name == "Created"
    assert (created.actor, created.capacity) == (CLERK.actor_id, "staff")
    assert created.effective_at == "2023-10-18T09:00:00+00:00"
    assert created.recorded_at > created.effective_at
    assert created.sentence == f"{CLERK.actor_id} (staff) created Parcel P-1"
    assert entries[0].sentence.startswith(f"{CLERK.actor_id} (staff) moved Parcel ")


def test_timeline_pages_back_before_a_position(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    write_events(durable_store, 5)
    runner.catch_up()
    page = recent(runner.viewstore, limit=2, before_position=4)
    assert [e.position for e in page] == [3, 2]


def test_a_registered_phrase_replaces_the_generic_sentence() -> None:
    parcel = Parcel(code="X-9", **CLERK.attribution())
    (created,) = parcel.collect_events()
    recorded = Recorded(position=1, topic="jejak.tests:Parcel.Created", event=created)

    @phrase(Parcel.Created)
    def parcel_created(r: Recorded) -> str:
        return f"Parcel {r.event.code} was registered"

    try:
        assert sentence(recorded) == "Parcel X-9 was registered"
    finally:
        from projections.views.timeline import phrases

        phrases._PHRASES.pop("jejak.tests:Parcel.Created")
    assert sentence(recorded) == f"{CLERK.actor_id} (staff) created Parcel X-9"
