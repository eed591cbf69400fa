"""Schemas of the audit trail: events as recorded, states as of a moment, and diffs."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, AwareDatetime, BaseModel, BeforeValidator, field_serializer
from pydantic_core import PydanticCustomError

from api.schemas.dates import ISO_DAY, ISO_MOMENT, within_years

TimeAxis = Literal["recorded", "effective"]


class EventList(BaseModel):
    """Events in log order: who, in which capacity, when (effective and recorded), the hash.

    Every moment is ISO-8601 in UTC (``+00:00``); ``next_cursor`` is passed back as ``cursor``.
    """

    items: list[dict[str, Any]]
    next_cursor: str | None = None


class StateOut(BaseModel):
    """An aggregate's state as of a moment or right after a version (null: did not exist yet).

    ``as_of`` is the moment used, in UTC (a day asked for is the end of that day in WIB).
    """

    aggregate_id: str
    as_of: datetime | None
    time: TimeAxis | None
    version: int | None
    state: dict[str, Any] | None

    @field_serializer("as_of")
    def utc_text(self, as_of: datetime | None) -> str | None:
        """The moment as every audit answer gives one: ISO-8601 in UTC, ``+00:00``."""
        return None if as_of is None else as_of.astimezone(UTC).isoformat()


class DiffOut(BaseModel):
    """What changed between two moments: each field before and after, and the events between."""

    aggregate_id: str
    time: TimeAxis
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: dict[str, dict[str, Any]]
    events: list[dict[str, Any]]


class WorkflowHistoryOut(BaseModel):
    """Temporal's own history of an approval's workflow, as Temporal's JSON."""

    workflow_id: str
    history: dict[str, Any]


#: The largest log position or version the store can hold (a signed 64-bit integer).
MAX_POSITION = 2**63 - 1

DAY_OR_MOMENT_WORDS = (
    "Give a day as YYYY-MM-DD (the city's day, WIB) or a moment with its time zone, for"
    " example 2023-10-18 or 2023-10-18T09:00:00+07:00 (in a query, write the + as %2B)."
)


def day_or_moment_text(value: Any) -> Any:
    """A day (YYYY-MM-DD) as a day, ISO-8601 text with a time zone as a moment; nothing else."""
    if isinstance(value, date):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:  # a day that the calendar does not have, such as 2023-02-30
            pass
    elif isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        try:
            return datetime.fromisoformat(value.replace("z", "Z"))
        except ValueError:
            pass
    raise PydanticCustomError("day_or_moment_format", DAY_OR_MOMENT_WORDS)


#: A day of the city (WIB) or a moment with its time zone, in the years 1945-2100.
DayOrMoment = Annotated[
    date | AwareDatetime, BeforeValidator(day_or_moment_text), AfterValidator(within_years)
]
