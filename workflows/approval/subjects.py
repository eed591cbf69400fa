"""What an approval is about, in the domain: is it still waiting, and carrying out the outcome.

Subject ids by kind: a milestone report is the milestone's id; a bimtek deliverable is
``<stage id>/<deliverable id>`` (as the workflow starter builds it); a plan revision is
``<plan id>/<revision id>``.

How each outcome lands on its subject (the subjects have fewer states than an approval):

- approved: the milestone is approved, the deliverable accepted, the revision applied.
- returned for revision: the milestone and the deliverable are returned with the deciding
  head's comment; a plan revision has no "returned" state, it stays pending (the proposer
  resubmits the request, and a later round decides it).
- rejected: a milestone and a deliverable have no "rejected" state, so they are returned
  with the comment prefixed "Rejected:" (the work is not accepted and must be redone); a
  plan revision is rejected and discarded.

The subject's event is recorded in the name of the person whose decision ended the round,
in the capacity they decided in (head, Plt., Plh., or the Sekda after an escalation): the
one an auditor asks about the approval. Its effective time is when the workflow carried
the outcome over, a moment after the decision.

Every application is idempotent: a subject already in the target state is left alone, and
one that has moved on (no longer waiting for a decision) is not touched either.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from domain.approvals.values import ApprovalStatus, SubjectKind
from domain.bimtek.application import BimtekApplication
from domain.bimtek.values import DeliverableStatus
from domain.plan import MilestoneStatus
from domain.plan.application import PlanApplication
from domain.shared import Actor, NotFoundError
from domain.values import PartRef, SubjectRef

#: What ``apply`` did: recorded the outcome, found it there already, or could not apply it.
APPLIED, ALREADY, NOT_APPLICABLE = "applied", "already", "not-applicable"


@dataclass(frozen=True)
class Outcome:
    """The end of one approval round, to be carried out on the subject."""

    subject: SubjectRef
    status: str
    comment: str
    by: Actor


def rejection_note(comment: str) -> str:
    """The comment a rejected milestone or deliverable is returned with."""
    return f"Rejected: {comment}"


class ApprovalSubjects:
    """Reads and changes milestones, deliverables and plan revisions for their approvals."""

    def __init__(self, plan: PlanApplication, bimtek: BimtekApplication) -> None:
        self.plan, self.bimtek = plan, bimtek

    def awaiting(self, subject: SubjectRef) -> bool | None:
        """True while the subject waits for a decision; None when it is not found here."""
        try:
            if subject.kind == SubjectKind.MILESTONE_REPORT:
                status = self.plan.get_milestone(uuid.UUID(subject.id)).status
                return bool(status == MilestoneStatus.SUBMITTED)
            if subject.kind == SubjectKind.DELIVERABLE:
                return self._deliverable_status(subject.id) == DeliverableStatus.SUBMITTED
            if subject.kind == SubjectKind.PLAN_REVISION:
                return self._revision_status(subject.id) == "pending"
        except (NotFoundError, ValueError):
            return None
        return None

    def apply(self, outcome: Outcome) -> str:
        """Carry out the outcome once; ALREADY when it is there, NOT_APPLICABLE if it cannot be."""
        try:
            if outcome.subject.kind == SubjectKind.MILESTONE_REPORT:
                return self._milestone(outcome)
            if outcome.subject.kind == SubjectKind.DELIVERABLE:
                return self._deliverable(outcome)
            if outcome.subject.kind == SubjectKind.PLAN_REVISION:
                return self._revision(outcome)
        except (NotFoundError, ValueError):
            return NOT_APPLICABLE
        return NOT_APPLICABLE

    def _milestone(self, o: Outcome) -> str:
        milestone_id = uuid.UUID(o.subject.id)
        status = self.plan.get_milestone(milestone_id).status
        approved = o.status == ApprovalStatus.APPROVED
        target = MilestoneStatus.APPROVED if approved else MilestoneStatus.RETURNED
        if status == target or (
            target == MilestoneStatus.APPROVED and status == MilestoneStatus.DONE
        ):
            return ALREADY
        if status != MilestoneStatus.SUBMITTED:
            return NOT_APPLICABLE
        if approved:
            self.plan.approve_milestone(milestone_id, by=o.by)
        else:
            self.plan.return_milestone(milestone_id, comment=self._note(o), by=o.by)
        return APPLIED

    def _deliverable(self, o: Outcome) -> str:
        part = PartRef.parse(o.subject.id)
        status = self._deliverable_status(o.subject.id)
        accepted = o.status == ApprovalStatus.APPROVED
        target = DeliverableStatus.ACCEPTED if accepted else DeliverableStatus.RETURNED
        if status == target:
            return ALREADY
        if status != DeliverableStatus.SUBMITTED:
            return NOT_APPLICABLE
        if accepted:
            self.bimtek.accept_deliverable(
                part.owner, deliverable_id=part.part, comment=o.comment, by=o.by
            )
        else:
            self.bimtek.return_deliverable(
                part.owner, deliverable_id=part.part, reason=self._note(o), by=o.by
            )
        return APPLIED

    def _revision(self, o: Outcome) -> str:
        part = PartRef.parse(o.subject.id)
        status = self._revision_status(o.subject.id)
        if o.status == ApprovalStatus.RETURNED:
            return NOT_APPLICABLE  # no "returned" state: the revision stays pending
        if status == o.status:
            return ALREADY
        if status != "pending":
            return NOT_APPLICABLE
        if o.status == ApprovalStatus.APPROVED:
            self.plan.approve_revision(part.owner, revision_id=part.part, by=o.by)
        else:
            self.plan.reject_revision(
                part.owner, revision_id=part.part, reason=self._note(o), by=o.by
            )
        return APPLIED

    def _deliverable_status(self, subject_id: str) -> str:
        part = PartRef.parse(subject_id)
        deliverable = self.bimtek.get_session(part.owner).deliverables.get(part.part)
        if deliverable is None:
            raise NotFoundError(f"Deliverable {part.part} was not assigned.")
        return str(deliverable.status)

    def _revision_status(self, subject_id: str) -> str:
        part = PartRef.parse(subject_id)
        revision = self.plan.get_plan(part.owner).revisions.get(part.part)
        if revision is None:
            raise NotFoundError(f"Revision {part.part} was not proposed.")
        return revision.status

    @staticmethod
    def _note(o: Outcome) -> str:
        comment = o.comment.strip() or f"{o.status.capitalize()} in the approval."
        return rejection_note(comment) if o.status == ApprovalStatus.REJECTED else comment
