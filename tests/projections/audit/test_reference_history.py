"""Auditors replay the reference city: a milestone as it stood before and after approval."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from domain.plan.application import PlanApplication
from infra.scenario import WIB, ScenarioApps, load_reference_scenario
from infra.store import EventStore
from projections.audit.history import state_as_of


def test_a_milestone_is_submitted_before_its_approval_and_done_after(tmp_path: Path) -> None:
    store = EventStore(f"sqlite:///{tmp_path / 'events.db'}")
    summary = load_reference_scenario(ScenarioApps.of(store.app))
    plan = store.app(PlanApplication)
    portal = next(
        m
        for program in plan.programs_of(summary.plan_id)
        for m in plan.milestones_of(program.id)
        if m.title == "Portal Satu Data Siantar daring"
    )
    # Submitted on 21 Jun 2024 14:00 WIB, approved 27 Jun 10:00, done 27 Jun 15:00.
    before = state_as_of(store, portal.id, datetime(2024, 6, 26, 12, tzinfo=WIB), "effective")
    after = state_as_of(store, portal.id, datetime(2024, 6, 27, 23, tzinfo=WIB), "effective")
    assert before is not None
    assert after is not None
    assert (before["status"], before["percent"]) == ("submitted", 100)
    assert after["status"] == "done"
    # As recorded, the history was entered when the city's data was loaded, not in 2024.
    assert state_as_of(store, portal.id, datetime(2024, 6, 27, 23, tzinfo=WIB)) is None
    store.close()
