"""The master plan: aspects, programs, baseline, revisions and weighted progress."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.plan import (
    DEFAULT_ASPECTS,
    Aspect,
    BaselineLockedError,
    Created,
    InvalidTransitionError,
    PlanApplication,
    PlanStatus,
    UnknownAspectError,
    weighted_progress,
)
from domain.shared import AlreadyExistsError, DomainError, NotFoundError, ValidationError
from infra.store import EventStore
from tests.support.plan import KADIS, SECRETARIAT, PlanSetup, plan_setup


def test_plan_has_the_six_aspects_of_the_reference_city_by_default(store: EventStore) -> None:
    setup = plan_setup(store)
    plan = setup.app.get_plan(setup.plan_id)
    assert plan.aspect_ids == [
        "governance",
        "transportation",
        "economy",
        "environment",
        "quality-of-life",
        "human-resources",
    ]
    assert [a.label_id for a in plan.aspects] == [
        "Tata Kelola Pemerintahan",
        "Transportasi",
        "Ekonomi",
        "Lingkungan",
        "Kualitas Hidup",
        "Sumber Daya Manusia",
    ]
    assert (plan.start_year, plan.end_year, plan.status) == (2024, 2033, PlanStatus.DRAFT)
    assert plan.vision == "Sehat, Sejahtera, Berkualitas"


def test_aspects_are_configurable_at_creation(store: EventStore) -> None:
    app = store.app(PlanApplication)
    aspects = [Aspect("tourism", "Tourism", "Pariwisata"), *DEFAULT_ASPECTS[:2]]
    plan_id = app.create_plan(
        city_code="TBA",
        city_name="Toba",
        title="Masterplan",
        start_year=2025,
        years=5,
        aspects=aspects,
        by=SECRETARIAT,
    ).id
    plan = app.get_plan(plan_id)
    assert plan.aspect_ids == ["tourism", "governance", "transportation"]
    assert plan.end_year == 2029


def test_repeated_aspect_is_refused(store: EventStore) -> None:
    app = store.app(PlanApplication)
    with pytest.raises(ValidationError):
        app.create_plan(
            city_code="X",
            city_name="X",
            title="X",
            start_year=2024,
            aspects=[DEFAULT_ASPECTS[0], DEFAULT_ASPECTS[0]],
            by=SECRETARIAT,
        )
    assert store.max_position() == 0


def test_second_plan_for_same_city_and_start_year_collides(store: EventStore) -> None:
    setup = plan_setup(store)
    with pytest.raises(AlreadyExistsError):
        setup.app.create_plan(
            city_code="pms",
            city_name="Pematang Siantar",
            title="Again",
            start_year=2024,
            by=SECRETARIAT,
        )


def add_program(setup: PlanSetup, **given: Any) -> Created:
    """Program ENV-01 (a waste bank of DLH, environment aspect), with ``given`` instead."""
    program = {"code": "ENV-01", "name": "Bank sampah", "aspect": "environment", "owner_opd": "DLH"}
    return setup.app.add_program(setup.plan_id, **{**program, **given}, by=SECRETARIAT)


@pytest.mark.parametrize(
    ("given", "refusal"),
    [
        ({"aspect": "tourism"}, UnknownAspectError),
        ({"code": "gov-01"}, AlreadyExistsError),
        ({"weight": 0}, ValidationError),
    ],
    ids=["unknown-aspect", "code-taken", "no-weight"],
)
def test_a_program_the_plan_cannot_take_is_refused_and_nothing_is_saved(
    store: EventStore, given: dict[str, Any], refusal: type[DomainError]
) -> None:
    setup = plan_setup(store)
    before = store.max_position()
    with pytest.raises(refusal):
        add_program(setup, **given)
    assert store.max_position() == before
    assert [p.code for p in setup.app.programs_of(setup.plan_id)] == ["GOV-01"]


def test_program_is_saved_with_the_plan_index_in_one_save(store: EventStore) -> None:
    setup = plan_setup(store)
    plan = setup.app.get_plan(setup.plan_id)
    program = setup.app.get_program(setup.program_id)
    assert plan.programs["governance"] == [setup.program_id]
    assert [p.code for p in setup.app.programs_of(setup.plan_id)] == ["GOV-01"]
    assert (program.owner_opd, program.supporting_opds) == ("DISKOMINFO", ["BAPPEDA"])
    assert program.targets == {2024: "Portal data terbit"}
    assert program.budgets == {2024: 250_000_000}


def test_quick_win_flag_is_kept(store: EventStore) -> None:
    setup = plan_setup(store)
    other = add_program(setup, code="ECO-01", aspect="economy", horizon="long").id
    assert setup.app.get_program(setup.program_id).quick_win is True
    assert setup.app.get_program(other).quick_win is False
    assert setup.app.get_program(other).horizon == "long"


def test_target_and_budget_years_must_lie_in_the_plan_period(store: EventStore) -> None:
    setup = plan_setup(store)
    app = setup.app
    app.set_program_target(setup.program_id, year=2033, value=95, by=SECRETARIAT)
    with pytest.raises(ValidationError):
        app.set_program_target(setup.program_id, year=2034, value=100, by=SECRETARIAT)
    with pytest.raises(ValidationError):
        app.set_program_budget(setup.program_id, year=2025, amount=-1, by=SECRETARIAT)
    assert app.get_program(setup.program_id).targets[2033] == 95


def test_approved_plan_refuses_direct_changes(store: EventStore) -> None:
    setup = plan_setup(store)
    setup.app.approve_plan(setup.plan_id, by=KADIS)
    with pytest.raises(BaselineLockedError):
        add_program(setup)
    with pytest.raises(BaselineLockedError):
        setup.app.set_program_target(setup.program_id, year=2025, value=1, by=SECRETARIAT)
    with pytest.raises(InvalidTransitionError):
        setup.app.approve_plan(setup.plan_id, by=KADIS)


def test_approving_the_plan_takes_baseline_one(store: EventStore) -> None:
    setup = plan_setup(store)
    position = setup.app.approve_plan(setup.plan_id, by=KADIS)
    plan = setup.app.get_plan(setup.plan_id)
    baseline = setup.app.baseline_of(setup.plan_id)
    assert position == store.max_position()
    assert (plan.status, plan.baseline_version) == (PlanStatus.APPROVED, 1)
    assert baseline.programs["governance"] == (setup.program_id,)
    assert baseline.approved_by == KADIS.actor_id
    assert set(baseline.versions) == {setup.program_id, setup.milestone_id}


def test_draft_plan_has_no_baseline(store: EventStore) -> None:
    setup = plan_setup(store)
    assert setup.app.get_plan(setup.plan_id).baseline() is None
    with pytest.raises(NotFoundError):
        setup.app.baseline_of(setup.plan_id)


def test_milestone_owner_defaults_to_the_program_owner(store: EventStore) -> None:
    setup = plan_setup(store)
    other = setup.app.add_milestone(
        setup.program_id,
        code="GOV-01-M2",
        title="Dashboard",
        due_date=date(2025, 3, 31),
        owner_opd="BAPPEDA",
        by=SECRETARIAT,
    ).id
    assert setup.app.get_milestone(setup.milestone_id).owner_opd == "DISKOMINFO"
    assert setup.app.get_milestone(other).owner_opd == "BAPPEDA"
    assert [m.code for m in setup.app.milestones_of(setup.program_id)] == [
        "GOV-01-M1",
        "GOV-01-M2",
    ]


@pytest.mark.parametrize(
    ("code", "due", "refusal"),
    [
        ("GOV-01-M9", date(2034, 1, 2), ValidationError),
        ("GOV-01-M1", date(2024, 7, 1), AlreadyExistsError),
    ],
    ids=["due-after-the-plan", "code-taken"],
)
def test_a_milestone_the_program_cannot_take_is_refused(
    store: EventStore, code: str, due: date, refusal: type[DomainError]
) -> None:
    setup = plan_setup(store)
    with pytest.raises(refusal):
        setup.app.add_milestone(
            setup.program_id, code=code, title="Lagi", due_date=due, by=SECRETARIAT
        )
    assert [m.code for m in setup.app.milestones_of(setup.program_id)] == ["GOV-01-M1"]


def test_weighted_progress_weighs_each_item() -> None:
    assert weighted_progress([(1, 100), (3, 0)]) == pytest.approx(25.0)
    assert weighted_progress([(2, 50), (2, 50)]) == pytest.approx(50.0)
    assert weighted_progress([(0.5, 80), (1.5, 40)]) == pytest.approx(50.0)
    assert weighted_progress([]) == 0.0


def test_program_and_plan_progress_count_approved_reports_by_milestone_weight(
    store: EventStore,
) -> None:
    setup = plan_setup(store)
    app = setup.app
    heavy = app.add_milestone(
        setup.program_id,
        code="GOV-01-M2",
        title="Dashboard",
        due_date=date(2025, 3, 31),
        weight=3,
        by=SECRETARIAT,
    ).id
    app.report_progress(setup.milestone_id, percent=100, by=KADIS)
    app.report_progress(heavy, percent=20, by=KADIS)
    assert app.program_progress(setup.program_id) == 0.0  # reported, nothing approved yet
    for milestone_id in (setup.milestone_id, heavy):
        app.submit_milestone(milestone_id, by=KADIS)
        app.approve_milestone(milestone_id, by=SECRETARIAT)
    assert app.program_progress(setup.program_id) == pytest.approx((100 + 3 * 20) / 4)
    app.add_program(
        setup.plan_id,
        code="ECO-01",
        name="UMKM",
        aspect="economy",
        owner_opd="DISKOP",
        by=SECRETARIAT,
    )
    assert app.plan_progress(setup.plan_id) == pytest.approx(40.0 / 2)


def test_stored_events_carry_the_explicit_plan_topics(store: EventStore) -> None:
    plan_setup(store)
    topics = [n.topic for n in store.recorder.select_notifications(start=1, limit=100)]
    assert topics == [
        "jejak.plan:MasterPlan.Created",
        "jejak.plan:Program.Created",
        "jejak.plan:Program.TargetSet",
        "jejak.plan:Program.BudgetSet",
        "jejak.plan:MasterPlan.ProgramIndexed",
        "jejak.plan:Milestone.Created",
        "jejak.plan:Program.MilestoneIndexed",
    ]
