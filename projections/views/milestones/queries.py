"""What is due and what is late among the milestones, counted in the city's working days.

A milestone is overdue as of a day when its due date is before that day and it is neither
approved nor done. The view holds no calendar: callers pass the city's ``WorkingCalendar``
(the national one when they pass none).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.plan import MilestoneStatus
from projections.engine.viewstore import ViewStore
from projections.views.milestones.view import MilestonesView

#: Statuses in which a milestone's deadline is met.
FINISHED = (MilestoneStatus.APPROVED, MilestoneStatus.DONE)

_COLUMNS = (
    "m.milestone_id, m.code, m.title, m.owner_opd, m.weight, m.due_date, m.status, m.percent, "
    "m.last_note, m.last_reported_at, m.last_reported_by, m.submitted_at, m.approved_at, "
    "m.done_at, m.comment, p.program_id, p.code, p.name, p.aspect, p.quick_win, p.plan_id"
)


@dataclass(frozen=True)
class MilestoneRow:
    """A milestone as the status pages show it; ``working_days_late`` is 0 unless late."""

    milestone_id: str
    code: str
    title: str
    owner_opd: str
    weight: float
    due_date: date
    status: str
    percent: float
    last_note: str | None
    last_reported_at: str | None
    last_reported_by: str | None
    submitted_at: str | None
    approved_at: str | None
    done_at: str | None
    comment: str | None
    program_id: str
    program_code: str
    program_name: str
    aspect: str
    quick_win: bool
    plan_id: str
    working_days_late: int = 0


def _row(values: tuple[Any, ...], late: int = 0) -> MilestoneRow:
    fields: list[Any] = list(values)
    fields[5] = date.fromisoformat(str(fields[5]))
    fields[19] = bool(fields[19])
    fields.append(late)
    return MilestoneRow(*fields)


def _select(viewstore: ViewStore, where: str, params: list[Any]) -> list[tuple[Any, ...]]:
    milestones = viewstore.table(MilestonesView.name, "milestones")
    programs = viewstore.table(MilestonesView.name, "milestone_programs")
    return viewstore.query(
        f"SELECT {_COLUMNS} FROM {milestones} m LEFT JOIN {programs} p "
        f"ON p.program_id = m.program_id WHERE {where} ORDER BY m.due_date, m.milestone_id",
        params,
    )


def _unfinished(opd: str | None) -> tuple[str, list[Any]]:
    where = "m.status NOT IN (?, ?)"
    params: list[Any] = list(FINISHED)
    if opd is not None:
        where += " AND m.owner_opd = ?"
        params.append(opd)
    return where, params


def milestones(
    viewstore: ViewStore, opd: str | None = None, program_id: str | None = None
) -> list[MilestoneRow]:
    """Every milestone (of one OPD or program), by due date then id."""
    chosen = {"m.owner_opd": opd, "m.program_id": program_id}
    conditions = [f"{column} = ?" for column, value in chosen.items() if value is not None]
    params = [value for value in chosen.values() if value is not None]
    return [_row(r) for r in _select(viewstore, " AND ".join(["1 = 1", *conditions]), params)]


def overdue(
    viewstore: ViewStore,
    as_of: date,
    opd: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[MilestoneRow]:
    """Milestones due before ``as_of`` and not approved or done, with working days late."""
    working = calendar or WorkingCalendar()
    where, params = _unfinished(opd)
    rows = _select(viewstore, f"{where} AND m.due_date < ?", [*params, as_of.isoformat()])
    return [_row(r, working.working_days_late(date.fromisoformat(str(r[5])), as_of)) for r in rows]


def due_soon(
    viewstore: ViewStore,
    as_of: date,
    within_working_days: int,
    opd: str | None = None,
    calendar: WorkingCalendar | None = None,
) -> list[MilestoneRow]:
    """Unfinished milestones due from ``as_of`` up to ``within_working_days`` working days on."""
    last = (calendar or WorkingCalendar()).add_working_days(as_of, within_working_days)
    where, params = _unfinished(opd)
    rows = _select(
        viewstore,
        f"{where} AND m.due_date >= ? AND m.due_date <= ?",
        [*params, as_of.isoformat(), last.isoformat()],
    )
    return [_row(r) for r in rows]
