"""One log line per request (request id, actor, route, status, duration), /metrics, and the
answer to an unexpected error (logged with its request id, answered 500 as problem+json)."""

from __future__ import annotations

import time
import uuid
from typing import Any

import structlog
from fastapi import APIRouter, Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.guards import send_problem

log = structlog.get_logger("api")

REQUEST_ID = b"x-request-id"

#: Sent with every answer: no sniffing, no framing, no referrer leaks.
SECURITY_HEADERS = (
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
)
#: Sent with API answers only (not the docs pages): never cached, never run as a page.
API_HEADERS = (
    (b"cache-control", b"no-store"),
    (b"content-security-policy", b"default-src 'none'; frame-ancestors 'none'"),
)


def with_security_headers(path: str, headers: list[tuple[bytes, bytes]]) -> list[Any]:
    """``headers`` plus the security headers the route did not set itself."""
    present = {name.lower() for name, _ in headers}
    extra = [*SECURITY_HEADERS, *(API_HEADERS if path.startswith("/api/") else ())]
    return [*headers, *((k, v) for k, v in extra if k not in present)]


class Metrics:
    """The API's Prometheus metrics, in a registry of their own (one per app)."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "jejak_http_requests",
            "HTTP requests answered",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "jejak_http_request_duration_seconds",
            "Time to answer an HTTP request",
            ["method", "route"],
            registry=self.registry,
        )


def route_of(scope: Scope) -> str:
    """The route template (``/api/v1/opds/{code}``), so metrics do not explode per id."""
    if scope.get("route") is None:
        return "unmatched"
    values = {str(v): k for k, v in scope.get("path_params", {}).items()}
    segments = str(scope["path"]).split("/")
    return "/".join("{" + values[s] + "}" if s in values else s for s in segments)


def actor_of(scope: Scope) -> str | None:
    """The authenticated user, once a route has checked the token."""
    principal = scope.get("state", {}).get("principal")
    return f"{principal.role}:{principal.user}" if principal is not None else None


class RequestLogMiddleware:
    """Binds a request id, then logs and counts each answered request."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app, self.metrics = app, metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        given = dict(scope["headers"]).get(REQUEST_ID, b"").decode("latin-1")
        request_id = given[:128] if given.isprintable() and given else uuid.uuid4().hex
        status = 500
        started = time.perf_counter()
        answered = False

        async def send_with_id(message: Message) -> None:
            nonlocal status, answered
            if message["type"] == "http.response.start":
                status, answered = message["status"], True
                headers = [*message.get("headers", []), (REQUEST_ID, request_id.encode())]
                message["headers"] = with_security_headers(scope["path"], headers)
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
            except Exception:
                # Answered and logged here, inside the request id's context; the log line
                # is a plain, bounded traceback (infra.logs), cheap on the event loop.
                log.exception("unexpected error", path=scope["path"])
                if not answered:
                    await send_problem(
                        send_with_id, scope, 500, "internal-error",
                        "Something went wrong in Jejak",
                        "Nothing was decided on your behalf. Try again later, or tell the"
                        f" secretariat (request {request_id}).",
                    )  # fmt: skip
            finally:
                self.record(scope, status, time.perf_counter() - started)

    def record(self, scope: Scope, status: int, seconds: float) -> None:
        """Count and log one answered request."""
        route = route_of(scope)
        self.metrics.requests.labels(scope["method"], route, str(status)).inc()
        self.metrics.latency.labels(scope["method"], route).observe(seconds)
        log.info(
            "request",
            method=scope["method"],
            route=route,
            status=status,
            actor=actor_of(scope),
            duration_ms=round(seconds * 1000, 1),
        )


metrics_router = APIRouter(tags=["health"])


@metrics_router.get("/metrics", include_in_schema=False)
def get_metrics(request: Request) -> Response:
    """Prometheus metrics of this API process."""
    metrics: Metrics = request.app.state.metrics
    return Response(generate_latest(metrics.registry), media_type=CONTENT_TYPE_LATEST)
