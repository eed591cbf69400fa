"""Where a subject with a deadline stands in the domain: done or not, and its due date now."""

from __future__ import annotations

import uuid

from domain.bimtek.application import BimtekApplication
from domain.bimtek.values import DeliverableStatus
from domain.commitments.application import CommitmentsApplication
from domain.plan import MilestoneStatus
from domain.plan.application import PlanApplication
from domain.shared import NotFoundError
from domain.values import PartRef, SubjectRef
from workflows.deadline.inputs import SubjectStatus

MILESTONE_DONE = frozenset({MilestoneStatus.APPROVED, MilestoneStatus.DONE})
DELIVERABLE_DONE = frozenset({DeliverableStatus.SUBMITTED, DeliverableStatus.ACCEPTED})


class SubjectLookup:
    """Reads milestones, deliverables and commitments to say whether their deadline still runs."""

    def __init__(
        self, plan: PlanApplication, bimtek: BimtekApplication, commitments: CommitmentsApplication
    ) -> None:
        self.plan, self.bimtek, self.commitments = plan, bimtek, commitments

    def status(self, subject: SubjectRef) -> SubjectStatus:
        """The subject's status; an unknown subject keeps its deadline (nothing says it is done)."""
        try:
            if subject.kind == "milestone":
                return self._milestone(uuid.UUID(subject.id))
            if subject.kind == "deliverable":
                return self._deliverable(PartRef.parse(subject.id))
            if subject.kind == "commitment":
                return self._commitment(uuid.UUID(subject.id))
        except (NotFoundError, ValueError):
            pass
        return SubjectStatus(done=False, due_date=None)

    def _milestone(self, milestone_id: uuid.UUID) -> SubjectStatus:
        milestone = self.plan.get_milestone(milestone_id)
        done = milestone.status in MILESTONE_DONE
        return SubjectStatus(done, milestone.due_date.isoformat(), f"milestone {milestone.status}")

    def _deliverable(self, part: PartRef) -> SubjectStatus:
        deliverable = self.bimtek.get_session(part.owner).deliverables.get(part.part)
        if deliverable is None:
            return SubjectStatus(done=False, due_date=None)
        done = deliverable.status in DELIVERABLE_DONE
        reason = f"deliverable {deliverable.status}"
        return SubjectStatus(done, deliverable.due_date.isoformat(), reason)

    def _commitment(self, commitment_id: uuid.UUID) -> SubjectStatus:
        commitment = self.commitments.get_commitment(commitment_id)
        deadline = commitment.signing_deadline
        due = deadline.isoformat() if deadline is not None else None
        if commitment.is_withdrawn:
            return SubjectStatus(True, due, "commitment withdrawn")
        if commitment.is_complete:
            return SubjectStatus(True, due, "signed by every required signatory")
        return SubjectStatus(
            deadline is None, due, "no signing deadline" if deadline is None else ""
        )
