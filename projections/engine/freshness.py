"""How far the read models are, in one cheap read: what a kept answer is checked against.

Every row of ``projection_positions`` (each generation of each view, and the mark of the
counted working days) and every view's active generation and version, read in one query.
Two readings are equal only if no view applied an event, swapped a generation or changed
its version, and the working days were not counted again in between: an answer computed
after the first reading is still the answer at the second.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from projections.engine.viewstore import Tx, ViewStore

#: The pseudo view whose position counts the refreshes of the working days (days.py).
DAYS_MARK = "working_days"

STATE_SQL = (
    "SELECT 0, view, generation, position FROM projection_positions "
    "UNION ALL SELECT 1, view, active_generation, version FROM projection_generations"
)


@dataclass(frozen=True)
class ViewsState:
    """One reading of the read models' bookkeeping; equal readings mean nothing moved."""

    rows: frozenset[tuple[int, str, int, int]]
    #: The lowest position of any view's active generation: every view includes it.
    reached: int = field(compare=False)


def read_state(views: ViewStore) -> ViewsState:
    """The read models' state now (one query)."""
    rows = frozenset((int(k), str(v), int(g), int(p)) for k, v, g, p in views.query(STATE_SQL))
    active = {(v, g) for k, v, g, _ in rows if k == 1}
    reached = min((p for k, v, g, p in rows if k == 0 and (v, g) in active), default=0)
    return ViewsState(rows, reached)


def mark_days_counted(tx: Tx) -> None:
    """Count one more refresh of the working days, so kept answers that read them expire."""
    tx.set_position(DAYS_MARK, 0, tx.position(DAYS_MARK, 0) + 1)
