"""Calendar: working days skip weekends, national holidays, cuti bersama and city holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from domain.calendar import (
    JAKARTA,
    CalendarApplication,
    CityCalendar,
    DayAlreadyDeclaredError,
    DeclarationNotNeededError,
    InvalidCityError,
    InvalidWorkingDaysError,
    NoDeclarationError,
    WorkingCalendar,
    local_day,
    national_holidays,
)
from domain.shared import Actor, Capacity
from infra.store import EventStore

NATIONAL = WorkingCalendar()
SIANTAR = "PEMATANGSIANTAR"
SECRETARIAT = Actor("197505052000031002", Capacity.STAFF)
days = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))
counts = st.integers(min_value=1, max_value=60)


@pytest.fixture
def calendars(store: EventStore) -> CalendarApplication:
    """The calendar service over a fresh store."""
    return store.app(CalendarApplication)


def test_five_working_days_from_17_april_2023_skip_idul_fitri_and_labour_day(
    calendars: CalendarApplication,
) -> None:
    assert calendars.add_working_days(SIANTAR, date(2023, 4, 17), 5) == date(2023, 5, 2)


def test_three_working_day_sla_from_17_april_2023_ends_27_april(
    calendars: CalendarApplication,
) -> None:
    assert calendars.add_working_days(SIANTAR, date(2023, 4, 17), 3) == date(2023, 4, 27)


@pytest.mark.parametrize(
    ("start", "n", "expected"),
    [
        (date(2023, 6, 27), 1, date(2023, 7, 3)),  # Idul Adha 28-30 Jun 2023
        (date(2023, 12, 22), 1, date(2023, 12, 27)),  # Christmas + cuti bersama 26 Dec
        (date(2023, 1, 20), 1, date(2023, 1, 24)),  # Imlek cuti bersama Mon 23 Jan
        (date(2023, 10, 17), 1, date(2023, 10, 18)),  # the commitment signing, a Wednesday
        (date(2024, 4, 5), 1, date(2024, 4, 16)),  # Idul Fitri 2024: 8-15 Apr
        (date(2024, 2, 7), 1, date(2024, 2, 12)),  # Isra Mi'raj 8 Feb + Imlek leave 9 Feb
        (date(2024, 2, 13), 1, date(2024, 2, 15)),  # general election, 14 Feb 2024
        (date(2024, 5, 8), 3, date(2024, 5, 15)),  # Ascension 9-10 May 2024
        (date(2024, 12, 24), 1, date(2024, 12, 27)),  # Christmas 25 + leave 26 Dec 2024
    ],
)
def test_known_2023_and_2024_dates(start: date, n: int, expected: date) -> None:
    assert NATIONAL.add_working_days(start, n) == expected


def test_idul_fitri_2024_cuti_bersama_comes_from_the_package() -> None:
    off = [date(2024, 4, d) for d in (8, 9, 10, 11, 12, 15)]
    assert all(day in national_holidays(2024) for day in off)
    assert [NATIONAL.is_working_day(day) for day in off] == [False] * 6
    assert NATIONAL.is_working_day(date(2024, 4, 16))


def test_zero_working_days_is_the_start_or_the_next_working_day() -> None:
    assert NATIONAL.add_working_days(date(2023, 4, 17), 0) == date(2023, 4, 17)
    assert NATIONAL.add_working_days(date(2023, 4, 19), 0) == date(2023, 4, 26)


def test_negative_working_days_are_refused() -> None:
    with pytest.raises(InvalidWorkingDaysError):
        NATIONAL.add_working_days(date(2023, 4, 17), -1)


def test_counting_between_and_lateness_use_working_days() -> None:
    assert NATIONAL.working_days_between(date(2023, 4, 17), date(2023, 5, 2)) == 5
    assert NATIONAL.working_days_between(date(2023, 5, 2), date(2023, 4, 17)) == -5
    due = date(2023, 4, 27)
    assert NATIONAL.working_days_late(due, date(2023, 4, 27)) == 0
    assert NATIONAL.working_days_late(due, date(2023, 5, 1)) == 1
    assert NATIONAL.working_days_late(due, date(2023, 5, 2)) == 2
    assert NATIONAL.working_days_late(due, date(2023, 4, 20)) == 0


def test_two_working_days_before_due_skips_holidays_backwards() -> None:
    assert NATIONAL.subtract_working_days(date(2023, 5, 2), 2) == date(2023, 4, 27)
    assert NATIONAL.subtract_working_days(date(2023, 4, 26), 1) == date(2023, 4, 18)
    assert NATIONAL.previous_working_day(date(2023, 4, 23)) == date(2023, 4, 18)


def test_due_at_is_the_end_of_the_working_day_in_wib() -> None:
    due = NATIONAL.due_at(date(2023, 4, 17), 3)
    assert due == datetime(2023, 4, 27, 23, 59, 59, tzinfo=JAKARTA)
    assert due.astimezone(UTC) == datetime(2023, 4, 27, 16, 59, 59, tzinfo=UTC)
    assert local_day(datetime(2023, 4, 27, 18, 0, tzinfo=UTC)) == date(2023, 4, 28)


def test_city_local_holiday_shifts_the_result(calendars: CalendarApplication) -> None:
    start = date(2024, 4, 22)
    assert calendars.add_working_days(SIANTAR, start, 2) == date(2024, 4, 24)
    calendars.declare_local_holiday(SIANTAR, date(2024, 4, 24), "Hari Jadi Kota", by=SECRETARIAT)
    assert calendars.add_working_days(SIANTAR, start, 2) == date(2024, 4, 25)
    assert calendars.add_working_days("MEDAN", start, 2) == date(2024, 4, 24)


def test_declared_working_saturday_counts(calendars: CalendarApplication) -> None:
    saturday = date(2024, 4, 20)
    calendars.declare_working_day(SIANTAR, saturday, "Bimtek make-up day", by=SECRETARIAT)
    assert calendars.add_working_days(SIANTAR, date(2024, 4, 19), 1) == saturday
    assert calendars.calendar_for(SIANTAR).is_working_day(saturday)


def test_withdrawn_declaration_restores_the_national_calendar(
    calendars: CalendarApplication, store: EventStore
) -> None:
    saturday = date(2024, 4, 20)
    calendars.declare_working_day(SIANTAR, saturday, "make-up day", by=SECRETARIAT)
    position = calendars.withdraw_declaration(SIANTAR, saturday, "cancelled", by=SECRETARIAT)
    assert position == store.max_position()
    assert calendars.add_working_days(SIANTAR, date(2024, 4, 19), 1) == date(2024, 4, 22)
    with pytest.raises(NoDeclarationError):
        calendars.withdraw_declaration(SIANTAR, saturday, "again", by=SECRETARIAT)


def test_declarations_are_recorded_as_events_with_their_actor(
    calendars: CalendarApplication,
) -> None:
    calendars.declare_local_holiday(SIANTAR, date(2024, 4, 24), "Hari Jadi", by=SECRETARIAT)
    calendars.declare_working_day(SIANTAR, date(2024, 4, 20), "make-up day", by=SECRETARIAT)
    city = calendars.calendar_for(SIANTAR)
    assert city.day_off_reason(date(2024, 4, 24)) == "Hari Jadi"
    recorded = list(calendars.events.get(CityCalendar.create_id(SIANTAR)))
    names = [type(e).__name__ for e in recorded]
    assert names == ["Created", "LocalHolidayDeclared", "WorkingDayDeclared"]
    assert recorded[1].actor == SECRETARIAT.actor_id  # type: ignore[attr-defined]


def test_pointless_or_repeated_declarations_are_refused(calendars: CalendarApplication) -> None:
    calendars.declare_local_holiday(SIANTAR, date(2024, 4, 24), "Hari Jadi", by=SECRETARIAT)
    with pytest.raises(DayAlreadyDeclaredError):
        calendars.declare_working_day(SIANTAR, date(2024, 4, 24), "oops", by=SECRETARIAT)
    with pytest.raises(DeclarationNotNeededError):
        calendars.declare_local_holiday(SIANTAR, date(2024, 4, 21), "a Sunday", by=SECRETARIAT)
    with pytest.raises(DeclarationNotNeededError):
        calendars.declare_working_day(SIANTAR, date(2024, 4, 23), "a Tuesday", by=SECRETARIAT)
    with pytest.raises(InvalidCityError):
        calendars.declare_local_holiday("", date(2024, 4, 25), "x", by=SECRETARIAT)
    assert calendars.calendar_for(SIANTAR).is_working_day(date(2024, 4, 23))


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_adding_working_days_lands_on_a_working_day(start: date, n: int) -> None:
    assert NATIONAL.is_working_day(NATIONAL.add_working_days(start, n))


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_working_days_between_undoes_adding(start: date, n: int) -> None:
    assert NATIONAL.working_days_between(start, NATIONAL.add_working_days(start, n)) == n


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_adding_more_working_days_lands_later(start: date, n: int) -> None:
    # n = 0 and n = 1 agree when the start is a day off (both give the next working day).
    assert NATIONAL.add_working_days(start, 0) <= NATIONAL.add_working_days(start, 1)
    assert NATIONAL.add_working_days(start, n) < NATIONAL.add_working_days(start, n + 1)


@settings(max_examples=200, deadline=None)
@given(days, counts)
def test_subtracting_undoes_adding(start: date, n: int) -> None:
    back = NATIONAL.subtract_working_days(NATIONAL.add_working_days(start, n), n)
    assert back == NATIONAL.previous_working_day(start)
    assert start - back < timedelta(days=15)
