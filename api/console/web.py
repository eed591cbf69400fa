"""What every console page shares: templates, the session's caller, CSRF and the language."""

from __future__ import annotations

import hmac
import secrets
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from api import policy
from api.auth import Principal, Role
from api.console.i18n import Words
from api.deps import get_store, today
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import lagging, viewstore_of
from domain.organisation.application import OrganisationApplication
from projections.engine.viewstore import ViewStore

PREFIX = "/konsol"
TEMPLATES = Path(__file__).parent / "templates"
ENV = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class SignInNeededError(Exception):
    """The page needs a signed-in user; the console answers with the sign-in page."""


def words(request: Request) -> Words:
    """The texts of the language chosen in the session (Indonesian by default)."""
    return Words(request.session.get("lang", ""))


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get("csrf")
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session["csrf"] = token
    return token


async def checked_form(request: Request) -> dict[str, str]:
    """The posted form, once its CSRF token matches the session's; else 403."""
    form = await request.form()
    given = form.get("csrf")
    expected = request.session.get("csrf")
    if not (isinstance(given, str) and isinstance(expected, str)) or not hmac.compare_digest(
        given, expected
    ):
        raise ProblemError(
            403,
            "csrf",
            "Form refused",
            "This form is out of date or did not come from this console; reload and retry.",
        )
    return {key: value for key, value in form.items() if isinstance(value, str)}


def signed_in(request: Request) -> Caller | None:
    """The session's user as a caller, with the OPDs they lead today (None when signed out)."""
    user, role = request.session.get("user"), request.session.get("role")
    if not isinstance(user, str) or role not in Role.ALL:
        return None
    opds: dict[str, str] = {}
    if role in {Role.OPD_HEAD, Role.LEADERSHIP}:
        organisation = get_store(request).app(OrganisationApplication)
        opds = dict(organisation.opds_of(user, today()))
    return Caller(Principal(user=user, role=str(role)), opds)


def caller_of(request: Request) -> Caller:
    """The signed-in caller; ``SignInNeededError`` when nobody is."""
    caller = signed_in(request)
    if caller is None:
        raise SignInNeededError
    return caller


def overviews(request: Request, *names: str) -> ViewStore:
    """The read models, once the named ones are built (else 503, as the API answers)."""
    views = viewstore_of(request)
    if len(views.positions(names)) < len(names):
        raise lagging("The overviews are still being built; try again shortly.")
    return views


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """A page (or an htmx fragment) in the session's language."""
    texts = words(request)
    caller = context.pop("caller", None) or signed_in(request)
    page = ENV.get_template(template).render(
        request=request,
        _=texts.gettext,
        ngettext=texts.ngettext,
        t=texts,
        lang=texts.language,
        caller=caller,
        may=lambda permission: caller is not None and policy.scope_of(caller.role, permission),
        csrf=csrf_token(request),
        prefix=PREFIX,
        **context,
    )
    return HTMLResponse(page, status_code=status_code)


def go(path: str) -> RedirectResponse:
    """After a form: go to a console page (303 so the browser GETs it)."""
    return RedirectResponse(PREFIX + path, status_code=303)
