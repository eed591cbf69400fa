"""The approval workflow's only door to the event store: idempotent steps over the domain.

Every activity may run twice (a worker dies after writing, before reporting): each one
checks what is already recorded and records nothing the second time. Domain refusals that
a retry cannot cure become non-retryable errors whose type is the refusal's code.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any, TypeVar

import structlog
from temporalio import activity

from domain.approvals.application import ApprovalsApplication
from domain.approvals.request import ApprovalRequest
from domain.approvals.values import (
    ROUND_OUTCOMES,
    ApprovalState,
    ApprovalStatus,
    Decided,
    Holder,
    StepSpec,
    StepView,
)
from domain.bimtek.application import BimtekApplication
from domain.calendar import JAKARTA, CalendarApplication, local_day
from domain.organisation.application import OrganisationApplication
from domain.plan.application import PlanApplication
from domain.shared import Actor, AlreadyExistsError, Capacity, ValidationError
from domain.values import SubjectRef
from infra.store import EventStore
from workflows import schedule
from workflows.approval import state as check
from workflows.approval.deciders import holders_on
from workflows.approval.inputs import (
    AlertInput,
    ApplyOutcomeInput,
    EnsureRequestInput,
    NotNeeded,
    OpenedStep,
    OpenStepInput,
    ReassignStepInput,
    RecordDecisionInput,
    ResubmitRequestInput,
    WithdrawRequestInput,
)
from workflows.approval.subjects import NOT_APPLICABLE, ApprovalSubjects, Outcome
from workflows.common import AlertKind, activity_boundary, system_at

log = structlog.get_logger("jejak.workflows.approval")
T = TypeVar("T")


class ApprovalActivities:
    """The approval activities, handed the application services they write through."""

    def __init__(
        self,
        approvals: ApprovalsApplication,
        calendar: CalendarApplication,
        subjects: ApprovalSubjects,
        organisation: OrganisationApplication | None = None,
    ) -> None:
        self.approvals = approvals
        self.calendar = calendar
        self.subjects = subjects
        #: Who is in office, to send a step nobody may decide up the ladder (None: never).
        self.organisation = organisation

    @classmethod
    def over(cls, store: EventStore) -> ApprovalActivities:
        """The activities over the application services of ``store``."""
        subjects = ApprovalSubjects(store.app(PlanApplication), store.app(BimtekApplication))
        return cls(
            store.app(ApprovalsApplication),
            store.app(CalendarApplication),
            subjects,
            store.app(OrganisationApplication),
        )

    def all(self) -> list[Callable[..., Any]]:
        """The bound activity methods, for the worker."""
        return [
            self.ensure_request,
            self.open_step,
            self.record_decision,
            self.record_reminder,
            self.escalate,
            self.reassign,
            self.resubmit,
            self.withdraw,
            self.apply_outcome,
        ]

    def _snapshot(self, request_id: str) -> ApprovalState:
        return self.approvals.snapshot(uuid.UUID(request_id))

    @activity.defn(name="approval.ensure_request")
    def ensure_request(self, given: EnsureRequestInput) -> ApprovalState | NotNeeded:
        """Create the approval request; an existing one is fine (a retry, or a restart).

        A subject that no longer waits for a decision (a milestone approved or returned
        directly, years ago) gets no request: the answer is ``NotNeeded``.
        """
        with activity_boundary():
            a = given.approval
            expected = ApprovalRequest.attempt_id(a.subject_kind, a.subject_id, a.attempt)
            if str(expected) != a.request_id:
                raise ValidationError("request_id", "The request id does not match its subject.")
            exists = self.approvals.find(uuid.UUID(a.request_id)) is not None
            if (
                not exists
                and self.subjects.awaiting(SubjectRef(a.subject_kind, a.subject_id)) is False
            ):
                log.info("subject decided already; no approval request", subject_id=a.subject_id)
                return NotNeeded()
            route = [StepSpec.from_dict(s) for s in a.route]
            by = Actor(a.submitted_by, Capacity.STAFF, given.effective_at)
            try:
                self.approvals.request_approval(
                    a.subject_kind,
                    a.subject_id,
                    a.title,
                    a.owner_opd,
                    a.submitted_by,
                    route,
                    by,
                    attempt=a.attempt,
                )
            except AlreadyExistsError:
                log.info("approval request already recorded")
            return self._snapshot(a.request_id)

    @activity.defn(name="approval.open_step")
    def open_step(self, given: OpenStepInput) -> OpenedStep:
        """Open the step (once), and compute its due time and alerts from the city's calendar."""
        with activity_boundary():
            request_id = uuid.UUID(given.request_id)
            calendar = self.calendar.calendar_for(given.city_code)
            step = self.approvals.snapshot(request_id).steps[given.step_index]
            if step.opened_at is not None and step.due_at is not None:
                opened_on, due_at = local_day(step.opened_at), step.due_at
            else:
                opened_on = self._opening_day(given)
                due_at = calendar.due_at(opened_on, step.spec.sla_working_days)
                opened_at = datetime.combine(opened_on, schedule.OFFICE_OPENS, tzinfo=JAKARTA)
                moment = opened_at if given.opened_on else given.effective_at
                holders = self._holders(step.assigned_opds, opened_on)
                self.approvals.open_step(
                    request_id, given.step_index, due_at, system_at(moment), holders
                )
            due_on = local_day(due_at)
            alerts = schedule.alerts(
                calendar,
                opened_on,
                due_on,
                given.reminder_offsets,
                given.escalation_level2_after,
            )
            return OpenedStep(self._snapshot(given.request_id), due_at, alerts)

    def _holders(self, opd_codes: tuple[str, ...], day: date) -> dict[str, list[Holder]]:
        """Who is in office for these OPDs on the opening day (none known: no organisation)."""
        if self.organisation is None:
            return {}
        return holders_on(self.organisation, opd_codes, day)

    @staticmethod
    def _opening_day(given: OpenStepInput) -> date:
        if given.opened_on:
            return date.fromisoformat(given.opened_on)
        return local_day(given.effective_at)

    @activity.defn(name="approval.record_decision")
    def record_decision(self, given: RecordDecisionInput) -> ApprovalState:
        """Record a decision once (its id is the idempotency key); returns the new state."""
        with activity_boundary():
            d = given.decision
            by = Actor(d.person_nip, d.capacity, given.effective_at)
            with structlog.contextvars.bound_contextvars(decision_id=d.decision_id):
                recorded, _ = self.approvals.decide(
                    uuid.UUID(given.request_id),
                    check.ballot(d),
                    d.comment,
                    by,
                    workflow_id=given.workflow_id,
                    run_id=given.run_id,
                    step_index=given.step_index,
                )
                log.info("decision", recorded=recorded, outcome=d.outcome)
            return self._snapshot(given.request_id)

    @activity.defn(name="approval.record_reminder")
    def record_reminder(self, given: AlertInput) -> bool:
        """Note a reminder of a step; False when it was already noted."""
        with activity_boundary():
            return self._noted(given, self.approvals.record_reminder, given.alert.label)

    @activity.defn(name="approval.escalate")
    def escalate(self, given: AlertInput) -> bool:
        """Escalate a late step to the alert's level; False when it was already that high."""
        with activity_boundary():
            if given.alert.kind != AlertKind.ESCALATION:
                raise ValidationError("kind", "Only an escalation alert escalates.")
            return self._noted(given, self.approvals.escalate, given.alert.level)

    @staticmethod
    def _noted(
        given: AlertInput, command: Callable[[uuid.UUID, int, T, Actor], int | None], value: T
    ) -> bool:
        """Record ``given``'s alert on its step in the system's name; False when it was noted."""
        request_id, at = uuid.UUID(given.request_id), system_at(given.alert.at)
        return command(request_id, given.step_index, value, at) is not None

    @activity.defn(name="approval.reassign")
    def reassign(self, given: ReassignStepInput) -> ApprovalState:
        """Record a reassignment, unless it is already recorded."""
        with activity_boundary():
            r = given.reassign
            step = self.approvals.snapshot(uuid.UUID(given.request_id)).steps[r.step_index]
            done = r.to_opd in step.assigned_opds and r.from_opd not in step.assigned_opds
            if not done:
                by = Actor(r.actor, r.capacity, given.effective_at)
                self.approvals.reassign(
                    uuid.UUID(given.request_id), r.step_index, r.from_opd, r.to_opd, r.reason, by
                )
            return self._snapshot(given.request_id)

    @activity.defn(name="approval.resubmit")
    def resubmit(self, given: ResubmitRequestInput) -> ApprovalState:
        """Record the resubmission for the given round, unless it is already recorded."""
        with activity_boundary():
            r = given.resubmit
            if self.approvals.snapshot(uuid.UUID(given.request_id)).round < r.round:
                by = Actor(r.by_nip, Capacity.STAFF, given.effective_at)
                self.approvals.resubmit(uuid.UUID(given.request_id), by, by_opd=r.by_opd)
            return self._snapshot(given.request_id)

    @activity.defn(name="approval.withdraw")
    def withdraw(self, given: WithdrawRequestInput) -> ApprovalState:
        """Record the withdrawal, unless the request is already withdrawn."""
        with activity_boundary():
            w = given.withdraw
            if (
                self.approvals.snapshot(uuid.UUID(given.request_id)).status
                != ApprovalStatus.WITHDRAWN
            ):
                by = Actor(w.actor, w.capacity, given.effective_at)
                self.approvals.withdraw(uuid.UUID(given.request_id), w.reason, by)
            return self._snapshot(given.request_id)

    @activity.defn(name="approval.apply_outcome")
    def apply_outcome(self, given: ApplyOutcomeInput) -> str:
        """Carry the round's outcome to its subject, once; in the name of the deciding head."""
        with activity_boundary():
            state = self.approvals.snapshot(uuid.UUID(given.request_id))
            decisive = deciding(state.steps)
            if state.status not in ROUND_OUTCOMES or decisive is None:
                return NOT_APPLICABLE
            by = Actor(decisive.person_nip, decisive.capacity, given.effective_at)
            outcome = Outcome(state.subject, state.status, decisive.comment, by)
            done = self.subjects.apply(outcome)
            log.info("outcome carried to the subject", outcome=state.status, result=done)
            return done


def deciding(steps: tuple[StepView, ...]) -> Decided | None:
    """The decision that completed the round: the last one on the last completed step."""
    completed = [s for s in steps if s.outcome is not None and s.decisions]
    return completed[-1].decisions[-1] if completed else None
