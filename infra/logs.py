"""structlog, configured once per entry point."""

from __future__ import annotations

import logging
import sys
import traceback
from typing import TextIO

import structlog
from opentelemetry.trace import get_current_span

#: The longest traceback a log line carries: a deep or looping stack cannot flood the log.
MAX_TRACEBACK_CHARS = 16_000
#: The longest value of any other field (a request may carry long text).
MAX_VALUE_CHARS = 2_000
#: The most frames of a traceback rendered.
MAX_FRAMES = 30


def part_named(part: str) -> structlog.typing.Processor:
    """A processor that says which part of the stack (api, worker, ...) wrote the line."""

    def add_part(
        _logger: object, _method: str, event: structlog.typing.EventDict
    ) -> structlog.typing.EventDict:
        event.setdefault("part", part)
        return event

    return add_part


def clip(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... [{len(text) - limit} characters left out]"


def plain_exception(
    _logger: object, _method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """Render ``exc_info`` as a plain, bounded traceback: no local variables, few frames.

    A rich traceback with locals of a request can weigh megabytes and take seconds to
    render on the event loop, stalling every other request; this costs microseconds.
    """
    exc_info = event.pop("exc_info", None)
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if isinstance(exc_info, tuple) and exc_info[0] is not None:
        lines = traceback.format_exception(*exc_info, limit=MAX_FRAMES)
        event["exception"] = clip("".join(lines), MAX_TRACEBACK_CHARS)
    return event


def bounded_values(
    _logger: object, _method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """Cut every long text field, so one line stays small whatever it was given."""
    for key, value in event.items():
        if key != "exception" and isinstance(value, str) and len(value) > MAX_VALUE_CHARS:
            event[key] = clip(value, MAX_VALUE_CHARS)
    return event


def trace_ids(
    _logger: object, _method: str, event: structlog.typing.EventDict
) -> structlog.typing.EventDict:
    """The ids of the current OpenTelemetry span, when there is one (infra/tracing.py)."""
    context = get_current_span().get_span_context()
    if context.is_valid:
        event.setdefault("trace_id", format(context.trace_id, "032x"))
        event.setdefault("span_id", format(context.span_id, "016x"))
    return event


def processors_for(log_format: str, part: str | None, stream: TextIO) -> list[object]:
    """The processor chain: context, level, time, bounded exception, then the renderer."""
    processors: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        trace_ids,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        plain_exception,
        bounded_values,
    ]
    if part:
        processors.insert(1, part_named(part))
    renderer: structlog.typing.Processor
    if log_format == "json":
        renderer = structlog.processors.JSONRenderer()
    else:
        isatty = getattr(stream, "isatty", None)
        colors = bool(isatty()) if isatty is not None else False
        # The exception is already a plain string here; the formatter only guards the rest.
        renderer = structlog.dev.ConsoleRenderer(
            colors=colors, exception_formatter=structlog.dev.plain_traceback
        )
    return [*processors, renderer]


def configure_logging(
    log_format: str = "console",
    level: str = "INFO",
    part: str | None = None,
    stream: TextIO | None = None,
) -> None:
    """JSON lines for machines, readable lines for people; contextvars carry request ids."""
    stream = stream or sys.stderr
    structlog.configure(
        processors=processors_for(log_format, part, stream),  # type: ignore[arg-type]
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level)),
        logger_factory=structlog.PrintLoggerFactory(file=stream),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=getattr(logging, level), stream=stream, format="%(message)s")
