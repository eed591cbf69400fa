"""Plan progress: one row per program and milestone; roll-ups by aspect and OPD in the queries.

The rows hold what the plan context's events say (weight, percent, status); the queries
weigh them with ``SUM(weight * percent) / SUM(weight)``, the rule of
``domain.plan.rules.weighted_progress``: milestones make a program's progress, programs
(by program weight) make an aspect's or an owner OPD's.
"""

from __future__ import annotations

from domain.plan import MilestoneStatus
from projections.engine.aggregates import MasterPlan, Milestone, Program
from projections.engine.rows import insert, update
from projections.engine.schema import Table
from projections.engine.topics import by_topic
from projections.engine.view import Handler, Recorded, View, ViewTx

#: The milestone statuses the roll-ups count, in the order of the work.
STATUSES = (
    MilestoneStatus.PLANNED,
    MilestoneStatus.IN_PROGRESS,
    MilestoneStatus.SUBMITTED,
    MilestoneStatus.RETURNED,
    MilestoneStatus.APPROVED,
    MilestoneStatus.DONE,
)


def _plan_created(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    # A new plan is a draft: the public sees it only once the plan is approved.
    insert(
        tx, "plan_plans", {"plan_id": str(event.originator_id), "published": 0}, unless="plan_id"
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
    row = {"plan_id": plan_id, "aspect_id": aspect["id"], "ordinal": ordinal}
    row |= {"label_en": aspect["label_en"], "label_id": aspect["label_id"]}
    row |= {"revision_id": revision, "approved": int(approved)}
    insert(tx, ASPECTS, row, unless="plan_id, aspect_id")


def _plan_approved(tx: ViewTx, recorded: Recorded) -> None:
    update(tx, PLANS, {"plan_id": str(recorded.event.originator_id)}, published=1)


def _revision_proposed(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    # An aspect a revision adds counts only once the revision is approved.
    plan_id = str(event.originator_id)
    (count,) = tx.query(f"SELECT COUNT(*) FROM {tx.table(ASPECTS)} WHERE plan_id = ?", (plan_id,))[
        0
    ]
    for change in event.changes:
        if change.get("kind") == "add-aspect":
            _add_aspect(tx, plan_id, int(count), change, event.revision_id, approved=False)
            count += 1


def _revision_decided(approved: bool) -> Handler:
    def decided(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        table, key = tx.table(ASPECTS), (str(event.originator_id), event.revision_id)
        if approved:
            tx.execute(
                f"UPDATE {table} SET approved = 1 WHERE plan_id = ? AND revision_id = ?", key
            )
        else:
            tx.execute(
                f"DELETE FROM {table} WHERE plan_id = ? AND revision_id = ? AND approved = 0", key
            )

    return decided


def _program_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    program = {"program_id": str(e.originator_id), "plan_id": str(e.plan_id), "code": e.code}
    about = {"name": e.name, "aspect": e.aspect, "owner_opd": e.owner_opd}
    weights = {"quick_win": int(e.quick_win), "weight": float(e.weight)}
    insert(tx, PROGRAMS, program | about | weights, unless="program_id")


def _set(table: Table, column: str, attribute: str, key: str = "program_id") -> Handler:
    def set_column(tx: ViewTx, recorded: Recorded) -> None:
        event = recorded.event
        update(tx, table, {key: str(event.originator_id)}, **{column: getattr(event, attribute)})

    return set_column


def _milestone_created(tx: ViewTx, recorded: Recorded) -> None:
    e = recorded.event
    key = {"milestone_id": str(e.originator_id), "program_id": str(e.program_id)}
    what = {"code": e.code, "owner_opd": e.owner_opd, "weight": float(e.weight)}
    state = {"percent": 0, "approved_percent": 0, "status": MilestoneStatus.PLANNED}
    insert(tx, MILESTONES, key | what | state, unless="milestone_id")


def _milestone(tx: ViewTx, recorded: Recorded, **values: object) -> None:
    update(tx, MILESTONES, {"milestone_id": str(recorded.event.originator_id)}, **values)


def _milestone_status(status: str) -> Handler:
    def set_status(tx: ViewTx, recorded: Recorded) -> None:
        _milestone(tx, recorded, status=status)

    return set_status


def _progress_reported(tx: ViewTx, recorded: Recorded) -> None:
    percent = float(recorded.event.percent)
    _milestone(tx, recorded, percent=percent, status=MilestoneStatus.IN_PROGRESS)


def _milestone_approved(tx: ViewTx, recorded: Recorded) -> None:
    event = recorded.event
    # Nothing is reported while a milestone is submitted, so the percent is the one approved.
    tx.execute(
        f"UPDATE {tx.table(MILESTONES)} SET status = ?, approved_percent = percent "
        "WHERE milestone_id = ?",
        (MilestoneStatus.APPROVED, str(event.originator_id)),
    )


PLANS = Table("plan_plans", "plan_id text, published int", key="plan_id")
ASPECTS = Table(
    "plan_aspects",
    "plan_id text, aspect_id text, ordinal int, label_en text, label_id text, revision_id text?, "
    "approved int",
    key="plan_id, aspect_id",
)
PROGRAMS = Table(
    "plan_programs",
    "program_id text, plan_id text, code text, name text, aspect text, owner_opd text, "
    "quick_win int, weight real",
    key="program_id",
    indexes=("plan_id, aspect", "owner_opd"),
)
MILESTONES = Table(
    "plan_milestones",
    "milestone_id text, program_id text, code text, owner_opd text, weight real, percent real, "
    "approved_percent real, status text",
    key="milestone_id",
    indexes=("program_id",),
)


class PlanProgressView(
    View, name="plan_progress", version=2, tables=(PLANS, ASPECTS, PROGRAMS, MILESTONES)
):
    """Aspects, programs and milestones of every master plan, with weights and progress."""

    handlers = by_topic(
        {
            MasterPlan.Created: _plan_created,
            MasterPlan.Approved: _plan_approved,
            MasterPlan.RevisionProposed: _revision_proposed,
            MasterPlan.RevisionApproved: _revision_decided(approved=True),
            MasterPlan.RevisionRejected: _revision_decided(approved=False),
            Program.Created: _program_created,
            Program.OwnerChanged: _set(PROGRAMS, "owner_opd", "owner_opd"),
            Program.WeightChanged: _set(PROGRAMS, "weight", "weight"),
            Milestone.Created: _milestone_created,
            Milestone.ProgressReported: _progress_reported,
            Milestone.Submitted: _milestone_status(MilestoneStatus.SUBMITTED),
            Milestone.Approved: _milestone_approved,
            Milestone.Returned: _milestone_status(MilestoneStatus.RETURNED),
            Milestone.Completed: _milestone_status(MilestoneStatus.DONE),
            Milestone.WeightChanged: _set(MILESTONES, "weight", "weight", "milestone_id"),
        }
    )
