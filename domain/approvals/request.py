"""An approval request: a subject routed through steps of OPD heads, round after round.

Each command asks ``rules`` first (the same rules the workflow and the API ask) and raises
the refusal's error; what happens is an event of ``events``, which applies itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.approvals import events, rules
from domain.approvals.errors import StepClosedError, error_for
from domain.approvals.values import (
    ESCALATION_LEVELS,
    ApprovalStatus,
    Ballot,
    Decided,
    Holder,
    Refusal,
    StepSpec,
)
from domain.shared import JejakAggregate, ValidationError, natural_id


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


def refuse(found: Refusal | None) -> None:
    """Raise the error of a refusal the rules gave; nothing when they gave none."""
    if found is not None:
        raise error_for(found)


class ApprovalRequest(JejakAggregate):
    """A subject routed through steps of OPD decisions until approved, rejected or withdrawn."""

    TOPIC = events.TOPIC

    class Event(JejakAggregate.Event):
        """Base of this aggregate's events."""

    class Created(Event, JejakAggregate.Created):
        """Base of the creation event (the request itself is ``Requested``)."""

        TOPIC = f"{events.TOPIC}.Created"

    PreviousRequestLinked = events.PreviousRequestLinked
    StepOpened = events.StepOpened
    DecisionRecorded = events.DecisionRecorded
    StepCompleted = events.StepCompleted
    Approved = events.Approved
    Rejected = events.Rejected
    ReturnedForRevision = events.ReturnedForRevision
    Resubmitted = events.Resubmitted
    StepReassigned = events.StepReassigned
    ReminderSent = events.ReminderSent
    StepEscalated = events.StepEscalated
    NobodyMayDecide = events.NobodyMayDecide
    Withdrawn = events.Withdrawn

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

    @event("Requested", topic=f"{events.TOPIC}.Requested")
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
        self.round, self.status = 0, ApprovalStatus.IN_PROGRESS
        self.decision_ids: set[str] = set()
        self.previous_request_id: str | None = None
        self.attempt = 1
        self.restart()

    def follow(self, previous_request_id: str, attempt: int, **by: Any) -> None:
        """Link this request to the closed request of the subject's previous submission."""
        self.trigger_event(
            self.PreviousRequestLinked,
            previous_request_id=previous_request_id,
            attempt=attempt,
            **by,
        )

    def restart(self) -> None:
        """A new round from step 0 (when made, and when resubmitted)."""
        self.round += 1
        self.status, self.current_step = ApprovalStatus.IN_PROGRESS, 0
        self.steps = [StepState(s, list(s.opd_codes)) for s in self.route]

    @property
    def current(self) -> StepState | None:
        """The step in progress (or next to open), None once the round is over."""
        if rules.current(self) is None:
            return None
        return self.steps[self.current_step]

    def step(self, step_index: int) -> StepState:
        """The state of one step of the current round."""
        if not 0 <= step_index < len(self.steps):
            raise ValidationError("step_index", f"There is no step {step_index} in this route.")
        return self.steps[step_index]

    def open_step(self, step_index: int, due_at: datetime, **by: Any) -> bool:
        """Open the current step; False when it is already open (a retried call)."""
        refuse(rules.closed_refusal(self.status))
        state = self.step(step_index)
        if step_index != self.current_step or state.outcome is not None:
            raise StepClosedError(f"Step {step_index} is not the step to open now.")
        if state.opened_at is not None:
            return False
        self.trigger_event(
            self.StepOpened, step_index=step_index, due_at=due_at, round=self.round, **by
        )
        return True

    def decide(
        self,
        ballot: Ballot,
        comment: str,
        workflow_id: str | None = None,
        run_id: str | None = None,
        step_index: int | None = None,
        **by: Any,
    ) -> bool:
        """Record a decision on the open step; False when this decision id was already recorded.

        ``step_index``, when given, guards against a ballot meant for an earlier step.
        """
        if ballot.decision_id in self.decision_ids:
            return False
        refuse(rules.decision_refusal(self, ballot, step_index))
        index = self.current_step
        self.trigger_event(
            self.DecisionRecorded,
            decision_id=ballot.decision_id,
            step_index=index,
            person_nip=ballot.person_nip,
            opd_code=ballot.opd_code,
            person_capacity=ballot.capacity,
            outcome=ballot.outcome,
            comment=comment,
            workflow_id=workflow_id,
            run_id=run_id,
            **by,
        )
        self._settle(index, by)
        return True

    def _settle(self, index: int, by: dict[str, Any]) -> None:
        """Complete the step once its outcome is known, and end the round when it must."""
        state = self.steps[index]
        result = rules.outcome(state.spec, state.decisions)
        if result is None:
            return
        self.trigger_event(self.StepCompleted, step_index=index, outcome=str(result), **by)
        ended = {"round": self.round, "step_index": index, **by}
        if result == ApprovalStatus.RETURNED:
            self.trigger_event(self.ReturnedForRevision, **ended)
        elif result == ApprovalStatus.REJECTED:
            self.trigger_event(self.Rejected, **ended)
        elif index == len(self.steps) - 1:
            self.trigger_event(self.Approved, round=self.round, **by)

    def resubmit(self, by_nip: str, by_opd: str | None = None, **by: Any) -> None:
        """Start a new round from step 0 after the request was returned for revision."""
        refuse(rules.resubmit_refusal(self, by_nip, by_opd))
        self.trigger_event(self.Resubmitted, round=self.round + 1, **by)

    def reassign(self, step_index: int, from_opd: str, to_opd: str, reason: str, **by: Any) -> None:
        """Hand an OPD's share of a step not yet completed to another OPD."""
        refuse(rules.reassign_refusal(self, step_index, from_opd, to_opd))
        self.trigger_event(
            self.StepReassigned,
            step_index=step_index,
            from_opd=from_opd,
            to_opd=to_opd,
            reason=reason,
            **by,
        )

    def record_reminder(self, step_index: int, label: str, **by: Any) -> bool:
        """Note a reminder sent for the open step; False when already noted this round."""
        if label in self.step(step_index).reminders:
            return False
        self._ensure_open(step_index)
        self.trigger_event(
            self.ReminderSent, step_index=step_index, label=label, round=self.round, **by
        )
        return True

    def escalate(self, step_index: int, level: int, **by: Any) -> bool:
        """Escalate the open step (1: Sekda, 2: Inspektorat); False when already that high."""
        if level not in ESCALATION_LEVELS:
            raise ValidationError("level", "Escalation goes to level 1 (Sekda) or 2 (Inspektorat).")
        if level <= self.step(step_index).escalation_level:
            return False
        self._ensure_open(step_index)
        self._escalated(step_index, level, by)
        return True

    def _escalated(self, step_index: int, level: int, by: dict[str, Any]) -> None:
        self.trigger_event(
            self.StepEscalated, step_index=step_index, level=level, round=self.round, **by
        )

    def escalate_deadlock(self, step_index: int, reason: str, **by: Any) -> bool:
        """Send a step nobody at its level may decide one level up the ladder, at once.

        False when the step already went up for this reason, or is at the top already.
        """
        self._ensure_open(step_index)
        state = self.steps[step_index]
        level = state.escalation_level + 1
        if state.escalation_reason is not None or level not in ESCALATION_LEVELS:
            return False
        self.trigger_event(
            self.NobodyMayDecide,
            step_index=step_index,
            level=level,
            reason=reason,
            round=self.round,
            **by,
        )
        self._escalated(step_index, level, by)
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

    def _ensure_open(self, step_index: int) -> None:
        refuse(rules.closed_refusal(self.status))
        if step_index != self.current_step or not self.steps[step_index].is_open:
            raise StepClosedError(f"Step {step_index} is not open.")

    def withdraw(self, reason: str, **by: Any) -> None:
        """Withdraw the request; nothing more can be decided."""
        refuse(rules.withdraw_refusal(self.status))
        self.trigger_event(self.Withdrawn, reason=reason, **by)
