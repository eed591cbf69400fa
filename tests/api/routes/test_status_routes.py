"""Overviews from the read models: progress, deadlines, the inbox, and reading one's writes."""

from __future__ import annotations

from api.auth import Role
from infra.scenario import personas
from tests.support.city import STARTER, City, city

__all__ = ["city"]

V1 = "/api/v1"


async def test_six_aspects_of_the_plan_show_their_progress(city: City) -> None:
    city.catch_up()
    answer = await city.client.get(f"{V1}/status/aspects", headers=city.auth(Role.PUBLIC))
    assert answer.status_code == 200
    aspects = answer.json()["items"]
    assert [a["aspect"] for a in aspects] == [
        "governance", "transportation", "economy", "environment", "quality-of-life",
        "human-resources",
    ]  # fmt: skip
    assert all(0 < a["progress"] < 100 for a in aspects)
    assert aspects[0]["label_id"] == "Tata Kelola Pemerintahan"


async def test_the_public_sees_program_progress_but_not_progress_per_opd(city: City) -> None:
    city.catch_up()
    programs = await city.client.get(f"{V1}/status/programs", headers=city.auth(Role.PUBLIC))
    per_opd = await city.client.get(f"{V1}/status/opds", headers=city.auth(Role.PUBLIC))
    assert programs.status_code == 200
    assert len(programs.json()["items"]) == city.summary.programs
    assert "last_reported_by" not in programs.json()["items"][0]
    assert per_opd.status_code == 403


async def test_an_opd_head_sees_the_progress_of_the_opds_it_leads_only(city: City) -> None:
    city.catch_up()
    answer = await city.client.get(f"{V1}/status/opds", headers=city.auth(Role.OPD_HEAD))
    everyone = await city.client.get(f"{V1}/status/opds", headers=city.auth(Role.LEADERSHIP))
    assert {o["opd_code"] for o in answer.json()["items"]} <= {personas.OPD_HEAD_OPD}
    assert len(everyone.json()["items"]) > 5


async def test_the_inspectorate_sees_overdue_milestones_of_every_opd(city: City) -> None:
    city.catch_up()
    answer = await city.client.get(
        f"{V1}/deadlines?state=overdue&as_of=2026-01-15", headers=city.auth(Role.INSPECTORATE)
    )
    assert answer.status_code == 200
    overdue = [d for d in answer.json()["items"] if d["kind"] == "milestone"]
    assert overdue
    assert all(d["due_date"] < "2026-01-15" and d["working_days_late"] > 0 for d in overdue)
    assert len({d["owner_opd"] for d in overdue}) > 1


