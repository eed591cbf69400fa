"""Signing in through the city's OIDC provider (authorization code with PKCE), in Chromium."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, expect

from api.app import create_app
from infra.scenario import personas
from tests.api.console.oidc_provider import CLIENT_ID, Provider, provider_app
from tests.support.app import settings_for
from tests.support.serving import free_port, served

pytestmark = pytest.mark.asyncio(loop_scope="session")


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
    async with (
        app.router.lifespan_context(app),
        served(provider_app(provider), provider_port),
        served(app, console_port),
    ):
        yield provider, f"http://127.0.0.1:{console_port}/konsol"


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
