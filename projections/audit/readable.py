"""What an auditor reads of a stored event, derived from the stored bytes by one fixed rule.

The standalone verifier applies the same rule to the chained state and compares, column by
column (docs/auditors.md, "Readable columns"). Deriving the columns from the stored state,
rather than from the decoded and upcast event, is what keeps the two in agreement for every
topic and class version: an export shows what was recorded, not what today's code makes of it.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from projections.audit.rawlog import RawEvent

#: Keys of the stored state shown in their own columns (or bookkeeping), not in the payload.
ENVELOPE = frozenset(
    {"timestamp", "actor", "capacity", "effective_at", "originator_topic", "class_version"}
)


def utc_text(text: str) -> str:
    """A stored ISO-8601 moment as the audit shows every moment: UTC, ``+00:00``."""
    moment = datetime.fromisoformat(text)
    try:
        return moment.astimezone(UTC).isoformat() if moment.tzinfo else moment.isoformat()
    except OverflowError:  # within hours of year 1 or 9999: no UTC form; shown as stored
        return text


def plain(value: Any) -> Any:
    """A stored JSON value with its type tags removed (ids hyphenated, moments in UTC)."""
    if isinstance(value, list):
        return [plain(v) for v in value]
    if not isinstance(value, dict):
        return value
    if set(value) == {"_type_", "_data_"}:
        kind, data = value["_type_"], plain(value["_data_"])
        if kind == "uuid_hex":
            return str(UUID(data))
        if kind == "datetime_iso":
            return utc_text(data)
        return data
    return {k: plain(v) for k, v in value.items()}


def stored_state(data: bytes) -> dict[str, Any]:
    """The stored state, type tags removed; empty when it cannot be read."""
    try:
        state = plain(json.loads(data))
    except (ValueError, TypeError, AttributeError):
        return {}
    return state if isinstance(state, dict) else {}


def topic_parts(topic: str) -> tuple[str, str]:
    """Aggregate kind and event type from an event topic ``module:Aggregate.Event``."""
    path = topic.partition(":")[2] or topic
    kind, _, event_type = path.rpartition(".")
    return kind or path, event_type or path


def readable(raw: RawEvent, chain_hash: str | None) -> dict[str, Any]:
    """One event as an auditor reads it: who, in which capacity, when, what, and its hash.

    A state that is not what Jejak writes (an edited row) reads as nothing, so an altered
    store can still be listed and exported; the verifiers report such an event as changed.
    """
    state = stored_state(raw.state)
    kind, event_type = topic_parts(raw.topic)
    return {
        "position": raw.position,
        "aggregate_id": raw.originator_id,
        "aggregate_kind": kind,
        "version": raw.originator_version,
        "class_version": state.get("class_version", 1),
        "event_type": event_type,
        "effective_at": state.get("effective_at"),
        "recorded_at": state.get("timestamp"),
        "actor": state.get("actor"),
        "capacity": state.get("capacity"),
        "payload": {k: v for k, v in state.items() if k not in ENVELOPE} if state else None,
        "hash": chain_hash,
    }
