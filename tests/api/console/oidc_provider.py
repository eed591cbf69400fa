"""A small OIDC provider for tests (a fake, not a mock): discovery, authorize, token, JWKS.

It signs in one configured user at once (no login form), and keeps PKCE honest: the token
endpoint refuses a code whose verifier does not hash to the challenge it was issued for.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from fastapi import FastAPI, Form, HTTPException
from fastapi.responses import RedirectResponse
from jwt.algorithms import RSAAlgorithm

CLIENT_ID = "konsol"
AUDIENCE = "jejak"


@dataclass
class Provider:
    """The provider's key, the user it signs in, and the codes it has issued."""

    issuer: str
    user: str = ""
    role: str = ""
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    codes: dict[str, dict[str, str]] = field(default_factory=dict)
    refused_verifiers: int = 0

    def signed(self, claims: dict[str, Any]) -> str:
        """A JWT of the provider."""
        now = int(time.time())
        body = {"iss": self.issuer, "iat": now, "exp": now + 300, **claims}
        return jwt.encode(body, self.key, algorithm="RS256", headers={"kid": "k1"})


def s256(verifier: str) -> str:
    """The PKCE S256 challenge of a verifier."""
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def provider_app(provider: Provider) -> FastAPI:
    """The provider's endpoints."""
    app = FastAPI()

    @app.get("/.well-known/openid-configuration")
    def discovery() -> dict[str, Any]:
        base = provider.issuer
        return {
            "issuer": base,
            "authorization_endpoint": f"{base}/authorize",
            "token_endpoint": f"{base}/token",
            "jwks_uri": f"{base}/jwks",
            "id_token_signing_alg_values_supported": ["RS256"],
            "code_challenge_methods_supported": ["S256"],
        }

    @app.get("/jwks")
    def jwks() -> dict[str, Any]:
        key = json.loads(RSAAlgorithm.to_jwk(provider.key.public_key()))
        return {"keys": [{**key, "kid": "k1", "use": "sig", "alg": "RS256"}]}

    @app.get("/authorize")
    def authorize(
        redirect_uri: str, state: str, nonce: str, code_challenge: str, code_challenge_method: str
    ) -> RedirectResponse:
        if code_challenge_method != "S256":
            raise HTTPException(400, "PKCE S256 required")
        code = secrets.token_urlsafe(16)
        provider.codes[code] = {"challenge": code_challenge, "nonce": nonce}
        return RedirectResponse(f"{redirect_uri}?{urlencode({'code': code, 'state': state})}")

    @app.post("/token")
    def token(code: str = Form(), code_verifier: str = Form()) -> dict[str, Any]:
        issued = provider.codes.pop(code, None)
        if issued is None or s256(code_verifier) != issued["challenge"]:
            provider.refused_verifiers += 1
            raise HTTPException(400, "invalid_grant")
        claims = {"sub": provider.user}
        return {
            "token_type": "Bearer",
            "expires_in": 300,
            "access_token": provider.signed({**claims, "aud": AUDIENCE, "role": provider.role}),
            "id_token": provider.signed({**claims, "aud": CLIENT_ID, "nonce": issued["nonce"]}),
        }

    return app
