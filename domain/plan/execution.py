"""Execution of the plan: milestones, their progress reports, submission and deadlines."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import NamedTuple

from domain.plan.milestone import Milestone
from domain.plan.queries import PlanQueries
from domain.shared import Actor, AlreadyExistsError, ValidationError


class Created(NamedTuple):
    """The id of what was created and the log position of its last event."""

    id: uuid.UUID
    position: int


class PlanExecution(PlanQueries):
    """The milestone commands of the plan application service."""

    def add_milestone(
        self,
        program_id: uuid.UUID,
        *,
        code: str,
        title: str,
        due_date: date,
        weight: float = 1.0,
        owner_opd: str | None = None,
        by: Actor,
        expected_version: int | None = None,
    ) -> Created:
        """Add a milestone to a program (owned by the program's OPD unless said otherwise)."""
        program = self.get_program(program_id, expected_version)
        if not program.first_year <= getattr(due_date, "year", 0) <= program.last_year:
            raise ValidationError(
                "due_date",
                f"{due_date} is outside the plan period {program.first_year}-{program.last_year}.",
            )
        if Milestone.create_id(program.id, code) in program.milestones:
            raise AlreadyExistsError(f"Milestone {code} is already registered.")
        attribution = by.attribution()
        milestone = Milestone.plan(
            program_id=program.id,
            code=code,
            title=title,
            due_date=due_date,
            weight=weight,
            owner_opd=owner_opd or program.owner_opd,
            **attribution,
        )
        program.index_milestone(milestone.id, **attribution)
        # The duplicate was ruled out above, so a collision here is a concurrent change.
        return Created(milestone.id, self.save_command(milestone, program))

    def report_progress(
        self,
        milestone_id: uuid.UUID,
        *,
        percent: float,
        note: str = "",
        evidence: Sequence[str] = (),
        reason: str = "",
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Report the progress of a milestone, with evidence references."""
        milestone = self.get_milestone(milestone_id, expected_version)
        milestone.report_progress(percent, note, tuple(evidence), reason, **by.attribution())
        return self.save_command(milestone)

    def submit_milestone(
        self, milestone_id: uuid.UUID, *, by: Actor, expected_version: int | None = None
    ) -> int:
        """Submit a milestone's progress for approval, in the name of ``by``."""
        milestone = self.get_milestone(milestone_id, expected_version)
        milestone.submit(by.actor_id, **by.attribution())
        return self.save_command(milestone)

    def approve_milestone(self, milestone_id: uuid.UUID, *, by: Actor) -> int:
        """Record the approval of a submitted milestone (called by the approval process)."""
        milestone = self.get_milestone(milestone_id)
        milestone.mark_approved(**by.attribution())
        return self.save_command(milestone)

    def return_milestone(self, milestone_id: uuid.UUID, *, comment: str, by: Actor) -> int:
        """Record that a submitted milestone was returned for revision."""
        milestone = self.get_milestone(milestone_id)
        milestone.mark_returned(comment, **by.attribution())
        return self.save_command(milestone)

    def complete_milestone(self, milestone_id: uuid.UUID, *, by: Actor) -> int:
        """Mark an approved milestone at 100% as done."""
        milestone = self.get_milestone(milestone_id)
        milestone.mark_done(**by.attribution())
        return self.save_command(milestone)

    def change_due_date(
        self, milestone_id: uuid.UUID, *, due_date: date, reason: str, by: Actor
    ) -> int:
        """Move a milestone's due date; the old and new dates are recorded."""
        milestone = self.get_milestone(milestone_id)
        milestone.change_due_date(due_date, reason, **by.attribution())
        return self.save_command(milestone)
