"""Schemas of the master plan, its programs and milestones."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.bounds import (
    ONLY_YEARS,
    CityCode,
    Comment,
    Label,
    Name,
    OpdCode,
    Reference,
    Rupiah,
    ShortKey,
    Title,
    Weight,
    Whole,
    Year,
)
from api.schemas.bounds import Target as TargetIn
from api.schemas.dates import IsoDay

Target = str | int | float


class AspectIn(RequestBody):
    """An aspect (dimensi) of the smart city, in English and Indonesian."""

    id: ShortKey = Field(examples=["governance"])
    label_en: Label
    label_id: Label


class CreatePlan(RequestBody):
    """Draft a city's master plan (six default aspects unless others are given)."""

    city_code: CityCode
    city_name: Name
    title: Title
    start_year: Whole = Field(ge=1901, le=2999)
    years: Whole = Field(10, ge=1, le=50)
    vision: Comment = ""
    aspects: list[AspectIn] | None = Field(
        None, min_length=1, max_length=20, description="Each id once"
    )


class AddProgram(RequestBody):
    """A program of an aspect, owned by one OPD and supported by others."""

    code: ShortKey
    name: Title
    aspect: ShortKey = Field(description="An aspect of the plan")
    owner_opd: OpdCode
    supporting_opds: list[OpdCode] = Field(default_factory=list, max_length=100)
    quick_win: bool = False
    horizon: Literal["short", "medium", "long"] = "medium"
    weight: Weight = 1.0
    targets: dict[Year, TargetIn] = Field(
        default_factory=dict,
        max_length=50,
        description="Per year of the plan",
        json_schema_extra=ONLY_YEARS,
    )
    budgets: dict[Year, Rupiah] = Field(
        default_factory=dict,
        max_length=50,
        description="Rupiah per year of the plan",
        json_schema_extra=ONLY_YEARS,
    )


class AddMilestone(RequestBody):
    """A dated, weighted step of a program."""

    code: ShortKey
    title: Title
    due_date: IsoDay = Field(description="Within the plan's years")
    weight: Weight = 1.0
    owner_opd: OpdCode | None = Field(None, description="Default: the program's owner OPD")


class ReportProgress(RequestBody):
    """A progress report: percent done, a note, evidence; a lower percent needs a reason.

    It counts from the moment it is sent: a report carries no time of its own
    (ARCHITECTURE.md, "Times and progress"), and it counts in the roll-ups once approved.
    """

    percent: float = Field(ge=0, le=100, allow_inf_nan=False)
    note: Comment = ""
    evidence: list[Reference] = Field(
        default_factory=list, max_length=50, description="References to documents"
    )
    reason: Comment = Field(
        "", description="Required when the percent is lower than the last report's"
    )


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
