"""The Ed25519 key that signs audit checkpoints, and the exact text it signs."""

from __future__ import annotations

import base64
import binascii
import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

from infra.settings import Settings

KEY_FILE = "audit-signing.key"


class SigningKeyError(Exception):
    """The configured signing key cannot be read."""


def checkpoint_message(position: int, chain_hash: str, signed_at: str) -> bytes:
    """The bytes a checkpoint signature covers."""
    return f"jejak-checkpoint|{position}|{chain_hash}|{signed_at}".encode()


def public_key_b64(key: Ed25519PrivateKey) -> str:
    """The public half of ``key``: base64 of its raw 32 bytes."""
    raw = key.public_key().public_bytes(Encoding.Raw, PublicFormat.Raw)
    return base64.b64encode(raw).decode()


def sign(key: Ed25519PrivateKey, message: bytes) -> str:
    """Base64 of the Ed25519 signature of ``message``."""
    return base64.b64encode(key.sign(message)).decode()


def signature_is_valid(public_key: str, message: bytes, signature: str) -> bool:
    """True when ``signature`` (base64) over ``message`` was made by ``public_key`` (base64)."""
    try:
        raw_key = base64.b64decode(public_key, validate=True)
        Ed25519PublicKey.from_public_bytes(raw_key).verify(
            base64.b64decode(signature, validate=True), message
        )
    except (InvalidSignature, ValueError, binascii.Error):
        return False
    return True


def key_from_b64(text: str) -> Ed25519PrivateKey:
    """A private key from base64 of its raw 32 bytes."""
    try:
        return Ed25519PrivateKey.from_private_bytes(base64.b64decode(text.strip(), validate=True))
    except (ValueError, binascii.Error):
        raise SigningKeyError(
            "JEJAK_AUDIT_SIGNING_KEY: not base64 of a 32-byte Ed25519 key"
        ) from None


def key_from_file(path: Path, *, create: bool) -> Ed25519PrivateKey:
    """The key stored in ``path``; created there (readable by the owner only) when missing."""
    if path.exists():
        return key_from_b64(path.read_text())
    if not create:
        raise SigningKeyError(f"No audit signing key at {path}")
    key = Ed25519PrivateKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = key.private_bytes_raw()
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as handle:
        handle.write(base64.b64encode(raw).decode() + "\n")
    return key


def signing_key(settings: Settings) -> Ed25519PrivateKey:
    """The checkpoint signing key the settings name (a value, a path, or the default file)."""
    given = settings.audit_signing_key.strip()
    if not given:
        return key_from_file(settings.data_dir / KEY_FILE, create=True)
    if Path(given).is_file():
        return key_from_file(Path(given), create=False)
    return key_from_b64(given)
