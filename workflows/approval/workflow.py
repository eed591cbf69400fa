"""ApprovalWorkflow: one approval request, step by step, with reminders and escalations.

Deterministic: the clock is ``workflow.now()``, waiting is a workflow timer, and every read
or write of the event store is an activity. The workflow keeps its own copy of the state
(each activity returns it) so update validators can apply the pure approval rules.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.approvals import rules
    from domain.approvals.values import ROUND_OUTCOMES, ApprovalState, ApprovalStatus, Refusal
    from workflows import search
    from workflows.approval import state as check
    from workflows.approval.activities import ApprovalActivities
    from workflows.approval.inputs import (
        AlertInput,
        ApplyOutcomeInput,
        ApprovalInput,
        DecideInput,
        EnsureRequestInput,
        OpenedStep,
        OpenStepInput,
        ReassignInput,
        ReassignStepInput,
        RecordDecisionInput,
        ResubmitInput,
        ResubmitRequestInput,
        WithdrawInput,
        WithdrawRequestInput,
    )
    from workflows.common import Alert, AlertKind, act, refused, reraised


@workflow.defn(name="ApprovalWorkflow")
class ApprovalWorkflow:
    """Routes one approval request through its steps until approved, rejected or withdrawn."""

    @workflow.init
    def __init__(self, approval: ApprovalInput) -> None:
        self._input = approval
        self._state: ApprovalState | None = None
        # One writer at a time: decisions, timers and reassignments are recorded in the
        # order the workflow sees them, each against the state the previous one left.
        self._lock = asyncio.Lock()
        self._in_flight: set[str] = set()
        self._decision_ids: set[str] = set()
        self._resubmission: ResubmitInput | None = None
        self._restarting = False
        #: The (round, outcome) last carried to the subject.
        self._applied: tuple[int, str] | None = None

    @workflow.run
    async def run(self, approval: ApprovalInput) -> str:
        """Run rounds until the request is approved, rejected or withdrawn.

        Each round's outcome is carried to the subject (the milestone approved, the
        deliverable returned, ...) before the workflow waits for anything else.
        """
        start = EnsureRequestInput(approval, workflow.info().start_time)
        found = await act(ApprovalActivities.ensure_request, start)
        if not isinstance(found, ApprovalState):
            # Decided before the workflow ran (history imported from paper): nothing to do.
            workflow.upsert_search_attributes([search.STATUS.value_set(check.NOT_NEEDED)])
            return check.NOT_NEEDED
        self._set(found)
        while (status := self._status()) in (ApprovalStatus.IN_PROGRESS, *ROUND_OUTCOMES):
            if status == ApprovalStatus.IN_PROGRESS:
                await self._run_round()
            elif self._applied != (self._round(), status):
                await self._apply_outcome()
            elif status == ApprovalStatus.RETURNED:
                await self._await_resubmission()
            else:
                break
        workflow.upsert_search_attributes([search.STATUS.value_set(self._status())])
        await workflow.wait_condition(workflow.all_handlers_finished)
        return self._status()

    async def _apply_outcome(self) -> None:
        """Carry the round's outcome to the subject (an idempotent activity)."""
        ended = (self._round(), self._status())
        given = ApplyOutcomeInput(self._input.request_id, workflow.now())
        try:
            await act(ApprovalActivities.apply_outcome, given)
        except ActivityError as error:
            workflow.logger.warning("outcome not carried to the subject: %s", error.cause)
        self._applied = ended

    def _settled(self) -> bool:
        """True once the next step is open, or the round's outcome reached the subject."""
        if check.is_opening(self._state):
            return False
        status = self._status()
        return status not in ROUND_OUTCOMES or self._applied == (self._round(), status)

    @workflow.query
    def state(self) -> ApprovalState | None:
        """The approval's state as the workflow last saw it."""
        return self._state

    def _status(self) -> str:
        return check.status_of(self._state)

    def _set(self, state: ApprovalState) -> ApprovalState:
        self._state = state
        self._decision_ids |= {d.decision_id for d in state.decided()}
        return state

    def _known(self) -> ApprovalState:
        """The state, once loaded (every update waits for it, or for a decision id in it)."""
        assert self._state is not None
        return self._state

    async def _run_round(self) -> None:
        while (index := self._known().current_step) is not None and (
            self._status() == ApprovalStatus.IN_PROGRESS
        ):
            await self._run_step(index)

    async def _run_step(self, index: int) -> None:
        async with self._lock:
            opened = await self._open(index)
            if opened is None:
                return
        self._publish(index, opened)
        for alert in opened.alerts:
            if not await self._still_waiting_at(alert, index):
                return
            await self._fire(index, alert)
        await workflow.wait_condition(lambda: not self._waiting(index))

    async def _open(self, index: int) -> OpenedStep | None:
        i = self._input
        opened_on = i.opened_on if index == 0 and self._round() == 1 else None
        given = OpenStepInput(
            i.request_id,
            index,
            i.city_code,
            i.reminder_offsets,
            i.escalation_level2_after,
            workflow.now(),
            opened_on,
        )
        opened = await act(ApprovalActivities.open_step, given)
        self._set(opened.state)
        return opened if self._waiting(index) else None

    def _round(self) -> int:
        return self._state.round if self._state else 1

    def _waiting(self, index: int) -> bool:
        return self._state is not None and self._state.is_waiting(index)

    def _publish(self, index: int, opened: OpenedStep) -> None:
        workflow.upsert_search_attributes(
            [
                search.OPD_CODE.value_set(self._assigned(index)),
                search.SUBJECT_KIND.value_set(self._input.subject_kind),
                search.STATUS.value_set(search.WAITING),
                search.DUE_AT.value_set(opened.due_at),
            ]
        )

    async def _still_waiting_at(self, alert: Alert, index: int) -> bool:
        """Sleep until the alert is due; False when the step was completed meanwhile."""
        delay = alert.at - workflow.now()
        if delay > timedelta(0):
            try:
                await workflow.wait_condition(lambda: not self._waiting(index), timeout=delay)
            except TimeoutError:
                return self._waiting(index)
        return self._waiting(index)

    async def _fire(self, index: int, alert: Alert) -> None:
        # Under the lock: a decision that arrived in the same instant is recorded first,
        # and then this step is complete and gets no reminder or escalation.
        async with self._lock:
            if not self._waiting(index):
                return
            method = (
                ApprovalActivities.record_reminder
                if alert.kind == AlertKind.REMINDER
                else ApprovalActivities.escalate
            )
            try:
                await act(method, AlertInput(self._input.request_id, index, alert))
            except ActivityError as error:
                workflow.logger.warning("alert not recorded: %s", error.cause)
                return
            self._state = check.noted(self._known(), index, alert)
            if alert.kind == AlertKind.ESCALATION:
                workflow.upsert_search_attributes([search.STATUS.value_set(search.LATE)])

    async def _await_resubmission(self) -> None:
        workflow.upsert_search_attributes([search.STATUS.value_set(ApprovalStatus.RETURNED)])
        await workflow.wait_condition(
            lambda: self._resubmission is not None or self._status() != ApprovalStatus.RETURNED
        )
        given, self._resubmission = self._resubmission, None
        if given is None:
            return
        async with self._lock:
            request = ResubmitRequestInput(self._input.request_id, given, workflow.now())
            self._restarting = True
            try:
                self._set(await act(ApprovalActivities.resubmit, request))
            except ActivityError as error:
                workflow.logger.warning("resubmission refused: %s", error.cause)
            finally:
                self._restarting = False

    def _opening(self) -> bool:
        """True while a step is about to open: a decision waits for it instead of failing."""
        pending = self._resubmission is not None or self._restarting
        if pending and self._status() == ApprovalStatus.RETURNED:
            return True
        return check.is_opening(self._state)

    @workflow.signal
    def resubmitted(self, given: ResubmitInput) -> None:
        """The submitter sent a revised subject: start round ``given.round`` from step 0."""
        if given.round > self._round():
            self._resubmission = given

    @workflow.update
    async def decide(self, decision: DecideInput) -> ApprovalState:
        """Record a decision on the open step; answers the approval's new state.

        The answer waits (on the workflow's own progress, not on a clock) until the next
        step is open or the round's outcome reached the subject, so it shows the approval
        as it now stands: step 2 with its due time, or the milestone approved.
        """
        if decision.decision_id in self._decision_ids:
            return self._known()
        self._in_flight.add(decision.person_nip)
        try:
            await workflow.wait_condition(lambda: not self._opening())
            async with self._lock:
                await self._record(decision)
        finally:
            self._in_flight.discard(decision.person_nip)
        await workflow.wait_condition(self._settled)
        return self._known()

    async def _record(self, decision: DecideInput) -> None:
        if decision.decision_id in self._decision_ids:
            return
        # Checked again under the lock: another update may have passed the validator at
        # the same time and already been recorded.
        found = check.decision_refusal(self._state, decision)
        if found:
            raise refused(found)
        info = workflow.info()
        given = RecordDecisionInput(
            self._input.request_id,
            self._known().current_step or 0,
            decision,
            workflow.now(),
            info.workflow_id,
            info.run_id,
        )
        try:
            self._set(await act(ApprovalActivities.record_decision, given))
        except ActivityError as error:
            raise reraised(error) from error

    @decide.validator
    def validate_decide(self, decision: DecideInput) -> None:
        """Refuse, without recording anything, what the rules would refuse."""
        if decision.decision_id in self._decision_ids:
            return
        if check.is_replay(self._state, decision.decision_id):
            return
        if decision.person_nip in self._in_flight:
            raise refused(Refusal("already-decided", "This person's decision is being recorded."))
        if self._opening():
            return  # checked in the handler, once the step is open
        found = check.decision_refusal(self._state, decision)
        if found:
            raise refused(found)

    @workflow.update
    async def reassign(self, given: ReassignInput) -> ApprovalState:
        """Hand one OPD's share of a step to another OPD; answers the new state."""
        await workflow.wait_condition(lambda: self._state is not None)
        async with self._lock:
            self._refuse(self._reassign_refusal(given))
            request = ReassignStepInput(self._input.request_id, given, workflow.now())
            try:
                state = self._set(await act(ApprovalActivities.reassign, request))
            except ActivityError as error:
                raise reraised(error) from error
            if self._waiting(given.step_index):
                opds = self._assigned(given.step_index)
                workflow.upsert_search_attributes([search.OPD_CODE.value_set(opds)])
            return state

    def _assigned(self, index: int) -> list[str]:
        return list(self._known().steps[index].assigned_opds)

    def _reassign_refusal(self, given: ReassignInput) -> Refusal | None:
        state, i = self._known(), given
        return rules.reassign_refusal(state, i.step_index, i.from_opd, i.to_opd)

    @staticmethod
    def _refuse(found: Refusal | None) -> None:
        if found is not None:
            raise refused(found)

    @reassign.validator
    def validate_reassign(self, given: ReassignInput) -> None:
        """Refuse a reassignment the rules would refuse."""
        if self._state is not None:  # else checked in the handler, once it is loaded
            self._refuse(self._reassign_refusal(given))

    @workflow.update
    async def withdraw(self, given: WithdrawInput) -> ApprovalState:
        """Withdraw the request: it ends, nothing more can be decided."""
        await workflow.wait_condition(lambda: self._state is not None)
        async with self._lock:
            self._refuse(rules.withdraw_refusal(self._status()))
            request = WithdrawRequestInput(self._input.request_id, given, workflow.now())
            try:
                return self._set(await act(ApprovalActivities.withdraw, request))
            except ActivityError as error:
                raise reraised(error) from error

    @withdraw.validator
    def validate_withdraw(self, given: WithdrawInput) -> None:
        """Refuse to withdraw a request that is already closed."""
        self._refuse(rules.withdraw_refusal(self._status()))
