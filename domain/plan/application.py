"""The plan application service: the master plan, its programs, milestones and revisions."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from domain.plan.execution import Created, PlanExecution
from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.program import Program, Target
from domain.plan.revision import ChangeSet, normalise_change
from domain.plan.values import Aspect, DueDateChange, ProgressReport
from domain.shared import Actor, AlreadyExistsError
from domain.transcodings import SNAPSHOT_VALUES

#: Milestones collect progress reports for years: a snapshot every this many events keeps
#: reading one (now or as of a past version) to one snapshot and fewer events than this.
SNAPSHOT_EVERY = 25
#: Their value objects, by the names snapshots store them under (pinned).
SNAPSHOT_VALUES.update(
    {"value_model_ProgressReport": ProgressReport, "value_model_DueDateChange": DueDateChange}
)


class PlanApplication(PlanExecution):
    """Sets up the master plan and records the execution of its milestones."""

    name = "jejak.plan"
    snapshotting_intervals = {Milestone: SNAPSHOT_EVERY}  # noqa: RUF012 (the library's name)

    def create_plan(
        self,
        *,
        city_code: str,
        city_name: str,
        title: str,
        start_year: int,
        years: int = 10,
        vision: str = "",
        aspects: Sequence[Aspect] | None = None,
        by: Actor,
    ) -> Created:
        """Draft the master plan of a city for ``years`` years from ``start_year``."""
        plan = MasterPlan.draft(
            city_code=city_code,
            city_name=city_name,
            title=title,
            start_year=start_year,
            years=years,
            vision=vision,
            aspects=aspects,
            **by.attribution(),
        )
        what = f"The master plan of {city_code} from {start_year}"
        return Created(plan.id, self.save_new(plan, what=what))

    def add_program(
        self,
        plan_id: uuid.UUID,
        *,
        code: str,
        name: str,
        aspect: str,
        owner_opd: str,
        supporting_opds: Sequence[str] = (),
        quick_win: bool = False,
        horizon: str = "medium",
        weight: float = 1.0,
        targets: Mapping[int, Target] | None = None,
        budgets: Mapping[int, int] | None = None,
        by: Actor,
        expected_version: int | None = None,
    ) -> Created:
        """Add a program to the draft plan; the program and the plan's index are saved together."""
        plan = self.get_plan(plan_id, expected_version)
        plan.require_draft()
        plan.require_aspect(aspect)
        if Program.create_id(plan.id, code) in plan.program_ids():
            raise AlreadyExistsError(f"Program {code} is already registered.")
        attribution = by.attribution()
        program = Program.define(
            plan_id=plan.id,
            code=code,
            name=name,
            aspect=aspect,
            owner_opd=owner_opd,
            first_year=plan.start_year,
            last_year=plan.end_year,
            supporting_opds=tuple(supporting_opds),
            quick_win=quick_win,
            horizon=horizon,
            weight=weight,
            **attribution,
        )
        for year, value in (targets or {}).items():
            program.set_target(year, value, **attribution)
        for year, amount in (budgets or {}).items():
            program.set_budget(year, amount, **attribution)
        plan.index_program(program.id, aspect, **attribution)
        # The duplicate was ruled out above, so a collision here is a concurrent change.
        return Created(program.id, self.save_command(program, plan))

    def set_program_target(
        self, program_id: uuid.UUID, *, year: int, value: Target, by: Actor
    ) -> int:
        """Set a yearly target of a program of the draft plan."""
        program = self._draft_program(program_id)
        return self.run(program, program.set_target, year, value, **by.attribution())

    def set_program_budget(
        self, program_id: uuid.UUID, *, year: int, amount: int, by: Actor
    ) -> int:
        """Set a yearly budget (rupiah) of a program of the draft plan."""
        program = self._draft_program(program_id)
        return self.run(program, program.set_budget, year, amount, **by.attribution())

    def add_supporting_opd(self, program_id: uuid.UUID, *, opd: str, by: Actor) -> int | None:
        """Add a supporting OPD to a program of the draft plan (None if it already was)."""
        program = self._draft_program(program_id)
        program.add_supporting_opd(opd, **by.attribution())
        return self.save_changes(program)

    def _draft_program(self, program_id: uuid.UUID) -> Program:
        program = self.get_program(program_id)
        self.get_plan(program.plan_id).require_draft()
        return program

    def approve_plan(self, plan_id: uuid.UUID, *, by: Actor) -> int:
        """Approve the draft plan: it becomes baseline 1 (called by the approval process)."""
        plan = self.get_plan(plan_id)
        return self.run(
            plan, plan.approve, self._versions(plan.program_ids(), {}), **by.attribution()
        )

    def propose_revision(
        self,
        plan_id: uuid.UUID,
        *,
        revision_id: str,
        description: str,
        changes: Sequence[Mapping[str, Any]],
        by: Actor,
    ) -> int:
        """Propose changes to the approved plan; they are checked now and applied on approval."""
        plan = self.get_plan(plan_id)
        plain = [normalise_change(c) for c in changes]
        change_set = ChangeSet(self, plan, by)
        for change in plain:
            change_set.apply(change)  # a dry run on throw-away copies: refuses bad changes now
        plan.propose_revision(revision_id, description, plain, **by.attribution())
        return self.save_command(plan)

    def approve_revision(self, plan_id: uuid.UUID, *, revision_id: str, by: Actor) -> int:
        """Apply the pending revision to the plan, its programs and milestones, in one save."""
        plan = self.get_plan(plan_id)
        revision = plan.pending(revision_id)
        change_set = ChangeSet(self, plan, by)
        for change in revision.changes:
            change_set.apply(change)
        touched = change_set.touched()
        program_ids = [*plan.program_ids(), *change_set.new_programs]
        plan.approve_revision(revision_id, self._versions(program_ids, touched), **by.attribution())
        return self.save_command(*touched.values(), plan)

    def reject_revision(
        self, plan_id: uuid.UUID, *, revision_id: str, reason: str, by: Actor
    ) -> int:
        """Discard the pending revision; the baseline stays as it was."""
        plan = self.get_plan(plan_id)
        return self.run(plan, plan.reject_revision, revision_id, reason, **by.attribution())

    def _versions(
        self, program_ids: Sequence[uuid.UUID], touched: Mapping[uuid.UUID, Program | Milestone]
    ) -> dict[uuid.UUID, int]:
        """The version of every program and milestone, counting changes not yet saved."""
        versions: dict[uuid.UUID, int] = {}
        for program_id in program_ids:
            program = touched.get(program_id)
            if not isinstance(program, Program):
                program = self.get_program(program_id)
            versions[program_id] = program.version
            for milestone_id in program.milestones:
                milestone = touched.get(milestone_id) or self.get_milestone(milestone_id)
                versions[milestone_id] = milestone.version
        return versions
