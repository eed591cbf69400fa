"""The whole engine served over a real socket for a real browser: the reference city, a
Temporal dev server with a worker in this process, the projector, and the app under uvicorn."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
import pytest_asyncio
from playwright.async_api import Browser, Page, async_playwright
from temporalio.testing import WorkflowEnvironment

from tests.support.engine import Engine, approval_of, open_step, running
from tests.support.polling import eventually
from tests.support.serving import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


class Console(Engine):
    """The engine, and the address a browser reaches its console at."""

    base_url: str

    def url(self, path: str) -> str:
        """The absolute address of a console path."""
        return f"{self.base_url}/konsol{path}"


async def sign_in(page: Page, console: Console, role: str, nip: str) -> None:
    """Sign in on the dev sign-in page as the person ``nip`` in ``role``."""
    await page.goto(console.url("/masuk"))
    await page.locator(f'button[name="who"][value="{role}|{nip}"]').click()
    await page.wait_for_load_state()


async def approval_started(console: Console) -> tuple[str, str]:
    """The first submitted milestone sent for approval (once): its request id and title.

    The first call waits until step 1 is open; later ones find the approval as it stands.
    """
    first = not console.started
    if first:
        milestone = console.plan().get_milestone(console.submitted_milestones()[0])
        await console.start_approval(milestone)
    request_id = console.started[0].id.removeprefix("approval/")
    state = await eventually(
        lambda: approval_of(console, request_id),
        lambda s: bool(s) and (not first or open_step(s) == 0),
    )
    return request_id, str(state["title"])


@asynccontextmanager
async def serving(tmp_path: Path, dev_env: WorkflowEnvironment) -> AsyncIterator[Console]:
    """The reference city's engine, its console served on a free port of this machine."""
    port = free_port()
    async with running(Console, tmp_path, dev_env, port=port) as found:
        found.base_url = f"http://127.0.0.1:{port}"
        yield found


def chromium() -> str:
    """The distribution's Chromium; ``make browser`` installs it."""
    assert CHROMIUM.exists(), "install Chromium first: `make browser` (apt-get install chromium)"
    return str(CHROMIUM)


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def console(
    tmp_path_factory: pytest.TempPathFactory, dev_env: WorkflowEnvironment
) -> AsyncIterator[Console]:
    """The engine and its console, shared by the tests of a module."""
    async with serving(tmp_path_factory.mktemp("console"), dev_env) as found:
        yield found


@asynccontextmanager
async def chromium_browser() -> AsyncIterator[Browser]:
    """Debian's Chromium, driven by Playwright, headless."""
    executable = chromium()
    async with async_playwright() as playwright:
        found = await playwright.chromium.launch(
            executable_path=executable, args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield found
        finally:
            await found.close()


@pytest_asyncio.fixture(scope="module", loop_scope="session")
async def browser() -> AsyncIterator[Browser]:
    """Chromium for the tests of a module."""
    async with chromium_browser() as found:
        yield found
