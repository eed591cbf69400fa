"""Signing in through the city's OIDC provider (authorization code with PKCE), in Chromium."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
import uvicorn
from fastapi import FastAPI
from playwright.async_api import Browser, expect

from api.app import create_app
from infra.scenario import personas
from tests.api.conftest import settings_for
from tests.console.oidc_provider import CLIENT_ID, Provider, provider_app
from tests.console.stack import free_port

pytestmark = pytest.mark.asyncio(loop_scope="session")


async def served(app: FastAPI, port: int) -> tuple[uvicorn.Server, asyncio.Task[None]]:
    """``app`` listening on ``port`` of this machine (no lifespan: the caller runs it)."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:  # noqa: ASYNC110 - uvicorn offers no event to wait on
        await asyncio.sleep(0.02)
    return server, task


@pytest_asyncio.fixture(loop_scope="session")
async def city_sign_in(tmp_path: Path) -> AsyncIterator[tuple[Provider, str]]:
    """The provider and the console (dev mode off), each on its own port."""
    provider_port, console_port = free_port(), free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{provider_port}")
    settings = settings_for(
        tmp_path,
        dev_mode=False,
        auth_issuer=provider.issuer,
        auth_jwks_url=f"{provider.issuer}/jwks",
        console_client_id=CLIENT_ID,
        console_client_secret="rahasia",
    )
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        servers = [
            await served(provider_app(provider), provider_port),
            await served(app, console_port),
        ]
        try:
            yield provider, f"http://127.0.0.1:{console_port}/konsol"
        finally:
            for server, task in servers:
                server.should_exit = True
                await task


async def test_an_inspector_signs_in_through_the_city_with_pkce(
    city_sign_in: tuple[Provider, str], browser: Browser
) -> None:
    provider, konsol = city_sign_in
    provider.user, provider.role = personas.INSPECTORATE, "inspectorate"
    context = await browser.new_context(viewport={"width": 360, "height": 740})
    page = await context.new_page()
    await page.goto(f"{konsol}/masuk")
    await expect(page.locator('button[name="who"]')).to_have_count(0)
    await page.get_by_role("link", name="Masuk dengan akun kota").click()
    await page.wait_for_url("**/konsol/**")
    await expect(page.locator("footer")).to_contain_text(personas.INSPECTORATE)
    await expect(page.locator("footer")).to_contain_text("inspectorate")
    assert provider.refused_verifiers == 0
    cookies = {c["name"]: c for c in await context.cookies()}
    assert cookies["jejak_konsol"]["httpOnly"]
    assert cookies["jejak_konsol"]["secure"], "outside dev mode the session is HTTPS-only"
    await context.close()


async def test_a_callback_without_the_session_that_started_it_signs_nobody_in(
    city_sign_in: tuple[Provider, str], browser: Browser
) -> None:
    provider, konsol = city_sign_in
    provider.user, provider.role = personas.ADMIN, "admin"
    context = await browser.new_context()
    page = await context.new_page()
    answer = await page.goto(f"{konsol}/masuk/kota/kembali?code=stolen&state=guessed")
    assert answer is not None
    assert answer.status == 401
    await expect(page.locator("footer")).not_to_contain_text(personas.ADMIN)
    await context.close()
