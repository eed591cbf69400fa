"""The channels a delivery travels by: SMTP email, signed HTTPS webhooks, the local sink file.

Each send carries the delivery's idempotency key (``Message-ID`` for email, ``webhook-id``
for webhooks, ``key`` in the sink), so a receiver that remembers keys takes a retried message
once. A failure says whether trying again can help (``retryable``).
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formataddr, formatdate, parseaddr
from pathlib import Path
from typing import Any

import aiosmtplib
import httpx

from workflows.notify.signing import MissingSecretError, resolve_secret, sign

#: HTTP answers after which a later attempt may succeed; any other 4xx will not.
RETRYABLE_STATUSES = frozenset({408, 409, 425, 429})


class ChannelError(Exception):
    """A send failed; ``retryable`` when trying again later may succeed."""

    def __init__(self, message: str, *, retryable: bool = True) -> None:
        super().__init__(message)
        self.retryable = retryable


@dataclass(frozen=True)
class Envelope:
    """What one send needs: the key, the receiver, the words and the data."""

    key: str
    channel: str
    address: str
    secret_ref: str
    to_name: str
    subject: str
    body: str
    data: dict[str, Any]


@dataclass(frozen=True)
class ChannelConfig:
    """How this worker reaches receivers (from the settings)."""

    smtp_host: str = ""
    smtp_port: int = 25
    smtp_username: str = ""
    smtp_password: str = ""
    smtp_tls: str = "none"
    smtp_from: str = "Jejak <jejak@localhost>"
    sink_path: Path | None = None
    timeout: float = 10.0


class Channels:
    """Sends envelopes; one instance per worker (it keeps one HTTP connection pool)."""

    def __init__(self, config: ChannelConfig) -> None:
        self.config = config
        self._http: httpx.AsyncClient | None = None
        self._sink_lock = threading.Lock()

    async def send(self, envelope: Envelope) -> None:
        """Send by the envelope's channel, or raise ``ChannelError``."""
        if envelope.channel == "email":
            await self.send_email(envelope)
        elif envelope.channel == "webhook":
            await self.send_webhook(envelope)
        elif envelope.channel == "sink":
            self.write_sink(envelope)
        else:
            raise ChannelError(f"Unknown channel {envelope.channel}.", retryable=False)

    def email_message(self, envelope: Envelope) -> EmailMessage:
        """The email of an envelope; its Message-ID is the idempotency key."""
        sender = parseaddr(self.config.smtp_from)[1] or "jejak@localhost"
        message = EmailMessage()
        message["From"] = self.config.smtp_from
        message["To"] = formataddr((envelope.to_name, envelope.address))
        message["Subject"] = envelope.subject
        message["Date"] = formatdate(localtime=False)
        message["Message-ID"] = f"<{envelope.key}@{sender.partition('@')[2] or 'localhost'}>"
        message["Auto-Submitted"] = "auto-generated"
        message.set_content(envelope.body)
        return message

    async def send_email(self, envelope: Envelope) -> None:
        """One email over SMTP."""
        config = self.config
        if not config.smtp_host:
            raise ChannelError("No SMTP server is configured (JEJAK_SMTP_HOST).", retryable=False)
        try:
            await aiosmtplib.send(
                self.email_message(envelope),
                hostname=config.smtp_host,
                port=config.smtp_port,
                username=config.smtp_username or None,
                password=config.smtp_password or None,
                use_tls=config.smtp_tls == "tls",
                start_tls=config.smtp_tls == "starttls",
                timeout=config.timeout,
            )
        except aiosmtplib.SMTPRecipientsRefused as exc:
            raise ChannelError(
                f"The mail server refused the address: {exc}", retryable=False
            ) from None
        except (aiosmtplib.SMTPException, OSError) as exc:
            raise ChannelError(f"The mail server did not take the message: {exc}") from None

    async def send_webhook(self, envelope: Envelope) -> None:
        """One signed POST; a 2xx answer is success."""
        try:
            key = resolve_secret(envelope.secret_ref)
        except MissingSecretError as exc:
            raise ChannelError(str(exc), retryable=False) from None
        body = json.dumps(envelope.data, ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = int(time.time())
        headers = {
            "content-type": "application/json",
            "webhook-id": envelope.key,
            "webhook-timestamp": str(timestamp),
            "webhook-signature": sign(key, envelope.key, timestamp, body),
        }
        try:
            answer = await self.http().post(envelope.address, content=body, headers=headers)
        except httpx.HTTPError as exc:
            raise ChannelError(f"The webhook did not answer: {type(exc).__name__}") from None
        if answer.is_success:
            return
        retryable = answer.status_code >= 500 or answer.status_code in RETRYABLE_STATUSES
        raise ChannelError(f"The webhook answered {answer.status_code}.", retryable=retryable)

    def write_sink(self, envelope: Envelope) -> None:
        """Append the message to the sink file (one JSON object per line)."""
        path = self.config.sink_path
        if path is None:
            raise ChannelError("The local sink is not enabled.", retryable=False)
        line = {"key": envelope.key, "to": envelope.to_name, "subject": envelope.subject,
                "body": envelope.body, **envelope.data}  # fmt: skip
        with self._sink_lock:
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as sink:
                sink.write(json.dumps(line, ensure_ascii=False) + "\n")

    def http(self) -> httpx.AsyncClient:
        """The worker's HTTP client (redirects are not followed: a webhook answers itself)."""
        if self._http is None:
            self._http = httpx.AsyncClient(timeout=self.config.timeout, follow_redirects=False)
        return self._http

    async def close(self) -> None:
        """Release the HTTP connections."""
        if self._http is not None:
            await self._http.aclose()
            self._http = None