async def test_the_deadline_board_pages_through_every_overdue_deadline_once(city: City) -> None:
    city.catch_up()
    url, auth = f"{V1}/deadlines?state=overdue&as_of=2026-01-15", city.auth(Role.INSPECTORATE)
    whole = (await city.client.get(f"{url}&limit=200", headers=auth)).json()
    keys, cursor = [], None
    while True:
        asked = f"{url}&limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = (await city.client.get(asked, headers=auth)).json()
        assert len(page["items"]) <= 2
        keys += [d["key"] for d in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(whole["items"]) > 2
    assert whole["next_cursor"] is None
    assert keys == [d["key"] for d in whole["items"]]
    assert [d["due_date"] for d in whole["items"]] == sorted(d["due_date"] for d in whole["items"])


async def test_a_deadline_cursor_that_is_not_ours_is_refused(city: City) -> None:
    city.catch_up()
    answer = await city.client.get(
        f"{V1}/deadlines?state=overdue&cursor=bm90LWEtY3Vyc29y",
        headers=city.auth(Role.INSPECTORATE),
    )
    assert answer.status_code == 422
    assert answer.json()["type"].endswith("/invalid-cursor")


async def test_an_opd_head_reads_deadlines_of_its_own_opd_only(city: City) -> None:
    city.catch_up()
    own = await city.client.get(
        f"{V1}/deadlines?state=overdue&as_of=2026-01-15", headers=city.auth(Role.OPD_HEAD)
    )
    foreign = await city.client.get(
        f"{V1}/deadlines?state=overdue&opd=DISKOMINFO", headers=city.auth(Role.OPD_HEAD)
    )
    assert {d["owner_opd"] for d in own.json()["items"]} <= {personas.OPD_HEAD_OPD}
    assert foreign.status_code == 403


async def test_the_bappeda_head_finds_the_submitted_milestones_in_the_inbox(city: City) -> None:
    requests = city.request_approvals()
    city.catch_up()
    answer = await city.client.get(f"{V1}/me/inbox", headers=city.auth(Role.OPD_HEAD))
    assert answer.status_code == 200
    items = answer.json()["items"]
    assert sorted(i["request_id"] for i in items) == sorted(str(r) for r in requests)
    assert {i["opd_code"] for i in items} == {personas.OPD_HEAD_OPD}
    assert {i["subject_id"] for i in items} == {str(m) for m in city.submitted_milestones()}
    assert all(i["working_days_left"] > 0 for i in items)


async def test_the_inbox_pages_with_a_cursor(city: City) -> None:
    city.request_approvals()
    city.catch_up()
    first = await city.client.get(f"{V1}/me/inbox?limit=2", headers=city.auth(Role.OPD_HEAD))
    cursor = first.json()["next_cursor"]
    rest = await city.client.get(
        f"{V1}/me/inbox?limit=50&cursor={cursor}", headers=city.auth(Role.OPD_HEAD)
    )
    ids = [i["request_id"] for i in first.json()["items"] + rest.json()["items"]]
    assert len(ids) == len(set(ids)) == len(city.submitted_milestones())


async def test_leadership_finds_escalated_steps_in_its_inbox(city: City) -> None:
    requests = city.request_approvals()
    city.approvals().escalate(requests[0], 0, 1)
    city.catch_up()
    answer = await city.client.get(f"{V1}/me/inbox", headers=city.auth(Role.LEADERSHIP))
    assert [i["request_id"] for i in answer.json()["items"]] == [str(requests[0])]
    assert answer.json()["items"][0]["escalation_level"] == 1


async def test_a_read_waits_for_the_views_to_reach_the_position_of_a_write(city: City) -> None:
    from projections.engine.registry import all_views
    from projections.engine.runner import ProjectionRunner

    city.catch_up()
    runner = ProjectionRunner(city.app.state.store, all_views(), poll_interval=0.05)
    runner.start()
    try:
        body = {"city_code": "SIANTAR", "city_name": "Kota Pematang Siantar",
                "title": "Masterplan 2034-2043", "start_year": 2034}  # fmt: skip
        created = await city.client.post(f"{V1}/plans", json=body, headers=city.auth(Role.ADMIN))
        position = created.json()["position"]
        answer = await city.client.get(
            f"{V1}/plans?after_position={position}", headers=city.auth(Role.ADMIN)
        )
    finally:
        runner.stop()
    assert answer.status_code == 200
    assert created.json()["id"] in {p["id"] for p in answer.json()["items"]}


async def test_a_read_the_views_cannot_reach_in_time_is_503_with_retry_after(city: City) -> None:
    city.catch_up()
    city.organisation().register_person("199901012020011001", "New Official", by=STARTER)
    position = city.app.state.store.max_position()  # recorded, not yet in the views
    city.app.state.read_wait_seconds = 0.1
    answer = await city.client.get(
        f"{V1}/status/aspects?after_position={position}", headers=city.auth(Role.PUBLIC)
    )
    assert answer.status_code == 503
    assert answer.headers["retry-after"]
    assert answer.json()["type"].endswith("/views-behind")


async def test_overviews_are_503_until_the_read_models_are_built(city: City) -> None:
    answer = await city.client.get(f"{V1}/status/aspects", headers=city.auth(Role.PUBLIC))
    assert answer.status_code == 503
