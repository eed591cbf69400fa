"""Request bodies are strict and bounded, as the OpenAPI says; commands answer 201 or 200."""

from __future__ import annotations

import re
from typing import Any

import pytest

from api.app import create_app
from infra.settings import Settings
from tests.support.app import OWN_OPD, Api

V1 = "/api/v1"
PLAN = {"city_code": "SIANTAR", "city_name": "Pematangsiantar", "title": "Masterplan",
        "start_year": 2024, "years": 5}  # fmt: skip
DECLARATION = {"city": "SIANTAR", "day": "2024-06-04", "kind": "local-holiday",
               "reason": "Hari jadi kota"}  # fmt: skip
OPENAPI = create_app(Settings(_env_file=None)).openapi()  # type: ignore[call-arg]


def refused_fields(answer: Any) -> set[str]:
    """The fields a 422 problem names."""
    assert answer.status_code == 422, answer.text
    return {e["field"] for e in answer.json()["errors"]}


def position(api: Api) -> int:
    """The newest position in the log."""
    return int(api.app.state.store.max_position() or 0)


async def a_plan(api: Api) -> str:
    """A drafted plan's path, from the Location of the answer."""
    answer = await api.client.post(f"{V1}/plans", json=PLAN, headers=api.auth("admin"))
    assert answer.status_code == 201, answer.text
    return str(answer.headers["Location"])


async def test_a_created_plan_answers_201_and_its_location_serves_it(api: Api) -> None:
    location = await a_plan(api)
    served = await api.client.get(location, headers=api.auth("admin"))
    assert served.status_code == 200
    assert location.endswith(served.json()["id"])


async def test_a_fact_recorded_on_a_city_answers_200(api: Api) -> None:
    answer = await api.client.post(
        f"{V1}/calendar/declarations", json=DECLARATION, headers=api.auth("admin")
    )
    assert answer.status_code == 200, answer.text
    assert "Location" not in answer.headers


@pytest.mark.parametrize(
    ("path", "body", "field", "value"),
    [
        ("plans", PLAN, "start_year", "2024"),
        ("plans", PLAN, "years", True),
        ("plans", PLAN, "years", "5"),
        ("plans", PLAN, "city_code", 1272),
        ("calendar/declarations", DECLARATION, "reason", "x" * 201),
        ("calendar/declarations", DECLARATION, "reason", "   "),
        ("calendar/declarations", DECLARATION, "city", " SIANTAR"),
        ("calendar/declarations", DECLARATION, "city", "KOTA SIANTAR"),
    ],
    ids=[
        "year-as-text",
        "true-as-a-number",
        "number-as-text",
        "number-as-code",
        "too-long",
        "only-blanks",
        "leading-blank",
        "blank-inside-a-code",
    ],
)
async def test_a_value_of_another_type_or_beyond_its_bounds_is_refused_and_records_nothing(
    api: Api, path: str, body: dict[str, Any], field: str, value: Any
) -> None:
    before = position(api)
    answer = await api.client.post(
        f"{V1}/{path}", json={**body, field: value}, headers=api.auth("admin")
    )
    assert field in refused_fields(answer)
    assert position(api) == before


async def test_a_whole_number_written_with_a_zero_fraction_is_taken(api: Api) -> None:
    answer = await api.client.post(
        f"{V1}/plans", json={**PLAN, "years": 5.0}, headers=api.auth("admin")
    )
    assert answer.status_code == 201, answer.text


@pytest.mark.parametrize("number", ["NaN", "Infinity", "-Infinity"])
async def test_a_weight_or_target_that_is_not_finite_is_refused(api: Api, number: str) -> None:
    plan = await a_plan(api)
    before = position(api)
    program = (
        f'{{"code": "P1", "name": "Program", "aspect": "governance", "owner_opd": "{OWN_OPD}",'
        f' "weight": {number}, "targets": {{"2025": {number}}}}}'
    )
    headers = {**api.auth("admin"), "content-type": "application/json"}
    answer = await api.client.post(f"{plan}/programs", content=program, headers=headers)
    assert "weight" in refused_fields(answer)
    assert position(api) == before


