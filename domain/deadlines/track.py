"""The DeadlineTrack aggregate: what the engine did about one dated obligation.

One track per subject (a milestone, a bimtek deliverable, a commitment's signing deadline).
Every command is idempotent per due date: a retried activity records nothing new, and a
moved due date starts a fresh series of reminders.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.deadlines import events
from domain.deadlines.errors import EscalationLevelError, UnknownDeadlineKindError
from domain.deadlines.values import ESCALATED_TO, DeadlineKind
from domain.shared import JejakAggregate, ValidationError, natural_id
from domain.values import SubjectRef


class DeadlineTrack(JejakAggregate):
    """The reminders, overdue notes and escalations of one subject's deadline."""

    TOPIC = events.TOPIC

    class Event(JejakAggregate.Event):
        """Base of this aggregate's events."""

    class Created(Event, JejakAggregate.Created):
        """Base of the creation event (the track itself starts with ``Tracked``)."""

        TOPIC = f"{events.TOPIC}.Created"

    ReminderSent = events.ReminderSent
    OverdueRecorded = events.OverdueRecorded
    Escalated = events.Escalated
    DueDateMoved = events.DueDateMoved
    Closed = events.Closed
    Reopened = events.Reopened

    @staticmethod
    def create_id(kind: str, subject_id: str) -> uuid.UUID:
        """One track per subject."""
        return natural_id("deadline", kind, subject_id)

    @classmethod
    def start(
        cls, *, kind: str, subject_id: str, owner_opd: str, title: str, due_date: date, **by: Any
    ) -> DeadlineTrack:
        """A new track, refused for an unknown kind or a due date that is not a date."""
        if kind not in set(DeadlineKind):
            raise UnknownDeadlineKindError(kind)
        if not isinstance(due_date, date) or isinstance(due_date, datetime):
            raise ValidationError("due_date", "The due date must be a calendar date.")
        if not subject_id.strip():
            raise ValidationError("subject_id", "Say which subject the deadline belongs to.")
        return cls(
            kind=kind,
            subject_id=subject_id,
            owner_opd=owner_opd.strip().upper(),
            title=title.strip(),
            due_date=due_date,
            **by,
        )

    @event("Tracked", topic=f"{events.TOPIC}.Tracked")
    def __init__(
        self,
        kind: str,
        subject_id: str,
        owner_opd: str,
        title: str,
        due_date: date,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.kind, self.subject_id, self.owner_opd = kind, subject_id, owner_opd
        self.title, self.due_date = title, due_date
        self.reminders: set[tuple[date, str]] = set()
        self.overdue: set[date] = set()
        self.escalations: set[tuple[date, int]] = set()
        self.closed_reason: str | None = None
        #: The key (a log position) of the last reopening, so a retried one records nothing.
        self.reopen_key = 0

    @property
    def subject(self) -> SubjectRef:
        """What the deadline is about."""
        return SubjectRef(self.kind, self.subject_id)

    @property
    def is_closed(self) -> bool:
        """True once the subject was done (or the deadline dropped)."""
        return self.closed_reason is not None

    def send_reminder(self, label: str, due_date: date, **by: Any) -> bool:
        """Note a reminder before ``due_date``; False when already noted or closed."""
        if self.is_closed or (due_date, label) in self.reminders:
            return False
        self.trigger_event(self.ReminderSent, label=label, due_date=due_date, **by)
        return True

    def record_overdue(self, due_date: date, **by: Any) -> bool:
        """Note that ``due_date`` passed with the subject not done; False when already noted."""
        if self.is_closed or due_date in self.overdue:
            return False
        self.trigger_event(self.OverdueRecorded, due_date=due_date, **by)
        return True

    def escalate(self, level: int, due_date: date, **by: Any) -> bool:
        """Escalate a missed ``due_date`` (1: Sekda, 2: Inspektorat); False when already done."""
        if level not in ESCALATED_TO:
            raise EscalationLevelError(level)
        if self.is_closed or (due_date, level) in self.escalations:
            return False
        to = ESCALATED_TO[level]
        self.trigger_event(self.Escalated, level=level, escalated_to=to, due_date=due_date, **by)
        return True

    def move_due_date(self, new_due_date: date, **by: Any) -> bool:
        """Follow the subject's new due date; False when it is already the one tracked."""
        if self.is_closed or new_due_date == self.due_date:
            return False
        old = self.due_date
        self.trigger_event(self.DueDateMoved, old_due_date=old, new_due_date=new_due_date, **by)
        return True

    def close(self, reason: str, **by: Any) -> bool:
        """Stop tracking (the subject is done); False when already closed."""
        if self.is_closed:
            return False
        self.trigger_event(
            self.Closed,
            reason=required(reason, "Say why the deadline is no longer followed."),
            **by,
        )
        return True

    def reopen(self, due_date: date, reason: str, key: int, **by: Any) -> bool:
        """Follow the deadline afresh (a deliverable returned, a commitment renewed).

        A fresh series of reminders, overdue note and escalations starts for ``due_date``,
        even on a closed track. ``key`` (the log position of the event that reopened it)
        makes it idempotent: False when this or a later reopening is already recorded.
        """
        if key <= self.reopen_key:
            return False
        why = required(reason, "Say why the deadline is followed again.")
        self.trigger_event(self.Reopened, due_date=due_date, reason=why, key=key, **by)
        return True


def required(reason: str, message: str) -> str:
    """The reason, trimmed; refused when blank."""
    if not reason.strip():
        raise ValidationError("reason", message)
    return reason.strip()
