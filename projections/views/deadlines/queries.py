"""What the inspectorate asks of the deadline board: due soon, overdue, escalated, on time.

Days are the city's days (WIB); working days come from the ``WorkingCalendar`` the caller
passes (the national one when none is given). A row is late as of a day when it is still
open and its due date is before that day.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from domain.calendar import WorkingCalendar, local_day
from projections.engine.days import DEADLINE_DAYS, Calendar, counted
from projections.engine.viewstore import ViewStore
from projections.views.deadlines.rows import OPEN
from projections.views.deadlines.view import DeadlineBoardView

_COLUMNS = (
    "key, kind, subject_id, title, owner_opd, due_date, due_at, state, subject_status, "
    "opened_at, decided_at, closed_at, escalation_level, escalated_at, escalated_to, "
    "overdue_recorded_at, reminders"
)


@dataclass(frozen=True)
class Deadline:
    """One row of the board; ``late_since`` is the first day it was late (None if not late)."""

    key: str
    kind: str
    subject_id: str
    title: str
    owner_opd: str
    due_date: date
    due_at: str | None
    state: str
    subject_status: str
    opened_at: str | None
    decided_at: str | None
    closed_at: str | None
    escalation_level: int
    escalated_at: str | None
    escalated_to: str | None
    overdue_recorded_at: str | None
    reminders: int
    late_since: date | None = None
    working_days_late: int = 0


@dataclass(frozen=True)
class OnTimeRate:
    """How often an OPD met its deadlines as of a day; a rate is None when nothing counted."""

    opd: str
    decisions: int
    decisions_on_time: int
    decision_rate: float | None
    milestones: int
    milestones_on_time: int
    milestone_rate: float | None


@dataclass(frozen=True)
class Window:
    """One page of the board: at most ``limit`` rows after the sort key ``after``.

    ``after`` is ``(sort value, key)`` of the last row of the previous page: the due date
    for due-soon and overdue, the escalation moment for escalated.
    """

    limit: int | None = None
    after: tuple[str, str] | None = None


Opds = str | Sequence[str] | None


def _rows(
    viewstore: ViewStore,
    where: str,
    params: list[Any],
    sort: str,
    window: Window | None = None,
) -> list[Deadline]:
    """Rows matching ``where`` ordered by ``sort`` then key, after and up to the window."""
    return [_deadline(r) for r in _selected(viewstore, where, params, sort, window)]


def _selected(
    viewstore: ViewStore,
    where: str,
    params: list[Any],
    sort: str,
    window: Window | None = None,
) -> list[tuple[Any, ...]]:
    """The stored rows of ``_rows``, as read."""
    table = viewstore.table(DeadlineBoardView.name, "deadline_board")
    params = list(params)
    if window is not None and window.after is not None:
        where += f" AND ({sort} > ? OR ({sort} = ? AND key > ?))"
        params += [window.after[0], window.after[0], window.after[1]]
    limit = ""
    if window is not None and window.limit is not None:
        limit, params = " LIMIT ?", [*params, window.limit]
    return viewstore.query(
        f"SELECT {_COLUMNS} FROM {table} WHERE {where} ORDER BY {sort}, key{limit}", params
    )


def _deadline(row: tuple[Any, ...], late: Mapping[date, int] | None = None) -> Deadline:
    """The board row ``row``; with ``late`` (working days from the day asked to each due
    date), a late one: late since the day after it was due, and by how many working days."""
    values: list[Any] = list(row)
    due = values[5] = date.fromisoformat(str(values[5]))
    values[12], values[16] = int(values[12]), int(values[16])
    if late is not None:
        values += [due + timedelta(days=1), max(0, -late[due])]
    return Deadline(*values)


def _of_opds(opd: Opds) -> tuple[str, list[Any]]:
    """A condition on the owner OPD: one code, any of several, or none (every OPD)."""
    if opd is None:
        return "", []
    codes = [opd] if isinstance(opd, str) else list(opd)
    if not codes:
        return " AND 1 = 0", []
    return f" AND owner_opd IN ({', '.join('?' * len(codes))})", codes


def _open(opd: Opds) -> tuple[str, list[Any]]:
    where, params = _of_opds(opd)
    return f"state = ?{where}", [OPEN, *params]


def due_soon(
    viewstore: ViewStore,
    as_of: date,
    n_working_days: int,
    opd: Opds = None,
    calendar: WorkingCalendar | None = None,
    window: Window | None = None,
) -> list[Deadline]:
    """Open deadlines falling due from ``as_of`` up to ``n_working_days`` working days on."""
    last = (calendar or WorkingCalendar()).add_working_days(as_of, n_working_days)
    where, params = _open(opd)
    return _rows(
        viewstore,
        f"{where} AND due_date >= ? AND due_date <= ?",
        [*params, as_of.isoformat(), last.isoformat()],
        "due_date",
        window,
    )


def overdue(
    viewstore: ViewStore,
    as_of: date,
    opd: Opds = None,
    calendar: Calendar | None = None,
    window: Window | None = None,
    city: str | None = None,
) -> list[Deadline]:
    """Open deadlines due before ``as_of``: late since the day after, and working days late.

    Working days late come from the rows the projector counted for ``city`` and ``as_of``
    (``deadlines_days``); a due date without one is counted here, for this page only.
    """
    working = calendar or WorkingCalendar()
    where, params = _open(opd)
    late = _selected(
        viewstore, f"{where} AND due_date < ?", [*params, as_of.isoformat()], "due_date", window
    )
    due = {date.fromisoformat(str(row[5])) for row in late}
    between = counted(viewstore, DEADLINE_DAYS, city, as_of, due, working)
    return [_deadline(row, between) for row in late]


def escalated(
    viewstore: ViewStore, opd: Opds = None, open_only: bool = False, window: Window | None = None
) -> list[Deadline]:
    """Deadlines escalated (level 1: Sekda, 2: Inspektorat), in the order they were escalated."""
    where, params = _of_opds(opd)
    where = "escalation_level > 0" + where
    if open_only:
        where, params = f"{where} AND state = ?", [*params, OPEN]
    return _rows(viewstore, where, params, "COALESCE(escalated_at, '')", window)


def sort_value(deadline: Deadline, state: str) -> str:
    """The value a page of ``state`` is sorted by (with the key): what a cursor names."""
    if state == "escalated":
        return deadline.escalated_at or ""
    return deadline.due_date.isoformat()


def _day(moment: str | None) -> date | None:
    return local_day(datetime.fromisoformat(moment)) if moment else None


def _decision(d: Deadline, as_of: date) -> tuple[int, int]:
    """(counted, on time) for one OPD's share of an approval step."""
    decided = _day(d.decided_at)
    if d.decided_at and d.due_at and decided is not None and decided <= as_of:
        return 1, int(datetime.fromisoformat(d.decided_at) <= datetime.fromisoformat(d.due_at))
    closed = _day(d.closed_at)
    lapsed = d.due_date < as_of and not (closed is not None and closed <= d.due_date)
    return int(lapsed), 0


