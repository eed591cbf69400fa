"""Every error as RFC 9457 problem details (application/problem+json), mapped in one place."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import structlog
from eventsourcing.persistence import IntegrityError
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match

from domain.shared import (
    AlreadyExistsError,
    ConflictError,
    DomainError,
    NotEntitledError,
    NotFoundError,
    ValidationError,
    VersionMismatchError,
)

PROBLEM_BASE = "https://jejak.id/problems/"
MEDIA_TYPE = "application/problem+json"

#: The HTTP status of each family of domain error; the most specific class wins.
DOMAIN_STATUS: tuple[tuple[type[DomainError], int], ...] = (
    (NotFoundError, 404),
    (AlreadyExistsError, 409),
    (ConflictError, 409),
    (VersionMismatchError, 412),
    (NotEntitledError, 403),
    (ValidationError, 422),
)

#: Plain words for the HTTP errors the framework raises by itself.
HTTP_WORDS: dict[int, tuple[str, str]] = {
    404: ("not-found", "There is nothing at this address."),
    405: ("method-not-allowed", "This address does not accept this kind of request."),
    413: ("body-too-large", "The request body is too large."),
}

#: How much of a caller's input an error message may repeat, and how many field errors.
MAX_ECHO_CHARS, MAX_FIELD_ERRORS = 200, 20

#: Every error status the API answers, and what it means, for the OpenAPI document.
PROBLEM_STATUSES: dict[int, str] = {
    400: "The body is not valid JSON",
    401: "Not signed in, or the sign-in is not valid",
    403: "Not allowed for your role or your OPDs",
    404: "Not found",
    409: "Refused by a rule, or changed by someone else at the same time",
    412: "Changed since you loaded it (If-Match)",
    413: "The request body is too large",
    422: "The request is not filled in correctly",
    429: "Too many requests; retry after Retry-After seconds",
    503: "Not available right now; retry after Retry-After seconds",
}

#: The languages a problem's title and detail are given in (English when none is asked for).
ANSWERED_LANGUAGES = ("en", "id")

log = structlog.get_logger("api")


class Problem(BaseModel):
    """An error as RFC 9457 problem details; field errors are listed in ``errors``."""

    model_config = ConfigDict(extra="allow")

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[dict[str, str]] | None = None


def problem_responses() -> dict[int | str, dict[str, Any]]:
    """The error answers every route may give, as OpenAPI responses of problem+json."""
    schema = {"content": {MEDIA_TYPE: {"schema": Problem.model_json_schema()}}}
    return {status: {"description": words, **schema} for status, words in PROBLEM_STATUSES.items()}


class ProblemError(Exception):
    """An error the API itself raises: a status, a stable code and plain words."""

    def __init__(
        self,
        status: int,
        code: str,
        title: str,
        detail: str,
        headers: Mapping[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.headers = dict(headers or {})
        self.extra = extra


def language_of(request: Request) -> str:
    """The language the caller prefers among ours (RFC 9110 Accept-Language); English if none."""
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate(request.headers.get("accept-language", "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        primary = "id" if primary == "in" else primary  # the older code of Indonesian
        try:
            weight = float(params.strip().removeprefix("q=")) if params else 1.0
        except ValueError:
            weight = 0.0
        if primary in ANSWERED_LANGUAGES and weight > 0:
            ranked.append((-weight, order, primary))
    return min(ranked)[2] if ranked else "en"


def in_language(language: str, text: str) -> str:
    """A message of the API (written in English) in the caller's language."""
    if language == "en":
        return text
    # Imported here: the catalogs live with the console, whose pages import this module.
    from api.console.i18n import localized

    return localized(text, language)


