"""`make screenshots`: every console page at phone and desktop width.

Starts the whole engine over the reference city (a Temporal dev server, the worker, the
projector, the app under uvicorn), gives the pages their records (`tour.prepared`), then signs
in as the people who use each page and saves ``docs/screenshots/<page>-<width>.png``. The
measurements (server time, weight, axe-core) are the report's: `make screenshots` runs
`python -m tests.api.console.report` next, which writes ``docs/console.md``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Browser

from tests.api.console.stack import Console, chromium_browser, serving, sign_in
from tests.api.console.tour import Stop, prepared
from tests.support.temporal import dev_server

OUT = Path("docs/screenshots")
WIDTHS = {"360": 360, "desktop": 1280}


async def shoot(console: Console, browser: Browser, stops: list[Stop]) -> None:
    """Screenshots of every page at every width."""
    for stop in stops:
        for label, width in WIDTHS.items():
            context = await browser.new_context(viewport={"width": width, "height": 800})
            page = await context.new_page()
            if stop.who is not None:
                await sign_in(page, console, *stop.who)
            await page.goto(console.url(stop.path))
            await page.screenshot(path=str(OUT / f"{stop.name}-{label}.png"), full_page=True)
            await context.close()
        print(f"{stop.name}: {console.url(stop.path)}")


async def main() -> None:
    """Start everything and shoot."""
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            dev_server() as env,
            serving(Path(tmp), env) as console,
            chromium_browser() as browser,
        ):
            await shoot(console, browser, await prepared(console))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    asyncio.run(main())
