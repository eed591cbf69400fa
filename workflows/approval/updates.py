"""What callers ask of a running approval: decide, reassign, withdraw, resubmitted.

The base of ``ApprovalWorkflow`` (which runs the rounds): the update handlers, their
validators and the state they share. Validators refuse with the domain's own rules
(``domain.approvals.rules``) on the workflow's copy of the state, before anything is
recorded; each handler checks again under the lock, where changes are made one at a time.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import TypeVar

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.approvals import rules
    from domain.approvals.values import ROUND_OUTCOMES, ApprovalState, ApprovalStatus, Refusal
    from workflows import search
    from workflows.approval import mandates
    from workflows.approval import state as check
    from workflows.approval.activities import ApprovalActivities
    from workflows.approval.calls import act_here
    from workflows.approval.inputs import (
        ApprovalInput,
        DecideInput,
        ReassignInput,
        ReassignStepInput,
        RecordDecisionInput,
        ResubmitInput,
        WithdrawInput,
        WithdrawRequestInput,
    )
    from workflows.common import refused, reraised

Given = TypeVar("Given")


class ApprovalUpdates:
    """The approval workflow's state, and the updates and signal that change it."""

    _input: ApprovalInput
    _state: ApprovalState | None
    #: One writer at a time: decisions, timers and reassignments are recorded in the
    #: order the workflow sees them, each against the state the previous one left.
    _lock: asyncio.Lock
    _in_flight: set[str]
    _decision_ids: set[str]
    _resubmission: ResubmitInput | None
    _restarting: bool
    #: The (round, outcome) last carried to the subject.
    _applied: tuple[int, str] | None

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

    def _round(self) -> int:
        return self._state.round if self._state else 1

    def _waiting(self, index: int) -> bool:
        return self._state is not None and self._state.is_waiting(index)

    def _settled(self) -> bool:
        """True once the next step is open, or the round's outcome reached the subject."""
        if check.is_opening(self._state):
            return False
        status = self._status()
        return status not in ROUND_OUTCOMES or self._applied == (self._round(), status)

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

    async def _record(self, asked: DecideInput) -> None:
        if asked.decision_id in self._decision_ids:
            return
        # Checked again under the lock: another update may have passed the validator at
        # the same time and already been recorded.
        decision = self._ballot(asked)
        info, step = workflow.info(), self._known().current_step
        assert step is not None  # the decision was not refused: a step is open
        given = RecordDecisionInput(
            self._input.request_id,
            step,
            decision,
            workflow.now(),
            info.workflow_id,
            info.run_id,
        )
        try:
            self._set(await act_here(ApprovalActivities.record_decision, given))
        except ActivityError as error:
            raise reraised(error) from error

    def _ballot(self, asked: DecideInput) -> DecideInput:
        """The decision with its OPD and capacity chosen; refused as the rules say."""
        decision = mandates.resolved(self._known(), asked)
        if isinstance(decision, Refusal):
            raise refused(decision)
        self._refuse(check.decision_refusal(self._state, decision))
        return decision

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
        self._ballot(decision)

    async def _change(
        self,
        refusal: Callable[[], Refusal | None],
        method: Callable[[ApprovalActivities, Given], ApprovalState],
        request: Callable[[], Given],
    ) -> ApprovalState:
        """One change under the lock, once the request is loaded: refused as the rules say,
        else recorded by the activity (whose own refusal the caller gets)."""
        await workflow.wait_condition(lambda: self._state is not None)
        async with self._lock:
            self._refuse(refusal())
            try:
                return self._set(await act_here(method, request()))
            except ActivityError as error:
                raise reraised(error) from error

    @workflow.update
    async def reassign(self, given: ReassignInput) -> ApprovalState:
        """Hand one OPD's share of a step to another OPD; answers the new state."""
        state = await self._change(
            lambda: self._reassign_refusal(given),
            ApprovalActivities.reassign,
            lambda: ReassignStepInput(self._input.request_id, given, workflow.now()),
        )
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
        return await self._change(
            lambda: rules.withdraw_refusal(self._status()),
            ApprovalActivities.withdraw,
            lambda: WithdrawRequestInput(self._input.request_id, given, workflow.now()),
        )

    @withdraw.validator
    def validate_withdraw(self, given: WithdrawInput) -> None:
        """Refuse to withdraw a request that is already closed."""
        self._refuse(rules.withdraw_refusal(self._status()))
