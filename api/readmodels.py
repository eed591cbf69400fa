"""Reading the read models: the view store, and waiting for one's own writes (after_position)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api.problems import ProblemError
from infra.store import EventStore
from projections.engine.viewstore import ViewStore

#: Seconds a query waits for the read models to reach ``after_position``.
WAIT_SECONDS = 5.0
#: Seconds a client should wait before asking again when the read models lag.
RETRY_AFTER = 2
#: Seconds between two looks at the views' positions while waiting (first, then at most).
POLL_FIRST, POLL_MOST = 0.01, 0.2

AfterPosition = Annotated[
    int | None,
    Query(
        ge=0,
        le=2**63 - 1,
        description="Answer only once the read models include this log position"
        " (409 at once when the log has no such position yet)",
    ),
]


def lagging(detail: str) -> ProblemError:
    """503 with Retry-After: the read models have not caught up (yet)."""
    return ProblemError(
        503, "views-behind", "The overview is not up to date yet", detail,
        {"Retry-After": str(RETRY_AFTER)},
    )  # fmt: skip


def beyond_head(position: int, head: int) -> ProblemError:
    """409: nothing has been recorded at ``position`` yet, so waiting for it is pointless."""
    return ProblemError(
        409,
        "position-not-recorded",
        "This position is not in the record yet",
        f"The record ends at position {head}; position {position} does not exist yet."
        " Pass the position a command answered.",
        head=head,
    )


def viewstore_of(request: Request) -> ViewStore:
    """The app's view store, or 503 when the store keeps no read models."""
    views: ViewStore | None = getattr(request.app.state, "views", None)
    if views is None:
        raise lagging("This server keeps no overviews; they need a database-backed store.")
    return views


async def reached(views: ViewStore, names: Sequence[str], position: int) -> None:
    """Return once every named view includes ``position``, without holding a worker thread."""
    pause = POLL_FIRST
    while True:
        found = await asyncio.to_thread(views.positions, names)
        if len(found) == len(names) and all(p >= position for p in found.values()):
            return
        await asyncio.sleep(pause)
        pause = min(pause * 2, POLL_MOST)


def Fresh(*names: str) -> Any:  # noqa: N802 - reads as a declaration on the route
    """A dependency: the view store, once the named views include ``after_position``."""

    async def fresh(request: Request, after_position: AfterPosition = None) -> ViewStore:
        views = viewstore_of(request)
        if after_position is None:
            if len(await asyncio.to_thread(views.positions, names)) < len(names):
                raise lagging("The overviews are still being built; try again shortly.")
            return views
        store: EventStore = request.app.state.store
        head = await asyncio.to_thread(store.max_position)
        if after_position > head:
            raise beyond_head(after_position, head)
        timeout = float(getattr(request.app.state, "read_wait_seconds", WAIT_SECONDS))
        try:
            async with asyncio.timeout(timeout):
                await reached(views, names, after_position)
        except TimeoutError:
            raise lagging(
                f"The overviews have not yet caught up with position {after_position};"
                " try again shortly."
            ) from None
        return views

    return Depends(fresh)
