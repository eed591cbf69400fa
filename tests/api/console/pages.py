"""What the browser tests do on every page: check accessibility with axe-core, and measure."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Browser, Page

from tests.api.console.stack import Console, sign_in

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
#: Impacts that fail a page.
BLOCKING = ("serious", "critical")
#: The issue's budgets: server time and weight of a page.
MAX_SERVER_MS = 200
MAX_PAGE_KB = 300


@dataclass(frozen=True)
class Measured:
    """One page as the browser saw it."""

    server_ms: float
    weight_kb: float
    violations: dict[str, int]
    details: list[str]


async def axe_violations(page: Page) -> tuple[dict[str, int], list[str]]:
    """axe-core's WCAG 2.1 A/AA violations on the page, counted by impact."""
    await page.add_script_tag(path=str(AXE))
    found: list[dict[str, Any]] = await page.evaluate(
        """async () => (await axe.run(document, {
            runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
            resultTypes: ['violations'],
        })).violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                  target: v.nodes.slice(0, 2).map(n => n.target.join(' '))}))"""
    )
    counts = {impact: 0 for impact in ("minor", "moderate", "serious", "critical")}
    for violation in found:
        counts[str(violation["impact"])] += int(violation["nodes"])
    details = [f"{v['impact']} {v['id']} x{v['nodes']} at {v['target']}" for v in found]
    return counts, details


async def measure(page: Page) -> Measured:
    """Server time (request sent to first byte), page weight and axe counts of the loaded page."""
    timing: dict[str, float] = await page.evaluate(
        """() => {
            const nav = performance.getEntriesByType('navigation')[0];
            const all = [nav, ...performance.getEntriesByType('resource')];
            return {server: nav.responseStart - nav.requestStart,
                    bytes: all.reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)};
        }"""
    )
    counts, details = await axe_violations(page)
    return Measured(round(timing["server"], 1), round(timing["bytes"] / 1024, 1), counts, details)


def blocking(measured: Measured) -> int:
    """Serious and critical violations: each page must have none."""
    return sum(measured.violations[impact] for impact in BLOCKING)


#: Every page measured by the browser tests of this run, by name (printed at the end).
MEASURED: dict[str, Measured] = {}


@asynccontextmanager
async def browsing(
    browser: Browser, console: Console, *who: str, width: int = 360
) -> AsyncIterator[Page]:
    """A page in a fresh browser profile (no cookies) at ``width`` pixels, signed in as
    ``who`` (role, NIP) when given; the profile is closed afterwards."""
    context = await browser.new_context(viewport={"width": width, "height": 740})
    try:
        page = await context.new_page()
        if who:
            await sign_in(page, console, *who)
        yield page
    finally:
        await context.close()


async def checked(page: Page, name: str) -> Measured:
    """Measure the page; fail on a serious or critical axe-core violation, on a page heavier
    than the budget, or on a page wider than the window (scrolling sideways)."""
    found = await measure(page)
    MEASURED[name] = found
    assert blocking(found) == 0, found.details
    assert found.weight_kb < MAX_PAGE_KB
    width = await page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] if page.viewport_size else True, "scrolls sideways"
    return found
