"""Schemas of the overviews: progress by aspect, program and OPD, deadlines and the inbox."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel


class AspectProgressOut(BaseModel):
    """An aspect of a plan: its programs' approved progress weighed together (percent).

    ``reported_progress`` is the same over the latest reports, those awaiting approval included.
    """

    plan_id: str
    aspect: str
    label_en: str
    label_id: str
    progress: float
    reported_progress: float
    quick_win_progress: float | None
    programs: int
    quick_wins: int
    milestones: int
    by_status: dict[str, int]


class PlanProgressOut(BaseModel):
    """A plan: all its programs' approved progress weighed together (percent).

    ``reported_progress`` counts the latest reports awaiting approval too; ``published``: the
    plan is approved (only those are public).
    """

    plan_id: str
    progress: float
    reported_progress: float
    quick_win_progress: float | None
    programs: int
    quick_wins: int
    milestones: int
    by_status: dict[str, int]
    published: bool


class ProgramProgressOut(BaseModel):
    """A program: its milestones' approved progress weighed together (percent), by status.

    ``reported_progress`` counts the latest reports awaiting approval too; ``published``: the
    program's plan is approved (only those are public).
    """

    plan_id: str
    program_id: str
    code: str
    name: str
    aspect: str
    owner_opd: str
    quick_win: bool
    weight: float
    progress: float
    reported_progress: float
    milestones: int
    by_status: dict[str, int]
    published: bool


class OpdProgressOut(BaseModel):
    """An owner OPD: the approved progress of the programs it owns weighed together (percent)."""

    plan_id: str
    opd_code: str
    progress: float
    reported_progress: float
    quick_win_progress: float | None
    programs: int
    quick_wins: int
    milestones: int
    by_status: dict[str, int]


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


class InboxItemOut(BaseModel):
    """An open approval step an OPD is asked to decide; ``working_days_left`` < 0 is late."""

    request_id: str
    step_index: int
    opd_code: str
    round: int
    subject_kind: str
    subject_id: str
    title: str
    owner_opd: str
    mode: str
    quorum: int | None
    due_at: datetime
    strategic: bool
    budget: bool
    escalation_level: int
    reminders: int
    decided: bool
    working_days_left: int | None
