"""Over HTTP, with approvals on Temporal: a step nobody may decide goes to the Sekda at once,
and a rejected milestone report is approved when it is submitted a second time."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from api.auth import Role
from domain.approvals.request import ApprovalRequest
from domain.organisation.application import OrganisationApplication
from domain.plan import Milestone
from infra.scenario import personas
from tests.support.engine import V1, Engine, engine, eventually, open_step
from workflows.starter.loop import WorkflowStarter
from workflows.starter.rules import MILESTONE

__all__ = ["engine"]

SUBMITTED = MILESTONE + "Submitted"


def submitted_milestone(city: Engine, owner_opd: str) -> Milestone:
    """A milestone of ``owner_opd`` the scenario left waiting for approval."""
    plan = city.plan()
    found = [plan.get_milestone(m) for m in city.submitted_milestones()]
    return next(m for m in found if m.owner_opd == owner_opd)


def head_of(city: Engine, opd_code: str) -> str:
    """The NIP of the OPD's head today."""
    term = city.app.state.store.app(OrganisationApplication).head_on(
        opd_code, datetime.now().date()
    )
    assert term is not None
    return str(term.nip)


async def start_as_the_starter_does(city: Engine, milestone_id: uuid.UUID) -> str:
    """Let the workflow starter handle the milestone's last submission; the request's id."""
    starter = WorkflowStarter(city.app.state.store, city.temporal.client, city.task_queue)
    stored = list(city.plan().repository.event_store.get(milestone_id))
    submission = [e for e in stored if type(e).__name__ == "Submitted"][-1]
    commands = starter.rules.commands(SUBMITTED, submission, city.last_position())
    assert commands, "the starter starts nothing for this submission"
    for command in commands:
        await starter.send(command)
    workflow_id = commands[0].workflow_id
    city.started.append(city.temporal.client.get_workflow_handle(workflow_id))
    return workflow_id.removeprefix("approval/")


async def approval_of(city: Engine, request_id: str) -> dict[str, Any]:
    """The approval as the secretariat sees it ({} until the workflow created it)."""
    answer = await city.client.get(f"{V1}/approvals/{request_id}", headers=city.auth(Role.ADMIN))
    assert answer.status_code in (200, 404), answer.text
    body: dict[str, Any] = answer.json() if answer.status_code == 200 else {}
    return body


async def step_open(city: Engine, request_id: str, index: int) -> dict[str, Any]:
    """The approval once step ``index`` is open for decisions."""
    return await eventually(
        lambda: approval_of(city, request_id), lambda a: bool(a) and open_step(a) == index
    )


async def decide(
    city: Engine, request_id: str, headers: dict[str, str], outcome: str, key: str, **extra: Any
) -> Any:
    """POST a decision on the open step."""
    return await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": outcome, "comment": "Diperiksa.", **extra},
        headers={**headers, "Idempotency-Key": key},
    )


