"""The deadline workflow's only door to the event store: idempotent steps over the domain.

Each activity may run twice (a worker dies after writing, before reporting); the deadline
track records each reminder, overdue note and escalation once per due date, so the second
run records nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from temporalio import activity

from domain.bimtek.application import BimtekApplication
from domain.calendar import CalendarApplication
from domain.commitments.application import CommitmentsApplication
from domain.deadlines.application import DeadlinesApplication
from domain.deadlines.track import DeadlineTrack
from domain.plan.application import PlanApplication
from domain.values import SubjectRef
from infra.store import EventStore
from workflows import schedule
from workflows.common import Alert, AlertKind, activity_boundary, system_at
from workflows.deadline.inputs import (
    CloseInput,
    DeadlineAlertInput,
    MoveInput,
    ReopenInput,
    ScheduleInput,
    SubjectInput,
    SubjectStatus,
    TrackInput,
)
from workflows.deadline.subjects import SubjectLookup


class DeadlineActivities:
    """The deadline activities, handed the application services they read and write through."""

    def __init__(
        self,
        deadlines: DeadlinesApplication,
        calendar: CalendarApplication,
        subjects: SubjectLookup,
    ) -> None:
        self.deadlines = deadlines
        self.calendar = calendar
        self.subjects = subjects

    @classmethod
    def over(cls, store: EventStore) -> DeadlineActivities:
        """The activities over the application services of ``store``."""
        subjects = SubjectLookup(
            store.app(PlanApplication),
            store.app(BimtekApplication),
            store.app(CommitmentsApplication),
        )
        return cls(store.app(DeadlinesApplication), store.app(CalendarApplication), subjects)

    def all(self) -> list[Callable[..., Any]]:
        """The bound activity methods, for the worker."""
        return [
            self.track,
            self.alerts,
            self.subject_status,
            self.record_alert,
            self.move_due_date,
            self.close,
            self.reopen,
        ]

    @activity.defn(name="deadline.track")
    def track(self, given: TrackInput) -> None:
        """Start the track of the deadline (an existing one is kept)."""
        with activity_boundary():
            self.deadlines.track(
                given.kind,
                given.subject_id,
                given.owner_opd,
                given.title,
                date.fromisoformat(given.due_date),
                system_at(given.effective_at),
            )

    @activity.defn(name="deadline.alerts")
    def alerts(self, given: ScheduleInput) -> list[Alert]:
        """The reminders and escalations of a due date, in time order, from the city's calendar."""
        with activity_boundary():
            return schedule.alerts(
                self.calendar.calendar_for(given.city_code),
                date.fromisoformat(given.started_on),
                date.fromisoformat(given.due_date),
                given.reminder_offsets,
                given.escalation_level2_after,
            )

    @activity.defn(name="deadline.subject_status")
    def subject_status(self, given: SubjectInput) -> SubjectStatus:
        """Whether the subject is done and its due date now (guards against a lost signal)."""
        with activity_boundary():
            return self.subjects.status(SubjectRef(given.kind, given.subject_id))

    @activity.defn(name="deadline.record_alert")
    def record_alert(self, given: DeadlineAlertInput) -> bool:
        """Record a reminder, or overdue and an escalation; False when already recorded."""
        with activity_boundary():
            track_id = DeadlineTrack.create_id(given.kind, given.subject_id)
            due, alert, by = (
                date.fromisoformat(given.due_date),
                given.alert,
                system_at(given.alert.at),
            )
            if alert.kind == AlertKind.REMINDER:
                return self.deadlines.send_reminder(track_id, alert.label, due, by) is not None
            if alert.level == 1:
                self.deadlines.record_overdue(track_id, due, by)
            return self.deadlines.escalate(track_id, alert.level, due, by) is not None

    @activity.defn(name="deadline.move_due_date")
    def move_due_date(self, given: MoveInput) -> bool:
        """Follow the subject's new due date; False when it is already followed."""
        with activity_boundary():
            track_id = DeadlineTrack.create_id(given.kind, given.subject_id)
            new_due = date.fromisoformat(given.new_due_date)
            return (
                self.deadlines.move_due_date(track_id, new_due, system_at(given.effective_at))
                is not None
            )

    @activity.defn(name="deadline.close")
    def close(self, given: CloseInput) -> bool:
        """End the track; False when it was already closed."""
        with activity_boundary():
            track_id = DeadlineTrack.create_id(given.kind, given.subject_id)
            return (
                self.deadlines.close_track(track_id, given.reason, system_at(given.effective_at))
                is not None
            )

    @activity.defn(name="deadline.reopen")
    def reopen(self, given: ReopenInput) -> bool:
        """Follow the deadline afresh; False when this reopening was already recorded."""
        with activity_boundary():
            track_id = DeadlineTrack.create_id(given.kind, given.subject_id)
            position = self.deadlines.reopen(
                track_id,
                date.fromisoformat(given.due_date),
                given.reason,
                given.position,
                system_at(given.effective_at),
            )
            return position is not None
