"""The shared base: natural ids collide, attribution travels with every event."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from eventsourcing.domain import event

from domain.shared import (
    Actor,
    AlreadyExistsError,
    JejakAggregate,
    JejakApplication,
    ValidationError,
    natural_id,
)
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
