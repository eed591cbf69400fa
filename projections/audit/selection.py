"""Which events an export holds: by when they happened (effective) or were recorded.

Days are the city's days (WIB): a day as a start means its first moment, as an end its
last. A selection on recorded time is an unbroken run of positions (the log is in recorded
order), so the exported chain proves nothing inside it is missing. A selection on effective
time picks events across the log: each event still proves itself, and the export names the
positions left out (docs/auditors.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from domain.calendar import JAKARTA

#: The city's time zone, in which a day given without a time is read.
CITY_TIME_ZONE = JAKARTA


def day_start(day: date) -> datetime:
    """The first moment of ``day`` in the city."""
    return datetime.combine(day, time.min, CITY_TIME_ZONE)


def day_end(day: date) -> datetime:
    """The last moment of ``day`` in the city."""
    return datetime.combine(day + timedelta(days=1), time.min, CITY_TIME_ZONE) - timedelta(
        microseconds=1
    )


def start_of(value: date | datetime) -> datetime:
    """A day or a moment as the start of a range (a day from its first moment)."""
    return value if isinstance(value, datetime) else day_start(value)


def end_of(value: date | datetime) -> datetime:
    """A day or a moment as the end of a range (a day includes all of itself)."""
    return value if isinstance(value, datetime) else day_end(value)


def as_start(value: date | datetime | None) -> datetime | None:
    """Like ``start_of``, for an open bound."""
    return None if value is None else start_of(value)


def as_end(value: date | datetime | None) -> datetime | None:
    """Like ``end_of``, for an open bound."""
    return None if value is None else end_of(value)


@dataclass(frozen=True)
class Selection:
    """Bounds on effective and recorded time (``None``: open); moments with a time zone."""

    effective_from: datetime | None = None
    effective_to: datetime | None = None
    recorded_from: datetime | None = None
    recorded_to: datetime | None = None

    @classmethod
    def of(
        cls,
        effective_from: date | datetime | None = None,
        effective_to: date | datetime | None = None,
        recorded_from: date | datetime | None = None,
        recorded_to: date | datetime | None = None,
    ) -> Selection:
        """A selection from days (the city's) or moments."""
        return cls(
            as_start(effective_from), as_end(effective_to),
            as_start(recorded_from), as_end(recorded_to),
        )  # fmt: skip

    @property
    def on_effective_time(self) -> bool:
        """True when events are picked by effective time (gaps in positions are expected)."""
        return self.effective_from is not None or self.effective_to is not None

    def recorded_before_start(self, recorded: datetime) -> bool:
        """The event was recorded before the selection starts."""
        return self.recorded_from is not None and recorded < self.recorded_from

    def recorded_after_end(self, recorded: datetime) -> bool:
        """The event was recorded after the selection ends (so are all later ones)."""
        return self.recorded_to is not None and recorded > self.recorded_to

    def effective_within(self, effective: datetime) -> bool:
        """The event happened within the effective bounds."""
        if self.effective_from is not None and effective < self.effective_from:
            return False
        return self.effective_to is None or effective <= self.effective_to

    def described(self) -> dict[str, Any]:
        """The bounds as the export's header states them (UTC text, or null)."""
        return {
            name: None if value is None else value.astimezone(UTC).isoformat()
            for name, value in vars(self).items()
        }
