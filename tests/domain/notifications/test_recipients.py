"""Who a message is for on its day: the office holder, the Sekda, the Inspektorat."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.calendar import CalendarApplication
from domain.notifications import Alert, NotificationsApplication, Planner, PlanOptions
from domain.organisation import OrganisationApplication
from domain.shared import Actor
from infra.store import EventStore

STAFF = Actor("196601011990011001")
HEAD, PLT, SEKDA, INSPEKTUR = (
    "197001011995011001", "198204142008011005", "196905171993011006", "197207231998071004",
)  # fmt: skip


@pytest.fixture
def store() -> Iterator[EventStore]:
    found = EventStore("memory://")
    organisation = found.app(OrganisationApplication)
    for code, name, kind, nip in (
        ("DISPAR", "Dinas Pariwisata", "dinas", HEAD),
        ("SETDA", "Sekretariat Daerah", "sekretariat", SEKDA),
        ("INSPEKTORAT", "Inspektorat", "inspektorat", INSPEKTUR),
    ):
        organisation.register_opd(code, name, kind, "Kepala Dinas", by=STAFF)
        organisation.register_person(nip, f"Kepala {code}", by=STAFF)
        organisation.appoint_head(code, nip, date(2020, 1, 2), f"SK/{code}", by=STAFF)
    organisation.register_person(PLT, "Tagor Contoh", by=STAFF)
    organisation.appoint_acting(
        "DISPAR", "plt", PLT, "SK/PLT/1", date(2023, 8, 1), date(2024, 1, 31), by=STAFF
    )
    yield found
    found.close()


def planner(store: EventStore) -> Planner:
    return Planner(
        store.app(NotificationsApplication),
        store.app(OrganisationApplication),
        store.app(CalendarApplication),
        store.app(ApprovalsApplication),
        PlanOptions(sink=True),
    )


def alert(position: int, kind: str, recipients: str, on: str, due: str = "2023-10-20") -> Alert:
    return Alert(
        position, kind, "milestone", "m-1", "Peta wisata digital", recipients, "H-2",
        1 if kind == "escalation" else 0, due, f"{on}T09:00:00+07:00", owners="DISPAR",
    )  # fmt: skip


def test_the_plt_in_office_is_told_instead_of_the_head(store: EventStore) -> None:
    deliveries = planner(store).plan(alert(7, "reminder", "DISPAR", "2023-10-18"))
    assert [(d.recipient, d.channel) for d in deliveries] == [(PLT, "sink")]
    assert "Plt. Kepala Dinas Pariwisata" in deliveries[0].body
    assert "2 hari kerja lagi" in deliveries[0].body


def test_the_head_is_told_once_the_plt_has_left(store: EventStore) -> None:
    deliveries = planner(store).plan(alert(8, "overdue", "DISPAR", "2024-02-05", "2024-02-01"))
    assert [d.recipient for d in deliveries] == [HEAD]
    assert "terlambat 2 hari kerja" in deliveries[0].body


def test_escalations_go_to_the_sekda_then_the_inspektur(store: EventStore) -> None:
    first = planner(store).plan(alert(9, "escalation", "SEKDA", "2023-10-25"))
    second = planner(store).plan(alert(10, "escalation", "INSPEKTORAT", "2023-10-27"))
    assert [d.recipient for d in first + second] == [SEKDA, INSPEKTUR]
    assert "milik DISPAR" in first[0].body


def test_planning_the_same_message_again_finds_the_same_deliveries(store: EventStore) -> None:
    once = planner(store).plan(alert(11, "reminder", "DISPAR", "2023-10-18"))
    again = planner(store).plan(alert(11, "reminder", "DISPAR", "2023-10-18"))
    assert [d.id for d in once] == [d.id for d in again]
    assert again[0].version == 1


def test_an_escalation_on_the_due_day_says_the_due_day_is_past(store: EventStore) -> None:
    deliveries = planner(store).plan(alert(12, "escalation", "SEKDA", "2023-10-20"))
    assert "Batas waktu: 2023-10-20, sudah lewat." in deliveries[0].body
