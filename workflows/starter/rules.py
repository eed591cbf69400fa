"""Which workflow to start or signal for an event of the log: rules only, no call to Temporal.

A deadline's commands come from the event and from the aggregates as they stood at that
event. A submission's approval is different on purpose: whether the submission still waits
for a decision, and which request it belongs to, is read from the state *now*, so that a
replay (the starter catching up after a crash, or from position zero) starts no approval
for a submission the log has decided since. Replaying therefore gives the same commands
minus those that are moot by now; the workflow checks its subject again when it starts.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.approvals.application import ApprovalsApplication
from domain.approvals.ladder import default_route
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import ApprovalState, ApprovalStatus, SubjectKind
from domain.bimtek import BimtekSession
from domain.bimtek.application import BimtekApplication
from domain.calendar import local_day
from domain.commitments import Commitment
from domain.commitments.application import CommitmentsApplication
from domain.deadlines.values import DeadlineKind
from domain.plan import MilestoneStatus
from domain.plan.application import PlanApplication
from domain.plan.milestone import Milestone
from domain.values import PartRef
from infra.store import EventStore
from workflows.approval.inputs import ApprovalInput, ResubmitInput, approval_workflow_id
from workflows.approval.workflow import ApprovalWorkflow
from workflows.deadline.inputs import (
    DeadlineInput,
    DueDateChanged,
    SubjectDone,
    SubjectReopened,
    deadline_workflow_id,
)
from workflows.deadline.workflow import DeadlineWorkflow

#: A request in one of these states takes no new round: a new submission is a new request.
CLOSED_FOR_GOOD = frozenset({ApprovalStatus.REJECTED, ApprovalStatus.WITHDRAWN})
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
    is started again and gets it first when ``restart_completed`` (a deadline reopened; the
    signal's log position keeps it idempotent), else it is left as it ended.
    """

    workflow: Callable[[Any, Any], Awaitable[str]]
    workflow_id: str
    arg: Any
    signal: Callable[[Any, Any], None] | None = None
    signal_arg: Any = None
    restart_completed: bool = False


