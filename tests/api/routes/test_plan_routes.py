"""The plan over HTTP: plans, programs, milestones, progress reports and submission."""

from __future__ import annotations

import uuid

from domain.plan import PlanApplication
from tests.support.app import FOREIGN_OPD, HEAD_NIP, OWN_OPD, Api
from tests.support.city import catch_up

V1 = "/api/v1"


async def milestone(api: Api, owner: str = OWN_OPD) -> str:
    """A plan with a program of ``owner`` and one milestone; the milestone's id."""
    admin = api.auth("admin")
    body = {"city_code": "SIANTAR", "city_name": "Kota Pematang Siantar",
            "title": "Masterplan Kota Cerdas", "start_year": 2024}  # fmt: skip
    plan = await api.client.post(f"{V1}/plans", json=body, headers=admin)
    program = await api.client.post(
        f"{V1}/plans/{plan.json()['id']}/programs",
        json={"code": f"P-{owner}", "name": "Satu Data", "aspect": "governance",
              "owner_opd": owner, "quick_win": True, "targets": {"2024": "10 OPD"}},
        headers=admin,
    )  # fmt: skip
    added = await api.client.post(
        f"{V1}/programs/{program.json()['id']}/milestones",
        json={"code": "M1", "title": "Forum Satu Data", "due_date": "2024-12-31"}, headers=admin,
    )  # fmt: skip
    assert (plan.status_code, program.status_code, added.status_code) == (201, 201, 201)
    return str(added.json()["id"])


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
