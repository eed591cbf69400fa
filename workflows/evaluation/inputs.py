"""What the evaluation workflow, its updates and its activities take and give: one dataclass each.

Days travel as ISO text (Temporal's JSON converter has no ``date``); new fields get defaults
so that running workflows and recorded histories still decode.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workflows.common import Alert


def evaluation_workflow_id(year_id: str) -> str:
    """The workflow id of a year's evaluation: one workflow per evaluation year."""
    return f"evaluation/{year_id}"


def items_subject(year_id: str, opd_code: str) -> str:
    """The subject id of an OPD's items in a year, as its deadline track names it."""
    return f"{year_id}/{opd_code}"


@dataclass
class Assignment:
    """The items one OPD fills (attaches evidence to)."""

    opd_code: str
    item_codes: list[str]


@dataclass
class EvaluationInput:
    """Run one year's evaluation, from the OPDs' filling to the published index."""

    year_id: str
    city_code: str
    assignments: list[Assignment]
    #: Working days the OPDs have to fill their items, from the day the workflow starts.
    fill_days: int = 10
    #: Reminders, in working days before the due day (0: on the due day itself).
    reminder_offsets: list[int] = field(default_factory=lambda: [2, 1, 0])
    #: Working days after the first escalation (Sekda) before the second (Inspektorat).
    escalation_level2_after: int = 3
    #: Who opened the process (the secretariat), as the assignments' actor.
    opened_by: str = "jejak"


@dataclass
class AssignInput:
    """Record every OPD's items and due date, and start following each due date."""

    year_id: str
    city_code: str
    assignments: list[Assignment]
    started_on: str
    fill_days: int
    reminder_offsets: list[int]
    escalation_level2_after: int
    actor: str
    effective_at: datetime


@dataclass
class OpdDeadline:
    """One OPD's due date and its reminders and escalations, in time order."""

    opd_code: str
    due_date: str
    alerts: list[Alert]


@dataclass
class ItemsAlertInput:
    """Record a reminder, or the overdue note and an escalation, of an OPD's items."""

    year_id: str
    opd_code: str
    due_date: str
    alert: Alert


@dataclass
class StepInput:
    """A person's step of the process (compile, approve, publish), in their capacity."""

    actor: str
    capacity: str


@dataclass
class FillInput:
    """An OPD declares its items filled."""

    opd_code: str
    actor: str
    capacity: str


@dataclass
class HandOverInput:
    """The secretariat hands the approved package to these assessors."""

    assessors: list[str]
    actor: str
    capacity: str


@dataclass
class ScoreInput:
    """An assessor's score of one item, with the comment; ``score_id`` makes it once."""

    score_id: str
    item_code: str
    score: float
    comment: str
    assessor: str


@dataclass
class RecordStepInput:
    """Record one step of the year in the event store (activity side)."""

    year_id: str
    actor: str
    capacity: str
    effective_at: datetime
    opd_code: str = ""
    assessors: list[str] = field(default_factory=list)


@dataclass
class RecordScoreInput:
    """Record one score in the event store (activity side), once per score id."""

    year_id: str
    score: ScoreInput
    effective_at: datetime


@dataclass
class EvaluationState:
    """Where the year's evaluation stands, as the workflow knows it."""

    stage: str
    filled: list[str]
    waiting: list[str]
    index: float | None = None
