"""The shared base: natural ids collide, attribution travels with every event."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from eventsourcing.domain import event
from eventsourcing.persistence import StoredEvent

from domain.shared import (
    Actor,
    AlreadyExistsError,
    JejakAggregate,
    JejakApplication,
    ValidationError,
    natural_id,
)
from domain.times import backdating_of, effective_time
from infra.store import EventStore


class Sample(JejakAggregate):
    TOPIC = "jejak.tests:Sample"

    @staticmethod
    def create_id(code: str) -> object:
        return natural_id("sample", code)

    @event("Created", topic="jejak.tests:Sample.Created")
    def __init__(self, code: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.code = code


class SampleApp(JejakApplication):
    name = "jejak-tests-sample"


def test_natural_id_is_stable_and_case_insensitive() -> None:
    assert natural_id("opd", "dinkes") == natural_id("opd", " DINKES ")
    assert natural_id("opd", "dinkes") != natural_id("person", "dinkes")


def test_duplicate_creation_collides_instead_of_duplicating(store: EventStore) -> None:
    app = store.app(SampleApp)
    who = Actor("sekretariat", "staff")
    app.save_new(Sample(code="A", **who.attribution()), what="Sample A")
    with pytest.raises(AlreadyExistsError):
        app.save_new(Sample(code="a", **who.attribution()), what="Sample A")
    assert store.max_position() == 1


def test_every_event_keeps_actor_capacity_and_effective_time(store: EventStore) -> None:
    app = store.app(SampleApp)
    signed = datetime(2023, 10, 18, 9, 30, tzinfo=UTC)
    sample = Sample(code="B", **Actor("u-1", "plt", signed).attribution())
    position = app.save_new(sample, what="Sample B")
    (created,) = app.events.get(sample.id)
    assert (created.actor, created.capacity, created.effective_at) == ("u-1", "plt", signed)
    assert created.timestamp > signed
    assert position == store.max_position() == 1


def test_actor_refuses_unknown_capacity_and_naive_time() -> None:
    with pytest.raises(ValidationError):
        Actor("u-1", "king")
    with pytest.raises(ValidationError):
        Actor("u-1", "head", datetime(2023, 1, 1))


NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_a_fact_done_now_takes_the_servers_time_even_when_a_clock_is_slightly_off() -> None:
    assert effective_time(None, NOW) == (NOW, "")
    assert effective_time(NOW - timedelta(minutes=3), NOW) == (NOW, "")
    assert effective_time(NOW + timedelta(minutes=3), NOW) == (NOW, "")


def test_a_future_time_is_refused_naming_the_field() -> None:
    with pytest.raises(ValidationError) as refused:
        effective_time(NOW + timedelta(days=1), NOW, "paper", field="signed_at")
    assert refused.value.field == "signed_at"
    assert "future" in refused.value.message


def test_an_earlier_time_needs_the_reason_it_is_entered_late() -> None:
    earlier = datetime(2023, 10, 5, 10, tzinfo=UTC)
    with pytest.raises(ValidationError) as refused:
        effective_time(earlier, NOW)
    assert refused.value.field == "backdated_reason"
    assert effective_time(earlier, NOW, " Arsip kertas ") == (earlier, "Arsip kertas")
    with pytest.raises(ValidationError):
        effective_time(None, NOW, "Arsip kertas")  # a reason without an earlier time


def test_a_back_dated_actor_marks_its_events_and_needs_a_time() -> None:
    paper = Actor("staff-1", "staff", datetime(2023, 10, 18, 9, tzinfo=UTC), "Arsip kertas")
    assert paper.attribution()["backdated"] == "Arsip kertas"
    assert "backdated" not in Actor("staff-1", "staff").attribution()
    with pytest.raises(ValidationError):
        Actor("staff-1", "staff", None, "Arsip kertas")


class Noted(JejakAggregate):
    TOPIC = "jejak.tests:Noted"

    @event("Created", topic="jejak.tests:Noted.Created")
    def __init__(
        self, text: str, actor: str, capacity: str, effective_at: datetime, backdated: str = ""
    ) -> None:
        self.text = text
        self.backdated = backdated


def test_an_event_stored_before_back_dating_was_marked_still_decodes_as_not_back_dated(
    store: EventStore,
) -> None:
    app = store.app(SampleApp)
    noted = Noted(text="old", **Actor("u-1", "staff", NOW).attribution())
    app.save(noted)
    [stored] = app.recorder.select_events(noted.id)
    state = json.loads(stored.state)
    state.pop("backdated")  # the shape of an event written before the field existed
    old = StoredEvent(stored.originator_id, 1, stored.topic, json.dumps(state).encode())
    decoded = app.mapper.to_domain_event(old)
    assert backdating_of(decoded) == ""
    replayed = decoded.mutate(None)
    assert isinstance(replayed, Noted)
    assert (replayed.text, replayed.backdated) == ("old", "")
    marked = Noted(text="paper", **Actor("u-1", "staff", NOW, "Arsip kertas").attribution())
    assert [backdating_of(e) for e in marked.collect_events()] == ["Arsip kertas"]
