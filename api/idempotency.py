"""Idempotency-Key on every POST (IETF httpapi draft): one effect, the first answer replayed.

The key is claimed with a unique INSERT before the command runs, so of many concurrent
requests with one key exactly one runs; the others get 409 while it runs and its stored
response afterwards. A 5xx (or a crash) releases the key, since nothing was decided.

Keys live in the event database, so they share its shortages: when no connection is free
the key is never claimed (503 at once), and a release or a completion that meets one is
tried again until it goes through, so no key stays "in flight" after its request ended.
A 5xx answer waits for its key's release, so a client that retries finds the key free.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import threading
import time
from collections.abc import Callable
from typing import Any

import structlog
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import Principal
from api.guards import language_headers, problem_body
from api.idempotency_store import (
    CLAIMED,
    IN_FLIGHT,
    MISMATCH,
    Claim,
    KeyStore,
    Stored,
    key_store_for,
)
from api.problems import MEDIA_TYPE
from api.unavailable import stored_answer
from infra.pool import shortage

log = structlog.get_logger("api")

HEADER = b"idempotency-key"
MAX_KEY_LENGTH = 255
#: Seconds between two purges of expired keys (each process purges on its own).
PURGE_EVERY = 600.0
#: Seconds during which a release or completion is tried again after a shortage; with the
#: last try's own wait (SETTLE_WAIT_SECONDS) still within the lease after which an
#: abandoned claim may be claimed again (IN_FLIGHT_LEASE_SECONDS).
SETTLE_SECONDS = 15.0
#: Seconds between two tries (first, then at most).
SETTLE_FIRST, SETTLE_MOST = 0.05, 1.0

REFUSALS: dict[str, tuple[int, str, str]] = {
    MISMATCH: (
        422,
        "idempotency-key-reused",
        "This Idempotency-Key was already used for a different request; use a new key.",
    ),
    IN_FLIGHT: (
        409,
        "idempotency-key-in-use",
        "A request with this Idempotency-Key is still being processed; retry in a moment.",
    ),
    "invalid": (
        422,
        "invalid-idempotency-key",
        f"An Idempotency-Key must be 1 to {MAX_KEY_LENGTH} visible characters.",
    ),
}


def fingerprint(method: str, path: str, body: bytes, principal: Principal) -> str:
    """sha256 of what makes two requests the same request: also who sent it, in what role.

    A key reused under another role is a different request (refused), never a replay of
    an answer given to the first role.
    """
    digest = hashlib.sha256()
    who = (principal.user.encode(), principal.role.encode())
    for part in (method.encode(), path.encode(), body, *who):
        digest.update(len(part).to_bytes(8, "big") + part)
    return digest.hexdigest()


def header(scope: Scope, name: bytes) -> str | None:
    """A request header, decoded."""
    found = next((v for k, v in scope["headers"] if k == name), None)
    return found.decode("latin-1") if found is not None else None


async def send_problem(send: Send, scope: Scope, reason: str) -> None:
    """Answer with a problem+json for an idempotency refusal, in the caller's language."""
    status, code, detail = REFUSALS[reason]
    body = problem_body(scope, status, code, "Idempotency-Key problem", detail)
    headers = [["content-type", MEDIA_TYPE]]
    headers += [[k.decode(), v.decode()] for k, v in language_headers(scope)]
    await send_stored(send, Stored(status, json.dumps(headers), body))


async def send_stored(send: Send, stored: Stored, replayed: bool = False) -> None:
    """Send a whole response."""
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in json.loads(stored.headers)]
    headers = [h for h in headers if h[0] != b"content-length"]
    headers.append((b"content-length", str(len(stored.body)).encode()))
    if replayed:
        headers.append((b"idempotent-replayed", b"true"))
    await send({"type": "http.response.start", "status": stored.status, "headers": headers})
    await send({"type": "http.response.body", "body": stored.body})


async def read_body(receive: Receive) -> bytes:
    """The whole request body."""
    chunks: list[bytes] = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


