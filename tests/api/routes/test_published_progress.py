"""What the public sees: approved (published) plans only, and progress that was approved."""

from __future__ import annotations

import uuid

from domain.plan import PlanApplication
from tests.api.routes.made import milestone
from tests.support.app import SECRETARIAT, Api
from tests.support.city import catch_up

V1 = "/api/v1"


def plan_service(api: Api) -> PlanApplication:
    """The plan service over the app's store (the approval process's side of the tests)."""
    return api.app.state.store.app(PlanApplication)  # type: ignore[no-any-return]


def plan_of(api: Api, milestone_id: str) -> uuid.UUID:
    """The plan a milestone belongs to."""
    plan = plan_service(api)
    return plan.get_program(plan.get_milestone(uuid.UUID(milestone_id)).program_id).plan_id


async def program_row(api: Api, role: str, plan_id: uuid.UUID) -> list[dict[str, object]]:
    """The rows of ``/status/programs`` of one plan, as ``role`` sees them."""
    answer = await api.client.get(f"{V1}/status/programs?plan_id={plan_id}", headers=api.auth(role))
    assert answer.status_code == 200
    rows: list[dict[str, object]] = answer.json()["items"]
    return rows


async def report_and_submit(api: Api, milestone_id: str, percent: int) -> None:
    """The owner OPD's head reports progress and submits it for approval."""
    head = api.auth("opd-head")
    reported = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress", json={"percent": percent}, headers=head
    )
    submitted = await api.client.post(f"{V1}/milestones/{milestone_id}/submit", headers=head)
    assert (reported.status_code, submitted.status_code) == (200, 200)


async def test_the_public_sees_no_draft_plan_until_it_is_approved(api: Api) -> None:
    milestone_id = await milestone(api)
    plan_id = plan_of(api, milestone_id)
    catch_up(api)
    aspects = await api.client.get(
        f"{V1}/status/aspects?plan_id={plan_id}", headers=api.auth("public")
    )
    assert (aspects.status_code, aspects.json()["items"]) == (200, [])
    assert await program_row(api, "public", plan_id) == []
    (drafted,) = await program_row(api, "leadership", plan_id)
    assert drafted["published"] is False
    plan_service(api).approve_plan(plan_id, by=SECRETARIAT)
    catch_up(api)
    (published,) = await program_row(api, "public", plan_id)
    assert published["published"] is True
    aspects = await api.client.get(
        f"{V1}/status/aspects?plan_id={plan_id}", headers=api.auth("public")
    )
    assert len(aspects.json()["items"]) == 6


async def test_a_returned_report_does_not_raise_progress(api: Api) -> None:
    milestone_id = await milestone(api)
    plan_id = plan_of(api, milestone_id)
    plan_service(api).approve_plan(plan_id, by=SECRETARIAT)
    await report_and_submit(api, milestone_id, 100)
    catch_up(api)
    (waiting,) = await program_row(api, "public", plan_id)
    assert (waiting["progress"], waiting["reported_progress"]) == (0.0, 100.0)
    plan_service(api).return_milestone(
        uuid.UUID(milestone_id), comment="Bukti belum lengkap", by=SECRETARIAT
    )
    catch_up(api)
    (returned,) = await program_row(api, "public", plan_id)
    assert (returned["progress"], returned["reported_progress"]) == (0.0, 0.0)
    shown = await api.client.get(f"{V1}/milestones/{milestone_id}", headers=api.auth("opd-head"))
    assert (shown.json()["percent"], shown.json()["approved_percent"]) == (100.0, 0.0)


async def test_approved_progress_counts_and_a_new_report_waits_beside_it(api: Api) -> None:
    milestone_id = await milestone(api)
    plan_id = plan_of(api, milestone_id)
    plan = plan_service(api)
    plan.approve_plan(plan_id, by=SECRETARIAT)
    await report_and_submit(api, milestone_id, 40)
    plan.approve_milestone(uuid.UUID(milestone_id), by=SECRETARIAT)
    head = api.auth("opd-head")
    again = await api.client.post(
        f"{V1}/milestones/{milestone_id}/progress", json={"percent": 80}, headers=head
    )
    assert again.status_code == 200
    catch_up(api)
    (row,) = await program_row(api, "public", plan_id)
    assert (row["progress"], row["reported_progress"]) == (40.0, 80.0)
    aspects = await api.client.get(
        f"{V1}/status/aspects?plan_id={plan_id}", headers=api.auth("public")
    )
    governance = aspects.json()["items"][0]
    assert (governance["progress"], governance["reported_progress"]) == (40.0, 80.0)


async def plan_row(api: Api, role: str, plan_id: uuid.UUID) -> list[dict[str, object]]:
    """The row of ``/status/plans`` of one plan, as ``role`` sees it."""
    answer = await api.client.get(f"{V1}/status/plans", headers=api.auth(role))
    assert answer.status_code == 200
    return [p for p in answer.json()["items"] if p["plan_id"] == str(plan_id)]


async def test_a_plan_rolls_up_its_approved_progress_published_only_to_the_public(
    api: Api,
) -> None:
    milestone_id = await milestone(api)
    plan_id = plan_of(api, milestone_id)
    await report_and_submit(api, milestone_id, 60)
    catch_up(api)
    assert await plan_row(api, "public", plan_id) == []
    (draft,) = await plan_row(api, "admin", plan_id)
    assert (draft["published"], draft["progress"], draft["reported_progress"]) == (False, 0.0, 60.0)
    plan = plan_service(api)
    plan.approve_plan(plan_id, by=SECRETARIAT)
    plan.approve_milestone(uuid.UUID(milestone_id), by=SECRETARIAT)
    catch_up(api)
    (public,) = await plan_row(api, "public", plan_id)
    assert (public["published"], public["progress"], public["quick_win_progress"]) == (
        True,
        60.0,
        60.0,
    )
    assert public["progress"] == plan.plan_progress(plan_id)
