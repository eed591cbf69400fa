"""The bounded types of request fields: what the OpenAPI says is exactly what is checked.

Lengths and patterns apply to the text as sent (leading or trailing blanks count), then the
text is stripped: stripping first would accept text the published schema refuses. Free text
that is required must hold a character other than a blank. Every event is kept for good, so
no text, list or number is unbounded.
"""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, BeforeValidator, Field, WithJsonSchema
from pydantic_core import PydanticCustomError

#: An OPD code as the domain normalises it (upper case): letters, digits and hyphens.
CODE_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$"
#: An 18-digit NIP: birth date, year and month of appointment, gender digit (1 or 2), serial;
#: the groups may be separated by one space (19800101 200501 1 001).
NIP_PATTERN = (
    r"^(19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01]) ?"
    r"[0-9]{4}(0[1-9]|1[0-2]) ?[12] ?[0-9]{3}$"
)
#: A required text holds at least one character that is not a blank. Spelled out, because
#: ``\S`` differs between the engines that read it: the JSON Schema (ECMA) regex, pydantic's
#: and Python's ``str.strip`` disagree on U+0085, U+001C-U+001F and U+FEFF; a character
#: outside this class is a blank for none of them.
NOT_BLANK = "[^\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]"
#: A web address with no blank in it (the same blanks as NOT_BLANK), or nothing.
OPTIONAL_LINK = f"^(https?://{NOT_BLANK}+)?$"
#: A key of the API's own making: letters, digits, '.', '_' and '-', starting with one of
#: the first two.
KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9._-]*$"

#: The longest name, title or short reason; the longest comment, note or reason.
NAME_MAX, TITLE_MAX, COMMENT_MAX = 200, 300, 4000
#: The longest reference to a document (a URL or an archive number).
REFERENCE_MAX = 1000
#: The largest amount of rupiah, and the largest target figure, in absolute value.
RUPIAH_MAX = 10**15
FIGURE_MAX = 1e15


#: A year from 1901 to 2999, as text.
YEAR_PATTERN = r"^(190[1-9]|19[1-9][0-9]|2[0-9]{3})$"


def year_text(value: Any) -> Any:
    """A year written as text (a key of a JSON object), as a number; anything else refused."""
    if isinstance(value, str) and re.fullmatch(YEAR_PATTERN, value):
        return int(value)
    raise PydanticCustomError("year_format", "Give a year from 1901 to 2999, for example 2024.")


def whole_number(value: Any) -> Any:
    """A JSON integer (3, or 3.0, which JSON Schema counts as one); text or true/false refused."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise PydanticCustomError("int_type", "Give a whole number, for example 3.")


def stripped(value: str) -> str:
    """The text without leading and trailing blanks."""
    return value.strip()


def _text(max_length: int, *, required: bool = True) -> Any:
    """Field constraints of a free text of at most ``max_length`` characters."""
    if required:
        return Field(min_length=1, max_length=max_length, pattern=NOT_BLANK)
    return Field(max_length=max_length)


#: A name or a decree number: 1-200 characters, not only blanks.
Name = Annotated[str, _text(NAME_MAX), AfterValidator(stripped)]
#: A label or a title of a post: 1-100 characters, not only blanks.
Label = Annotated[str, _text(100), AfterValidator(stripped)]
#: A title: 1-300 characters, not only blanks.
Title = Annotated[str, _text(TITLE_MAX), AfterValidator(stripped)]
#: A place or venue, which may be left empty: at most 300 characters.
OptionalTitle = Annotated[str, _text(TITLE_MAX, required=False), AfterValidator(stripped)]
#: A reason that must be given: 1-4000 characters, not only blanks.
Reason = Annotated[str, _text(COMMENT_MAX), AfterValidator(stripped)]
#: A comment or a note, which may be left empty: at most 4000 characters.
Comment = Annotated[str, _text(COMMENT_MAX, required=False), AfterValidator(stripped)]
#: A reference to a document (a URL, an archive number): 1-1000 characters.
Reference = Annotated[str, _text(REFERENCE_MAX), AfterValidator(stripped)]
#: The full text of a document to sign: 1-20000 characters, not only blanks.
Document = Annotated[str, _text(20000), AfterValidator(stripped)]


#: An OPD code, e.g. DISKOMINFO (any case; stored in upper case).
OpdCode = Annotated[
    str,
    Field(min_length=2, max_length=32, pattern=CODE_PATTERN, examples=["DISKOMINFO"]),
    AfterValidator(stripped),
]
#: A city code, e.g. PEMATANGSIANTAR or 1272 (any case; stored in upper case).
CityCode = Annotated[
    str,
    Field(min_length=2, max_length=32, pattern=CODE_PATTERN, examples=["PEMATANGSIANTAR"]),
]
#: A civil servant's NIP: 18 digits, in groups that may be separated by one space.
Nip = Annotated[
    str,
    Field(min_length=18, max_length=21, pattern=NIP_PATTERN, examples=["197207231998071004"]),
]
#: Who signs: a NIP, or the id of a signer who has none (letters, digits, ' ', '.', '_', '-').
SignerId = Annotated[
    str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9]([A-Za-z0-9 ._-]*[A-Za-z0-9])?$")
]
#: A key chosen by the caller (a program or milestone code, a slug, a deliverable id).
Key = Annotated[str, Field(min_length=1, max_length=80, pattern=KEY_PATTERN)]
#: A short key: a program's or milestone's code, an aspect's id.
ShortKey = Annotated[str, Field(min_length=1, max_length=40, pattern=KEY_PATTERN)]
#: An object keyed by years refuses any other key.
ONLY_YEARS: dict[str, Any] = {"additionalProperties": False}
#: A whole number, as JSON Schema's integer: 3 or 3.0, never "3" nor true.
Whole = Annotated[int, BeforeValidator(whole_number)]
#: A weight: a finite number above zero, at most 1000.
Weight = Annotated[float, Field(gt=0, le=1000, allow_inf_nan=False)]
#: A year of a plan, as a key of an object (JSON keys are text: "2024"); read as a number.
Year = Annotated[
    int,
    BeforeValidator(year_text),
    WithJsonSchema({"type": "string", "pattern": YEAR_PATTERN}),
]
#: A target: a text, or a finite number.
Target = (
    Annotated[str, Field(min_length=1, max_length=NAME_MAX, pattern=NOT_BLANK)]
    | Annotated[int, Field(ge=-RUPIAH_MAX, le=RUPIAH_MAX), BeforeValidator(whole_number)]
    | Annotated[float, Field(ge=-FIGURE_MAX, le=FIGURE_MAX, allow_inf_nan=False)]
)
#: An amount of rupiah.
Rupiah = Annotated[int, Field(ge=0, le=RUPIAH_MAX), BeforeValidator(whole_number)]
