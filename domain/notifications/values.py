"""What a recipient may register: an email address, an HTTPS webhook, a preference."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from domain.shared import ValidationError

#: Delivered at once, or gathered into one email at 07:30 WIB on working days.
IMMEDIATE, DIGEST = "immediate", "digest"
DELIVERIES = frozenset({IMMEDIATE, DIGEST})
#: Bahasa Indonesia by default; English on request.
LANGUAGES = frozenset({"id", "en"})
#: The channels a message travels by; ``sink`` is the local file of a development machine.
EMAIL, WEBHOOK, SINK = "email", "webhook", "sink"
CHANNELS = frozenset({EMAIL, WEBHOOK, SINK})
#: Hosts a plain-HTTP webhook may use: a receiver on the same machine (a local gateway).
LOOPBACK = frozenset({"127.0.0.1", "localhost", "::1"})

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$")
_SECRET_REF = re.compile(r"^env:[A-Z][A-Z0-9_]{2,127}$")


class InvalidAddressError(ValidationError):
    """An email address, webhook endpoint or preference that cannot be used."""

    code = "invalid-address"
    title = "The address cannot be used"


def email_address(value: str) -> str:
    """A syntactically valid email address (one mailbox, no display name)."""
    address = value.strip()
    local, _, domain = address.rpartition("@")
    if len(address) > 254 or len(local) > 64 or not _EMAIL.match(address) or ".." in address:
        raise InvalidAddressError("email", f"'{value}' is not an email address.")
    return f"{local}@{domain.lower()}"


def webhook_url(value: str) -> str:
    """An HTTPS URL (plain HTTP only to a receiver on the same machine)."""
    url = value.strip()
    try:
        parts = urlsplit(url)
        host = parts.hostname or ""
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError:
        raise InvalidAddressError("url", f"'{value}' is not a URL.") from None
    secure = parts.scheme == "https" or (parts.scheme == "http" and host in LOOPBACK)
    if not secure or not host or parts.username or parts.password or parts.fragment:
        raise InvalidAddressError(
            "url", f"'{value}' is not an HTTPS URL without credentials or fragment."
        )
    return url


def secret_ref(value: str) -> str:
    """Where the webhook's shared secret is kept: ``env:NAME`` (never the secret itself)."""
    ref = value.strip()
    if not _SECRET_REF.match(ref):
        raise InvalidAddressError(
            "secret_ref",
            "The secret must be named, not given: 'env:NAME' for an environment variable"
            " of the worker (letters, digits, '_').",
        )
    return ref


def delivery(value: str) -> str:
    """``immediate`` or ``digest``."""
    if value not in DELIVERIES:
        raise InvalidAddressError("delivery", f"'{value}' is not 'immediate' or 'digest'.")
    return value


def language(value: str) -> str:
    """``id`` (Bahasa Indonesia) or ``en``."""
    if value not in LANGUAGES:
        raise InvalidAddressError("language", f"'{value}' is not 'id' or 'en'.")
    return value
