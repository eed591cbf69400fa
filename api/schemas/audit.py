"""Schemas of the audit trail: events as recorded, states as of a moment, and diffs."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel

TimeAxis = Literal["recorded", "effective"]


class EventList(BaseModel):
    """Events in log order: who, in which capacity, when (effective and recorded), the hash."""

    items: list[dict[str, Any]]
    next_cursor: str | None = None


class StateOut(BaseModel):
    """An aggregate's state as of a moment or right after a version (null: did not exist yet)."""

    aggregate_id: str
    as_of: datetime | None
    time: TimeAxis | None
    version: int | None
    state: dict[str, Any] | None


class DiffOut(BaseModel):
    """What changed between two moments: each field before and after, and the events between."""

    aggregate_id: str
    time: TimeAxis
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: dict[str, dict[str, Any]]
    events: list[dict[str, Any]]


class WorkflowHistoryOut(BaseModel):
    """Temporal's own history of an approval's workflow, as Temporal's JSON."""

    workflow_id: str
    history: dict[str, Any]
