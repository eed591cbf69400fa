"""The approval inbox: open steps per OPD, and what each OPD and person decided.

One row per open step and OPD asked to decide it (``inbox_steps``); the rows of a step go
when it completes, and all rows of a request go when it is approved, rejected, returned or
withdrawn. ``inbox_requests`` keeps what later events need (title, route, who is asked to
decide each step of the current round, reassignments included). Queries live in
``projections.views.inbox.queries``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from projections.engine.aggregates import ApprovalRequest
from projections.engine.days import DAYS
from projections.engine.rows import insert, utc_text
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx

STEP_COLUMNS = (
    "request_id",
    "step_index",
    "opd_code",
    "round",
    "subject_kind",
    "subject_id",
    "title",
    "owner_opd",
    "mode",
    "quorum",
    "due_at",
    "strategic",
    "budget",
    "escalation_level",
    "reminders",
    "decided",
)
DECISION_COLUMNS = (
    "position",
    "request_id",
    "round",
    "step_index",
    "subject_kind",
    "subject_id",
    "title",
    "opd_code",
    "person_nip",
    "person_capacity",
    "outcome",
    "comment",
    "decided_at",
    "recorded_at",
)


def _request_id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _load(tx: ViewTx, request_id: str) -> dict[str, Any]:
    (row,) = tx.query(
        f"SELECT subject_kind, subject_id, title, owner_opd, round, route, assigned "
        f"FROM {tx.table('inbox_requests')} WHERE request_id = ?",
        (request_id,),
    )
    keys = ("subject_kind", "subject_id", "title", "owner_opd", "round", "route", "assigned")
    request = dict(zip(keys, row, strict=True))
    request["route"], request["assigned"] = (json.loads(request[k]) for k in ("route", "assigned"))
    return request


def _save_assigned(tx: ViewTx, request_id: str, assigned: list[list[str]], round_: int) -> None:
    tx.execute(
        f"UPDATE {tx.table('inbox_requests')} SET assigned = ?, round = ? WHERE request_id = ?",
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
        insert(tx, "inbox_steps", key | about | rule | fresh)


def _decision_recorded(tx: ViewTx, recorded: Recorded) -> None:
    e, request_id = recorded.event, _request_id(recorded)
    tx.execute(
        f"UPDATE {tx.table('inbox_steps')} SET decided = 1 "
        "WHERE request_id = ? AND step_index = ? AND opd_code = ?",
        (request_id, e.step_index, e.opd_code),
    )
    request = _load(tx, request_id)
    about = {k: request[k] for k in ("round", "subject_kind", "subject_id", "title")}
    who = {"opd_code": e.opd_code, "person_nip": e.person_nip}
    what = {"person_capacity": e.person_capacity, "outcome": e.outcome, "comment": e.comment}
    when = {"decided_at": utc_text(e.effective_at), "recorded_at": utc_text(e.timestamp)}
    key = {"position": recorded.position, "request_id": request_id, "step_index": e.step_index}
    insert(tx, "inbox_decisions", key | about | who | what | when)


def _step_completed(tx: ViewTx, recorded: Recorded) -> None:
    _delete_steps(tx, recorded, recorded.event.step_index)


def _delete_steps(tx: ViewTx, recorded: Recorded, step_index: int | None) -> None:
    sql = f"DELETE FROM {tx.table('inbox_steps')} WHERE request_id = ?"
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
        f"UPDATE {tx.table('inbox_steps')} SET opd_code = ? "
        "WHERE request_id = ? AND step_index = ? AND opd_code = ?",
        (e.to_opd, request_id, e.step_index, e.from_opd),
    )


def _step_escalated(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    tx.execute(
        f"UPDATE {tx.table('inbox_steps')} SET escalation_level = ? "
        "WHERE request_id = ? AND step_index = ?",
        (e.level, _request_id(recorded), e.step_index),
    )


def _reminder_sent(tx: ViewTx, recorded: Recorded) -> None:
    tx.execute(
        f"UPDATE {tx.table('inbox_steps')} SET reminders = reminders + 1 "
        "WHERE request_id = ? AND step_index = ?",
        (_request_id(recorded), recorded.event.step_index),
    )


def _closed(tx: ViewTx, recorded: Recorded) -> None:
    _delete_steps(tx, recorded, None)


class InboxView(View):
    """Open approval steps per OPD and the decisions recorded, per OPD and person."""

    name: ClassVar[str] = "approval_inbox"
    version: ClassVar[int] = 2
    tables: ClassVar[dict[str, str]] = {
        "inbox_requests": (
            "request_id {text} PRIMARY KEY, subject_kind {text} NOT NULL, "
            "subject_id {text} NOT NULL, title {text} NOT NULL, owner_opd {text} NOT NULL, "
            "round {int} NOT NULL, route {text} NOT NULL, assigned {text} NOT NULL"
        ),
        "inbox_steps": (
            "request_id {text} NOT NULL, step_index {int} NOT NULL, opd_code {text} NOT NULL, "
            "round {int} NOT NULL, subject_kind {text} NOT NULL, subject_id {text} NOT NULL, "
            "title {text} NOT NULL, owner_opd {text} NOT NULL, mode {text} NOT NULL, "
            "quorum {int}, due_at {text} NOT NULL, strategic {int} NOT NULL, "
            "budget {int} NOT NULL, escalation_level {int} NOT NULL, reminders {int} NOT NULL, "
            "decided {int} NOT NULL, PRIMARY KEY (request_id, step_index, opd_code)"
        ),
        "inbox_decisions": (
            "position {int} PRIMARY KEY, request_id {text} NOT NULL, round {int} NOT NULL, "
            "step_index {int} NOT NULL, subject_kind {text} NOT NULL, "
            "subject_id {text} NOT NULL, title {text} NOT NULL, opd_code {text} NOT NULL, "
            "person_nip {text} NOT NULL, person_capacity {text} NOT NULL, "
            "outcome {text} NOT NULL, comment {text} NOT NULL, decided_at {text} NOT NULL, "
            "recorded_at {text} NOT NULL"
        ),
        # Working days from today to each step's due day, kept by the projector's refresher.
        "inbox_days": DAYS,
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "inbox_steps": ["opd_code, due_at", "escalation_level"],
        "inbox_decisions": ["opd_code, position", "person_nip, position"],
    }
    handlers: ClassVar[Mapping[str, Handler]] = by_topic(
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
