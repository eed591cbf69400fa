"""503 with Retry-After when the database cannot serve a request: never a 500.

Two causes, both temporary: every connection of the process's pool stayed lent out for
the whole wait (``busy``), or the database refused, dropped or did not answer
(``unreachable``). Nothing the request asked for is kept half-done: an event-store save
is one transaction, and the Idempotency-Key of the request is released (api/idempotency).
"""

from __future__ import annotations

import json

import structlog
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.types import Scope

from api.guards import language_headers, problem_body
from api.idempotency_store import Stored
from api.problems import MEDIA_TYPE, problem_response
from infra.pool import Shortage, shortage

log = structlog.get_logger("api")

#: Seconds a client should wait before trying again, by cause.
RETRY_AFTER: dict[Shortage, int] = {"busy": 2, "unreachable": 5}

#: The stable code, title and plain words of each cause.
WORDS: dict[Shortage, tuple[str, str, str]] = {
    "busy": (
        "database-busy",
        "Jejak is busy",
        "Jejak is handling many requests at this moment and could not take yours."
        " Nothing was changed; send it again in a few seconds.",
    ),
    "unreachable": (
        "database-unreachable",
        "Jejak cannot reach its records",
        "Jejak cannot reach its database right now. Nothing was changed; send your"
        " request again in a moment. If this lasts, tell the secretariat.",
    ),
}


def stored_answer(cause: Shortage, scope: Scope) -> Stored:
    """The whole 503 answer in the caller's language, for middleware that answers before
    any route runs."""
    code, title, detail = WORDS[cause]
    headers = [["content-type", MEDIA_TYPE], ["retry-after", str(RETRY_AFTER[cause])]]
    headers += [[k.decode(), v.decode()] for k, v in language_headers(scope)]
    body = problem_body(scope, 503, code, title, detail)
    return Stored(503, json.dumps(headers), body)


async def on_database_error(request: Request, exc: Exception) -> JSONResponse:
    """A database error raised by a route: 503 when it is a shortage, else re-raised."""
    cause = shortage(exc)
    if cause is None:
        raise exc
    log.warning("database unavailable", cause=cause, error=str(exc)[:300])
    code, title, detail = WORDS[cause]
    headers = {"Retry-After": str(RETRY_AFTER[cause])}
    return problem_response(request, 503, code, title, detail, headers)


def install(app: FastAPI) -> None:
    """Answer every database shortage a route meets with 503 and Retry-After."""
    import sqlite3

    import psycopg
    from eventsourcing.persistence import InterfaceError, OperationalError

    for kind in (
        OperationalError,
        InterfaceError,
        psycopg.OperationalError,
        psycopg.InterfaceError,
        sqlite3.OperationalError,
    ):
        app.add_exception_handler(kind, on_database_error)
