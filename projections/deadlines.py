"""The inspectorate's deadline board: what is owed by when, by whom, and what was escalated.

Rows come from milestones (open until approved or done), bimtek deliverables (open while
owed or returned), OPD decisions on approval steps (``deadlines_approvals``) and deadline
tracks, whose overdue notes and escalations land on their subject's row (a commitment's
row comes from its track alone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from domain.bimtek.values import DeliverableStatus
from domain.plan import MilestoneStatus
from projections.deadlines_approvals import APPROVAL_HANDLERS
from projections.deadlines_days import DAYS
from projections.deadlines_rows import (
    BOARD,
    OPEN,
    REQUESTS,
    TRACKS,
    Handler,
    Sql,
    close,
    escalation,
    insert,
    iso,
    update,
)
from projections.view import Recorded, View, ViewTx


def _milestone_key(event: Any) -> list[Any]:
    return [f"milestone:{event.originator_id}"]


def _milestone_created(tx: ViewTx, event: Any) -> None:
    insert(
        tx,
        f"milestone:{event.originator_id}",
        replace=True,
        kind="milestone",
        subject_id=str(event.originator_id),
        title=event.title,
        owner_opd=event.owner_opd,
        due_date=event.due_date.isoformat(),
        subject_status=MilestoneStatus.PLANNED,
        opened_at=iso(event.effective_at),
    )


def _milestone_status(status: str) -> Handler:
    def update_status(tx: ViewTx, event: Any) -> None:
        values: dict[str, Any] = {"subject_status": status}
        if status == MilestoneStatus.IN_PROGRESS:  # a report after approval reopens the work
            values.update(state=OPEN, closed_at=None)
        update(tx, "key = ?", _milestone_key(event), **values)

    return update_status


def _milestone_finished(status: str) -> Handler:
    def finished(tx: ViewTx, event: Any) -> None:
        update(tx, "key = ?", _milestone_key(event), **close(event.effective_at, status))

    return finished


def _milestone_due_date(tx: ViewTx, event: Any) -> None:
    update(tx, "key = ?", _milestone_key(event), due_date=event.due_date.isoformat())


def _deliverable_key(event: Any) -> list[Any]:
    return [f"deliverable:{event.originator_id}/{event.deliverable_id}"]


def _deliverable_assigned(tx: ViewTx, event: Any) -> None:
    insert(
        tx,
        _deliverable_key(event)[0],
        replace=True,
        kind="deliverable",
        subject_id=f"{event.originator_id}/{event.deliverable_id}",
        title=event.title,
        owner_opd=event.opd_code,
        due_date=event.due_date.isoformat(),
        subject_status=DeliverableStatus.OWED,
        opened_at=iso(event.effective_at),
    )


def _deliverable_submitted(tx: ViewTx, event: Any) -> None:
    update(tx, "key = ?", _deliverable_key(event), **close(event.submitted_at, "submitted"))


def _deliverable_reopened(tx: ViewTx, event: Any) -> None:
    update(
        tx,
        "key = ?",
        _deliverable_key(event),
        state=OPEN,
        closed_at=None,
        subject_status=DeliverableStatus.RETURNED,
    )


def _deliverable_accepted(tx: ViewTx, event: Any) -> None:
    update(tx, "key = ?", _deliverable_key(event), subject_status=DeliverableStatus.ACCEPTED)


def _deliverable_due_date(tx: ViewTx, event: Any) -> None:
    update(tx, "key = ?", _deliverable_key(event), due_date=event.due_date.isoformat())


def _tracked(tx: ViewTx, event: Any) -> None:
    key = f"{event.kind}:{event.subject_id}"
    tx.execute(
        f"INSERT INTO {tx.table('deadline_tracks')} (track_id, key) VALUES (?, ?) "
        "ON CONFLICT (track_id) DO NOTHING",
        (str(event.originator_id), key),
    )
    insert(
        tx,
        key,
        kind=event.kind,
        subject_id=event.subject_id,
        title=event.title,
        owner_opd=event.owner_opd,
        due_date=event.due_date.isoformat(),
        subject_status="tracked",
        opened_at=iso(event.effective_at),
    )


def _on_track(values: Callable[[Any], dict[str, Any]], *, only_open: bool = False) -> Handler:
    """A track event that sets ``values(event)`` on its subject's row (if still open)."""

    def apply(tx: ViewTx, event: Any) -> None:
        found = tx.query(
            f"SELECT key FROM {tx.table('deadline_tracks')} WHERE track_id = ?",
            (str(event.originator_id),),
        )
        if found:
            where, params = (
                ("key = ? AND state = ?", [found[0][0], OPEN])
                if only_open
                else ("key = ?", [found[0][0]])
            )
            update(tx, where, params, **values(event))

    return apply


