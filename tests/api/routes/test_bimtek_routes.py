"""Bimtek stages over HTTP: attendance per OPD, deliverables and their submission."""

from __future__ import annotations

from tests.api.routes.made import owe, stage, submit
from tests.support.app import FOREIGN_OPD, OWN_OPD, SECRETARIAT, Api
from tests.support.city import catch_up

V1 = "/api/v1/bimtek/sessions"


async def test_attendance_shows_who_came_and_who_was_never_noted(api: Api) -> None:
    session_id = await stage(api)
    body = {"opd_code": OWN_OPD, "present": True, "asn_count": 3, "names": ["A", "B", "C"]}
    recorded = await api.client.post(
        f"{V1}/{session_id}/attendance", json=body, headers=api.auth("admin")
    )
    row = await api.client.get(f"{V1}/{session_id}/attendance", headers=api.auth("inspectorate"))
    mine = await api.client.get(f"{V1}/{session_id}/attendance", headers=api.auth("opd-head"))
    assert recorded.status_code == 200
    assert [(a["opd_code"], a["status"], a["asn_count"]) for a in row.json()["items"]] == [
        (FOREIGN_OPD, "not-recorded", 0),
        (OWN_OPD, "present", 3),
    ]
    assert [a["opd_code"] for a in mine.json()["items"]] == [OWN_OPD]


async def test_an_uninvited_opd_needs_to_be_admitted_as_extra(api: Api) -> None:
    session_id = await stage(api)
    api.organisation().register_opd(
        "DISHUB", "Dinas Perhubungan", "dinas", "Kepala", by=SECRETARIAT
    )
    body = {"opd_code": "DISHUB", "present": True, "asn_count": 1}
    refused = await api.client.post(
        f"{V1}/{session_id}/attendance", json=body, headers=api.auth("admin")
    )
    admitted = await api.client.post(
        f"{V1}/{session_id}/attendance", json={**body, "extra": True}, headers=api.auth("admin")
    )
    assert refused.status_code == 403
    assert refused.json()["type"].endswith("/opd-not-invited")
    assert admitted.status_code == 200


async def test_the_head_of_the_owing_opd_submits_its_deliverable(api: Api) -> None:
    session_id = await stage(api)
    await owe(api, session_id, OWN_OPD)
    answer = await submit(api, session_id, OWN_OPD, "opd-head")
    assert answer.status_code == 200
    listed = await api.client.get(f"{V1}/{session_id}/deliverables", headers=api.auth("opd-head"))
    [item] = listed.json()["items"]
    assert (item["status"], item["late"]) == ("submitted", True)


async def test_an_opd_head_may_not_submit_another_opds_deliverable(api: Api) -> None:
    session_id = await stage(api)
    await owe(api, session_id, FOREIGN_OPD)
    answer = await submit(api, session_id, FOREIGN_OPD, "opd-head")
    assert answer.status_code == 403


async def test_stages_are_listed_by_number_from_the_read_model(api: Api) -> None:
    second, first = await stage(api, 2), await stage(api, 1)
    catch_up(api)
    answer = await api.client.get(f"{V1}?limit=1", headers=api.auth("leadership"))
    rest = await api.client.get(
        f"{V1}?cursor={answer.json()['next_cursor']}", headers=api.auth("leadership")
    )
    assert [s["id"] for s in answer.json()["items"] + rest.json()["items"]] == [first, second]
