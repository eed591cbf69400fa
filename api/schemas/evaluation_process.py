"""Schemas of the evaluation process: its start, each step's body, and where it stands."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, Field

from api.schemas import RequestBody
from api.schemas.bounds import OpdCode, Reason, whole_number

#: An item's code, as it was added.
ItemCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[A-Za-z0-9._-]+$")]


class AssignmentIn(RequestBody):
    """The items one OPD fills (attaches its evidence to)."""

    opd_code: OpdCode
    item_codes: list[ItemCode] = Field(min_length=1, max_length=200)


class StartProcess(RequestBody):
    """Start the year's process: each OPD's items, and the working days they have."""

    assignments: list[AssignmentIn] = Field(min_length=1, max_length=100)
    fill_days: Annotated[int, Field(ge=1, le=60), BeforeValidator(whole_number)] = 10


class ItemsFilled(RequestBody):
    """The OPD whose items are filled."""

    opd_code: OpdCode


class HandOver(RequestBody):
    """The assessors who receive the approved package (their user ids)."""

    assessors: list[Annotated[str, Field(min_length=1, max_length=100)]] = Field(
        min_length=1, max_length=20
    )


class ProcessScore(RequestBody):
    """An assessor's score of one item (0 to 100) and the comment that explains it."""

    item_code: ItemCode
    score: float = Field(ge=0, le=100, allow_inf_nan=False)
    comment: Reason


class ProcessOut(BaseModel):
    """Where the year's process stands: its stage, who filled, who not, and the index."""

    stage: str
    filled: list[str]
    waiting: list[str]
    index: float | None
    position: int = 0
