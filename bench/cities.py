"""A generator of cities like the reference one: a plan, programs, milestones and reports."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta

from domain.plan import PlanApplication
from domain.plan.milestone import Milestone
from domain.shared import Actor, Capacity
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.scenario.data import Facts, at_wib, reference_facts
from infra.scenario.programs import load_plan
from infra.store import EventStore

#: Progress reports saved per transaction when a city is padded with more events.
REPORTS_PER_SAVE = 100


@dataclass
class Cities:
    """What the generator wrote: per city its plan and in-progress milestones."""

    plans: list[uuid.UUID] = field(default_factory=list)
    milestones: list[list[tuple[uuid.UUID, str]]] = field(default_factory=list)
    events: int = 0


def generate(store: EventStore, cities: int, events_per_city: int) -> Cities:
    """The reference city in full, then ``cities - 1`` more plans; pad each to the event count."""
    found = Cities()
    summary = load_reference_scenario(ScenarioApps.of(store.app))
    plan = store.app(PlanApplication)
    facts = reference_facts()
    _add(found, plan, summary.plan_id)
    _pad(store, plan, found.milestones[-1], events_per_city)
    for k in range(1, cities):
        before = store.max_position()
        _add(found, plan, city_plan(plan, facts, f"KOTA{k:03d}"))
        _pad(store, plan, found.milestones[-1], events_per_city - (store.max_position() - before))
    found.events = store.max_position()
    return found


def city_plan(app: PlanApplication, facts: Facts, city_code: str) -> uuid.UUID:
    """The reference plan, drafted, approved and executed again for ``city_code``."""
    city = (city_code, f"Kota {city_code.title()}")
    return load_plan(app, facts, city, f"Masterplan Smart City {city_code} 2024-2033")[0]


def _add(found: Cities, app: PlanApplication, plan_id: uuid.UUID) -> None:
    """Remember the plan and its milestones that still take progress reports."""
    found.plans.append(plan_id)
    reportable = []
    for milestone in milestones_of(app, plan_id):
        if milestone.status in {"planned", "in-progress"}:
            reportable.append((milestone.id, str(milestone.percent)))
    found.milestones.append(reportable)


def milestones_of(app: PlanApplication, plan_id: uuid.UUID) -> list[Milestone]:
    """Every milestone of a plan."""
    plan = app.get_plan(plan_id)
    return [app.get_milestone(m) for p in plan.program_ids() for m in app.get_program(p).milestones]


def _pad(
    store: EventStore, app: PlanApplication, milestones: list[tuple[uuid.UUID, str]], count: int
) -> None:
    """Add ``count`` progress reports spread over the city's reportable milestones."""
    if count <= 0 or not milestones:
        return
    reporter = Actor("196602201991042009", Capacity.HEAD, at_wib("2024-03-01", 10))
    per = -(-count // len(milestones))
    left = count
    for milestone_id, _ in milestones:
        milestone = app.get_milestone(milestone_id)
        n = min(per, left)
        for i in range(n):
            when = reporter.effective_at + timedelta(minutes=i)
            milestone.report_progress(
                milestone.percent, "Laporan berkala", (), **reporter_at(reporter, when)
            )
            if (i + 1) % REPORTS_PER_SAVE == 0 or i == n - 1:
                app.save_changes(milestone)
        left -= n
        if left <= 0:
            return


def reporter_at(reporter: Actor, when: object) -> dict[str, object]:
    """The attribution of ``reporter`` at ``when``."""
    attribution = reporter.attribution()
    attribution["effective_at"] = when
    return attribution
