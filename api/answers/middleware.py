"""Answer a kept GET from memory when the read models have not moved; keep new answers.

For a GET of a declared path, with a signed-in caller, each request still costs: the
caller's OPDs of the day (kept by the organisation while the log has not moved), the
permission checked in the policy table, and one read of the read models' state
(``projections.engine.freshness``), in one worker thread. Only then, if an answer is kept
under the same path, query, access scope and day, and of the same state, are its bytes
sent: the route, its dependencies and the JSON are skipped. Anything else (no token, a
refusal, a lagging view, a new event) goes to the route as before, and a 200 it answers is
kept, under the scope of the caller the route itself resolved (``request.state.caller``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Hashable, Iterable, Mapping
from datetime import date
from typing import Any
from urllib.parse import parse_qsl

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.answers.cache import Answerable, AnswerCache, Kept, Key, entity_tag, matches
from api.auth import Principal
from api.deps import caller_of, today
from api.policy import Caller, require
from api.problems import ProblemError
from projections.engine.freshness import ViewsState, read_state

#: The query parameter that asks for read-your-writes (api.readmodels.Fresh).
AFTER_POSITION = "after_position"


class Request:
    """What the middleware knows of one GET of a declared path before answering it."""

    def __init__(self, answerable: Answerable, params: Mapping[str, str], day: date) -> None:
        self.answerable, self.params, self.day = answerable, params, day
        self.items = tuple(sorted((k, v) for k, v in params.items() if k != AFTER_POSITION))

    def key(self, caller: Caller) -> Key | None:
        """The key of this request's answer for ``caller``; None when the route would refuse."""
        try:
            require(caller, self.answerable.permission)
            scope: Hashable = self.answerable.scope(caller, self.params)
        except ProblemError:
            return None
        return (self.answerable.path, self.items, scope, self.day)


class AnswerCacheMiddleware:
    """Kept answers for the declared GETs (``answerables``, their paths under ``prefix``)."""

    def __init__(
        self,
        app: ASGIApp,
        answerables: Iterable[Answerable],
        cache: AnswerCache,
        prefix: str = "",
    ) -> None:
        self.app, self.cache = app, cache
        self.paths = {prefix + a.path: a for a in answerables}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        answerable = self.paths.get(scope["path"]) if scope["type"] == "http" else None
        principal = scope.get("state", {}).get("principal")
        state = scope["app"].state
        views = getattr(state, "views", None)
        if answerable is None or scope["method"] != "GET" or principal is None or views is None:
            await self.app(scope, receive, send)
            return
        request = _request(answerable, scope["query_string"])
        if request is None:
            await self.app(scope, receive, send)
            return
        try:
            caller, now = await asyncio.to_thread(_look, state, principal, request.day)
        except Exception:  # the database is away: the route answers (or says why not)
            await self.app(scope, receive, send)
            return
        key = request.key(caller)
        kept = self.cache.get(key, now) if key is not None else None
        after = request.params.get(AFTER_POSITION)
        if kept is not None and (after is None or int(after) <= now.reached):
            # Logged and counted under its path, like an answer of the route.
            scope["route"] = answerable
            await _send_kept(send, kept, _if_none_match(scope))
            return
        await self.app(scope, receive, self._keeping(scope, send, request, now))

    def _keeping(self, scope: Scope, send: Send, request: Request, now: ViewsState) -> Send:
        """A ``send`` that passes the route's answer on, keeping a complete 200 with its tag."""
        start: Message | None = None
        chunks: list[bytes] = []

        async def keeping(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start" and message["status"] == 200:
                start = message
                return
            if start is None or message["type"] != "http.response.body":
                await send(message)
                return
            chunks.append(message.get("body", b""))
            if message.get("more_body", False):
                return
            body = b"".join(chunks)
            kept = Kept(body, _header(start, b"content-type") or b"", entity_tag(body), now)
            caller = scope.get("state", {}).get("caller")
            key = request.key(caller) if isinstance(caller, Caller) else None
            # The route read the views after ``now`` was read: its answer is at least that
            # new, so it is kept as of ``now`` (a view that moved meanwhile asks again).
            if key is not None and today() == request.day:
                self.cache.keep(key, kept)
            headers = [*start.get("headers", []), (b"etag", kept.etag)]
            await _send(send, 200, headers, body, _if_none_match(scope))

        return keeping


def _request(answerable: Answerable, query_string: bytes) -> Request | None:
    """The request's parameters; None for one the route must judge (repeated, bad position)."""
    pairs = parse_qsl(query_string.decode("latin-1"), keep_blank_values=True)
    params = dict(pairs)
    if len(params) != len(pairs):
        return None
    after = params.get(AFTER_POSITION)
    if after is not None and not (after.isascii() and after.isdigit() and len(after) < 19):
        return None
    return Request(answerable, params, today())


def _look(state: Any, principal: Principal, day: date) -> tuple[Caller, ViewsState]:
    """The caller with their OPDs of the day, and the read models' state (may touch the DB)."""
    return caller_of(state.store, principal, day), read_state(state.views)


def _header(message: Message, name: bytes) -> bytes | None:
    return next((v for k, v in message.get("headers", []) if k.lower() == name), None)


def _if_none_match(scope: Scope) -> bytes | None:
    return next((v for k, v in scope["headers"] if k == b"if-none-match"), None)


async def _send_kept(send: Send, kept: Kept, if_none_match: bytes | None) -> None:
    headers = [
        (b"content-type", kept.content_type),
        (b"content-length", str(len(kept.body)).encode()),
        (b"etag", kept.etag),
    ]
    await _send(send, 200, headers, kept.body, if_none_match)


async def _send(
    send: Send, status: int, headers: list[Any], body: bytes, if_none_match: bytes | None
) -> None:
    """The answer, or 304 without a body when the client already holds it (same tag)."""
    etag = next((v for k, v in headers if k == b"etag"), b"")
    if matches(if_none_match, etag):
        status, body = 304, b""
        headers = [(k, v) for k, v in headers if k not in {b"content-length", b"content-type"}]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})
