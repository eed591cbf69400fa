"""A generator of cities like the reference one: a plan, programs, milestones and reports.

A city is padded to its number of events with progress reports, at most
``REPORTS_PER_MILESTONE`` on one milestone (a milestone is snapshotted every 50 events, so
a milestone with tens of thousands of reports would make every snapshot huge); beyond what
its own milestones take, a city gets more milestones (two events each: the milestone and
its place in the program), as a city running its plan for years would.

The reports on those new milestones are the bulk of a large city. The first new milestone
gets them through the domain; every later one gets copies of those stored events (the same
bytes but a new recorded time, readdressed to the new milestone, whose state is the same:
planned, no report yet), written through the store's recorder a thousand at a time, so
the hash chain covers them like any event. Copied reports take no snapshots.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from eventsourcing.persistence import StoredEvent

from domain.plan import PlanApplication
from domain.plan.milestone import Milestone
from domain.shared import Actor, Capacity
from infra.scenario import ScenarioApps, load_reference_scenario
from infra.scenario.data import Facts, at_wib, reference_facts
from infra.scenario.programs import load_plan
from infra.store import EventStore

#: Progress reports saved per transaction when a city is padded with more events.
REPORTS_PER_SAVE = 100
#: The most progress reports the padding gives one milestone.
REPORTS_PER_MILESTONE = 100
#: Copied events written per transaction.
COPIES_PER_INSERT = 1000
#: How a stored event's state starts: its recorded time comes first.
STAMP = b'{"timestamp":{"_type_":"datetime_iso","_data_":"'
REPORTER = Actor("196602201991042009", Capacity.HEAD, at_wib("2024-03-01", 10))


@dataclass
class Cities:
    """What the generator wrote: per city its plan and in-progress milestones."""

    plans: list[uuid.UUID] = field(default_factory=list)
    milestones: list[list[tuple[uuid.UUID, str]]] = field(default_factory=list)
    events: int = 0
    #: The stored reports of the first new milestone, copied onto the next ones.
    template: list[StoredEvent] = field(default_factory=list)


def generate(store: EventStore, cities: int, events_per_city: int) -> Cities:
    """The reference city in full, then ``cities - 1`` more plans; pad each to the event count."""
    found = start(store, events_per_city)
    grow(store, found, cities - 1, events_per_city)
    return found


def start(store: EventStore, events: int) -> Cities:
    """The reference city, padded to ``events`` events in all (never fewer than it has)."""
    found = Cities()
    summary = load_reference_scenario(ScenarioApps.of(store.app))
    plan = store.app(PlanApplication)
    _add(found, plan, summary.plan_id)
    _pad(store, plan, found, events - store.max_position())
    found.events = store.max_position()
    return found


def grow(store: EventStore, found: Cities, more: int, events_per_city: int) -> Cities:
    """``more`` cities beside those ``found``, each padded to ``events_per_city`` events."""
    plan, facts = store.app(PlanApplication), reference_facts()
    for _ in range(more):
        before = store.max_position()
        _add(found, plan, city_plan(plan, facts, f"KOTA{len(found.plans):03d}"))
        _pad(store, plan, found, events_per_city - (store.max_position() - before))
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


def _pad(store: EventStore, app: PlanApplication, found: Cities, count: int) -> None:
    """Add ``count`` events to the newest city: reports on its milestones, then new ones."""
    milestones, left = found.milestones[-1], count
    for milestone_id, _ in list(milestones):
        if left <= 0:
            return
        left -= _report(app, milestone_id, min(REPORTS_PER_MILESTONE, left))
    if left <= 0:
        return
    fresh = _new_milestones(app, found, -(-left // (REPORTS_PER_MILESTONE + 2)))
    left -= 2 * len(fresh)
    batch: list[StoredEvent] = []
    for milestone_id in fresh:
        count = min(REPORTS_PER_MILESTONE, left)
        if count <= 0:
            break
        if not found.template:
            _report(app, milestone_id, REPORTS_PER_MILESTONE)
            found.template = list(store.recorder.select_events(milestone_id, gt=1))
            count = REPORTS_PER_MILESTONE
        else:
            batch += _copies(found.template[:count], milestone_id)
        left -= count
        if len(batch) >= COPIES_PER_INSERT:
            store.recorder.insert_events(batch)
            batch = []
    if batch:
        store.recorder.insert_events(batch)


def _new_milestones(app: PlanApplication, found: Cities, count: int) -> list[uuid.UUID]:
    """``count`` planned milestones more in the newest city's programs, saved at once."""
    programs = [app.get_program(p) for p in app.get_plan(found.plans[-1]).program_ids()]
    milestones, fresh = found.milestones[-1], []
    for _ in range(count):
        program = programs[len(milestones) % len(programs)]
        milestone = Milestone.plan(
            program_id=program.id,
            code=f"B{len(milestones):05d}",
            title=f"Tahap lanjutan {len(milestones)}",
            due_date=date(program.last_year, 12, 31),
            weight=1.0,
            owner_opd=program.owner_opd,
            **REPORTER.attribution(),
        )
        program.index_milestone(milestone.id, **REPORTER.attribution())
        fresh.append(milestone)
        milestones.append((milestone.id, "0"))
    app.save(*fresh, *programs)
    return [m.id for m in fresh]


def _copies(template: list[StoredEvent], milestone_id: uuid.UUID) -> list[StoredEvent]:
    """The template's events for another milestone, recorded now (one microsecond apart)."""
    now = datetime.now(UTC)
    copies = []
    for i, event in enumerate(template):
        if not event.state.startswith(STAMP):
            raise ValueError(f"a stored event of {event.topic} does not start with its time")
        end = event.state.index(b'"', len(STAMP))
        stamp = (now + timedelta(microseconds=i)).isoformat().encode()
        state = STAMP + stamp + event.state[end:]
        copies.append(StoredEvent(milestone_id, event.originator_version, event.topic, state))
    return copies


def _report(app: PlanApplication, milestone_id: uuid.UUID, count: int) -> int:
    """Save ``count`` progress reports on a milestone, a batch per transaction; how many."""
    milestone = app.get_milestone(milestone_id)
    for i in range(count):
        when = REPORTER.effective_at + timedelta(minutes=i)
        milestone.report_progress(
            milestone.percent, "Laporan berkala", (), **reporter_at(REPORTER, when)
        )
        if (i + 1) % REPORTS_PER_SAVE == 0 or i == count - 1:
            app.save_changes(milestone)
    return count


def reporter_at(reporter: Actor, when: object) -> dict[str, object]:
    """The attribution of ``reporter`` at ``when``."""
    attribution = reporter.attribution()
    attribution["effective_at"] = when
    return attribution
