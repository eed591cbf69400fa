"""The calendar service: a city's working calendar, and its declarations."""

from __future__ import annotations

from datetime import date
from functools import cached_property

from domain.calendar.cities import PlanCities, choose_city, known_cities
from domain.calendar.city_calendar import CityCalendar, normalise_city_code
from domain.calendar.working import WorkingCalendar
from domain.shared import Actor, JejakApplication, NotFoundError


class CalendarApplication(JejakApplication):
    """Working days per city: the national calendar plus what the city declared."""

    name = "jejak.calendar"

    @cached_property
    def _plan_cities(self) -> PlanCities:
        return PlanCities(self.recorder, self.mapper)

    def cities(self, configured: str = "") -> list[str]:
        """The cities served here: the configured one first, then those of the master plans."""
        return known_cities(configured, self._plan_cities.codes())

    def city(self, requested: str | None, configured: str = "") -> str:
        """The city code asked for, or the deployment's city; ``UnknownCityError`` otherwise."""
        return choose_city(requested, self.cities(configured))

    def calendar_for(self, city_code: str) -> WorkingCalendar:
        """The working calendar of a city (the national one if it declared nothing)."""
        city = self._find(normalise_city_code(city_code))
        return city.working_calendar() if city is not None else WorkingCalendar()

    def add_working_days(self, city_code: str, start: date, n: int) -> date:
        """The n-th working day after ``start`` in this city."""
        return self.calendar_for(city_code).add_working_days(start, n)

    def declare_local_holiday(self, city_code: str, day: date, name: str, *, by: Actor) -> int:
        """Declare a local holiday in a city."""
        city = self._find_or_start(city_code, by)
        return self.run(city, city.declare_local_holiday, day, name, **by.attribution())

    def declare_working_day(self, city_code: str, day: date, reason: str, *, by: Actor) -> int:
        """Declare an extra working day in a city (e.g. a working Saturday)."""
        city = self._find_or_start(city_code, by)
        return self.run(city, city.declare_working_day, day, reason, **by.attribution())

    def withdraw_declaration(self, city_code: str, day: date, reason: str, *, by: Actor) -> int:
        """Withdraw a city's declaration for a day."""
        city = self._find_or_start(city_code, by)
        return self.run(city, city.withdraw_declaration, day, reason, **by.attribution())

    def _find(self, city_code: str) -> CityCalendar | None:
        """The city's calendar, if it ever declared anything."""
        try:
            return self.get(CityCalendar.create_id(city_code), CityCalendar, "The city calendar")
        except NotFoundError:
            return None

    def _find_or_start(self, city_code: str, by: Actor) -> CityCalendar:
        """The city's calendar, started (unsaved) on its first declaration."""
        code = normalise_city_code(city_code)
        return self._find(code) or CityCalendar(city_code=code, **by.attribution())
