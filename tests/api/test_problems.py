"""Every error is problem+json in plain words; malformed input never yields a 5xx."""

from __future__ import annotations

from tests.support.app import FOREIGN_OPD, HEAD_NIP, Api

PROBLEM = "application/problem+json"


async def test_unknown_opd_is_a_404_problem_with_a_stable_type(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds/DINASX", headers=api.auth("admin"))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM
    body = answer.json()
    assert body["type"] == "https://jejak.id/problems/unknown-opd"
    assert body["status"] == 404
    assert body["instance"] == "/api/v1/opds/DINASX"
    assert "DINASX" in body["detail"]


async def test_unknown_field_in_a_body_is_refused_with_its_name(api: Api) -> None:
    body = {"nip": HEAD_NIP, "valid_from": "2024-01-02", "decree": "SK 1", "x": 1}
    answer = await api.client.put(
        f"/api/v1/opds/{FOREIGN_OPD}/head", json=body, headers=api.auth("admin")
    )
    assert answer.status_code == 422
    assert answer.headers["content-type"] == PROBLEM
    assert {"field": "x", "message": "Extra inputs are not permitted"} in answer.json()["errors"]


async def test_malformed_json_is_a_422_not_a_500(api: Api) -> None:
    answer = await api.client.post(
        "/api/v1/opds",
        content=b"{not json",
        headers={**api.auth("admin"), "content-type": "application/json"},
    )
    assert answer.status_code == 422
    assert answer.json()["type"] == "https://jejak.id/problems/invalid-request"


async def test_domain_validation_names_the_field(api: Api) -> None:
    # Well formed, but 30 February is no birth date: the domain refuses it, naming the field.
    body = {"nip": "198002302005011001", "valid_from": "2024-01-02", "decree": "SK 1"}
    answer = await api.client.put(
        f"/api/v1/opds/{FOREIGN_OPD}/head", json=body, headers=api.auth("admin")
    )
    assert answer.status_code == 422
    assert answer.json()["type"] == "https://jejak.id/problems/invalid-nip"
    assert answer.json()["errors"][0]["field"] == "nip"


async def test_registering_an_opd_twice_is_a_409(api: Api) -> None:
    body = {"code": FOREIGN_OPD, "name": "Bappeda", "kind": "badan", "head_title": "Kepala"}
    answer = await api.client.post("/api/v1/opds", json=body, headers=api.auth("admin"))
    assert answer.status_code == 409
    assert answer.json()["type"] == "https://jejak.id/problems/already-exists"


async def test_unknown_address_is_a_problem_too(api: Api) -> None:
    answer = await api.client.get("/api/v1/nothing-here", headers=api.auth("admin"))
    assert answer.status_code == 404
    assert answer.headers["content-type"] == PROBLEM


async def test_bad_query_value_is_a_422_naming_the_parameter(api: Api) -> None:
    answer = await api.client.get(
        "/api/v1/calendar/working-days?from=yesterday&days=3", headers=api.auth("public")
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "query.from"
