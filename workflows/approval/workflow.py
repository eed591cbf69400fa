"""ApprovalWorkflow: one approval request, step by step, with reminders and escalations.

Deterministic: the clock is ``workflow.now()``, waiting is a workflow timer, and every read
or write of the event store is an activity. The workflow keeps its own copy of the state
(each activity returns it) so update validators can apply the pure approval rules; the
updates, their validators and that state are in ``updates``.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.approvals.values import ROUND_OUTCOMES, ApprovalState, ApprovalStatus
    from workflows import search
    from workflows.approval import state as check
    from workflows.approval.activities import ApprovalActivities
    from workflows.approval.calls import act_here
    from workflows.approval.inputs import (
        AlertInput,
        ApplyOutcomeInput,
        ApprovalInput,
        EnsureRequestInput,
        OpenedStep,
        OpenStepInput,
        ResubmitRequestInput,
    )
    from workflows.approval.updates import ApprovalUpdates
    from workflows.common import Alert, AlertKind, act


@workflow.defn(name="ApprovalWorkflow")
class ApprovalWorkflow(ApprovalUpdates):
    """Routes one approval request through its steps until approved, rejected or withdrawn."""

    @workflow.init
    def __init__(self, approval: ApprovalInput) -> None:
        self._input = approval
        self._state = None
        self._lock = asyncio.Lock()
        self._in_flight, self._decision_ids = set(), set()
        self._resubmission, self._restarting, self._applied = None, False, None

    @workflow.run
    async def run(self, approval: ApprovalInput) -> str:
        """Run rounds until the request is approved, rejected or withdrawn.

        Each round's outcome is carried to the subject (the milestone approved, the
        deliverable returned, ...) before the workflow waits for anything else.
        """
        start = EnsureRequestInput(approval, workflow.info().start_time)
        found = await act_here(ApprovalActivities.ensure_request, start)
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
            await act_here(ApprovalActivities.apply_outcome, given)
        except ActivityError as error:
            workflow.logger.warning("outcome not carried to the subject: %s", error.cause)
        self._applied = ended

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
        opened = await act_here(ApprovalActivities.open_step, given)
        self._set(opened.state)
        return opened if self._waiting(index) else None

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
                self._set(await act_here(ApprovalActivities.resubmit, request))
            except ActivityError as error:
                workflow.logger.warning("resubmission refused: %s", error.cause)
            finally:
                self._restarting = False
