"""The Evaluasi page in a real browser (Chromium) on the real stack, at phone and desktop
width, checked by axe-core: the secretariat reads the sample 2024 evaluation and approves a
citizen's feedback; an assessor reads the package and moderates nothing."""

from __future__ import annotations

import uuid

import pytest
from playwright.async_api import Browser, expect

from api.auth import DEV_USERS, Role
from domain.evaluation import EvaluationApplication
from domain.shared import Actor
from infra.scenario import personas
from projections.views.evaluation.comments import CommentsView
from tests.api.console.pages import browsing, checked
from tests.api.console.stack import Console

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

WIDTHS = (360, 1280)
COMMENT = "Taman kota bersih dan ramai dikunjungi"


async def test_the_secretariat_reads_the_evaluation_and_approves_a_feedback(
    console: Console, browser: Browser
) -> None:
    evaluations = console.app.state.store.app(EvaluationApplication)
    feedback_id, position = evaluations.give_feedback(
        uuid.uuid4(), program_code="QW-2", key=f"browser-{uuid.uuid4()}", rating=5,
        comment=COMMENT, by=Actor(personas.PUBLIC),
    )  # fmt: skip
    assert console.app.state.views.wait_for([CommentsView.name], position, 10)
    for width in WIDTHS:
        async with browsing(browser, console, "admin", personas.ADMIN, width=width) as page:
            await page.goto(console.url("/evaluasi"))
            await expect(page.locator("h1")).to_have_text("Evaluasi")
            await expect(page.locator("#evaluasi-tahun")).to_contain_text("2024")
            await expect(page.locator('#tahap-proses [aria-current="step"]')).to_contain_text(
                "Diterbitkan"
            )
            await expect(page.locator("#dimensi-outcome")).to_contain_text("Outcome")
            chart = page.get_by_role("img", name="Indeks per dimensi dari tahun ke tahun - SIANTAR")
            await expect(chart).to_be_visible()
            await expect(page.get_by_role("link", name="Hasil evaluasi (PDF)")).to_be_visible()
            await checked(page, "Evaluasi" if width == 360 else "Evaluasi (desktop)")
            if width == 360:
                card = page.locator(f"#umpan-balik-{feedback_id}")
                await expect(card).to_contain_text(COMMENT)
                await card.get_by_role("button", name="Setujui").click()
                await expect(page.locator(f"#umpan-balik-{feedback_id}")).to_have_count(0)


async def test_an_assessor_reads_the_package_and_no_feedback(
    console: Console, browser: Browser
) -> None:
    assessor = ("assessor", DEV_USERS[Role.ASSESSOR][0])
    async with browsing(browser, console, *assessor, width=360) as page:
        await page.goto(console.url("/evaluasi"))
        await expect(page.locator("#nilai-indeks")).to_be_visible()
        await expect(page.locator("#moderasi")).to_have_count(0)
        await expect(page.get_by_role("link", name="Tenggat")).to_have_count(0)
        await checked(page, "Evaluasi (asesor)")
