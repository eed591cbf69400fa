"""An approval request: a subject routed through steps of OPD heads, round after round."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.approvals import rules
from domain.approvals.errors import (
    REFUSALS,
    ActingRestrictedError,
    AlreadyDecidedError,
    FourEyesError,
    InvalidRouteError,
    NotHeadError,
    NotSubmitterError,
    RequestClosedError,
    StepClosedError,
    UnknownOutcomeError,
    WrongOpdError,
)
from domain.approvals.rules import Ballot, Decided, Holder, StepSpec
from domain.shared import (
    JejakAggregate,
    NotEntitledError,
    ValidationError,
    natural_id,
)

#: The errors live in ``errors``; they are named here too, where callers have always found them.
__all__ = [
    "ESCALATION_LEVELS",
    "IN_PROGRESS",
    "REFUSALS",
    "SUBJECT_KINDS",
    "WITHDRAWN",
    "ActingRestrictedError",
    "AlreadyDecidedError",
    "ApprovalRequest",
    "FourEyesError",
    "InvalidRouteError",
    "NotHeadError",
    "NotSubmitterError",
    "RequestClosedError",
    "StepClosedError",
    "StepState",
    "UnknownOutcomeError",
    "WrongOpdError",
]

SUBJECT_KINDS = frozenset(
    {"milestone-report", "deliverable", "plan-revision", "commitment-closure"}
)
IN_PROGRESS, WITHDRAWN = "in-progress", "withdrawn"
ESCALATION_LEVELS = frozenset({1, 2})  # 1: to the Sekda, 2: to the Inspektorat


@dataclass
class StepState:
    """Where one step of the current round stands."""

    spec: StepSpec
    assigned_opds: list[str]
    opened_at: datetime | None = None
    due_at: datetime | None = None
    decisions: list[Decided] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    escalation_level: int = 0
    outcome: str | None = None
    #: Why the step went up the ladder at once: nobody at OPD level may decide it.
    escalation_reason: str | None = None

    @property
    def is_open(self) -> bool:
        """True when decisions may be recorded."""
        return self.opened_at is not None and self.outcome is None


class ApprovalRequest(JejakAggregate):
    """A subject routed through steps of OPD decisions until approved, rejected or withdrawn."""

    TOPIC = "jejak.approvals:ApprovalRequest"

    class Event(JejakAggregate.Event):
        """Base of this aggregate's events."""

    class Created(Event, JejakAggregate.Created):
        """Base of the creation event (the request itself is ``Requested``)."""

        TOPIC = "jejak.approvals:ApprovalRequest.Created"

    class DecisionRecorded(Event):
        """A decision was recorded on a step (v2 adds the carrying workflow and run)."""

        TOPIC = "jejak.approvals:ApprovalRequest.DecisionRecorded"
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

    @staticmethod
    def create_id(subject_kind: str, subject_id: str) -> uuid.UUID:
        """The first approval request of a subject."""
        return natural_id("approval", subject_kind, subject_id)

    @staticmethod
    def attempt_id(subject_kind: str, subject_id: str, attempt: int) -> uuid.UUID:
        """The request of a subject's ``attempt``-th submission (1: the ``create_id``)."""
        if attempt <= 1:
            return ApprovalRequest.create_id(subject_kind, subject_id)
        return natural_id("approval", subject_kind, subject_id, f"attempt-{attempt}")

    @classmethod
    def requested(cls, attempt: int, **fields: Any) -> ApprovalRequest:
        """A new request for a subject's ``attempt``-th submission (the fields of ``__init__``)."""
        request_id = cls.attempt_id(fields["subject_kind"], fields["subject_id"], attempt)
        created = cls.__dict__["Requested"]  # the event class the decorated __init__ defines
        return cls._create(created, id=request_id, **fields)

    @event("Requested", topic="jejak.approvals:ApprovalRequest.Requested")
    def __init__(
        self,
        subject_kind: str,
        subject_id: str,
        title: str,
        owner_opd: str,
        submitted_by: str,
        route: list[dict[str, Any]],
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.subject_kind, self.subject_id, self.title = subject_kind, subject_id, title
        self.owner_opd, self.submitted_by = owner_opd, submitted_by
        self.route = [StepSpec.from_dict(s) for s in route]
        self.round, self.status = 0, IN_PROGRESS
        self.decision_ids: set[str] = set()
        self.previous_request_id: str | None = None
        self.attempt = 1
        self._restart()

    def follow(self, previous_request_id: str, attempt: int, **by: Any) -> None:
        """Link this request to the closed request of the subject's previous submission."""
        self._previous_linked(previous_request_id=previous_request_id, attempt=attempt, **by)

    @event("PreviousRequestLinked", topic="jejak.approvals:ApprovalRequest.PreviousRequestLinked")
    def _previous_linked(
        self,
        previous_request_id: str,
        attempt: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.previous_request_id, self.attempt = previous_request_id, attempt

    def _restart(self) -> None:
        self.round += 1
        self.status, self.current_step = IN_PROGRESS, 0
        self.steps = [StepState(s, list(s.opd_codes)) for s in self.route]

    @property
    def current(self) -> StepState | None:
        """The step in progress (or next to open), None once the round is over."""
        if self.status != IN_PROGRESS or self.current_step >= len(self.steps):
            return None
        return self.steps[self.current_step]

    def step(self, step_index: int) -> StepState:
        """The state of one step of the current round."""
        if not 0 <= step_index < len(self.steps):
            raise ValidationError("step_index", f"There is no step {step_index} in this route.")
        return self.steps[step_index]

    def ensure_in_progress(self) -> None:
        """Refuse when the request is closed (approved, rejected, returned, withdrawn)."""
        if self.status != IN_PROGRESS:
            raise RequestClosedError(f"This approval request is {self.status}.")

    def open_step(
        self,
        step_index: int,
        due_at: datetime,
        *,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> bool:
        """Open the current step; False when it is already open (a retried call)."""
        self.ensure_in_progress()
        state = self.step(step_index)
        if step_index != self.current_step or state.outcome is not None:
            raise StepClosedError(f"Step {step_index} is not the step to open now.")
        if state.opened_at is not None:
            return False
        self._step_opened(
            step_index=step_index,
            due_at=due_at,
            round=self.round,
            actor=actor,
            capacity=capacity,
            effective_at=effective_at,
        )
        return True

    @event("StepOpened", topic="jejak.approvals:ApprovalRequest.StepOpened")
    def _step_opened(
        self,
        step_index: int,
        due_at: datetime,
        round: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.steps[step_index].opened_at = effective_at
        self.steps[step_index].due_at = due_at

    def decide(
        self,
        ballot: Ballot,
        comment: str,
        workflow_id: str | None = None,
        run_id: str | None = None,
        step_index: int | None = None,
        *,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> bool:
        """Record a decision on the open step; False when this decision id was already recorded.

        ``step_index``, when given, guards against a ballot meant for an earlier step.
        """
        if ballot.decision_id in self.decision_ids:
            return False
        state = self.current
        if state is None:
            raise RequestClosedError(f"This approval request is {self.status}.")
        is_open = state.is_open and step_index in (None, self.current_step)
        found = rules.refusal(
            state.spec,
            is_open,
            tuple(state.assigned_opds),
            tuple(state.decisions),
            self.submitted_by,
            ballot,
            escalated=state.escalation_level >= 1,
        )
        if found:
            raise REFUSALS.get(found.code, NotEntitledError)(found.message)
        by: dict[str, Any] = {"actor": actor, "capacity": capacity, "effective_at": effective_at}
        self._decision_recorded(
            decision_id=ballot.decision_id,
            step_index=self.current_step,
            person_nip=ballot.person_nip,
            opd_code=ballot.opd_code,
            person_capacity=ballot.capacity,
            outcome=ballot.outcome,
            comment=comment,
            workflow_id=workflow_id,
            run_id=run_id,
            **by,
        )
        self._settle(state, by)
        return True

    @event(DecisionRecorded)
    def _decision_recorded(
        self,
        decision_id: str,
        step_index: int,
        person_nip: str,
        opd_code: str,
        person_capacity: str,
        outcome: str,
        comment: str,
        workflow_id: str | None,
        run_id: str | None,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        decided = Decided(decision_id, person_nip, opd_code, person_capacity, outcome, comment)
        self.steps[step_index].decisions.append(decided)
        self.decision_ids.add(decision_id)

    def _settle(self, state: StepState, by: dict[str, Any]) -> None:
        """Complete the step once its outcome is known, and end the round when it must."""
        result = rules.outcome(state.spec, state.decisions)
        if result is None:
            return
        index = self.current_step
        self._step_completed(step_index=index, outcome=result, **by)
        if result == rules.RETURNED:
            self._returned(round=self.round, step_index=index, **by)
        elif result == rules.REJECTED:
            self._rejected(round=self.round, step_index=index, **by)
        elif index == len(self.steps) - 1:
            self._approved(round=self.round, **by)

    @event("StepCompleted", topic="jejak.approvals:ApprovalRequest.StepCompleted")
    def _step_completed(
        self, step_index: int, outcome: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.steps[step_index].outcome = outcome
        self.current_step = step_index + 1

    @event("Approved", topic="jejak.approvals:ApprovalRequest.Approved")
    def _approved(self, round: int, actor: str, capacity: str, effective_at: datetime) -> None:
        self.status = rules.APPROVED

    @event("Rejected", topic="jejak.approvals:ApprovalRequest.Rejected")
    def _rejected(
        self, round: int, step_index: int, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.status = rules.REJECTED

    @event("ReturnedForRevision", topic="jejak.approvals:ApprovalRequest.ReturnedForRevision")
    def _returned(
        self, round: int, step_index: int, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.status = rules.RETURNED

    def resubmit(
        self,
        by_nip: str,
        by_opd: str | None = None,
        *,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        """Start a new round from step 0 after the request was returned for revision."""
        if self.status != rules.RETURNED:
            raise RequestClosedError(
                f"Only a returned request can be resubmitted; it is {self.status}."
            )
        if by_nip != self.submitted_by and by_opd != self.owner_opd:
            raise NotSubmitterError("Only the submitter or the owner OPD may resubmit.")
        self._resubmitted(
            round=self.round + 1, actor=actor, capacity=capacity, effective_at=effective_at
        )

    @event("Resubmitted", topic="jejak.approvals:ApprovalRequest.Resubmitted")
    def _resubmitted(self, round: int, actor: str, capacity: str, effective_at: datetime) -> None:
        self._restart()

    def reassign(
        self,
        step_index: int,
        from_opd: str,
        to_opd: str,
        reason: str,
        *,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        """Hand an OPD's share of a step not yet completed to another OPD."""
        self.ensure_in_progress()
        state = self.step(step_index)
        if step_index < self.current_step:
            raise StepClosedError(f"Step {step_index} is already completed.")
        if from_opd not in state.assigned_opds:
            raise ValidationError("from_opd", f"OPD {from_opd} is not asked to decide this step.")
        if to_opd in state.assigned_opds:
            raise ValidationError("to_opd", f"OPD {to_opd} is already asked to decide this step.")
        if any(d.opd_code == from_opd for d in state.decisions):
            raise AlreadyDecidedError(f"OPD {from_opd} has already decided this step.")
        self._step_reassigned(
            step_index=step_index,
            from_opd=from_opd,
            to_opd=to_opd,
            reason=reason,
            actor=actor,
            capacity=capacity,
            effective_at=effective_at,
        )

    @event("StepReassigned", topic="jejak.approvals:ApprovalRequest.StepReassigned")
    def _step_reassigned(
        self,
        step_index: int,
        from_opd: str,
        to_opd: str,
        reason: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        opds = self.steps[step_index].assigned_opds
        opds[opds.index(from_opd)] = to_opd

    def record_reminder(
        self, step_index: int, label: str, *, actor: str, capacity: str, effective_at: datetime
    ) -> bool:
        """Note a reminder sent for the open step; False when already noted this round."""
        if label in self.step(step_index).reminders:
            return False
        self._ensure_open(step_index)
        self._reminder_sent(
            step_index=step_index,
            label=label,
            round=self.round,
            actor=actor,
            capacity=capacity,
            effective_at=effective_at,
        )
        return True

    @event("ReminderSent", topic="jejak.approvals:ApprovalRequest.ReminderSent")
    def _reminder_sent(
        self,
        step_index: int,
        label: str,
        round: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.steps[step_index].reminders.append(label)

    def escalate(
        self, step_index: int, level: int, *, actor: str, capacity: str, effective_at: datetime
    ) -> bool:
        """Escalate the open step (1: Sekda, 2: Inspektorat); False when already that high."""
        if level not in ESCALATION_LEVELS:
            raise ValidationError("level", "Escalation goes to level 1 (Sekda) or 2 (Inspektorat).")
        if level <= self.step(step_index).escalation_level:
            return False
        self._ensure_open(step_index)
        self._step_escalated(
            step_index=step_index,
            level=level,
            round=self.round,
            actor=actor,
            capacity=capacity,
            effective_at=effective_at,
        )
        return True

    @event("StepEscalated", topic="jejak.approvals:ApprovalRequest.StepEscalated")
    def _step_escalated(
        self,
        step_index: int,
        level: int,
        round: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.steps[step_index].escalation_level = level

    def escalate_deadlock(
        self, step_index: int, reason: str, *, actor: str, capacity: str, effective_at: datetime
    ) -> bool:
        """Send a step nobody at its level may decide one level up the ladder, at once.

        False when the step already went up for this reason, or is at the top already.
        """
        self._ensure_open(step_index)
        state = self.steps[step_index]
        level = state.escalation_level + 1
        if state.escalation_reason is not None or level not in ESCALATION_LEVELS:
            return False
        by: dict[str, Any] = {"actor": actor, "capacity": capacity, "effective_at": effective_at}
        self._nobody_may_decide(
            step_index=step_index, level=level, reason=reason, round=self.round, **by
        )
        self._step_escalated(step_index=step_index, level=level, round=self.round, **by)
        return True

    def escalate_if_nobody_may_decide(
        self, step_index: int, holders: Mapping[str, Sequence[Holder]], **by: Any
    ) -> str | None:
        """Escalate the open step at once when none of ``holders`` may decide it; the reason."""
        state = self.steps[step_index]
        reason = rules.deadlock_reason(state.spec, state.assigned_opds, holders, self.submitted_by)
        if reason is None or not self.escalate_deadlock(step_index, reason, **by):
            return None
        return reason

    @event("NobodyMayDecide", topic="jejak.approvals:ApprovalRequest.NobodyMayDecide")
    def _nobody_may_decide(
        self,
        step_index: int,
        level: int,
        reason: str,
        round: int,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.steps[step_index].escalation_reason = reason

    def _ensure_open(self, step_index: int) -> None:
        self.ensure_in_progress()
        if step_index != self.current_step or not self.steps[step_index].is_open:
            raise StepClosedError(f"Step {step_index} is not open.")

    def withdraw(self, reason: str, *, actor: str, capacity: str, effective_at: datetime) -> None:
        """Withdraw the request; nothing more can be decided."""
        if self.status not in (IN_PROGRESS, rules.RETURNED):
            raise RequestClosedError(f"This approval request is already {self.status}.")
        self._withdrawn(reason=reason, actor=actor, capacity=capacity, effective_at=effective_at)

    @event("Withdrawn", topic="jejak.approvals:ApprovalRequest.Withdrawn")
    def _withdrawn(self, reason: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.status = WITHDRAWN
