"""The deadline board's approval rows: each assigned OPD owes its decision by the due time."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from domain.calendar import local_day
from domain.deadlines.values import ESCALATED_TO
from projections.engine.aggregates import ApprovalRequest
from projections.engine.view import Handler, Recorded, ViewTx
from projections.views.deadlines.rows import (
    BOARD,
    OPEN,
    REQUESTS,
    Sql,
    close,
    escalation,
    insert,
    iso,
    update,
)


def _request(tx: ViewTx, request_id: str) -> tuple[int, list[list[str]]] | None:
    rows = tx.query(
        f"SELECT round, assigned FROM {tx.table(REQUESTS)} WHERE request_id = ?",
        (request_id,),
    )
    return (int(rows[0][0]), json.loads(rows[0][1])) if rows else None


def _group(request_id: str, round_: int, step: int) -> str:
    return f"approval:{request_id}:{round_}:{step}"


@dataclass(frozen=True)
class _Step:
    """The approval step an event is about, with its request's round and assigned OPDs."""

    request_id: str
    index: int
    round: int
    assigned: list[list[str]]


def _step_of(tx: ViewTx, event: Any) -> _Step | None:
    """The step of ``event``; None when its request is not on the board."""
    request_id = str(event.originator_id)
    known = _request(tx, request_id)
    return None if known is None else _Step(request_id, int(event.step_index), *known)


def _requested(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    route = json.dumps([list(step["opd_codes"]) for step in event.route])
    tx.execute(
        f"INSERT INTO {tx.table(REQUESTS)} (request_id, subject_kind, subject_id, "
        "title, round, route, assigned) VALUES (?, ?, ?, ?, 1, ?, ?) "
        "ON CONFLICT (request_id) DO NOTHING",
        (str(event.originator_id), event.subject_kind, event.subject_id, event.title, route, route),
    )


def _resubmitted(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    tx.execute(
        f"UPDATE {tx.table(REQUESTS)} SET round = ?, assigned = route WHERE request_id = ?",
        (int(event.round), str(event.originator_id)),
    )


def _share(tx: ViewTx, request_id: str, step: int, opd: str, row: dict[str, Any]) -> None:
    """Add the row of one OPD's decision on an opened step (copying the step's dates)."""
    found = tx.query(
        f"SELECT title, round FROM {tx.table(REQUESTS)} WHERE request_id = ?",
        (request_id,),
    )
    title, round_ = str(found[0][0]), int(found[0][1])
    group = _group(request_id, round_, step)
    insert(
        tx,
        f"{group}:{opd}",
        group_key=group,
        request_id=request_id,
        kind="approval-step",
        subject_id=request_id,
        title=f"Step {step + 1} of approval: {title}",
        owner_opd=opd,
        subject_status="waiting",
        **row,
    )


def _step_opened(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    step = _step_of(tx, event)
    if step is None:
        return
    dates = {
        "due_at": iso(event.due_at),
        "due_date": local_day(event.due_at).isoformat(),
        "opened_at": iso(event.effective_at),
    }
    for opd in step.assigned[step.index]:
        _share(tx, step.request_id, step.index, opd, dates)


def _where_group(tx: ViewTx, event: Any, extra: str = "") -> tuple[str, list[Any]]:
    known = _request(tx, str(event.originator_id))
    round_ = known[0] if known else 0
    return f"group_key = ?{extra}", [_group(str(event.originator_id), round_, event.step_index)]


def _decision_recorded(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    where, params = _where_group(tx, event, " AND owner_opd = ?")
    done = close(event.effective_at, event.outcome)
    update(tx, where, [*params, event.opd_code], decided_at=iso(event.effective_at), **done)


def _step_completed(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    where, params = _where_group(tx, event, " AND state = ?")
    update(tx, where, [*params, OPEN], **close(event.effective_at, f"step {event.outcome}"))


def _step_escalated(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    where, params = _where_group(tx, event, " AND state = ?")
    level, moment = int(event.level), event.effective_at
    update(tx, where, [*params, OPEN], **escalation(level, ESCALATED_TO.get(level, ""), moment))


def _reminder_sent(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    where, params = _where_group(tx, event, " AND state = ?")
    update(tx, where, [*params, OPEN], reminders=Sql("reminders + 1"))


def _step_reassigned(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    step = _step_of(tx, event)
    if step is None:
        return
    opds = step.assigned[step.index]
    step.assigned[step.index] = [event.to_opd if o == event.from_opd else o for o in opds]
    tx.execute(
        f"UPDATE {tx.table(REQUESTS)} SET assigned = ? WHERE request_id = ?",
        (json.dumps(step.assigned), step.request_id),
    )
    key = f"{_group(step.request_id, step.round, step.index)}:{event.from_opd}"
    rows = tx.query(
        f"SELECT due_at, due_date, opened_at FROM {tx.table(BOARD)} WHERE key = ?",
        (key,),
    )
    if rows:
        update(tx, "key = ?", [key], **close(event.effective_at, f"reassigned to {event.to_opd}"))
        dates = dict(zip(("due_at", "due_date", "opened_at"), rows[0], strict=True))
        _share(tx, step.request_id, step.index, event.to_opd, dates)


def _withdrawn(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(
        tx,
        "request_id = ? AND state = ?",
        [str(event.originator_id), OPEN],
        **close(event.effective_at, "withdrawn"),
    )


APPROVAL_HANDLERS: dict[type, Handler] = {
    ApprovalRequest.Requested: _requested,
    ApprovalRequest.Resubmitted: _resubmitted,
    ApprovalRequest.StepOpened: _step_opened,
    ApprovalRequest.DecisionRecorded: _decision_recorded,
    ApprovalRequest.StepCompleted: _step_completed,
    ApprovalRequest.StepEscalated: _step_escalated,
    ApprovalRequest.ReminderSent: _reminder_sent,
    ApprovalRequest.StepReassigned: _step_reassigned,
    ApprovalRequest.Withdrawn: _withdrawn,
}
