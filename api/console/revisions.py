"""Plan revisions for the plan page: each change, as first approved and as it stands now.

"As approved" is the plan's first baseline (the plan as the city approved it); "now" is the
plan today, after every approved revision. Values are read from the event store at the
versions each baseline recorded, so nothing is remembered twice.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.plan import PlanApplication
from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.program import Program
from domain.plan.values import Baseline, Revision

Read = Callable[[Program, Milestone | None, dict[str, Any]], object]

#: The field of a change that holds the value it proposes, by kind.
PROPOSED = {
    "change-target": "value", "change-budget": "amount", "change-weight": "weight",
    "change-owner": "owner_opd", "add-supporting-opd": "opd", "change-due-date": "due_date",
    "change-title": "title", "change-vision": "vision", "add-aspect": "label_id",
    "add-program": "name",
}  # fmt: skip

#: What each kind of change changes, read from the program (and milestone) it names.
FIELDS: dict[str, Read] = {
    "change-target": lambda p, m, c: p.targets.get(int(c["year"])),
    "change-budget": lambda p, m, c: p.budgets.get(int(c["year"])),
    "change-weight": lambda p, m, c: (m or p).weight,
    "change-owner": lambda p, m, c: p.owner_opd,
    "add-supporting-opd": lambda p, m, c: ", ".join(p.supporting_opds),
    "change-due-date": lambda p, m, c: m.due_date if m else None,
}


@dataclass(frozen=True)
class Change:
    """One change of a revision: what it touches, its value as approved, now, and proposed."""

    kind: str
    subject: str
    approved: object
    now: object
    proposed: object = None


@dataclass(frozen=True)
class RevisionLine:
    """A revision, what it changes, and the baseline its approval made (if approved)."""

    revision: Revision
    changes: tuple[Change, ...]
    baseline: Baseline | None


@dataclass(frozen=True)
class PlanRevisions:
    """A plan's first approval and its revisions, oldest first."""

    plan: MasterPlan
    first: Baseline | None
    revisions: tuple[RevisionLine, ...]


class Reader:
    """Programs and milestones of one plan, now and at the first baseline's versions."""

    def __init__(self, plans: PlanApplication, plan: MasterPlan) -> None:
        self.plans, self.plan = plans, plan
        self.first = plan.baseline(1)

    def at_first(self, aggregate_id: uuid.UUID) -> Any:
        """The aggregate as first approved; None when it came later."""
        version = self.first.versions.get(aggregate_id) if self.first else None
        return self.plans.repository.get(aggregate_id, version=version) if version else None

    def current(self, aggregate_id: uuid.UUID) -> Any:
        """The aggregate now; None while a pending revision has not created it yet."""
        try:
            return self.plans.repository.get(aggregate_id)
        except AggregateNotFoundError:
            return None

    def change(self, change: dict[str, Any]) -> Change:
        """One change in words: its subject, its value as approved and now, and proposed."""
        found = self.values(change)
        proposed = change.get(PROPOSED.get(change["kind"], ""))
        if change["kind"] == "change-due-date" and isinstance(proposed, str):
            proposed = date.fromisoformat(proposed)
        return replace(found, proposed=proposed)

    def values(self, change: dict[str, Any]) -> Change:
        """A change's subject, and its value as first approved and now."""
        kind = change["kind"]
        if kind in ("change-title", "change-vision"):
            field = kind.removeprefix("change-")
            before = getattr(self.first, field) if self.first else None
            return Change(kind, "", before, getattr(self.plan, field))
        if kind == "add-aspect":
            return Change(kind, change["id"], None, change["label_id"])
        if kind == "add-program":
            return Change(kind, change["code"], None, change["name"])
        program_id = Program.create_id(self.plan.id, str(change["program"]))
        milestone_id = (
            Milestone.create_id(program_id, str(change["milestone"]))
            if "milestone" in change
            else None
        )
        now, then = self.current(program_id), self.at_first(program_id)
        now_m = self.current(milestone_id) if milestone_id else None
        then_m = self.at_first(milestone_id) if milestone_id else None
        subject = " · ".join(
            str(change[k]) for k in ("program", "milestone", "year") if k in change
        )
        read = FIELDS[kind]
        before = read(then, then_m, change) if then is not None else None
        return Change(kind, subject, before, read(now, now_m, change) if now else None)


def revisions_of(plans: PlanApplication, plan_id: uuid.UUID) -> PlanRevisions:
    """A plan's revisions with each change as approved and now."""
    plan = plans.get_plan(plan_id)
    reader = Reader(plans, plan)
    made = {b.revision_id: b for b in plan.baselines.values() if b.revision_id}
    lines = tuple(
        RevisionLine(r, tuple(reader.change(c) for c in r.changes), made.get(r.id))
        for r in plan.revisions.values()
    )
    return PlanRevisions(plan, reader.first, lines)
