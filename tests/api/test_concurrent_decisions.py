"""Sixteen approvals of one step sent at once by its head: one decision is recorded, no 5xx."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter

import httpx

from api.auth import Role
from api.routes.approvals import DECISION_NAMESPACE
from infra.scenario import personas
from tests.support.engine import V1, Engine, engine, eventually, open_step
from tests.workflows.approval.scenario import events
from workflows.approval.client import decide
from workflows.approval.inputs import DecideInput

__all__ = ["engine"]

CONCURRENT = 16


async def opened_approval(city: Engine) -> str:
    """The approval of the first submitted milestone, once its first step is open."""
    milestone = city.plan().get_milestone(city.submitted_milestones()[0])
    request_id = await city.start_approval(milestone)

    async def read() -> httpx.Response:
        return await city.client.get(f"{V1}/approvals/{request_id}", headers=city.auth(Role.ADMIN))

    await eventually(read, lambda r: r.status_code == 200 and open_step(r.json()) == 0)
    return request_id


async def approve_at_once(city: Engine, request_id: str, keys: list[str]) -> list[httpx.Response]:
    """POST one approval per key, all at the same time, as the BAPPEDA head."""
    head = city.auth(Role.OPD_HEAD)
    body = {"outcome": "approve", "comment": "Sesuai rencana induk."}
    return await asyncio.gather(
        *(
            city.client.post(
                f"{V1}/approvals/{request_id}/decisions",
                json=body,
                headers={**head, "Idempotency-Key": key},
            )
            for key in keys
        )
    )


def problem_types(answers: list[httpx.Response]) -> Counter[str]:
    """How often each problem type was answered."""
    return Counter(a.json()["type"].rpartition("/")[2] for a in answers if a.status_code >= 400)


async def test_sixteen_approvals_with_different_keys_record_one_decision(engine: Engine) -> None:
    request_id = await opened_approval(engine)
    answers = await approve_at_once(engine, request_id, [f"approve-{n}" for n in range(CONCURRENT)])
    statuses = Counter(a.status_code for a in answers)
    assert statuses == {200: 1, 409: CONCURRENT - 1}, [a.text for a in answers]
    assert set(problem_types(answers)) == {"already-decided"}
    assert len(events(engine.app.state.store, "DecisionRecorded")) == 1


async def test_sixteen_approvals_with_one_key_record_one_decision_and_replay_it(
    engine: Engine,
) -> None:
    key = "same-key"
    request_id = await opened_approval(engine)
    answers = await approve_at_once(engine, request_id, [key] * CONCURRENT)
    assert all(a.status_code < 500 for a in answers), [a.text for a in answers]
    created = [a for a in answers if a.status_code == 200]
    assert created
    assert {a.json()["decision_id"] for a in created} == {created[0].json()["decision_id"]}
    replayed = [a for a in created if a.headers.get("idempotent-replayed") == "true"]
    assert len(created) - len(replayed) == 1
    assert set(problem_types(answers)) <= {"idempotency-key-in-use"}
    assert len(events(engine.app.state.store, "DecisionRecorded")) == 1

    again = await approve_at_once(engine, request_id, [key])
    assert again[0].status_code == 200
    assert again[0].headers["idempotent-replayed"] == "true"
    assert again[0].json() == created[0].json()


async def test_a_retry_whose_first_answer_was_lost_gets_the_recorded_decision(
    engine: Engine,
) -> None:
    request_id = await opened_approval(engine)
    key = "answer-lost"
    # What the first request did before its API process died: the decision is recorded.
    lost = DecideInput(
        decision_id=str(uuid.uuid5(DECISION_NAMESPACE, f"{personas.OPD_HEAD}/{key}")),
        person_nip=personas.OPD_HEAD,
        opd_code=personas.OPD_HEAD_OPD,
        capacity="head",
        outcome="approve",
        comment="Sesuai rencana induk.",
    )
    await decide(engine.temporal.client, request_id, lost)
    (retry,) = await approve_at_once(engine, request_id, [key])
    assert retry.status_code == 200, retry.text
    assert retry.json()["decision_id"] == lost.decision_id
    assert retry.json()["opd_code"] == personas.OPD_HEAD_OPD
    assert len(events(engine.app.state.store, "DecisionRecorded")) == 1
