"""Working days (hari kerja) in the city, and the city's declarations."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from api.deps import Allow, AppSettings, Calendar
from api.policy import Caller
from api.schemas import CommandResult
from api.schemas.calendar import DayOff, Declaration, WorkingDaysOut
from api.schemas.dates import Day
from api.schemas.params import CityQuery
from domain.calendar import end_of_day

router = APIRouter(prefix="/calendar", tags=["calendar"])


def city_code(settings: AppSettings, calendar: Calendar, city: CityQuery = None) -> str:
    """The city a request is about: the one named, or the deployment's; unknown is a 422."""
    return calendar.city(city, settings.city)


#: The city of a request, checked: declared holidays of this code move every due date.
City = Annotated[str, Depends(city_code)]


def city_checker(settings: AppSettings, calendar: Calendar) -> Callable[[str], str]:
    """A check for the city a new session or commitment names: one served here, or 422."""
    return lambda code: calendar.city(code, settings.city)


#: Checks a city code given in a body (a bimtek stage's, a commitment's).
CityCheck = Annotated[Callable[[str], str], Depends(city_checker)]


@router.get("/working-days")
def working_days(
    caller: Annotated[Caller, Allow("calendar:read")],
    calendar: Calendar,
    city: City,
    start: Annotated[Day, Query(alias="from", description="The day to count from")],
    days: Annotated[int, Query(ge=0, le=3650, description="How many working days")],
) -> WorkingDaysOut:
    """The n-th working day after a date in the city, and the days off on the way."""
    working = calendar.calendar_for(city)
    due = working.add_working_days(start, days)
    between = (start + timedelta(days=i) for i in range(1, (due - start).days))
    days_off = [
        DayOff(day=day, reason=reason)
        for day in between
        if (reason := working.day_off_reason(day)) is not None
    ]
    return WorkingDaysOut(
        city=city, start=start, days=days, due=due, due_at=end_of_day(due), days_off=days_off
    )


@router.post("/declarations")
def declare(
    body: Declaration,
    caller: Annotated[Caller, Allow("calendar:declare")],
    calendar: Calendar,
    settings: AppSettings,
) -> CommandResult:
    """Declare a local holiday, or an extra working day, in the city (an unknown city is 422)."""
    city = calendar.city(body.city, settings.city)
    if body.kind == "local-holiday":
        position = calendar.declare_local_holiday(city, body.day, body.reason, by=caller.actor())
    else:
        position = calendar.declare_working_day(city, body.day, body.reason, by=caller.actor())
    return CommandResult(position=position)
