"""The approval inbox: open steps per OPD, and what each OPD and person decided.

One row per open step and OPD asked to decide it (``inbox_steps``); the rows of a step go
when it completes, and all rows of a request go when it is approved, rejected, returned or
withdrawn. ``inbox_requests`` keeps what later events need (title, route, who is asked to
decide each step of the current round, reassignments included). Queries live in
``projections.views.inbox.queries``.
"""

from __future__ import annotations

import json
from typing import Any

from projections.engine.aggregates import ApprovalRequest
from projections.engine.days import days_table
from projections.engine.rows import insert, utc_text
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx

REQUESTS = Table(
    "inbox_requests",
    "request_id text, subject_kind text, subject_id text, title text, owner_opd text, "
    "round int, route text, assigned text",
    key="request_id",
)
STEPS = Table(
    "inbox_steps",
    "request_id text, step_index int, opd_code text, round int, subject_kind text, "
    "subject_id text, title text, owner_opd text, mode text, quorum int?, due_at text, "
    "strategic int, budget int, escalation_level int, reminders int, decided int",
    key="request_id, step_index, opd_code",
    indexes=("opd_code, due_at", "escalation_level"),
)
DECISIONS = Table(
    "inbox_decisions",
    "position int, request_id text, round int, step_index int, subject_kind text, "
    "subject_id text, title text, opd_code text, person_nip text, person_capacity text, "
    "outcome text, comment text, decided_at text, recorded_at text",
    key="position",
    indexes=("opd_code, position", "person_nip, position"),
)
#: Working days from today to each step's due day, kept by the projector's refresher.
DAYS = days_table("inbox_days")


def _request_id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _load(tx: ViewTx, request_id: str) -> dict[str, Any]:
    (row,) = tx.query(
        f"SELECT subject_kind, subject_id, title, owner_opd, round, route, assigned "
        f"FROM {tx.table(REQUESTS)} WHERE request_id = ?",
        (request_id,),
    )
    keys = ("subject_kind", "subject_id", "title", "owner_opd", "round", "route", "assigned")
    request = dict(zip(keys, row, strict=True))
    request["route"], request["assigned"] = (json.loads(request[k]) for k in ("route", "assigned"))
    return request


def _save_assigned(tx: ViewTx, request_id: str, assigned: list[list[str]], round_: int) -> None:
    tx.execute(
        f"UPDATE {tx.table(REQUESTS)} SET assigned = ?, round = ? WHERE request_id = ?",
        (json.dumps(assigned), round_, request_id),
    )


