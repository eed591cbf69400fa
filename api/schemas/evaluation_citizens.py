"""Schemas of citizens' feedback and the moderation of what citizens write."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, Field

from api.schemas import RequestBody
from api.schemas.bounds import whole_number
from api.schemas.params import UUID_PATTERN


class GiveFeedback(RequestBody):
    """A citizen's rating (1 to 5) of a published program, a comment, maybe the kelurahan."""

    program_id: str = Field(pattern=UUID_PATTERN, max_length=36)
    rating: Annotated[int, Field(ge=1, le=5), BeforeValidator(whole_number)]
    comment: str = Field("", max_length=2000)
    kelurahan: str = Field("", max_length=100)


class Moderate(RequestBody):
    """The secretariat's decision on a comment; a rejection says why."""

    decision: Literal["approved", "rejected"]
    reason: str = Field("", max_length=500)


class CommentOut(BaseModel):
    """A citizen's comment and the rating given with it (no personal data)."""

    comment_id: str
    kind: Literal["feedback", "survey"]
    subject_id: str
    subject_code: str
    rating: int
    comment: str
    kelurahan: str
    status: str
    submitted_at: str


class RatingsOut(BaseModel):
    """The approved ratings: how many, their mean and how many gave each rating."""

    count: int
    mean: float | None
    distribution: dict[int, int]


class ProgramFeedbackOut(BaseModel):
    """A program's approved feedback, and its ratings."""

    program_id: str
    ratings: RatingsOut
    comments: list[CommentOut]
