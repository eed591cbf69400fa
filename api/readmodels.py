"""Reading the read models: the view store, and waiting for one's own writes (after_position)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from api.problems import ProblemError
from projections.viewstore import ViewStore

#: Seconds a query waits for the read models to reach ``after_position``.
WAIT_SECONDS = 5.0
#: Seconds a client should wait before asking again when the read models lag.
RETRY_AFTER = 2

AfterPosition = Annotated[
    int | None,
    Query(ge=0, description="Answer only once the read models include this log position"),
]


def lagging(detail: str) -> ProblemError:
    """503 with Retry-After: the read models have not caught up (yet)."""
    return ProblemError(
        503, "views-behind", "The overview is not up to date yet", detail,
        {"Retry-After": str(RETRY_AFTER)},
    )  # fmt: skip


def viewstore_of(request: Request) -> ViewStore:
    """The app's view store, or 503 when the store keeps no read models."""
    views: ViewStore | None = getattr(request.app.state, "views", None)
    if views is None:
        raise lagging("This server keeps no overviews; they need a database-backed store.")
    return views


def Fresh(*names: str) -> Any:  # noqa: N802 - reads as a declaration on the route
    """A dependency: the view store, once the named views include ``after_position``."""

    def fresh(request: Request, after_position: AfterPosition = None) -> ViewStore:
        views = viewstore_of(request)
        if after_position is None:
            if len(views.positions(names)) < len(names):
                raise lagging("The overviews are still being built; try again shortly.")
            return views
        timeout = float(getattr(request.app.state, "read_wait_seconds", WAIT_SECONDS))
        if not views.wait_for(names, after_position, timeout):
            raise lagging(
                f"The overviews have not yet caught up with position {after_position};"
                " try again shortly."
            )
        return views

    return Depends(fresh)
