"""When a step (or any deadline) gets its reminders and escalations, from a working calendar.

Pure: the activities compute the schedule (the calendar is data in the event store) and hand
the absolute times to the workflow, which only waits for them.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time

from domain.calendar import JAKARTA, WorkingCalendar, end_of_day
from workflows.common import Alert, AlertKind

#: When offices open: reminders go out at the start of the working day (WIB).
OFFICE_OPENS = time(8, 0)


def reminder_label(offset: int) -> str:
    """How officials name a reminder: "H-2" is two working days before the due day."""
    return f"H-{offset}"


def reminders(
    calendar: WorkingCalendar, opened_on: date, due_on: date, offsets: Sequence[int]
) -> list[Alert]:
    """A reminder at office opening ``n`` working days before the due day, for each offset.

    Reminders that would fall before the day the step opened are left out.
    """
    found = []
    for offset in sorted(set(offsets), reverse=True):
        day = calendar.subtract_working_days(due_on, offset)
        if day >= opened_on:
            at = datetime.combine(day, OFFICE_OPENS, tzinfo=JAKARTA)
            found.append(Alert(at=at, kind=AlertKind.REMINDER, label=reminder_label(offset)))
    return found


def escalations(calendar: WorkingCalendar, due_on: date, level2_after: int) -> list[Alert]:
    """Level 1 (the Sekda) when the due day ends; level 2 (the Inspektorat) later."""
    level2_on = calendar.add_working_days(due_on, level2_after)
    return [
        Alert(at=end_of_day(due_on), kind=AlertKind.ESCALATION, label="sekda", level=1),
        Alert(at=end_of_day(level2_on), kind=AlertKind.ESCALATION, label="inspektorat", level=2),
    ]


def alerts(
    calendar: WorkingCalendar,
    opened_on: date,
    due_on: date,
    reminder_offsets: Sequence[int],
    level2_after: int,
) -> list[Alert]:
    """Every reminder and escalation of a deadline, in time order."""
    found = reminders(calendar, opened_on, due_on, reminder_offsets)
    found += escalations(calendar, due_on, level2_after)
    return sorted(found, key=lambda alert: alert.at)
