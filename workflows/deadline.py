"""DeadlineWorkflow: reminders before a subject's due date, then overdue and escalations.

Deterministic: the clock is ``workflow.now()``, waiting is a workflow timer, and every read
or write of the event store is an activity. Deadlines months or years away sleep at most
30 days per run and then continue as new, so each run's history stays small.

Status (search attribute ``JejakStatus``): ``waiting`` until the due day ends; ``overdue``
once it ended with the subject not done (noted, and escalated to the Sekda); ``escalated``
once it went on to the Inspektorat; ``done`` when the subject was done.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import Any, TypeVar

from temporalio import workflow
from temporalio.common import RetryPolicy
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.calendar import JAKARTA, end_of_day
    from workflows import search
    from workflows.deadline_activities import DeadlineActivities
    from workflows.deadline_inputs import (
        CloseInput,
        DeadlineAlertInput,
        DeadlineInput,
        DueDateChanged,
        MoveInput,
        ScheduleInput,
        SubjectDone,
        SubjectInput,
        TrackInput,
    )
    from workflows.inputs import REMINDER, Alert

In = TypeVar("In")
Out = TypeVar("Out")

ACTIVITY_TIMEOUT = timedelta(seconds=30)
RETRY = RetryPolicy(maximum_interval=timedelta(seconds=30))
#: The longest single sleep of one run; a later alert is reached through continue-as-new.
MAX_SLEEP = timedelta(days=30)

WAITING, OVERDUE, ESCALATED, DONE = "waiting", "overdue", "escalated", "done"


def deadline_workflow_id(kind: str, subject_id: str) -> str:
    """The workflow id of a subject's deadline: one workflow per subject."""
    return f"deadline/{kind}/{subject_id}"


def alert_key(due_date: str, alert: Alert) -> str:
    """What identifies one alert of one due date (labels are unique within a due date)."""
    return f"{due_date}/{alert.label}"


