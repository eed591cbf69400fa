"""The deadline board: milestones, deliverables and approval steps; late, escalated, on time."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import JAKARTA
from domain.deadlines.application import DeadlinesApplication
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.deadlines import queries as board
from projections.views.deadlines.view import DeadlineBoardView
from tests.projections.views.deadlines.board_log import AS_OF, at, fill

#: The view the ``runner`` fixture runs.
VIEWS = [DeadlineBoardView()]


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
