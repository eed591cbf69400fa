"""The plan over HTTP: plans, programs, milestones, progress reports and submission."""

from __future__ import annotations

import uuid

from domain.plan import PlanApplication
from tests.api.routes.made import milestone
from tests.support.app import FOREIGN_OPD, HEAD_NIP, OWN_OPD, Api
from tests.support.city import catch_up

V1 = "/api/v1"


async def test_the_owner_opds_head_reports_progress_then_submits(api: Api) -> None:
    milestone_id = await milestone(api)
    head = api.auth("opd-head")
    reported = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress",
        json={"percent": 60, "note": "Forum terbentuk", "evidence": ["SK/forum"]}, headers=head,
    )  # fmt: skip
    submitted = await api.client.post(f"{V1}/milestones/{milestone_id}/submit", headers=head)
    assert (reported.status_code, submitted.status_code) == (200, 200)
    state = await api.client.get(f"{V1}/milestones/{milestone_id}", headers=head)
    assert state.json()["status"] == "submitted"
    assert state.json()["submitted_by"] == HEAD_NIP
    assert state.json()["reports"][0]["percent"] == 60
    recorded = api.app.state.store.app(PlanApplication).get_milestone(uuid.UUID(milestone_id))
    assert recorded.reports[0].reported_by == HEAD_NIP


async def test_the_head_of_another_opd_may_not_report_progress(api: Api) -> None:
    milestone_id = await milestone(api, FOREIGN_OPD)
    answer = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress", json={"percent": 10},
        headers=api.auth("opd-head"),
    )  # fmt: skip
    assert answer.status_code == 403
    assert FOREIGN_OPD in answer.json()["detail"]


async def test_a_report_on_a_stale_version_is_412(api: Api) -> None:
    milestone_id = await milestone(api)
    headers = {**api.auth("opd-head"), "If-Match": '"0"'}
    answer = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress", json={"percent": 10}, headers=headers
    )
    assert answer.status_code == 412


async def test_two_reports_on_the_same_version_one_wins_the_other_is_412(api: Api) -> None:
    milestone_id = await milestone(api)
    head = api.auth("opd-head")
    seen = await api.client.get(f"{V1}/milestones/{milestone_id}", headers=head)
    headers = {**head, "If-Match": seen.headers["ETag"]}
    answers = [
        await api.client.post(
            f"{V1}/milestones/{milestone_id}/progress", json={"percent": p}, headers=headers
        )
        for p in (20, 30)
    ]
    assert [a.status_code for a in answers] == [200, 412]
    assert answers[1].json()["current_version"] == seen.json()["version"] + 1
    after = await api.client.get(f"{V1}/milestones/{milestone_id}", headers=head)
    assert [r["percent"] for r in after.json()["reports"]] == [20]


async def test_progress_out_of_range_is_refused_with_the_field(api: Api) -> None:
    milestone_id = await milestone(api)
    answer = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress", json={"percent": 120},
        headers=api.auth("opd-head"),
    )  # fmt: skip
    assert answer.status_code == 422
    assert answer.json()["errors"][0]["field"] == "percent"


async def test_an_opd_head_sees_the_programs_its_opd_owns(api: Api) -> None:
    await milestone(api)
    catch_up(api)
    plans = await api.client.get(f"{V1}/plans", headers=api.auth("opd-head"))
    [plan] = plans.json()["items"]
    admin = api.auth("admin")
    await api.client.post(
        f"{V1}/plans/{plan['id']}/programs",
        json={"code": "P-X", "name": "Lain", "aspect": "economy", "owner_opd": FOREIGN_OPD},
        headers=admin,
    )  # fmt: skip
    mine = await api.client.get(f"{V1}/plans/{plan['id']}/programs", headers=api.auth("opd-head"))
    every = await api.client.get(f"{V1}/plans/{plan['id']}/programs", headers=admin)
    assert [p["owner_opd"] for p in mine.json()["items"]] == [OWN_OPD]
    assert len(every.json()["items"]) == 2
    assert mine.json()["items"][0]["targets"] == {"2024": "10 OPD"}
