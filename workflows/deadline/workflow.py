"""DeadlineWorkflow: reminders before a subject's due date, then overdue and escalations.

Deterministic: the clock is ``workflow.now()``, waiting is a workflow timer, and every read
or write of the event store is an activity. Deadlines months or years away sleep at most
30 days per run and then continue as new, so each run's history stays small.

Status (search attribute ``JejakStatus``): ``waiting`` until the due day ends; ``overdue``
once it ended with the subject not done (noted, and escalated to the Sekda); ``escalated``
once it went on to the Inspektorat; ``done`` when the subject was done. The workflow ends
only when the subject is done: its track is then closed. A returned deliverable or a
renewed commitment reopens it (signal ``reopened``, or a new run started with it).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from temporalio import workflow
from temporalio.exceptions import ActivityError

with workflow.unsafe.imports_passed_through():
    from domain.calendar import JAKARTA, end_of_day
    from workflows import search
    from workflows.common import Alert, AlertKind, act
    from workflows.deadline.activities import DeadlineActivities
    from workflows.deadline.inputs import (
        CloseInput,
        DeadlineAlertInput,
        DeadlineInput,
        DueDateChanged,
        MoveInput,
        ReopenInput,
        ScheduleInput,
        SubjectDone,
        SubjectInput,
        SubjectReopened,
        TrackInput,
    )

#: The longest single sleep of one run; a later alert is reached through continue-as-new.
MAX_SLEEP = timedelta(days=30)


class DeadlineStatus(StrEnum):
    """Where a deadline stands (the ``JejakStatus`` search attribute, and the query's)."""

    WAITING = "waiting"
    OVERDUE = "overdue"
    ESCALATED = "escalated"
    DONE = "done"


def alert_key(due_date: str, alert: Alert) -> str:
    """What identifies one alert of one due date (labels are unique within a due date)."""
    return f"{due_date}/{alert.label}"


@workflow.defn(name="DeadlineWorkflow")
class DeadlineWorkflow:
    """Follows one due date until the subject is done, escalating while it is late."""

    @workflow.init
    def __init__(self, given: DeadlineInput) -> None:
        self._input = given
        self._due = given.due_date
        self._done: str | None = None
        self._reopen: SubjectReopened | None = None
        self._last_position = given.last_position
        self._handled = list(given.handled)
        self._published: tuple[str, str] | None = None
        self._started_on = given.started_on or ""
        self._tracked_due = given.due_date
        self._planned: tuple[str, list[Alert]] | None = None

    @workflow.run
    async def run(self, given: DeadlineInput) -> str:
        """Remind, note overdue, escalate, then keep waiting until the subject is done.

        After the last escalation the workflow still waits for the subject to be done (or
        its due date to move): the track is closed only when the thing is done. It sleeps
        at most 30 days per run, then continues as new.
        """
        self._started_on = self._started_on or self._today()
        await act(DeadlineActivities.track, self._track_input(given))
        while True:
            if self._reopen is not None:
                await self._reopen_track(self._reopen)
            await self._check_subject()
            if self._done is not None:
                await self._finish(self._done)
                if self._reopen is None:
                    return DeadlineStatus.DONE
                continue  # reopened while it was being closed
            await self._follow_due_date()
            pending = await self._pending()
            self._publish()
            if pending and pending[0].at <= workflow.now():
                await self._fire(pending[0], superseded=self._superseded(pending))
                continue
            delay = pending[0].at - workflow.now() if pending else MAX_SLEEP
            if await self._woken_within(min(delay, MAX_SLEEP)):
                continue
            if not pending or delay > MAX_SLEEP or workflow.info().is_continue_as_new_suggested():
                workflow.continue_as_new(self._next_input())

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

    @workflow.signal
    def reopened(self, given: SubjectReopened) -> None:
        """The subject is due again (returned, renewed): the deadline starts afresh."""
        if self._fresh(given.position):
            self._reopen, self._done = given, None

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

    def _track_input(self, given: DeadlineInput) -> TrackInput:
        return TrackInput(
            given.kind,
            given.subject_id,
            given.owner_opd,
            given.title,
            given.due_date,
            workflow.now(),
        )

    @staticmethod
    def _today() -> str:
        return workflow.now().astimezone(JAKARTA).date().isoformat()

    async def _reopen_track(self, given: SubjectReopened) -> None:
        """A fresh series from today: nothing handled yet, reminders from today on."""
        self._reopen = None
        self._due = self._tracked_due = given.due_date
        self._handled, self._planned, self._started_on = [], None, self._today()
        i = self._input
        reopen = ReopenInput(
            i.kind, i.subject_id, given.due_date, given.reason, given.position, workflow.now()
        )
        await act(DeadlineActivities.reopen, reopen)

    async def _follow_due_date(self) -> None:
        if self._due == self._tracked_due:
            return
        move = MoveInput(self._input.kind, self._input.subject_id, self._due, workflow.now())
        await act(DeadlineActivities.move_due_date, move)
        self._tracked_due = self._due
        self._handled = [k for k in self._handled if k.startswith(f"{self._due}/")]

    async def _pending(self) -> list[Alert]:
        """The alerts of the followed due date not yet handled, in time order."""
        if self._planned is None or self._planned[0] != self._due:
            self._planned = (self._due, await self._alerts())
        return [a for a in self._planned[1] if alert_key(self._due, a) not in self._handled]

    async def _check_subject(self) -> None:
        """Ask the domain (a signal may have been lost); a signal during the call wins."""
        due_before = self._due
        subject = SubjectInput(self._input.kind, self._input.subject_id)
        status = await act(DeadlineActivities.subject_status, subject)
        if status.done and self._done is None:
            self._done = status.reason or DeadlineStatus.DONE
        elif status.due_date and self._due == due_before:
            self._due = status.due_date

    async def _alerts(self) -> list[Alert]:
        i = self._input
        given = ScheduleInput(
            i.city_code, self._started_on, self._due, i.reminder_offsets, i.escalation_level2_after
        )
        return await act(DeadlineActivities.alerts, given)

    def _superseded(self, pending: list[Alert]) -> bool:
        # A reminder whose successor is also past (the worker was down) is not sent late.
        now = workflow.now()
        return pending[0].kind == AlertKind.REMINDER and len(pending) > 1 and pending[1].at <= now

    async def _fire(self, alert: Alert, superseded: bool) -> None:
        if not superseded:
            i = self._input
            given = DeadlineAlertInput(i.kind, i.subject_id, self._due, alert)
            try:
                await act(DeadlineActivities.record_alert, given)
            except ActivityError as error:
                workflow.logger.warning("deadline alert not recorded: %s", error.cause)
        self._handled.append(alert_key(self._due, alert))

    async def _woken_within(self, delay: timedelta) -> bool:
        """Sleep up to ``delay``; True when a signal (done, new due date) woke the workflow."""
        due = self._due
        try:
            await workflow.wait_condition(
                lambda: self._done is not None or self._reopen is not None or self._due != due,
                timeout=delay,
            )
        except TimeoutError:
            return False
        return True

    def _status(self) -> DeadlineStatus:
        if self._done is not None:
            return DeadlineStatus.DONE
        if f"{self._due}/inspektorat" in self._handled:
            return DeadlineStatus.ESCALATED
        if f"{self._due}/sekda" in self._handled:
            return DeadlineStatus.OVERDUE
        return DeadlineStatus.WAITING

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

    async def _finish(self, reason: str) -> None:
        i = self._input
        await act(
            DeadlineActivities.close, CloseInput(i.kind, i.subject_id, reason, workflow.now())
        )
        self._publish()

    def _next_input(self) -> DeadlineInput:
        return replace(
            self._input,
            due_date=self._due,
            started_on=self._started_on,
            handled=list(self._handled),
            last_position=self._last_position,
        )
