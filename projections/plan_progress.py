"""Plan progress: one row per program and milestone; roll-ups by aspect and OPD in the queries.

The rows hold what the plan context's events say (weight, percent, status); the queries
weigh them with ``SUM(weight * percent) / SUM(weight)``, the rule of
``domain.plan.rules.weighted_progress``: milestones make a program's progress, programs
(by program weight) make an aspect's or an owner OPD's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from domain.plan import MilestoneStatus
from projections.view import Recorded, View, ViewTx

Handler = Callable[[ViewTx, Any], None]

#: The milestone statuses the roll-ups count, in the order of the work.
STATUSES = (
    MilestoneStatus.PLANNED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.SUBMITTED,
    MilestoneStatus.RETURNED,
    MilestoneStatus.APPROVED,
    MilestoneStatus.DONE,
)


def _plan_created(tx: ViewTx, event: Any) -> None:
    # A new plan is a draft: the public sees it only once the plan is approved.
    tx.execute(
        f"INSERT INTO {tx.table('plan_plans')} (plan_id, published) VALUES (?, 0) "
        "ON CONFLICT (plan_id) DO NOTHING",
        (str(event.originator_id),),
    )
    for ordinal, aspect in enumerate(event.aspects):
        _add_aspect(tx, str(event.originator_id), ordinal, aspect, None, approved=True)


def _add_aspect(
    tx: ViewTx,
    plan_id: str,
    ordinal: int,
    aspect: dict[str, str],
    revision: str | None,
    *,
    approved: bool,
) -> None:
    tx.execute(
        f"INSERT INTO {tx.table('plan_aspects')} (plan_id, aspect_id, ordinal, label_en, "
        "label_id, revision_id, approved) VALUES (?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (plan_id, aspect_id) DO NOTHING",
        (
            plan_id,
            aspect["id"],
            ordinal,
            aspect["label_en"],
            aspect["label_id"],
            revision,
            int(approved),
        ),
    )


def _plan_approved(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"UPDATE {tx.table('plan_plans')} SET published = 1 WHERE plan_id = ?",
        (str(event.originator_id),),
    )


def _revision_proposed(tx: ViewTx, event: Any) -> None:
    # An aspect a revision adds counts only once the revision is approved.
    plan_id = str(event.originator_id)
    (count,) = tx.query(
        f"SELECT COUNT(*) FROM {tx.table('plan_aspects')} WHERE plan_id = ?", (plan_id,)
    )[0]
    for change in event.changes:
        if change.get("kind") == "add-aspect":
            _add_aspect(tx, plan_id, int(count), change, event.revision_id, approved=False)
            count += 1


def _revision_decided(approved: bool) -> Handler:
    def decided(tx: ViewTx, event: Any) -> None:
        table, key = tx.table("plan_aspects"), (str(event.originator_id), event.revision_id)
        if approved:
            tx.execute(
                f"UPDATE {table} SET approved = 1 WHERE plan_id = ? AND revision_id = ?", key
            )
        else:
            tx.execute(
                f"DELETE FROM {table} WHERE plan_id = ? AND revision_id = ? AND approved = 0", key
            )

    return decided


def _program_created(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"INSERT INTO {tx.table('plan_programs')} (program_id, plan_id, code, name, aspect, "
        "owner_opd, quick_win, weight) VALUES (?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (program_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.plan_id),
            event.code,
            event.name,
            event.aspect,
            event.owner_opd,
            int(event.quick_win),
            float(event.weight),
        ),
    )


def _set(table: str, column: str, attribute: str, key: str = "program_id") -> Handler:
    def update(tx: ViewTx, event: Any) -> None:
        tx.execute(
            f"UPDATE {tx.table(table)} SET {column} = ? WHERE {key} = ?",
            (getattr(event, attribute), str(event.originator_id)),
        )

    return update


def _milestone_created(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"INSERT INTO {tx.table('plan_milestones')} (milestone_id, program_id, code, owner_opd, "
        "weight, percent, approved_percent, status) VALUES (?, ?, ?, ?, ?, 0, 0, ?) "
        "ON CONFLICT (milestone_id) DO NOTHING",
        (
            str(event.originator_id),
            str(event.program_id),
            event.code,
            event.owner_opd,
            float(event.weight),
            MilestoneStatus.PLANNED,
        ),
    )


def _milestone_status(status: str) -> Handler:
    def update(tx: ViewTx, event: Any) -> None:
        tx.execute(
            f"UPDATE {tx.table('plan_milestones')} SET status = ? WHERE milestone_id = ?",
            (status, str(event.originator_id)),
        )

    return update


def _progress_reported(tx: ViewTx, event: Any) -> None:
    tx.execute(
        f"UPDATE {tx.table('plan_milestones')} SET percent = ?, status = ? WHERE milestone_id = ?",
        (float(event.percent), MilestoneStatus.IN_PROGRESS, str(event.originator_id)),
    )


def _milestone_approved(tx: ViewTx, event: Any) -> None:
    # Nothing is reported while a milestone is submitted, so the percent is the one approved.
    tx.execute(
        f"UPDATE {tx.table('plan_milestones')} SET status = ?, approved_percent = percent "
        "WHERE milestone_id = ?",
        (MilestoneStatus.APPROVED, str(event.originator_id)),
    )


_PLAN, _PROGRAM, _MILESTONE = "jejak.plan:MasterPlan", "jejak.plan:Program", "jejak.plan:Milestone"
HANDLERS: dict[str, Handler] = {
    f"{_PLAN}.Created": _plan_created,
    f"{_PLAN}.Approved": _plan_approved,
    f"{_PLAN}.RevisionProposed": _revision_proposed,
    f"{_PLAN}.RevisionApproved": _revision_decided(approved=True),
    f"{_PLAN}.RevisionRejected": _revision_decided(approved=False),
    f"{_PROGRAM}.Created": _program_created,
    f"{_PROGRAM}.OwnerChanged": _set("plan_programs", "owner_opd", "owner_opd"),
    f"{_PROGRAM}.WeightChanged": _set("plan_programs", "weight", "weight"),
    f"{_MILESTONE}.Created": _milestone_created,
    f"{_MILESTONE}.ProgressReported": _progress_reported,
    f"{_MILESTONE}.Submitted": _milestone_status(MilestoneStatus.SUBMITTED),
    f"{_MILESTONE}.Approved": _milestone_approved,
    f"{_MILESTONE}.Returned": _milestone_status(MilestoneStatus.RETURNED),
    f"{_MILESTONE}.Completed": _milestone_status(MilestoneStatus.DONE),
    f"{_MILESTONE}.WeightChanged": _set("plan_milestones", "weight", "weight", "milestone_id"),
}


class PlanProgressView(View):
    """Aspects, programs and milestones of every master plan, with weights and progress."""

    name: ClassVar[str] = "plan_progress"
    version: ClassVar[int] = 2
    tables: ClassVar[dict[str, str]] = {
        "plan_plans": "plan_id {text} PRIMARY KEY, published {int} NOT NULL",
        "plan_aspects": (
            "plan_id {text} NOT NULL, aspect_id {text} NOT NULL, ordinal {int} NOT NULL, "
            "label_en {text} NOT NULL, label_id {text} NOT NULL, revision_id {text}, "
            "approved {int} NOT NULL, PRIMARY KEY (plan_id, aspect_id)"
        ),
        "plan_programs": (
            "program_id {text} PRIMARY KEY, plan_id {text} NOT NULL, code {text} NOT NULL, "
            "name {text} NOT NULL, aspect {text} NOT NULL, owner_opd {text} NOT NULL, "
            "quick_win {int} NOT NULL, weight {real} NOT NULL"
        ),
        "plan_milestones": (
            "milestone_id {text} PRIMARY KEY, program_id {text} NOT NULL, code {text} NOT NULL, "
            "owner_opd {text} NOT NULL, weight {real} NOT NULL, percent {real} NOT NULL, "
            "approved_percent {real} NOT NULL, status {text} NOT NULL"
        ),
    }
    indexes: ClassVar[dict[str, list[str]]] = {
        "plan_programs": ["plan_id, aspect", "owner_opd"],
        "plan_milestones": ["program_id"],
    }

    def handles(self, topic: str) -> bool:
        """Only the topics it has a handler for."""
        return topic in HANDLERS

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Apply a plan event; every other event is ignored."""
        handler = HANDLERS.get(recorded.topic)
        if handler is not None:
            handler(tx, recorded.event)
