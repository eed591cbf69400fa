"""Overviews from the read models: progress by aspect, program and OPD, and deadlines."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from functools import partial
from typing import Annotated, Literal

from fastapi import APIRouter, Query

from api import policy
from api.answers import Answerable
from api.auth import Role
from api.deps import Allow, Calendar, today
from api.paging import decode_cursor, encode_cursor
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.routes.calendar import City
from api.schemas import Page
from api.schemas.dates import Day
from api.schemas.params import AspectQuery, OpdQuery, PlanIdQuery
from api.schemas.status import (
    AspectProgressOut,
    DeadlineOut,
    OpdProgressOut,
    PlanProgressOut,
    ProgramProgressOut,
)
from projections.engine.viewstore import ViewStore
from projections.views.deadlines import queries as deadlines_queries
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.plan_progress import queries as plan_progress_queries
from projections.views.plan_progress.view import PlanProgressView

router = APIRouter(tags=["status"])

PROGRESS, OPD_PROGRESS, DEADLINES = "progress:read", "opd-progress:read", "deadline:read"
Progress = Annotated[Caller, Allow(PROGRESS)]
Views = Annotated[ViewStore, Fresh(PlanProgressView.name)]
BoardViews = Annotated[ViewStore, Fresh(DeadlineBoardView.name)]
#: Fields of a rollup that name an aspect; an OPD's rollup is named by its code.
LABELS = frozenset({"key", "label_en", "label_id"})
AsOf = Annotated[Day | None, Query(description="The day to look from (default: today)")]
Opd = OpdQuery
#: Between the sort value and the key of the last row in a deadline cursor.
CURSOR_SEPARATOR = "\x1f"


@router.get("/status/plans")
def plans(caller: Progress, views: Views) -> Page[PlanProgressOut]:
    """Progress of each plan (the public: of the approved, published plans only)."""
    public = caller.role == Role.PUBLIC
    items = [
        PlanProgressOut(**{k: v for k, v in vars(r).items() if k not in LABELS})
        for r in plan_progress_queries.plans(views, published_only=public)
    ]
    return Page[PlanProgressOut](items=items)


@router.get("/status/aspects")
def aspects(caller: Progress, views: Views, plan_id: PlanIdQuery = None) -> Page[AspectProgressOut]:
    """Progress of each aspect (the public: of the approved, published plans only)."""
    public = caller.role == Role.PUBLIC
    rows = plan_progress_queries.aspects(views, plan_id, published_only=public)
    items = [AspectProgressOut(**{**vars(r), "aspect": r.key}) for r in rows]
    return Page[AspectProgressOut](items=items)


@router.get("/status/programs")
def programs(
    caller: Progress,
    views: Views,
    aspect: AspectQuery = None,
    quick_win: bool | None = None,
    owner: Opd = None,
    plan_id: PlanIdQuery = None,
) -> Page[ProgramProgressOut]:
    """Progress of each program, by aspect, quick-win flag or owner OPD.

    The public sees the programs of approved (published) plans only; every government role,
    an OPD head included, sees every program's progress (the plan is the whole city's).
    """
    public = caller.role == Role.PUBLIC
    found = plan_progress_queries.programs(
        views, aspect, quick_win, owner, plan_id, published_only=public
    )
    return Page[ProgramProgressOut](items=[ProgramProgressOut(**vars(p)) for p in found])


@router.get("/status/opds")
def opds(
    caller: Annotated[Caller, Allow(OPD_PROGRESS)], views: Views, plan_id: PlanIdQuery = None
) -> Page[OpdProgressOut]:
    """Progress per owner OPD (an OPD head sees the OPDs it leads)."""
    rows = plan_progress_queries.opds(views, plan_id)
    items = [
        OpdProgressOut(
            **{k: v for k, v in vars(r).items() if k not in {"key", "label_en", "label_id"}},
            opd_code=r.key,
        )
        for r in rows
        if policy.visible(caller, OPD_PROGRESS, [r.key])
    ]
    return Page[OpdProgressOut](items=items)


def opds_asked(caller: Caller, opd: str | None) -> list[str] | None:
    """Which OPDs to read deadlines of: the one asked, else all (None) or those the caller leads."""
    if opd is not None:
        code = opd.strip().upper()
        policy.check(caller, DEADLINES, [code])
        return [code]
    if policy.scope_of(caller.role, DEADLINES) == policy.ANY:
        return None
    return sorted(caller.opds)


def window_of(cursor: str | None, limit: int) -> deadlines_queries.Window:
    """The page asked for; a cursor that is not one of ours is a 422."""
    if cursor is None:
        return deadlines_queries.Window(limit=limit)
    parts = decode_cursor(cursor).split(CURSOR_SEPARATOR)
    if len(parts) != 2:
        raise ProblemError(
            422, "invalid-cursor", "Not a valid cursor", "Start again from the first page."
        )
    return deadlines_queries.Window(limit=limit, after=(parts[0], parts[1]))


@router.get("/deadlines")
def deadlines(
    caller: Annotated[Caller, Allow(DEADLINES)],
    views: BoardViews,
    calendar: Calendar,
    city: City,
    state: Literal["due-soon", "overdue", "escalated"] = "overdue",
    opd: Opd = None,
    as_of: AsOf = None,
    within: Annotated[int, Query(ge=0, le=260, description="due-soon: working days")] = 5,
    cursor: Annotated[str | None, Query(description="next_cursor of the previous page")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="rows per page")] = 50,
) -> Page[DeadlineOut]:
    """What is due soon, overdue or escalated, and whose (an OPD head: its own OPD).

    One page of at most ``limit`` rows (default 50, at most 200), ordered by due date
    (escalated: by when escalated) then key; pass ``next_cursor`` back as ``cursor`` for
    the next page (null on the last). Working days late use the calendar of ``city``.
    """
    day, working = as_of or today(), partial(calendar.calendar_for, city)
    codes, window = opds_asked(caller, opd), window_of(cursor, limit + 1)
    if state == "due-soon":
        found = deadlines_queries.due_soon(views, day, within, codes, working(), window)
    elif state == "overdue":
        found = deadlines_queries.overdue(views, day, codes, working, window, city)
    else:
        found = deadlines_queries.escalated(views, codes, window=window)
    page = found[:limit]
    next_cursor = None
    if len(found) > limit:
        last = page[-1]
        sort = deadlines_queries.sort_value(last, state)
        next_cursor = encode_cursor(f"{sort}{CURSOR_SEPARATOR}{last.key}")
    return Page[DeadlineOut](items=[DeadlineOut(**vars(d)) for d in page], next_cursor=next_cursor)


def published_only(caller: Caller, _params: Mapping[str, str]) -> Hashable:
    """What of the caller a progress answer depends on: the public sees published plans only."""
    return caller.role == Role.PUBLIC


def opds_visible(caller: Caller, _params: Mapping[str, str]) -> Hashable:
    """Whose OPD progress the caller sees: every OPD's, or those the caller leads."""
    if policy.scope_of(caller.role, OPD_PROGRESS) == policy.ANY:
        return policy.ANY
    return tuple(sorted(caller.opds))


def deadlines_asked(caller: Caller, params: Mapping[str, str]) -> Hashable:
    """Whose deadlines the board shows the caller (refused as the route refuses)."""
    codes = opds_asked(caller, params.get("opd"))
    return None if codes is None else tuple(codes)


#: The answers of this module that are kept while the read models do not move (api.answers).
ANSWERS = (
    Answerable("/status/plans", PROGRESS, published_only),
    Answerable("/status/aspects", PROGRESS, published_only),
    Answerable("/status/programs", PROGRESS, published_only),
    Answerable("/status/opds", OPD_PROGRESS, opds_visible),
    Answerable("/deadlines", DEADLINES, deadlines_asked),
)
