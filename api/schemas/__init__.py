"""Request and response schemas: requests refuse unknown fields; responses are plain values."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class RequestBody(BaseModel):
    """Base of every request body: a field the API does not know is refused."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class CommandResult(BaseModel):
    """What every command answers: the log position of its last event."""

    position: int
    id: str | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next page."""

    items: list[T]
    next_cursor: str | None = None
