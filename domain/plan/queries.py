"""What the plan context answers: plans, programs, milestones, baselines and progress."""

from __future__ import annotations

import uuid

from domain.plan.masterplan import MasterPlan
from domain.plan.milestone import Milestone
from domain.plan.program import Program
from domain.plan.rules import weighted_progress
from domain.plan.values import Baseline
from domain.shared import JejakApplication, NotFoundError


class PlanQueries(JejakApplication):
    """The reads of the plan application service (never change anything)."""

    def get_plan(self, plan_id: uuid.UUID, expected_version: int | None = None) -> MasterPlan:
        """The master plan ``plan_id`` (at ``expected_version``, when one is given)."""
        return self.get(plan_id, MasterPlan, "The master plan", expected_version)

    def get_program(self, program_id: uuid.UUID, expected_version: int | None = None) -> Program:
        """The program ``program_id`` (at ``expected_version``, when one is given)."""
        return self.get(program_id, Program, "The program", expected_version)

    def get_milestone(
        self, milestone_id: uuid.UUID, expected_version: int | None = None
    ) -> Milestone:
        """The milestone ``milestone_id`` (at ``expected_version``, when one is given)."""
        return self.get(milestone_id, Milestone, "The milestone", expected_version)

    def programs_of(self, plan_id: uuid.UUID) -> list[Program]:
        """The programs of a plan, aspect by aspect, in the order they were added."""
        return [self.get_program(pid) for pid in self.get_plan(plan_id).program_ids()]

    def milestones_of(self, program_id: uuid.UUID) -> list[Milestone]:
        """The milestones of a program, in the order they were added."""
        return [self.get_milestone(mid) for mid in self.get_program(program_id).milestones]

    def baseline_of(self, plan_id: uuid.UUID, version: int | None = None) -> Baseline:
        """The approved content of a plan: the last baseline, or baseline ``version``."""
        baseline = self.get_plan(plan_id).baseline(version)
        if baseline is None:
            raise NotFoundError("This master plan has no such approved baseline.")
        return baseline

    def program_at_baseline(self, program_id: uuid.UUID, version: int | None = None) -> Program:
        """A program as it stood when baseline ``version`` (default: the last) was approved."""
        program = self.get_program(program_id)
        recorded = self.baseline_of(program.plan_id, version).versions.get(program_id)
        if recorded is None:
            raise NotFoundError(f"Program {program.code} is not part of that baseline.")
        at_baseline: object = self.repository.get(program_id, version=recorded)
        if not isinstance(at_baseline, Program):
            raise NotFoundError("The program was not found.")
        return at_baseline

    def program_progress(self, program_id: uuid.UUID) -> float:
        """A program's progress (percent): its milestones' approved progress, weighted."""
        milestones = self.milestones_of(program_id)
        return weighted_progress((m.weight, m.approved_percent) for m in milestones)

    def plan_progress(self, plan_id: uuid.UUID) -> float:
        """A plan's progress (percent): its programs' progress, weighted."""
        return weighted_progress(
            (p.weight, self.program_progress(p.id)) for p in self.programs_of(plan_id)
        )
