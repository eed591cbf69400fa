"""The reference scenario: Pematang Siantar's smart-city program of 2023 and its master plan."""

from infra.scenario.data import CITY_CODE, CITY_NAME, MAYOR_ID, WIB, reference_facts
from infra.scenario.loader import (
    AppFactory,
    ScenarioAlreadyLoadedError,
    ScenarioApps,
    ScenarioSummary,
    load_reference_scenario,
)

__all__ = [
    "CITY_CODE",
    "CITY_NAME",
    "MAYOR_ID",
    "WIB",
    "AppFactory",
    "ScenarioAlreadyLoadedError",
    "ScenarioApps",
    "ScenarioSummary",
    "load_reference_scenario",
    "reference_facts",
]
