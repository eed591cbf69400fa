"""Generations of a view's tables, and applying a batch of events exactly once."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from projections.dialect import Dialect
from projections.view import Recorded, View, ViewTx
from projections.viewstore import Tx, ViewStore, table_name

#: Called after a batch's rows are written and before its position is (test hook point).
BeforeTracking = Callable[[int], None]


def create_generation(tx: Tx, dialect: Dialect, view: View, generation: int) -> None:
    """Empty tables for one generation of a view, at position 0."""
    for base, columns in view.tables.items():
        name = table_name(base, generation)
        tx.execute(f"DROP TABLE IF EXISTS {name}")
        tx.execute(f"CREATE TABLE {name} ({dialect.ddl(columns)})")
        for number, index_columns in enumerate(view.indexes.get(base, []), start=1):
            tx.execute(f"CREATE INDEX {name}_i{number} ON {name} ({index_columns})")
    tx.set_position(view.name, generation, 0)


def drop_generation(tx: Tx, view: View, generation: int) -> None:
    """Remove one generation's tables and position."""
    for base in view.tables:
        tx.execute(f"DROP TABLE IF EXISTS {table_name(base, generation)}")
    tx.execute(
        "DELETE FROM projection_positions WHERE view = ? AND generation = ?",
        (view.name, generation),
    )


def ensure_view(viewstore: ViewStore, view: View) -> bool:
    """Create generation 1 of a new view; False when the stored one has an older version."""
    with viewstore.transaction() as tx:
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
    tx: Tx, view: View, generation: int, events: Sequence[Recorded], after: int
) -> int:
    """Apply the events after position ``after`` and return the last position applied."""
    view_tx = ViewTx(tx, view.name, generation)
    position = after
    for recorded in events:
        if recorded.position > position:
            view.handle(view_tx, recorded)
            position = recorded.position
    return position


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
    with viewstore.transaction() as tx:
        active = tx.active_generation(view.name, lock=True)
        if generation is None:
            if active is None:
                raise LookupError(f"The read model {view.name!r} has no tables yet.")
            generation = active[0]
        stored = tx.position(view.name, generation)
        position = apply_events(tx, view, generation, events, stored)
        if position > stored:
            if before_tracking is not None:
                before_tracking(position)
            tx.set_position(view.name, generation, position)
        return position
