"""What the deadline workflow, its signals and its activities take and give: one dataclass each.

Days travel as ISO text (Temporal's JSON converter has no ``date``); new fields get defaults
so that running workflows and recorded histories still decode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.common import Alert


def deadline_workflow_id(kind: str, subject_id: str) -> str:
    """The workflow id of a subject's deadline: one workflow per subject."""
    return f"deadline/{kind}/{subject_id}"


@dataclass
class DeadlineInput:
    """Follow one subject's due date: remind before it, note it overdue, escalate after it."""

    kind: str
    subject_id: str
    owner_opd: str
    due_date: str
    city_code: str
    #: Reminders, in working days before the due day (0: on the due day itself).
    reminder_offsets: list[int] = field(default_factory=lambda: [2, 1, 0])
    #: Working days after the first escalation (Sekda) before the second (Inspektorat).
    escalation_level2_after: int = 3
    title: str = ""
    #: Carried across continue-as-new: the first day followed (no reminders before it) ...
    started_on: str | None = None
    #: ... the alerts already handled, as "<due date>/<label>" ...
    handled: list[str] = field(default_factory=list)
    #: ... and the log position of the last signal applied (older ones are ignored).
    last_position: int = 0
    # Recorded histories may also hold ``test_alerts`` (always null): a field no longer
    # here, which the data converter ignores when it decodes them.


@dataclass
class DueDateChanged:
    """The subject's due date moved; ``position`` (the event's log position) makes it idempotent."""

    new_due_date: str
    position: int = 0


@dataclass
class SubjectDone:
    """The subject is done (approved, accepted, signed by all): the deadline ends."""

    reason: str = "done"
    position: int = 0


@dataclass
class SubjectReopened:
    """The subject is due again (a deliverable returned, a commitment renewed): start afresh.

    ``position`` (the event's log position) makes it idempotent, in the workflow and in the
    deadline track alike.
    """

    due_date: str
    reason: str
    position: int


@dataclass
class ReopenInput:
    """Record that the track follows the subject's deadline afresh."""

    kind: str
    subject_id: str
    due_date: str
    reason: str
    position: int
    effective_at: datetime


@dataclass
class TrackInput:
    """Start the deadline's track in the event store (kept when it exists)."""

    kind: str
    subject_id: str
    owner_opd: str
    title: str
    due_date: str
    effective_at: datetime


@dataclass
class ScheduleInput:
    """Compute the alerts of a due date from the city's working calendar."""

    city_code: str
    started_on: str
    due_date: str
    reminder_offsets: list[int]
    escalation_level2_after: int


@dataclass
class SubjectInput:
    """Ask the domain where the subject stands."""

    kind: str
    subject_id: str


@dataclass
class SubjectStatus:
    """Whether the subject is done, and its due date in the domain now (None: none)."""

    done: bool
    due_date: str | None
    reason: str = ""


@dataclass
class DeadlineAlertInput:
    """Record one reminder, or the overdue note and an escalation, of a due date."""

    kind: str
    subject_id: str
    due_date: str
    alert: Alert


@dataclass
class MoveInput:
    """Record that the track follows a new due date."""

    kind: str
    subject_id: str
    new_due_date: str
    effective_at: datetime


@dataclass
class CloseInput:
    """Record that the track ends, and why."""

    kind: str
    subject_id: str
    reason: str
    effective_at: datetime
