"""Production sign-in: OIDC authorization code with PKCE against the city's provider.

authlib keeps the state, the nonce and the PKCE verifier in the signed session, checks the
ID token, and exchanges the code. The role comes from the access token, checked by the same
verifier as the API's bearer tokens, so the console grants no role the API would not.
"""

from __future__ import annotations

import asyncio
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.auth import AuthenticationError
from api.console.routing import ConsoleRoute
from api.console.web import go
from api.deps import verifier_of
from api.problems import ProblemError
from infra.settings import Settings

router = APIRouter(route_class=ConsoleRoute)
NAME = "city"


def enabled(settings: Settings) -> bool:
    """Whether the console is a client of the city's provider."""
    return bool(settings.auth_issuer and settings.console_client_id)


def client_of(request: Request) -> Any:
    """The app's OIDC client, registered from the settings on first use."""
    settings: Settings = request.app.state.settings
    if not enabled(settings):
        raise ProblemError(
            404, "no-oidc", "Not available", "Sign-in through the city is not set up here."
        )
    state = request.app.state
    if getattr(state, "oauth", None) is None:
        # Imported only where OIDC is set up: authlib warns on import about its httpx client.
        from authlib.integrations.starlette_client import OAuth

        oauth = OAuth()
        oauth.register(
            NAME,
            client_id=settings.console_client_id,
            client_secret=settings.console_client_secret or None,
            server_metadata_url=settings.auth_issuer.rstrip("/")
            + "/.well-known/openid-configuration",
            client_kwargs={"scope": "openid profile", "code_challenge_method": "S256"},
        )
        state.oauth = oauth
    return state.oauth.create_client(NAME)


@router.get("/masuk/kota")
async def start(request: Request) -> Response:
    """Send the browser to the city's provider (authorization code with PKCE)."""
    client = client_of(request)
    back = str(request.url_for("oidc_callback"))
    answer: Response = await client.authorize_redirect(request, back)
    return answer


@router.get("/masuk/kota/kembali", name="oidc_callback")
async def callback(request: Request) -> RedirectResponse:
    """Back from the provider: exchange the code, check the tokens, start the session."""
    client = client_of(request)
    from authlib.integrations.starlette_client import OAuthError

    try:
        token = await client.authorize_access_token(request)
        # The verifier may fetch the provider's keys: off the event loop.
        verify = verifier_of(request).verify
        principal = await asyncio.to_thread(verify, str(token["access_token"]))
    except (OAuthError, AuthenticationError, KeyError) as error:
        raise ProblemError(
            401, "sign-in-failed", "Sign-in failed", f"The city's sign-in failed ({error})."
        ) from None
    language = request.session.get("lang")
    request.session.clear()
    request.session.update({"user": principal.user, "role": principal.role})
    if language:
        request.session["lang"] = language
    return go("/" if principal.role != "public" else "/publik")
