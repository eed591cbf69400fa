"""What happens to an approval request after it is made: one event class each.

Each event applies itself to the request. The topics are pinned (``TOPIC``) to the names
they were first stored under, ``jejak.approvals:ApprovalRequest.<Event>``: they are
stored contracts and never change, wherever the classes live.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from domain.approvals.values import ApprovalStatus, Decided
from domain.shared import JejakAggregate

if TYPE_CHECKING:
    from domain.approvals.request import ApprovalRequest

TOPIC = "jejak.approvals:ApprovalRequest"


class PreviousRequestLinked(JejakAggregate.Event):
    """The request follows the closed request of the subject's previous submission."""

    TOPIC = f"{TOPIC}.PreviousRequestLinked"
    previous_request_id: str
    attempt: int

    def apply(self, request: ApprovalRequest) -> None:
        request.previous_request_id, request.attempt = self.previous_request_id, self.attempt


class StepOpened(JejakAggregate.Event):
    """The current step opened for decisions, due at ``due_at``."""

    TOPIC = f"{TOPIC}.StepOpened"
    step_index: int
    due_at: datetime
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.steps[self.step_index].opened_at = self.effective_at
        request.steps[self.step_index].due_at = self.due_at


class DecisionRecorded(JejakAggregate.Event):
    """A decision was recorded on a step (v2 adds the carrying workflow and run)."""

    TOPIC = f"{TOPIC}.DecisionRecorded"
    class_version = 2
    decision_id: str
    step_index: int
    person_nip: str
    opd_code: str
    person_capacity: str
    outcome: str
    comment: str
    workflow_id: str | None
    run_id: str | None

    @staticmethod
    def upcast_v1_v2(state: dict[str, Any]) -> None:
        """Version 1 did not say which workflow run carried the decision."""
        state["workflow_id"] = None
        state["run_id"] = None

    def apply(self, request: ApprovalRequest) -> None:
        decided = Decided(
            self.decision_id,
            self.person_nip,
            self.opd_code,
            self.person_capacity,
            self.outcome,
            self.comment,
        )
        request.steps[self.step_index].decisions.append(decided)
        request.decision_ids.add(self.decision_id)


class StepCompleted(JejakAggregate.Event):
    """The step has its outcome; the next one (if any) is the current step."""

    TOPIC = f"{TOPIC}.StepCompleted"
    step_index: int
    outcome: str

    def apply(self, request: ApprovalRequest) -> None:
        request.steps[self.step_index].outcome = self.outcome
        request.current_step = self.step_index + 1


class RoundEnded(JejakAggregate.Event):
    """Base of the events that end round ``round`` with ``OUTCOME`` (not stored itself)."""

    OUTCOME = ApprovalStatus.APPROVED
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.status = self.OUTCOME


class Approved(RoundEnded):
    """The last step approved: the round, and the request, end approved."""

    TOPIC = f"{TOPIC}.Approved"


class Rejected(RoundEnded):
    """A step rejected: the request ends rejected."""

    TOPIC = f"{TOPIC}.Rejected"
    OUTCOME = ApprovalStatus.REJECTED
    step_index: int


class ReturnedForRevision(RoundEnded):
    """A step returned the subject: the round ends, the submitter may resubmit."""

    TOPIC = f"{TOPIC}.ReturnedForRevision"
    OUTCOME = ApprovalStatus.RETURNED
    step_index: int


class Resubmitted(JejakAggregate.Event):
    """The revised subject came back: round ``round`` starts from step 0."""

    TOPIC = f"{TOPIC}.Resubmitted"
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.restart()


class StepReassigned(JejakAggregate.Event):
    """One OPD's share of a step went to another OPD."""

    TOPIC = f"{TOPIC}.StepReassigned"
    step_index: int
    from_opd: str
    to_opd: str
    reason: str

    def apply(self, request: ApprovalRequest) -> None:
        opds = request.steps[self.step_index].assigned_opds
        opds[opds.index(self.from_opd)] = self.to_opd


class ReminderSent(JejakAggregate.Event):
    """A reminder went out for the open step."""

    TOPIC = f"{TOPIC}.ReminderSent"
    step_index: int
    label: str
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.steps[self.step_index].reminders.append(self.label)


class StepEscalated(JejakAggregate.Event):
    """The open step went up the ladder: 1 to the Sekda, 2 to the Inspektorat."""

    TOPIC = f"{TOPIC}.StepEscalated"
    step_index: int
    level: int
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.steps[self.step_index].escalation_level = self.level


class NobodyMayDecide(JejakAggregate.Event):
    """Nobody in office at the step's OPDs may decide it: it goes up at once."""

    TOPIC = f"{TOPIC}.NobodyMayDecide"
    step_index: int
    level: int
    reason: str
    round: int

    def apply(self, request: ApprovalRequest) -> None:
        request.steps[self.step_index].escalation_reason = self.reason


class Withdrawn(JejakAggregate.Event):
    """The request was withdrawn: nothing more can be decided."""

    TOPIC = f"{TOPIC}.Withdrawn"
    reason: str

    def apply(self, request: ApprovalRequest) -> None:
        request.status = ApprovalStatus.WITHDRAWN
