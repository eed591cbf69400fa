"""Calendar: working days (hari kerja) per city, national holidays and city declarations."""

from domain.calendar.application import CalendarApplication
from domain.calendar.cities import UnknownCityError
from domain.calendar.city_calendar import CityCalendar
from domain.calendar.errors import (
    DayAlreadyDeclaredError,
    DeclarationNotNeededError,
    InvalidCityError,
    NoDeclarationError,
)
from domain.calendar.national import national_holidays
from domain.calendar.working import (
    END_OF_DAY,
    JAKARTA,
    InvalidWorkingDaysError,
    WorkingCalendar,
    end_of_day,
    local_day,
)

__all__ = [
    "END_OF_DAY",
    "JAKARTA",
    "CalendarApplication",
    "CityCalendar",
    "DayAlreadyDeclaredError",
    "DeclarationNotNeededError",
    "InvalidCityError",
    "InvalidWorkingDaysError",
    "NoDeclarationError",
    "UnknownCityError",
    "WorkingCalendar",
    "end_of_day",
    "local_day",
    "national_holidays",
]
