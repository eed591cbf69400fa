"""What the approval inbox answers: open steps per OPD, recent decisions, escalated steps."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.calendar import local_day
from projections.engine.days import INBOX_DAYS, Calendar, counted
from projections.engine.rows import utc_text
from projections.engine.viewstore import ViewStore
from projections.views.inbox.view import DECISIONS, STEPS, InboxView

#: Order of open steps (the last one makes it total): the cursor is the row's key.
STEP_ORDER = ("due_at", "request_id", "step_index", "opd_code")


@dataclass(frozen=True)
class InboxItem:
    """One open step an OPD is asked to decide; ``working_days_left`` < 0 means late."""

    request_id: str
    step_index: int
    opd_code: str
    round: int
    subject_kind: str
    subject_id: str
    title: str
    owner_opd: str
    mode: str
    quorum: int | None
    due_at: datetime
    strategic: bool
    budget: bool
    escalation_level: int
    reminders: int
    decided: bool
    working_days_left: int | None = None

    @property
    def cursor(self) -> str:
        """The stable key of this row: pass it as ``after`` for the next page."""
        return f"{utc_text(self.due_at)}|{self.request_id}|{self.step_index}|{self.opd_code}"


@dataclass(frozen=True)
class DecisionItem:
    """A decision recorded on a step, by whom, for which OPD, and when."""

    position: int
    request_id: str
    round: int
    step_index: int
    subject_kind: str
    subject_id: str
    title: str
    opd_code: str
    person_nip: str
    person_capacity: str
    outcome: str
    comment: str
    decided_at: datetime
    recorded_at: datetime


def _item(row: tuple[Any, ...]) -> InboxItem:
    values = dict(zip(STEPS.names, row, strict=True))
    values["due_at"] = datetime.fromisoformat(values["due_at"])
    for flag in ("strategic", "budget", "decided"):
        values[flag] = bool(values[flag])
    return InboxItem(**values)


def _after(cursor: str | None) -> tuple[str, list[Any]]:
    """The SQL condition and parameters for rows after ``cursor`` (none when None)."""
    if cursor is None:
        return "", []
    due_at, request_id, step_index, opd_code = cursor.split("|")
    condition = f" AND ({', '.join(STEP_ORDER)}) > (?, ?, ?, ?)"
    return condition, [due_at, request_id, int(step_index), opd_code]


def _steps(
    viewstore: ViewStore, where: str, params: Sequence[Any], after: str | None, limit: int
) -> list[InboxItem]:
    table = viewstore.table(InboxView.name, "inbox_steps")
    condition, extra = _after(after)
    rows = viewstore.query(
        f"SELECT {STEPS.column_list} FROM {table} WHERE {where}{condition} "
        f"ORDER BY {', '.join(STEP_ORDER)} LIMIT ?",
        [*params, *extra, limit],
    )
    return [_item(row) for row in rows]


def inbox(
    viewstore: ViewStore,
    opd_codes: Sequence[str],
    as_of: datetime,
    calendar: Calendar,
    *,
    include_decided: bool = True,
    after: str | None = None,
    limit: int = 100,
    city: str | None = None,
) -> list[InboxItem]:
    """The open steps these OPDs are asked to decide, soonest due first.

    ``working_days_left`` counts the working days from ``as_of`` to the due day (0: due
    today, negative: that many working days late).
    """
    codes = [c.strip().upper() for c in opd_codes]
    if not codes:
        return []
    where = f"opd_code IN ({', '.join('?' * len(codes))})"
    if not include_decided:
        where += " AND decided = 0"
    today = local_day(as_of)
    items = _steps(viewstore, where, codes, after, limit)
    # Counted by the projector for the deployment's city and today (``deadlines_days``).
    left = counted(
        viewstore, INBOX_DAYS, city, today, {local_day(i.due_at) for i in items}, calendar
    )
    return [
        InboxItem(**{**i.__dict__, "working_days_left": left[local_day(i.due_at)]}) for i in items
    ]


def escalated_open_steps(
    viewstore: ViewStore, *, after: str | None = None, limit: int = 100
) -> list[InboxItem]:
    """For the Sekda and the mayor: escalated steps, one row per OPD that has not decided."""
    return _steps(viewstore, "escalation_level >= 1 AND decided = 0", [], after, limit)


def decided_recently(
    viewstore: ViewStore,
    opd_codes: Sequence[str] | None = None,
    person_nip: str | None = None,
    limit: int = 20,
    before_position: int | None = None,
) -> list[DecisionItem]:
    """The latest decisions of these OPDs (or of this person), newest first."""
    table = viewstore.table(InboxView.name, "inbox_decisions")
    where = ["position < ?"]
    params: list[Any] = [before_position if before_position is not None else 2**62]
    if opd_codes is not None:
        codes = [c.strip().upper() for c in opd_codes] or [""]
        where.append(f"opd_code IN ({', '.join('?' * len(codes))})")
        params += codes
    if person_nip is not None:
        where.append("person_nip = ?")
        params.append("".join(person_nip.split()))
    rows = viewstore.query(
        f"SELECT {DECISIONS.column_list} FROM {table} WHERE {' AND '.join(where)} "
        "ORDER BY position DESC LIMIT ?",
        [*params, limit],
    )
    return [_decision(row) for row in rows]


def _decision(row: tuple[Any, ...]) -> DecisionItem:
    values = dict(zip(DECISIONS.names, row, strict=True))
    for key in ("decided_at", "recorded_at"):
        values[key] = datetime.fromisoformat(values[key])
    return DecisionItem(**values)


@dataclass(frozen=True)
class RequestRow:
    """An approval request as a list names it: what it is about and whose it is."""

    request_id: str
    subject_kind: str
    title: str
    owner_opd: str
    round: int


def requests(viewstore: ViewStore, limit: int = 200) -> list[RequestRow]:
    """Approval requests, by owner OPD then title (at most ``limit``)."""
    table = viewstore.table(InboxView.name, "inbox_requests")
    rows = viewstore.query(
        f"SELECT request_id, subject_kind, title, owner_opd, round FROM {table} "
        "ORDER BY owner_opd, title, round LIMIT ?",
        (limit,),
    )
    return [RequestRow(str(i), str(k), str(t), str(o), int(r)) for i, k, t, o, r in rows]
