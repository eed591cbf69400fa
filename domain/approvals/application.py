"""The approvals application service: request, open, decide, remind, escalate, resubmit."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from domain.approvals import rules
from domain.approvals.errors import InvalidRouteError
from domain.approvals.request import ApprovalRequest, StepState
from domain.approvals.values import ApprovalState, Ballot, Holder, StepSpec, StepView, SubjectKind
from domain.shared import SYSTEM, Actor, JejakApplication, NotFoundError, ValidationError


def step_view(state: StepState) -> StepView:
    """A frozen copy of one step's state."""
    return StepView(
        spec=state.spec,
        assigned_opds=tuple(state.assigned_opds),
        opened_at=state.opened_at,
        due_at=state.due_at,
        decisions=tuple(state.decisions),
        reminders=tuple(state.reminders),
        escalation_level=state.escalation_level,
        outcome=state.outcome,
        is_open=state.is_open,
        escalation_reason=state.escalation_reason,
    )


def approval_state(request: ApprovalRequest) -> ApprovalState:
    """A frozen copy of a request's state."""
    return ApprovalState(
        request_id=request.id,
        version=request.version,
        subject_kind=request.subject_kind,
        subject_id=request.subject_id,
        title=request.title,
        owner_opd=request.owner_opd,
        submitted_by=request.submitted_by,
        status=request.status,
        round=request.round,
        current_step=request.current_step if request.current is not None else None,
        steps=tuple(step_view(s) for s in request.steps),
        attempt=request.attempt,
        previous_request_id=request.previous_request_id,
    )


class ApprovalsApplication(JejakApplication):
    """Approval requests routed through OPD heads."""

    name = "jejak.approvals"

    def request_approval(
        self,
        subject_kind: str,
        subject_id: str,
        title: str,
        owner_opd: str,
        submitted_by: str,
        route: Sequence[StepSpec],
        by: Actor,
        attempt: int = 1,
    ) -> tuple[uuid.UUID, int | None]:
        """Create a request for a subject's ``attempt``-th submission; its id and log position.

        A later attempt follows the closed request of the one before, and says so.
        """
        if subject_kind not in set(SubjectKind):
            raise ValidationError("subject_kind", f"'{subject_kind}' cannot be sent for approval.")
        found = rules.route_refusal(route)
        if found:
            raise InvalidRouteError(found.message)
        request = ApprovalRequest.requested(
            attempt,
            subject_kind=subject_kind,
            subject_id=subject_id,
            title=title,
            owner_opd=owner_opd,
            submitted_by=submitted_by,
            route=[s.as_dict() for s in route],
            **by.attribution(),
        )
        if attempt > 1:
            previous = ApprovalRequest.attempt_id(subject_kind, subject_id, attempt - 1)
            request.follow(str(previous), attempt, **by.attribution())
        position = self.save_new(request, what=f"An approval request for {subject_id}")
        return request.id, position

    def get_request(self, request_id: uuid.UUID) -> ApprovalRequest:
        """The approval request, or ``NotFoundError``."""
        return self.get(request_id, ApprovalRequest, "The approval request")

    def find(self, request_id: uuid.UUID) -> ApprovalState | None:
        """The state of the approval now, or None when no such request was made."""
        try:
            return self.snapshot(request_id)
        except NotFoundError:
            return None

    def attempts(self, subject_kind: str, subject_id: str) -> list[ApprovalState]:
        """Every approval request of a subject, first submission first."""
        found: list[ApprovalState] = []
        while (
            state := self.find(ApprovalRequest.attempt_id(subject_kind, subject_id, len(found) + 1))
        ) is not None:
            found.append(state)
        return found

    def snapshot(self, request_id: uuid.UUID) -> ApprovalState:
        """The state of the approval now, in plain values."""
        return approval_state(self.get_request(request_id))

    def open_step(
        self,
        request_id: uuid.UUID,
        step_index: int,
        due_at: datetime,
        by: Actor = SYSTEM,
        holders: Mapping[str, Sequence[Holder]] | None = None,
    ) -> int | None:
        """Open a step; None when it was already open (nothing recorded).

        ``holders`` (who is in office for each OPD of the step) lets the step go to the
        Sekda in the same save when none of them may decide it.
        """
        request = self.get_request(request_id)
        if not request.open_step(step_index, due_at, **by.attribution()):
            return None
        if holders:
            request.escalate_if_nobody_may_decide(step_index, holders, **by.attribution())
        return self.save_changes(request)

    def decide(
        self,
        request_id: uuid.UUID,
        ballot: Ballot,
        comment: str,
        by: Actor,
        workflow_id: str | None = None,
        run_id: str | None = None,
        step_index: int | None = None,
    ) -> tuple[bool, int | None]:
        """Record a decision; (False, None) when this decision id was already recorded."""
        request = self.get_request(request_id)
        recorded = request.decide(
            ballot, comment, workflow_id, run_id, step_index, **by.attribution()
        )
        return recorded, self.save_changes(request) if recorded else None

    def record_reminder(
        self, request_id: uuid.UUID, step_index: int, label: str, by: Actor = SYSTEM
    ) -> int | None:
        """Note a reminder; None when it was already noted."""
        request = self.get_request(request_id)
        return self.run_once(
            request, request.record_reminder, step_index, label, **by.attribution()
        )

    def escalate(
        self, request_id: uuid.UUID, step_index: int, level: int, by: Actor = SYSTEM
    ) -> int | None:
        """Escalate a late step; None when it was already escalated that far."""
        request = self.get_request(request_id)
        return self.run_once(request, request.escalate, step_index, level, **by.attribution())

    def escalate_deadlock(
        self, request_id: uuid.UUID, step_index: int, reason: str, by: Actor = SYSTEM
    ) -> int | None:
        """Send a step nobody may decide up the ladder at once; None when already done."""
        request = self.get_request(request_id)
        return self.run_once(
            request, request.escalate_deadlock, step_index, reason, **by.attribution()
        )

    def reassign(
        self,
        request_id: uuid.UUID,
        step_index: int,
        from_opd: str,
        to_opd: str,
        reason: str,
        by: Actor,
    ) -> int | None:
        """Hand an OPD's share of a step to another OPD."""
        request = self.get_request(request_id)
        return self.run(
            request, request.reassign, step_index, from_opd, to_opd, reason, **by.attribution()
        )

    def resubmit(self, request_id: uuid.UUID, by: Actor, by_opd: str | None = None) -> int | None:
        """Start a new round after a return; by the submitter, or for the owner OPD."""
        request = self.get_request(request_id)
        return self.run(request, request.resubmit, by.actor_id, by_opd, **by.attribution())

    def withdraw(self, request_id: uuid.UUID, reason: str, by: Actor) -> int | None:
        """Withdraw the request."""
        request = self.get_request(request_id)
        return self.run(request, request.withdraw, reason, **by.attribution())
