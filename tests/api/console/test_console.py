"""The console in a real browser, on the real stack (Temporal, the projector, the API).

The tests of this module share one engine and run in order: a head's decision in one is seen
on the inspectorate's board in the next.
"""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest
from playwright.async_api import Browser, expect

from domain.plan import PlanApplication
from domain.shared import Actor
from infra.scenario import personas
from projections.views.plan_progress.view import PlanProgressView
from tests.api.console.pages import MEASURED, browsing, checked
from tests.api.console.stack import Console, approval_started
from tests.support.engine import head_of

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

PHONE = {"width": 360, "height": 740}
DRAFT_PROGRAM = "Program rancangan yang belum disetujui"


def draft_plan(console: Console) -> int:
    """A second master plan, still a draft, with a quick win nobody approved; its position."""
    plans = console.app.state.store.app(PlanApplication)
    by = Actor(personas.ADMIN)
    created = plans.create_plan(
        city_code="DRAFT", city_name="Kota Rancangan", title="Draft", start_year=2030, by=by
    )
    aspect = plans.get_plan(created.id).aspects[0].id
    plans.add_program(
        created.id, code="D-1", name=DRAFT_PROGRAM, aspect=aspect, owner_opd="DISKOMINFO",
        quick_win=True, by=by,
    )  # fmt: skip
    return int(console.app.state.store.max_position())


async def test_public_page_shows_approved_progress_without_sign_in_and_no_draft(
    console: Console, browser: Browser
) -> None:
    position = draft_plan(console)
    assert console.app.state.views.wait_for([PlanProgressView.name], position, 10)
    async with browsing(browser, console) as page:
        answer = await page.goto(console.url("/publik"))
        assert answer is not None
        assert answer.status == 200
        await expect(page.locator("h1")).to_have_text("Kemajuan rencana kota cerdas")
        await expect(page.locator("#aspek-governance")).to_contain_text("Tata Kelola Pemerintahan")
        await expect(page.locator("main")).not_to_contain_text(DRAFT_PROGRAM)
        await expect(page.locator("main")).not_to_contain_text("Kota Rancangan")
        await checked(page, "Halaman publik")


async def test_sign_in_lists_people_by_role_and_refuses_a_form_without_its_token(
    console: Console, browser: Browser
) -> None:
    async with browsing(browser, console) as page:
        await page.goto(console.url("/masuk"))
        await expect(page.locator("main")).to_contain_text("Kepala OPD")
        await expect(page.locator("main")).to_contain_text("Badan Perencanaan")
        await checked(page, "Masuk")
        forged = await page.request.post(
            console.url("/masuk"), form={"who": f"admin|{personas.ADMIN}"}, max_redirects=0
        )
        assert forged.status == 403
        await page.goto(console.url("/"))
        assert page.url.endswith("/konsol/masuk"), "a refused sign-in signs nobody in"


async def test_a_head_not_deciding_now_sees_no_button_and_a_forged_decision_is_refused(
    console: Console, browser: Browser
) -> None:
    request_id, title = await approval_started(console)
    async with browsing(browser, console, "opd-head", head_of(console, "DISKOMINFO")) as page:
        await page.goto(console.url(f"/persetujuan/{request_id}"))
        await expect(page.locator("h1")).to_have_text(title)
        await expect(page.locator("#no-decision")).to_be_visible()
        await expect(page.get_by_role("button", name="Setujui")).to_have_count(0)
        await checked(page, "Persetujuan")
        csrf = await page.locator('input[name="csrf"]').first.get_attribute("value")
        target = console.url(f"/persetujuan/{request_id}/keputusan")
        form = {"outcome": "approve", "key": "forged-1", "opd": "BAPPEDA"}
        without = await page.request.post(target, form=form)
        wrong = await page.request.post(target, form={**form, "csrf": "not-the-token"})
        refused = await page.request.post(target, form={**form, "csrf": csrf or ""})
        assert (without.status, wrong.status, refused.status) == (403, 403, 403)
        assert "kedaluwarsa" in await wrong.text()
        assert "BAPPEDA" in await refused.text()
        state = console.approvals().snapshot(uuid.UUID(request_id))
        assert not state.steps[0].decisions, "a refused form decides nothing"


