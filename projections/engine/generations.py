"""Generations of a view's tables, and applying a batch of events exactly once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from projections.engine.dialect import Dialect
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import CREATION_LOCK, Tx, ViewStore, table_name

#: Called after a batch's rows are written and before its position is (test hook point).
BeforeTracking = Callable[[int], None]


def create_generation(tx: Tx, dialect: Dialect, view: View, generation: int) -> None:
    """Empty tables for one generation of a view, at position 0."""
    for table in view.tables:
        name = table_name(table.name, generation)
        tx.execute(f"DROP TABLE IF EXISTS {name}")
        tx.execute(f"CREATE TABLE {name} ({dialect.ddl(table.ddl())})")
        for number, index_columns in enumerate(table.indexes, start=1):
            tx.execute(f"CREATE INDEX {name}_i{number} ON {name} ({index_columns})")
    tx.set_position(view.name, generation, 0)


def drop_generation(tx: Tx, view: View, generation: int) -> None:
    """Remove one generation's tables and position."""
    for base in view.table_names():
        tx.execute(f"DROP TABLE IF EXISTS {table_name(base, generation)}")
    tx.execute(
        "DELETE FROM projection_positions WHERE view = ? AND generation = ?",
        (view.name, generation),
    )


def ensure_view(viewstore: ViewStore, view: View) -> bool:
    """Create generation 1 of a new view; False when the stored one has an older version.

    Under the creation lock: of two processes starting together, one creates the tables and
    the other, once it has the lock, finds them.
    """
    with viewstore.transaction() as tx:
        tx.lock(CREATION_LOCK)
        active = tx.active_generation(view.name, lock=True)
        if active is None:
            create_generation(tx, viewstore.dialect, view, 1)
            tx.execute(
                "INSERT INTO projection_generations (view, active_generation, version) "
                "VALUES (?, 1, ?)",
                (view.name, view.version),
            )
            return True
        return active[1] == view.version


def apply_events(
    tx: Tx,
    view: View,
    generation: int,
    events: Sequence[Recorded],
    after: int,
    upto: int | None = None,
) -> int:
    """Apply the events after position ``after`` and return the last position applied.

    Events of topics the view does not handle are passed over; ``upto`` is the last
    position of the batch read (events may have been left out of ``events``), reached too.
    """
    view_tx = ViewTx(tx, view.name, generation)
    position = after
    handled: dict[str, bool] = {}
    for recorded in events:
        if recorded.position > position:
            topic = recorded.topic
            if topic not in handled:
                handled[topic] = view.handles(topic)
            if handled[topic]:
                view.handle(view_tx, recorded)
            position = recorded.position
    return max(position, upto or 0)


def apply_batch(
    viewstore: ViewStore,
    view: View,
    events: Sequence[Recorded],
    generation: int | None = None,
    before_tracking: BeforeTracking | None = None,
) -> int:
    """Apply a batch to a view (its active generation unless named) in ONE transaction.

    The rows and the new position commit together, so a crash leaves either both or
    neither, and events at or below the stored position are skipped: never twice.
    """
    return apply_to_views(viewstore, [(view, generation)], events, None, before_tracking)[0]


def apply_to_views(
    viewstore: ViewStore,
    targets: Sequence[tuple[View, int | None]],
    events: Sequence[Recorded],
    upto: int | None = None,
    before_tracking: BeforeTracking | None = None,
) -> list[int]:
    """Apply one batch to several views (each its active generation unless named) in ONE
    transaction; the positions reached, in the order of ``targets``.

    ``upto`` is the last position read when ``events`` leaves out events no view handles.
    """
    with viewstore.transaction(batch=True) as tx:
        return [
            _apply_to(tx, view, generation, events, upto, before_tracking)
            for view, generation in targets
        ]


def _apply_to(
    tx: Tx,
    view: View,
    generation: int | None,
    events: Sequence[Recorded],
    upto: int | None,
    before_tracking: BeforeTracking | None,
) -> int:
    """Apply a batch to one view inside the open transaction, with its position."""
    active = tx.active_generation(view.name, lock=True)
    if generation is None:
        if active is None:
            raise LookupError(f"The read model {view.name!r} has no tables yet.")
        generation = active[0]
    stored = tx.position(view.name, generation)
    position = apply_events(tx, view, generation, events, stored, upto)
    if position > stored:
        if before_tracking is not None:
            before_tracking(position)
        tx.set_position(view.name, generation, position)
    return max(position, stored)
