"""Real receivers the tests start: an SMTP server (aiosmtpd) and a signed-webhook receiver."""

from __future__ import annotations

import asyncio
import base64
import email
import json
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

from aiosmtpd.controller import Controller

from workflows.notify.signing import verify

#: The secret the tests' webhooks share (Standard Webhooks form) and its variable name.
SECRET = "whsec_" + base64.b64encode(b"a test secret of 24 bytes").decode()
SECRET_ENV = "JEJAK_TEST_WEBHOOK_SECRET"


@dataclass
class Mailbox:
    """What the SMTP server received: one parsed email per message."""

    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        """aiosmtpd's hook: keep the message."""
        parsed = email.message_from_bytes(envelope.content)
        parsed["X-Rcpt-To"] = ",".join(envelope.rcpt_tos)
        self.messages.append(parsed)
        return "250 OK"

    def to(self, address: str) -> list[Message]:
        """The messages sent to ``address``."""
        return [m for m in self.messages if address in m["X-Rcpt-To"]]


@asynccontextmanager
async def smtp_server() -> AsyncIterator[tuple[Mailbox, int]]:
    """An SMTP server on a free port of this machine."""
    box = Mailbox()
    with socket.socket() as probe:  # the controller checks its port itself, so it cannot be 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(box, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield box, controller.port
    finally:
        controller.stop()


@dataclass
class Webhooks:
    """A receiver that verifies signatures and takes each webhook-id once.

    ``fail_first`` answers 503 to that many requests first; ``down`` answers 500 always;
    ``delay`` holds the first request that long (a slow receiver).
    """

    fail_first: int = 0
    down: bool = False
    delay: float = 0.0
    accepted: dict[str, dict[str, Any]] = field(default_factory=dict)
    requests: int = 0
    answered: int = 0
    duplicates: int = 0
    bad_signatures: int = 0
    first_request: asyncio.Event = field(default_factory=asyncio.Event)
    quiet: asyncio.Event = field(default_factory=asyncio.Event)

    async def answer(self, headers: dict[str, str], body: bytes) -> int:
        """The status for one request."""
        self.requests += 1
        self.first_request.set()
        if self.delay and self.requests == 1:
            await asyncio.sleep(self.delay)
        if not verify(base64.b64decode(SECRET.removeprefix("whsec_")), headers, body):
            self.bad_signatures += 1
            return 401
        if self.down or self.requests <= self.fail_first:
            return 503 if not self.down else 500
        if headers["webhook-id"] in self.accepted:
            self.duplicates += 1  # honoured: taken once, answered as success
            return 204
        self.accepted[headers["webhook-id"]] = json.loads(body)
        return 204

    async def all_answered(self) -> None:
        """Wait until every request received was answered (a held one included)."""
        while self.answered < self.requests:
            self.quiet.clear()
            await self.quiet.wait()

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        """One HTTP/1.1 request per connection."""
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.decode().split("\r\n")
        headers = {
            k.strip().lower(): v.strip() for k, _, v in (x.partition(":") for x in lines[1:] if x)
        }
        body = await reader.readexactly(int(headers.get("content-length", "0")))
        status = await self.answer(headers, body)
        self.answered += 1
        self.quiet.set()
        writer.write(
            f"HTTP/1.1 {status} X\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".encode()
        )
        await writer.drain()
        writer.close()


@asynccontextmanager
async def webhook_server(receiver: Webhooks) -> AsyncIterator[str]:
    """The receiver on a free port; yields its URL."""
    server = await asyncio.start_server(receiver.serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}/hooks/jejak"
    finally:
        server.close()
