"""What the browser tests do on every page: check accessibility with axe-core, and measure."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.async_api import Page

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
