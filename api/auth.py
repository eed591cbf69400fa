"""Who is calling: bearer JWTs from the city's OIDC provider, or local dev tokens."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import jwt
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from infra.scenario import personas
from infra.settings import Settings


class Role:
    """The roles a token may carry."""

    ADMIN = "admin"  # the smart-city secretariat (Diskominfo, Bappeda)
    OPD_HEAD = "opd-head"  # a person (NIP); OPD and capacity come from appointments
    INSPECTORATE = "inspectorate"  # the Inspektorat (APIP)
    AUDITOR = "auditor"  # BPK, BPKP, Kominfo evaluators: read everything, write nothing
    LEADERSHIP = "leadership"  # the mayor and the Sekda
    PUBLIC = "public"  # citizens: published progress only
    ASSESSOR = "assessor"  # the ministry's external assessors: the evaluation package only

    ALL = frozenset({ADMIN, OPD_HEAD, INSPECTORATE, AUDITOR, LEADERSHIP, PUBLIC, ASSESSOR})


#: One dev user per role in the reference city: role -> (user id, OPD code or None).
#: One user per role of the reference city (Pematang Siantar), for `jejak up`'s dev tokens.
DEV_USERS: dict[str, tuple[str, str | None]] = {
    Role.ADMIN: (personas.ADMIN, personas.ADMIN_OPD),
    Role.OPD_HEAD: (personas.OPD_HEAD, personas.OPD_HEAD_OPD),
    Role.INSPECTORATE: (personas.INSPECTORATE, personas.INSPECTORATE_OPD),
    Role.AUDITOR: (personas.AUDITOR, None),
    Role.LEADERSHIP: (personas.LEADERSHIP, personas.LEADERSHIP_OPD),
    Role.PUBLIC: (personas.PUBLIC, None),
    Role.ASSESSOR: ("asesor.kementerian", None),
}

DEV_ISSUER = "jejak-dev"
DEV_ALGORITHM = "ES256"
OIDC_ALGORITHMS = ["RS256", "ES256"]
DEV_KEY_FILE = "dev-signing-key.pem"
#: Verified tokens kept per process (a token is checked once, then looked up until it expires).
TOKENS_KEPT = 4096
#: A kept token is checked in full again after this long at the latest: as often as the
#: identity provider's keys are fetched again, so a withdrawn key stops counting as soon.
TOKEN_RECHECK_SECONDS = 300.0


@dataclass(frozen=True)
class Principal:
    """The caller, as the token says; ``token_opd`` is informational only."""

    user: str
    role: str
    token_opd: str | None = None


class AuthenticationError(Exception):
    """The request carries no token, or one that cannot be trusted."""


class DevTokensDisabledError(Exception):
    """Dev tokens are refused outside dev mode."""


def dev_private_key(settings: Settings) -> ec.EllipticCurvePrivateKey:
    """The local signing key, generated (readable by its owner only) on first use."""
    path = Path(settings.data_dir) / DEV_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
        if not isinstance(loaded, ec.EllipticCurvePrivateKey):
            raise AuthenticationError(f"{path} does not hold an EC private key") from None
        return loaded
    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    return key


def sign_dev_token(
    settings: Settings,
    user: str,
    role: str,
    opd: str | None = None,
    ttl: timedelta = timedelta(hours=12),
) -> str:
    """A token signed with the local key; refused unless dev mode is on."""
    if not settings.dev_mode:
        raise DevTokensDisabledError("dev tokens are disabled (JEJAK_DEV_MODE=false)")
    if role not in Role.ALL:
        raise ValueError(f"unknown role {role!r}; use one of {sorted(Role.ALL)}")
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": user,
        "role": role,
        "iat": now,
        "exp": now + ttl,
        "iss": DEV_ISSUER,
        "aud": settings.auth_audience,
    }
    if opd:
        claims["opd"] = opd
    return jwt.encode(claims, dev_private_key(settings), algorithm=DEV_ALGORITHM)


def dev_tokens(settings: Settings) -> dict[str, str]:
    """A ready token for the dev user of each role."""
    return {
        role: sign_dev_token(settings, user, role, opd) for role, (user, opd) in DEV_USERS.items()
    }


def role_of(claims: dict[str, Any], path: str) -> str | None:
    """The one Jejak role the claim at dotted ``path`` names (a text or a list), else None.

    Identity providers put roles in lists (Keycloak: ``realm_access.roles``); a list must
    hold exactly one of Jejak's roles, so a token never chooses between two.
    """
    found: object = claims
    for name in path.split("."):
        found = found.get(name) if isinstance(found, dict) else None
    if isinstance(found, str):
        return found if found in Role.ALL else None
    if isinstance(found, list):
        known = {r for r in found if isinstance(r, str) and r in Role.ALL}
        return known.pop() if len(known) == 1 else None
    return None


class VerifiedTokens:
    """Tokens already verified, each with its principal, kept until the token expires.

    Checking a signature and the claims costs more than the rest of a kept answer; what a
    token says cannot change before it expires, so it is checked once per process (and
    again every few minutes, for a withdrawn key). A token that failed is never kept.
    """

    def __init__(self, most: int = TOKENS_KEPT) -> None:
        self.most = most
        self._kept: dict[str, tuple[Principal, float]] = {}

    def get(self, token: str) -> Principal | None:
        """The principal of a verified token that has not expired yet."""
        found = self._kept.get(token)
        if found is None:
            return None
        if found[1] <= time.time():
            self._kept.pop(token, None)
            return None
        return found[0]

    def keep(self, token: str, principal: Principal, expires: float) -> None:
        """Remember a verified token until ``expires`` (seconds since the epoch)."""
        if len(self._kept) >= self.most:
            now = time.time()
            for old in [t for t, (_, e) in list(self._kept.items()) if e <= now]:
                self._kept.pop(old, None)
            while len(self._kept) >= self.most:  # the oldest kept goes first
                self._kept.pop(next(iter(self._kept)), None)
        self._kept[token] = (principal, expires)


class TokenVerifier:
    """Checks a bearer token: the OIDC issuer's JWKS, or the local key in dev mode."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._jwks = jwt.PyJWKClient(settings.auth_jwks_url) if settings.auth_jwks_url else None
        self._dev_key: ec.EllipticCurvePublicKey | None = None
        self.verified = VerifiedTokens()

    def verify(self, token: str) -> Principal:
        """The principal the token names, or ``AuthenticationError``."""
        known = self.verified.get(token)
        if known is not None:
            return known
        principal, expires = self._verify(token)
        self.verified.keep(token, principal, min(expires, time.time() + TOKEN_RECHECK_SECONDS))
        return principal

    def _verify(self, token: str) -> tuple[Principal, float]:
        """The principal and expiry of a token, checked in full."""
        try:
            issuer = jwt.decode(token, options={"verify_signature": False}).get("iss")
            claims = self._claims(token, issuer)
        except jwt.PyJWTError as exc:
            raise AuthenticationError(f"the token is not valid: {exc}") from None
        self._check_lifetime(claims)
        role = role_of(claims, self.settings.auth_roles_claim)
        user = claims.get("sub")
        if role is None or not isinstance(user, str) or not user.strip():
            raise AuthenticationError("the token names no known role or no user")
        opd = claims.get("opd")
        principal = Principal(user=user, role=role, token_opd=opd if isinstance(opd, str) else None)
        return principal, float(claims["exp"])

    def _check_lifetime(self, claims: dict[str, Any]) -> None:
        """Refuse a token issued for longer than the longest lifetime allowed."""
        issued, expires = claims.get("iat"), claims.get("exp")
        if not isinstance(issued, int | float) or not isinstance(expires, int | float):
            raise AuthenticationError("the token's iat and exp must be numbers")
        hours = self.settings.auth_max_token_hours
        if expires - issued > hours * 3600:
            raise AuthenticationError(f"the token is valid for longer than {hours:g} hours")

    def _claims(self, token: str, issuer: object) -> dict[str, Any]:
        """The verified claims, by the key of the issuer the token names."""
        if self.settings.dev_mode and issuer == DEV_ISSUER:
            if self._dev_key is None:
                self._dev_key = dev_private_key(self.settings).public_key()
            key: Any = self._dev_key
            algorithms = [DEV_ALGORITHM]
        elif self._jwks is not None and self.settings.auth_issuer and issuer:
            key = self._jwks.get_signing_key_from_jwt(token).key
            algorithms = OIDC_ALGORITHMS
            issuer = self.settings.auth_issuer
        else:
            raise AuthenticationError("the token's issuer is not trusted here")
        return jwt.decode(
            token,
            key,
            algorithms=algorithms,
            audience=self.settings.auth_audience,
            issuer=str(issuer),
            options={"require": ["exp", "iat", "iss", "aud", "sub"]},
        )
