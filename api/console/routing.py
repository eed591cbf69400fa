"""Console routes: refusals become pages in the user's language, never JSON."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.routing import APIRoute

from api.console.i18n import localized
from api.console.web import PREFIX, SignInNeededError, render, words
from api.problems import ProblemError, domain_status
from domain.shared import DomainError, NotFoundError


class ConsoleRoute(APIRoute):
    """A console route: refusals become pages in the user's language, never JSON."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except SignInNeededError:
                return RedirectResponse(f"{PREFIX}/masuk", status_code=303)
            except ProblemError as error:
                return failed(request, error.status, error.detail)
            except DomainError as error:
                status = 404 if isinstance(error, NotFoundError) else domain_status(error)
                return failed(request, status, error.message)

        return answer


def failed(request: Request, status: int, detail: str) -> Response:
    """An error page (or fragment, for htmx) with the API's plain-words detail."""
    template = "decided.html" if request.headers.get("hx-request") else "error.html"
    # The console's refusals and the API's details read in the session's language.
    message = localized(detail, words(request).language)
    return render(request, template, status_code=status, error=message, status=status)
