"""Rows 3 and 4: rebuild and verified replay against reading the log raw; state as of."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

from bench.cities import reporter_at
from bench.report import Row, Stat
from domain.plan import PlanApplication
from domain.plan.application import SNAPSHOT_EVERY
from domain.shared import Actor, Capacity
from infra import heap
from infra.store import EventStore
from projections.audit.history import state_at_version
from projections.audit.verify import verify
from projections.engine.operations import rebuild
from projections.engine.registry import all_views

#: The batch size the log follower reads with.
BATCH = 500


def raw_read_rate(store: EventStore) -> float:
    """Events per second reading the whole log with ``select_notifications`` in batches."""
    started, position, count = time.perf_counter(), 0, 0
    while batch := store.recorder.select_notifications(
        start=position, limit=BATCH, inclusive_of_start=False
    ):
        count += len(batch)
        position = batch[-1].id
    return count / (time.perf_counter() - started)


def rebuild_rate(store: EventStore) -> tuple[float, dict[str, float]]:
    """Events per second per view, rebuilding every view in one pass (and one view alone)."""
    events, views = store.max_position(), all_views()
    started = time.perf_counter()
    rebuild(store)
    total = time.perf_counter() - started
    started = time.perf_counter()
    rebuild(store, views[0].name)
    alone = {views[0].name: events / (time.perf_counter() - started)}
    return events * len(views) / total, alone


def verify_rate(store: EventStore) -> float:
    """Events per second recomputing the hash chain of the whole log."""
    started = time.perf_counter()
    report = verify(store)
    if not report.ok:
        raise RuntimeError(f"The benchmark log does not verify: {report.problem}")
    return report.events_checked / (time.perf_counter() - started)


def log_rows(store: EventStore, runs: int, label: str) -> list[Row]:
    """Rebuild and verification against the raw read, on one store."""
    raw, built, checked, views = [], [], [], {}
    for _ in range(runs):
        raw.append(raw_read_rate(store))
        rate, views = rebuild_rate(store)
        built.append(rate)
        checked.append(verify_rate(store))
    events = store.max_position()
    alone = next(iter(views))
    rebuild_row = Row(
        f"3. Rebuild, {label}",
        Stat.of(built),
        "ev/s",
        Stat.of(raw),
        "raw log read",
        ">= 0.5x raw read",
        notes=(
            f"All {len(all_views())} views rebuilt in one pass over {events:,} events "
            f"(rate = events x views / time); the view {alone} rebuilt alone at "
            f"{views[alone]:,.0f} ev/s. Baseline: select_notifications in batches of {BATCH}."
        ),
        extra={"per_view": views, "events": events},
    )
    rebuild_row.passed = (rebuild_row.ratio or 0) >= 0.5
    verify_row = Row(
        f"4. Replay with verification, {label}",
        Stat.of(checked),
        "ev/s",
        Stat.of(raw),
        "raw log read",
        ">= 0.5x raw read",
        notes=f"projections.audit.verify over {events:,} events (SHA-256 chain recomputed).",
    )
    verify_row.passed = (verify_row.ratio or 0) >= 0.5
    return [rebuild_row, verify_row]


def long_milestone(store: EventStore, milestone_id: uuid.UUID, events: int) -> None:
    """Bring a milestone to ``events`` events by reporting progress (the plan takes snapshots)."""
    app = store.app(PlanApplication)
    milestone = app.get_milestone(milestone_id)
    reporter = Actor("196602201991042009", Capacity.HEAD)
    base = milestone.modified_on
    while milestone.version < events:
        when = base + timedelta(minutes=milestone.version)
        milestone.report_progress(milestone.percent, "Laporan", (), **reporter_at(reporter, when))
        if milestone.version % 100 == 0 or milestone.version == events:
            app.save_changes(milestone)


def as_of_rows(store: EventStore, milestone_id: uuid.UUID, runs: int, count: int) -> list[Row]:
    """The audit's state of a 1,000-event milestone at a snapshot's version and between two."""
    long_milestone(store, milestone_id, 1000)
    replaying = EventStore(store.url, extra_env={"IS_SNAPSHOTTING_ENABLED": "n"})
    heap.settle()  # as the API process does once it has started (see infra/heap.py)
    # 1,000: a snapshot was stored at it; the last version before it is the farthest from one.
    between = 1000 - 1
    ours, others, replayed, got = [], [], [], []
    for _ in range(runs):
        ours.append(_timed(lambda: state_at_version(store, milestone_id, 1000), count))
        others.append(_timed(lambda: state_at_version(store, milestone_id, between), count))
        replayed.append(_timed(lambda: state_at_version(replaying, milestone_id, 1000), count))
        got.append(_timed(lambda: store.app(PlanApplication).get_milestone(milestone_id), count))
    replaying.close()
    row = Row(
        "4. State as of version 1,000 (audit), with snapshots",
        Stat.of(ours),
        "ms",
        Stat.of(replayed),
        "every event replayed",
        "< 5 ms",
        higher_is_better=False,
        notes=(
            "The audit's state_at_version of a milestone with 1,000 events, first read, no "
            f"kept answer: the plan application snapshots milestones every {SNAPSHOT_EVERY} "
            "events, and at a version a snapshot was stored at the audit parses that "
            "snapshot's JSON straight into the answer's JSON values (no domain objects "
            "built and converted back). Measured in a process whose start-up heap is "
            "frozen, as the API's is (infra/heap.py). The same read with snapshots "
            "switched off replays "
            f"all 1,000. The plan's own get of the milestone: {Stat.of(got).text('ms')}."
        ),
        extra={"plan_get_ms": Stat.of(got).median},
    )
    row.passed = Stat.of(ours).median < 5
    far = Row(
        f"4. State as of version {between:,} (audit), between snapshots",
        Stat.of(others),
        "ms",
        Stat.of(replayed),
        "every event replayed (version 1,000)",
        "< 5 ms",
        higher_is_better=False,
        notes=(
            f"The same milestone at version {between:,}: the nearest snapshot is "
            f"{SNAPSHOT_EVERY - 1} events back, so the repository decodes that snapshot "
            f"and applies {SNAPSHOT_EVERY - 1} events, and the audit converts the state to "
            "JSON values. The reports are a value log, stored as rows and kept as rows "
            "until read (domain/value_log.py): the audit turns the rows into JSON values "
            "without building a value object for each. Decoding the "
            f"{SNAPSHOT_EVERY - 1} events and converting the 1,000 reports bound this figure."
        ),
    )
    far.passed = Stat.of(others).median < 5
    return [row, far]


def _timed(call: object, count: int) -> float:
    """Milliseconds per call."""
    assert callable(call)
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) * 1000 / count
