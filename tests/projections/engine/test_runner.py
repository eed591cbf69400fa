"""The runner: exactly once across restarts and crashes, live, rebuilt beside live."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from infra.store import EventStore
from projections.engine import operations
from projections.engine.runner import CRASH_AT_ENV, ProjectionRunner
from projections.engine.schema import Table
from projections.engine.topics import topic_of
from projections.engine.view import Recorded, View, ViewTx
from projections.engine.viewstore import ViewStore
from projections.views.timeline.view import TimelineView, recent
from tests.projections.sample import EventCounts, Parcel, write_events

ROOT = Path(__file__).resolve().parents[3]


def counts(viewstore: ViewStore) -> dict[str, int]:
    """The event counts view as a dict."""
    table = viewstore.table("event_counts", "event_counts")
    return {str(name): int(n) for name, n in viewstore.query(f"SELECT event_name, n FROM {table}")}


def test_restarted_runner_resumes_from_its_position_without_duplicates(
    durable_store: EventStore,
) -> None:
    first = ProjectionRunner(durable_store, [TimelineView(), EventCounts()], batch_size=4)
    first.prepare()
    write_events(durable_store, 5)
    assert first.catch_up() == 5
    first.stop()
    write_events(durable_store, 3)
    second = ProjectionRunner(durable_store, [TimelineView(), EventCounts()], batch_size=4)
    second.prepare()
    assert second.lowest_position() == 5
    assert second.catch_up() == 8
    assert [e.position for e in recent(second.viewstore, 100)] == list(range(8, 0, -1))
    assert counts(second.viewstore) == {"Created": 2, "Moved": 6}
    second.stop()


def test_live_runner_lets_a_reader_wait_for_its_own_write(durable_store: EventStore) -> None:
    runner = ProjectionRunner(durable_store, [TimelineView()], poll_interval=0.05)
    runner.start()
    try:
        position = write_events(durable_store, 3)
        runner.follower.wake()
        assert runner.viewstore.wait_for(["timeline"], position, timeout=10)
        assert recent(runner.viewstore, 1)[0].position == position
        assert not runner.viewstore.wait_for(["timeline"], position + 1, timeout=0.1)
        assert runner.alive
    finally:
        runner.stop()


def test_runner_killed_between_rows_and_position_ends_equal_to_a_rebuild(
    durable_store: EventStore,
) -> None:
    write_events(durable_store, 25)
    spec = json.dumps({"url": durable_store.url, "env": durable_store.env})
    crashed = subprocess.run(
        [sys.executable, "-m", "tests.projections.engine.crash_runner", spec],
        cwd=ROOT,
        env={**os.environ, CRASH_AT_ENV: "15"},
        capture_output=True,
        timeout=60,
        check=False,
    )
    assert crashed.returncode == 137, crashed.stderr.decode()
    views = [TimelineView(), EventCounts()]
    restarted = ProjectionRunner(durable_store, views, batch_size=10)
    assert restarted.viewstore.positions() == {"timeline": 10, "event_counts": 10}
    restarted.prepare()
    assert restarted.catch_up() == 25
    assert counts(restarted.viewstore) == {"Created": 1, "Moved": 24}
    after_crash = [operations.checksum(restarted.viewstore, v) for v in views]
    for view in views:
        restarted.rebuilder.rebuild(view)
    assert [operations.checksum(restarted.viewstore, v) for v in views] == after_crash
    restarted.stop()


def test_rebuild_builds_beside_the_live_view_and_swaps(durable_store: EventStore) -> None:
    runner = ProjectionRunner(durable_store, [TimelineView()], poll_interval=0.05, batch_size=5)
    runner.start()
    try:
        position = write_events(durable_store, 12)
        runner.follower.wake()
        assert runner.viewstore.wait_for(["timeline"], position, timeout=10)
        live_sum = operations.checksum(runner.viewstore, TimelineView())
        seen_during: list[tuple[int, str]] = []

        def progress(view: str, reached: int, head: int) -> None:
            # Readers still see the complete live generation while the new one fills.
            seen_during.append(
                (len(recent(runner.viewstore, 100)), runner.viewstore.table(view, "timeline"))
            )

        assert operations.rebuild(durable_store, "timeline", progress) == ["timeline"]
        assert seen_during
        assert set(seen_during) == {(12, "timeline_g1")}
        assert runner.viewstore.table("timeline", "timeline") == "timeline_g2"
        assert operations.checksum(runner.viewstore, TimelineView()) == live_sum
        position = write_events(durable_store, 2)
        runner.follower.wake()
        assert runner.viewstore.wait_for(["timeline"], position, timeout=10)
        assert [e.position for e in recent(runner.viewstore, 100)] == list(range(14, 0, -1))
        assert "timeline_g1" not in tables(runner.viewstore)
    finally:
        runner.stop()


def tables(viewstore: ViewStore) -> set[str]:
    """Names of the tables in the view store's database."""
    if viewstore.dialect.name == "sqlite":
        rows = viewstore.query("SELECT name FROM sqlite_master WHERE type = 'table'")
    else:
        rows = viewstore.query(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()"
        )
    return {str(r[0]) for r in rows}


