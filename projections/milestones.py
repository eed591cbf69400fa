"""Milestones: status, due date, owner OPD, program, aspect and the last progress report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from domain.plan import MilestoneStatus
from projections.view import Recorded, View, ViewTx

Handler = Callable[[ViewTx, Any], None]


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if isinstance(moment, datetime) else None


def _program_created(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"INSERT INTO {tx.table('milestone_programs')} (program_id, plan_id, code, name, aspect, "
        "quick_win) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (program_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.plan_id),
            event.code,
            event.name,
            event.aspect,
            int(event.quick_win),
        ),
    )


def _milestone_created(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"INSERT INTO {tx.table('milestones')} (milestone_id, program_id, code, title, owner_opd, "
        "weight, due_date, status, percent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?) "
        "ON CONFLICT (milestone_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.program_id),
            event.code,
            event.title,
            event.owner_opd,
            float(event.weight),
            event.due_date.isoformat(),
            MilestoneStatus.PLANNED,
            _iso(event.effective_at),
        ),
    )


def _update(tx: ViewTx, event: Any, **values: Any) -> None:
    assignments = ", ".join(f"{column} = ?" for column in values)
    tx.execute(
        f"UPDATE {tx.table('milestones')} SET {assignments} WHERE milestone_id = ?",
        (*values.values(), str(event.originator_id)),
    )


def _progress_reported(tx: ViewTx, event: Any) -> None:
    _update(
        tx,
        event,
        status=MilestoneStatus.IN_PROGRESS,
        percent=float(event.percent),
        last_note=event.note,
        last_reported_at=_iso(event.effective_at),
        last_reported_by=event.actor,
    )


def _submitted(tx: ViewTx, event: Any) -> None:
    _update(tx, event, status=MilestoneStatus.SUBMITTED, submitted_at=_iso(event.effective_at))


def _approved(tx: ViewTx, event: Any) -> None:
    _update(tx, event, status=MilestoneStatus.APPROVED, approved_at=_iso(event.effective_at))


def _returned(tx: ViewTx, event: Any) -> None:
    _update(
        tx,
        event,
        status=MilestoneStatus.RETURNED,
        returned_at=_iso(event.effective_at),
        comment=event.comment,
    )


def _completed(tx: ViewTx, event: Any) -> None:
    _update(tx, event, status=MilestoneStatus.DONE, done_at=_iso(event.effective_at))


def _due_date_changed(tx: ViewTx, event: Any) -> None:
    _update(tx, event, due_date=event.due_date.isoformat())


def _weight_changed(tx: ViewTx, event: Any) -> None:
    _update(tx, event, weight=float(event.weight))


_MILESTONE = "jejak.plan:Milestone"
HANDLERS: dict[str, Handler] = {
    "jejak.plan:Program.Created": _program_created,
    f"{_MILESTONE}.Created": _milestone_created,
    f"{_MILESTONE}.ProgressReported": _progress_reported,
    f"{_MILESTONE}.Submitted": _submitted,
    f"{_MILESTONE}.Approved": _approved,
    f"{_MILESTONE}.Returned": _returned,
    f"{_MILESTONE}.Completed": _completed,
    f"{_MILESTONE}.DueDateChanged": _due_date_changed,
    f"{_MILESTONE}.WeightChanged": _weight_changed,
}


class MilestonesView(View):
    """One row per milestone with its program, aspect, dates and last progress report."""

    name: ClassVar[str] = "milestones"
    version: ClassVar[int] = 1
    tables: ClassVar[dict[str, str]] = {
        "milestone_programs": (
            "program_id {text} PRIMARY KEY, plan_id {text} NOT NULL, code {text} NOT NULL, "
            "name {text} NOT NULL, aspect {text} NOT NULL, quick_win {int} NOT NULL"
        ),
        "milestones": (
            "milestone_id {text} PRIMARY KEY, program_id {text} NOT NULL, code {text} NOT NULL, "
            "title {text} NOT NULL, owner_opd {text} NOT NULL, weight {real} NOT NULL, "
            "due_date {text} NOT NULL, status {text} NOT NULL, percent {real} NOT NULL, "
            "created_at {text}, last_note {text}, last_reported_at {text}, "
            "last_reported_by {text}, submitted_at {text}, approved_at {text}, "
            "returned_at {text}, done_at {text}, comment {text}"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "milestones": ["due_date, milestone_id", "owner_opd, due_date"],
    }

    def handles(self, topic: str) -> bool:
        """Only the topics it has a handler for."""
        return topic in HANDLERS

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Apply a program or milestone event; every other event is ignored."""
        handler = HANDLERS.get(recorded.topic)
        if handler is not None:
            handler(tx, recorded.event)
