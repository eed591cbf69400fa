"""Answers given before any route runs read in the caller's language too (Accept-Language)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from api.auth import Role
from api.unavailable import stored_answer
from tests.support.app import Api, serving, settings_for

URL = "/api/v1/calendar/declarations"
BODY = {"city": "SIANTAR", "day": "2024-06-03", "kind": "local-holiday", "reason": "HUT"}
INDONESIAN = {"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}


@pytest.fixture
async def limited(tmp_path: Path) -> AsyncIterator[Api]:
    """The app with a small body limit and a rate limit of 2 requests a minute."""
    settings = settings_for(tmp_path, max_body_bytes=4096, rate_limit="2/minute")
    async with serving(settings, rate_limit_pause=0.05) as found:
        yield found


def assert_indonesian(answer: httpx.Response) -> dict[str, object]:
    """The answer is a problem+json said in Indonesian; its body."""
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.headers["content-language"] == "id"
    assert "accept-language" in answer.headers["vary"].lower()
    problem: dict[str, object] = answer.json()
    return problem


async def test_a_body_over_the_limit_is_refused_in_indonesian(limited: Api) -> None:
    headers = {**limited.auth(Role.ADMIN), **INDONESIAN, "content-length": str(2**20)}
    answer = await limited.client.post(URL, content=b"x" * 2**20, headers=headers)
    assert answer.status_code == 413
    problem = assert_indonesian(answer)
    assert problem["title"] == "Permintaan terlalu besar"
    assert problem["detail"] == "Isi permintaan paling banyak 4096 byte."


async def test_a_caller_beyond_the_rate_is_refused_in_indonesian(limited: Api) -> None:
    headers = {**limited.auth(Role.AUDITOR), **INDONESIAN}
    answers = [await limited.client.get("/api/v1/opds", headers=headers) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    problem = assert_indonesian(answers[-1])
    assert problem["title"] == "Terlalu banyak permintaan"
    reset = answers[-1].headers["retry-after"]
    assert problem["detail"] == (
        f"Anda boleh mengirim 2 permintaan per 60 detik; coba lagi dalam {reset} detik."
    )
    english = await limited.client.get("/api/v1/opds", headers=limited.auth(Role.AUDITOR))
    assert english.status_code == 429
    assert english.headers["content-language"] == "en"
    assert str(english.json()["detail"]).startswith("You may send 2 requests per 60 seconds")


async def test_a_reused_idempotency_key_is_refused_in_indonesian(api: Api) -> None:
    headers = {**api.auth("admin"), "Idempotency-Key": "k-id"}
    assert (await api.client.post(URL, json=BODY, headers=headers)).status_code == 200
    answer = await api.client.post(
        URL, json={**BODY, "day": "2024-06-04"}, headers={**headers, **INDONESIAN}
    )
    assert answer.status_code == 422
    problem = assert_indonesian(answer)
    assert problem["type"] == "https://jejak.id/problems/idempotency-key-reused"
    assert problem["title"] == "Masalah Idempotency-Key"
    assert problem["detail"] == (
        "Idempotency-Key ini sudah dipakai untuk permintaan lain; gunakan kunci baru."
    )


async def test_an_invalid_idempotency_key_is_refused_in_indonesian(api: Api) -> None:
    headers = {**api.auth("admin"), **INDONESIAN, "Idempotency-Key": "k" * 300}
    answer = await api.client.post(URL, json=BODY, headers=headers)
    assert answer.status_code == 422
    problem = assert_indonesian(answer)
    assert problem["detail"] == (
        "Idempotency-Key harus terdiri dari 1 sampai 255 karakter yang terlihat."
    )


@pytest.mark.parametrize(
    ("cause", "title"),
    [("busy", "Jejak sedang sibuk"), ("unreachable", "Jejak tidak dapat menjangkau datanya")],
)
def test_a_database_shortage_met_before_any_route_is_told_in_indonesian(
    cause: str, title: str
) -> None:
    headers = [(b"accept-language", b"id")]
    scope = {"type": "http", "headers": headers, "path": "/api/v1/people", "method": "POST"}
    stored = stored_answer(cause, scope)  # type: ignore[arg-type]
    assert stored.status == 503
    sent = dict(json.loads(stored.headers))
    assert sent["content-language"] == "id"
    assert int(sent["retry-after"]) >= 1
    problem = json.loads(stored.body)
    assert problem["title"] == title
    assert "Tidak ada yang diubah" in problem["detail"]
    english = stored_answer(cause, {**scope, "headers": []})  # type: ignore[arg-type]
    assert "Nothing was changed" in json.loads(english.body)["detail"]
