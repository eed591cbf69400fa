"""A deadline board's worth of events: late and timely milestones, a deliverable, an approval."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from domain.approvals.application import ApprovalsApplication
from domain.approvals.values import Ballot, StepSpec, Verdict
from domain.bimtek import BimtekApplication
from domain.calendar import JAKARTA, end_of_day
from domain.shared import Actor
from infra.store import EventStore
from tests.support.plan import KADIS, SECRETARIAT, plan_setup

SUBMITTER = "198001012005011001"
AS_OF = date(2024, 12, 30)


def at(day: int, month: int = 12, year: int = 2024) -> Actor:
    """The secretariat acting at 10:00 WIB on a day."""
    return Actor(SECRETARIAT.actor_id, "staff", datetime(year, month, day, 10, tzinfo=JAKARTA))


@dataclass
class Board:
    """The ids of what the tests put on the board."""

    late_milestone: uuid.UUID
    request_id: uuid.UUID
    session_id: uuid.UUID


def milestones(store: EventStore) -> uuid.UUID:
    """DISKOMINFO's milestones: one late and open, one approved on time, one approved late."""
    setup = plan_setup(store)
    app = setup.app
    app.change_due_date(
        setup.milestone_id, due_date=date(2024, 12, 24), reason="Anggaran", by=SECRETARIAT
    )
    for code, due, approved_on in (("M-ON", 20, 18), ("M-LATE", 10, 16)):
        milestone = app.add_milestone(
            setup.program_id, code=code, title=code, due_date=date(2024, 12, due), by=SECRETARIAT
        ).id
        app.report_progress(milestone, percent=100, by=KADIS)
        app.submit_milestone(milestone, by=KADIS)
        app.approve_milestone(milestone, by=at(approved_on))
    return setup.milestone_id


def deliverable(store: EventStore) -> uuid.UUID:
    """DINKES owes its draft section by 24 Dec 2024."""
    app = store.app(BimtekApplication)
    session_id, _ = app.create_session(
        city_code="SIANTAR",
        stage_number=5,
        title="Bimtek tahap 5",
        start_date=date(2024, 12, 2),
        end_date=date(2024, 12, 3),
        venue="Bappeda",
        organiser_opd="DISKOMINFO",
        invited_opds=["DINKES"],
        by=SECRETARIAT,
    )
    app.assign_deliverable(
        session_id,
        deliverable_id="D-1",
        opd_code="DINKES",
        title="Draf bab kesehatan",
        due_date=date(2024, 12, 24),
        by=SECRETARIAT,
    )
    return session_id


def decide(app: ApprovalsApplication, request_id: uuid.UUID, opd: str, day: int) -> None:
    """The head of ``opd`` approves the open step at 10:00 WIB on ``day`` December 2024."""
    nip = f"NIP-{opd}"
    when = datetime(2024, 12, day, 10, tzinfo=JAKARTA)
    app.decide(
        request_id,
        Ballot(f"{nip}-{day}", nip, opd, "head", Verdict.APPROVE),
        "ok",
        by=Actor(nip, "head", when),
    )


def approval(store: EventStore) -> uuid.UUID:
    """Step 0 (DINKES, BAPPEDA) due 24 Dec: DINKES on time, BAPPEDA late after escalation."""
    app = store.app(ApprovalsApplication)
    route = [StepSpec(0, ("DINKES", "BAPPEDA")), StepSpec(1, ("DISKOMINFO",))]
    request_id, _ = app.request_approval(
        "milestone-report", "M1", "Laporan M1", "DISKOMINFO", SUBMITTER, route, by=SECRETARIAT
    )
    app.open_step(request_id, 0, end_of_day(date(2024, 12, 24)), by=at(19))
    decide(app, request_id, "DINKES", 23)
    app.escalate(request_id, 0, 1, by=at(27))
    decide(app, request_id, "BAPPEDA", 30)
    app.open_step(request_id, 1, end_of_day(date(2025, 1, 3)), by=at(30))
    return request_id


def fill(store: EventStore) -> Board:
    """Milestones, a deliverable and an approval, as of the end of December 2024."""
    return Board(milestones(store), approval(store), deliverable(store))