class IdempotencyMiddleware:
    """Makes every POST with an Idempotency-Key take effect once."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app
        self.purged_at = 0.0
        self._building = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        key = header(scope, HEADER) if scope["type"] == "http" else None
        if key is None or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        # Authenticated beforehand (api.guards): no body is read for an unknown caller.
        principal: Principal | None = scope.get("state", {}).get("principal")
        if principal is None:  # the route itself answers 401
            await self.app(scope, receive, send)
            return
        if not 0 < len(key) <= MAX_KEY_LENGTH or not key.isprintable():
            await send_problem(send, scope, "invalid")
            return
        body = await read_body(receive)
        print_ = fingerprint(scope["method"], scope["path"], body, principal)
        who = (principal.user, key)
        claimed = await self.claim(scope, send, who, print_)
        if claimed is None:
            return
        keys, claim = claimed
        if claim.outcome == CLAIMED:
            await self.run_once(scope, replayer(body), send, keys, who)
        elif claim.stored is not None:
            await send_stored(send, claim.stored, replayed=True)
        else:
            await send_problem(send, scope, claim.outcome)

    async def claim(
        self, scope: Scope, send: Send, who: tuple[str, str], print_: str
    ) -> tuple[KeyStore, Claim] | None:
        """Claim the key; None when the database could not be asked (503 answered)."""
        at = time.time()
        keys: KeyStore | None = None
        try:
            keys = await asyncio.to_thread(self.keys, scope)
            await self.purge_now_and_then(keys)
            return keys, await asyncio.to_thread(keys.claim, *who, print_, at)
        except Exception as exc:
            cause = shortage(exc)
            if cause is None:
                raise
            if cause == "unreachable" and keys is not None:
                # The connection broke around the claim: it may have been recorded with
                # its answer lost. Nothing ran; forget this claim (and only this one).
                await settle(keys.abandon, *who, at)
            await send_stored(send, stored_answer(cause, scope))
            return None

    async def purge_now_and_then(self, keys: KeyStore) -> None:
        """Forget expired keys, at most once per ``PURGE_EVERY`` seconds (later when busy)."""
        now = time.monotonic()
        if now - self.purged_at >= PURGE_EVERY:
            self.purged_at = now
            try:
                await asyncio.to_thread(keys.purge)
            except Exception as exc:
                if shortage(exc) is None:
                    raise
                self.purged_at = 0.0  # nothing lost: expired keys wait for the next purge

    async def run_once(
        self, scope: Scope, receive: Receive, send: Send, keys: KeyStore, who: tuple[str, str]
    ) -> None:
        """Run the request, then keep its response (or release the key on a 5xx or crash)."""
        start: dict[str, Any] = {}
        chunks: list[bytes] = []
        held: list[Message] = []  # a 5xx answer, sent once its key is released

        async def recording_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
            if int(start.get("status", 200)) >= 500:
                held.append(message)
            else:
                await send(message)

        try:
            await self.app(scope, receive, recording_send)
        except BaseException:
            await settle(keys.release, *who)
            raise
        status = int(start.get("status", 500))
        if status >= 500:
            await settle(keys.release, *who)
            for message in held:
                await send(message)
            return
        headers = [[k.decode("latin-1"), v.decode("latin-1")] for k, v in start["headers"]]
        stored = Stored(status, json.dumps(headers), b"".join(chunks))
        await settle(keys.complete, *who, stored)

    def keys(self, scope: Scope) -> KeyStore:
        """The app's key store, next to its events (built once, on first use)."""
        state = scope["app"].state
        with self._building:
            if getattr(state, "idempotency_keys", None) is None:
                state.idempotency_keys = key_store_for(state.store)
        keys: KeyStore = state.idempotency_keys
        return keys


async def settle(write: Callable[..., None], *args: Any) -> None:
    """Run a key write (release, complete) until it goes through a shortage of connections.

    A key left claimed would answer "in flight" to every retry until its lease ran out.
    Other errors, and a shortage longer than ``SETTLE_SECONDS``, are logged: the lease
    frees the key then.
    """
    pause, deadline = SETTLE_FIRST, time.monotonic() + SETTLE_SECONDS
    while True:
        try:
            await asyncio.to_thread(write, *args)
            return
        except Exception as exc:
            if shortage(exc) is None or time.monotonic() + pause > deadline:
                log.error("idempotency key not settled", write=write.__name__, error=repr(exc))
                return
        await asyncio.sleep(pause)
        pause = min(pause * 2, SETTLE_MOST)


def replayer(body: bytes) -> Receive:
    """A receive callable that hands the app the body already read."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        await asyncio.Event().wait()  # nothing more will come; wait like a quiet client
        return {"type": "http.disconnect"}

    return receive
