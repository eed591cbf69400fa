"""Turning OpenTelemetry tracing on for a process (what is traced: infra/tracing.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from infra.settings import Settings
from infra.tracing import state

if TYPE_CHECKING:
    from opentelemetry.sdk.trace.export import SpanExporter
    from temporalio.contrib.opentelemetry import ReplaySafeTracerProvider

#: The process's one provider: OpenTelemetry's global provider can be set only once.
_provider: ReplaySafeTracerProvider | None = None


def install(settings: Settings, part: str, exporter: SpanExporter | None = None) -> bool:
    """Turn tracing on for this process when ``settings`` (or a given ``exporter``) say so.

    ``part`` names the service (``jejak-api``, ``jejak-worker``). A given exporter (tests)
    receives each span as it ends; the OTLP one receives them in batches. The provider is
    Temporal's replay-safe one, made OpenTelemetry's global provider once per process (the
    workflow side of the Temporal plugin reads the global one); ``uninstall`` turns
    Jejak's own instrumentation off again.
    """
    if exporter is None and settings.tracing == "off":
        return state.on
    from opentelemetry import trace
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace.export import BatchSpanProcessor, SimpleSpanProcessor
    from temporalio.contrib.opentelemetry import create_tracer_provider

    global _provider
    if _provider is None:
        resource = Resource.create({"service.name": f"jejak-{part}"})
        _provider = create_tracer_provider(resource=resource)
        trace.set_tracer_provider(_provider)
    if exporter is not None:
        _provider.add_span_processor(SimpleSpanProcessor(exporter))
    else:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        endpoint = settings.tracing_endpoint or None
        _provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
    state.provider, state.on = _provider, True
    return True


def uninstall() -> None:
    """Turn Jejak's instrumentation off again, sending the spans still queued (tests)."""
    state.on = False
    if _provider is not None:
        _provider.force_flush()
