"""What waits for the caller: the approval steps they are asked to decide."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from datetime import datetime
from functools import partial
from typing import Annotated

from fastapi import APIRouter, Query

from api.answers import Answerable
from api.auth import Role
from api.deps import Allow, Calendar
from api.paging import decode_key_cursor, encode_cursor, key_index
from api.policy import Caller
from api.readmodels import Fresh
from api.routes.calendar import City
from api.schemas import Page
from api.schemas.status import InboxItemOut
from domain.calendar import JAKARTA
from projections.engine.viewstore import ViewStore
from projections.views.inbox.queries import escalated_open_steps, inbox
from projections.views.inbox.view import InboxView

router = APIRouter(prefix="/me", tags=["me"])

#: What an inbox cursor holds: due time, request id, step index, OPD code (the row order).
INBOX_CURSOR = (datetime.fromisoformat, str, key_index, str)
INBOX = "inbox:read"


@router.get("/inbox")
def my_inbox(
    caller: Annotated[Caller, Allow(INBOX)],
    views: Annotated[ViewStore, Fresh(InboxView.name)],
    calendar: Calendar,
    city: City,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[InboxItemOut]:
    """Your open steps: for an OPD head those of the OPDs you lead today; leadership: escalated."""
    after = decode_key_cursor(cursor, *INBOX_CURSOR) if cursor else None
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


def inbox_of(caller: Caller, _params: Mapping[str, str]) -> Hashable:
    """Whose steps the inbox shows: leadership sees the escalated ones, a head its OPDs'."""
    return Role.LEADERSHIP if caller.role == Role.LEADERSHIP else tuple(sorted(caller.opds))


#: The answers of this module that are kept while the read models do not move (api.answers).
ANSWERS = (Answerable("/me/inbox", INBOX, inbox_of),)
