"""Requests that once broke the API (5xx, stalls) are now answered 4xx, at once."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt

from api.auth import DEV_ALGORITHM, DEV_ISSUER, Role, dev_private_key
from infra.settings import Settings
from tests.support.app import Api, settings_for
from tests.support.city import catch_up

V1 = "/api/v1"


def signed(settings: Settings, lifetime: timedelta = timedelta(hours=1), **claims: Any) -> str:
    """A token signed with the dev key, with ``claims`` over a valid admin's."""
    now = datetime.now(UTC)
    body: dict[str, Any] = {
        "sub": "sekretariat.diskominfo", "role": Role.ADMIN, "iat": now, "exp": now + lifetime,
        "iss": DEV_ISSUER, "aud": settings.auth_audience, **claims,
    }  # fmt: skip
    return jwt.encode(body, dev_private_key(settings), algorithm=DEV_ALGORITHM)


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of ``token``."""
    return {"Authorization": f"Bearer {token}"}


async def test_a_forged_inbox_cursor_is_422_not_500(api: Api) -> None:
    catch_up(api)
    # "a|b|c|d": four fields, but no date and no step number.
    answer = await api.client.get(
        f"{V1}/me/inbox?cursor=YXxifGN8ZA==", headers=api.auth(Role.OPD_HEAD)
    )
    assert answer.status_code == 422
    assert answer.json()["type"].endswith("/invalid-cursor")


async def test_inbox_cursors_that_are_not_base64_or_too_long_are_422(api: Api) -> None:
    catch_up(api)
    for cursor in ("%%%", "Zm9v", "A" * 2000, "MjAyNC0wMS0wMXxifDk5OTk5OTk5OTk5OTk5OTk5OTk5fGQ="):
        answer = await api.client.get(
            f"{V1}/me/inbox", params={"cursor": cursor}, headers=api.auth(Role.OPD_HEAD)
        )
        assert answer.status_code == 422, cursor


async def test_a_token_whose_role_is_a_list_of_two_roles_is_401(api: Api) -> None:
    token = signed(api.settings, role=[Role.ADMIN, Role.AUDITOR])
    answer = await api.client.get(f"{V1}/opds", headers=bearer(token))
    assert answer.status_code == 401


async def test_a_token_whose_role_is_an_object_is_401_also_on_an_idempotent_post(
    api: Api,
) -> None:
    token = signed(api.settings, role={"name": Role.ADMIN})
    headers = {**bearer(token), "Idempotency-Key": "k-object-role"}
    answer = await api.client.post(f"{V1}/opds", json={}, headers=headers)
    assert answer.status_code == 401
    assert answer.json()["type"].endswith("/unauthenticated")


async def test_roles_are_read_from_a_keycloak_list_when_the_setting_names_it(
    tmp_path: Path,
) -> None:
    from api.auth import TokenVerifier

    settings = settings_for(tmp_path, auth_roles_claim="realm_access.roles")
    roles = {"roles": ["offline_access", Role.AUDITOR, "uma_authorization"]}
    principal = TokenVerifier(settings).verify(signed(settings, realm_access=roles))
    assert principal.role == Role.AUDITOR


async def test_a_token_valid_for_a_hundred_years_is_refused(api: Api) -> None:
    token = signed(api.settings, lifetime=timedelta(days=36500))
    answer = await api.client.get(f"{V1}/opds", headers=bearer(token))
    assert answer.status_code == 401
    assert "longer than 12 hours" in answer.json()["detail"]


async def test_a_position_beyond_the_log_is_409_at_once(api: Api) -> None:
    api.app.state.read_wait_seconds = 5.0
    started = time.perf_counter()
    answer = await api.client.get(
        f"{V1}/status/aspects?after_position=99999", headers=api.auth(Role.PUBLIC)
    )
    # At once, not after the 5 s wait for a position (bounded loosely: the machine may be busy).
    assert time.perf_counter() - started < 2.5
    assert answer.status_code == 409
    assert answer.json()["type"].endswith("/position-not-recorded")


async def test_a_position_beyond_any_integer_of_the_database_is_422(api: Api) -> None:
    answer = await api.client.get(
        f"{V1}/status/aspects?after_position={10**20}", headers=api.auth(Role.PUBLIC)
    )
    assert answer.status_code == 422


async def test_readers_waiting_for_the_views_hold_no_worker_thread(api: Api) -> None:
    # No projector runs: each of the 120 waits its whole second for the views.
    api.app.state.read_wait_seconds = 1.0
    head = api.app.state.store.max_position()
    waiting = [
        asyncio.create_task(
            api.client.get(
                f"{V1}/status/aspects?after_position={head}", headers=api.auth(Role.PUBLIC)
            )
        )
        for _ in range(120)
    ]
    await asyncio.sleep(0.2)
    started = time.perf_counter()
    answer = await api.client.get(f"{V1}/opds", headers=api.auth(Role.ADMIN))
    took = time.perf_counter() - started
    answers = await asyncio.gather(*waiting)
    assert answer.status_code == 200
    assert took < 0.5
    assert {a.status_code for a in answers} == {503}


async def test_validation_errors_repeat_no_long_input(api: Api) -> None:
    body = {"code": "X", "y" * 20_000: 1}
    answer = await api.client.post(f"{V1}/opds", json=body, headers=api.auth(Role.ADMIN))
    assert answer.status_code == 422
    assert len(answer.text) < 5_000
    assert all(len(e["field"]) <= 203 for e in answer.json()["errors"])
