"""Decode stored events of any aggregate of the domain into plain, auditable dicts."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from eventsourcing.domain import Aggregate

from domain.shared import JejakApplication
from infra.store import EventStore
from projections.audit.jsonable import to_jsonable
from projections.audit.rawlog import RawEvent

#: Attributes every event has; the rest of an event's attributes are its payload.
ENVELOPE = frozenset(
    {"originator_id", "originator_version", "timestamp", "actor", "capacity", "effective_at"}
)
#: Library bookkeeping on created events, not part of what happened.
BOOKKEEPING = frozenset({"originator_topic"})


class AuditReader(JejakApplication):
    """Read-only access to every aggregate of the shared log, whatever its context."""

    name = "jejak.audit"


def reader(store: EventStore) -> AuditReader:
    """The audit's application over ``store``."""
    return store.app(AuditReader)


class UnreadableEventError(Exception):
    """A stored event is not an event of an aggregate."""


def decode(store: EventStore, raw: RawEvent) -> Aggregate.Event:
    """The domain event of a raw stored event."""
    mapper = reader(store).mapper
    event = mapper.to_domain_event(raw.stored())
    if not isinstance(event, Aggregate.Event):
        raise UnreadableEventError(f"The event at position {raw.position} is not an event.")
    return event


def effective_time(event: Aggregate.Event) -> datetime:
    """When the event happened in the world (its recorded time when it does not say)."""
    effective = getattr(event, "effective_at", None)
    return effective if isinstance(effective, datetime) else event.timestamp


def topic_parts(topic: str) -> tuple[str, str]:
    """Aggregate kind and event type from an event topic ``module:Aggregate.Event``."""
    path = topic.partition(":")[2] or topic
    kind, _, event_type = path.rpartition(".")
    return kind or path, event_type or path


def describe(event: Aggregate.Event, raw: RawEvent, chain_hash: str | None) -> dict[str, Any]:
    """One event as an auditor reads it: who, in which capacity, when, what."""
    kind, event_type = topic_parts(raw.topic)
    attributes = vars(event)
    effective = getattr(event, "effective_at", None)
    return {
        "position": raw.position,
        "aggregate_id": raw.originator_id,
        "aggregate_kind": kind,
        "version": raw.originator_version,
        "event_type": event_type,
        "effective_at": to_jsonable(effective),
        "recorded_at": to_jsonable(event.timestamp),
        "actor": attributes.get("actor"),
        "capacity": attributes.get("capacity"),
        "payload": {
            name: to_jsonable(value)
            for name, value in attributes.items()
            if name not in ENVELOPE | BOOKKEEPING
        },
        "hash": chain_hash,
    }
