"""Decode stored events of any aggregate of the domain into plain, auditable dicts."""

from __future__ import annotations

from datetime import datetime

from eventsourcing.domain import Aggregate

from domain.shared import JejakApplication
from infra.store import EventStore
from projections.audit.rawlog import RawEvent


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
