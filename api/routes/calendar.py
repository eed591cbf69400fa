"""Working days (hari kerja) per city, and the city's declarations."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query

from api.deps import Allow, Calendar
from api.policy import Caller
from api.schemas import CommandResult
from api.schemas.calendar import DayOff, Declaration, WorkingDaysOut
from api.schemas.dates import Day
from api.schemas.params import CityQuery
from domain.calendar import end_of_day

router = APIRouter(prefix="/calendar", tags=["calendar"])

#: The reference city, when a request names none.
DEFAULT_CITY = "PEMATANGSIANTAR"


@router.get("/working-days")
def working_days(
    caller: Annotated[Caller, Allow("calendar:read")],
    calendar: Calendar,
    start: Annotated[Day, Query(alias="from", description="The day to count from")],
    days: Annotated[int, Query(ge=0, le=3650, description="How many working days")],
    city: CityQuery = DEFAULT_CITY,
) -> WorkingDaysOut:
    """The n-th working day after a date in a city, and the days off on the way."""
    working = calendar.calendar_for(city)
    due = working.add_working_days(start, days)
    between = (start + timedelta(days=i) for i in range(1, (due - start).days))
    days_off = [
        DayOff(day=day, reason=reason)
        for day in between
        if (reason := working.day_off_reason(day)) is not None
    ]
    return WorkingDaysOut(
        city=city.strip().upper(),
        start=start,
        days=days,
        due=due,
        due_at=end_of_day(due),
        days_off=days_off,
    )


@router.post("/declarations")
def declare(
    body: Declaration,
    caller: Annotated[Caller, Allow("calendar:declare")],
    calendar: Calendar,
) -> CommandResult:
    """Declare a local holiday, or an extra working day, in a city."""
    if body.kind == "local-holiday":
        position = calendar.declare_local_holiday(
            body.city, body.day, body.reason, by=caller.actor()
        )
    else:
        position = calendar.declare_working_day(body.city, body.day, body.reason, by=caller.actor())
    return CommandResult(position=position)
