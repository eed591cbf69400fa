"""Which workflow to start or signal for an event of the log: rules only, no call to Temporal.

Everything is derived from the event and from the aggregates as they stood at that event,
so replaying the log from zero gives the same commands again.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from domain.approvals import rules
from domain.approvals.application import ApprovalsApplication, ApprovalState
from domain.approvals.model import WITHDRAWN, ApprovalRequest
from domain.approvals.routes import default_route
from domain.bimtek import BimtekSession
from domain.bimtek.application import BimtekApplication
from domain.calendar import local_day
from domain.commitments import Commitment
from domain.commitments.application import CommitmentsApplication
from domain.plan import MilestoneStatus
from domain.plan.application import PlanApplication
from domain.plan.milestone import Milestone
from infra.store import EventStore
from workflows.approval import approval_workflow_id
from workflows.deadline import deadline_workflow_id
from workflows.deadline_inputs import DeadlineInput, DueDateChanged, SubjectDone, SubjectReopened
from workflows.deadline_subjects import deliverable_subject_id
from workflows.inputs import ApprovalInput, ResubmitInput

#: A request in one of these states takes no new round: a new submission is a new request.
CLOSED_FOR_GOOD = frozenset({rules.REJECTED, WITHDRAWN})
#: Who owns a commitment's signing deadline: the smart-city secretariat.
COMMITMENT_OWNER = "DISKOMINFO"

MILESTONE, BIMTEK, COMMITMENT = (
    "jejak.plan:Milestone.",
    "jejak.bimtek:BimtekSession.",
    "jejak.commitments:Commitment.",
)
#: Events that end a deadline, and the reason the deadline records.
DONE_BY = {
    MILESTONE + "Approved": "milestone approved",
    MILESTONE + "Completed": "milestone done",
    BIMTEK + "DeliverableSubmitted": "deliverable submitted",
    BIMTEK + "DeliverableAccepted": "deliverable accepted",
    COMMITMENT + "Completed": "signed by every required signatory",
    COMMITMENT + "Withdrawn": "commitment withdrawn",
}
TOPICS = frozenset(
    {
        MILESTONE + "Created",
        MILESTONE + "Submitted",
        MILESTONE + "DueDateChanged",
        BIMTEK + "DeliverableAssigned",
        BIMTEK + "DeliverableReturned",
        BIMTEK + "DueDateChanged",
        COMMITMENT + "Created",
        COMMITMENT + "Renewed",
        *DONE_BY,
    }
)


@dataclass(frozen=True)
class Start:
    """Start a workflow unless one with this id runs (or completed).

    With ``signal``: signal-with-start. A running workflow gets the signal; a completed one
    is started again and gets it first (the signal's log position keeps it idempotent).
    """

    workflow: str
    workflow_id: str
    arg: Any
    signal: str | None = None
    signal_arg: Any = None


@dataclass(frozen=True)
class Signal:
    """Signal a running workflow."""

    workflow_id: str
    signal: str
    arg: Any


Command = Start | Signal


class StarterRules:
    """Turns the events that concern workflows into starts and signals."""

    def __init__(
        self,
        plan: PlanApplication,
        bimtek: BimtekApplication,
        commitments: CommitmentsApplication,
        approvals: ApprovalsApplication,
    ) -> None:
        self.plan, self.bimtek, self.commitments = plan, bimtek, commitments
        self.approvals = approvals

    @classmethod
    def over(cls, store: EventStore) -> StarterRules:
        """The rules over the application services of ``store``."""
        return cls(
            store.app(PlanApplication),
            store.app(BimtekApplication),
            store.app(CommitmentsApplication),
            store.app(ApprovalsApplication),
        )

    def commands(self, topic: str, event: Any, position: int) -> list[Command]:
        """The starts and signals an event calls for (none for most events)."""
        if topic in DONE_BY:
            kind, subject_id = self._subject(topic, event)
            done = SubjectDone(DONE_BY[topic], position)
            return [Signal(deadline_workflow_id(kind, subject_id), "done", done)]
        if topic.endswith(".DueDateChanged"):
            kind, subject_id = self._subject(topic, event)
            new_due = getattr(event, "new_due", None) or event.due_date
            moved = DueDateChanged(new_due.isoformat(), position)
            return [Signal(deadline_workflow_id(kind, subject_id), "due_date_changed", moved)]
        if topic == MILESTONE + "Submitted":
            return self._submitted(event)
        if topic in (BIMTEK + "DeliverableReturned", COMMITMENT + "Renewed"):
            return self._reopened(topic, event, position)
        found = self._deadline(topic, event)
        return [] if found is None else [deadline_start(found)]

    def _subject(self, topic: str, event: Any) -> tuple[str, str]:
        if topic.startswith(BIMTEK):
            return "deliverable", deliverable_subject_id(event.originator_id, event.deliverable_id)
        kind = "milestone" if topic.startswith(MILESTONE) else "commitment"
        return kind, str(event.originator_id)

    def _deadline(self, topic: str, event: Any) -> DeadlineInput | None:
        if topic == MILESTONE + "Created":
            city = self.plan.get_plan(self.plan.get_program(event.program_id).plan_id).city_code
            subject = str(event.originator_id)
            return DeadlineInput(
                "milestone",
                subject,
                event.owner_opd,
                event.due_date.isoformat(),
                city,
                title=event.title,
            )
        if topic == BIMTEK + "DeliverableAssigned":
            city = self.bimtek.get_session(event.originator_id).city_code
            subject = deliverable_subject_id(event.originator_id, event.deliverable_id)
            return DeadlineInput(
                "deliverable",
                subject,
                event.opd_code,
                event.due_date.isoformat(),
                city,
                title=event.title,
            )
        if topic == COMMITMENT + "Created" and event.signing_deadline is not None:
            due = event.signing_deadline.isoformat()
            subject = str(event.originator_id)
            return DeadlineInput(
                "commitment", subject, COMMITMENT_OWNER, due, event.city_code, title=event.title
            )
        return None

    def _reopened(self, topic: str, event: Any, position: int) -> list[Command]:
        """A returned deliverable or a renewed commitment is due again: its deadline restarts."""
        if topic == BIMTEK + "DeliverableReturned":
            given, reason = self._returned_deliverable(event), "deliverable returned"
        elif event.signing_deadline is not None:
            given, reason = self._renewed_commitment(event), "commitment renewed"
        else:
            done = SubjectDone("renewed without a signing deadline", position)
            subject = str(event.originator_id)
            return [Signal(deadline_workflow_id("commitment", subject), "done", done)]
        again = SubjectReopened(given.due_date, reason, position)
        workflow_id = deadline_workflow_id(given.kind, given.subject_id)
        return [Start("DeadlineWorkflow", workflow_id, given, "reopened", again)]

    def _returned_deliverable(self, event: Any) -> DeadlineInput:
        session: BimtekSession = self.bimtek.repository.get(
            event.originator_id, version=event.originator_version
        )
        deliverable = session.deliverables[event.deliverable_id]
        return DeadlineInput(
            "deliverable",
            deliverable_subject_id(event.originator_id, event.deliverable_id),
            deliverable.opd_code,
            deliverable.due_date.isoformat(),
            session.city_code,
            title=deliverable.title,
        )

    def _renewed_commitment(self, event: Any) -> DeadlineInput:
        commitment: Commitment = self.commitments.repository.get(
            event.originator_id, version=event.originator_version
        )
        due = event.signing_deadline.isoformat()
        subject = str(event.originator_id)
        return DeadlineInput(
            "commitment",
            subject,
            COMMITMENT_OWNER,
            due,
            commitment.city_code,
            title=commitment.title,
        )

    def _submitted(self, event: Any) -> list[Command]:
        """Start the milestone's approval; a resubmission after a return starts its next round.

        A submission the milestone has since left (approved or returned directly, as the
        reference scenario records years of paper history) starts nothing: no one waits for
        a decision on it any more. The workflow checks the same again when it starts.
        """
        milestone_id: uuid.UUID = event.originator_id
        if not self._awaiting(milestone_id, event.originator_version):
            return []
        milestone: Milestone = self.plan.repository.get(
            milestone_id, version=event.originator_version
        )
        attempt, request = self._latest_attempt(str(milestone_id))
        if request is not None and self._closed_before(request, event):
            # Rejected (or withdrawn): the revised report is a new request that follows it.
            attempt, request = attempt + 1, None
        request_id = str(ApprovalRequest.attempt_id("milestone-report", str(milestone_id), attempt))
        workflow_id = approval_workflow_id(request_id)
        approval = self._approval(milestone, request_id, event)
        approval.attempt = attempt
        commands: list[Command] = [Start("ApprovalWorkflow", workflow_id, approval)]
        # Only a request the approval returned waits for a new round; a request created
        # by this start is at round 1 already.
        if request is not None and request.status == rules.RETURNED:
            again = ResubmitInput(request.round + 1, event.submitted_by, milestone.owner_opd)
            commands.append(Signal(workflow_id, "resubmitted", again))
        return commands

    def _latest_attempt(self, subject_id: str) -> tuple[int, ApprovalState | None]:
        """The milestone report's latest approval request and its attempt (1, None: none yet)."""
        attempts = self.approvals.attempts("milestone-report", subject_id)
        return max(len(attempts), 1), attempts[-1] if attempts else None

    def _closed_before(self, request: ApprovalState, submission: Any) -> bool:
        """True when the request was closed for good before ``submission`` was recorded.

        A replayed submission (the starter catching up after a crash) finds the request it
        started closed afterwards: it must not start another one.
        """
        if request.status not in CLOSED_FOR_GOOD:
            return False
        closed = self.approvals.get_request(request.request_id).modified_on
        return bool(closed < submission.timestamp)

    def _awaiting(self, milestone_id: uuid.UUID, version: int) -> bool:
        """True while the submission at ``version`` is the one still waiting for a decision."""
        if self.plan.get_milestone(milestone_id).status != MilestoneStatus.SUBMITTED:
            return False
        later = self.plan.repository.event_store.get(milestone_id, gt=version)
        return not any(type(e).__name__ == "Submitted" for e in later)

    def _approval(self, milestone: Milestone, request_id: str, event: Any) -> ApprovalInput:
        """The approval of a milestone report, routed by the program's budget and quick win."""
        program = self.plan.get_program(milestone.program_id)
        city = self.plan.get_plan(program.plan_id).city_code
        route = default_route(
            "milestone-report",
            has_budget=any(amount > 0 for amount in program.budgets.values()),
            quick_win=program.quick_win,
        )
        return ApprovalInput(
            request_id=request_id,
            subject_kind="milestone-report",
            subject_id=str(milestone.id),
            title=f"Milestone report {milestone.code}: {milestone.title}",
            owner_opd=milestone.owner_opd,
            submitted_by=event.submitted_by,
            route=[step.as_dict() for step in route],
            city_code=city,
            opened_on=local_day(event.effective_at).isoformat(),
        )


def deadline_start(given: DeadlineInput) -> Start:
    """Start the deadline workflow of ``given``."""
    return Start("DeadlineWorkflow", deadline_workflow_id(given.kind, given.subject_id), given)
