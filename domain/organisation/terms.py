"""Who holds an OPD's head post, and when: definitive terms and acting (Plt./Plh.) terms."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.shared import Capacity

#: The capacities of an acting head: Plt. (Pelaksana Tugas) and Plh. (Pelaksana Harian).
ACTING_KINDS: frozenset[str] = frozenset({Capacity.PLT, Capacity.PLH})


def may_decide_restricted(capacity: str | None) -> bool:
    """Whether someone in ``capacity`` may decide a strategic or budget step.

    UU 30/2014 art. 14(7): a Plt. or Plh. may not take decisions with a strategic
    impact or that change the budget; only the definitive head may.
    """
    return capacity == Capacity.HEAD


@dataclass(frozen=True)
class HeadTerm:
    """A definitive head's term: from a date until the day before the successor's."""

    nip: str
    valid_from: date
    decree: str
    valid_until: date | None = None
    decree_date: date | None = None

    def covers(self, day: date) -> bool:
        """Whether the term is in force on ``day``."""
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)


@dataclass(frozen=True)
class ActingTerm:
    """A Plt. or Plh. appointment by decree (SK) for a period; ``ended_on`` cuts it short."""

    kind: str
    nip: str
    decree: str
    valid_from: date
    valid_until: date | None = None
    ended_on: date | None = None
    end_reason: str = ""
    decree_date: date | None = None

    @property
    def last_day(self) -> date | None:
        """The last day in force (``None`` when open-ended); before ``valid_from`` if void."""
        if self.ended_on is None:
            return self.valid_until
        if self.valid_until is None:
            return self.ended_on
        return min(self.ended_on, self.valid_until)

    def covers(self, day: date) -> bool:
        """Whether the appointment is in force on ``day``."""
        last = self.last_day
        return self.valid_from <= day and (last is None or day <= last)

    def overlaps(self, valid_from: date, valid_until: date | None) -> bool:
        """Whether this appointment shares a day with the period given."""
        last = self.last_day
        if last is not None and last < self.valid_from:
            return False
        starts_before_end = valid_until is None or self.valid_from <= valid_until
        return starts_before_end and (last is None or valid_from <= last)

    def open_on(self, day: date) -> bool:
        """Whether the appointment is still (or will be) in force on or after ``day``."""
        last = self.last_day
        return last is None or (last >= day and last >= self.valid_from)
