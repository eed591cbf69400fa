"""An unexpected error is answered and logged at once, and never stalls other requests."""

from __future__ import annotations

import asyncio
import io
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
import structlog

from api.app import create_app
from infra.logs import MAX_TRACEBACK_CHARS, configure_logging, processors_for
from tests.support.app import settings_for
from tests.support.serving import free_port


@pytest.fixture
def console_log() -> Iterator[io.StringIO]:
    """Console logging, as `jejak api` configures it by default, into a sink."""
    sink = io.StringIO()
    configure_logging("console", "INFO", part="api", stream=sink)
    structlog.configure(cache_logger_on_first_use=False)  # let later tests reconfigure
    try:
        yield sink
    finally:
        structlog.reset_defaults()


def fail_with_heavy_locals() -> None:
    """A route that breaks while holding megabytes in local variables."""
    ballast = {f"row-{i}": "x" * 1000 for i in range(20_000)}
    nested = [ballast] * 50
    raise RuntimeError(f"broken with {len(nested)} copies")


async def test_an_unexpected_error_is_answered_and_logged_at_once_while_health_answers(
    tmp_path: Path, console_log: io.StringIO
) -> None:
    settings = settings_for(tmp_path, temporal_address=f"127.0.0.1:{free_port()}")
    app = create_app(settings)
    app.add_api_route("/api/v1/broken", fail_with_heavy_locals)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://jejak.test") as client:
            # Warm up: the middleware stack, the worker threads, the first connect attempts.
            for path in ("/health", "/api/v1/broken", "/health"):
                await client.get(path)
            started = time.perf_counter()
            broken = asyncio.create_task(client.get("/api/v1/broken"))
            health_times = []
            for _ in range(5):
                began = time.perf_counter()
                await client.get("/health")
                health_times.append(time.perf_counter() - began)
            answer = await broken
            took = time.perf_counter() - started
    assert answer.status_code == 500
    assert answer.json()["type"].endswith("/internal-error")
    assert took < 1.0
    assert max(health_times) < 0.1
    request_id = answer.headers["x-request-id"]
    logged = console_log.getvalue()
    error_lines = [line for line in logged.splitlines() if "unexpected error" in line]
    assert any(f"request_id={request_id}" in line for line in error_lines)
    assert "RuntimeError: broken with 50 copies" in logged
    assert "x" * 100 not in logged  # no local variables
    assert len(logged) < 2 * MAX_TRACEBACK_CHARS


def test_a_console_traceback_is_plain_and_bounded_however_deep_the_stack() -> None:
    def recurse(depth: int) -> None:
        padding = "y" * 10_000  # noqa: F841 - a local the log must not show
        if depth:
            recurse(depth - 1)
        raise ValueError("deep")

    chain = processors_for("console", "api", sys.stderr)
    try:
        recurse(500)
    except ValueError:
        event: object = {"event": "unexpected error", "exc_info": True}
        started = time.perf_counter()
        for processor in chain:
            event = processor(None, "error", event)  # type: ignore[operator]
        took = time.perf_counter() - started
    assert isinstance(event, str)
    assert took < 0.1
    assert len(event) < MAX_TRACEBACK_CHARS + 1000
    assert "y" * 100 not in event
    assert "ValueError: deep" in event or "characters left out" in event
