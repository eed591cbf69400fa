"""OpenTelemetry traces: from the HTTP request through Temporal to the store, off by default.

This module is what instrumented code uses (``span``, ``enabled``); infra/telemetry.py
turns tracing on (it needs Temporal's provider, which read models must not import).

``JEJAK_TRACING=otlp`` sends spans to an OTLP/HTTP collector (``JEJAK_TRACING_ENDPOINT``,
else the standard ``OTEL_EXPORTER_OTLP_*`` variables). Off, nothing is installed: the API
adds no middleware, the Temporal client no interceptor, and ``span`` is a null context, so
tracing costs a flag check.

What makes one trace: the ASGI middleware opens the request's span; Temporal's
OpenTelemetry plugin on the client carries its context in the headers of an update or a
start and, inherited by every worker built on that client, continues it on the other side:
the update's handler and the activities it runs are children of the HTTP request (the
plugin's workflow spans are replay-safe); the store's saves and the read models' transactions open
spans of their own (``span``). Log lines carry the trace and span ids (infra/logs.py).
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from opentelemetry.trace import Tracer, TracerProvider

#: The instrumentation scope of Jejak's own spans.
SCOPE = "jejak"


class _State:
    """Whether Jejak traces in this process, and through which provider (infra/telemetry)."""

    on: bool = False
    provider: TracerProvider | None = None


state = _State()


def enabled() -> bool:
    """Whether this process traces."""
    return state.on


def tracer() -> Tracer:
    """Jejak's tracer (a no-op one when tracing is off)."""
    from opentelemetry import trace

    if not state.on or state.provider is None:
        return trace.NoOpTracer()
    return state.provider.get_tracer(SCOPE)


def span(name: str, **attributes: str | int) -> AbstractContextManager[Any]:
    """A span around a unit of work, current while it runs; nothing when tracing is off."""
    if not state.on or state.provider is None:
        return nullcontext()
    return state.provider.get_tracer(SCOPE).start_as_current_span(name, attributes=attributes)


def provider() -> TracerProvider | None:
    """This process's tracer provider; None when tracing is off."""
    return state.provider if state.on else None


def trace_saves(recorder: Any) -> None:
    """Open a span around every save of events through ``recorder`` (while tracing is on)."""
    insert = recorder.insert_events

    def insert_events(stored_events: list[Any], **kwargs: Any) -> Any:
        with span("jejak.store.save", **{"jejak.events": len(stored_events)}):
            return insert(stored_events, **kwargs)

    recorder.insert_events = insert_events
