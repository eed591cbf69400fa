"""Schemas of the master plan, its programs and milestones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.dates import IsoDay

Target = str | int | float


class AspectIn(RequestBody):
    """An aspect (dimensi) of the smart city, in English and Indonesian."""

    id: str = Field(min_length=1, max_length=40, examples=["governance"])
    label_en: str = Field(min_length=1, max_length=100)
    label_id: str = Field(min_length=1, max_length=100)


class CreatePlan(RequestBody):
    """Draft a city's master plan (six default aspects unless others are given)."""

    city_code: str = Field(min_length=2, max_length=40, examples=["SIANTAR"])
    city_name: str = Field(min_length=1, max_length=200)
    title: str = Field(min_length=1, max_length=300)
    start_year: int = Field(ge=1901, le=2999)
    years: int = Field(10, ge=1, le=50)
    vision: str = Field("", max_length=2000)
    aspects: list[AspectIn] | None = None


class AddProgram(RequestBody):
    """A program of an aspect, owned by one OPD and supported by others."""

    code: str = Field(min_length=1, max_length=40)
    name: str = Field(min_length=1, max_length=300)
    aspect: str = Field(min_length=1, max_length=40)
    owner_opd: str = Field(min_length=2, max_length=32)
    supporting_opds: list[str] = Field(default_factory=list, max_length=100)
    quick_win: bool = False
    horizon: Literal["short", "medium", "long"] = "medium"
    weight: float = Field(1.0, gt=0)
    targets: dict[int, Target] = Field(default_factory=dict)
    budgets: dict[int, int] = Field(default_factory=dict, description="Rupiah per year")


class AddMilestone(RequestBody):
    """A dated, weighted step of a program."""

    code: str = Field(min_length=1, max_length=40)
    title: str = Field(min_length=1, max_length=300)
    due_date: IsoDay = Field(description="Within the plan's years")
    weight: float = Field(1.0, gt=0)
    owner_opd: str | None = Field(None, description="Default: the program's owner OPD")


class ReportProgress(RequestBody):
    """A progress report: percent done, a note, evidence; a lower percent needs a reason.

    It counts from the moment it is sent: a report carries no time of its own
    (ARCHITECTURE.md, "Times and progress"), and it counts in the roll-ups once approved.
    """

    percent: float = Field(ge=0, le=100)
    note: str = Field("", max_length=4000)
    evidence: list[str] = Field(default_factory=list, max_length=50)
    reason: str = Field("", max_length=2000)


class AspectOut(BaseModel):
    """An aspect of the plan and how many programs it has."""

    id: str
    label_en: str
    label_id: str
    programs: int


class PlanSummary(BaseModel):
    """A master plan in a list."""

    id: str
    version: int
    city_code: str
    title: str
    start_year: int
    end_year: int
    status: str


class PlanOut(PlanSummary):
    """A master plan: its period, vision, aspects and baseline."""

    city_name: str
    years: int
    vision: str
    baseline_version: int
    aspects: list[AspectOut]


class ProgramOut(BaseModel):
    """A program: aspect, owner and supporting OPDs, targets and budgets per year."""

    id: str
    version: int
    plan_id: str
    code: str
    name: str
    aspect: str
    owner_opd: str
    supporting_opds: list[str]
    quick_win: bool
    horizon: str
    weight: float
    targets: dict[int, Target]
    budgets: dict[int, int]
    milestones: int


class ReportOut(BaseModel):
    """One progress report."""

    percent: float
    note: str
    evidence: list[str]
    reason: str
    reported_by: str
    effective_at: datetime


class MilestoneOut(BaseModel):
    """A milestone: due date, owner OPD, where it stands and its progress reports."""

    id: str
    version: int
    program_id: str
    code: str
    title: str
    due_date: date
    weight: float
    owner_opd: str
    status: str
    percent: float
    approved_percent: float = Field(description="The percent last approved: what counts")
    submitted_by: str | None
    comment: str
    reports: list[ReportOut]
