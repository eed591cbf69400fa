"""The deadline board: milestones, deliverables and approval steps; late, escalated, on time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from domain.approvals.application import ApprovalsApplication
from domain.approvals.rules import APPROVE, Ballot, StepSpec
from domain.bimtek import BimtekApplication
from domain.calendar import JAKARTA, end_of_day
from domain.deadlines.application import DeadlinesApplication
from domain.shared import Actor
from infra.store import EventStore
from projections import deadlines_queries as board
from projections.deadlines import DeadlineBoardView
from projections.runner import ProjectionRunner
from tests.domain.plan_fixtures import KADIS, SECRETARIAT, plan_setup

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


@pytest.fixture
def runner(durable_store: EventStore) -> Iterator[ProjectionRunner]:
    """A runner of the deadline board, prepared but not following."""
    projection_runner = ProjectionRunner(durable_store, [DeadlineBoardView()])
    projection_runner.prepare()
    yield projection_runner
    projection_runner.stop()


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
        Ballot(f"{nip}-{day}", nip, opd, "head", APPROVE),
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


def test_overdue_lists_open_deadlines_with_since_and_working_days_late(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    ids = fill(durable_store)
    runner.catch_up()
    late = board.overdue(runner.viewstore, AS_OF)
    assert [d.key for d in late] == [
        f"deliverable:{ids.session_id}/D-1",
        f"milestone:{ids.late_milestone}",
    ]
    assert {(d.owner_opd, d.late_since, d.working_days_late) for d in late} == {
        ("DINKES", date(2024, 12, 25), 2),
        ("DISKOMINFO", date(2024, 12, 25), 2),
    }
    assert [d.kind for d in board.overdue(runner.viewstore, AS_OF, opd="DINKES")] == ["deliverable"]


def test_due_soon_shows_the_opened_step_of_the_next_opd(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    ids = fill(durable_store)
    runner.catch_up()
    (step,) = board.due_soon(runner.viewstore, AS_OF, 3)
    assert step.key == f"approval:{ids.request_id}:1:1:DISKOMINFO"
    assert (step.kind, step.due_date, step.state) == ("approval-step", date(2025, 1, 3), "open")
    assert board.due_soon(runner.viewstore, AS_OF, 2) == []


def test_an_escalated_step_shows_level_and_when_for_the_opd_still_deciding(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    ids = fill(durable_store)
    runner.catch_up()
    (escalated,) = board.escalated(runner.viewstore)
    assert escalated.key == f"approval:{ids.request_id}:1:0:BAPPEDA"
    assert (escalated.escalation_level, escalated.escalated_to) == (1, "SEKDA")
    assert escalated.escalated_at == datetime(2024, 12, 27, 10, tzinfo=JAKARTA).isoformat()
    assert (escalated.state, escalated.subject_status) == ("closed", "approve")
    assert board.escalated(runner.viewstore, open_only=True) == []


def test_on_time_rates_count_decisions_by_due_time_and_milestones_by_due_date(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    fill(durable_store)
    runner.catch_up()
    rates = {r.opd: r for r in board.on_time_rates(runner.viewstore, AS_OF)}
    assert (rates["DINKES"].decisions, rates["DINKES"].decision_rate) == (1, 1.0)
    assert (rates["BAPPEDA"].decisions, rates["BAPPEDA"].decision_rate) == (1, 0.0)
    kominfo = rates["DISKOMINFO"]
    assert (kominfo.decisions, kominfo.decision_rate) == (0, None)
    assert (kominfo.milestones, kominfo.milestones_on_time) == (3, 1)
    # As of 24 Dec BAPPEDA's share was not yet due, and the open milestone not yet late.
    earlier = {r.opd: r for r in board.on_time_rates(runner.viewstore, date(2024, 12, 24))}
    assert earlier["BAPPEDA"].decisions == 0
    assert (earlier["DISKOMINFO"].milestones, earlier["DISKOMINFO"].milestones_on_time) == (2, 1)


def test_a_deadline_track_escalation_lands_on_its_subject_and_a_commitment_gets_a_row(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    ids = fill(durable_store)
    tracks = durable_store.app(DeadlinesApplication)
    subject = str(ids.late_milestone)
    track_id, _ = tracks.track("milestone", subject, "DISKOMINFO", "M1", date(2024, 12, 24))
    tracks.record_overdue(track_id, date(2024, 12, 24), by=at(25))
    tracks.escalate(track_id, 2, date(2024, 12, 24), by=at(27))
    signing, _ = tracks.track("commitment", "C-1", "SETDA", "Komitmen", date(2024, 12, 20))
    runner.catch_up()
    escalated = {d.key: d for d in board.escalated(runner.viewstore, open_only=True)}
    milestone = escalated[f"milestone:{subject}"]
    assert (milestone.escalation_level, milestone.escalated_to) == (2, "INSPEKTORAT")
    noted = datetime(2024, 12, 25, 10, tzinfo=JAKARTA).isoformat()
    # The milestone's own title stays; the track only adds what the engine did about it.
    assert (milestone.overdue_recorded_at, milestone.title) == (noted, "Portal data terbit")
    late = [d.key for d in board.overdue(runner.viewstore, AS_OF, opd="SETDA")]
    assert late == ["commitment:C-1"]
    tracks.close_track(signing, "signed by every required signatory", by=at(28))
    runner.catch_up()
    assert board.overdue(runner.viewstore, AS_OF, opd="SETDA") == []
