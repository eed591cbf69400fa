"""Every console page, who opens it, and the few records that give each page something to
show on the reference city: an approval under way, an approved plan revision, messages to
an OPD head. Shared by `make screenshots` and the measurement report."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.notifications import NotificationsApplication
from domain.notifications.delivery import Delivery
from domain.shared import SYSTEM, Actor
from infra.scenario import personas
from projections.views.commitments import queries as commitment_queries
from tests.api.console.stack import Console, approval_started

HEAD = ("opd-head", personas.OPD_HEAD)
ADMIN = ("admin", personas.ADMIN)
INSPECTORATE = ("inspectorate", personas.INSPECTORATE)
AUDITOR = ("auditor", personas.AUDITOR)


@dataclass(frozen=True)
class Stop:
    """One page of the tour: its file name, title, path, and who signs in (None: nobody)."""

    name: str
    title: str
    path: str
    who: tuple[str, str] | None


def revise(console: Console) -> None:
    """An approved revision of the plan: the last milestone of the first program moves."""
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


def tell(console: Console) -> None:
    """Two messages to the OPD head, as the sender's planner would keep them."""
    notifications = console.app.state.store.app(NotificationsApplication)
    for position, subject in ((1, "Pengingat: tahap 1 jatuh tempo 2 hari kerja lagi"),
                              (2, "Tahap 1 persetujuan sudah lewat tenggat")):  # fmt: skip
        notifications.plan(
            Delivery(
                position=position, kind="reminder", recipient=personas.OPD_HEAD,
                recipient_name="Kepala Bappeda", channel="sink", address="", secret_ref="",
                mode="immediate", language="id", subject=subject, body="", link="",
                **SYSTEM.attribution(),
            )
        )  # fmt: skip


async def prepared(console: Console) -> list[Stop]:
    """Give the pages their records, wait for the read models, and list every page."""
    request_id, _ = await approval_started(console)
    revise(console)
    tell(console)
    views = console.app.state.views
    position = int(console.app.state.store.max_position())
    assert views.wait_for(list(views.positions()), position, 30)
    commitment = next(
        c.commitment_id
        for c in commitment_queries.list_commitments(views)
        if c.slug.startswith("komitmen")
    )
    asked = f"/jejak/{commitment}?pada=2023-10-18&dari=2023-10-17&sampai=2023-10-19"
    return [
        Stop("publik", "Halaman publik", "/publik", None),
        Stop("masuk", "Masuk", "/masuk", None),
        Stop("kotak-masuk", "Kotak masuk", "/", HEAD),
        Stop("persetujuan", "Persetujuan", f"/persetujuan/{request_id}", HEAD),
        Stop("pemberitahuan", "Pemberitahuan", "/pemberitahuan", HEAD),
        Stop("tenggat", "Tenggat", "/tenggat?state=overdue", INSPECTORATE),
        Stop("komitmen", "Komitmen dan bimtek", "/komitmen", ADMIN),
        Stop("rencana", "Rencana induk", "/rencana", ADMIN),
        Stop("opd", "OPD dan pejabat", "/opd", ADMIN),
        Stop("evaluasi", "Evaluasi", "/evaluasi", ADMIN),
        Stop("jejak", "Jejak audit: indeks", "/jejak", AUDITOR),
        Stop("jejak-audit", "Jejak audit: persetujuan", f"/jejak/{request_id}", INSPECTORATE),
        Stop("jejak-keadaan", "Jejak audit: keadaan", f"{asked}&waktu=effective", AUDITOR),
    ]
