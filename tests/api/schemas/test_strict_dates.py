"""Days and moments are ISO-8601 text only: a number is never read as seconds since 1970."""

from __future__ import annotations

from typing import Any

import pytest

from domain.organisation import OpdRegistry
from tests.support.app import OWN_OPD, Api

V1 = "/api/v1"
DECLARATIONS = f"{V1}/calendar/declarations"
WORKING_DAYS = f"{V1}/calendar/working-days"
REGISTRY_STATE = f"{V1}/audit/aggregates/{OpdRegistry.create_id()}/state"

#: Read leniently, the first three would be days (0 and "0": 1 January 1970, a holiday).
NOT_A_DAY = [0, "0", "2024-08-17T00:00:00", 1.5, "17-08-2024", "20240817", None]
NOT_A_DAY_IN_A_QUERY = ["0", "1700000000", "-1", "17-08-2024", "20240817", "2024-08-17T00:00:00"]
NOT_A_MOMENT_IN_A_QUERY = ["0", "1700000000", "2023-10-18T09:00:00",
                           "2023-10-18T09:00:00 07:00", "18/10/2023 09:00"]  # fmt: skip


def declaration(day: Any, kind: str = "working-day") -> dict[str, Any]:
    """A declaration for ``day``, as sent; read as 1 January 1970 (a holiday) it would be taken."""
    return {"city": "SIANTAR", "day": day, "kind": kind, "reason": "Hari jadi kota"}


def field_errors(answer: Any) -> dict[str, str]:
    """The refused fields of a problem+json answer, by name, with their messages."""
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    return {e["field"]: e["message"] for e in answer.json()["errors"]}


def position(api: Api) -> int:
    """The newest position in the log."""
    return int(api.app.state.store.max_position() or 0)


@pytest.mark.parametrize("day", NOT_A_DAY, ids=repr)
async def test_a_declaration_for_a_day_not_written_as_yyyy_mm_dd_is_refused_and_records_nothing(
    api: Api, day: Any
) -> None:
    before = position(api)
    answer = await api.client.post(DECLARATIONS, json=declaration(day), headers=api.auth("admin"))
    assert "day" in field_errors(answer)
    assert position(api) == before


async def test_a_number_for_a_day_is_told_how_to_write_a_day(api: Api) -> None:
    answer = await api.client.post(DECLARATIONS, json=declaration(0), headers=api.auth("admin"))
    assert "YYYY-MM-DD" in field_errors(answer)["day"]


async def test_a_declaration_for_an_iso_day_is_recorded(api: Api) -> None:
    before = position(api)
    answer = await api.client.post(
        DECLARATIONS, json=declaration("2024-06-04", "local-holiday"), headers=api.auth("admin")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["position"] == position(api) > before


@pytest.mark.parametrize("day", ["0224-06-04", "1944-12-31", "2101-01-01"])
async def test_a_day_outside_the_program_years_is_refused_as_a_likely_typo(
    api: Api, day: str
) -> None:
    before = position(api)
    answer = await api.client.post(DECLARATIONS, json=declaration(day), headers=api.auth("admin"))
    assert "1945-2100" in field_errors(answer)["day"]
    assert position(api) == before


async def test_an_appointment_valid_from_a_number_is_refused_and_records_nothing(api: Api) -> None:
    before = position(api)
    body = {"nip": "197001012000031001", "valid_from": 0, "decree": "SK/1"}
    answer = await api.client.put(f"{V1}/opds/{OWN_OPD}/head", json=body, headers=api.auth("admin"))
    assert "valid_from" in field_errors(answer)
    assert position(api) == before


async def test_a_signature_time_without_a_time_zone_is_refused(api: Api) -> None:
    body = {"signed_at": "2023-10-18T09:00:00"}
    answer = await api.client.post(
        f"{V1}/commitments/no-such-commitment/signatures", json=body, headers=api.auth("admin")
    )
    assert "time zone" in field_errors(answer)["signed_at"]


@pytest.mark.parametrize("day", NOT_A_DAY_IN_A_QUERY)
async def test_a_day_in_a_query_not_written_as_yyyy_mm_dd_is_refused(api: Api, day: str) -> None:
    answer = await api.client.get(
        WORKING_DAYS, params={"from": day, "days": 1}, headers=api.auth("admin")
    )
    assert "query.from" in field_errors(answer)


@pytest.mark.parametrize("day", ["0", "1700000000"])
async def test_a_number_for_the_day_to_look_at_an_opd_is_refused(api: Api, day: str) -> None:
    answer = await api.client.get(
        f"{V1}/opds/{OWN_OPD}/head", params={"on": day}, headers=api.auth("admin")
    )
    assert "query.on" in field_errors(answer)


async def test_a_day_in_a_query_written_as_yyyy_mm_dd_is_taken(api: Api) -> None:
    answer = await api.client.get(
        WORKING_DAYS, params={"from": "2024-06-03", "days": 1}, headers=api.auth("admin")
    )
    assert answer.status_code == 200, answer.text
    assert answer.json()["due"] == "2024-06-04"


@pytest.mark.parametrize("moment", NOT_A_MOMENT_IN_A_QUERY)
async def test_a_moment_in_a_query_without_iso_form_or_time_zone_is_refused(
    api: Api, moment: str
) -> None:
    answer = await api.client.get(
        REGISTRY_STATE, params={"as_of": moment}, headers=api.auth("auditor")
    )
    assert "query.as_of" in field_errors(answer)


async def test_a_moment_in_a_query_with_its_time_zone_is_taken(api: Api) -> None:
    for moment in ("2099-01-01T00:00:00+07:00", "2099-01-01T00:00:00Z"):
        answer = await api.client.get(
            REGISTRY_STATE, params={"as_of": moment}, headers=api.auth("auditor")
        )
        assert answer.status_code == 200, answer.text
        assert answer.json()["state"] is not None