def _requested(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    assigned = [list(step["opd_codes"]) for step in e.route]
    what = {"subject_kind": e.subject_kind, "subject_id": e.subject_id, "title": e.title}
    insert(
        tx,
        "inbox_requests",
        {"request_id": _request_id(recorded), **what, "owner_opd": e.owner_opd, "round": 1}
        | {"route": json.dumps(e.route), "assigned": json.dumps(assigned)},
    )


def _step_opened(tx: ViewTx, recorded: Recorded) -> None:
    e, request_id = recorded.event, _request_id(recorded)
    request = _load(tx, request_id)
    spec = request["route"][e.step_index]
    about = {k: request[k] for k in ("round", "subject_kind", "subject_id", "title", "owner_opd")}
    rule = {"mode": spec["mode"], "quorum": spec["quorum"], "due_at": utc_text(e.due_at)}
    rule |= {"strategic": int(spec["strategic"]), "budget": int(spec["budget"])}
    fresh = {"escalation_level": 0, "reminders": 0, "decided": 0}
    for opd_code in request["assigned"][e.step_index]:
        key = {"request_id": request_id, "step_index": e.step_index, "opd_code": opd_code}
        insert(tx, STEPS, key | about | rule | fresh)


def _decision_recorded(tx: ViewTx, recorded: Recorded) -> None:
    e, request_id = recorded.event, _request_id(recorded)
    tx.execute(
        f"UPDATE {tx.table(STEPS)} SET decided = 1 "
        "WHERE request_id = ? AND step_index = ? AND opd_code = ?",
        (request_id, e.step_index, e.opd_code),
    )
    request = _load(tx, request_id)
    about = {k: request[k] for k in ("round", "subject_kind", "subject_id", "title")}
    who = {"opd_code": e.opd_code, "person_nip": e.person_nip}
    what = {"person_capacity": e.person_capacity, "outcome": e.outcome, "comment": e.comment}
    when = {"decided_at": utc_text(e.effective_at), "recorded_at": utc_text(e.timestamp)}
    key = {"position": recorded.position, "request_id": request_id, "step_index": e.step_index}
    insert(tx, DECISIONS, key | about | who | what | when)


def _step_completed(tx: ViewTx, recorded: Recorded) -> None:
    _delete_steps(tx, recorded, recorded.event.step_index)


def _delete_steps(tx: ViewTx, recorded: Recorded, step_index: int | None) -> None:
    sql = f"DELETE FROM {tx.table(STEPS)} WHERE request_id = ?"
    params: tuple[Any, ...] = (_request_id(recorded),)
    if step_index is not None:
        sql, params = sql + " AND step_index = ?", (*params, step_index)
    tx.execute(sql, params)


def _resubmitted(tx: ViewTx, recorded: Recorded) -> None:
    request_id = _request_id(recorded)
    request = _load(tx, request_id)
    assigned = [list(step["opd_codes"]) for step in request["route"]]
    _save_assigned(tx, request_id, assigned, recorded.event.round)


def _step_reassigned(tx: ViewTx, recorded: Recorded) -> None:
    e, request_id = recorded.event, _request_id(recorded)
    request = _load(tx, request_id)
    opds: list[str] = request["assigned"][e.step_index]
    opds[opds.index(e.from_opd)] = e.to_opd
    _save_assigned(tx, request_id, request["assigned"], request["round"])
    tx.execute(
        f"UPDATE {tx.table(STEPS)} SET opd_code = ? "
        "WHERE request_id = ? AND step_index = ? AND opd_code = ?",
        (e.to_opd, request_id, e.step_index, e.from_opd),
    )


def _step_escalated(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    tx.execute(
        f"UPDATE {tx.table(STEPS)} SET escalation_level = ? "
        "WHERE request_id = ? AND step_index = ?",
        (e.level, _request_id(recorded), e.step_index),
    )


def _reminder_sent(tx: ViewTx, recorded: Recorded) -> None:
    tx.execute(
        f"UPDATE {tx.table(STEPS)} SET reminders = reminders + 1 "
        "WHERE request_id = ? AND step_index = ?",
        (_request_id(recorded), recorded.event.step_index),
    )


def _closed(tx: ViewTx, recorded: Recorded) -> None:
    _delete_steps(tx, recorded, None)


class InboxView(View, name="approval_inbox", version=2, tables=(REQUESTS, STEPS, DECISIONS, DAYS)):
    """Open approval steps per OPD and the decisions recorded, per OPD and person."""

    handlers = by_topic(
        {
            ApprovalRequest.Requested: _requested,
            ApprovalRequest.StepOpened: _step_opened,
            ApprovalRequest.DecisionRecorded: _decision_recorded,
            ApprovalRequest.StepCompleted: _step_completed,
            ApprovalRequest.Resubmitted: _resubmitted,
            ApprovalRequest.StepReassigned: _step_reassigned,
            ApprovalRequest.StepEscalated: _step_escalated,
            ApprovalRequest.ReminderSent: _reminder_sent,
            ApprovalRequest.Approved: _closed,
            ApprovalRequest.Rejected: _closed,
            ApprovalRequest.ReturnedForRevision: _closed,
            ApprovalRequest.Withdrawn: _closed,
        }
    )