def test_a_new_view_version_is_rebuilt_when_the_runner_starts(durable_store: EventStore) -> None:
    write_events(durable_store, 3)
    first = ProjectionRunner(durable_store, [EventCounts()])
    first.prepare()
    first.catch_up()
    first.stop()

    class EventCountsV2(EventCounts):
        version = 2

    second = ProjectionRunner(durable_store, [EventCountsV2()])
    second.prepare()
    assert second.viewstore.table("event_counts", "event_counts") == "event_counts_g2"
    assert counts(second.viewstore) == {"Created": 1, "Moved": 2}
    second.stop()


def test_status_and_health_report_positions_and_lag(durable_store: EventStore) -> None:
    runner = ProjectionRunner(durable_store, [TimelineView()], batch_size=2)
    runner.prepare()
    write_events(durable_store, 3)
    runner.apply(runner.follower.read(0, limit=2))
    # Every registered view has a row; the timeline is the one this runner advanced.
    row = {r["view"]: r for r in operations.status(durable_store)}["timeline"]
    assert (row["view"], row["position"], row["head"], row["lag"]) == ("timeline", 2, 3, 1)
    health = operations.projection_health(durable_store)
    assert health["ok"]
    assert health["views"]["timeline"] == {"position": 2, "lag": 1}
    runner.stop()


class MovesOnly(
    View,
    name="moves_only",
    version=1,
    tables=(Table("moves_only", "event_name text, n int?", key="event_name"),),
):
    """Counts every event it is given, and says it handles parcel moves only."""

    def handles(self, topic: str) -> bool:
        """Only moves."""
        return topic == topic_of(Parcel.Moved)

    def handle(self, tx: ViewTx, recorded: Recorded) -> None:
        """Add one to the event's count, whatever it is."""
        table = tx.table("moves_only")
        tx.execute(
            f"INSERT INTO {table} (event_name, n) VALUES (?, 1) "
            f"ON CONFLICT (event_name) DO UPDATE SET n = {table}.n + 1",
            (recorded.event_name,),
        )


def test_views_rebuilt_in_one_pass_equal_the_live_ones_and_skip_unhandled_topics(
    durable_store: EventStore,
) -> None:
    views = [TimelineView(), EventCounts(), MovesOnly()]
    live = ProjectionRunner(durable_store, views, batch_size=3)
    live.prepare()
    write_events(durable_store, 4)
    write_events(durable_store, 3)
    live.catch_up()
    before = {v.name: operations.checksum(live.viewstore, v) for v in views}
    generations = live.rebuilder.rebuild_all(views)
    assert generations == {v.name: 2 for v in views}
    assert {v.name: operations.checksum(live.viewstore, v) for v in views} == before
    table = live.viewstore.table("moves_only", "moves_only")
    assert live.viewstore.query(f"SELECT event_name, n FROM {table}") == [("Moved", 5)]
    assert counts(live.viewstore) == {"Created": 2, "Moved": 5}
    live.stop()
