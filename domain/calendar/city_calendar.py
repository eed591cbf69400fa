"""A city's own calendar: local holidays and extra working days it declares."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from eventsourcing.domain import event

from domain.calendar.errors import (
    DayAlreadyDeclaredError,
    DeclarationNotNeededError,
    InvalidCityError,
    NoDeclarationError,
)
from domain.calendar.working import WorkingCalendar
from domain.shared import JejakAggregate, natural_id
from domain.values import checked_code, required_text


def normalise_city_code(city_code: str) -> str:
    """The city code in upper case, checked."""
    error = InvalidCityError("city_code", f"'{city_code}' is not a city code.")
    return checked_code(city_code, error)


class CityCalendar(JejakAggregate):
    """What one city declared about its working days, on top of the national calendar."""

    TOPIC = "jejak.calendar:CityCalendar"

    @staticmethod
    def create_id(city_code: str) -> uuid.UUID:
        """The id of the calendar of this city."""
        return natural_id("calendar", city_code)

    @event("Created", topic="jejak.calendar:CityCalendar.Created")
    def __init__(self, city_code: str, actor: str, capacity: str, effective_at: datetime) -> None:
        self.city_code = city_code
        self.local_holidays: dict[date, str] = {}
        self.extra_working_days: dict[date, str] = {}

    def working_calendar(self) -> WorkingCalendar:
        """The working calendar of this city: national days plus its declarations."""
        return WorkingCalendar(dict(self.local_holidays), dict(self.extra_working_days))

    def _check_free(self, day: date, turns_working: bool) -> None:
        """Refuse a declaration on a day already declared, or one that changes nothing."""
        if day in self.local_holidays or day in self.extra_working_days:
            raise DayAlreadyDeclaredError(
                f"{self.city_code} already declared {day.isoformat()}; withdraw that first."
            )
        if self.working_calendar().is_working_day(day) == turns_working:
            state = "a working day" if turns_working else "a day off"
            raise DeclarationNotNeededError("day", f"{day.isoformat()} already is {state}.")

    def declare_local_holiday(self, day: date, name: str, **attr: Any) -> None:
        """Declare a local holiday: no work on ``day`` in this city."""
        name = required_text("name", name)
        self._check_free(day, turns_working=False)
        self._local_holiday_declared(day=day, name=name, **attr)

    @event("LocalHolidayDeclared", topic="jejak.calendar:CityCalendar.LocalHolidayDeclared")
    def _local_holiday_declared(
        self, day: date, name: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.local_holidays[day] = name

    def declare_working_day(self, day: date, reason: str, **attr: Any) -> None:
        """Declare ``day`` a working day (an extra working Saturday, a cancelled leave day)."""
        reason = required_text("reason", reason)
        self._check_free(day, turns_working=True)
        self._working_day_declared(day=day, reason=reason, **attr)

    @event("WorkingDayDeclared", topic="jejak.calendar:CityCalendar.WorkingDayDeclared")
    def _working_day_declared(
        self, day: date, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.extra_working_days[day] = reason

    def withdraw_declaration(self, day: date, reason: str, **attr: Any) -> None:
        """Withdraw what the city declared for ``day``: the national calendar applies again."""
        reason = required_text("reason", reason)
        if day not in self.local_holidays and day not in self.extra_working_days:
            raise NoDeclarationError(f"{self.city_code} declared nothing for {day.isoformat()}.")
        self._declaration_withdrawn(day=day, reason=reason, **attr)

    @event("DeclarationWithdrawn", topic="jejak.calendar:CityCalendar.DeclarationWithdrawn")
    def _declaration_withdrawn(
        self, day: date, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.local_holidays.pop(day, None)
        self.extra_working_days.pop(day, None)
