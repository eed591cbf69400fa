"""Milestones: their status and last report, and which are late in the city's working days."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from domain.calendar import WorkingCalendar
from domain.shared import Actor
from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.milestones import queries
from projections.views.milestones.view import MilestonesView
from tests.support.plan import KADIS, SECRETARIAT, PlanSetup, plan_setup

REPORTED_AT = datetime(2024, 12, 10, 3, 0, tzinfo=UTC)


#: The view the ``runner`` fixture runs.
VIEWS = [MilestonesView()]


def year_end_milestones(setup: PlanSetup) -> dict[str, str]:
    """Before Christmas (late, in progress), earlier (approved), after New Year (planned)."""
    app = setup.app
    app.change_due_date(
        setup.milestone_id, due_date=date(2024, 12, 24), reason="Anggaran", by=SECRETARIAT
    )
    app.report_progress(
        setup.milestone_id,
        percent=60,
        note="Server terpasang",
        by=Actor(KADIS.actor_id, "head", REPORTED_AT),
    )
    approved = app.add_milestone(
        setup.program_id,
        code="GOV-01-M0",
        title="Kajian",
        due_date=date(2024, 12, 20),
        by=SECRETARIAT,
    ).id
    app.report_progress(approved, percent=100, by=KADIS)
    app.submit_milestone(approved, by=KADIS)
    app.approve_milestone(approved, by=SECRETARIAT)
    planned = app.add_milestone(
        setup.program_id,
        code="GOV-01-M2",
        title="Pelatihan",
        due_date=date(2025, 1, 3),
        owner_opd="BKPSDM",
        by=SECRETARIAT,
    ).id
    return {"late": str(setup.milestone_id), "approved": str(approved), "planned": str(planned)}


@pytest.fixture
def setup(durable_store: EventStore) -> PlanSetup:
    """A draft plan with one program and one milestone."""
    return plan_setup(durable_store)


@pytest.fixture
def ids(setup: PlanSetup, runner: ProjectionRunner) -> dict[str, str]:
    """The year-end milestones (``year_end_milestones``), projected."""
    found = year_end_milestones(setup)
    runner.catch_up()
    return found


def test_a_milestone_row_shows_program_aspect_and_last_report(
    runner: ProjectionRunner, ids: dict[str, str]
) -> None:
    rows = {r.milestone_id: r for r in queries.milestones(runner.viewstore)}
    late = rows[ids["late"]]
    assert (late.status, late.percent, late.last_note) == ("in-progress", 60.0, "Server terpasang")
    assert late.last_reported_at == REPORTED_AT.isoformat()
    assert (late.program_code, late.aspect, late.quick_win) == ("GOV-01", "governance", True)
    assert late.due_date == date(2024, 12, 24)
    approved = rows[ids["approved"]]
    assert approved.status == "approved"
    assert None not in (approved.submitted_at, approved.approved_at)
    assert [r.code for r in queries.milestones(runner.viewstore, opd="BKPSDM")] == ["GOV-01-M2"]


def test_overdue_counts_working_days_late_across_christmas(
    runner: ProjectionRunner, ids: dict[str, str]
) -> None:
    (late,) = queries.overdue(runner.viewstore, date(2024, 12, 30))
    # Due Tue 24 Dec; 25 (Christmas), 26 (cuti bersama) and the weekend are not working days.
    assert (late.milestone_id, late.working_days_late) == (ids["late"], 2)
    city = WorkingCalendar(local_holidays={date(2024, 12, 27): "Hari jadi kota"})
    (late,) = queries.overdue(runner.viewstore, date(2024, 12, 30), calendar=city)
    assert late.working_days_late == 1
    assert queries.overdue(runner.viewstore, date(2024, 12, 24)) == []
    assert queries.overdue(runner.viewstore, date(2024, 12, 30), opd="BKPSDM") == []


def test_due_soon_looks_ahead_in_working_days(
    setup: PlanSetup, runner: ProjectionRunner, ids: dict[str, str]
) -> None:
    # From Mon 30 Dec: 31 Dec, (1 Jan is New Year), 2 Jan, 3 Jan.
    assert [r.milestone_id for r in queries.due_soon(runner.viewstore, date(2024, 12, 30), 3)] == [
        ids["planned"]
    ]
    assert queries.due_soon(runner.viewstore, date(2024, 12, 30), 2) == []
    setup.app.change_due_date(
        setup.milestone_id, due_date=date(2025, 1, 2), reason="Banjir", by=SECRETARIAT
    )
    runner.catch_up()
    soon = queries.due_soon(runner.viewstore, date(2024, 12, 30), 3)
    assert [r.milestone_id for r in soon] == [ids["late"], ids["planned"]]
    assert queries.overdue(runner.viewstore, date(2024, 12, 30)) == []
