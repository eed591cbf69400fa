"""The read models' state: equal readings while nothing moves, new ones after any change."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import JAKARTA
from infra.store import EventStore
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher
from projections.engine.freshness import read_state
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.inbox.view import InboxView
from tests.projections.runners import prepared
from tests.projections.views.deadlines.board_log import fill


def test_the_state_moves_with_the_views_and_with_each_count_of_working_days(
    durable_store: EventStore,
) -> None:
    with prepared(durable_store, [DeadlineBoardView(), InboxView()]) as runner:
        views = runner.viewstore
        empty = read_state(views)
        assert read_state(views) == empty
        fill(durable_store)
        runner.catch_up()
        projected = read_state(views)
        assert projected != empty
        assert projected.reached == durable_store.max_position()
        days = DayRefresher(durable_store, [DEADLINE_DAYS, INBOX_DAYS], lambda: "SIANTAR")
        try:
            assert days.tick(datetime(2025, 1, 6, 9, tzinfo=JAKARTA))
            counted = read_state(views)
            assert counted != projected
            assert counted.reached == projected.reached
            assert not days.tick(datetime(2025, 1, 6, 10, tzinfo=JAKARTA))
            assert read_state(views) == counted
            assert days.tick(datetime.combine(date(2025, 1, 7), datetime.min.time(), JAKARTA))
            assert read_state(views) != counted
        finally:
            days.viewstore.close()
