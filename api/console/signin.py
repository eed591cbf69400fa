"""Signing in and out, and the choice of language.

In dev mode a page lists the reference city's people by role and OPD; one click signs in as
one of them. Production sign-in goes through the city's OIDC provider (not yet built here):
without dev mode the page says so and signs nobody in.
"""

from __future__ import annotations

from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse

from api.auth import DEV_USERS, Role
from api.console import oidc
from api.console.i18n import chosen
from api.console.routing import ConsoleRoute
from api.console.web import checked_form, go, render
from api.deps import AppSettings, Organisation, today
from api.policy import SEKDA_OPD
from api.problems import ProblemError
from domain.organisation.application import OrganisationApplication

router = APIRouter(route_class=ConsoleRoute)

#: The role of an OPD's head in the console, where it is not ``opd-head``.
ROLE_OF_OPD = {SEKDA_OPD: Role.LEADERSHIP, "INSPEKTORAT": Role.INSPECTORATE}


@dataclass(frozen=True)
class Person:
    """Someone one may sign in as in dev mode."""

    user: str
    role: str
    name: str
    opd: str | None = None
    opd_name: str | None = None

    @property
    def key(self) -> str:
        """The value the sign-in form posts."""
        return f"{self.role}|{self.user}"


def people(organisation: OrganisationApplication) -> list[Person]:
    """The dev users of each role and the head of every OPD today, by role then OPD."""
    found = {
        Person(user, role, user, opd)
        for role, (user, opd) in DEV_USERS.items()
        if role not in {Role.OPD_HEAD, Role.LEADERSHIP, Role.INSPECTORATE}
    }
    day = today()
    for opd in organisation.opds():
        term = opd.head_on(day)
        if term is None:
            continue
        name = organisation.get_person(term.nip).name
        role = ROLE_OF_OPD.get(str(opd.code), Role.OPD_HEAD)
        found.add(Person(term.nip, role, str(name), str(opd.code), str(opd.name)))
    return sorted(found, key=lambda p: (p.role, p.opd or "", p.user))


def dev_only(settings: AppSettings) -> None:
    """Dev sign-in exists only in dev mode."""
    if not settings.dev_mode:
        raise ProblemError(
            404, "no-dev-sign-in", "Not available", "Sign in through the city's account service."
        )


@router.get("/masuk", response_class=HTMLResponse)
def sign_in_page(
    request: Request, settings: AppSettings, organisation: Organisation
) -> HTMLResponse:
    """The sign-in page (dev mode: choose a person of the reference city)."""
    listed = people(organisation) if settings.dev_mode else []
    city = oidc.enabled(settings)
    return render(request, "signin.html", people=listed, dev_mode=settings.dev_mode, city=city)


@router.post("/masuk", dependencies=[Depends(dev_only)])
async def sign_in(request: Request, organisation: Organisation) -> RedirectResponse:
    """Sign in as one of the listed people (dev mode only)."""
    form = await checked_form(request)
    chosen_one = next((p for p in people(organisation) if p.key == form.get("who")), None)
    if chosen_one is None:
        raise ProblemError(422, "unknown-person", "Unknown person", "Choose someone on the list.")
    language = request.session.get("lang")
    request.session.clear()  # a new session on sign-in: nothing carries over but the language
    request.session.update({"user": chosen_one.user, "role": chosen_one.role})
    if language:
        request.session["lang"] = language
    return go("/" if chosen_one.role != Role.PUBLIC else "/publik")


@router.post("/keluar")
async def sign_out(request: Request) -> RedirectResponse:
    """Sign out: the session is forgotten."""
    await checked_form(request)
    language = request.session.get("lang")
    request.session.clear()
    if language:
        request.session["lang"] = language
    return go("/masuk")


@router.post("/bahasa")
async def choose_language(request: Request) -> RedirectResponse:
    """Switch the console's language (kept in the session); back to the page one was on."""
    form = await checked_form(request)
    request.session["lang"] = chosen(form.get("lang"))
    back = form.get("next", "")
    # Only a path of this console: never an address elsewhere.
    target = back if back.startswith("/konsol") and not back.startswith("//") else "/konsol/"
    return RedirectResponse(target, status_code=303)
