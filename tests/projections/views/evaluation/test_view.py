"""Outcome and Quick Win of a year move when a milestone is approved, each with its sources."""

from __future__ import annotations

import uuid
from datetime import date

from infra.store import EventStore
from projections.engine.runner import ProjectionRunner
from projections.views.evaluation.queries import dimension_figures
from projections.views.evaluation.view import EvaluationRecordView
from tests.support.plan import KADIS, SECRETARIAT, PlanSetup, plan_setup

#: The view the ``runner`` fixture runs.
VIEWS = [EvaluationRecordView()]


def created_at(store: EventStore, *ids: uuid.UUID) -> set[int]:
    """The log positions of the Created events of these aggregates."""
    found = store.recorder.select_notifications(start=1, limit=10_000)
    return {n.id for n in found if n.originator_id in ids and n.topic.endswith(".Created")}


def approve(setup: PlanSetup, milestone_id: uuid.UUID, percent: float) -> tuple[int, int]:
    """Report, submit and approve a milestone; the positions of the report and approval."""
    app = setup.app
    report = app.report_progress(milestone_id, percent=percent, by=KADIS)
    app.submit_milestone(milestone_id, by=KADIS)
    return report, app.approve_milestone(milestone_id, by=SECRETARIAT)


def test_outcome_and_quick_win_follow_approvals_in_the_year_with_their_sources(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    # GOV-01 (quick win, from the fixture): M1 due 2024-06-28, weight 1.
    setup = plan_setup(durable_store)
    app = setup.app
    eco = app.add_program(setup.plan_id, code="ECO-01", name="Pasar digital", aspect="economy",
                          owner_opd="DISKOPERINDAG", weight=3, by=SECRETARIAT)  # fmt: skip
    env = app.add_program(setup.plan_id, code="ENV-01", name="Bank sampah", aspect="environment",
                          owner_opd="DLH", weight=1, by=SECRETARIAT)  # fmt: skip
    eco_m1 = app.add_milestone(eco.id, code="ECO-01-M1", title="QRIS pasar",
                               due_date=date(2024, 9, 30), weight=1, by=SECRETARIAT)  # fmt: skip
    eco_m2 = app.add_milestone(eco.id, code="ECO-01-M2", title="E-retribusi",
                               due_date=date(2024, 11, 30), weight=3, by=SECRETARIAT)  # fmt: skip
    env_m1 = app.add_milestone(env.id, code="ENV-01-M1", title="Aplikasi",
                               due_date=date(2024, 12, 31), by=SECRETARIAT)  # fmt: skip
    app.add_milestone(env.id, code="ENV-01-M2", title="Tahun depan", due_date=date(2025, 3, 31),
                      by=SECRETARIAT)  # fmt: skip
    runner.catch_up()
    outcome = dimension_figures(runner.viewstore, "PMS", 2024, quick_win=False)
    quick = dimension_figures(runner.viewstore, "PMS", 2024, quick_win=True)
    assert (outcome.score, quick.score) == (0.0, 0.0)
    assert [(p.key, p.due, p.achieved) for p in outcome.programs] == [
        ("ECO-01", 2, 0),
        ("ENV-01", 1, 0),
    ]

    # ECO-01-M2 approved at 100%: ECO-01 = 3/4 = 75%; outcome = (3*75 + 1*0) / 4 = 56.25.
    report, approval = approve(setup, eco_m2.id, 100)
    # ENV-01-M1 approved at 60% only: not achieved.
    approve(setup, env_m1.id, 60)
    runner.catch_up()
    outcome = dimension_figures(runner.viewstore, "PMS", 2024, quick_win=False)
    assert outcome.score == 56.25
    assert [(a.key, a.score) for a in outcome.aspects] == [("economy", 75.0), ("environment", 0.0)]
    created = created_at(durable_store, eco.id, eco_m1.id, eco_m2.id, env.id, env_m1.id)
    assert len(created) == 5
    assert created | {report, approval} <= set(outcome.sources)
    assert quick.score == 0.0

    # The quick win's milestone approved at 100%: Quick Win = 100, sourced from its approval.
    report, approval = approve(setup, setup.milestone_id, 100)
    runner.catch_up()
    quick = dimension_figures(runner.viewstore, "PMS", 2024, quick_win=True)
    assert (quick.score, quick.programs[0].achieved) == (100.0, 1)
    assert {report, approval} <= set(quick.sources)
    assert approval not in outcome.sources
    assert dimension_figures(runner.viewstore, "PMS", 2025, quick_win=False).programs[0].due == 1
    assert dimension_figures(runner.viewstore, "PMS", 2023, quick_win=False).score is None