def problem_response(
    request: Request,
    status: int,
    code: str,
    title: str,
    detail: str,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> JSONResponse:
    """A problem+json response naming the request path as the instance, in the caller's
    language (``Accept-Language``: Indonesian or English)."""
    language = language_of(request)
    if "errors" in extra and isinstance(extra["errors"], list):
        extra["errors"] = [
            {**e, "message": in_language(language, str(e.get("message", "")))}
            for e in extra["errors"]
        ]
    body = {
        "type": PROBLEM_BASE + code,
        "title": in_language(language, title),
        "status": status,
        "detail": in_language(language, detail),
        "instance": echo(request.url.path),
        **extra,
    }
    answer = {**(headers or {}), "Content-Language": language, "Vary": "Accept-Language"}
    return JSONResponse(body, status_code=status, headers=answer, media_type=MEDIA_TYPE)


def echo(text: str) -> str:
    """A caller's input, cut short enough to repeat in an error."""
    return text if len(text) <= MAX_ECHO_CHARS else text[:MAX_ECHO_CHARS] + "..."


def domain_status(error: DomainError) -> int:
    """The HTTP status for a domain refusal (409 for a rule the request breaks)."""
    return next((status for kind, status in DOMAIN_STATUS if isinstance(error, kind)), 409)


async def on_problem(request: Request, exc: Exception) -> JSONResponse:
    """An error raised by the API layer."""
    assert isinstance(exc, ProblemError)
    return problem_response(
        request, exc.status, exc.code, exc.title, exc.detail, exc.headers, **exc.extra
    )


async def on_domain_error(request: Request, exc: Exception) -> JSONResponse:
    """A refusal by the domain, by its stable code."""
    assert isinstance(exc, DomainError)
    extra: dict[str, Any] = {}
    if isinstance(exc, ValidationError):
        extra["errors"] = [{"field": exc.field, "message": exc.message}]
    if isinstance(exc, VersionMismatchError):
        extra["current_version"] = exc.current_version
    return problem_response(request, domain_status(exc), exc.code, exc.title, exc.message, **extra)


def field_name(location: tuple[Any, ...]) -> str:
    """``body.steps.0.mode`` -> ``steps.0.mode``; query and path names keep their place."""
    parts = [str(p) for p in location]
    return ".".join(parts[1:] if parts and parts[0] == "body" else parts) or "body"


async def on_validation_error(request: Request, exc: Exception) -> JSONResponse:
    """A request whose shape is wrong: each field error in plain words."""
    assert isinstance(exc, RequestValidationError)
    errors = [
        {"field": echo(field_name(tuple(e.get("loc", ())))), "message": echo(str(e.get("msg")))}
        for e in exc.errors()[:MAX_FIELD_ERRORS]
    ]
    return problem_response(
        request,
        422,
        "invalid-request",
        "The request is not filled in correctly",
        "Some fields are missing, unknown or not acceptable; see errors.",
        errors=errors,
    )


async def on_integrity_error(request: Request, exc: Exception) -> JSONResponse:
    """Two writers changed the same record at once."""
    return problem_response(
        request,
        409,
        "concurrent-change",
        "Changed by someone else at the same time",
        "Someone changed this at the same moment. Reload and try again.",
    )


def allowed_methods(request: Request) -> str:
    """Every method the request's path accepts (the framework names only its first route's)."""
    methods: set[str] = set()
    for route in request.app.router.routes:
        if route.matches(request.scope)[0] != Match.NONE:
            methods |= set(getattr(route, "methods", None) or ())
    return ", ".join(sorted(methods))


async def on_http_error(request: Request, exc: Exception) -> JSONResponse:
    """Errors raised by the framework (unknown address, wrong method)."""
    assert isinstance(exc, StarletteHTTPException)
    code, detail = HTTP_WORDS.get(exc.status_code, ("http-error", str(exc.detail)))
    title = str(exc.detail) if exc.status_code not in HTTP_WORDS else detail
    headers = dict(exc.headers or {})
    if exc.status_code == 405:
        headers["Allow"] = allowed_methods(request)
    return problem_response(request, exc.status_code, code, title, detail, headers)


async def on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    """A fault of Jejak itself; the details go to the log, not to the caller."""
    log.exception("unexpected error", path=request.url.path)
    return problem_response(
        request,
        500,
        "internal-error",
        "Something went wrong in Jejak",
        "Nothing was decided on your behalf. Try again later, or tell the secretariat.",
    )


def install_problem_handlers(app: FastAPI) -> None:
    """Route every kind of error through the handlers above."""
    app.add_exception_handler(ProblemError, on_problem)
    app.add_exception_handler(DomainError, on_domain_error)
    app.add_exception_handler(RequestValidationError, on_validation_error)
    app.add_exception_handler(IntegrityError, on_integrity_error)
    app.add_exception_handler(StarletteHTTPException, on_http_error)
    app.add_exception_handler(Exception, on_unexpected)
