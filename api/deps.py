"""The dependencies routes declare, once, as ``Annotated`` aliases."""

from __future__ import annotations

import asyncio
import re
from collections.abc import Callable
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Header, Request

from api import policy
from api.auth import AuthenticationError, Principal, Role, TokenVerifier
from api.policy import Caller
from api.problems import ProblemError
from domain.approvals.application import ApprovalsApplication
from domain.calendar import JAKARTA, CalendarApplication
from domain.commitments.application import CommitmentsApplication
from domain.organisation.application import OrganisationApplication
from domain.shared import VersionMismatchError
from infra.settings import Settings
from infra.store import EventStore


def get_settings(request: Request) -> Settings:
    """The settings the app was built with."""
    settings: Settings = request.app.state.settings
    return settings


def get_store(request: Request) -> EventStore:
    """The event store built in the lifespan."""
    store: EventStore = request.app.state.store
    return store


def verifier_of(request: Request) -> TokenVerifier:
    """The app's token verifier, built on first use."""
    state = request.app.state
    if getattr(state, "verifier", None) is None:
        state.verifier = TokenVerifier(get_settings(request))
    verifier: TokenVerifier = state.verifier
    return verifier


def unauthorized(detail: str, error: str | None = None) -> ProblemError:
    """401 with the WWW-Authenticate challenge of RFC 6750."""
    challenge = 'Bearer realm="jejak"' + (f', error="{error}"' if error else "")
    return ProblemError(
        401, "unauthenticated", "Sign-in needed", detail, {"WWW-Authenticate": challenge}
    )


def bearer_token(request: Request) -> str | None:
    """The bearer token of the request, if any."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


def get_principal(request: Request) -> Principal:
    """The caller named by a valid bearer token, else 401 (checked once, by the middleware)."""
    known: Principal | None = getattr(request.state, "principal", None)
    if known is not None:
        return known
    refused: str | None = getattr(request.state, "auth_error", None)
    if refused is not None:
        raise unauthorized(f"Your sign-in is not valid ({refused}).", "invalid_token")
    token = bearer_token(request)
    if token is None:
        raise unauthorized("Sign in first: send an 'Authorization: Bearer <token>' header.")
    try:
        principal = verifier_of(request).verify(token)
    except AuthenticationError as exc:
        raise unauthorized(f"Your sign-in is not valid ({exc}).", "invalid_token") from None
    request.state.principal = principal
    return principal


def today() -> date:
    """Today in the city (WIB): the day appointments are read for."""
    return datetime.now(JAKARTA).date()


#: Roles whose callers act for the OPDs they lead on the day (read from the appointments).
LEADING_ROLES = frozenset({Role.OPD_HEAD, Role.LEADERSHIP})


def caller_of(store: EventStore, principal: Principal, day: date) -> Caller:
    """The caller with the OPDs they lead on ``day`` (may read the event store: a thread)."""
    if principal.role not in LEADING_ROLES:
        return Caller(principal)
    return Caller(principal, dict(store.app(OrganisationApplication).opds_of(principal.user, day)))


def Allow(permission: str) -> Any:  # noqa: N802 - reads as a declaration on the route
    """A dependency: the caller, if their role may ``permission`` at all; else 401/403."""

    # Async, so a refusal or a caller without OPDs costs no worker thread: under a flood of
    # bad requests the threads stay free for honest callers. Only the appointments are
    # read in a thread, since reading them may touch the database.
    async def allowed(request: Request) -> Caller:
        principal = get_principal(request)
        if principal.role in LEADING_ROLES:
            caller = await asyncio.to_thread(caller_of, get_store(request), principal, today())
        else:
            caller = Caller(principal)
        policy.require(caller, permission)
        # Who the answer was computed for: the kept answers (api.answers) are keyed by it.
        request.state.caller = caller
        return caller

    return Depends(allowed)


def app_of(cls: type[Any]) -> Callable[[Request], Any]:
    """A dependency giving the store's one instance of an application service."""

    async def dependency(request: Request) -> Any:  # a lookup: no worker thread needed
        return get_store(request).app(cls)

    return dependency


Organisation = Annotated[OrganisationApplication, Depends(app_of(OrganisationApplication))]
Calendar = Annotated[CalendarApplication, Depends(app_of(CalendarApplication))]
Approvals = Annotated[ApprovalsApplication, Depends(app_of(ApprovalsApplication))]
Commitments = Annotated[CommitmentsApplication, Depends(app_of(CommitmentsApplication))]
AppSettings = Annotated[Settings, Depends(get_settings)]
IfMatch = Annotated[str | None, Header(alias="If-Match", max_length=100)]
_VERSION_TAG = re.compile(r'"[0-9]{1,18}"')


def etag(version: int) -> str:
    """The entity tag of an aggregate version."""
    return f'"{version}"'


def if_match_version(if_match: str | None) -> int | None:
    """The version an ``If-Match`` bases a change on; None without one, or for ``*``.

    A client sends the one ETag it was given; a header naming no version, or several, can
    match nothing, so it stands for version 0, which no aggregate has.
    """
    if if_match is None:
        return None
    tags = {t.strip().removeprefix("W/") for t in if_match.split(",")}
    if "*" in tags:
        return None
    versions = {int(t[1:-1]) for t in tags if _VERSION_TAG.fullmatch(t)}
    return versions.pop() if len(versions) == 1 else 0


async def expected_version(if_match: IfMatch = None) -> int | None:  # no worker thread needed
    """The version a change is based on, handed to the command, which compares it atomically.

    The command compares it with the version it loads itself (412 when they differ) and
    saves with optimistic concurrency, so a change saved in between is refused (409).
    """
    return if_match_version(if_match)


ExpectedVersion = Annotated[int | None, Depends(expected_version)]


def check_version(expected: int | None, version: int) -> None:
    """412 at once when the version a change is based on is not ``version``.

    A precondition is answered before the request's own content is judged: a route that
    checks its body before calling the command checks this first. The command compares
    again with what it loads, so this early answer is never the only one.
    """
    if expected is not None and expected != version:
        raise VersionMismatchError(version)
