"""A decision's answer is the approval's new state as the workflow's Update returned it."""

from __future__ import annotations

from api.auth import Role
from tests.support.engine import V1, Engine, approval_of, engine, started

__all__ = ["engine"]


async def test_the_decision_answer_is_the_approval_a_later_read_shows(engine: Engine) -> None:
    city = engine
    request_id = await started(city)
    decided = await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": "approve", "comment": "Sesuai rencana induk."},
        headers={**city.auth(Role.OPD_HEAD), "Idempotency-Key": "answer-1"},
    )
    assert decided.status_code == 200, decided.text
    answered = decided.json()["approval"]
    # Not read again from the store: the Update's state, which the store then agrees with.
    assert answered["current_step"] == 1
    assert answered == await approval_of(city, request_id)
