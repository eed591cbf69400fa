"""Reading an approval, and what the decision route refuses before asking the workflow."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import StepSpec
from tests.support.app import FOREIGN_OPD, OWN_OPD, SECRETARIAT, Api, request_approval


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


def opened(api: Api, opd: str) -> str:
    """An approval request of ``opd`` with its one step open."""
    request_id = request_approval(api, opd)
    due = datetime.now(UTC) + timedelta(days=5)
    api.app.state.store.app(ApprovalsApplication).open_step(uuid.UUID(request_id), 0, due)
    return request_id


async def test_a_decision_cannot_name_its_own_time(api: Api) -> None:
    request_id = opened(api, OWN_OPD)
    before = api.app.state.store.max_position()
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "approve", "effective_at": "2023-10-05T09:00:00+07:00"},
        headers=api.auth("opd-head"),
    )
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "effective_at"
    assert api.app.state.store.max_position() == before


async def test_leadership_may_not_decide_a_step_before_it_is_escalated(api: Api) -> None:
    request_id = opened(api, OWN_OPD)
    before = api.app.state.store.max_position()
    answer = await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "approve"},
        headers=api.auth("leadership"),
    )
    assert answer.status_code == 403
    assert answer.json()["type"] == "https://jejak.id/problems/not-head"
    assert api.app.state.store.max_position() == before


async def test_every_submission_of_a_subject_is_listed_first_to_last(api: Api) -> None:
    first = request_approval(api, OWN_OPD)
    approvals = api.app.state.store.app(ApprovalsApplication)
    second, _ = approvals.request_approval(
        "milestone-report", f"milestone-{OWN_OPD}", "Again", OWN_OPD, "staff.nip",
        [StepSpec(0, (OWN_OPD,))], SECRETARIAT, attempt=2,
    )  # fmt: skip
    answer = await api.client.get(
        f"/api/v1/approvals/of/milestone-report/milestone-{OWN_OPD}",
        headers=api.auth("opd-head"),
    )
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    assert [(i["id"], i["attempt"], i["previous_request_id"]) for i in items] == [
        (first, 1, None),
        (str(second), 2, first),
    ]
    nothing = await api.client.get(
        "/api/v1/approvals/of/milestone-report/never-sent", headers=api.auth("auditor")
    )
    assert nothing.status_code == 404
