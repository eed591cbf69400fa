"""EvaluationWorkflow: one year's evaluation, from the OPDs' filling to the published index.

The secretariat starts it for an opened year (the items are added). It records each OPD's
items and due date (working days from the city's calendar) and follows every due date as
the deadline workflow does: reminders before it, then overdue with an escalation to the
Sekda and later to the Inspektorat, until the OPD fills its items. People move it on with
updates, each checked by the pure rules of ``domain.evaluation.process`` in its validator
and recorded by an idempotent activity: ``fill`` (an OPD), ``compile`` (the secretariat),
``approve`` (the Sekda), ``hand_over`` (to the assessors), ``score`` (an assessor, once per
score id), ``publish`` (the index). It ends when the index is published.

Deterministic: the clock is ``workflow.now()``, waiting is a workflow timer, and every read
or write of the event store is an activity.
"""

from __future__ import annotations

from contextlib import suppress
from datetime import timedelta

from temporalio import workflow
from temporalio.exceptions import ActivityError, ApplicationError

with workflow.unsafe.imports_passed_through():
    from domain.calendar import JAKARTA
    from domain.evaluation.process import (
        Stage,
        approve_refusal,
        compile_refusal,
        hand_over_refusal,
        publish_refusal,
        score_refusal,
        stage_refusal,
    )
    from domain.shared import DomainError, ValidationError
    from workflows.common import Alert, AlertKind, act, reraised
    from workflows.evaluation.activities import EvaluationActivities
    from workflows.evaluation.inputs import (
        AssignInput,
        EvaluationInput,
        EvaluationState,
        FillInput,
        HandOverInput,
        ItemsAlertInput,
        OpdDeadline,
        RecordScoreInput,
        RecordStepInput,
        ScoreInput,
        StepInput,
    )


def _refuse(refusal: DomainError | None) -> None:
    """Reject an update with the rule's refusal (its code as the error type)."""
    if refusal is not None:
        raise ApplicationError(refusal.message, type=refusal.code, non_retryable=True)


