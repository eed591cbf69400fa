"""Events of every class the domain registers, made up by Hypothesis and stored as Jejak would."""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import uuid
from datetime import UTC, timedelta, timezone
from pathlib import Path
from types import ModuleType
from typing import Any

from eventsourcing.domain import Aggregate, CanMutateAggregate
from eventsourcing.persistence import StoredEvent
from eventsourcing.utils import _topic_cache, get_topic
from hypothesis import strategies as st

from domain.catalog import load_all
from infra.store import EventStore
from projections.audit.decode import reader

VERIFIER_PATH = Path(__file__).parents[3] / "verifier" / "jejak_verify.py"
#: Fields the library sets on every event; the stored row holds them outside the state.
_ROW_FIELDS = frozenset({"originator_id", "originator_version"})


def load_verifier() -> ModuleType:
    """The standalone verifier, loaded from its file as an auditor would run it."""
    spec = importlib.util.spec_from_file_location("jejak_verify", VERIFIER_PATH)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def event_classes() -> list[type[Aggregate.Event]]:
    """Every event class with a topic of the domain's catalog, in topic order."""
    load_all()
    return [
        cls
        for topic, cls in sorted(_topic_cache.items())
        if topic.startswith("jejak.")
        and not topic.startswith("jejak.tests")
        and isinstance(cls, type)
        and issubclass(cls, CanMutateAggregate)
    ]


#: Any text the store can hold (everything but lone surrogates), escapes-lookalikes included.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=20) | st.sampled_from(
    ["_x000D_", "a_x0041_b", "_x005F_x0041_", "\r\n", "\x00"]
)
ZONES = st.sampled_from(
    [UTC, timezone(timedelta(hours=7)), timezone(timedelta(hours=-3, minutes=-30))]
)
MOMENTS = st.datetimes(timezones=ZONES)
SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), TEXT,
    MOMENTS, st.dates(), st.uuids(), st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(["=HYPERLINK(\"http://x\")", "+1", "-1", "@SUM(A1)", "'quoted", "\tx"]),
)  # fmt: skip
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)
#: Who acts: any text, formula-like text included (the actor comes from a token's subject).
ACTORS = TEXT | st.sampled_from(["=cmd|' /C calc'!A0", "@head", "-", "sekretariat"])


@st.composite
def events_of(draw: st.DrawFn, cls: type[Aggregate.Event]) -> Aggregate.Event:
    """An event of ``cls`` with made-up values in every field."""
    event: Any = object.__new__(cls)
    values: dict[str, Any] = {
        "originator_id": draw(st.uuids()),
        "originator_version": draw(st.integers(1, 10_000)),
        "timestamp": draw(st.datetimes(timezones=st.just(UTC))),
        "actor": draw(ACTORS),
        "capacity": draw(ACTORS),
        "effective_at": draw(MOMENTS),
    }
    for field in dataclasses.fields(cls):
        if field.name not in values:
            values[field.name] = draw(VALUES)
    if issubclass(cls, Aggregate.Created):
        values["originator_topic"] = get_topic(cls).rpartition(".")[0]
    event.__dict__.update(values)
    return event


def as_stored(store: EventStore, event: Aggregate.Event, as_version_one: bool) -> StoredEvent:
    """The stored form of ``event``; ``as_version_one`` writes it as before its first upcast."""
    stored = reader(store).mapper.to_stored_event(event)
    if not as_version_one:
        return stored
    state = json.loads(stored.state)
    state.pop("class_version", None)
    return StoredEvent(
        stored.originator_id, stored.originator_version, stored.topic,
        json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode(),
    )  # fmt: skip


def store_events(store: EventStore, stored: list[StoredEvent]) -> None:
    """Append the stored events to the log, one at a time (each gets its chain row)."""
    for one in stored:
        store.recorder.insert_events([one])


def unique_ids(events: list[Aggregate.Event]) -> list[Aggregate.Event]:
    """Give each event its own aggregate id, so no two collide on (id, version)."""
    for event in events:
        event.__dict__["originator_id"] = uuid.uuid4()
    return events
