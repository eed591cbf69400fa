"""Plan progress: milestones weigh into programs, programs into aspects and owner OPDs."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest

from domain.calendar import WorkingCalendar
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.store import EventStore
from projections.engine import operations
from projections.engine.runner import ProjectionRunner
from projections.engine.view import View
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.milestones import queries as milestone_queries
from projections.views.milestones.view import MilestonesView
from projections.views.plan_progress import queries as progress
from projections.views.plan_progress.view import PlanProgressView
from tests.support.plan import KADIS, SECRETARIAT, PlanSetup, plan_setup

#: The view the ``runner`` fixture runs.
VIEWS = [PlanProgressView()]


def governance_with_two_programs(setup: PlanSetup) -> None:
    """GOV-01 (quick win): M1 weight 1 done at 100%, M2 weight 3 planned; GOV-02 weight 3 with
    50% reported and not yet approved, so it counts for nothing yet."""
    app = setup.app
    app.add_milestone(
        setup.program_id,
        code="GOV-01-M2",
        title="Layanan terpadu",
        due_date=date(2025, 6, 30),
        weight=3,
        by=SECRETARIAT,
    )
    app.report_progress(setup.milestone_id, percent=100, note="Portal live", by=KADIS)
    app.submit_milestone(setup.milestone_id, by=KADIS)
    app.approve_milestone(setup.milestone_id, by=SECRETARIAT)
    app.complete_milestone(setup.milestone_id, by=SECRETARIAT)
    other = app.add_program(
        setup.plan_id,
        code="GOV-02",
        name="Adminduk daring",
        aspect="governance",
        owner_opd="DISDUKCAPIL",
        weight=3,
        by=SECRETARIAT,
    ).id
    milestone = app.add_milestone(
        other, code="GOV-02-M1", title="KTP daring", due_date=date(2024, 12, 31), by=SECRETARIAT
    ).id
    app.report_progress(milestone, percent=50, by=KADIS)


def test_program_progress_weighs_milestones_and_matches_the_domain(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    setup = plan_setup(durable_store)
    governance_with_two_programs(setup)
    runner.catch_up()
    gov01, gov02 = progress.programs(runner.viewstore, aspect="governance")
    assert (gov01.code, gov01.progress, gov01.quick_win, gov01.milestones) == (
        "GOV-01",
        25.0,
        True,
        2,
    )
    assert (gov01.by_status["done"], gov01.by_status["planned"]) == (1, 1)
    assert gov01.progress == setup.app.program_progress(setup.program_id)
    assert (gov02.code, gov02.progress, gov02.quick_win) == ("GOV-02", 0.0, False)
    assert (gov01.reported_progress, gov02.reported_progress) == (25.0, 50.0)
    assert [p.code for p in progress.programs(runner.viewstore, quick_win=True)] == ["GOV-01"]
    assert [p.code for p in progress.programs(runner.viewstore, owner="DISDUKCAPIL")] == ["GOV-02"]


def test_aspects_weigh_programs_and_roll_up_quick_wins_apart(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    setup = plan_setup(durable_store)
    governance_with_two_programs(setup)
    runner.catch_up()
    rows = progress.aspects(runner.viewstore, str(setup.plan_id))
    assert [a.key for a in rows][:2] == ["governance", "transportation"]
    assert len(rows) == 6
    governance = rows[0]
    assert governance.progress == pytest.approx((1 * 25 + 3 * 0) / 4)
    assert governance.reported_progress == pytest.approx((1 * 25 + 3 * 50) / 4)
    assert governance.quick_win_progress == 25.0
    assert (governance.programs, governance.quick_wins, governance.milestones) == (2, 1, 3)
    assert governance.by_status == {
        "planned": 1,
        "in-progress": 1,
        "submitted": 0,
        "returned": 0,
        "approved": 0,
        "done": 1,
    }
    transportation = rows[1]
    assert (transportation.progress, transportation.quick_win_progress) == (0.0, None)
    assert transportation.label_id == "Transportasi"


def test_opds_roll_up_the_programs_they_own(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    setup = plan_setup(durable_store)
    governance_with_two_programs(setup)
    runner.catch_up()
    rows = {r.key: r for r in progress.opds(runner.viewstore)}
    assert sorted(rows) == ["DISDUKCAPIL", "DISKOMINFO"]
    assert (rows["DISKOMINFO"].progress, rows["DISKOMINFO"].quick_win_progress) == (25.0, 25.0)
    assert (rows["DISDUKCAPIL"].progress, rows["DISDUKCAPIL"].milestones) == (0.0, 1)
    assert rows["DISDUKCAPIL"].reported_progress == 50.0


def test_weight_changes_and_an_approved_new_aspect_change_the_roll_up(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    setup = plan_setup(durable_store)
    governance_with_two_programs(setup)
    app = setup.app
    app.approve_plan(setup.plan_id, by=SECRETARIAT)
    smart_people = {
        "kind": "add-aspect",
        "id": "culture",
        "label_en": "Culture",
        "label_id": "Budaya",
    }
    app.propose_revision(
        setup.plan_id,
        revision_id="R-1",
        description="Aspek budaya",
        changes=[smart_people, {"kind": "change-weight", "program": "GOV-02", "weight": 1}],
        by=SECRETARIAT,
    )
    runner.catch_up()
    assert [a.key for a in progress.aspects(runner.viewstore)][-1] == "human-resources"
    app.approve_revision(setup.plan_id, revision_id="R-1", by=SECRETARIAT)
    runner.catch_up()
    rows = progress.aspects(runner.viewstore)
    assert [a.key for a in rows][-1] == "culture"
    assert rows[0].reported_progress == pytest.approx((1 * 25 + 1 * 50) / 2)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[EventStore, str]]:
    """The reference scenario in a SQLite store, loaded once for this module."""
    store = EventStore(f"sqlite:///{tmp_path_factory.mktemp('scenario') / 'events.db'}")
    summary = load_reference_scenario(ScenarioApps.of(store.app))
    try:
        yield store, str(summary.plan_id)
    finally:
        store.close()


#: Approved progress per aspect of the reference plan, worked out by hand from its milestones
#: (all weight 1): only the milestones approved and done count, at 100; reported, submitted
#: and returned ones count 0. E.g. governance is GOV-01 (100 + 0 + 0) / 3, GOV-02 (100 + 0) / 2
#: and GOV-03 (100 + 0) / 2. Then the quick wins' approved progress.
REFERENCE_ASPECTS = {
    "governance": ((100 / 3 + 50 + 50) / 3, 100 / 3),
    "transportation": ((100 / 3 + 0) / 2, 100 / 3),
    "economy": ((50 + 50 + 0) / 3, 50.0),
    "environment": ((50 + 0) / 2, 50.0),
    "quality-of-life": ((50 + 0) / 2, 50.0),
    "human-resources": ((50 + 0) / 2, 50.0),
}
#: Reported progress beside it: the latest reports, awaiting approval included, e.g. GOV-01 is
#: (100 + 70 + 100) / 3 = 90; TRA-02's only report (100%) was returned, so TRA-02 stays at 0.
REFERENCE_REPORTED = {
    "governance": (90 + 72.5 + 50) / 3,
    "transportation": (160 / 3 + 0) / 2,
    "economy": (100 + 50 + 30) / 3,
    "environment": 47.5,
    "quality-of-life": (77.5 + 40) / 2,
    "human-resources": (100 + 32.5) / 2,
}


def test_reference_scenario_shows_six_aspects_and_rebuilds_to_the_same_views(
    scenario: tuple[EventStore, str],
) -> None:
    store, plan_id = scenario
    views: list[View] = [PlanProgressView(), MilestonesView(), DeadlineBoardView()]
    runner = ProjectionRunner(store, views)
    try:
        runner.prepare()
        runner.catch_up()
        rows = progress.aspects(runner.viewstore, plan_id)
        assert [r.key for r in rows] == list(REFERENCE_ASPECTS)
        for row in rows:
            expected, quick = REFERENCE_ASPECTS[row.key]
            assert row.progress == pytest.approx(expected)
            assert row.quick_win_progress == pytest.approx(quick)
            assert row.reported_progress == pytest.approx(REFERENCE_REPORTED[row.key])
        assert sum(r.milestones for r in rows) == 28
        live = [operations.checksum(runner.viewstore, v) for v in views]
        for view in views:
            assert operations.rebuild(store, view.name) == [view.name]
        assert [operations.checksum(runner.viewstore, v) for v in views] == live
    finally:
        runner.stop()


def test_reference_scenario_overdue_milestones_as_of_october_2025(
    scenario: tuple[EventStore, str],
) -> None:
    store, _ = scenario
    runner = ProjectionRunner(store, [MilestonesView()])
    try:
        runner.prepare()
        runner.catch_up()
        as_of = date(2025, 10, 1)
        late = milestone_queries.overdue(runner.viewstore, as_of)
        assert {(m.program_code, m.code, m.status) for m in late} == {
            ("ECO-02", "M2", "planned"),
            ("GOV-01", "M2", "in-progress"),
            ("TRA-01", "M2", "in-progress"),
            ("HR-02", "M1", "in-progress"),
            ("ENV-02", "M1", "planned"),
            ("TRA-02", "M1", "returned"),
        }
        assert [m.due_date for m in late] == sorted(m.due_date for m in late)
        calendar = WorkingCalendar()
        for m in late:
            assert m.working_days_late == calendar.working_days_late(m.due_date, as_of) > 0
    finally:
        runner.stop()
