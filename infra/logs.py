"""structlog, configured once per entry point."""

from __future__ import annotations

import logging
import sys

import structlog


def part_named(part: str) -> structlog.typing.Processor:
    """A processor that says which part of the stack (api, worker, ...) wrote the line."""

    def add_part(
        _logger: object, _method: str, event: structlog.typing.EventDict
    ) -> structlog.typing.EventDict:
        event.setdefault("part", part)
        return event

    return add_part


def configure_logging(
    log_format: str = "console", level: str = "INFO", part: str | None = None
) -> None:
    """JSON lines for machines, readable lines for people; contextvars carry request ids."""
    processors: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
    ]
    if part:
        processors.insert(1, part_named(part))
    renderer: structlog.typing.Processor
    if log_format == "json":
        processors.append(structlog.processors.format_exc_info)
        renderer = structlog.processors.JSONRenderer()
    else:
        renderer = structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(getattr(logging, level)),
        logger_factory=structlog.PrintLoggerFactory(file=sys.stderr),
        cache_logger_on_first_use=True,
    )
    logging.basicConfig(level=getattr(logging, level), stream=sys.stderr, format="%(message)s")
