"""Replay history: an aggregate's events, its state as of a past date or version, and diffs."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any, Literal, cast
from uuid import UUID

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.shared import NotFoundError, ValidationError
from infra.store import EventStore
from projections.audit.decode import decode, effective_time, reader
from projections.audit.jsonable import to_jsonable
from projections.audit.rawlog import RawEvent, RawLog
from projections.audit.readable import readable
from projections.audit.snapshot_state import state_from_snapshot

TimeAxis = Literal["recorded", "effective"]

#: State fields that change with every event; a diff leaves them out.
_BOOKKEEPING = frozenset({"version", "modified_on"})


def events_after(store: EventStore, after: int, limit: int = 100) -> list[dict[str, Any]]:
    """One page of the whole log: the events after position ``after``, with their hashes."""
    log = RawLog(store)
    page = log.events_page(after, limit)
    return _described(log, page)


def history(store: EventStore, aggregate_id: UUID) -> list[dict[str, Any]]:
    """Every event of one aggregate, oldest first, with who, when and the chain hash."""
    log = RawLog(store)
    raws = log.events_of(aggregate_id)
    return _described(log, raws)


def _described(log: RawLog, raws: list[RawEvent]) -> list[dict[str, Any]]:
    links = log.links([raw.position for raw in raws])
    return [readable(raw, link.hash if (link := links.get(raw.position)) else None) for raw in raws]


def public_state(aggregate: Aggregate) -> dict[str, Any]:
    """The aggregate's public attributes as JSON values."""
    state: dict[str, Any] = {
        "id": str(aggregate.id),
        "kind": type(aggregate).__name__,
        "version": aggregate.version,
        "created_on": to_jsonable(aggregate.created_on),
        "modified_on": to_jsonable(aggregate.modified_on),
    }
    for name, value in vars(aggregate).items():
        if not name.startswith("_"):
            state[name] = to_jsonable(value)
    return state


def state_at_version(store: EventStore, aggregate_id: UUID, version: int) -> dict[str, Any]:
    """The aggregate's state right after its event number ``version``.

    At a version the aggregate was snapshotted at, the snapshot is read straight into JSON
    values (see ``snapshot_state``); otherwise the repository reads the nearest snapshot and
    the events after it, and the aggregate is converted.
    """
    if version >= 1 and (direct := state_from_snapshot(store, aggregate_id, version)) is not None:
        return direct
    repository = reader(store).repository
    try:
        aggregate: Aggregate = repository.get(
            aggregate_id, version=version, projector_func=_applied
        )
    except AggregateNotFoundError:
        raise NotFoundError(f"Nothing was recorded for {aggregate_id} up to {version}.") from None
    if aggregate.version != version:
        raise NotFoundError(f"{aggregate_id} never reached version {version}.")
    return public_state(aggregate)


def _applied(aggregate: Any, events: Iterable[Any]) -> Any:
    """Apply a snapshot and the events after it in turn, as the library's own projector does.

    The library's asserts every event against a runtime-checkable protocol first, which on
    this Python costs more than applying the event (about 40 microseconds each).
    """
    for event in events:
        aggregate = event.mutate(aggregate)
    return aggregate


def state_as_of(
    store: EventStore, aggregate_id: UUID, as_of: datetime, time: TimeAxis = "recorded"
) -> dict[str, Any] | None:
    """The aggregate's state as of ``as_of``; ``None`` when it did not exist yet.

    ``recorded`` replays what had been recorded by then; ``effective`` replays, in version
    order, the events that had happened in the world by then (late entries included).
    """
    if as_of.tzinfo is None:
        raise ValidationError("as_of", "The time must carry a time zone.")
    if time == "recorded":
        version = _version_recorded_by(store, aggregate_id, as_of)
        return state_at_version(store, aggregate_id, version) if version else None
    events = _events(store, aggregate_id)
    return _replay([e for e in events if effective_time(e) <= as_of])


def _version_recorded_by(store: EventStore, aggregate_id: UUID, as_of: datetime) -> int:
    """The last version recorded by ``as_of`` (0: none), reading one event per halving.

    Recorded times grow with the version, so a binary search finds it in about log2(n)
    single-event reads; the state is then read from the nearest snapshot.
    """
    events = reader(store).events
    newest = list(events.get(aggregate_id, desc=True, limit=1))
    if not newest:
        raise NotFoundError(f"Nothing was recorded for {aggregate_id}.")
    low, high = 0, newest[0].originator_version
    while low < high:
        middle = (low + high + 1) // 2
        (event,) = events.get(aggregate_id, gt=middle - 1, lte=middle)
        recorded = cast("Aggregate.Event", event).timestamp
        low, high = (middle, high) if recorded <= as_of else (low, middle - 1)
    return low


def diff(
    store: EventStore,
    aggregate_id: UUID,
    from_dt: datetime,
    to_dt: datetime,
    time: TimeAxis = "recorded",
) -> dict[str, Any]:
    """What changed between two moments: each changed field before and after, and the events."""
    before = state_as_of(store, aggregate_id, from_dt, time) or {}
    after = state_as_of(store, aggregate_id, to_dt, time) or {}
    changes = {
        name: {"before": before.get(name), "after": after.get(name)}
        for name in sorted(before.keys() | after.keys())
        if name not in _BOOKKEEPING and before.get(name) != after.get(name)
    }
    between = [
        entry for entry in history(store, aggregate_id) if from_dt < _moment(entry, time) <= to_dt
    ]
    return {"before": before or None, "after": after or None, "changes": changes, "events": between}


def _moment(entry: dict[str, Any], time: TimeAxis) -> datetime:
    stamp = entry["effective_at"] if time == "effective" else None
    return datetime.fromisoformat(stamp or entry["recorded_at"])


def _events(store: EventStore, aggregate_id: UUID) -> list[Aggregate.Event]:
    raws: list[RawEvent] = RawLog(store).events_of(aggregate_id)
    if not raws:
        raise NotFoundError(f"Nothing was recorded for {aggregate_id}.")
    return [decode(store, raw) for raw in raws]


def _replay(events: list[Aggregate.Event]) -> dict[str, Any] | None:
    """Apply a subset of an aggregate's events in version order (skipping the others)."""
    if not events or events[0].originator_version != Aggregate.INITIAL_VERSION:
        return None
    aggregate: Any = None
    for event in events:
        if aggregate is not None:
            # Events left out leave holes in the versions; the library insists on no holes.
            aggregate.version = event.originator_version - 1
        aggregate = event.mutate(aggregate)
    state = public_state(aggregate)
    state["versions_applied"] = [event.originator_version for event in events]
    return state
