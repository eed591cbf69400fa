"""One page of a list already in order, after an opaque cursor naming the last key seen."""

from __future__ import annotations

import base64
from collections.abc import Callable, Sequence
from typing import TypeVar

from api.problems import ProblemError

T = TypeVar("T")


def encode_cursor(key: str) -> str:
    """An opaque cursor after ``key``."""
    return base64.urlsafe_b64encode(key.encode()).decode()


def decode_cursor(cursor: str) -> str:
    """The key a cursor points after; a broken cursor is a 422."""
    try:
        return base64.urlsafe_b64decode(cursor.encode()).decode()
    except (ValueError, UnicodeDecodeError):
        raise ProblemError(
            422, "invalid-cursor", "Not a valid cursor", "Start again from the first page."
        ) from None


def page_of(
    items: Sequence[T], key: Callable[[T], str], cursor: str | None, limit: int
) -> tuple[list[T], str | None]:
    """The items after ``cursor`` in ascending ``key`` order, and the cursor of the next page."""
    after = decode_cursor(cursor) if cursor else None
    rest = sorted((i for i in items if after is None or key(i) > after), key=key)
    page = rest[:limit]
    more = len(rest) > limit
    return page, encode_cursor(key(page[-1])) if more and page else None
