"""The evaluation workflow's only door to the event store: idempotent steps over the domain.

Each activity may run twice (a worker dies after writing, before reporting): every command
of the year records nothing the second time (a score by its score id, a step once), and
the OPDs' due dates follow the deadline machinery (``DeadlinesApplication``, the city's
working calendar, ``workflows.schedule``), so reminders and escalations are recorded once
per due date and reach the notifications outbox as a deliverable's do.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import date
from typing import Any

from temporalio import activity

from domain.calendar import CalendarApplication
from domain.deadlines.application import DeadlinesApplication
from domain.deadlines.track import DeadlineTrack
from domain.deadlines.values import DeadlineKind
from domain.evaluation import EvaluationApplication
from domain.shared import Actor
from infra.store import EventStore
from workflows import schedule
from workflows.common import AlertKind, activity_boundary, system_at
from workflows.evaluation.inputs import (
    AssignInput,
    ItemsAlertInput,
    OpdDeadline,
    RecordScoreInput,
    RecordStepInput,
    items_subject,
)

KIND = DeadlineKind.EVALUATION_ITEMS


def _by(given: RecordStepInput) -> Actor:
    return Actor(given.actor, given.capacity, given.effective_at)


class EvaluationActivities:
    """The evaluation activities, handed the application services they read and write through."""

    def __init__(
        self,
        evaluations: EvaluationApplication,
        deadlines: DeadlinesApplication,
        calendar: CalendarApplication,
    ) -> None:
        self.evaluations, self.deadlines, self.calendar = evaluations, deadlines, calendar

    @classmethod
    def over(cls, store: EventStore) -> EvaluationActivities:
        """The activities over the application services of ``store``."""
        return cls(
            store.app(EvaluationApplication),
            store.app(DeadlinesApplication),
            store.app(CalendarApplication),
        )

    def all(self) -> list[Callable[..., Any]]:
        """The bound activity methods, for the worker."""
        return [
            self.assign,
            self.record_alert,
            self.fill,
            self.compile,
            self.approve,
            self.hand_over,
            self.score,
            self.publish,
        ]

    @activity.defn(name="evaluation.assign")
    def assign(self, given: AssignInput) -> list[OpdDeadline]:
        """Record each OPD's items and due date (in working days), and track each due date."""
        with activity_boundary():
            calendar = self.calendar.calendar_for(given.city_code)
            started = date.fromisoformat(given.started_on)
            due = calendar.add_working_days(started, given.fill_days)
            year_id, by = uuid.UUID(given.year_id), Actor(given.actor, "staff", given.effective_at)
            year = self.evaluations.get_year(year_id)
            found = []
            for assignment in given.assignments:
                opd = assignment.opd_code.strip().upper()
                self.evaluations.assign(
                    year_id, opd_code=opd, item_codes=assignment.item_codes, due_date=due, by=by
                )
                title = f"Evaluasi {year.year}: butir {', '.join(assignment.item_codes)}"
                subject = items_subject(given.year_id, opd)
                self.deadlines.track(KIND, subject, opd, title, due, by)
                alerts = schedule.alerts(
                    calendar, started, due, given.reminder_offsets, given.escalation_level2_after
                )
                found.append(OpdDeadline(opd, due.isoformat(), alerts))
            return found

    @activity.defn(name="evaluation.record_alert")
    def record_alert(self, given: ItemsAlertInput) -> bool:
        """Record a reminder, or overdue and an escalation; False when recorded or filled."""
        with activity_boundary():
            year = self.evaluations.get_year(uuid.UUID(given.year_id))
            if given.opd_code in year.filled:
                return False
            track_id = DeadlineTrack.create_id(KIND, items_subject(given.year_id, given.opd_code))
            due, alert = date.fromisoformat(given.due_date), given.alert
            by = system_at(alert.at)
            if alert.kind == AlertKind.REMINDER:
                return self.deadlines.send_reminder(track_id, alert.label, due, by) is not None
            if alert.level == 1:
                self.deadlines.record_overdue(track_id, due, by)
            return self.deadlines.escalate(track_id, alert.level, due, by) is not None

    @activity.defn(name="evaluation.fill")
    def fill(self, given: RecordStepInput) -> int | None:
        """Record that the OPD filled its items, and end the following of its due date."""
        with activity_boundary():
            position = self.evaluations.fill(
                uuid.UUID(given.year_id), opd_code=given.opd_code, by=_by(given)
            )
            track_id = DeadlineTrack.create_id(KIND, items_subject(given.year_id, given.opd_code))
            if self.deadlines.find(track_id) is not None:
                self.deadlines.close_track(track_id, "items filled", system_at(given.effective_at))
            return position

    @activity.defn(name="evaluation.compile")
    def compile(self, given: RecordStepInput) -> int | None:
        """Record that the secretariat compiled the package."""
        with activity_boundary():
            return self.evaluations.compile(uuid.UUID(given.year_id), by=_by(given))

    @activity.defn(name="evaluation.approve")
    def approve(self, given: RecordStepInput) -> int | None:
        """Record the Sekda's approval of the package."""
        with activity_boundary():
            return self.evaluations.approve(uuid.UUID(given.year_id), by=_by(given))

    @activity.defn(name="evaluation.hand_over")
    def hand_over(self, given: RecordStepInput) -> int | None:
        """Record that the package went to the assessors."""
        with activity_boundary():
            return self.evaluations.hand_over(
                uuid.UUID(given.year_id), assessors=given.assessors, by=_by(given)
            )

    @activity.defn(name="evaluation.score")
    def score(self, given: RecordScoreInput) -> int:
        """Record an assessor's score once: a retry with its score id records nothing."""
        with activity_boundary():
            s = given.score
            return self.evaluations.score(
                uuid.UUID(given.year_id), score_id=s.score_id, item_code=s.item_code,
                score=s.score, comment=s.comment,
                by=Actor(s.assessor, "staff", given.effective_at),
            )  # fmt: skip

    @activity.defn(name="evaluation.publish")
    def publish(self, given: RecordStepInput) -> float:
        """Publish the final index; the index (also when published already)."""
        with activity_boundary():
            year_id = uuid.UUID(given.year_id)
            self.evaluations.publish(year_id, by=_by(given))
            index = self.evaluations.get_year(year_id).published_index
            return 0.0 if index is None else index
