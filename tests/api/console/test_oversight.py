"""The oversight pages over the reference city, through the real app (no browser needed):
commitments and bimtek, the deadline board's compliance and Excel file, plan, audit."""

from __future__ import annotations

import re
import sqlite3
from io import BytesIO

import openpyxl
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from api.auth import sign_dev_token
from api.console.i18n import Words
from domain.notifications import NotificationsApplication
from domain.notifications.delivery import Delivery
from domain.shared import SYSTEM, Actor
from infra.scenario import personas
from projections.audit.checkpoints import make_checkpoint
from projections.views.commitments import queries as commitment_queries
from tests.support.city import City


async def signed_in(city: City, role: str, nip: str) -> None:
    """Sign the city's client in on the dev sign-in page as ``nip`` in ``role``."""
    page = await city.client.get("/konsol/masuk")
    found = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert found is not None
    answer = await city.client.post(
        "/konsol/masuk", data={"csrf": found.group(1), "who": f"{role}|{nip}"}
    )
    assert answer.status_code == 303


async def test_commitments_page_names_who_has_not_signed_and_who_missed_a_stage(
    city: City,
) -> None:
    city.catch_up()
    await signed_in(city, "admin", personas.ADMIN)
    page = (await city.client.get("/konsol/komitmen")).text
    assert "35 dari 36 sudah menandatangani" in page
    missing = page.split('class="missing"')[1].split("</ul>")[0]
    dispar = city.organisation().get_person("198201212006011004").name
    assert f"<strong>{dispar}</strong>, Kepala Dinas · DISPAR" in missing
    row = page.split('id="hadir-KEC-SIANTAR-MARIMBUN"')[1].split("</tr>")[0]
    assert row.count("tidak hadir") == 1
    assert "Keluaran yang belum diserahkan dan terlambat" in page
    assert page.count('class="card deliverable"') >= 3


async def test_an_opd_head_sees_only_the_rows_of_the_opd_they_lead(city: City) -> None:
    city.catch_up()
    await signed_in(city, "opd-head", personas.OPD_HEAD)
    page = (await city.client.get("/konsol/komitmen")).text
    assert re.findall(r'id="hadir-([A-Z-]+)"', page) == [personas.OPD_HEAD_OPD]
    assert "DISPAR" not in page


