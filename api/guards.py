"""What every request passes before any route: who is calling, a body limit, signed writes.

All are plain ASGI middleware that never read the body: an oversized or anonymous write is
refused from its headers, before a byte of its body is buffered.
"""

from __future__ import annotations

import asyncio
import json

from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.auth import AuthenticationError, Principal, TokenVerifier
from api.problems import MEDIA_TYPE, PROBLEM_BASE, in_language, language_of

#: Methods that change nothing, so they carry no body worth reading.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class BodyTooLargeError(HTTPException):
    """The request body is longer than the limit (413)."""

    def __init__(self, limit: int) -> None:
        super().__init__(413, f"The request body is larger than {limit} bytes.")


def header(scope: Scope, name: bytes) -> str | None:
    """A request header, decoded."""
    found = next((v for k, v in scope["headers"] if k == name), None)
    return found.decode("latin-1") if found is not None else None


def problem_body(scope: Scope, status: int, code: str, title: str, detail: str) -> bytes:
    """A problem+json body in the caller's language (Accept-Language), as the handlers
    of api.problems answer."""
    language = language_of(Request(scope))
    return json.dumps(
        {"type": PROBLEM_BASE + code, "title": in_language(language, title), "status": status,
         "detail": in_language(language, detail), "instance": str(scope["path"])[:500]}
    ).encode()  # fmt: skip


def language_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """Content-Language of an answer in the caller's language, and what it varies by."""
    return [
        (b"content-language", language_of(Request(scope)).encode()),
        (b"vary", b"Accept-Language"),
    ]


async def send_problem(
    send: Send, scope: Scope, status: int, code: str, title: str, detail: str, **extra: str
) -> None:
    """Answer at once with a problem+json, before the app runs."""
    body = problem_body(scope, status, code, title, detail)
    headers = [(b"content-type", MEDIA_TYPE.encode()), (b"content-length", str(len(body)).encode())]
    headers += [(k.encode(), v.encode()) for k, v in extra.items()] + language_headers(scope)
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


class BodyLimitMiddleware:
    """Refuses a body longer than ``limit``: by its Content-Length at once, else as it arrives."""

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        declared = header(scope, b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self.refuse(send, scope)
            return
        seen = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLargeError(self.limit)
            return message

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, watching_send)
        except BodyTooLargeError:
            if not started:
                await self.refuse(send, scope)

    async def refuse(self, send: Send, scope: Scope) -> None:
        """413, naming the limit; the connection is closed without reading the rest."""
        await send_problem(
            send, scope, 413, "body-too-large", "The request is too large",
            f"A request body may hold at most {self.limit} bytes.", connection="close",
        )  # fmt: skip


def bearer(scope: Scope) -> str | None:
    """The bearer token of the request, if any."""
    scheme, _, token = (header(scope, b"authorization") or "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def verifier_of(scope: Scope) -> TokenVerifier:
    """The app's token verifier, built on first use."""
    state = scope["app"].state
    if getattr(state, "verifier", None) is None:
        state.verifier = TokenVerifier(state.settings)
    verifier: TokenVerifier = state.verifier
    return verifier


def challenge(reason: str | None) -> str:
    """The WWW-Authenticate challenge of RFC 6750."""
    return 'Bearer realm="jejak"' + (', error="invalid_token"' if reason else "")


class AuthenticationMiddleware:
    """Checks the bearer token once, for the routes, the rate limit and the idempotency keys."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            state = scope.setdefault("state", {})
            token = bearer(scope)
            if token is not None:
                try:
                    state["principal"] = await self.verify(scope, token)
                except AuthenticationError as exc:
                    state["auth_error"] = str(exc)[:300]
        await self.app(scope, receive, send)

    @staticmethod
    async def verify(scope: Scope, token: str) -> Principal:
        """The token's principal; the identity provider's keys are fetched off the loop."""
        verifier = verifier_of(scope)
        known = verifier.verified.get(token)
        if known is not None:  # verified before and not expired: no key, no thread
            return known
        if verifier.settings.auth_jwks_url:
            return await asyncio.to_thread(verifier.verify, token)
        return verifier.verify(token)  # a local key: well under a millisecond


class SignedWritesMiddleware:
    """401 at once for an API request with an invalid token, or an API write without a valid one.

    Before the body is read (an anonymous client cannot make the API buffer anything), and
    before any route or worker thread is involved: a flood of forged tokens stays cheap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        state = scope.get("state", {})
        reason = state.get("auth_error")
        # The console's forms sign in by session cookie and carry a CSRF token, checked by
        # the console itself; only the API takes bearer tokens.
        if (
            scope["type"] != "http"
            or not str(scope["path"]).startswith("/api/")
            or not (
                reason is not None
                or (scope["method"] not in SAFE_METHODS and "principal" not in state)
            )
        ):
            await self.app(scope, receive, send)
            return
        headers = {"www-authenticate": challenge(reason)}
        if scope["method"] not in SAFE_METHODS:
            headers["connection"] = "close"  # the unread body must not be taken for a request
        await send_problem(
            send, scope, 401, "unauthenticated", "Sign-in needed",
            f"Your sign-in is not valid ({reason})." if reason else
            "Sign in first: send an 'Authorization: Bearer <token>' header.",
            **headers,
        )  # fmt: skip
