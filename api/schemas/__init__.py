"""Request and response schemas: requests refuse unknown fields; responses are plain values."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict

T = TypeVar("T")


class RequestBody(BaseModel):
    """Base of every request body: strict types; a field the API does not know is refused."""

    # Strict: "83" is not 83 and true is not 1. Texts are stripped by their own types
    # (api.schemas.bounds), after their length and pattern are checked as published.
    model_config = ConfigDict(extra="forbid", strict=True)


class CommandResult(BaseModel):
    """What every command answers: the log position of its last event."""

    position: int
    id: str | None = None


class Page(BaseModel, Generic[T]):
    """One page of a list; pass ``next_cursor`` back as ``cursor`` for the next page."""

    items: list[T]
    next_cursor: str | None = None
