"""Reminder and escalation times of a deadline, from the working calendar."""

from __future__ import annotations

from datetime import date, datetime

from domain.calendar import JAKARTA, WorkingCalendar
from infra.temporal import SEARCH_ATTRIBUTES
from workflows import schedule
from workflows.common import AlertKind
from workflows.search import ALL_KEYS

CALENDAR = WorkingCalendar()


def wib(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=JAKARTA)


def test_alerts_skip_idul_fitri_cuti_bersama_and_come_in_time_order() -> None:
    alerts = schedule.alerts(CALENDAR, date(2023, 4, 17), date(2023, 4, 27), [2, 1, 0], 3)
    assert [(a.kind, a.label, a.at) for a in alerts] == [
        (AlertKind.REMINDER, "H-2", wib(2023, 4, 18, 8, 0)),
        (AlertKind.REMINDER, "H-1", wib(2023, 4, 26, 8, 0)),
        (AlertKind.REMINDER, "H-0", wib(2023, 4, 27, 8, 0)),
        (AlertKind.ESCALATION, "sekda", wib(2023, 4, 27, 23, 59, 59)),
        # Three working days after 27 Apr: 28 Apr, then 1 May is Labour Day, 2 and 3 May.
        (AlertKind.ESCALATION, "inspektorat", wib(2023, 5, 3, 23, 59, 59)),
    ]
    assert [a.level for a in alerts if a.kind == AlertKind.ESCALATION] == [1, 2]


def test_reminders_before_the_opening_day_are_left_out() -> None:
    # Opened Tuesday 2 May 2023 with one working day: due Wednesday 3 May.
    alerts = schedule.reminders(CALENDAR, date(2023, 5, 2), date(2023, 5, 3), [2, 1, 0])
    assert [a.label for a in alerts] == ["H-1", "H-0"]


def test_search_attribute_keys_match_what_the_server_registers() -> None:
    registered = {key.name: key.indexed_value_type.name for key in ALL_KEYS}
    expected = {
        name: kind.upper().replace("KEYWORDLIST", "KEYWORD_LIST")
        for name, kind in SEARCH_ATTRIBUTES.items()
    }
    assert registered == expected