def _milestone(d: Deadline, as_of: date) -> tuple[int, int]:
    """(counted, on time) for one milestone."""
    finished = _day(d.closed_at)
    if finished is not None and finished <= as_of:
        return 1, int(finished <= d.due_date)
    return int(d.due_date < as_of), 0


def on_time_rates(viewstore: ViewStore, as_of: date, opd: str | None = None) -> list[OnTimeRate]:
    """Per OPD, as of the end of ``as_of``: the share of deadlines met, by OPD code.

    Decisions: each OPD's share of an opened approval step counts once it is decided on or
    before ``as_of``, or once its due day is before ``as_of`` undecided (unless the step
    closed without it by the due day); it is on time when decided by the step's due time.
    Milestones: each counts once first approved on or before ``as_of``, or once its due
    date is before ``as_of`` unapproved; it is on time when approved by its (current) due
    date. A milestone reopened by a later progress report counts as not approved.
    """
    where, params = _of_opds(opd)
    where, params = f"kind IN (?, ?){where}", ["approval-step", "milestone", *params]
    tallies: dict[str, list[int]] = {}
    for d in _rows(viewstore, where, params, "owner_opd"):
        counted, on_time = (_decision if d.kind == "approval-step" else _milestone)(d, as_of)
        tally = tallies.setdefault(d.owner_opd, [0, 0, 0, 0])
        offset = 0 if d.kind == "approval-step" else 2
        tally[offset] += counted
        tally[offset + 1] += on_time
    return [
        OnTimeRate(
            opd=code,
            decisions=t[0],
            decisions_on_time=t[1],
            decision_rate=t[1] / t[0] if t[0] else None,
            milestones=t[2],
            milestones_on_time=t[3],
            milestone_rate=t[3] / t[2] if t[2] else None,
        )
        for code, t in sorted(tallies.items())
    ]
