"""Rows 3 and 4: rebuild and verified replay against reading the log raw; state as of."""

from __future__ import annotations

import time
import uuid
from dataclasses import fields
from datetime import timedelta
from typing import Any

from eventsourcing.persistence import JSONTranscoder, Transcoding

from bench.cities import reporter_at
from bench.report import Row, Stat
from domain.plan import PlanApplication
from domain.plan.milestone import Milestone
from domain.plan.model import DueDateChange, ProgressReport
from domain.shared import Actor, Capacity
from infra.store import EventStore
from projections.audit.history import state_at_version
from projections.audit.verify import verify
from projections.operations import rebuild
from projections.registry import all_views

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


class AsDict(Transcoding):
    """Stores a frozen dataclass of the plan model as its fields (snapshots need it)."""

    def __init__(self, kind: type) -> None:
        self.type = kind
        self.name = f"bench_{kind.__name__}"

    def encode(self, obj: Any) -> dict[str, Any]:
        return {f.name: getattr(obj, f.name) for f in fields(obj)}

    def decode(self, data: dict[str, Any]) -> Any:
        return self.type(**data)


class SnapshottingPlan(PlanApplication):
    """The plan service with a snapshot every 100 events of a milestone (benchmark only)."""

    snapshotting_intervals = {Milestone: 100}  # noqa: RUF012

    def register_transcodings(self, transcoder: JSONTranscoder) -> None:
        super().register_transcodings(transcoder)
        for kind in (ProgressReport, DueDateChange):
            transcoder.register(AsDict(kind))


def long_milestone(store: EventStore, milestone_id: uuid.UUID, events: int) -> None:
    """Bring a milestone to ``events`` events by reporting progress (snapshots taken)."""
    app = store.app(SnapshottingPlan)
    milestone = app.get_milestone(milestone_id)
    reporter = Actor("196602201991042009", Capacity.HEAD)
    base = milestone.modified_on
    while milestone.version < events:
        when = base + timedelta(minutes=milestone.version)
        milestone.report_progress(milestone.percent, "Laporan", (), **reporter_at(reporter, when))
        if milestone.version % 100 == 0 or milestone.version == events:
            app.save_changes(milestone)


def as_of_rows(store: EventStore, milestone_id: uuid.UUID, runs: int, count: int) -> list[Row]:
    """State as of the last version of a 1,000-event aggregate, with and without snapshots."""
    snapshotting = EventStore(store.url, extra_env={"IS_SNAPSHOTTING_ENABLED": "y"})
    long_milestone(snapshotting, milestone_id, 1000)
    snap = snapshotting.app(SnapshottingPlan)
    plain, snapped, audit = [], [], []
    for _ in range(runs):
        plain.append(_timed(lambda: store.app(PlanApplication).repository.get(milestone_id), count))
        snapped.append(_timed(lambda: snap.repository.get(milestone_id), count))
        audit.append(_timed(lambda: state_at_version(store, milestone_id, 1000), count))
    row = Row(
        "4. State as of, 1,000 events, with snapshots",
        Stat.of(snapped),
        "ms",
        Stat.of(plain),
        "without snapshots",
        "bounded",
        higher_is_better=False,
        notes=(
            "repository.get of a milestone with 1,000 events; the benchmark app takes a "
            "snapshot every 100 events (the domain apps keep none), so at most 99 events are "
            "replayed after the snapshot. The audit API's state_at_version (no snapshots) took "
            f"{Stat.of(audit).text('ms')}: it replays every event, so it grows with history."
        ),
        extra={"audit_state_at_version_ms": Stat.of(audit).median},
    )
    row.passed = Stat.of(snapped).median < Stat.of(plain).median
    snapshotting.close()
    return [row]


def _timed(call: object, count: int) -> float:
    """Milliseconds per call."""
    assert callable(call)
    started = time.perf_counter()
    for _ in range(count):
        call()
    return (time.perf_counter() - started) * 1000 / count
