"""Which cities a deployment serves: the configured one, and the cities of its master plans.

One city code names a city everywhere: its master plan, the due dates its workflows
compute and the declarations of its calendar. A deployment is told its city
(``JEJAK_CITY``); without one it serves the city of the first master plan in the log.
A city that is neither is refused, so a declaration can never land on a code nobody reads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from eventsourcing.persistence import ApplicationRecorder, Mapper

from domain.calendar.city_calendar import normalise_city_code
from domain.eventlog import TopicField
from domain.shared import ValidationError

#: The stored topic of a master plan's creation; its ``city_code`` names the plan's city.
PLAN_CREATED = "jejak.plan:MasterPlan.Created"


class UnknownCityError(ValidationError):
    """The city asked for is not one this deployment serves."""

    code = "unknown-city"
    title = "Unknown city"

    def __init__(self, city: str | None, known: Iterable[str]) -> None:
        names = ", ".join(known)
        if not names:
            message = (
                "No city is set up yet: set JEJAK_CITY to the city's code, "
                "or create the city's master plan first."
            )
        else:
            message = f"'{city}' is not a city served here. Known cities: {names}."
        super().__init__("city", message)
        self.known = names


class PlanCities:
    """The city codes of the master plans in the log, in the order the plans were created."""

    def __init__(self, recorder: ApplicationRecorder, mapper: Mapper[Any]) -> None:
        self._created = TopicField(recorder, mapper, PLAN_CREATED, "city_code")

    def codes(self) -> list[str]:
        """The plans' city codes, first plan first, each once."""
        found = (str(code or "").strip().upper() for code in self._created.values())
        return [code for code in dict.fromkeys(found) if code]


def known_cities(configured: str, plan_cities: Iterable[str]) -> list[str]:
    """The configured city first (if any), then the plans' cities, each once."""
    found = [normalise_city_code(configured)] if configured.strip() else []
    return found + [c for c in plan_cities if c not in found]


def choose_city(requested: str | None, known: list[str]) -> str:
    """The city asked for, or the deployment's city when none is; unknown -> 422."""
    if requested is None or not requested.strip():
        if not known:
            raise UnknownCityError(None, known)
        return known[0]
    city = normalise_city_code(requested)
    if city not in known:
        raise UnknownCityError(city, known)
    return city
