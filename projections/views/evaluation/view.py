"""The plan's record as the evaluation reads it: milestones by due date, with their sources.

Outcome and Quick Win are computed from these rows (``projections.views.evaluation.queries``), so
they move when a milestone is approved with no manual step. Each row keeps the log
positions of the events that shaped it (created, due date moved, weight changed, the
report approved and its approval), and every figure lists them.
"""

from __future__ import annotations

from projections.engine.aggregates import MasterPlan, Milestone, Program
from projections.engine.rows import insert, update
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx


def _append(tx: ViewTx, table: Table, key: str, row_id: str, *positions: int) -> None:
    """Add positions to a row's sources (a space-separated list)."""
    added = " ".join(str(p) for p in positions)
    tx.execute(
        f"UPDATE {tx.table(table)} SET sources = TRIM(sources || ' ' || ?) WHERE {key} = ?",
        (added, row_id),
    )


def _plan_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    plan = {"plan_id": str(e.originator_id), "city_code": str(e.city_code).upper()}
    insert(tx, PLANS, plan, unless="plan_id")


def _program_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    program = {"program_id": str(e.originator_id), "plan_id": str(e.plan_id), "code": e.code}
    about = {"aspect": e.aspect, "quick_win": int(e.quick_win), "weight": float(e.weight)}
    sources = {"sources": str(recorded.position)}
    insert(tx, PROGRAMS, program | about | sources, unless="program_id")


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"milestone_id": str(e.originator_id), "program_id": str(e.program_id)}
    what = {"code": e.code, "due_date": e.due_date.isoformat(), "weight": float(e.weight)}
    state = {"percent": 0, "approved_percent": 0, "report_position": None}
    row = key | what | state | {"sources": str(recorded.position)}
    insert(tx, MILESTONES, row, unless="milestone_id")


def _set(table: Table, key: str, column: str, attribute: str) -> Handler:
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
    return _set(MILESTONES, "milestone_id", column, attribute)


def _progress_reported(tx: ViewTx, recorded: Recorded) -> None:
    # A report counts only once approved; its position joins the sources then.
    tx.execute(
        f"UPDATE {tx.table(MILESTONES)} SET percent = ?, report_position = ? "
        "WHERE milestone_id = ?",
        (float(recorded.event.percent), recorded.position, str(recorded.event.originator_id)),
    )


def _milestone_approved(tx: ViewTx, recorded: Recorded) -> None:
    milestone_id = str(recorded.event.originator_id)
    table = tx.table(MILESTONES)
    rows = tx.query(f"SELECT report_position FROM {table} WHERE milestone_id = ?", (milestone_id,))
    tx.execute(
        f"UPDATE {table} SET approved_percent = percent WHERE milestone_id = ?", (milestone_id,)
    )
    report = [int(rows[0][0])] if rows and rows[0][0] is not None else []
    _append(tx, MILESTONES, "milestone_id", milestone_id, *report, recorded.position)


PLANS = Table("evaluation_plans", "plan_id text, city_code text", key="plan_id")
PROGRAMS = Table(
    "evaluation_programs",
    "program_id text, plan_id text, code text, aspect text, quick_win int, weight real, "
    "sources text",
    key="program_id",
    indexes=("plan_id",),
)
MILESTONES = Table(
    "evaluation_milestones",
    "milestone_id text, program_id text, code text, due_date text, weight real, percent real, "
    "approved_percent real, report_position int?, sources text",
    key="milestone_id",
    indexes=("program_id", "due_date"),
)


class EvaluationRecordView(
    View, name="evaluation_record", version=1, tables=(PLANS, PROGRAMS, MILESTONES)
):
    """Programs and milestones with due dates, approved percents and source positions."""

    handlers = by_topic(
        {
            MasterPlan.Created: _plan_created,
            Program.Created: _program_created,
            Program.WeightChanged: _set(PROGRAMS, "program_id", "weight", "weight"),
            Milestone.Created: _milestone_created,
            Milestone.DueDateChanged: _milestone_set("due_date", "due_date"),
            Milestone.WeightChanged: _milestone_set("weight", "weight"),
            Milestone.ProgressReported: _progress_reported,
            Milestone.Approved: _milestone_approved,
        }
    )