@workflow.defn(name="DeadlineWorkflow")
class DeadlineWorkflow:
    """Follows one due date until the subject is done or the Inspektorat has been told."""

    @workflow.init
    def __init__(self, given: DeadlineInput) -> None:
        self._input = given
        self._due = given.due_date
        self._done: str | None = None
        self._last_position = given.last_position
        self._handled = list(given.handled)
        self._published: tuple[str, str] | None = None

    @workflow.run
    async def run(self, given: DeadlineInput) -> str:
        """Remind, note overdue, escalate; answers the final status."""
        started_on = given.started_on or workflow.now().astimezone(JAKARTA).date().isoformat()
        await self._act(DeadlineActivities.track, self._track_input(given))
        tracked_due, alerts = given.due_date, (given.due_date, list[Alert]())
        planned = False
        while True:
            await self._check_subject()
            if self._done is not None:
                return await self._finish(self._done)
            if self._due != tracked_due:
                await self._act(DeadlineActivities.move_due_date, self._move_input())
                tracked_due = self._due
                self._handled = [k for k in self._handled if k.startswith(f"{self._due}/")]
            if not planned or alerts[0] != self._due:
                alerts, planned = (self._due, await self._alerts(started_on)), True
            self._publish()
            pending = [a for a in alerts[1] if alert_key(self._due, a) not in self._handled]
            if not pending:
                return self._status()
            if pending[0].at <= workflow.now():
                await self._fire(pending[0], superseded=self._superseded(pending))
                continue
            delay = pending[0].at - workflow.now()
            if await self._woken_within(min(delay, MAX_SLEEP)):
                continue
            if delay > MAX_SLEEP or workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(self._next_input(started_on))

    @workflow.signal
    def due_date_changed(self, given: DueDateChanged) -> None:
        """The subject's due date moved: the timers follow the new date."""
        if self._fresh(given.position):
            self._due = given.new_due_date

    @workflow.signal
    def done(self, given: SubjectDone) -> None:
        """The subject is done: the deadline ends without further alerts."""
        if self._fresh(given.position):
            self._done = given.reason

    @workflow.query
    def state(self) -> dict[str, Any]:
        """The due date followed, the status and the alerts already handled."""
        return {"due_date": self._due, "status": self._status(), "handled": list(self._handled)}

    def _fresh(self, position: int) -> bool:
        # A signal carries the log position of its event: a replayed one is ignored.
        if position and position <= self._last_position:
            return False
        self._last_position = max(self._last_position, position)
        return True

    async def _act(self, method: Callable[[DeadlineActivities, In], Out], arg: In) -> Out:
        return await workflow.execute_activity_method(
            method, arg, start_to_close_timeout=ACTIVITY_TIMEOUT, retry_policy=RETRY
        )

    def _track_input(self, given: DeadlineInput) -> TrackInput:
        return TrackInput(
            given.kind,
            given.subject_id,
            given.owner_opd,
            given.title,
            given.due_date,
            workflow.now(),
        )

    def _move_input(self) -> MoveInput:
        return MoveInput(self._input.kind, self._input.subject_id, self._due, workflow.now())

    async def _check_subject(self) -> None:
        """Ask the domain (a signal may have been lost); a signal during the call wins."""
        due_before = self._due
        subject = SubjectInput(self._input.kind, self._input.subject_id)
        status = await self._act(DeadlineActivities.subject_status, subject)
        if status.done and self._done is None:
            self._done = status.reason or DONE
        elif status.due_date and self._due == due_before:
            self._due = status.due_date

    async def _alerts(self, started_on: str) -> list[Alert]:
        i = self._input
        given = ScheduleInput(
            i.city_code, started_on, self._due, i.reminder_offsets, i.escalation_level2_after
        )
        return await self._act(DeadlineActivities.alerts, given)

    def _superseded(self, pending: list[Alert]) -> bool:
        # A reminder whose successor is also past (the worker was down) is not sent late.
        now = workflow.now()
        return pending[0].kind == REMINDER and len(pending) > 1 and pending[1].at <= now

    async def _fire(self, alert: Alert, superseded: bool) -> None:
        if not superseded:
            i = self._input
            given = DeadlineAlertInput(i.kind, i.subject_id, self._due, alert)
            try:
                await self._act(DeadlineActivities.record_alert, given)
            except ActivityError as error:
                workflow.logger.warning("deadline alert not recorded: %s", error.cause)
        self._handled.append(alert_key(self._due, alert))

    async def _woken_within(self, delay: timedelta) -> bool:
        """Sleep up to ``delay``; True when a signal (done, new due date) woke the workflow."""
        due = self._due
        try:
            await workflow.wait_condition(
                lambda: self._done is not None or self._due != due, timeout=delay
            )
        except TimeoutError:
            return False
        return True

    def _status(self) -> str:
        if self._done is not None:
            return DONE
        if f"{self._due}/inspektorat" in self._handled:
            return ESCALATED
        return OVERDUE if f"{self._due}/sekda" in self._handled else WAITING

    def _publish(self) -> None:
        if self._published == (self._due, self._status()):
            return
        self._published = (self._due, self._status())
        workflow.upsert_search_attributes(
            [
                search.OPD_CODE.value_set([self._input.owner_opd]),
                search.SUBJECT_KIND.value_set(self._input.kind),
                search.STATUS.value_set(self._status()),
                search.DUE_AT.value_set(end_of_day(date.fromisoformat(self._due))),
            ]
        )

    async def _finish(self, reason: str) -> str:
        i = self._input
        await self._act(
            DeadlineActivities.close, CloseInput(i.kind, i.subject_id, reason, workflow.now())
        )
        self._publish()
        return DONE

    def _next_input(self, started_on: str) -> DeadlineInput:
        return replace(
            self._input,
            due_date=self._due,
            started_on=started_on,
            handled=list(self._handled),
            last_position=self._last_position,
        )