@workflow.defn(name="EvaluationWorkflow")
class EvaluationWorkflow:
    """Runs one evaluation year through filling, compiling, approval, scoring, publication."""

    @workflow.init
    def __init__(self, given: EvaluationInput) -> None:
        self._input = given
        self._stage: str = Stage.FILLING
        self._assigned = {a.opd_code.strip().upper() for a in given.assignments}
        self._filled: set[str] = set()
        self._deadlines: list[OpdDeadline] = []
        self._handled: set[str] = set()
        self._index: float | None = None

    @workflow.run
    async def run(self, given: EvaluationInput) -> float:
        """Follow the OPDs' due dates until all filled, then wait for the index."""
        today = workflow.now().astimezone(JAKARTA).date().isoformat()
        assign = AssignInput(
            given.year_id, given.city_code, given.assignments, today, given.fill_days,
            given.reminder_offsets, given.escalation_level2_after, given.opened_by,
            workflow.now(),
        )  # fmt: skip
        self._deadlines = await act(EvaluationActivities.assign, assign)
        await self._follow_due_dates()
        await workflow.wait_condition(
            lambda: self._index is not None and workflow.all_handlers_finished()
        )
        return self._index or 0.0

    @workflow.query
    def state(self) -> EvaluationState:
        """The stage, who filled and who has not, and the index once published."""
        waiting = sorted(self._assigned - self._filled)
        return EvaluationState(self._stage, sorted(self._filled), waiting, self._index)

    @workflow.query
    def alerts_handled(self) -> list[str]:
        """The alerts already handled, as ``<OPD>/<label>``."""
        return sorted(self._handled)

    async def _follow_due_dates(self) -> None:
        """Remind and escalate each OPD not yet filled, until every OPD filled."""
        while self._assigned - self._filled:
            pending = self._pending()
            if not pending:
                await workflow.wait_condition(lambda: not self._assigned - self._filled)
                return
            opd, due, alert = pending[0]
            if alert.at <= workflow.now():
                later = [p for p in pending[1:] if p[0] == opd]
                # A reminder whose successor is also past (a worker was down) is not sent late.
                stale = (
                    alert.kind == AlertKind.REMINDER
                    and bool(later)
                    and later[0][2].at <= workflow.now()
                )
                if not stale:
                    await self._fire(opd, due, alert)
                self._handled.add(f"{opd}/{alert.label}")
                continue
            await self._woken_within(alert.at - workflow.now())

    async def _woken_within(self, delay: timedelta) -> None:
        """Sleep up to ``delay``, or until another OPD filled its items."""
        filled = len(self._filled)
        with suppress(TimeoutError):
            await workflow.wait_condition(lambda: len(self._filled) != filled, timeout=delay)

    def _pending(self) -> list[tuple[str, str, Alert]]:
        found = [
            (d.opd_code, d.due_date, a)
            for d in self._deadlines
            if d.opd_code not in self._filled
            for a in d.alerts
            if f"{d.opd_code}/{a.label}" not in self._handled
        ]
        return sorted(found, key=lambda p: (p[2].at, p[0]))

    async def _fire(self, opd: str, due: str, alert: Alert) -> None:
        given = ItemsAlertInput(self._input.year_id, opd, due, alert)
        try:
            await act(EvaluationActivities.record_alert, given)
        except ActivityError as error:
            workflow.logger.warning("evaluation alert not recorded: %s", error.cause)

    def _step(self, actor: str, capacity: str, **more: object) -> RecordStepInput:
        return RecordStepInput(self._input.year_id, actor, capacity, workflow.now(), **more)  # type: ignore[arg-type]

    @workflow.update
    async def fill(self, given: FillInput) -> EvaluationState:
        """An OPD declares its items filled (the activity checks each has its evidence)."""
        # An update may arrive before the items were assigned in the record: wait for it.
        await workflow.wait_condition(lambda: bool(self._deadlines))
        try:
            step = self._step(given.actor, given.capacity, opd_code=given.opd_code.upper())
            await act(EvaluationActivities.fill, step)
        except ActivityError as error:
            raise reraised(error) from None
        self._filled.add(given.opd_code.upper())
        return self.state()

    @fill.validator
    def _check_fill(self, given: FillInput) -> None:
        if given.opd_code.upper() not in self._assigned:
            _refuse(ValidationError("opd_code", f"{given.opd_code} has no items to fill."))
        _refuse(stage_refusal(self._stage, Stage.FILLING, "filling items"))

    @workflow.update
    async def compile(self, given: StepInput) -> EvaluationState:
        """The secretariat compiles the package once every OPD filled its items."""
        await self._record(EvaluationActivities.compile, self._step(given.actor, given.capacity))
        self._stage = Stage.COMPILED
        return self.state()

    @compile.validator
    def _check_compile(self, given: StepInput) -> None:
        _refuse(compile_refusal(self._stage, self._assigned, self._filled))

    @workflow.update
    async def approve(self, given: StepInput) -> EvaluationState:
        """The Sekda approves the compiled package."""
        await self._record(EvaluationActivities.approve, self._step(given.actor, given.capacity))
        self._stage = Stage.APPROVED
        return self.state()

    @approve.validator
    def _check_approve(self, given: StepInput) -> None:
        _refuse(approve_refusal(self._stage, given.capacity))

    @workflow.update
    async def hand_over(self, given: HandOverInput) -> EvaluationState:
        """The secretariat hands the approved package to the assessors."""
        step = self._step(given.actor, given.capacity, assessors=list(given.assessors))
        await self._record(EvaluationActivities.hand_over, step)
        self._stage = Stage.ASSESSING
        return self.state()

    @hand_over.validator
    def _check_hand_over(self, given: HandOverInput) -> None:
        _refuse(hand_over_refusal(self._stage, given.assessors))

    @workflow.update
    async def score(self, given: ScoreInput) -> int:
        """An assessor scores an item with a comment; recorded once per score id."""
        record = RecordScoreInput(self._input.year_id, given, workflow.now())
        try:
            position = await act(EvaluationActivities.score, record)
        except ActivityError as error:
            raise reraised(error) from None
        return position

    @score.validator
    def _check_score(self, given: ScoreInput) -> None:
        _refuse(stage_refusal(self._stage, Stage.ASSESSING, "scoring"))
        _refuse(score_refusal(self._stage, (), given.assessor))

    @workflow.update
    async def publish(self, given: StepInput) -> EvaluationState:
        """Publish the final index once every item is scored (the activity checks it)."""
        try:
            step = self._step(given.actor, given.capacity)
            self._index = await act(EvaluationActivities.publish, step)
        except ActivityError as error:
            raise reraised(error) from None
        self._stage = Stage.PUBLISHED
        return self.state()

    @publish.validator
    def _check_publish(self, given: StepInput) -> None:
        _refuse(publish_refusal(self._stage, ()))

    async def _record(self, method: object, step: RecordStepInput) -> None:
        try:
            await act(method, step)  # type: ignore[arg-type]
        except ActivityError as error:
            raise reraised(error) from None
