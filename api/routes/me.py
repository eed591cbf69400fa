"""What waits for the caller: the approval steps they are asked to decide."""

from __future__ import annotations

from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query

from api.auth import Role
from api.deps import Allow, Calendar
from api.paging import decode_cursor, encode_cursor
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.routes.calendar import City
from api.schemas import Page
from api.schemas.status import InboxItemOut
from domain.calendar import JAKARTA
from projections.inbox import InboxView
from projections.inbox_queries import STEP_ORDER, escalated_open_steps, inbox
from projections.viewstore import ViewStore

router = APIRouter(prefix="/me", tags=["me"])


@router.get("/inbox")
def my_inbox(
    caller: Annotated[Caller, Allow("inbox:read")],
    views: Annotated[ViewStore, Fresh(InboxView.name)],
    calendar: Calendar,
    city: City,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[InboxItemOut]:
    """Your open steps: for an OPD head those of the OPDs you lead today; leadership: escalated."""
    after = decode_cursor(cursor) if cursor else None
    if after is not None and after.count("|") != len(STEP_ORDER) - 1:
        raise ProblemError(
            422, "invalid-cursor", "Not a valid cursor", "Start from the first page."
        )
    if caller.role == Role.LEADERSHIP:
        found = escalated_open_steps(views, after=after, limit=limit)
    else:
        now = datetime.now(JAKARTA)
        working = partial(calendar.calendar_for, city)  # read only if a day is not counted
        found = inbox(views, sorted(caller.opds), now, working, after=after, limit=limit, city=city)
    next_cursor = encode_cursor(found[-1].cursor) if len(found) == limit else None
    return Page[InboxItemOut](
        items=[InboxItemOut(**vars(i)) for i in found], next_cursor=next_cursor
    )
