"""Body limit, authentication before the body, rate limit, security headers, idempotency."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from api.auth import Principal, Role, sign_dev_token
from api.idempotency import fingerprint
from api.idempotency_store import RETENTION_SECONDS, key_store_for
from tests.support.app import Api, serving, settings_for

URL = "/api/v1/calendar/declarations"
BODY = {"city": "SIANTAR", "day": "2024-06-03", "kind": "local-holiday", "reason": "HUT"}


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Api]:
    """The app with a small body limit and a rate limit of 5 requests a minute."""
    settings = settings_for(tmp_path, max_body_bytes=4096, rate_limit="5/minute")
    async with serving(settings, rate_limit_pause=0.05) as found:
        yield found


async def untouchable() -> AsyncIterator[bytes]:
    """A body that fails the test if anyone reads it."""
    raise AssertionError("the body was read")
    yield b""  # pragma: no cover - makes this a generator


async def chunks_of(count: int, size: int) -> AsyncIterator[bytes]:
    """A streamed body of ``count`` chunks, without a Content-Length."""
    for _ in range(count):
        yield b"x" * size


async def test_a_body_declared_larger_than_the_limit_is_413_unread(limited: Api) -> None:
    headers = {**limited.auth(Role.ADMIN), "content-length": str(50 * 2**20)}
    answer = await limited.client.post(URL, content=untouchable(), headers=headers)
    assert answer.status_code == 413
    assert answer.json()["type"].endswith("/body-too-large")


async def test_a_streamed_body_past_the_limit_is_413(limited: Api) -> None:
    answer = await limited.client.post(
        URL, content=chunks_of(64, 1024), headers=limited.auth(Role.ADMIN)
    )
    assert answer.status_code == 413


async def test_an_anonymous_write_is_401_before_its_body_is_read(limited: Api) -> None:
    headers = {"content-length": "100", "Idempotency-Key": "anon"}
    answer = await limited.client.post(URL, content=untouchable(), headers=headers)
    assert answer.status_code == 401
    bad = {**headers, "Authorization": "Bearer not-a-token"}
    answer = await limited.client.post(URL, content=untouchable(), headers=bad)
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


async def test_api_answers_carry_security_headers_and_are_never_cached(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds", headers=api.auth(Role.ADMIN))
    assert answer.headers["cache-control"] == "no-store"
    assert answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["x-frame-options"] == "DENY"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "server" not in answer.headers


async def test_a_caller_beyond_the_rate_gets_429_with_retry_after(limited: Api) -> None:
    answers = [
        await limited.client.get("/api/v1/opds", headers=limited.auth(Role.AUDITOR))
        for _ in range(6)
    ]
    assert [a.status_code for a in answers] == [200] * 5 + [429]
    assert "remaining=4" in answers[0].headers["ratelimit"]
    assert answers[0].headers["ratelimit-policy"] == "5;w=60"
    assert int(answers[-1].headers["retry-after"]) >= 1
    other = await limited.client.get("/api/v1/opds", headers=limited.auth(Role.ADMIN))
    assert other.status_code == 200


async def test_a_replay_under_another_role_is_refused(api: Api) -> None:
    nip = "199001012015011001"
    as_admin = sign_dev_token(api.settings, nip, Role.ADMIN)
    as_auditor = sign_dev_token(api.settings, nip, Role.AUDITOR)
    key = {"Idempotency-Key": "role-bound"}
    first = await api.client.post(
        URL, json=BODY, headers={**key, "Authorization": f"Bearer {as_admin}"}
    )
    again = await api.client.post(
        URL, json=BODY, headers={**key, "Authorization": f"Bearer {as_auditor}"}
    )
    assert first.status_code == 200
    assert again.status_code == 422
    assert "idempotent-replayed" not in again.headers


async def test_a_replay_under_another_caller_runs_as_its_own_request(api: Api) -> None:
    key = {"Idempotency-Key": "caller-bound"}
    await api.client.post(URL, json=BODY, headers={**key, **api.auth(Role.ADMIN)})
    other = await api.client.post(URL, json=BODY, headers={**key, **api.auth(Role.AUDITOR)})
    assert "idempotent-replayed" not in other.headers
    assert other.status_code == 403


async def test_expired_idempotency_keys_are_purged(api: Api) -> None:
    keys = key_store_for(api.app.state.store)
    admin = Principal("sekretariat.diskominfo", Role.ADMIN)
    print_ = fingerprint("POST", URL, b"{}", admin)
    keys.claim(admin.user, "old", print_)
    keys.claim(admin.user, "new", print_)
    db = api.app.state.store.env["SQLITE_DBNAME"]
    import sqlite3

    with sqlite3.connect(db) as conn:
        conn.execute(
            "UPDATE jejak_idempotency_keys SET created_at = created_at - ?, status = 201"
            " WHERE key = 'old'",
            (RETENTION_SECONDS + 1,),
        )
    assert keys.purge() == 1
    with sqlite3.connect(db) as conn:
        left = [k for (k,) in conn.execute("SELECT key FROM jejak_idempotency_keys")]
    assert left == ["new"]