def request_bodies() -> list[tuple[str, dict[str, Any]]]:
    """Every schema a request body refers to, with its name."""
    names = set()
    for operations in OPENAPI["paths"].values():
        for operation in operations.values():
            content = operation.get("requestBody", {}).get("content", {})
            for media in content.values():
                # A body of one of several kinds (evidence: a document or a file) names each.
                body = media["schema"]
                for kind in body.get("anyOf", body.get("oneOf", [body])):
                    names.add(kind["$ref"].rsplit("/", 1)[-1])
    names |= {"AspectIn", "RequiredSignatoryIn"}
    return [(name, OPENAPI["components"]["schemas"][name]) for name in sorted(names)]


def unbounded(schema: dict[str, Any], where: str) -> list[str]:
    """The places in ``schema`` where a value may be as long, many or large as one likes."""
    if "$ref" in schema:
        return []
    found = []
    for alternative in schema.get("anyOf", []):
        found += unbounded(alternative, where)
    kind = schema.get("type")
    # A day or a moment is bounded by its form.
    if kind == "string" and not {"maxLength", "enum", "const", "format"} & set(schema):
        found.append(where)
    if kind == "array":
        found += [where] if "maxItems" not in schema else []
        found += unbounded(schema.get("items", {}), f"{where}[]")
    if kind in ("integer", "number") and "maximum" not in schema:
        found.append(where)
    if kind == "object":
        if schema.get("additionalProperties") is not False:
            found.append(where)
        for name, inner in schema.get("properties", {}).items():
            found += unbounded(inner, f"{where}.{name}")
        for inner in schema.get("patternProperties", {}).values():
            found += unbounded(inner, f"{where}.*")
    return found


@pytest.mark.parametrize(("name", "schema"), request_bodies(), ids=lambda v: str(v)[:20])
def test_every_field_of_a_request_body_is_bounded_in_the_openapi(
    name: str, schema: dict[str, Any]
) -> None:
    assert unbounded(schema, name) == []


def test_an_evidence_string_is_bounded_in_the_openapi() -> None:
    evidence = OPENAPI["components"]["schemas"]["ReportProgress"]["properties"]["evidence"]
    assert (evidence["maxItems"], evidence["items"]["maxLength"]) == (50, 1000)


def test_a_submitted_milestone_links_to_the_decision_on_its_approval() -> None:
    submit = OPENAPI["paths"][f"{V1}/milestones/{{milestone_id}}/submit"]["post"]
    decide = submit["responses"]["200"]["links"]["Decide"]
    assert decide["operationRef"] == "#/paths/~1api~1v1~1approvals~1{request_id}~1decisions/post"
    assert decide["parameters"] == {"request_id": "$response.body#/id"}


async def test_a_refusal_names_what_was_refused_in_plain_english(api: Api) -> None:
    answer = await api.client.post(
        f"{V1}/approvals/0e0b8a4e-64a6-4c2f-9a52-3c4f1d2b7a61/decisions",
        json={"outcome": "approve"},
        headers=api.auth("public"),
    )
    assert answer.status_code == 403, answer.text
    assert answer.json()["detail"] == "The role 'public' may not decide an approval."


def test_the_kinds_of_opd_the_openapi_lists_are_those_the_registry_knows() -> None:
    from domain.organisation.opd import OPD_KINDS

    kind = OPENAPI["components"]["schemas"]["RegisterOpd"]["properties"]["kind"]
    assert set(kind["enum"]) == OPD_KINDS


def test_the_ranks_the_openapi_allows_are_the_pangkat_of_the_civil_service() -> None:
    from domain.organisation.rank import PANGKAT

    rank = OPENAPI["components"]["schemas"]["RegisterPerson"]["properties"]["rank"]["pattern"]
    assert all(re.fullmatch(rank, f" {p.upper()}") for p in PANGKAT.values())
    assert [p for p in ("", "Pembina Muda", "Juru Utama") if re.fullmatch(rank, p)] == [""]


def test_an_appointment_links_to_ending_it_and_a_person_to_their_record() -> None:
    appoint = OPENAPI["paths"][f"{V1}/opds/{{code}}/appointments"]["post"]["responses"]["200"]
    register = OPENAPI["paths"][f"{V1}/people"]["post"]["responses"]["201"]
    assert appoint["links"]["EndAppointment"]["parameters"] == {
        "appointment_id": "$response.body#/id"
    }
    assert register["links"]["GetPerson"]["parameters"] == {"nip": "$response.body#/id"}