async def test_the_board_shows_compliance_per_opd_and_downloads_the_same_rows(
    city: City,
) -> None:
    city.catch_up()
    await signed_in(city, "inspectorate", personas.INSPECTORATE)
    page = (await city.client.get("/konsol/tenggat?state=overdue&kind=milestone")).text
    shown = re.findall(r'<li class="card">\s*<h2>([^<]+)</h2>', page)
    assert shown
    assert 'id="patuh-DISHUB"' in page
    download = await city.client.get("/konsol/tenggat.xlsx?state=overdue&kind=milestone")
    assert download.status_code == 200
    assert "attachment" in download.headers["content-disposition"]
    sheet = openpyxl.load_workbook(BytesIO(download.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:4] == ("Jenis", "Judul", "OPD", "Tenggat")
    assert [r[1] for r in rows[1:]] == shown
    assert {r[0] for r in rows[1:]} == {"Tonggak capaian"}


async def test_the_download_refuses_what_the_board_refuses(city: City) -> None:
    city.catch_up()
    await signed_in(city, "opd-head", personas.OPD_HEAD)
    refused = await city.client.get("/konsol/tenggat.xlsx?opd=DISHUB")
    assert refused.status_code == 403
    assert "spreadsheet" not in refused.headers["content-type"]


def revise_due_date(city: City) -> tuple[str, str]:
    """An approved revision moving the last milestone of the first program; (old, new) day."""
    plans, plan_id, by = city.plan(), city.summary.plan_id, Actor(personas.ADMIN)
    program = plans.programs_of(plan_id)[0]
    milestone = plans.milestones_of(program.id)[-1]
    change = {
        "kind": "change-due-date", "program": program.code, "milestone": milestone.code,
        "due_date": "2027-06-30", "reason": "Anggaran bergeser ke 2027",
    }  # fmt: skip
    plans.propose_revision(
        plan_id, revision_id="R-1", description="Jadwal dasbor digeser", changes=[change], by=by
    )
    plans.approve_revision(plan_id, revision_id="R-1", by=by)
    return Words("id").day(milestone.due_date), "30 Juni 2027"


async def test_the_plan_page_draws_the_timeline_and_a_revision_as_approved_and_now(
    city: City,
) -> None:
    before, after = revise_due_date(city)
    city.catch_up()
    await signed_in(city, "admin", personas.ADMIN)
    page = (await city.client.get("/konsol/rencana")).text
    svg = page.split("<svg")[1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert 'aria-labelledby="gantt-judul gantt-uraian"' in svg
    assert "<desc" in svg
    table = page.split('id="linimasa-tabel"')[1].split("</table>")[0]
    assert svg.count("<circle") == table.count("<tr>") - 1 > 0, "each milestone, drawn and listed"
    revision = page.split('id="revisi-R-1"')[1].split("</table>")[0]
    assert "Jadwal dasbor digeser" in revision
    cells = re.findall(r"<td>([^<]*)</td>", revision)
    assert cells == [before, after]
    assert "Diusulkan" not in revision, "an approved revision proposes nothing more"


async def test_a_pending_revision_shows_what_it_proposes_beside_now(city: City) -> None:
    plans, plan_id, by = city.plan(), city.summary.plan_id, Actor(personas.ADMIN)
    program = plans.programs_of(plan_id)[0]
    changes = [
        {"kind": "change-owner", "program": program.code, "owner_opd": "BAPPEDA"},
        {"kind": "add-program", "code": "GOV-09", "name": "Program baru", "aspect": program.aspect,
         "owner_opd": "DISKOMINFO"},
        {"kind": "change-target", "program": "GOV-09", "year": 2026, "value": 40},
    ]  # fmt: skip
    plans.propose_revision(
        plan_id, revision_id="R-2", description="Pemilik dipindah", changes=changes, by=by
    )
    city.catch_up()
    await signed_in(city, "admin", personas.ADMIN)
    page = (await city.client.get("/konsol/rencana")).text
    revision = page.split('id="revisi-R-2"')[1].split("</table>")[0]
    assert "menunggu keputusan" in revision
    assert "Diusulkan" in revision
    rows = re.findall(r"<tr><td>(.*?)</tr>", revision)
    assert len(rows) == 3
    assert re.findall(r"<td>([^<]*)</td>", rows[0]) == [program.owner_opd] * 2 + ["BAPPEDA"]
    assert rows[2].endswith("<td>40</td>"), "a target of a program the revision adds"


def commitment_id(city: City) -> str:
    """The id of the reference city's smart-city commitment."""
    summaries = commitment_queries.list_commitments(city.app.state.views)
    return next(c.commitment_id for c in summaries if c.slug.startswith("komitmen"))


async def test_the_audit_page_shows_a_record_on_a_day_and_what_changed_between_two(
    city: City,
) -> None:
    city.catch_up()
    record = commitment_id(city)
    await signed_in(city, "inspectorate", personas.INSPECTORATE)
    asked = "pada=2023-10-17&dari=2023-10-17&sampai=2023-10-18&waktu=effective"
    page = (await city.client.get(f"/konsol/jejak/{record}?{asked}")).text
    state = page.split('id="keadaan-pada"')[1].split("</dl>")[0]
    assert "17 Oktober 2023" in state
    assert "Komitmen Melaksanakan Program Kota Cerdas" in state
    changed = page.split('id="perubahan"')[1].split("</table>")[0]
    assert re.findall(r'<th scope="row">(\w+)</th>', changed)
    assert re.search(r"(\d+) peristiwa di antaranya", page)
    before = await city.client.get(f"/konsol/jejak/{record}?pada=2023-01-01&waktu=effective")
    assert "Belum ada pada saat itu." in before.text


async def test_a_day_that_is_not_a_date_is_refused_in_words(city: City) -> None:
    city.catch_up()
    await signed_in(city, "auditor", personas.AUDITOR)
    answer = await city.client.get(f"/konsol/jejak/{commitment_id(city)}?pada=2023-13-45")
    assert answer.status_code == 422
    assert "Tulis hari sebagai tanggal" in answer.text


async def test_the_audit_page_shows_the_chain_and_the_last_signed_checkpoint(
    city: City,
) -> None:
    city.catch_up()
    await signed_in(city, "auditor", personas.AUDITOR)
    page = (await city.client.get(f"/konsol/jejak/{commitment_id(city)}")).text
    assert "Utuh:" in page.split('id="rantai-status"')[1]
    assert "Belum ada titik periksa" in page
    checkpoint = make_checkpoint(city.app.state.store, Ed25519PrivateKey.generate())
    assert checkpoint is not None
    page = (await city.client.get(f"/konsol/jejak/{commitment_id(city)}")).text
    assert f"posisi {checkpoint.position}" in page.split('id="checkpoint"')[1].split("</p>")[0]


async def test_the_exports_are_the_audit_files_and_only_for_auditors(city: City) -> None:
    await signed_in(city, "auditor", personas.AUDITOR)
    csv = await city.client.get("/konsol/jejak/ekspor?format=csv")
    assert csv.status_code == 200
    assert csv.headers["content-type"].startswith("text/csv")
    assert "jejak-audit.csv" in csv.headers["content-disposition"]
    await signed_in(city, "opd-head", personas.OPD_HEAD)
    assert (await city.client.get("/konsol/jejak/ekspor?format=csv")).status_code == 403


async def test_an_approval_links_to_its_workflow_in_the_temporal_ui_only_when_set(
    city: City,
) -> None:
    request_id = str(city.request_approvals()[0])
    city.catch_up()
    await signed_in(city, "inspectorate", personas.INSPECTORATE)
    assert 'id="temporal"' not in (await city.client.get(f"/konsol/jejak/{request_id}")).text
    ui = {"temporal_ui_url": "http://temporal.kota.test:8233/"}
    city.app.state.settings = city.settings.model_copy(update=ui)
    page = (await city.client.get(f"/konsol/jejak/{request_id}")).text
    link = re.search(r'href="([^"]+)" rel="noopener" id="temporal"', page)
    assert link is not None
    workflow = f"approval%2F{request_id}"
    assert (
        link.group(1) == f"http://temporal.kota.test:8233/namespaces/default/workflows/{workflow}"
    )


def tell(city: City, position: int, subject: str, *channels: str) -> None:
    """A message of outbox ``position`` to the OPD head, by each of ``channels``."""
    notifications = city.app.state.store.app(NotificationsApplication)
    for channel in channels:
        notifications.plan(
            Delivery(
                position=position, kind="reminder", recipient=personas.OPD_HEAD,
                recipient_name="Kepala Bappeda", channel=channel, address="", secret_ref="",
                mode="immediate", language="id", subject=subject, body="", link="",
                **SYSTEM.attribution(),
            )
        )  # fmt: skip


async def test_a_head_reads_their_notifications_and_marks_one_read(city: City) -> None:
    tell(city, 7, "Pengingat: tahap 1 jatuh tempo", "email", "sink")
    tell(city, 9, "Eskalasi ke Sekda", "sink")
    city.catch_up()
    await signed_in(city, "opd-head", personas.OPD_HEAD)
    page = (await city.client.get("/konsol/pemberitahuan")).text
    assert re.findall(r'id="pesan-(\d+)"', page) == ["9", "7"], "one row per message"
    assert "2 pesan belum dibaca" in page
    csrf = re.search(r'name="csrf" value="([^"]+)"', page)
    assert csrf is not None
    forged = await city.client.post("/konsol/pemberitahuan/7/dibaca", data={"csrf": "x"})
    assert forged.status_code == 403
    marked = await city.client.post(
        "/konsol/pemberitahuan/7/dibaca", data={"csrf": csrf.group(1), "belum": "1"}
    )
    assert marked.status_code == 303
    city.catch_up()
    unread = await city.client.get(marked.headers["location"].removeprefix("http://jejak.test"))
    assert re.findall(r'id="pesan-(\d+)"', unread.text) == ["9"]
    assert "1 pesan belum dibaca" in unread.text
    read = (await city.client.get("/konsol/pemberitahuan")).text
    assert "Sudah dibaca" in read.split('id="pesan-7"')[1].split("</li>")[0]
    again = await city.client.post("/konsol/pemberitahuan/7/dibaca", data={"csrf": csrf.group(1)})
    assert again.status_code == 303, "marking it again changes nothing"
    foreign = await city.client.post("/konsol/pemberitahuan/8/dibaca", data={"csrf": csrf.group(1)})
    assert foreign.status_code == 404


async def test_the_api_marks_a_message_read_for_its_recipient_only(city: City) -> None:
    tell(city, 7, "Pengingat", "sink")
    headers = {
        "Authorization": f"Bearer {sign_dev_token(city.settings, personas.OPD_HEAD, 'opd-head')}"
    }
    answer = await city.client.post("/api/v1/me/notifications/7/read", headers=headers)
    assert answer.status_code == 200
    other = await city.client.post(
        "/api/v1/me/notifications/7/read", headers=city.auth("inspectorate")
    )
    assert other.status_code == 404
    city.catch_up()
    mine = await city.client.get("/api/v1/me/notifications", headers=headers)
    assert [d["read_at"] is not None for d in mine.json()["items"]] == [True]


async def test_the_audit_index_links_every_kind_of_record_to_its_trail(city: City) -> None:
    request_id = str(city.request_approvals()[0])
    city.catch_up()
    await signed_in(city, "auditor", personas.AUDITOR)
    page = (await city.client.get("/konsol/jejak")).text
    linked = set(re.findall(r'href="/konsol/jejak/([0-9a-f-]{36})"', page))
    assert {commitment_id(city), request_id} <= linked
    assert len(linked) > 30, "commitments, stages, programs and their milestones"
    trail = await city.client.get(f"/konsol/jejak/{sorted(linked)[0]}")
    assert trail.status_code == 200
    await signed_in(city, "opd-head", personas.OPD_HEAD)
    assert (await city.client.get("/konsol/jejak")).status_code == 403


async def test_the_new_pages_read_in_english_by_choice(city: City) -> None:
    city.catch_up()
    await signed_in(city, "inspectorate", personas.INSPECTORATE)
    page = await city.client.get("/konsol/komitmen")
    csrf = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert csrf is not None
    await city.client.post("/konsol/bahasa", data={"csrf": csrf.group(1), "lang": "en"})
    english = (await city.client.get("/konsol/komitmen")).text
    assert "<h1>Commitments and bimtek</h1>" in english
    assert "35 of 36 signed" in english
    board = (await city.client.get("/konsol/tenggat")).text
    assert "Compliance per OPD" in board
    download = await city.client.get("/konsol/tenggat.xlsx?kind=milestone")
    sheet = openpyxl.load_workbook(BytesIO(download.content)).active
    assert sheet is not None
    header, first = list(sheet.iter_rows(values_only=True))[:2]
    assert header[:2] == ("Kind", "Title")
    assert first[0] == "Milestone"


async def test_the_audit_page_says_where_an_altered_chain_breaks(city: City) -> None:
    city.catch_up()
    record = commitment_id(city)
    await signed_in(city, "auditor", personas.AUDITOR)
    with sqlite3.connect(city.settings.data_dir / "events.db") as conn:
        conn.execute("UPDATE stored_events SET state = state || x'20' WHERE rowid = 5")
    page = (await city.client.get(f"/konsol/jejak/{record}")).text
    status = page.split('id="rantai-status"')[1].split("</p>")[0]
    assert "Rusak pada posisi 5" in status
