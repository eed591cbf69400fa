"""Bimtek stages: attendance per OPD and stage, and the deliverables each OPD owes.

Every invited OPD has an attendance row from the moment the stage is planned ("not
recorded" until the secretariat notes whether it came). Queries live in
``projections.views.bimtek.queries``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar

from projections.engine.aggregates import BimtekSession
from projections.engine.rows import insert, update, utc_text
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx

PRESENT, ABSENT, NOT_RECORDED, NOT_INVITED = "present", "absent", "not-recorded", "not-invited"

DELIVERABLE_COLUMNS = (
    "city_code",
    "stage_number",
    "deliverable_id",
    "session_id",
    "opd_code",
    "title",
    "due_date",
    "status",
    "reference",
    "submitted_at",
    "late",
    "note",
)


def _session_id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _created(tx: ViewTx, recorded: Recorded) -> None:
    e, session_id = recorded.event, _session_id(recorded)
    when = {"title": e.title, "start_date": e.start_date.isoformat()}
    when |= {"end_date": e.end_date.isoformat(), "venue": e.venue}
    key = {"session_id": session_id, "city_code": e.city_code, "stage_number": e.stage_number}
    invited = json.dumps(list(e.invited_opds))
    insert(tx, "bimtek_stages", key | when | {"organiser_opd": e.organiser_opd, "invited": invited})
    for opd_code in e.invited_opds:
        tx.execute(
            f"INSERT INTO {tx.table('bimtek_attendance')} (session_id, opd_code, invited, "
            "status, asn_count, recorded_at) VALUES (?, ?, 1, ?, 0, NULL)",
            (session_id, opd_code, NOT_RECORDED),
        )


def _attendance_recorded(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    status, when = PRESENT if e.present else ABSENT, utc_text(e.effective_at)
    tx.execute(
        f"INSERT INTO {tx.table('bimtek_attendance')} (session_id, opd_code, invited, status, "
        "asn_count, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, opd_code) "
        "DO UPDATE SET status = excluded.status, asn_count = excluded.asn_count, "
        "recorded_at = excluded.recorded_at",
        (_session_id(recorded), e.opd_code, int(not e.extra), status, e.asn_count, when),
    )


def _deliverable_assigned(tx: ViewTx, recorded: Recorded) -> None:
    e, session_id = recorded.event, _session_id(recorded)
    ((city_code, stage_number),) = tx.query(
        f"SELECT city_code, stage_number FROM {tx.table('bimtek_stages')} WHERE session_id = ?",
        (session_id,),
    )
    key = {"city_code": city_code, "stage_number": stage_number}
    key |= {"deliverable_id": e.deliverable_id, "session_id": session_id}
    what = {"opd_code": e.opd_code, "title": e.title, "due_date": e.due_date.isoformat()}
    state = {"status": "owed", "reference": None, "submitted_at": None, "late": 0, "note": None}
    insert(tx, "bimtek_deliverables", key | what | state)


def _set(tx: ViewTx, recorded: Recorded, changes: dict[str, object]) -> None:
    key = {"session_id": _session_id(recorded), "deliverable_id": recorded.event.deliverable_id}
    update(tx, "bimtek_deliverables", key, **changes)


def _submitted(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    submitted_at = utc_text(e.submitted_at)
    changes = {"status": "submitted", "reference": e.reference, "submitted_at": submitted_at}
    _set(tx, recorded, {**changes, "late": int(e.late)})


def _accepted(tx: ViewTx, recorded: Recorded) -> None:
    _set(tx, recorded, {"status": "accepted", "note": recorded.event.comment or None})


def _returned(tx: ViewTx, recorded: Recorded) -> None:
    _set(tx, recorded, {"status": "returned", "note": recorded.event.reason})


def _due_date_changed(tx: ViewTx, recorded: Recorded) -> None:
    _set(tx, recorded, {"due_date": recorded.event.due_date.isoformat()})


class BimtekView(View):
    """Stages, attendance per OPD and stage, and deliverables with their status."""

    name: ClassVar[str] = "bimtek"
    version: ClassVar[int] = 1
    tables: ClassVar[dict[str, str]] = {
        "bimtek_stages": (
            "session_id {text} PRIMARY KEY, city_code {text} NOT NULL, "
            "stage_number {int} NOT NULL, title {text} NOT NULL, start_date {text} NOT NULL, "
            "end_date {text} NOT NULL, venue {text} NOT NULL, organiser_opd {text} NOT NULL, "
            "invited {text} NOT NULL"
        ),
        "bimtek_attendance": (
            "session_id {text} NOT NULL, opd_code {text} NOT NULL, invited {int} NOT NULL, "
            "status {text} NOT NULL, asn_count {int} NOT NULL, recorded_at {text}, "
            "PRIMARY KEY (session_id, opd_code)"
        ),
        "bimtek_deliverables": (
            "city_code {text} NOT NULL, stage_number {int} NOT NULL, "
            "deliverable_id {text} NOT NULL, session_id {text} NOT NULL, "
            "opd_code {text} NOT NULL, title {text} NOT NULL, due_date {text} NOT NULL, "
            "status {text} NOT NULL, reference {text}, submitted_at {text}, "
            "late {int} NOT NULL, note {text}, "
            "PRIMARY KEY (city_code, stage_number, deliverable_id)"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "bimtek_deliverables": ["session_id, deliverable_id", "opd_code"],
    }
    handlers: ClassVar[Mapping[str, Handler]] = by_topic(
        {
            BimtekSession.Created: _created,
            BimtekSession.AttendanceRecorded: _attendance_recorded,
            BimtekSession.DeliverableAssigned: _deliverable_assigned,
            BimtekSession.DeliverableSubmitted: _submitted,
            BimtekSession.DeliverableAccepted: _accepted,
            BimtekSession.DeliverableReturned: _returned,
            BimtekSession.DueDateChanged: _due_date_changed,
        }
    )
