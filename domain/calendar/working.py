"""Working days (hari kerja) and when a working day ends.

A working day is Monday to Friday, less national holidays, cuti bersama and the city's own
declarations (a local holiday, or an extra working Saturday).

A deadline "in n working days" falls due at the end of that day, 23:59:59 Western
Indonesian Time (WIB, UTC+7). A fixed offset is used because Indonesia has no daylight
saving time, so no time-zone database is needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone

from domain.calendar.national import national_holidays
from domain.shared import ValidationError

#: Western Indonesian Time (Waktu Indonesia Barat), UTC+7.
JAKARTA = timezone(timedelta(hours=7), "WIB")
#: The moment a working day ends for deadlines.
END_OF_DAY = time(23, 59, 59)
_DAY = timedelta(days=1)


class InvalidWorkingDaysError(ValidationError):
    """A number of working days must not be negative."""

    code = "invalid-working-days"
    title = "Not a valid number of working days"

    def __init__(self, n: int) -> None:
        super().__init__("n", f"A number of working days cannot be negative (got {n}).")


def end_of_day(day: date) -> datetime:
    """The end of ``day`` in WIB: when something due that day becomes late."""
    return datetime.combine(day, END_OF_DAY, tzinfo=JAKARTA)


def local_day(moment: datetime) -> date:
    """The calendar day in WIB of an aware ``moment``."""
    if moment.tzinfo is None:
        raise ValidationError("moment", "The time must carry a time zone.")
    return moment.astimezone(JAKARTA).date()


@dataclass(frozen=True)
class WorkingCalendar:
    """Which days are working days for one city, and counting in working days."""

    local_holidays: Mapping[date, str] = field(default_factory=dict)
    extra_working_days: Mapping[date, str] = field(default_factory=dict)

    def day_off_reason(self, day: date) -> str | None:
        """Why ``day`` is not a working day (holiday name, weekend), or None if it is one."""
        if day in self.extra_working_days:
            return None
        if day in self.local_holidays:
            return self.local_holidays[day]
        national = national_holidays(day.year).get(day)
        if national is not None:
            return national
        return day.strftime("%A") if day.weekday() >= 5 else None

    def is_working_day(self, day: date) -> bool:
        """Whether ``day`` is a working day."""
        return self.day_off_reason(day) is None

    def next_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the first working day after it."""
        while not self.is_working_day(day):
            day += _DAY
        return day

    def previous_working_day(self, day: date) -> date:
        """``day`` if it is a working day, else the last working day before it."""
        while not self.is_working_day(day):
            day -= _DAY
        return day

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (n = 0: ``start`` or the next working day)."""
        return self._step(start, n, _DAY)

    def subtract_working_days(self, start: date, n: int) -> date:
        """The n-th working day before ``start`` (n = 0: ``start`` or the previous one)."""
        return self._step(start, n, -_DAY)

    def _step(self, start: date, n: int, step: timedelta) -> date:
        """Walk ``n`` working days from ``start`` in the direction of ``step``."""
        if n < 0:
            raise InvalidWorkingDaysError(n)
        day = start
        if n == 0:
            while not self.is_working_day(day):
                day += step
            return day
        while n > 0:
            day += step
            if self.is_working_day(day):
                n -= 1
        return day

    def working_days_between(self, a: date, b: date) -> int:
        """The working days after ``a`` up to and including ``b`` (negative when b < a)."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + _DAY * i) for i in range(1, (b - a).days + 1))

    def working_days_late(self, due: date, on: date) -> int:
        """How many working days past ``due`` the day ``on`` is (0 when not late)."""
        return max(0, self.working_days_between(due, on))

    def due_at(self, start: date, n: int) -> datetime:
        """The moment something due ``n`` working days after ``start`` becomes late."""
        return end_of_day(self.add_working_days(start, n))
