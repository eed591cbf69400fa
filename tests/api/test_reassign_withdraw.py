"""Reassigning a step and withdrawing a request over HTTP, carried out by the approval workflow.

The engine's approval is the first submitted milestone of the reference scenario: owned by
DISKOMINFO, its first step decided by BAPPEDA (whose head is the dev OPD head). Refusals the
API makes before asking Temporal run on the plain app.
"""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest

from api.app import create_app
from api.auth import Role, dev_tokens
from domain.approvals.application import ApprovalsApplication
from domain.organisation.application import OrganisationApplication
from tests.support.app import (
    FOREIGN_OPD,
    OWN_OPD,
    SECRETARIAT,
    Api,
    request_approval,
    seed,
    settings_for,
)
from tests.support.engine import V1, Engine, engine, eventually, open_step

__all__ = ["engine"]

BAPPEDA, DISKOMINFO, BPKPD = "BAPPEDA", "DISKOMINFO", "BPKPD"
MOVE = {"step_index": 0, "from_opd": BAPPEDA, "to_opd": BPKPD, "reason": "Kepala Bappeda cuti."}


async def approval_of(city: Api, request_id: str) -> dict[str, Any]:
    """GET the approval as the secretariat ({} while the workflow has not yet created it)."""
    answer = await city.client.get(f"{V1}/approvals/{request_id}", headers=city.auth(Role.ADMIN))
    body: dict[str, Any] = answer.json() if answer.status_code == 200 else {}
    return body


async def started(city: Engine) -> str:
    """The first submitted milestone sent for approval; its request id once step 0 is open."""
    milestone = city.plan().get_milestone(city.submitted_milestones()[0])
    request_id = await city.start_approval(milestone)
    await eventually(lambda: approval_of(city, request_id), lambda a: bool(a) and open_step(a) == 0)
    return request_id


def owner_head(city: Engine) -> dict[str, str]:
    """The Authorization header of DISKOMINFO's head today (the owner of the approval)."""
    term = city.app.state.store.app(OrganisationApplication).head_on(DISKOMINFO, date.today())
    assert term is not None
    return city.token_of(term.nip)


async def post(
    city: Api, request_id: str, what: str, body: dict[str, Any], headers: dict[str, str]
) -> httpx.Response:
    """POST ``body`` to the approval's ``what`` (reassignments or withdrawal)."""
    return await city.client.post(f"{V1}/approvals/{request_id}/{what}", json=body, headers=headers)


async def test_the_secretariat_hands_the_open_step_to_another_opd(engine: Engine) -> None:
    request_id = await started(engine)
    headers = {**engine.auth(Role.ADMIN), "Idempotency-Key": "move-1"}
    before = engine.last_position()
    moved = await post(engine, request_id, "reassignments", MOVE, headers)
    again = await post(engine, request_id, "reassignments", MOVE, headers)
    assert moved.status_code == 200, moved.text
    assert moved.json()["position"] > before
    step = moved.json()["approval"]["steps"][0]
    assert (step["assigned_opds"], step["is_open"]) == ([BPKPD], True)
    assert again.json() == moved.json()
    refused = await post(
        engine, request_id, "decisions", {"outcome": "approve"}, engine.auth(Role.OPD_HEAD)
    )
    assert refused.status_code == 403


async def test_a_completed_step_cannot_be_reassigned(engine: Engine) -> None:
    request_id = await started(engine)
    decided = await post(
        engine, request_id, "decisions", {"outcome": "approve"}, engine.auth(Role.OPD_HEAD)
    )
    assert decided.status_code == 200, decided.text
    late = await post(engine, request_id, "reassignments", MOVE, engine.auth(Role.LEADERSHIP))
    assert late.status_code == 409, late.text
    assert late.headers["content-type"] == "application/problem+json"
    assert late.json()["type"].endswith("/step-closed")
    assert (await approval_of(engine, request_id))["steps"][0]["assigned_opds"] == [BAPPEDA]


async def test_the_head_of_the_owner_opd_withdraws_the_request(engine: Engine) -> None:
    request_id = await started(engine)
    body = {"reason": "Laporan akan diperbaiki dulu."}
    foreign = await post(engine, request_id, "withdrawal", body, engine.auth(Role.OPD_HEAD))
    withdrawn = await post(engine, request_id, "withdrawal", body, owner_head(engine))
    again = await post(engine, request_id, "withdrawal", body, engine.auth(Role.ADMIN))
    assert foreign.status_code == 403
    assert withdrawn.status_code == 200, withdrawn.text
    assert withdrawn.json()["approval"]["status"] == "withdrawn"
    assert withdrawn.json()["position"] <= engine.last_position()
    assert again.status_code == 409
    assert again.json()["type"].endswith("/request-closed")


async def test_reassigning_to_an_opd_that_does_not_exist_is_not_found(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    body = {**MOVE, "from_opd": OWN_OPD, "to_opd": "DINAS-ANTAH"}
    answer = await post(api, request_id, "reassignments", body, api.auth(Role.ADMIN))
    assert answer.status_code == 404
    assert answer.json()["type"].endswith("/unknown-opd")


async def test_an_opd_head_may_not_reassign_even_its_own_step(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    body = {**MOVE, "from_opd": OWN_OPD, "to_opd": FOREIGN_OPD}
    answer = await post(api, request_id, "reassignments", body, api.auth(Role.OPD_HEAD))
    assert answer.status_code == 403
    assert answer.json()["permission"] == "approval:reassign"


async def test_a_withdrawn_request_can_be_neither_withdrawn_nor_reassigned_again(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    approvals = api.app.state.store.app(ApprovalsApplication)
    approvals.withdraw(uuid.UUID(request_id), "Ditarik", SECRETARIAT)
    body = {**MOVE, "from_opd": OWN_OPD, "to_opd": FOREIGN_OPD}
    moved = await post(api, request_id, "reassignments", body, api.auth(Role.LEADERSHIP))
    withdrawn = await post(api, request_id, "withdrawal", {"reason": "x"}, api.auth(Role.OPD_HEAD))
    assert (moved.status_code, withdrawn.status_code) == (409, 409)
    assert withdrawn.json()["detail"] == "This approval request is already withdrawn."


async def test_a_withdrawal_needs_a_reason_and_no_unknown_fields(api: Api) -> None:
    request_id = request_approval(api, OWN_OPD)
    blank = await post(api, request_id, "withdrawal", {"reason": " "}, api.auth(Role.ADMIN))
    extra = await post(
        api, request_id, "withdrawal", {"reason": "x", "force": True}, api.auth(Role.ADMIN)
    )
    assert (blank.status_code, extra.status_code) == (422, 422)
    assert [e["field"] for e in blank.json()["errors"]] == ["reason"]
    assert [e["field"] for e in extra.json()["errors"]] == ["force"]


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


async def test_a_withdrawal_while_temporal_is_down_is_a_503_to_retry(unreachable: Api) -> None:
    request_id = request_approval(unreachable, OWN_OPD)
    body = {"reason": "Ditarik."}
    answer = await post(unreachable, request_id, "withdrawal", body, unreachable.auth(Role.ADMIN))
    assert answer.status_code == 503
    assert answer.headers["Retry-After"] == "5"
    assert (await approval_of(unreachable, request_id))["status"] == "in-progress"
