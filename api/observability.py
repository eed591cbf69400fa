"""One log line per request (request id, actor, route, status, duration) and /metrics."""

from __future__ import annotations

import time
import uuid

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

log = structlog.get_logger("api")

REQUEST_ID = b"x-request-id"


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

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message["headers"] = [
                    *message.get("headers", []),
                    (REQUEST_ID, request_id.encode()),
                ]
            await send(message)

        with structlog.contextvars.bound_contextvars(request_id=request_id):
            try:
                await self.app(scope, receive, send_with_id)
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
