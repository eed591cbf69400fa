"""Schemas of the working calendar."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.bounds import CityCode, Name
from api.schemas.dates import Day


class DayOff(BaseModel):
    """A day that is not a working day, and why."""

    day: date
    reason: str


class WorkingDaysOut(BaseModel):
    """The n-th working day after a date, and the days off skipped on the way."""

    city: str
    start: date
    days: int
    due: date
    due_at: datetime
    days_off: list[DayOff]


class Declaration(RequestBody):
    """A city's declaration: a local holiday, or an extra working day."""

    city: CityCode | None = Field(
        None,
        examples=["SIANTAR"],
        description="The city's code (default: the city this deployment serves)",
    )
    day: Day
    kind: Literal["local-holiday", "working-day"]
    reason: Name
