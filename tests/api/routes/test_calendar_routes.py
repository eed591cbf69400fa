"""Working days through the API, and the city's declarations."""

from __future__ import annotations

from pathlib import Path

import httpx

from api.app import create_app
from api.auth import dev_tokens
from tests.support.app import CITY, HEAD_NIP, Api, settings_for
from tests.support.city import City, city

__all__ = ["city"]


async def test_working_days_skip_weekend_and_holidays(api: Api) -> None:
    answer = await api.client.get(
        "/api/v1/calendar/working-days?from=2023-08-16&days=2", headers=api.auth("public")
    )
    assert answer.status_code == 200
    # 17 Aug is Independence Day, 18 Aug 2023 was cuti bersama? The answer names each day off.
    body = answer.json()
    assert body["due"] > "2023-08-18"
    assert "2023-08-17" in {d["day"] for d in body["days_off"]}


async def test_a_declared_local_holiday_moves_the_due_day(api: Api) -> None:
    url = "/api/v1/calendar/working-days?from=2024-06-03&days=1"
    before = (await api.client.get(url, headers=api.auth("admin"))).json()["due"]
    body = {"city": "SIANTAR", "day": "2024-06-04", "kind": "local-holiday",
            "reason": "Hari jadi kota"}  # fmt: skip
    declared = await api.client.post(
        "/api/v1/calendar/declarations", json=body, headers=api.auth("admin")
    )
    after = (await api.client.get(url, headers=api.auth("admin"))).json()["due"]
    assert declared.status_code == 200
    assert declared.json()["position"] > 0
    assert (before, after) == ("2024-06-04", "2024-06-05")


async def test_the_city_defaults_to_the_deployment_city_for_counts_and_declarations(
    api: Api,
) -> None:
    body = {"day": "2024-06-04", "kind": "local-holiday", "reason": "Hari jadi kota"}
    declared = await api.client.post(
        "/api/v1/calendar/declarations", json=body, headers=api.auth("admin")
    )
    counted = await api.client.get(
        "/api/v1/calendar/working-days?from=2024-06-03&days=1", headers=api.auth("public")
    )
    assert declared.status_code == 200
    assert (counted.json()["city"], counted.json()["due"]) == (CITY, "2024-06-05")
    assert counted.json()["days_off"] == [{"day": "2024-06-04", "reason": "Hari jadi kota"}]


async def test_an_unknown_city_is_422_naming_the_known_ones_and_declares_nothing(
    api: Api,
) -> None:
    before = api.app.state.store.max_position()
    body = {"city": "PEMATANGSIANTAR", "day": "2024-06-04", "kind": "local-holiday",
            "reason": "Hari jadi kota"}  # fmt: skip
    declared = await api.client.post(
        "/api/v1/calendar/declarations", json=body, headers=api.auth("admin")
    )
    counted = await api.client.get(
        "/api/v1/calendar/working-days?from=2024-06-03&days=1&city=pematangsiantar",
        headers=api.auth("admin"),
    )
    for answer in (declared, counted):
        assert answer.status_code == 422
        assert answer.json()["type"].endswith("unknown-city")
        assert "PEMATANGSIANTAR" in answer.json()["detail"]
        assert f"Known cities: {CITY}." in answer.json()["detail"]
    assert api.app.state.store.max_position() == before


async def test_without_a_configured_city_the_city_of_the_loaded_plan_is_served(
    city: City,
) -> None:
    assert city.settings.city == ""
    answer = await city.client.get(
        "/api/v1/calendar/working-days?from=2023-10-16&days=1", headers=city.auth("public")
    )
    assert answer.status_code == 200
    assert answer.json()["city"] == city.plan().get_plan(city.summary.plan_id).city_code


async def test_without_a_city_or_a_plan_working_days_say_how_to_set_one_up(
    tmp_path: Path,
) -> None:
    app = create_app(settings_for(tmp_path))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            token = dev_tokens(app.state.settings)["public"]
            answer = await client.get(
                "/api/v1/calendar/working-days?from=2024-06-03&days=1",
                headers={"Authorization": f"Bearer {token}"},
            )
    assert answer.status_code == 422
    assert "JEJAK_CITY" in answer.json()["detail"]


async def test_a_bimtek_stage_or_commitment_in_an_unknown_city_is_422(api: Api) -> None:
    before = api.app.state.store.max_position()
    stage = {"city_code": "PEMATANGSIANTAR", "stage_number": 1, "title": "Tahap 1",
             "start_date": "2023-07-03", "end_date": "2023-07-04", "venue": "Bappeda",
             "organiser_opd": "DISKOMINFO", "invited_opds": ["DISKOMINFO"]}  # fmt: skip
    commitment = {"city_code": "PEMATANGSIANTAR", "slug": "komitmen", "title": "Komitmen",
                  "text": "Kami berkomitmen.", "legal_basis": "Perpres 95/2018",
                  "place": "Bappeda", "date": "2023-10-18",
                  "required": [{"nip": HEAD_NIP, "opd_code": "DISKOMINFO",
                                "role": "Kepala Dinas"}]}  # fmt: skip
    for path, body in (("/bimtek/sessions", stage), ("/commitments", commitment)):
        answer = await api.client.post(f"/api/v1{path}", json=body, headers=api.auth("admin"))
        assert answer.status_code == 422, answer.text
        assert f"Known cities: {CITY}." in answer.json()["detail"]
    assert api.app.state.store.max_position() == before
