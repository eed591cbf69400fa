"""Identity: bearer tokens, the local dev key, and the 401 challenge."""

from __future__ import annotations

import stat
import time
from datetime import timedelta
from pathlib import Path

import jwt
import pytest

from api.auth import (
    DEV_KEY_FILE,
    TOKEN_RECHECK_SECONDS,
    DevTokensDisabledError,
    Principal,
    Role,
    TokenVerifier,
    VerifiedTokens,
    dev_tokens,
    sign_dev_token,
)
from tests.support.app import Api, settings_for


async def test_missing_token_is_401_with_a_bearer_challenge(api: Api) -> None:
    answer = await api.client.get("/api/v1/opds")
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == 'Bearer realm="jejak"'
    assert answer.headers["content-type"] == "application/problem+json"


async def test_token_signed_by_another_key_is_401_invalid_token(api: Api, tmp_path: Path) -> None:
    stranger = sign_dev_token(settings_for(tmp_path / "elsewhere"), "x", Role.ADMIN)
    answer = await api.client.get("/api/v1/opds", headers={"Authorization": f"Bearer {stranger}"})
    assert answer.status_code == 401
    assert 'error="invalid_token"' in answer.headers["www-authenticate"]


async def test_expired_token_is_401(api: Api) -> None:
    old = sign_dev_token(api.settings, "x", Role.ADMIN, ttl=timedelta(seconds=-60))
    answer = await api.client.get("/api/v1/opds", headers={"Authorization": f"Bearer {old}"})
    assert answer.status_code == 401


async def test_role_the_api_does_not_know_is_401(api: Api) -> None:
    token = sign_dev_token(api.settings, "x", Role.ADMIN)
    claims = jwt.decode(token, options={"verify_signature": False})
    key = (api.settings.data_dir / DEV_KEY_FILE).read_bytes()
    forged = jwt.encode({**claims, "role": "superuser"}, key, algorithm="ES256")
    answer = await api.client.get("/api/v1/opds", headers={"Authorization": f"Bearer {forged}"})
    assert answer.status_code == 401


def test_dev_key_is_created_readable_by_its_owner_only(tmp_path: Path) -> None:
    sign_dev_token(settings_for(tmp_path), "x", Role.ADMIN)
    mode = (tmp_path / DEV_KEY_FILE).stat().st_mode
    assert stat.S_IMODE(mode) == 0o600


def test_dev_tokens_cover_every_role_and_verify(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    tokens = dev_tokens(settings)
    verifier = TokenVerifier(settings)
    assert {verifier.verify(t).role for t in tokens.values()} == Role.ALL


def test_dev_tokens_are_refused_outside_dev_mode(tmp_path: Path) -> None:
    with pytest.raises(DevTokensDisabledError):
        sign_dev_token(settings_for(tmp_path, dev_mode=False), "x", Role.ADMIN)


def test_dev_tokens_are_not_trusted_outside_dev_mode(tmp_path: Path) -> None:
    token = sign_dev_token(settings_for(tmp_path), "x", Role.ADMIN)
    from api.auth import AuthenticationError

    with pytest.raises(AuthenticationError):
        TokenVerifier(settings_for(tmp_path, dev_mode=False)).verify(token)


def test_a_verified_token_is_looked_up_until_it_expires(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    verifier = TokenVerifier(settings)
    token = sign_dev_token(settings, "x", Role.ADMIN)
    assert verifier.verified.get(token) is None
    principal = verifier.verify(token)
    assert verifier.verified.get(token) == principal
    assert verifier.verify(token) is principal
    kept_until = verifier.verified._kept[token][1]
    assert kept_until <= time.time() + TOKEN_RECHECK_SECONDS
    expired = VerifiedTokens()
    expired.keep(token, principal, time.time() - 1)
    assert expired.get(token) is None


def test_a_refused_token_is_not_kept(tmp_path: Path) -> None:
    token = sign_dev_token(settings_for(tmp_path), "x", Role.ADMIN)
    from api.auth import AuthenticationError

    verifier = TokenVerifier(settings_for(tmp_path, dev_mode=False))
    for _ in range(2):
        with pytest.raises(AuthenticationError):
            verifier.verify(token)
    assert verifier.verified.get(token) is None


def test_verified_tokens_are_bounded_the_expired_and_then_the_oldest_go_first() -> None:
    kept, someone = VerifiedTokens(most=2), Principal("x", Role.ADMIN)
    kept.keep("old", someone, time.time() - 1)
    kept.keep("a", someone, time.time() + 60)
    kept.keep("b", someone, time.time() + 60)
    assert kept.get("a") == kept.get("b") == someone
    kept.keep("c", someone, time.time() + 60)
    assert kept.get("a") is None
    assert kept.get("c") == someone
