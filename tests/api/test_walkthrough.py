"""The reference scenario walked through over HTTP, with approvals running on Temporal.

A submitted milestone is sent for approval; the BAPPEDA head finds the step in the inbox and
approves it; the approval moves on to DISKOMINFO, whose head then finds it; the
inspectorate's deadline board and the status overviews follow, read at the decision's position.
"""

from __future__ import annotations

from api.auth import Role
from infra.scenario import personas
from tests.support.engine import (
    V1,
    Engine,
    approval_of,
    board,
    engine,
    eventually,
    head_of,
    inbox_of,
    open_step,
    started,
)

__all__ = ["engine"]

BAPPEDA, DISKOMINFO = "BAPPEDA", "DISKOMINFO"


def program_of_first_submitted(city: Engine) -> str:
    """The program of the milestone sent for approval."""
    plan, milestone_id = city.plan(), city.submitted_milestones()[0]
    programs = plan.programs_of(city.summary.plan_id)
    return next(str(p.id) for p in programs if milestone_id in p.milestones)


async def test_a_milestone_approval_walks_from_bappeda_to_diskominfo_over_http(
    engine: Engine,
) -> None:
    city = engine
    request_id = await started(city)
    bappeda_head = city.auth(Role.OPD_HEAD)
    assert personas.OPD_HEAD_OPD == BAPPEDA

    inbox = await inbox_of(city, bappeda_head, city.last_position())
    mine = [i for i in inbox if i["request_id"] == request_id]
    assert [(i["step_index"], i["opd_code"]) for i in mine] == [(0, BAPPEDA)]

    decided = await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": "approve", "comment": "Sesuai rencana induk."},
        headers={**bappeda_head, "Idempotency-Key": "walkthrough-1"},
    )
    assert decided.status_code == 200, decided.text
    result = decided.json()
    first, second = result["approval"]["steps"]
    assert (result["opd_code"], result["capacity"]) == (BAPPEDA, "head")
    assert first["outcome"] == "approved"
    assert not first["is_open"]
    assert [d["person_nip"] for d in first["decisions"]] == [personas.OPD_HEAD]
    assert result["approval"]["current_step"] == 1
    assert second["assigned_opds"] == [DISKOMINFO]

    moved = await eventually(lambda: approval_of(city, request_id), lambda a: open_step(a) == 1)
    assert moved["status"] == "in-progress"
    assert moved["steps"][1]["due_at"] is not None

    position = city.last_position()
    # The decision's answer waits until step 2 is open, so its position already covers it.
    assert position >= result["position"]
    theirs = await inbox_of(city, city.token_of(head_of(city, DISKOMINFO)), position)
    assert [(i["step_index"], i["opd_code"]) for i in theirs if i["request_id"] == request_id] == [
        (1, DISKOMINFO)
    ]
    assert request_id not in {i["request_id"] for i in await inbox_of(city, bappeda_head, position)}

    due_soon = await board(city, "due-soon", position)
    owners = {d["owner_opd"] for d in due_soon if d["subject_id"] == request_id}
    assert owners == {DISKOMINFO}

    status = await city.client.get(
        f"{V1}/status/programs?after_position={result['position']}",
        headers=city.auth(Role.INSPECTORATE),
    )
    assert status.status_code == 200
    program = program_of_first_submitted(city)
    rows = [p for p in status.json()["items"] if p["program_id"] == program]
    assert rows
    assert rows[0]["by_status"].get("submitted", 0) >= 1
