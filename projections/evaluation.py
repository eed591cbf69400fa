"""The plan's record as the evaluation reads it: milestones by due date, with their sources.

Outcome and Quick Win are computed from these rows (``projections.evaluation_queries``), so
they move when a milestone is approved with no manual step. Each row keeps the log
positions of the events that shaped it (created, due date moved, weight changed, the
report approved and its approval), and every figure lists them.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from projections.view import Recorded, View, ViewTx

Handler = Callable[[ViewTx, Recorded], None]


def _append(tx: ViewTx, table: str, key: str, row_id: str, *positions: int) -> None:
    """Add positions to a row's sources (a space-separated list)."""
    added = " ".join(str(p) for p in positions)
    tx.execute(
        f"UPDATE {tx.table(table)} SET sources = TRIM(sources || ' ' || ?) WHERE {key} = ?",
        (added, row_id),
    )


def _plan_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    tx.execute(
        f"INSERT INTO {tx.table('evaluation_plans')} (plan_id, city_code) VALUES (?, ?) "
        "ON CONFLICT (plan_id) DO NOTHING",
        (str(event.originator_id), str(event.city_code).upper()),
    )


def _program_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    tx.execute(
        f"INSERT INTO {tx.table('evaluation_programs')} (program_id, plan_id, code, aspect, "
        "quick_win, weight, sources) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (program_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.plan_id),
            event.code,
            event.aspect,
            int(event.quick_win),
            float(event.weight),
            str(recorded.position),
        ),
    )


def _program_weight(tx: ViewTx, recorded: Recorded) -> None:
    program_id = str(recorded.event.originator_id)
    tx.execute(
        f"UPDATE {tx.table('evaluation_programs')} SET weight = ? WHERE program_id = ?",
        (float(recorded.event.weight), program_id),
    )
    _append(tx, "evaluation_programs", "program_id", program_id, recorded.position)


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    tx.execute(
        f"INSERT INTO {tx.table('evaluation_milestones')} (milestone_id, program_id, code, "
        "due_date, weight, percent, approved_percent, report_position, sources) "
        "VALUES (?, ?, ?, ?, ?, 0, 0, NULL, ?) ON CONFLICT (milestone_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.program_id),
            event.code,
            event.due_date.isoformat(),
            float(event.weight),
            str(recorded.position),
        ),
    )


def _milestone_set(column: str, attribute: str) -> Handler:
    def update(tx: ViewTx, recorded: Recorded) -> None:
        value = getattr(recorded.event, attribute)
        milestone_id = str(recorded.event.originator_id)
        tx.execute(
            f"UPDATE {tx.table('evaluation_milestones')} SET {column} = ? WHERE milestone_id = ?",
            (value.isoformat() if hasattr(value, "isoformat") else float(value), milestone_id),
        )
        _append(tx, "evaluation_milestones", "milestone_id", milestone_id, recorded.position)

    return update


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


_PLAN, _PROGRAM, _MILESTONE = "jejak.plan:MasterPlan", "jejak.plan:Program", "jejak.plan:Milestone"
HANDLERS: dict[str, Handler] = {
    f"{_PLAN}.Created": _plan_created,
    f"{_PROGRAM}.Created": _program_created,
    f"{_PROGRAM}.WeightChanged": _program_weight,
    f"{_MILESTONE}.Created": _milestone_created,
    f"{_MILESTONE}.DueDateChanged": _milestone_set("due_date", "due_date"),
    f"{_MILESTONE}.WeightChanged": _milestone_set("weight", "weight"),
    f"{_MILESTONE}.ProgressReported": _progress_reported,
    f"{_MILESTONE}.Approved": _milestone_approved,
}


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

    def handles(self, topic: str) -> bool:
        """Only the topics it has a handler for."""
        return topic in HANDLERS

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Apply a plan event; every other event is ignored."""
        handler = HANDLERS.get(recorded.topic)
        if handler is not None:
            handler(tx, recorded)
