"""The cities a deployment serves: the configured one, then the cities of its master plans."""

from __future__ import annotations

import pytest

from domain.calendar import CalendarApplication, UnknownCityError
from domain.calendar.cities import choose_city, known_cities
from domain.plan import PlanApplication
from domain.shared import Actor
from infra.store import EventStore

SECRETARIAT = Actor("197505052000031002")


def draft_plan(store: EventStore, city_code: str, start_year: int) -> None:
    """A draft master plan of ``city_code``."""
    store.app(PlanApplication).create_plan(
        city_code=city_code, city_name=city_code.title(), title="Masterplan",
        start_year=start_year, by=SECRETARIAT,
    )  # fmt: skip


def test_the_city_of_the_first_plan_is_served_when_none_is_configured(store: EventStore) -> None:
    calendar = store.app(CalendarApplication)
    assert calendar.cities() == []
    draft_plan(store, "SIANTAR", 2023)
    draft_plan(store, "TEBING", 2024)
    draft_plan(store, "SIANTAR", 2033)
    assert calendar.cities() == ["SIANTAR", "TEBING"]
    assert calendar.city(None) == "SIANTAR"
    assert calendar.city(" tebing ") == "TEBING"


def test_the_configured_city_comes_first_and_plans_add_theirs(store: EventStore) -> None:
    calendar = store.app(CalendarApplication)
    draft_plan(store, "TEBING", 2024)
    assert calendar.cities("siantar") == ["SIANTAR", "TEBING"]
    assert calendar.city(None, "SIANTAR") == "SIANTAR"


def test_an_unknown_city_is_refused_naming_the_known_ones() -> None:
    with pytest.raises(UnknownCityError) as refused:
        choose_city("PEMATANGSIANTAR", known_cities("SIANTAR", ["TEBING"]))
    assert refused.value.message == (
        "'PEMATANGSIANTAR' is not a city served here. Known cities: SIANTAR, TEBING."
    )


def test_without_any_city_the_refusal_says_how_to_set_one_up() -> None:
    with pytest.raises(UnknownCityError, match="JEJAK_CITY"):
        choose_city(None, [])
