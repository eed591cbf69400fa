"""Working days late and left: counted by the projector's refresher, read by the queries."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime

import pytest

from domain.calendar import JAKARTA, WorkingCalendar
from domain.calendar.application import CalendarApplication
from infra.store import EventStore
from projections.engine.days import DEADLINE_DAYS, INBOX_DAYS, DayRefresher, lookup
from projections.engine.runner import ProjectionRunner
from projections.views.deadlines import queries as board
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.inbox.queries import inbox
from projections.views.inbox.view import InboxView
from tests.projections.runners import prepared
from tests.projections.views.deadlines.board_log import AS_OF, approval, fill
from tests.support.plan import SECRETARIAT

CITY = "SIANTAR"
#: A calendar that disagrees with the city's: every weekday of late December is a holiday.
WRONG = WorkingCalendar(local_holidays={date(2024, 12, d): "wrong" for d in range(20, 32)})


@pytest.fixture
def runner(durable_store: EventStore) -> Iterator[ProjectionRunner]:
    """The deadline board and the inbox, prepared but not following."""
    with prepared(durable_store, [DeadlineBoardView(), InboxView()]) as projection_runner:
        yield projection_runner


def morning(day: date) -> datetime:
    """09:00 in the city on ``day``."""
    return datetime(day.year, day.month, day.day, 9, tzinfo=JAKARTA)


def refresher(store: EventStore) -> DayRefresher:
    """The projector's refresher for the deployment's city."""
    return DayRefresher(store, [DEADLINE_DAYS, INBOX_DAYS], lambda: CITY)


@pytest.fixture
def counted(durable_store: EventStore, runner: ProjectionRunner) -> DayRefresher:
    """The board filled and projected, its days counted on the morning of ``AS_OF``."""
    fill(durable_store)
    runner.catch_up()
    days = refresher(durable_store)
    days.tick(morning(AS_OF))
    return days


def late_days(runner: ProjectionRunner, as_of: date, calendar: WorkingCalendar) -> set[int]:
    """Working days late of the overdue rows, as the board answers them for the city."""
    found = board.overdue(runner.viewstore, as_of, calendar=calendar, city=CITY)
    return {d.working_days_late for d in found}


def test_the_board_reads_working_days_late_the_projector_counted(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    fill(durable_store)
    runner.catch_up()
    assert refresher(durable_store).tick(morning(AS_OF))
    # The rows win over the calendar the request passes: nothing is counted per request.
    assert late_days(runner, AS_OF, WRONG) == {2}
    # Without precomputed rows (another city) the request counts, with its calendar.
    assert {
        d.working_days_late for d in board.overdue(runner.viewstore, AS_OF, calendar=WRONG)
    } == {0}


def test_a_new_day_in_the_city_recounts_and_drops_the_old_days_rows(
    runner: ProjectionRunner, counted: DayRefresher
) -> None:
    days = counted
    assert not days.tick(morning(AS_OF))  # nothing changed: nothing written
    following = date(2024, 12, 31)
    assert days.tick(morning(following))
    assert late_days(runner, following, WRONG) == {3}
    assert lookup(runner.viewstore, DEADLINE_DAYS, CITY, AS_OF, [date(2024, 12, 24)]) == {}


def test_a_declared_local_holiday_is_counted_at_the_next_refresh(
    durable_store: EventStore, runner: ProjectionRunner, counted: DayRefresher
) -> None:
    days = counted
    durable_store.app(CalendarApplication).declare_local_holiday(
        CITY, date(2024, 12, 27), "Hari jadi kota", by=SECRETARIAT
    )
    runner.catch_up()
    assert days.tick(morning(AS_OF))
    assert late_days(runner, AS_OF, WorkingCalendar()) == {1}


def test_the_inbox_reads_working_days_left_the_projector_counted(
    durable_store: EventStore, runner: ProjectionRunner
) -> None:
    approval(durable_store)
    runner.catch_up()
    refresher(durable_store).tick(morning(AS_OF))
    (step,) = inbox(runner.viewstore, ["DISKOMINFO"], morning(AS_OF), WRONG, city=CITY)
    # Due 3 January 2025: 31 December and 2 and 3 January are working days (1 January is not).
    assert step.working_days_left == WorkingCalendar().working_days_between(AS_OF, date(2025, 1, 3))
    assert step.working_days_left == 3
