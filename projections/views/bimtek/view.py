"""Bimtek stages: attendance per OPD and stage, and the deliverables each OPD owes.

Every invited OPD has an attendance row from the moment the stage is planned ("not
recorded" until the secretariat notes whether it came). Queries live in
``projections.views.bimtek.queries``.
"""

from __future__ import annotations

import json

from projections.engine.aggregates import BimtekSession
from projections.engine.rows import insert, update, utc_text
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx

PRESENT, ABSENT, NOT_RECORDED, NOT_INVITED = "present", "absent", "not-recorded", "not-invited"

STAGES = Table(
    "bimtek_stages",
    "session_id text, city_code text, stage_number int, title text, start_date text, "
    "end_date text, venue text, organiser_opd text, invited text",
    key="session_id",
)
ATTENDANCE = Table(
    "bimtek_attendance",
    "session_id text, opd_code text, invited int, status text, asn_count int, recorded_at text?",
    key="session_id, opd_code",
)
DELIVERABLES = Table(
    "bimtek_deliverables",
    "city_code text, stage_number int, deliverable_id text, session_id text, opd_code text, "
    "title text, due_date text, status text, reference text?, submitted_at text?, late int, "
    "note text?",
    key="city_code, stage_number, deliverable_id",
    indexes=("session_id, deliverable_id", "opd_code"),
)


def _session_id(recorded: Recorded) -> str:
    return str(recorded.event.originator_id)


def _created(tx: ViewTx, recorded: Recorded) -> None:
    e, session_id = recorded.event, _session_id(recorded)
    when = {"title": e.title, "start_date": e.start_date.isoformat()}
    when |= {"end_date": e.end_date.isoformat(), "venue": e.venue}
    key = {"session_id": session_id, "city_code": e.city_code, "stage_number": e.stage_number}
    invited = json.dumps(list(e.invited_opds))
    insert(tx, STAGES, key | when | {"organiser_opd": e.organiser_opd, "invited": invited})
    for opd_code in e.invited_opds:
        tx.execute(
            f"INSERT INTO {tx.table(ATTENDANCE)} (session_id, opd_code, invited, "
            "status, asn_count, recorded_at) VALUES (?, ?, 1, ?, 0, NULL)",
            (session_id, opd_code, NOT_RECORDED),
        )


def _attendance_recorded(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    status, when = PRESENT if e.present else ABSENT, utc_text(e.effective_at)
    tx.execute(
        f"INSERT INTO {tx.table(ATTENDANCE)} (session_id, opd_code, invited, status, "
        "asn_count, recorded_at) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (session_id, opd_code) "
        "DO UPDATE SET status = excluded.status, asn_count = excluded.asn_count, "
        "recorded_at = excluded.recorded_at",
        (_session_id(recorded), e.opd_code, int(not e.extra), status, e.asn_count, when),
    )


def _deliverable_assigned(tx: ViewTx, recorded: Recorded) -> None:
    e, session_id = recorded.event, _session_id(recorded)
    ((city_code, stage_number),) = tx.query(
        f"SELECT city_code, stage_number FROM {tx.table(STAGES)} WHERE session_id = ?",
        (session_id,),
    )
    key = {"city_code": city_code, "stage_number": stage_number}
    key |= {"deliverable_id": e.deliverable_id, "session_id": session_id}
    what = {"opd_code": e.opd_code, "title": e.title, "due_date": e.due_date.isoformat()}
    state = {"status": "owed", "reference": None, "submitted_at": None, "late": 0, "note": None}
    insert(tx, DELIVERABLES, key | what | state)


def _set(tx: ViewTx, recorded: Recorded, changes: dict[str, object]) -> None:
    key = {"session_id": _session_id(recorded), "deliverable_id": recorded.event.deliverable_id}
    update(tx, DELIVERABLES, key, **changes)


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


class BimtekView(View, name="bimtek", version=1, tables=(STAGES, ATTENDANCE, DELIVERABLES)):
    """Stages, attendance per OPD and stage, and deliverables with their status."""

    handlers = by_topic(
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
