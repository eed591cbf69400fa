"""Working days through the API, and the city's declarations."""

from __future__ import annotations

from tests.api.conftest import Api


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
    body = {"city": "PEMATANGSIANTAR", "day": "2024-06-04", "kind": "local-holiday",
            "reason": "Hari jadi kota"}  # fmt: skip
    declared = await api.client.post(
        "/api/v1/calendar/declarations", json=body, headers=api.auth("admin")
    )
    after = (await api.client.get(url, headers=api.auth("admin"))).json()["due"]
    assert declared.status_code == 200
    assert declared.json()["position"] > 0
    assert (before, after) == ("2024-06-04", "2024-06-05")
