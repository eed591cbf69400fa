"""The oversight pages in a real browser (Chromium) on the real stack, at phone and desktop
width, each checked by axe-core: commitments and bimtek, the board's compliance and its Excel
file, the plan's timeline and revisions, the audit trail, and a person's notifications."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import openpyxl
import pytest
from playwright.async_api import Browser, expect

from domain.notifications import NotificationsApplication
from domain.notifications.delivery import Delivery
from domain.shared import SYSTEM, Actor
from infra.scenario import personas
from projections.views.milestones.view import MilestonesView
from projections.views.notifications.view import NotificationsView
from tests.api.console.pages import browsing, checked
from tests.api.console.stack import Console

pytestmark = [pytest.mark.temporal, pytest.mark.asyncio(loop_scope="session")]

WIDTHS = (360, 1280)


def settled(console: Console, *views: str) -> None:
    """Wait until the named read models include everything recorded so far."""
    position = int(console.app.state.store.max_position())
    assert console.app.state.views.wait_for(list(views), position, 10)


async def test_the_secretariat_sees_who_has_not_signed_and_who_missed_a_stage(
    console: Console, browser: Browser
) -> None:
    for width in WIDTHS:
        async with browsing(browser, console, "admin", personas.ADMIN, width=width) as page:
            await page.goto(console.url("/komitmen"))
            await expect(page.locator("h1")).to_have_text("Komitmen dan bimtek")
            await expect(page.locator(".missing").first).to_contain_text("DISPAR")
            row = page.locator("#hadir-KEC-SIANTAR-MARIMBUN")
            await expect(row).to_contain_text("tidak hadir")
            await expect(page.locator(".deliverable").first).to_contain_text("Terlambat")
            await checked(page, "Komitmen dan bimtek" if width == 360 else "Komitmen (desktop)")


async def test_the_inspectorate_downloads_the_filtered_board_as_excel(
    console: Console, browser: Browser, tmp_path: Path
) -> None:
    for width in WIDTHS:
        async with browsing(
            browser, console, "inspectorate", personas.INSPECTORATE, width=width
        ) as page:
            await page.goto(console.url("/tenggat"))
            await page.get_by_label("Jenis").select_option("milestone")
            await page.get_by_role("button", name="Saring").click()
            await expect(page.locator("#patuh-DISHUB")).to_be_visible()
            titles = await page.locator("ul.cards li.card h2").all_inner_texts()
            assert titles
            async with page.expect_download() as waiting:
                await page.get_by_role("link", name="Unduh sebagai Excel").click()
            saved = tmp_path / f"tenggat-{width}.xlsx"
            await (await waiting.value).save_as(saved)
            sheet = openpyxl.load_workbook(saved).active
            assert sheet is not None
            rows = list(sheet.iter_rows(values_only=True))
            assert rows[0][:3] == ("Jenis", "Judul", "OPD")
            assert [r[1] for r in rows[1:]] == titles, "the same rows as the filtered board"
            await checked(page, "Tenggat" if width == 360 else "Tenggat (desktop)")


async def test_the_plan_shows_its_timeline_and_a_revision_as_approved_and_now(
    console: Console, browser: Browser
) -> None:
    plans, plan_id, by = console.plan(), console.summary.plan_id, Actor(personas.ADMIN)
    program = plans.programs_of(plan_id)[0]
    milestone = plans.milestones_of(program.id)[-1]
    change = {
        "kind": "change-due-date", "program": program.code, "milestone": milestone.code,
        "due_date": date(2027, 6, 30), "reason": "Anggaran bergeser ke 2027",
    }  # fmt: skip
    plans.propose_revision(
        plan_id, revision_id="R-1", description="Jadwal dasbor digeser", changes=[change], by=by
    )
    plans.approve_revision(plan_id, revision_id="R-1", by=by)
    settled(console, MilestonesView.name)
    for width in WIDTHS:
        async with browsing(browser, console, "admin", personas.ADMIN, width=width) as page:
            await page.goto(console.url("/rencana"))
            chart = page.get_by_role("img", name="Linimasa tonggak capaian per tahun")
            await expect(chart).to_be_visible()
            await page.get_by_text("Linimasa dalam bentuk tabel").click()
            await expect(page.locator("#linimasa-tabel")).to_contain_text(milestone.title)
            revision = page.locator("#revisi-R-1")
            await expect(revision).to_contain_text("Jadwal dasbor digeser")
            await expect(revision.locator("td").nth(2)).to_have_text("30 Juni 2027")
            await checked(page, "Rencana induk" if width == 360 else "Rencana (desktop)")


async def test_an_auditor_finds_a_record_and_sees_it_on_a_day_and_between_two(
    console: Console, browser: Browser
) -> None:
    for width in WIDTHS:
        async with browsing(browser, console, "auditor", personas.AUDITOR, width=width) as page:
            await page.goto(console.url("/jejak"))
            await checked(page, "Jejak audit (indeks)" if width == 360 else "Indeks (desktop)")
            await page.get_by_role("link", name="Komitmen Melaksanakan Program Kota Cerdas").click()
            await expect(page.locator("#rantai-status")).to_contain_text("Utuh")
            await page.get_by_label("Keadaan pada", exact=True).fill("2023-10-17")
            await page.get_by_label("Perubahan dari", exact=True).fill("2023-10-17")
            await page.get_by_label("sampai", exact=True).fill("2023-10-18")
            await page.get_by_label("Waktu", exact=True).select_option("effective")
            await page.get_by_role("button", name="Tampilkan").click()
            await expect(page.locator("#keadaan-pada")).to_contain_text("17 Oktober 2023")
            await expect(page.locator("#perubahan")).to_be_visible()
            await expect(page.get_by_role("link", name="Excel")).to_be_visible()
            await checked(page, "Jejak audit" if width == 360 else "Jejak audit (desktop)")


async def test_a_head_reads_a_notification_and_marks_it_read(
    console: Console, browser: Browser
) -> None:
    notifications = console.app.state.store.app(NotificationsApplication)
    for position, subject in ((101, "Pengingat: tahap 1 jatuh tempo"), (102, "Eskalasi ke Sekda")):
        notifications.plan(
            Delivery(
                position=position, kind="reminder", recipient=personas.OPD_HEAD,
                recipient_name="Kepala Bappeda", channel="sink", address="", secret_ref="",
                mode="immediate", language="id", subject=subject, body="", link="",
                **SYSTEM.attribution(),
            )
        )  # fmt: skip
    settled(console, NotificationsView.name)
    for width in WIDTHS:
        async with browsing(browser, console, "opd-head", personas.OPD_HEAD, width=width) as page:
            await page.goto(console.url("/pemberitahuan"))
            await checked(page, "Pemberitahuan" if width == 360 else "Pemberitahuan (desktop)")
            if width == 360:
                await expect(page.locator("#belum-dibaca")).to_contain_text("2 pesan")
                card = page.locator("#pesan-101")
                await card.get_by_role("button", name="Tandai sudah dibaca").click()
                await expect(page.locator("#pesan-101")).to_contain_text("Sudah dibaca")
                await expect(page.locator("#belum-dibaca")).to_contain_text("1 pesan")
