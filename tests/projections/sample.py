"""A small aggregate and a counting view, so projection tests need no real context."""

from __future__ import annotations

from datetime import UTC, datetime

from eventsourcing.domain import event

from domain.shared import Actor, JejakAggregate, JejakApplication
from infra.store import EventStore
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx

CLERK = Actor("199001012015011001", "staff", datetime(2023, 10, 18, 9, 0, tzinfo=UTC))


class Parcel(JejakAggregate):
    """A thing that is created and moved around."""

    TOPIC = "jejak.tests:Parcel"

    @event("Created", topic="jejak.tests:Parcel.Created")
    def __init__(self, code: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.code = code

    @event("Moved", topic="jejak.tests:Parcel.Moved")
    def move(self, to: str, actor: str, capacity: str, effective_at: datetime) -> None:
        """Move it."""
        self.place = to


class ParcelApp(JejakApplication):
    """Saves parcels."""

    name = "jejak-tests-parcel"


def write_events(store: EventStore, count: int) -> int:
    """Write ``count`` events (one creation, then moves); return the last position."""
    app = store.app(ParcelApp)
    parcel = Parcel(code=f"P-{store.max_position() + 1}", **CLERK.attribution())
    for number in range(count - 1):
        parcel.move(to=f"shelf {number}", **CLERK.attribution())
    position = app.save_new(parcel, what="parcel")
    assert position is not None
    return position


def _count(tx: ViewTx, recorded: Recorded) -> None:
    """Add one to the event's count."""
    tx.execute(
        f"INSERT INTO {tx.table('event_counts')} (event_name, n) VALUES (?, 1) "
        "ON CONFLICT (event_name) DO UPDATE SET n = "
        f"{tx.table('event_counts')}.n + 1",
        (recorded.event_name,),
    )


COUNTS = Table("event_counts", "event_name text, n int", key="event_name")


class EventCounts(View, name="event_counts", version=1, tables=(COUNTS,)):
    """Counts events per name: a view that would show any event applied twice."""

    handlers = by_topic({Parcel.Created: _count, Parcel.Moved: _count})
