"""The inspectorate's deadline board: what is owed by when, by whom, and what was escalated.

Rows come from milestones (open until approved or done), bimtek deliverables (open while
owed or returned), OPD decisions on approval steps (``deadlines_approvals``) and deadline
tracks, whose overdue notes and escalations land on their subject's row (a commitment's
row comes from its track alone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from domain.bimtek.values import DeliverableStatus
from domain.plan import MilestoneStatus
from domain.values import PartRef
from projections.engine.aggregates import BimtekSession, DeadlineTrack, Milestone
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx
from projections.views.deadlines.approvals import APPROVAL_HANDLERS
from projections.views.deadlines.rows import (
    BOARD,
    DAYS,
    OPEN,
    REQUESTS,
    TRACKS,
    Sql,
    close,
    escalation,
    insert,
    iso,
    update,
)


def _milestone_key(event: Any) -> list[Any]:
    return [f"milestone:{event.originator_id}"]


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
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
    def update_status(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        values: dict[str, Any] = {"subject_status": status}
        if status == MilestoneStatus.IN_PROGRESS:  # a report after approval reopens the work
            values.update(state=OPEN, closed_at=None)
        update(tx, "key = ?", _milestone_key(event), **values)

    return update_status


def _milestone_finished(status: str) -> Handler:
    def finished(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        update(tx, "key = ?", _milestone_key(event), **close(event.effective_at, status))

    return finished


def _milestone_due_date(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(tx, "key = ?", _milestone_key(event), due_date=event.due_date.isoformat())


def _deliverable(event: Any) -> PartRef:
    """The deliverable as the part of its stage, the id its deadline track names too."""
    return PartRef(event.originator_id, event.deliverable_id)


def _deliverable_key(event: Any) -> list[Any]:
    return [f"deliverable:{_deliverable(event)}"]


def _deliverable_assigned(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    insert(
        tx,
        _deliverable_key(event)[0],
        replace=True,
        kind="deliverable",
        subject_id=str(_deliverable(event)),
        title=event.title,
        owner_opd=event.opd_code,
        due_date=event.due_date.isoformat(),
        subject_status=DeliverableStatus.OWED,
        opened_at=iso(event.effective_at),
    )


def _deliverable_submitted(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(tx, "key = ?", _deliverable_key(event), **close(event.submitted_at, "submitted"))


def _deliverable_reopened(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(
        tx,
        "key = ?",
        _deliverable_key(event),
        state=OPEN,
        closed_at=None,
        subject_status=DeliverableStatus.RETURNED,
    )


def _deliverable_accepted(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(tx, "key = ?", _deliverable_key(event), subject_status=DeliverableStatus.ACCEPTED)


def _deliverable_due_date(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    update(tx, "key = ?", _deliverable_key(event), due_date=event.due_date.isoformat())


def _tracked(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    key = f"{event.kind}:{event.subject_id}"
    tx.execute(
        f"INSERT INTO {tx.table(TRACKS)} (track_id, key) VALUES (?, ?) "
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

    def apply(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        found = tx.query(
            f"SELECT key FROM {tx.table(TRACKS)} WHERE track_id = ?",
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


HANDLERS: dict[type, Handler] = {
    Milestone.Created: _milestone_created,
    Milestone.ProgressReported: _milestone_status(MilestoneStatus.IN_PROGRESS),
    Milestone.Submitted: _milestone_status(MilestoneStatus.SUBMITTED),
    Milestone.Returned: _milestone_status(MilestoneStatus.RETURNED),
    Milestone.Approved: _milestone_finished(MilestoneStatus.APPROVED),
    Milestone.Completed: _milestone_finished(MilestoneStatus.DONE),
    Milestone.DueDateChanged: _milestone_due_date,
    BimtekSession.DeliverableAssigned: _deliverable_assigned,
    BimtekSession.DeliverableSubmitted: _deliverable_submitted,
    BimtekSession.DeliverableReturned: _deliverable_reopened,
    BimtekSession.DeliverableAccepted: _deliverable_accepted,
    BimtekSession.DueDateChanged: _deliverable_due_date,
    DeadlineTrack.Tracked: _tracked,
    DeadlineTrack.ReminderSent: _on_track(lambda e: {"reminders": Sql("reminders + 1")}),
    DeadlineTrack.OverdueRecorded: _on_track(
        lambda e: {
            "overdue_recorded_at": Sql("COALESCE(overdue_recorded_at, ?)", iso(e.effective_at))
        }
    ),
    DeadlineTrack.Escalated: _on_track(
        lambda e: escalation(int(e.level), e.escalated_to, e.effective_at)
    ),
    DeadlineTrack.DueDateMoved: _on_track(
        lambda e: {"due_date": e.new_due_date.isoformat(), "overdue_recorded_at": None}
    ),
    DeadlineTrack.Closed: _on_track(
        lambda e: close(e.effective_at, f"closed: {e.reason}"), only_open=True
    ),
    **APPROVAL_HANDLERS,
}


class DeadlineBoardView(
    View, name="deadline_board", version=3, tables=(BOARD, REQUESTS, TRACKS, DAYS)
):
    """Deadlines of milestones, deliverables, approval steps and tracked commitments."""

    handlers = by_topic(HANDLERS)
