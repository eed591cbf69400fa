"""Days and moments as the API accepts them: ISO-8601 text only, within the program's years.

The framework's lax parsing would read a number (or a numeral in a query) as seconds since
1970, so ``{"day": 0}`` would become 1 January 1970. These types take text in ISO-8601 form
only, and a moment must carry its time zone. Events are never rewritten, so a mistyped year
is refused here rather than kept in the log for good.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Strict, WithJsonSchema
from pydantic_core import PydanticCustomError

#: The years a day or moment of the program may fall in: earlier or later is a typo.
FIRST_YEAR, LAST_YEAR = 1945, 2100

ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
ISO_MOMENT = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?([Zz]|[+-]\d{2}:?\d{2})"
)
DAY_WORDS = "Give a day as YYYY-MM-DD, for example 2024-08-17."
MOMENT_WORDS = (
    "Give a moment as YYYY-MM-DDTHH:MM:SS with its time zone, for example"
    " 2024-08-17T09:00:00+07:00 (in a query, write the + as %2B)."
)


def iso_day_text(value: Any) -> Any:
    """Let through a day already made, or text in the form YYYY-MM-DD; refuse anything else."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("day_format", DAY_WORDS)


def iso_moment_text(value: Any) -> Any:
    """Let through a moment already made, or ISO-8601 text with a time zone; refuse the rest."""
    if isinstance(value, datetime):
        return value
    if isinstance(value, str) and ISO_MOMENT.fullmatch(value):
        return value
    raise PydanticCustomError("moment_format", MOMENT_WORDS)


def within_years(value: date) -> date:
    """Refuse a day or moment outside the program's years: the year is most likely mistyped."""
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise PydanticCustomError(
            "year_out_of_range",
            "{value} is outside the years {first}-{last}; check the year.",
            {"value": value.isoformat(), "first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return value


#: The years 1945-2100 as the first four characters of a day or moment.
YEARS = r"^(194[5-9]|19[5-9][0-9]|20[0-9]{2}|2100)-"
#: What the OpenAPI says of each: the form, and for Day and Moment the years.
ANY_DAY_SCHEMA = {"type": "string", "format": "date", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}
DAY_SCHEMA = {"type": "string", "format": "date", "pattern": YEARS + r"[0-9]{2}-[0-9]{2}$"}
MOMENT_SCHEMA = {"type": "string", "format": "date-time", "pattern": YEARS}

# Strict(False): request bodies are strict, but a day is sent as text; the validators above
# already let through only ISO text, which the lax date parser then reads.
#: A calendar day as YYYY-MM-DD, any year (where the domain bounds the day itself).
IsoDay = Annotated[
    date, Strict(False), BeforeValidator(iso_day_text), WithJsonSchema(ANY_DAY_SCHEMA)
]
#: A calendar day as YYYY-MM-DD, in the years 1945-2100.
Day = Annotated[
    date,
    Strict(False),
    BeforeValidator(iso_day_text),
    AfterValidator(within_years),
    WithJsonSchema(DAY_SCHEMA),
]
#: A moment as ISO-8601 text with its time zone, in the years 1945-2100.
Moment = Annotated[
    AwareDatetime,
    Strict(False),
    BeforeValidator(iso_moment_text),
    AfterValidator(within_years),
    WithJsonSchema(MOMENT_SCHEMA),
]
