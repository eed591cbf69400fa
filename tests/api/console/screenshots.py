"""`make screenshots`: every console page at phone and desktop width, measured.

Starts the whole engine over the reference city (a Temporal dev server, the worker, the
projector, the app under uvicorn), sends one milestone for approval, then signs in as the
people who use each page. Saves ``docs/screenshots/<page>-<width>.png`` and a table of
server time, page weight and axe-core counts in ``docs/screenshots/measurements.md``.
"""

from __future__ import annotations

import asyncio
import tempfile
from pathlib import Path

from playwright.async_api import Browser

from infra.scenario import personas
from tests.api.console.pages import Measured, measure
from tests.api.console.stack import (
    Console,
    approval_started,
    chromium_browser,
    serving,
    sign_in,
)
from tests.support.temporal import dev_server

OUT = Path("docs/screenshots")
WIDTHS = {"360": 360, "desktop": 1280}


def pages(request_id: str) -> list[tuple[str, str, tuple[str, str] | None]]:
    """(file name, path, who signs in) of every page, in the README's order."""
    head = ("opd-head", personas.OPD_HEAD)
    return [
        ("publik", "/publik", None),
        ("masuk", "/masuk", None),
        ("kotak-masuk", "/", head),
        ("persetujuan", f"/persetujuan/{request_id}", head),
        ("tenggat", "/tenggat?state=due-soon", ("inspectorate", personas.INSPECTORATE)),
        ("rencana", "/rencana", ("admin", personas.ADMIN)),
        ("opd", "/opd", ("admin", personas.ADMIN)),
        ("jejak-audit", f"/jejak/{request_id}", ("inspectorate", personas.INSPECTORATE)),
    ]


async def shoot(console: Console, browser: Browser, request_id: str) -> list[str]:
    """Screenshots of every page at every width; the measurement table's rows."""
    rows = []
    for name, path, who in pages(request_id):
        found: Measured | None = None
        for label, width in WIDTHS.items():
            context = await browser.new_context(viewport={"width": width, "height": 800})
            page = await context.new_page()
            if who is not None:
                await sign_in(page, console, *who)
            await page.goto(console.url(path))
            await page.goto(console.url(path))  # measured warm, as a user's second visit
            await page.screenshot(path=str(OUT / f"{name}-{label}.png"), full_page=True)
            found = found or await measure(page)
            await context.close()
        assert found is not None
        axe = ", ".join(f"{k} {v}" for k, v in found.violations.items())
        shown = path.replace(request_id, "{id}")
        rows.append(f"| {name} | `{shown}` | {found.server_ms} | {found.weight_kb} | {axe} |")
    return rows


async def main() -> None:
    """Start everything, shoot, write the table."""
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            dev_server() as env,
            serving(Path(tmp), env) as console,
            chromium_browser() as browser,
        ):
            request_id, _ = await approval_started(console)
            rows = await shoot(console, browser, request_id)
    table = [
        "# Console pages, measured",
        "",
        "Written by `make screenshots` on the reference city: server time is the browser's",
        "request-to-first-byte of a second visit, weight is every byte the page loads (HTML,",
        "CSS, htmx), axe-core counts WCAG 2.1 A/AA violations by impact.",
        "",
        "| page | path | server time (ms) | weight (KB) | axe-core violations |",
        "|---|---|---|---|---|",
        *rows,
    ]
    (OUT / "measurements.md").write_text("\n".join(table) + "\n")
    print("\n".join(table))


if __name__ == "__main__":
    OUT.mkdir(parents=True, exist_ok=True)
    asyncio.run(main())
