"""One approval decision over HTTP is one trace: the request, the Temporal update, the
activity and the store's save share a trace id, and the request's log line carries it."""

from __future__ import annotations

import io
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import nullcontext
from pathlib import Path

import pytest
import structlog
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from temporalio.testing import WorkflowEnvironment

from api.app import create_app
from infra import telemetry, tracing
from infra.logs import configure_logging, trace_ids
from infra.scenario import personas
from infra.temporal import temporal_plugins
from tests.support.app import settings_for
from tests.support.engine import V1, Engine, running, started


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    """JSON logging, as a deployment configures it, into a sink."""
    sink = io.StringIO()
    configure_logging("json", "INFO", part="api", stream=sink)
    structlog.configure(cache_logger_on_first_use=False)  # let later tests reconfigure
    try:
        yield sink
    finally:
        structlog.reset_defaults()


@pytest.fixture
def spans(tmp_path: Path) -> Iterator[InMemorySpanExporter]:
    """Tracing on for this test, into memory; off again afterwards."""
    exporter = InMemorySpanExporter()
    assert telemetry.install(settings_for(tmp_path), "api", exporter)
    try:
        yield exporter
    finally:
        telemetry.uninstall()


@pytest.fixture
async def traced(
    tmp_path: Path, dev_env: WorkflowEnvironment, spans: InMemorySpanExporter
) -> AsyncIterator[Engine]:
    """The whole engine, built while tracing is on (middleware, client and worker traced)."""
    async with running(Engine, tmp_path, dev_env) as found:
        yield found


def test_tracing_is_off_by_default_and_adds_nothing(tmp_path: Path) -> None:
    settings = settings_for(tmp_path)
    assert settings.tracing == "off"
    assert telemetry.install(settings, "api") is False
    assert tracing.enabled() is False
    app = create_app(settings)
    assert OpenTelemetryMiddleware not in {m.cls for m in app.user_middleware}
    assert temporal_plugins() == []
    assert isinstance(tracing.span("jejak.store.save"), nullcontext)


def test_a_log_line_outside_any_span_carries_no_trace_id() -> None:
    event = trace_ids(None, "info", {"event": "request"})
    assert "trace_id" not in event


async def test_one_decision_is_one_trace_from_http_to_the_store(
    traced: Engine, spans: InMemorySpanExporter, json_log: io.StringIO
) -> None:
    city = traced
    request_id = await started(city)
    spans.clear()
    decided = await city.client.post(
        f"{V1}/approvals/{request_id}/decisions",
        json={"outcome": "approve", "comment": "Sesuai rencana induk."},
        headers={**city.token_of(personas.OPD_HEAD), "Idempotency-Key": "traced-1"},
    )
    assert decided.status_code == 200, decided.text

    finished = spans.get_finished_spans()
    server = [s for s in finished if s.kind.name == "SERVER" and "decisions" in s.name]
    assert len(server) == 1, [s.name for s in finished]
    trace_id = server[0].context.trace_id
    names = [s.name for s in finished if s.context.trace_id == trace_id]
    assert "StartWorkflowUpdate:decide" in names, names
    assert "HandleUpdate:decide" in names, names
    assert "RunActivity:approval.record_decision" in names, names
    assert "jejak.store.save" in names, names

    lines = [json.loads(line) for line in json_log.getvalue().splitlines() if line.strip()]
    answered = [
        line for line in lines if line.get("event") == "request" and line.get("status") == 200
    ]
    assert answered
    assert format(trace_id, "032x") in {line.get("trace_id") for line in answered}
