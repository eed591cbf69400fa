"""What happens to a deadline's track after it starts: one event class each.

Each event applies itself to the track. The topics are pinned (``TOPIC``) to the names
they were first stored under, ``jejak.deadlines:DeadlineTrack.<Event>``: they are stored
contracts and never change, wherever the classes live.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from domain.shared import JejakAggregate

if TYPE_CHECKING:
    from domain.deadlines.track import DeadlineTrack

TOPIC = "jejak.deadlines:DeadlineTrack"


class ReminderSent(JejakAggregate.Event):
    """A reminder before ``due_date`` went out."""

    TOPIC = f"{TOPIC}.ReminderSent"
    label: str
    due_date: date

    def apply(self, track: DeadlineTrack) -> None:
        track.reminders.add((self.due_date, self.label))


class OverdueRecorded(JejakAggregate.Event):
    """``due_date`` passed with the subject not done."""

    TOPIC = f"{TOPIC}.OverdueRecorded"
    due_date: date

    def apply(self, track: DeadlineTrack) -> None:
        track.overdue.add(self.due_date)


class Escalated(JejakAggregate.Event):
    """A missed ``due_date`` went up the ladder: 1 to the Sekda, 2 to the Inspektorat."""

    TOPIC = f"{TOPIC}.Escalated"
    level: int
    escalated_to: str
    due_date: date

    def apply(self, track: DeadlineTrack) -> None:
        track.escalations.add((self.due_date, self.level))


class DueDateMoved(JejakAggregate.Event):
    """The subject's due date moved: the track follows the new one."""

    TOPIC = f"{TOPIC}.DueDateMoved"
    old_due_date: date
    new_due_date: date

    def apply(self, track: DeadlineTrack) -> None:
        track.due_date = self.new_due_date


class Closed(JejakAggregate.Event):
    """The subject is done (or its deadline dropped): the track ends."""

    TOPIC = f"{TOPIC}.Closed"
    reason: str

    def apply(self, track: DeadlineTrack) -> None:
        track.closed_reason = self.reason


class Reopened(JejakAggregate.Event):
    """The deadline is followed afresh from ``due_date``; ``key``: the reopening's position."""

    TOPIC = f"{TOPIC}.Reopened"
    due_date: date
    reason: str
    key: int

    def apply(self, track: DeadlineTrack) -> None:
        track.due_date, track.reopen_key, track.closed_reason = self.due_date, self.key, None
        track.reminders, track.overdue, track.escalations = set(), set(), set()
