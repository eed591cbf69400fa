"""Idempotency-Key: one effect per key, the first answer replayed, across app instances."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from api.app import create_app
from api.auth import DEV_USERS, Principal, Role
from api.idempotency import fingerprint
from api.idempotency_store import CLAIMED, IN_FLIGHT, key_store_for
from tests.support.app import Api

BODY = {"city": "SIANTAR", "day": "2024-06-03", "kind": "local-holiday", "reason": "HUT"}
URL = "/api/v1/calendar/declarations"


def events_in_log(api: Api) -> int:
    """How many events the store holds."""
    return int(api.app.state.store.max_position())


async def test_fifty_concurrent_posts_with_one_key_take_effect_once(api: Api) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "declare-hut-2024"}
    first = await api.client.post(URL, json=BODY, headers=headers)
    before = events_in_log(api)
    answers = await asyncio.gather(
        *(api.client.post(URL, json=BODY, headers=headers) for _ in range(50))
    )
    assert first.status_code == 200
    assert events_in_log(api) == before
    assert {a.status_code for a in answers} == {200}
    assert {a.content for a in answers} == {first.content}
    assert all(a.headers["idempotent-replayed"] == "true" for a in answers)


async def test_racing_posts_with_one_key_record_one_declaration(api: Api) -> None:
    await api.client.post(URL, json={**BODY, "day": "2024-06-05"}, headers=api.auth("admin"))
    before = events_in_log(api)
    headers = {**api.auth("admin"), "Idempotency-Key": "race"}
    answers = await asyncio.gather(
        *(api.client.post(URL, json=BODY, headers=headers) for _ in range(50))
    )
    assert events_in_log(api) == before + 1
    assert {a.status_code for a in answers} <= {200, 409}
    assert len({a.content for a in answers if a.status_code == 200}) == 1


async def test_same_key_with_another_body_is_422(api: Api) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "k1"}
    await api.client.post(URL, json=BODY, headers=headers)
    answer = await api.client.post(URL, json={**BODY, "day": "2024-06-04"}, headers=headers)
    assert answer.status_code == 422
    assert answer.json()["type"] == "https://jejak.id/problems/idempotency-key-reused"


async def test_same_key_while_the_first_runs_is_409(api: Api) -> None:
    keys = key_store_for(api.app.state.store)
    user = DEV_USERS[Role.ADMIN][0]
    body = json.dumps(BODY).encode()
    print_ = fingerprint("POST", URL, body, Principal(user, Role.ADMIN))
    assert keys.claim(user, "slow", print_).outcome == CLAIMED
    headers = {**api.auth("admin"), "Idempotency-Key": "slow", "content-type": "application/json"}
    answer = await api.client.post(URL, content=body, headers=headers)
    assert answer.status_code == 409
    assert answer.json()["type"] == "https://jejak.id/problems/idempotency-key-in-use"
    assert keys.claim(user, "slow", print_).outcome == IN_FLIGHT


async def test_a_key_belongs_to_its_user(api: Api) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "shared"}
    await api.client.post(URL, json=BODY, headers=headers)
    other = {**api.auth("leadership"), "Idempotency-Key": "shared"}
    answer = await api.client.post(URL, json=BODY, headers=other)
    assert answer.status_code == 403


async def test_a_refused_command_is_replayed_not_rerun(api: Api) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "dup"}
    await api.client.post(URL, json=BODY, headers={**api.auth("admin")})
    first = await api.client.post(URL, json=BODY, headers=headers)
    again = await api.client.post(URL, json=BODY, headers=headers)
    assert first.status_code == 409
    assert again.content == first.content
    assert again.headers["idempotent-replayed"] == "true"


async def test_keys_hold_across_app_instances_on_one_database(api: Api, tmp_path: Path) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "restart"}
    first = await api.client.post(URL, json=BODY, headers=headers)
    before = events_in_log(api)
    second_app = create_app(api.settings)
    async with second_app.router.lifespan_context(second_app):
        transport = httpx.ASGITransport(app=second_app)
        async with httpx.AsyncClient(transport=transport, base_url="http://b.test") as client:
            again = await client.post(URL, json=BODY, headers=headers)
    assert again.content == first.content
    assert events_in_log(api) == before
