"""Milestones: status, due date, owner OPD, program, aspect and the last progress report."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from domain.plan import MilestoneStatus
from projections.engine.aggregates import Milestone, Program
from projections.engine.rows import insert, update
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx


def _iso(moment: Any) -> str | None:
    return moment.isoformat() if isinstance(moment, datetime) else None


def _program_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    program = {"program_id": str(e.originator_id), "plan_id": str(e.plan_id), "code": e.code}
    about = {"name": e.name, "aspect": e.aspect, "quick_win": int(e.quick_win)}
    insert(tx, PROGRAMS, program | about, unless="program_id")


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"milestone_id": str(e.originator_id), "program_id": str(e.program_id)}
    what = {"code": e.code, "title": e.title, "owner_opd": e.owner_opd, "weight": float(e.weight)}
    state = {"due_date": e.due_date.isoformat(), "status": MilestoneStatus.PLANNED, "percent": 0}
    insert(tx, MILESTONES, key | what | state | {"created_at": _iso(e.effective_at)},
           unless="milestone_id")  # fmt: skip


def _update(tx: ViewTx, event: Any, **values: Any) -> None:
    update(tx, MILESTONES, {"milestone_id": str(event.originator_id)}, **values)


def _progress_reported(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    report = {"percent": float(e.percent), "last_note": e.note}
    report |= {"last_reported_at": _iso(e.effective_at), "last_reported_by": e.actor}
    _update(tx, e, status=MilestoneStatus.IN_PROGRESS, **report)


def _reached(status: str, column: str) -> Handler:
    """A handler that sets the milestone's ``status`` and when it reached it, in ``column``."""

    def reached(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        _update(tx, event, status=status, **{column: _iso(event.effective_at)})

    return reached


def _returned(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    _update(
        tx, e, status=MilestoneStatus.RETURNED, returned_at=_iso(e.effective_at), comment=e.comment
    )


def _due_date_changed(tx: ViewTx, recorded: Recorded) -> None:
    _update(tx, recorded.event, due_date=recorded.event.due_date.isoformat())


def _weight_changed(tx: ViewTx, recorded: Recorded) -> None:
    _update(tx, recorded.event, weight=float(recorded.event.weight))


PROGRAMS = Table(
    "milestone_programs",
    "program_id text, plan_id text, code text, name text, aspect text, quick_win int",
    key="program_id",
)
MILESTONES = Table(
    "milestones",
    "milestone_id text, program_id text, code text, title text, owner_opd text, weight real, "
    "due_date text, status text, percent real, created_at text?, last_note text?, "
    "last_reported_at text?, last_reported_by text?, submitted_at text?, approved_at text?, "
    "returned_at text?, done_at text?, comment text?",
    key="milestone_id",
    indexes=("due_date, milestone_id", "owner_opd, due_date"),
)


class MilestonesView(View, name="milestones", version=1, tables=(PROGRAMS, MILESTONES)):
    """One row per milestone with its program, aspect, dates and last progress report."""

    handlers = by_topic(
        {
            Program.Created: _program_created,
            Milestone.Created: _milestone_created,
            Milestone.ProgressReported: _progress_reported,
            Milestone.Submitted: _reached(MilestoneStatus.SUBMITTED, "submitted_at"),
            Milestone.Approved: _reached(MilestoneStatus.APPROVED, "approved_at"),
            Milestone.Returned: _returned,
            Milestone.Completed: _reached(MilestoneStatus.DONE, "done_at"),
            Milestone.DueDateChanged: _due_date_changed,
            Milestone.WeightChanged: _weight_changed,
        }
    )
