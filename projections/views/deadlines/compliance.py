"""Compliance per OPD on the deadline board: on time, late and escalated, and the share on time.

Built on ``on_time_rates`` (what counts and when it is on time is defined there once): a
decision share or a milestone counts once it is met or its due day has passed; everything
counted and not on time is late. Escalated counts every row of the OPD escalated at least once.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from projections.engine.viewstore import ViewStore
from projections.views.deadlines.queries import on_time_rates
from projections.views.deadlines.view import DeadlineBoardView


@dataclass(frozen=True)
class Compliance:
    """One OPD's deadlines as of a day: how many were met, missed and escalated."""

    opd: str
    on_time: int
    late: int
    escalated: int

    @property
    def counted(self) -> int:
        """Deadlines met or already due."""
        return self.on_time + self.late

    @property
    def share(self) -> float | None:
        """The share met on time, in percent; None when nothing counted yet."""
        return 100 * self.on_time / self.counted if self.counted else None


def escalations(viewstore: ViewStore, opds: list[str] | None = None) -> Counter[str]:
    """Rows escalated at least once, by owner OPD (``opds``: only these; None: every OPD)."""
    table = viewstore.table(DeadlineBoardView.name, "deadline_board")
    rows = viewstore.query(
        f"SELECT owner_opd, COUNT(*) FROM {table} WHERE escalation_level > 0 GROUP BY owner_opd"
    )
    return Counter({str(o): int(n) for o, n in rows if opds is None or o in opds})


def compliance(
    viewstore: ViewStore, as_of: date, opds: list[str] | None = None
) -> list[Compliance]:
    """Per OPD (by code) as of the end of ``as_of``: on time, late, escalated."""
    escalated = escalations(viewstore, opds)
    found = {
        r.opd: Compliance(
            r.opd,
            r.decisions_on_time + r.milestones_on_time,
            r.decisions + r.milestones - r.decisions_on_time - r.milestones_on_time,
            escalated.get(r.opd, 0),
        )
        for r in on_time_rates(viewstore, as_of)
        if opds is None or r.opd in opds
    }
    for opd, n in escalated.items():
        found.setdefault(opd, Compliance(opd, 0, 0, n))
    return [found[o] for o in sorted(found)]
