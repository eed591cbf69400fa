"""A decision is sent without reading the approval; refusals still say what they said.

With Temporal unreachable, the Update cannot answer: a decision the rules allow is a 503 to
retry, and one they refuse gets the same 403, 409 or 422 as ever, read from the store.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.auth import dev_tokens
from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import StepSpec
from tests.support.app import FOREIGN_OPD, OWN_OPD, SECRETARIAT, Api, seed, settings_for


@pytest.fixture
async def unreachable(tmp_path: Path) -> AsyncIterator[Api]:
    """The app with Temporal at an address where nothing answers."""
    settings = settings_for(tmp_path, temporal_address="127.0.0.1:1")
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            found = Api(app, client, settings, dev_tokens(settings))
            seed(found.organisation())
            yield found


def opened(api: Api, *opds: str) -> str:
    """An approval of OWN_OPD whose one step, asking ``opds``, is open."""
    approvals = api.app.state.store.app(ApprovalsApplication)
    request_id, _ = approvals.request_approval(
        "milestone-report",
        f"milestone-{uuid.uuid4().hex[:8]}",
        "Progress report",
        OWN_OPD,
        "staff.nip",
        [StepSpec(0, opds)],
        SECRETARIAT,
    )
    approvals.open_step(request_id, 0, datetime.now(UTC) + timedelta(days=5))
    return str(request_id)


async def decide(api: Api, request_id: str, role: str, **body: Any) -> httpx.Response:
    return await api.client.post(
        f"/api/v1/approvals/{request_id}/decisions",
        json={"outcome": "approve", **body},
        headers=api.auth(role),
    )


async def test_a_decision_the_rules_allow_is_a_503_to_retry_when_no_worker_answers(
    unreachable: Api,
) -> None:
    request_id = opened(unreachable, OWN_OPD)
    before = unreachable.app.state.store.max_position()
    answer = await decide(unreachable, request_id, "opd-head")
    assert answer.status_code == 503, answer.text
    assert answer.headers["Retry-After"] == "5"
    assert unreachable.app.state.store.max_position() == before


async def test_refusals_are_the_same_without_a_worker(unreachable: Api) -> None:
    foreign = await decide(unreachable, opened(unreachable, FOREIGN_OPD), "opd-head")
    assert foreign.status_code == 403
    assert FOREIGN_OPD in foreign.json()["detail"]
    not_head = await decide(unreachable, opened(unreachable, OWN_OPD), "leadership")
    assert not_head.json()["type"] == "https://jejak.id/problems/not-head"
    several = opened(unreachable, OWN_OPD, FOREIGN_OPD)
    which = await decide(unreachable, several, "leadership")
    assert which.status_code == 422
    assert which.json()["errors"][0]["field"] == "opd_code"
    not_mine = await decide(unreachable, several, "opd-head", opd_code=FOREIGN_OPD)
    assert not_mine.status_code == 403
    assert f"OPD {FOREIGN_OPD}" in not_mine.json()["detail"]
