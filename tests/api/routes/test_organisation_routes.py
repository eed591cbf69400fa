"""OPD routes: listing by cursor, heads and acting heads, versions and If-Match."""

from __future__ import annotations

from tests.support.app import FOREIGN_OPD, HEAD_NIP, OTHER_HEAD_NIP, OWN_OPD, SECRETARIAT, Api

NEW_HEAD = "197505052000031003"


async def test_opds_are_listed_a_page_at_a_time(api: Api) -> None:
    first = await api.client.get("/api/v1/opds?limit=1", headers=api.auth("admin"))
    cursor = first.json()["next_cursor"]
    second = await api.client.get(
        f"/api/v1/opds?limit=1&cursor={cursor}", headers=api.auth("admin")
    )
    assert [o["code"] for o in first.json()["items"]] == [FOREIGN_OPD]
    assert [o["code"] for o in second.json()["items"]] == [OWN_OPD]
    assert second.json()["next_cursor"] is None


async def test_an_opd_head_lists_only_the_opd_it_leads(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds", headers=api.auth("opd-head"))
    assert [o["code"] for o in answer.json()["items"]] == [OWN_OPD]


async def test_opd_carries_its_version_and_etag(api: Api) -> None:
    answer = await api.client.get(f"/api/v1/opds/{OWN_OPD}", headers=api.auth("auditor"))
    assert answer.status_code == 200
    assert answer.headers["etag"] == f'"{answer.json()["version"]}"'
    assert answer.json()["head"]["nip"] == HEAD_NIP


async def test_appointing_a_head_answers_its_log_position(api: Api) -> None:
    api.organisation().register_person(NEW_HEAD, "New head", by=SECRETARIAT)
    body = {"nip": NEW_HEAD, "valid_from": "2024-03-01", "decree": "SK/2024/7"}
    answer = await api.client.put(
        f"/api/v1/opds/{FOREIGN_OPD}/head", json=body, headers=api.auth("admin")
    )
    assert answer.status_code == 200
    assert answer.json()["position"] == api.app.state.store.max_position()
    head = await api.client.get(
        f"/api/v1/opds/{FOREIGN_OPD}/head?on=2024-03-01", headers=api.auth("admin")
    )
    assert head.json()["nip"] == NEW_HEAD


async def test_if_match_with_a_stale_version_is_412_and_changes_nothing(api: Api) -> None:
    api.organisation().register_person(NEW_HEAD, "New head", by=SECRETARIAT)
    seen = await api.client.get(f"/api/v1/opds/{FOREIGN_OPD}", headers=api.auth("admin"))
    body = {"nip": NEW_HEAD, "valid_from": "2024-03-01", "decree": "SK/2024/7"}
    headers = {**api.auth("admin"), "If-Match": f'"{seen.json()["version"] - 1}"'}
    answer = await api.client.put(f"/api/v1/opds/{FOREIGN_OPD}/head", json=body, headers=headers)
    assert answer.status_code == 412
    assert answer.json()["current_version"] == seen.json()["version"]
    assert (
        api.organisation()
        .head_on(FOREIGN_OPD, seen_day := __import__("datetime").date(2024, 3, 1))
        .nip
        == OTHER_HEAD_NIP
    )  # type: ignore[union-attr]
    assert seen_day


async def test_if_match_with_the_current_version_lets_the_change_through(api: Api) -> None:
    seen = await api.client.get(f"/api/v1/opds/{OWN_OPD}", headers=api.auth("admin"))
    body = {"kind": "plh", "nip": OTHER_HEAD_NIP, "decree": "SK/PLH/1", "valid_from": "2024-05-06",
            "valid_until": "2024-05-10"}  # fmt: skip
    headers = {**api.auth("admin"), "If-Match": seen.headers["etag"]}
    answer = await api.client.post(f"/api/v1/opds/{OWN_OPD}/acting", json=body, headers=headers)
    assert answer.status_code == 200
    acting = await api.client.get(
        f"/api/v1/opds/{OWN_OPD}/acting?on=2024-05-07", headers=api.auth("admin")
    )
    assert [(a["nip"], a["in_force"]) for a in acting.json()["items"]] == [(OTHER_HEAD_NIP, True)]