@dataclass(frozen=True)
class Signal:
    """Signal a running workflow."""

    workflow_id: str
    signal: Callable[[Any, Any], None]
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
        #: The city of a bimtek session or a program. It is part of their natural ids and
        #: never changes, so it is read once, not by replaying a session for every
        #: deliverable (most of a catch-up's time before).
        self._cities: dict[uuid.UUID, str] = {}

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
            return [Signal(deadline_workflow_id(kind, subject_id), DeadlineWorkflow.done, done)]
        if topic.endswith(".DueDateChanged"):
            kind, subject_id = self._subject(topic, event)
            moved = DueDateChanged(event.due_date.isoformat(), position)
            workflow_id = deadline_workflow_id(kind, subject_id)
            return [Signal(workflow_id, DeadlineWorkflow.due_date_changed, moved)]
        if topic == MILESTONE + "Submitted":
            return self._submitted(event)
        if topic in (BIMTEK + "DeliverableReturned", COMMITMENT + "Renewed"):
            return self._reopened(topic, event, position)
        found = self._deadline(topic, event)
        return [] if found is None else [deadline_start(found)]

    def _subject(self, topic: str, event: Any) -> tuple[str, str]:
        if topic.startswith(BIMTEK):
            return DeadlineKind.DELIVERABLE, str(PartRef(event.originator_id, event.deliverable_id))
        kind = DeadlineKind.MILESTONE if topic.startswith(MILESTONE) else DeadlineKind.COMMITMENT
        return kind, str(event.originator_id)

    def _deadline(self, topic: str, event: Any) -> DeadlineInput | None:
        kind, subject = self._subject(topic, event)
        if topic == MILESTONE + "Created":
            city = self._program_city(event.program_id)
            return deadline_input(kind, subject, event.owner_opd, event.due_date, city, event.title)
        if topic == BIMTEK + "DeliverableAssigned":
            city = self._session_city(event.originator_id)
            return deadline_input(kind, subject, event.opd_code, event.due_date, city, event.title)
        if topic == COMMITMENT + "Created" and event.signing_deadline is not None:
            due, city = event.signing_deadline, event.city_code
            return deadline_input(kind, subject, COMMITMENT_OWNER, due, city, event.title)
        return None

    def _program_city(self, program_id: uuid.UUID) -> str:
        if program_id not in self._cities:
            plan_id = self.plan.get_program(program_id).plan_id
            self._cities[program_id] = str(self.plan.get_plan(plan_id).city_code)
        return self._cities[program_id]

    def _session_city(self, session_id: uuid.UUID) -> str:
        if session_id not in self._cities:
            self._cities[session_id] = str(self.bimtek.get_session(session_id).city_code)
        return self._cities[session_id]

    def _reopened(self, topic: str, event: Any, position: int) -> list[Command]:
        """A returned deliverable or a renewed commitment is due again: its deadline restarts."""
        kind, subject = self._subject(topic, event)
        if topic == BIMTEK + "DeliverableReturned":
            session: BimtekSession = self.bimtek.repository.get(
                event.originator_id, version=event.originator_version
            )
            d = session.deliverables[event.deliverable_id]
            given = deadline_input(
                kind, subject, d.opd_code, d.due_date, session.city_code, d.title
            )
            reason = "deliverable returned"
        elif event.signing_deadline is not None:
            commitment: Commitment = self.commitments.repository.get(
                event.originator_id, version=event.originator_version
            )
            due, city, title = event.signing_deadline, commitment.city_code, commitment.title
            given = deadline_input(kind, subject, COMMITMENT_OWNER, due, city, title)
            reason = "commitment renewed"
        else:
            done = SubjectDone("renewed without a signing deadline", position)
            return [Signal(deadline_workflow_id(kind, subject), DeadlineWorkflow.done, done)]
        again = SubjectReopened(given.due_date, reason, position)
        workflow_id = deadline_workflow_id(kind, subject)
        reopen = DeadlineWorkflow.reopened
        return [Start(DeadlineWorkflow.run, workflow_id, given, reopen, again, True)]

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
        request_id = str(
            ApprovalRequest.attempt_id(SubjectKind.MILESTONE_REPORT, str(milestone_id), attempt)
        )
        workflow_id = approval_workflow_id(request_id)
        approval = self._approval(milestone, request_id, event)
        approval.attempt = attempt
        commands: list[Command] = [Start(ApprovalWorkflow.run, workflow_id, approval)]
        # Only a request the approval returned waits for a new round; a request created
        # by this start is at round 1 already.
        if request is not None and request.status == ApprovalStatus.RETURNED:
            again = ResubmitInput(request.round + 1, event.submitted_by, milestone.owner_opd)
            commands.append(Signal(workflow_id, ApprovalWorkflow.resubmitted, again))
        return commands

    def _latest_attempt(self, subject_id: str) -> tuple[int, ApprovalState | None]:
        """The milestone report's latest approval request and its attempt (1, None: none yet)."""
        attempts = self.approvals.attempts(SubjectKind.MILESTONE_REPORT, subject_id)
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
        city = self._program_city(program.id)
        route = default_route(
            SubjectKind.MILESTONE_REPORT,
            has_budget=any(amount > 0 for amount in program.budgets.values()),
            quick_win=program.quick_win,
        )
        return ApprovalInput(
            request_id=request_id,
            subject_kind=SubjectKind.MILESTONE_REPORT,
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
    workflow_id = deadline_workflow_id(given.kind, given.subject_id)
    return Start(DeadlineWorkflow.run, workflow_id, given)


def deadline_input(
    kind: str, subject_id: str, owner_opd: str, due: date, city_code: str, title: str
) -> DeadlineInput:
    """What the deadline workflow of a subject is started with."""
    return DeadlineInput(kind, subject_id, owner_opd, due.isoformat(), city_code, title=title)
