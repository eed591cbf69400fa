"""Schemas of the overviews: progress by aspect, program and OPD, deadlines and the inbox.

A program's progress and an inbox item are their read models' rows as they are: their schemas
take the rows' fields (one definition, the view's) and only say them for the API.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel
from pydantic.dataclasses import dataclass

from projections.views.inbox.queries import InboxItem
from projections.views.plan_progress.queries import ProgramProgress


@dataclass(frozen=True)
class ProgramProgressOut(ProgramProgress):
    """A program: its milestones' approved progress weighed together (percent), by status.

    ``reported_progress`` counts the latest reports awaiting approval too; ``published``: the
    program's plan is approved (only those are public).
    """


class RollupOut(BaseModel):
    """Programs weighed together (percent): their approved progress, and ``reported_progress``
    over the latest reports, those awaiting approval included; quick wins also apart."""

    plan_id: str
    progress: float
    reported_progress: float
    quick_win_progress: float | None
    programs: int
    quick_wins: int
    milestones: int
    by_status: dict[str, int]


class AspectProgressOut(RollupOut):
    """An aspect of a plan: its programs' approved progress weighed together (percent).

    ``reported_progress`` is the same over the latest reports, those awaiting approval included.
    """

    aspect: str
    label_en: str
    label_id: str


class PlanProgressOut(RollupOut):
    """A plan: all its programs' approved progress weighed together (percent).

    ``reported_progress`` counts the latest reports awaiting approval too; ``published``: the
    plan is approved (only those are public).
    """

    published: bool


class OpdProgressOut(RollupOut):
    """An owner OPD: the approved progress of the programs it owns weighed together (percent)."""

    opd_code: str


class DeadlineOut(BaseModel):
    """A deadline on the board: what, whose, due when, and since when late or escalated."""

    key: str
    kind: str
    subject_id: str
    title: str
    owner_opd: str
    due_date: date
    due_at: str | None
    state: str
    subject_status: str
    escalation_level: int
    escalated_at: str | None
    escalated_to: str | None
    reminders: int
    late_since: date | None
    working_days_late: int


@dataclass(frozen=True)
class InboxItemOut(InboxItem):
    """An open approval step an OPD is asked to decide; ``working_days_left`` < 0 is late."""