_MILESTONE, _STAGE = "jejak.plan:Milestone", "jejak.bimtek:BimtekSession"
_TRACK = "jejak.deadlines:DeadlineTrack"
HANDLERS: dict[str, Handler] = {
    f"{_MILESTONE}.Created": _milestone_created,
    f"{_MILESTONE}.ProgressReported": _milestone_status(MilestoneStatus.IN_PROGRESS),
    f"{_MILESTONE}.Submitted": _milestone_status(MilestoneStatus.SUBMITTED),
    f"{_MILESTONE}.Returned": _milestone_status(MilestoneStatus.RETURNED),
    f"{_MILESTONE}.Approved": _milestone_finished(MilestoneStatus.APPROVED),
    f"{_MILESTONE}.Completed": _milestone_finished(MilestoneStatus.DONE),
    f"{_MILESTONE}.DueDateChanged": _milestone_due_date,
    f"{_STAGE}.DeliverableAssigned": _deliverable_assigned,
    f"{_STAGE}.DeliverableSubmitted": _deliverable_submitted,
    f"{_STAGE}.DeliverableReturned": _deliverable_reopened,
    f"{_STAGE}.DeliverableAccepted": _deliverable_accepted,
    f"{_STAGE}.DueDateChanged": _deliverable_due_date,
    f"{_TRACK}.Tracked": _tracked,
    f"{_TRACK}.ReminderSent": _on_track(lambda e: {"reminders": Sql("reminders + 1")}),
    f"{_TRACK}.OverdueRecorded": _on_track(
        lambda e: {
            "overdue_recorded_at": Sql("COALESCE(overdue_recorded_at, ?)", iso(e.effective_at))
        }
    ),
    f"{_TRACK}.Escalated": _on_track(
        lambda e: escalation(int(e.level), e.escalated_to, e.effective_at)
    ),
    f"{_TRACK}.DueDateMoved": _on_track(
        lambda e: {"due_date": e.new_due_date.isoformat(), "overdue_recorded_at": None}
    ),
    f"{_TRACK}.Closed": _on_track(
        lambda e: close(e.effective_at, f"closed: {e.reason}"), only_open=True
    ),
    **APPROVAL_HANDLERS,
}


class DeadlineBoardView(View):
    """Deadlines of milestones, deliverables, approval steps and tracked commitments."""

    name: ClassVar[str] = "deadline_board"
    version: ClassVar[int] = 3
    tables: ClassVar[dict[str, str]] = {
        "deadline_board": BOARD,
        "deadline_requests": REQUESTS,
        "deadline_tracks": TRACKS,
        # Working days from today to each open due day, kept by the projector's day refresher.
        "deadline_days": DAYS,
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        # Pages of the board are read in (due date, key) order, for all OPDs or some.
        "deadline_board": [
            "state, due_date, key",
            "owner_opd, state, due_date, key",
            "escalation_level, escalated_at",
            "group_key",
            "request_id",
        ],
    }

    def handles(self, topic: str) -> bool:
        """Only the topics it has a handler for."""
        return topic in HANDLERS

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Apply an event that sets, meets, moves or escalates a deadline; ignore the rest."""
        handler = HANDLERS.get(recorded.topic)
        if handler is not None:
            handler(tx, recorded.event)
