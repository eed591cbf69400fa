"""Konsol Jejak: the web console, server-rendered on the API's services and policy table."""

from __future__ import annotations

import os
import secrets
from functools import cache
from pathlib import Path

from fastapi import APIRouter, FastAPI
from starlette.middleware.sessions import SessionMiddleware
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Receive, Scope, Send

from infra.settings import Settings

STATIC = Path(__file__).parent / "static"
SESSION_KEY_FILE = "console-session.key"
#: Hours a console session lasts.
SESSION_HOURS = 12


def session_secret(settings: Settings) -> str:
    """The key signing session cookies: the setting, else a local key made on first use."""
    if settings.console_secret:
        return settings.console_secret
    path = Path(settings.data_dir) / SESSION_KEY_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    secret = secrets.token_urlsafe(48)
    with os.fdopen(fd, "w") as handle:
        handle.write(secret)
    return secret


class Sessions:
    """The signed session cookie, keyed on first request: building the app touches no file."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app, self.settings = app, settings
        self.inner: SessionMiddleware | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.inner is None:
            self.inner = SessionMiddleware(
                self.app,
                secret_key=session_secret(self.settings),
                session_cookie="jejak_konsol",
                max_age=SESSION_HOURS * 3600,
                same_site="lax",
                https_only=not self.settings.dev_mode,
            )
        await self.inner(scope, receive, send)


@cache
def console_router() -> APIRouter:
    """Every console page under /konsol (built once: an app copies the routes it includes)."""
    # Imported here: the API's error handlers import this package for its catalogs, and the
    # pages import the error handlers.
    from api.console import (
        audit,
        chain,
        commitments,
        deadlines,
        evaluation,
        inbox,
        notifications,
        oidc,
        pages,
        people,
        records,
        signin,
    )
    from api.console.web import PREFIX

    router = APIRouter(prefix=PREFIX, include_in_schema=False)
    modules = (signin, oidc, inbox, notifications, pages, deadlines, people, chain, records, audit)
    for module in (*modules, commitments, evaluation):
        router.include_router(module.router)
    return router


def install(app: FastAPI, settings: Settings) -> None:
    """Mount the console: its pages, its static files and its signed session cookie."""
    from api.console.web import PREFIX

    app.include_router(console_router())
    app.mount(f"{PREFIX}/static", StaticFiles(directory=STATIC), name="console-static")
    app.add_middleware(Sessions, settings=settings)
