"""Reading an approval, and what the decision route refuses before asking the workflow."""

from __future__ import annotations

from tests.api.conftest import FOREIGN_OPD, OWN_OPD, Api, request_approval


async def test_approval_state_carries_version_and_etag(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    answer = await api.client.get(f"/api/v1/approvals/{request_id}", headers=api.auth("opd-head"))
    assert answer.status_code == 200
    body = answer.json()
    assert body["owner_opd"] == OWN_OPD
    assert body["steps"][0]["assigned_opds"] == [OWN_OPD]
    assert answer.headers["etag"] == f'"{body["version"]}"'


async def test_unknown_approval_is_404(api: Api) -> None:
    answer = await api.client.get(
        "/api/v1/approvals/00000000-0000-0000-0000-000000000000", headers=api.auth("auditor")
    )
    assert answer.status_code == 404


async def test_head_of_another_opd_may_not_decide(api: Api) -> None:
    request_id = request_approval(api, FOREIGN_OPD)
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "approve"},
        headers=api.auth("opd-head"),
    )
    assert answer.status_code == 403
    assert FOREIGN_OPD in answer.json()["detail"]


async def test_deciding_a_step_that_is_not_open_is_409(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "approve"},
        headers=api.auth("opd-head"),
    )
    assert answer.status_code == 409
    assert answer.json()["type"] == "https://jejak.id/problems/step-closed"


async def test_unknown_outcome_is_refused_with_the_field(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "maybe"},
        headers=api.auth("opd-head"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "outcome"
