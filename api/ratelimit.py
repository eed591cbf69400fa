"""A per-caller rate limit (the ``limits`` library), announced in RateLimit headers.

The caller is the signed-in user, else the client's address; 429 with Retry-After when a
rate of ``JEJAK_RATE_LIMIT`` is used up. /health stays free for supervisors and probes.

A refused request is answered after a pause (at most ``TARPIT_SECONDS``): a client that
ignores Retry-After and asks again at once costs the event loop one cheap answer per pause,
not one per round trip, so it cannot crowd out the honest callers sharing that loop.
"""

from __future__ import annotations

import asyncio
import math
import time

from limits import RateLimitItem, parse_many
from limits.aio.storage import MemoryStorage
from limits.aio.strategies import SlidingWindowCounterRateLimiter
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.guards import send_problem

EXEMPT_PATHS = frozenset({"/health"})
#: The longest pause before a 429 (a sleeping coroutine, no thread, a few kB).
TARPIT_SECONDS = 10.0


def caller_key(scope: Scope) -> str:
    """Whom a request counts against: its user, else its address."""
    principal = scope.get("state", {}).get("principal")
    if principal is not None:
        return f"user:{principal.user}"
    client = scope.get("client")
    return f"addr:{client[0] if client else 'unknown'}"


def policy_header(rates: list[RateLimitItem]) -> str:
    """RateLimit-Policy: each quota and its window in seconds."""
    return ", ".join(f"{r.amount};w={r.get_expiry()}" for r in rates)


class RateLimitMiddleware:
    """Counts each caller's requests in a sliding window per rate; 429 beyond any of them."""

    def __init__(self, app: ASGIApp, rates: str) -> None:
        self.app = app
        self.rates = parse_many(rates) if rates.strip() else []
        # The asyncio flavour: it expires old counts on the event loop, not in a new thread.
        self.limiter = SlidingWindowCounterRateLimiter(MemoryStorage())
        self.policy = policy_header(self.rates).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.rates or scope["path"] in EXEMPT_PATHS:
            await self.app(scope, receive, send)
            return
        key = caller_key(scope)
        refused = None
        for rate in self.rates:
            if not await self.limiter.hit(rate, key):
                refused = rate
                break
        tightest = refused or self.rates[0]
        stats = await self.limiter.get_window_stats(tightest, key)
        reset = max(1, math.ceil(stats.reset_time - time.time()))
        announced = [
            (b"ratelimit-policy", self.policy),
            (b"ratelimit", f"limit={tightest.amount}, remaining={stats.remaining}, "
             f"reset={reset}".encode()),
        ]  # fmt: skip
        if refused is not None:
            pause = getattr(scope["app"].state, "rate_limit_pause", TARPIT_SECONDS)
            await asyncio.sleep(min(float(pause), reset))
            await send_problem(
                send, scope, 429, "too-many-requests", "Too many requests",
                f"You may send {refused.amount} requests per {refused.get_expiry()} seconds;"
                f" try again in {reset} seconds.",
                **{"retry-after": str(reset), **{k.decode(): v.decode() for k, v in announced}},
            )  # fmt: skip
            return

        async def announcing_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *announced]
            await send(message)

        await self.app(scope, receive, announcing_send)