async def test_diskominfo_heads_own_report_goes_to_the_sekda_at_once_and_is_decided_there(
    engine: Engine,
) -> None:
    city = engine
    milestone = submitted_milestone(city, "DISKOMINFO")
    diskominfo = city.token_of(head_of(city, "DISKOMINFO"))
    assert milestone.submitted_by == head_of(city, "DISKOMINFO")
    request_id = await start_as_the_starter_does(city, milestone.id)
    await step_open(city, request_id, 0)
    first = await decide(city, request_id, city.auth(Role.OPD_HEAD), "approve", "ladder-1")
    assert first.status_code == 200, first.text

    approval = await step_open(city, request_id, 1)
    step = approval["steps"][1]
    assert step["escalation_level"] == 1
    assert "DISKOMINFO" in step["escalation_reason"]
    assert "submitted" in step["escalation_reason"]
    # At once: escalated in the same instant the step opened, not days later by the timer.
    stored = list(city.approvals().repository.event_store.get(uuid.UUID(request_id)))
    opened = [e for e in stored if type(e).__name__ == "StepOpened"][-1]
    why = next(e for e in stored if type(e).__name__ == "NobodyMayDecide")
    assert why.effective_at == opened.effective_at
    assert why.reason == step["escalation_reason"]

    own = await decide(city, request_id, diskominfo, "approve", "ladder-own")
    assert own.status_code == 403, own.text
    assert own.json()["type"] == "https://jejak.id/problems/four-eyes"

    sekda = city.auth(Role.LEADERSHIP)
    inbox = await city.client.get(
        f"{V1}/me/inbox?after_position={city.last_position()}", headers=sekda
    )
    assert inbox.status_code == 200, inbox.text
    mine = [(i["step_index"], i["opd_code"]) for i in inbox.json()["items"]]
    assert (1, "DISKOMINFO") in [
        (i["step_index"], i["opd_code"])
        for i in inbox.json()["items"]
        if i["request_id"] == request_id
    ], mine

    backdated = await decide(
        city, request_id, sekda, "approve", "ladder-2", effective_at="2023-10-05T09:00:00+07:00"
    )
    assert backdated.status_code == 422, backdated.text
    assert (await approval_of(city, request_id))["version"] == approval["version"]

    decided = await decide(city, request_id, sekda, "approve", "ladder-3")
    assert decided.status_code == 200, decided.text
    result = decided.json()
    assert (result["opd_code"], result["capacity"]) == ("DISKOMINFO", "sekda")
    assert result["approval"]["status"] == "approved"
    assert result["approval"]["steps"][1]["decisions"][0]["person_nip"] == personas.LEADERSHIP
    recorded = [
        e
        for e in city.approvals().repository.event_store.get(uuid.UUID(request_id))
        if type(e).__name__ == "DecisionRecorded"
    ][-1]
    assert abs(recorded.effective_at - datetime.now(UTC)) < timedelta(minutes=5)
    done = await eventually(
        lambda: city.client.get(f"{V1}/milestones/{milestone.id}", headers=city.auth(Role.ADMIN)),
        lambda r: r.json()["status"] == "approved",
    )
    assert done.status_code == 200


async def test_a_rejected_milestone_is_approved_on_its_second_submission(engine: Engine) -> None:
    city = engine
    milestone = submitted_milestone(city, "DLH")
    owner = city.token_of(head_of(city, "DLH"))
    bappeda, diskominfo = city.auth(Role.OPD_HEAD), city.token_of(head_of(city, "DISKOMINFO"))
    first_id = await start_as_the_starter_does(city, milestone.id)
    assert first_id == str(ApprovalRequest.create_id("milestone-report", str(milestone.id)))
    await step_open(city, first_id, 0)
    rejected = await decide(city, first_id, bappeda, "reject", "second-1")
    assert rejected.status_code == 200, rejected.text
    assert rejected.json()["approval"]["status"] == "rejected"

    url = f"{V1}/milestones/{milestone.id}"
    returned = await eventually(
        lambda: city.client.get(url, headers=owner), lambda r: r.json()["status"] == "returned"
    )
    assert returned.json()["comment"].startswith("Rejected")
    revised = await city.client.post(
        f"{url}/progress", json={"percent": 100, "note": "Revisi sesuai catatan."}, headers=owner
    )
    assert revised.status_code == 200, revised.text
    again = await city.client.post(f"{url}/submit", headers=owner)
    assert again.status_code == 200, again.text

    second_id = await start_as_the_starter_does(city, milestone.id)
    assert second_id != first_id
    second = await step_open(city, second_id, 0)
    assert (second["attempt"], second["previous_request_id"]) == (2, first_id)
    for index, (who, key) in enumerate(((bappeda, "second-2"), (diskominfo, "second-3"))):
        await step_open(city, second_id, index)
        answer = await decide(city, second_id, who, "approve", key)
        assert answer.status_code == 200, answer.text
    assert answer.json()["approval"]["status"] == "approved"

    history = await city.client.get(
        f"{V1}/approvals/of/milestone-report/{milestone.id}", headers=owner
    )
    assert history.status_code == 200, history.text
    items = history.json()["items"]
    assert [(i["id"], i["status"], i["previous_request_id"]) for i in items] == [
        (first_id, "rejected", None),
        (second_id, "approved", first_id),
    ]
    await eventually(
        lambda: city.client.get(url, headers=owner), lambda r: r.json()["status"] == "approved"
    )
