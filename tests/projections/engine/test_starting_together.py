"""Two projectors starting together on PostgreSQL: one creates the tables, one counts the days.

Each "process" here has an event store (and so a connection pool) of its own, as separate
processes would; a barrier lets them start at the same moment.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import ExitStack
from datetime import date, datetime

import pytest

from domain.calendar import JAKARTA
from domain.shared import JejakApplication
from infra.store import EventStore
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher
from projections.engine.registry import all_views
from projections.engine.runner import ProjectionRunner
from projections.engine.viewstore import ViewStore
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.inbox.view import InboxView
from tests.projections.runners import prepared
from tests.projections.sample import EventCounts, write_events
from tests.projections.views.deadlines.board_log import AS_OF, fill
from tests.support.racing import together
from tests.support.stores import new_postgres_schema

pytestmark = pytest.mark.postgres

#: Rounds of each race (each on a fresh schema where tables are created).
ROUNDS = 3


@pytest.fixture
def stores(postgres_dsn: str) -> Iterator[Callable[[], tuple[EventStore, EventStore]]]:
    """Opens two event stores on one fresh schema, like two processes; closed afterwards."""
    with ExitStack() as closing:

        def two() -> tuple[EventStore, EventStore]:
            extra = {"POSTGRES_SCHEMA": new_postgres_schema(postgres_dsn)}
            first, second = (EventStore(postgres_dsn, extra) for _ in range(2))
            closing.callback(first.close)
            closing.callback(second.close)
            # The event store's own tables are made first, one store after the other: the
            # race under test is the read models'.
            for store in (first, second):
                store.app(JejakApplication)
            return first, second

        yield two


def test_two_projectors_preparing_together_create_each_view_once(
    stores: Callable[[], tuple[EventStore, EventStore]],
) -> None:
    views = all_views()
    for _ in range(ROUNDS):
        first, second = stores()

        def start(store: EventStore) -> Callable[[], ProjectionRunner]:
            def prepare() -> ProjectionRunner:
                runner = ProjectionRunner(store, all_views())
                runner.prepare()
                return runner

            return prepare

        runners = together(start(first), start(second))
        try:
            rows = runners[0].viewstore.query(
                "SELECT view, active_generation, version FROM projection_generations"
            )
            assert sorted(rows) == sorted((v.name, 1, v.version) for v in views)
            generations = runners[0].viewstore.query(
                "SELECT view, generation, position FROM projection_positions"
                " WHERE view IN (SELECT view FROM projection_generations)"
            )
            assert sorted(generations) == sorted((v.name, 1, 0) for v in views)
        finally:
            for runner in runners:
                runner.stop()


def test_two_view_stores_opened_together_create_the_bookkeeping_once(
    stores: Callable[[], tuple[EventStore, EventStore]],
) -> None:
    for _ in range(ROUNDS):
        first, second = stores()
        opened = together(*(lambda s=s: ViewStore(s) for s in (first, second)))
        tables = opened[0].query(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_name LIKE 'projection_%'"
        )
        assert sorted(tables) == [("projection_generations",), ("projection_positions",)]
        for viewstore in opened:
            viewstore.close()


def test_two_refreshers_counting_together_write_each_due_day_once(
    stores: Callable[[], tuple[EventStore, EventStore]],
) -> None:
    first, second = stores()
    fill(first)
    with prepared(first, [DeadlineBoardView(), InboxView()]) as runner:
        runner.catch_up()
        day = AS_OF
        for _ in range(ROUNDS):
            morning = datetime(day.year, day.month, day.day, 9, tzinfo=JAKARTA)
            refreshers = [
                DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], lambda: "SIANTAR")
                for store in (first, second)
            ]
            ticked = together(*(lambda r=r, m=morning: r.tick(m) for r in refreshers))
            assert ticked == [True, True]
            for where in (DEADLINE_DAYS, INBOX_DAYS):
                table = runner.viewstore.table(where.view, where.table)
                rows = runner.viewstore.query(f"SELECT as_of, due_date FROM {table}")
                assert rows, where.table
                assert len(rows) == len(set(rows)), where.table
                assert {a for a, _ in rows} == {day.isoformat()}
            for refresher in refreshers:
                refresher.viewstore.close()
            day = date.fromordinal(day.toordinal() + 1)


def test_two_projectors_starting_with_a_new_view_version_rebuild_it_once(
    stores: Callable[[], tuple[EventStore, EventStore]],
) -> None:
    first, second = stores()
    write_events(first, 6)
    with prepared(first, [EventCounts()]) as old:
        old.catch_up()

    class EventCountsV2(EventCounts):
        version = 2

    def start(store: EventStore) -> Callable[[], ProjectionRunner]:
        def prepare() -> ProjectionRunner:
            runner = ProjectionRunner(store, [EventCountsV2()], batch_size=2)
            runner.prepare()
            return runner

        return prepare

    runners = together(start(first), start(second))
    try:
        viewstore = runners[0].viewstore
        assert viewstore.query(
            "SELECT active_generation, version FROM projection_generations WHERE view = ?",
            ("event_counts",),
        ) == [(2, 2)]
        assert viewstore.query(
            "SELECT generation, position FROM projection_positions WHERE view = ?",
            ("event_counts",),
        ) == [(2, 6)]
        table = viewstore.table("event_counts", "event_counts")
        rows = viewstore.query(f"SELECT event_name, n FROM {table}")
        assert sorted(rows) == [("Created", 1), ("Moved", 5)]
    finally:
        for runner in runners:
            runner.stop()
