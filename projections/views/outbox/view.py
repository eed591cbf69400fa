"""The notifications outbox: one row per reminder, overdue note and escalation, for a sender.

A row is written in the same transaction as the view's position, and its key is the event's
log position, so each notification is in the outbox exactly once however often the log is
replayed. The view is never changed by the sender: a webhook sender keeps its own position
and reads the rows after it (``after``), so a rebuild of the view sends nothing twice.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from domain.deadlines.values import ESCALATED_TO
from projections.engine.aggregates import ApprovalRequest, DeadlineTrack
from projections.engine.rows import insert
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import ViewStore

MESSAGES = Table(
    "outbox",
    "position int, kind text, subject_kind text, subject_id text, title text, recipients text, "
    "label text, level int, due text, effective_at text, aggregate_id text, step int, "
    "owners text",
    key="position",
)
SUBJECTS = Table(
    "outbox_subjects",
    "aggregate_id text, subject_kind text, subject_id text, title text, owner_opd text, steps text",
    key="aggregate_id",
)


@dataclass(frozen=True)
class OutboxMessage:
    """One notification to send: what happened, about what, to whom."""

    position: int
    kind: str
    subject_kind: str
    subject_id: str
    title: str
    recipients: str
    label: str
    level: int
    due: str
    effective_at: str
    #: The deadline track or approval request the alert is about (a link to the step).
    aggregate_id: str = ""
    #: The approval step the alert is about; -1 for a deadline track.
    step: int = -1
    #: The OPDs whose work it is (for an escalation, the late ones), comma-separated.
    owners: str = ""


def _iso(value: Any) -> str:
    return value.isoformat() if isinstance(value, datetime) else str(value or "")


def _subject(
    tx: ViewTx, event: Any, subject_kind: str, subject_id: str, steps: list[list[str]]
) -> None:
    row = {"aggregate_id": str(event.originator_id), "subject_kind": subject_kind}
    row |= {"subject_id": subject_id, "title": event.title}
    row |= {"owner_opd": str(getattr(event, "owner_opd", "")), "steps": json.dumps(steps)}
    insert(tx, SUBJECTS, row, unless="aggregate_id")


def _message(
    tx: ViewTx,
    recorded: Recorded,
    kind: str,
    step: int | None = None,
    label: str = "",
    level: int = 0,
    due: Any = "",
) -> None:
    event = recorded.event
    rows = tx.query(
        f"SELECT subject_kind, subject_id, title, owner_opd, steps "
        f"FROM {tx.table(SUBJECTS)} WHERE aggregate_id = ?",
        (str(event.originator_id),),
    )
    subject_kind, subject_id, title, owner, steps = rows[0] if rows else ("", "", "", "", "[]")
    routed = json.loads(steps)
    opds = routed[step] if step is not None and step < len(routed) else [owner]
    # An escalation goes to its level's office; the rest to the OPDs whose work it is.
    to = ESCALATED_TO.get(level, "") or ",".join(opds)
    values: tuple[Any, ...] = (
        recorded.position,
        kind,
        subject_kind,
        subject_id,
        title,
        to,
        label,
        level,
    )
    values += (_iso(due), _iso(getattr(event, "effective_at", None)), str(event.originator_id))
    values += (-1 if step is None else step, ",".join(opds))
    insert(tx, MESSAGES, dict(zip(MESSAGES.names, values, strict=True)))


def _tracked(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    _subject(tx, event, event.kind, event.subject_id, [])


def _requested(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    steps = [list(step["opd_codes"]) for step in event.route]
    _subject(tx, event, event.subject_kind, event.subject_id, steps)


def _track_reminder(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    _message(tx, recorded, "reminder", label=event.label, due=event.due_date)


def _track_escalated(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    _message(tx, recorded, "escalation", level=event.level, due=event.due_date)


def _step_reminder(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    _message(tx, recorded, "reminder", step=event.step_index, label=event.label)


def _step_escalated(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    step = int(getattr(event, "step_index", 0))
    _message(tx, recorded, "escalation", step=step, level=event.level)


#: Version 2 added the aggregate, the approval step and the owners of each message.
class OutboxView(View, name="outbox", version=2, tables=(MESSAGES, SUBJECTS)):
    """Turns reminders, overdue notes and escalations of deadlines and approvals into messages."""

    handlers = by_topic(
        {
            DeadlineTrack.Tracked: _tracked,
            ApprovalRequest.Requested: _requested,
            DeadlineTrack.ReminderSent: _track_reminder,
            DeadlineTrack.OverdueRecorded: lambda tx, r: _message(
                tx, r, "overdue", due=r.event.due_date
            ),
            DeadlineTrack.Escalated: _track_escalated,
            ApprovalRequest.ReminderSent: _step_reminder,
            ApprovalRequest.StepEscalated: _step_escalated,
        }
    )


def after(viewstore: ViewStore, position: int = 0, limit: int = 100) -> list[OutboxMessage]:
    """The messages after a sender's position, oldest first."""
    table = viewstore.table(OutboxView.name, "outbox")
    rows = viewstore.query(
        f"SELECT {MESSAGES.column_list} FROM {table} WHERE position > ? ORDER BY position LIMIT ?",
        (position, limit),
    )
    return [OutboxMessage(*row) for row in rows]
