"""The timeline: every event of the program, one row each, with a plain-words sentence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.times import backdating_of
from projections.engine.schema import Table
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import ViewStore
from projections.views.timeline.names import NAMES, describe
from projections.views.timeline.phrases import phrased_topics
from projections.views.timeline.wording import backdated

ENTRIES = Table(
    "timeline",
    "position int, recorded_at text, effective_at text, actor text, capacity text, "
    "aggregate_id text, aggregate_kind text, event_name text, sentence text",
    key="position",
    indexes=("aggregate_id, position",),
)


#: What an insert of one row names, after the table.
_INSERTED = f"({ENTRIES.column_list}) VALUES ({', '.join('?' * len(ENTRIES.names))})"


@dataclass(frozen=True)
class TimelineEntry:
    """One line of the timeline."""

    position: int
    recorded_at: str
    effective_at: str
    actor: str
    capacity: str
    aggregate_id: str
    aggregate_kind: str
    event_name: str
    sentence: str


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else ""


class TimelineView(View, name="timeline", version=3, tables=(NAMES, ENTRIES)):
    """Every event as one row; knows every event, so it never ignores one."""

    def topics(self) -> frozenset[str]:
        """The topics it has its own sentences or names for (every other gets a generic one)."""
        return phrased_topics()

    def handles(self, topic: str) -> bool:
        """Every topic."""
        return True

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Add the event's row."""
        event = recorded.event
        sentence = describe(tx, recorded)
        reason = backdating_of(event)
        if reason:
            sentence = f"{sentence} {backdated(reason, getattr(event, 'timestamp', None))}"
        row = (
            recorded.position,
            _iso(getattr(event, "timestamp", None)),
            _iso(getattr(event, "effective_at", None)),
            str(getattr(event, "actor", "")),
            str(getattr(event, "capacity", "")),
            str(getattr(event, "originator_id", "")),
            recorded.aggregate_kind,
            recorded.event_name,
            sentence,
        )
        tx.execute(f"INSERT INTO {tx.table(ENTRIES)} {_INSERTED}", row)


def recent(
    viewstore: ViewStore, limit: int = 50, before_position: int | None = None
) -> list[TimelineEntry]:
    """The newest entries, newest first; page on with ``before_position``."""
    table = viewstore.table(TimelineView.name, "timeline")
    rows = viewstore.query(
        f"SELECT {ENTRIES.column_list} FROM {table} WHERE position < ? "
        "ORDER BY position DESC LIMIT ?",
        (before_position if before_position is not None else 2**62, limit),
    )
    return [TimelineEntry(*row) for row in rows]
