"""The plan's record as the evaluation reads it: milestones by due date, with their sources.

Outcome and Quick Win are computed from these rows (``projections.views.evaluation.queries``), so
they move when a milestone is approved with no manual step. Each row keeps the log
positions of the events that shaped it (created, due date moved, weight changed, the
report approved and its approval), and every figure lists them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from projections.engine.aggregates import MasterPlan, Milestone, Program
from projections.engine.rows import insert, update
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx


def _append(tx: ViewTx, table: str, key: str, row_id: str, *positions: int) -> None:
    """Add positions to a row's sources (a space-separated list)."""
    added = " ".join(str(p) for p in positions)
    tx.execute(
        f"UPDATE {tx.table(table)} SET sources = TRIM(sources || ' ' || ?) WHERE {key} = ?",
        (added, row_id),
    )


def _plan_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    plan = {"plan_id": str(e.originator_id), "city_code": str(e.city_code).upper()}
    insert(tx, "evaluation_plans", plan, unless="plan_id")


def _program_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    program = {"program_id": str(e.originator_id), "plan_id": str(e.plan_id), "code": e.code}
    about = {"aspect": e.aspect, "quick_win": int(e.quick_win), "weight": float(e.weight)}
    sources = {"sources": str(recorded.position)}
    insert(tx, "evaluation_programs", program | about | sources, unless="program_id")


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"milestone_id": str(e.originator_id), "program_id": str(e.program_id)}
    what = {"code": e.code, "due_date": e.due_date.isoformat(), "weight": float(e.weight)}
    state = {"percent": 0, "approved_percent": 0, "report_position": None}
    row = key | what | state | {"sources": str(recorded.position)}
    insert(tx, "evaluation_milestones", row, unless="milestone_id")


def _set(table: str, key: str, column: str, attribute: str) -> Handler:
    """A handler that sets ``column`` from the event's ``attribute`` (a date or a number)
    and adds the event's position to the row's sources."""

    def set_column(tx: ViewTx, recorded: Recorded) -> None:
        value = getattr(recorded.event, attribute)
        row_id = str(recorded.event.originator_id)
        value = value.isoformat() if hasattr(value, "isoformat") else float(value)
        update(tx, table, {key: row_id}, **{column: value})
        _append(tx, table, key, row_id, recorded.position)

    return set_column


def _milestone_set(column: str, attribute: str) -> Handler:
    return _set("evaluation_milestones", "milestone_id", column, attribute)


def _progress_reported(tx: ViewTx, recorded: Recorded) -> None:
    # A report counts only once approved; its position joins the sources then.
    tx.execute(
        f"UPDATE {tx.table('evaluation_milestones')} SET percent = ?, report_position = ? "
        "WHERE milestone_id = ?",
        (float(recorded.event.percent), recorded.position, str(recorded.event.originator_id)),
    )


def _milestone_approved(tx: ViewTx, recorded: Recorded) -> None:
    milestone_id = str(recorded.event.originator_id)
    table = tx.table("evaluation_milestones")
    rows = tx.query(f"SELECT report_position FROM {table} WHERE milestone_id = ?", (milestone_id,))
    tx.execute(
        f"UPDATE {table} SET approved_percent = percent WHERE milestone_id = ?", (milestone_id,)
    )
    report = [int(rows[0][0])] if rows and rows[0][0] is not None else []
    _append(tx, "evaluation_milestones", "milestone_id", milestone_id, *report, recorded.position)


class EvaluationRecordView(View):
    """Programs and milestones with due dates, approved percents and source positions."""

    name: ClassVar[str] = "evaluation_record"
    version: ClassVar[int] = 1
    tables: ClassVar[dict[str, str]] = {
        "evaluation_plans": "plan_id {text} PRIMARY KEY, city_code {text} NOT NULL",
        "evaluation_programs": (
            "program_id {text} PRIMARY KEY, plan_id {text} NOT NULL, code {text} NOT NULL, "
            "aspect {text} NOT NULL, quick_win {int} NOT NULL, weight {real} NOT NULL, "
            "sources {text} NOT NULL"
        ),
        "evaluation_milestones": (
            "milestone_id {text} PRIMARY KEY, program_id {text} NOT NULL, code {text} NOT NULL, "
            "due_date {text} NOT NULL, weight {real} NOT NULL, percent {real} NOT NULL, "
            "approved_percent {real} NOT NULL, report_position {int}, sources {text} NOT NULL"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "evaluation_programs": ["plan_id"],
        "evaluation_milestones": ["program_id", "due_date"],
    }
    handlers: ClassVar[Mapping[str, Handler]] = by_topic(
        {
            MasterPlan.Created: _plan_created,
            Program.Created: _program_created,
            Program.WeightChanged: _set("evaluation_programs", "program_id", "weight", "weight"),
            Milestone.Created: _milestone_created,
            Milestone.DueDateChanged: _milestone_set("due_date", "due_date"),
            Milestone.WeightChanged: _milestone_set("weight", "weight"),
            Milestone.ProgressReported: _progress_reported,
            Milestone.Approved: _milestone_approved,
        }
    )
