"""Standard Webhooks signatures: ``v1,base64(HMAC-SHA256(secret, id.timestamp.body))``."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from collections.abc import Mapping

#: The prefix of a Standard Webhooks secret; the rest is the key in base64.
SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret


class MissingSecretError(Exception):
    """The environment variable a webhook's secret reference names is not set."""


def secret_bytes(secret: str) -> bytes:
    """The HMAC key of a secret: ``whsec_<base64>`` decoded, any other text as UTF-8."""
    if secret.startswith(SECRET_PREFIX):
        return base64.b64decode(secret.removeprefix(SECRET_PREFIX))
    return secret.encode()


def resolve_secret(ref: str, environ: Mapping[str, str] | None = None) -> bytes:
    """The key a reference ``env:NAME`` names (the value is never logged nor stored)."""
    name = ref.removeprefix("env:")
    value = (os.environ if environ is None else environ).get(name, "")
    if not ref.startswith("env:") or not value:
        raise MissingSecretError(f"The webhook secret {ref} is not set on the worker.")
    return secret_bytes(value)


def sign(key: bytes, msg_id: str, timestamp: int, body: bytes) -> str:
    """The ``webhook-signature`` header value for one message."""
    signed = f"{msg_id}.{timestamp}.".encode() + body
    digest = hmac.new(key, signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode()


def verify(key: bytes, headers: Mapping[str, str], body: bytes) -> bool:
    """Whether one of the signatures in ``headers`` is the message's (for receivers and tests)."""
    expected = sign(key, headers["webhook-id"], int(headers["webhook-timestamp"]), body)
    given = headers.get("webhook-signature", "").split()
    return any(hmac.compare_digest(expected, candidate) for candidate in given)