async def test_a_head_approves_from_the_inbox_once_and_the_board_shows_the_next_step(
    console: Console, browser: Browser
) -> None:
    request_id, title = await approval_started(console)
    async with browsing(browser, console, "opd-head", personas.OPD_HEAD) as page:
        card = page.locator("li.card", has_text=title)
        await expect(card).to_be_visible()
        await expect(card.locator(".badge").first).to_contain_text("hari kerja")
        await checked(page, "Kotak masuk")
        key = await card.locator('input[name="key"]').get_attribute("value")
        csrf = await card.locator('input[name="csrf"]').get_attribute("value")
        await card.locator("textarea").fill("Sesuai rencana.")
        await card.get_by_role("button", name="Setujui").dblclick()
        answer = page.locator(".ok-note")
        await expect(answer).to_contain_text("Keputusan Anda untuk BAPPEDA telah dicatat")
        await expect(page.locator("main")).to_contain_text("sedang berjalan – tahap 2 (DISKOMINFO)")
        # A retry of the same form (the answer was lost) is the same decision, not a second one.
        retry = await page.request.post(
            console.url(f"/persetujuan/{request_id}/keputusan"),
            form={"csrf": csrf or "", "key": key or "", "outcome": "approve", "opd": "BAPPEDA"},
        )
        assert retry.status == 201, await retry.text()
        state = console.approvals().snapshot(uuid.UUID(request_id))
        assert len(state.steps[0].decisions) == 1
        position = console.last_position()
        await page.goto(console.url(f"/?setelah={position}"))
        await expect(page.locator("li.card", has_text=title).locator("form")).to_have_count(0)

    async with browsing(
        browser, console, "inspectorate", personas.INSPECTORATE, width=1280
    ) as page:
        await page.goto(console.url("/tenggat?state=due-soon&opd=DISKOMINFO"))
        row = page.locator("li.card", has_text=title)
        await expect(row).to_contain_text("Tahap 2 persetujuan")
        await checked(page, "Tenggat")
        await page.goto(console.url("/rencana"))
        await expect(page.locator("#menunggu")).to_be_visible()
        await checked(page, "Rencana induk")
        await page.goto(console.url(f"/persetujuan/{request_id}"))
        await page.locator("main").get_by_role("link", name="Jejak audit").click()
        await expect(page.locator("h1")).to_have_text("Jejak audit")
        await expect(page.locator(".timeline")).to_contain_text(personas.OPD_HEAD)
        await checked(page, "Jejak audit")


async def test_the_sekda_decides_the_escalated_step_and_the_plan_counts_the_milestone(
    console: Console, browser: Browser
) -> None:
    _, title = await approval_started(console)
    async with browsing(browser, console, "leadership", personas.LEADERSHIP) as page:
        card = page.locator("li.card", has_text=title)
        # Its only head submitted the report: DISKOMINFO's step went to the Sekda as it opened.
        await expect(card).to_contain_text("Dieskalasi ke Sekda")
        await card.get_by_role("button", name="Setujui").click()
        await expect(page.locator("main")).to_contain_text("Persetujuan ini sekarang disetujui")

    async with browsing(browser, console, "admin", personas.ADMIN, width=1280) as page:
        for _ in range(100):  # the milestone is approved by the workflow, then projected
            await page.goto(console.url("/rencana"))
            if title not in await page.locator(".waiting-list").inner_text():
                break
            await asyncio.sleep(0.2)
        await expect(page.locator(".waiting-list")).not_to_contain_text(title)
        row = page.locator("details.program tr", has_text=title)
        await expect(row).to_contain_text("disetujui")


async def test_the_secretariat_sees_who_leads_each_opd_and_a_head_may_not(
    console: Console, browser: Browser
) -> None:
    async with browsing(browser, console, "admin", personas.ADMIN, width=1280) as page:
        await page.goto(console.url("/opd"))
        bappeda = page.locator("#opd-BAPPEDA")
        await expect(bappeda).to_contain_text("Kepala")
        await expect(bappeda).to_contain_text("menjabat")
        await checked(page, "OPD dan pejabat")
    async with browsing(browser, console, "opd-head", personas.OPD_HEAD) as page:
        answer = await page.goto(console.url("/opd"))
        assert answer is not None
        assert answer.status == 403
        await expect(page.locator(".problem")).to_contain_text("opd-head")


async def test_the_language_switch_shows_english_and_back(
    console: Console, browser: Browser
) -> None:
    async with browsing(browser, console) as page:
        await page.goto(console.url("/publik"))
        await page.get_by_role("button", name="English").click()
        await expect(page.locator("h1")).to_have_text("Progress of the smart-city plan")
        assert await page.locator("html").get_attribute("lang") == "en"
        await page.get_by_role("button", name="Bahasa Indonesia").click()
        await expect(page.locator("h1")).to_have_text("Kemajuan rencana kota cerdas")
    lines = [
        f"{name}: {m.server_ms} ms, {m.weight_kb} KB, axe {m.violations}"
        for name, m in MEASURED.items()
    ]
    print("\n".join(lines))
    assert re.search("Kotak masuk", "\n".join(lines))
