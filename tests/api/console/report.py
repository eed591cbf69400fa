"""`python -m tests.api.console.report`: every console page measured on the reference city.

For each page, in Chromium driven by Playwright: its weight is every byte Chromium received
for it on a first visit with an empty cache (HTML, stylesheet, script: bodies and headers,
as Playwright's ``Request.sizes()`` reports them); its server time is the median, over
warm visits, of request sent to first byte of the HTML (``responseStart - requestStart``);
axe-core counts its WCAG 2.1 A/AA violations by impact. Prints the table and writes it to
``docs/console.md``.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import tempfile
from dataclasses import dataclass
from pathlib import Path

from playwright.async_api import Browser, Page, Request

from tests.api.console.pages import MAX_PAGE_KB, MAX_SERVER_MS, axe_violations
from tests.api.console.stack import Console, chromium_browser, serving, sign_in
from tests.api.console.tour import Stop, prepared
from tests.support.temporal import dev_server

OUT = Path("docs/console.md")
#: Warm visits whose server times give the median.
VISITS = 7


@dataclass(frozen=True)
class Row:
    """One page as measured."""

    stop: Stop
    server_ms: float
    weight_kb: float
    axe: dict[str, int]

    @property
    def within(self) -> bool:
        """Whether the page meets both budgets and has no serious or critical violation."""
        blocking = self.axe["serious"] + self.axe["critical"]
        return self.server_ms < MAX_SERVER_MS and self.weight_kb < MAX_PAGE_KB and not blocking


async def transferred(page: Page, url: str) -> int:
    """Bytes Chromium received (headers and bodies) loading ``url`` with an empty cache."""
    requests: list[Request] = []

    def finished(request: Request) -> None:
        requests.append(request)

    page.on("requestfinished", finished)
    await page.goto(url, wait_until="load")
    sizes = [await r.sizes() for r in requests]
    page.remove_listener("requestfinished", finished)
    return sum(s["responseBodySize"] + s["responseHeadersSize"] for s in sizes)


async def server_ms(page: Page, url: str) -> float:
    """The median time from sending the page's request to its first byte, warm."""
    times = []
    for _ in range(VISITS):
        await page.goto(url)
        times.append(
            await page.evaluate(
                "() => { const n = performance.getEntriesByType('navigation')[0];"
                " return n.responseStart - n.requestStart; }"
            )
        )
    return round(statistics.median(times), 1)


async def measured(console: Console, browser: Browser, stop: Stop) -> Row:
    """One page: weight on a first visit, axe-core, then its warm server time."""
    context = await browser.new_context(viewport={"width": 360, "height": 800})
    try:
        page = await context.new_page()
        if stop.who is not None:
            await sign_in(page, console, *stop.who)
        url = console.url(stop.path)
        # Signing in loaded the stylesheet and htmx: empty the cache so the page counts them.
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.clearBrowserCache")
        weight = await transferred(page, url)
        axe, _ = await axe_violations(page)
        return Row(stop, await server_ms(page, url), round(weight / 1024, 1), axe)
    finally:
        await context.close()


def table(rows: list[Row], load: float) -> str:
    """The measurements as Markdown; ``load``: the machine's load average while measuring."""
    lines = [
        "# Console pages, measured",
        "",
        "Written by `python -m tests.api.console.report` (also run by `make screenshots`) on",
        "the reference city (Pematang Siantar), the whole engine running on this machine:",
        f"server time is the median over {VISITS} warm visits of request-to-first-byte of the",
        "page's HTML as Chromium times it; weight is every byte Chromium received on a first",
        "visit with an empty cache (HTML, stylesheet, htmx; bodies and headers, from",
        "Playwright's `Request.sizes()`); axe-core counts WCAG 2.1 A/AA violations by impact",
        "(minor / moderate / serious / critical). Budgets: under",
        f"{MAX_SERVER_MS} ms and {MAX_PAGE_KB} KB, no serious or critical violation.",
        f"Measured with a load average of {load:.1f} on {os.cpu_count()} cores (other work",
        "shared the machine: server times are upper bounds, not the quiet machine's).",
        "",
        "| page | path | signed in as | server time (ms) | weight (KB) | axe-core "
        "| within budget |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        path = r.stop.path.split("?")[0] if len(r.stop.path) > 40 else r.stop.path
        shown = "/".join("{id}" if len(p) == 36 else p for p in path.split("/"))
        axe = " / ".join(str(r.axe[k]) for k in ("minor", "moderate", "serious", "critical"))
        who = r.stop.who[0] if r.stop.who else "nobody"
        ok = "yes" if r.within else "NO"
        lines.append(
            f"| {r.stop.title} | `{shown}` | {who} | {r.server_ms} | {r.weight_kb} | {axe} | {ok} |"
        )
    return "\n".join(lines) + "\n"


async def main() -> str:
    """Start the engine, measure every page; the table."""
    with tempfile.TemporaryDirectory() as tmp:
        async with (
            dev_server() as env,
            serving(Path(tmp), env) as console,
            chromium_browser() as browser,
        ):
            stops = await prepared(console)
            rows = [await measured(console, browser, stop) for stop in stops]
    return table(rows, os.getloadavg()[1])


if __name__ == "__main__":
    written = asyncio.run(main())
    OUT.write_text(written)
    print(written)
