"""Revisions: an approved plan changes only through an approved revision."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from domain.plan import InvalidTransitionError, PlanStatus, UnknownAspectError
from domain.shared import Actor, AlreadyExistsError, NotFoundError, ValidationError
from infra.store import EventStore
from tests.support.plan import KADIS, SECRETARIAT, PlanSetup, plan_setup

WALIKOTA_ACTOR = Actor("197003031995032001", "mayor")

CHANGES: list[dict[str, Any]] = [
    {"kind": "change-vision", "vision": "Sehat, Sejahtera, Berkualitas, Cerdas"},
    {
        "kind": "add-program",
        "code": "TRN-01",
        "name": "Angkutan kota terpadu",
        "aspect": "transportation",
        "owner_opd": "DISHUB",
        "quick_win": True,
    },
    {"kind": "change-target", "program": "GOV-01", "year": 2025, "value": "Data 30 OPD"},
    {"kind": "change-weight", "program": "GOV-01", "milestone": "GOV-01-M1", "weight": 2},
    {
        "kind": "change-due-date",
        "program": "GOV-01",
        "milestone": "GOV-01-M1",
        "due_date": date(2024, 8, 30),
        "reason": "Menunggu APBD perubahan",
    },
]


def approved(store: EventStore) -> PlanSetup:
    """The standard plan, approved as baseline 1."""
    setup = plan_setup(store)
    setup.app.approve_plan(setup.plan_id, by=KADIS)
    return setup


def propose(setup: PlanSetup, revision_id: str = "REV-02", **given: Any) -> int:
    """Propose a revision of the plan (a new title, unless ``given`` says otherwise)."""
    revision = {
        "description": "Lagi",
        "changes": [{"kind": "change-title", "title": "Masterplan 2.0"}],
    }
    return setup.app.propose_revision(
        setup.plan_id, revision_id=revision_id, **{**revision, **given}, by=SECRETARIAT
    )


def proposed(store: EventStore) -> PlanSetup:
    """The approved plan with revision REV-01 pending."""
    setup = approved(store)
    propose(setup, "REV-01", description="Penyesuaian RPJMD", changes=CHANGES)
    return setup


def test_pending_revision_leaves_the_baseline_readable_and_unchanged(store: EventStore) -> None:
    setup = proposed(store)
    app = setup.app
    plan = app.get_plan(setup.plan_id)
    assert (plan.status, plan.pending_revision) == (PlanStatus.REVISION_PENDING, "REV-01")
    baseline = app.baseline_of(setup.plan_id)
    assert (baseline.version, baseline.vision) == (1, "Sehat, Sejahtera, Berkualitas")
    assert baseline.programs["transportation"] == ()
    assert app.get_program(setup.program_id).targets == {2024: "Portal data terbit"}
    assert app.get_milestone(setup.milestone_id).due_date == date(2024, 6, 28)


def test_approving_a_revision_applies_it_and_bumps_the_baseline(store: EventStore) -> None:
    setup = proposed(store)
    app = setup.app
    position = app.approve_revision(setup.plan_id, revision_id="REV-01", by=KADIS)
    plan = app.get_plan(setup.plan_id)
    assert position == store.max_position()
    assert (plan.status, plan.baseline_version) == (PlanStatus.APPROVED, 2)
    assert plan.vision == "Sehat, Sejahtera, Berkualitas, Cerdas"
    (new_program,) = [p for p in app.programs_of(setup.plan_id) if p.code == "TRN-01"]
    assert (new_program.aspect, new_program.quick_win) == ("transportation", True)
    assert app.get_program(setup.program_id).targets[2025] == "Data 30 OPD"
    milestone = app.get_milestone(setup.milestone_id)
    assert (milestone.weight, milestone.due_date) == (2.0, date(2024, 8, 30))
    assert milestone.due_date_changes[0].old_due_date == date(2024, 6, 28)
    assert app.baseline_of(setup.plan_id, 1).vision == "Sehat, Sejahtera, Berkualitas"
    assert app.baseline_of(setup.plan_id).programs["transportation"] == (new_program.id,)


def test_earlier_baseline_of_a_program_stays_readable(store: EventStore) -> None:
    setup = proposed(store)
    app = setup.app
    app.approve_revision(setup.plan_id, revision_id="REV-01", by=KADIS)
    assert 2025 not in app.program_at_baseline(setup.program_id, 1).targets
    assert app.program_at_baseline(setup.program_id).targets[2025] == "Data 30 OPD"


def test_rejecting_a_revision_discards_it(store: EventStore) -> None:
    setup = proposed(store)
    app = setup.app
    app.reject_revision(setup.plan_id, revision_id="REV-01", reason="Belum dibahas", by=KADIS)
    plan = app.get_plan(setup.plan_id)
    assert (plan.status, plan.baseline_version, plan.pending_revision) == (
        PlanStatus.APPROVED,
        1,
        None,
    )
    assert plan.revisions["REV-01"].status == "rejected"
    assert plan.vision == "Sehat, Sejahtera, Berkualitas"
    assert [p.code for p in app.programs_of(setup.plan_id)] == ["GOV-01"]
    assert app.get_milestone(setup.milestone_id).due_date == date(2024, 6, 28)
    with pytest.raises(InvalidTransitionError):
        app.approve_revision(setup.plan_id, revision_id="REV-01", by=KADIS)


def test_only_one_revision_may_be_pending(store: EventStore) -> None:
    setup = proposed(store)
    with pytest.raises(InvalidTransitionError):
        propose(setup)


def test_revision_number_cannot_be_reused(store: EventStore) -> None:
    setup = proposed(store)
    setup.app.reject_revision(setup.plan_id, revision_id="REV-01", reason="Tidak", by=KADIS)
    with pytest.raises(AlreadyExistsError):
        propose(setup, "REV-01")


def test_draft_plan_takes_no_revision(store: EventStore) -> None:
    setup = plan_setup(store)
    with pytest.raises(InvalidTransitionError):
        propose(setup, "REV-01", description="Terlalu awal")


#: A program a revision adds (code and aspect given per case).
NEW_PROGRAM = {"kind": "add-program", "name": "X", "owner_opd": "A"}


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"kind": "rename-city", "name": "X"}, ValidationError),
        ({"kind": "change-target", "program": "GOV-01", "year": 2025}, ValidationError),
        ({"kind": "change-target", "program": "GOV-01", "year": 2040, "value": 1}, ValidationError),
        ({"kind": "change-target", "program": "ECO-09", "year": 2025, "value": 1}, NotFoundError),
        ({**NEW_PROGRAM, "code": "X-1", "aspect": "space"}, UnknownAspectError),
        ({**NEW_PROGRAM, "code": "GOV-01", "aspect": "economy"}, AlreadyExistsError),
        ({"kind": "change-weight", "program": "GOV-01", "weight": -2}, ValidationError),
    ],
)
def test_bad_change_is_refused_when_proposed(
    store: EventStore, change: dict[str, object], error: type[Exception]
) -> None:
    setup = approved(store)
    before = store.max_position()
    with pytest.raises(error):
        propose(setup, "REV-01", changes=[change])
    assert store.max_position() == before


def test_revision_may_add_an_aspect_and_a_program_under_it(store: EventStore) -> None:
    setup = approved(store)
    app = setup.app
    changes = [
        {"kind": "add-aspect", "id": "tourism", "label_en": "Tourism", "label_id": "Pariwisata"},
        {
            "kind": "add-program",
            "code": "TOUR-01",
            "name": "Wisata",
            "aspect": "tourism",
            "owner_opd": "DISPAR",
        },
    ]
    app.propose_revision(
        setup.plan_id, revision_id="REV-01", description="Aspek baru", changes=changes, by=KADIS
    )
    app.approve_revision(setup.plan_id, revision_id="REV-01", by=WALIKOTA_ACTOR)
    plan = app.get_plan(setup.plan_id)
    assert plan.aspect_ids[-1] == "tourism"
    assert len(plan.programs["tourism"]) == 1
    assert app.get_program(plan.programs["tourism"][0]).owner_opd == "DISPAR"
