"""One page of a list already in order, after an opaque cursor naming the last key seen."""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable, Sequence
from typing import TypeVar

from api.problems import ProblemError

T = TypeVar("T")

#: The longest cursor accepted: every key Jejak pages by is far shorter.
MAX_CURSOR_LENGTH = 512


def encode_cursor(key: str) -> str:
    """An opaque cursor after ``key``."""
    return base64.urlsafe_b64encode(key.encode()).decode()


def invalid_cursor() -> ProblemError:
    """422: the cursor was not made by this API (or was changed on the way)."""
    return ProblemError(
        422,
        "invalid-cursor",
        "Not a valid cursor",
        "This cursor was not given by Jejak, or was changed. Start again from the first page.",
    )


def decode_cursor(cursor: str) -> str:
    """The key a cursor points after; a broken cursor is a 422."""
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid_cursor()
    try:
        return base64.urlsafe_b64decode(cursor.encode("ascii")).decode()
    except (ValueError, UnicodeError, binascii.Error):
        raise invalid_cursor() from None


def key_index(text: str) -> int:
    """A small non-negative number of a cursor key (a database integer cannot overflow)."""
    value = int(text)
    if not 0 <= value < 2**31:
        raise ValueError(f"index out of range: {value}")
    return value


def decode_key_cursor(cursor: str, *fields: Callable[[str], object]) -> str:
    """The key of a cursor over ``|``-joined fields, each checked by its parser; else 422.

    ``decode_key_cursor(c, datetime.fromisoformat, str, key_index)`` accepts only keys of a date,
    a text and a number, so a forged cursor never reaches a query as a broken value.
    """
    key = decode_cursor(cursor)
    parts = key.split("|")
    if len(parts) != len(fields):
        raise invalid_cursor()
    try:
        for part, parse in zip(parts, fields, strict=True):
            parse(part)
    except (ValueError, TypeError, OverflowError):
        raise invalid_cursor() from None
    return key


def page_of(
    items: Sequence[T], key: Callable[[T], str], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The items after ``cursor`` in ascending ``key`` order, and the cursor of the next page."""
    after = decode_cursor(cursor) if cursor else None
    rest = sorted((i for i in items if after is None or key(i) > after), key=key)
    page = rest[:limit]
    more = len(rest) > limit
    return page, encode_cursor(key(page[-1])) if more and page else None
