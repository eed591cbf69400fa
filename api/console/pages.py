"""Pages that read the overviews: the public page, the deadline board and the plan."""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console import progress
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from api.deps import Calendar, Organisation, today
from api.routes.calendar import City
from api.routes.status import opds_asked
from domain.plan import MilestoneStatus
from projections.views.deadlines import queries as deadlines_queries
from projections.views.deadlines.queries import Deadline
from projections.views.deadlines.view import DeadlineBoardView
from projections.views.milestones.view import MilestonesView
from projections.views.plan_progress.view import PlanProgressView

router = APIRouter(route_class=ConsoleRoute)

States = Literal["due-soon", "overdue", "escalated"]
#: The read models the progress pages read.
PROGRESS = (PlanProgressView.name, MilestonesView.name)
#: Working days ahead the board counts as "due soon".
DUE_SOON_DAYS = 5


@router.get("/publik", response_class=HTMLResponse)
def public_page(request: Request) -> HTMLResponse:
    """Halaman publik: approved progress by aspect and the quick wins; no sign-in."""
    aspects = progress.by_aspect(overviews(request, *PROGRESS))
    quick_wins = [p for a in aspects for p in a.programs if p.row.quick_win]
    return render(request, "public.html", aspects=aspects, quick_wins=quick_wins)


@router.get("/tenggat", response_class=HTMLResponse)
def deadlines_page(
    request: Request,
    calendar: Calendar,
    organisation: Organisation,
    city: City,
    state: States = "overdue",
    opd: str | None = None,
) -> HTMLResponse:
    """Tenggat: due soon, overdue (working days late) or escalated, by OPD."""
    caller = caller_of(request)
    policy.require(caller, "deadline:read")
    opd = (opd or "").strip().upper() or None
    codes, views = opds_asked(caller, opd), overviews(request, DeadlineBoardView.name)
    day, working = today(), calendar.calendar_for(city)
    rows: list[Deadline]
    if state == "due-soon":
        rows = deadlines_queries.due_soon(views, day, DUE_SOON_DAYS, codes, working)
    elif state == "overdue":
        rows = deadlines_queries.overdue(views, day, codes, working)
    else:
        rows = deadlines_queries.escalated(views, codes, open_only=True)
    choices = organisation.opd_codes() if codes is None else sorted(caller.opds)
    return render(
        request, "deadlines.html", caller=caller, rows=rows, state=state, opd=opd,
        opds=choices, due_soon_days=DUE_SOON_DAYS,
    )  # fmt: skip


@router.get("/rencana", response_class=HTMLResponse)
def plan_page(request: Request) -> HTMLResponse:
    """Rencana induk: aspects, programs and milestones; approved progress and, apart, reports."""
    caller = caller_of(request)
    policy.require(caller, "plan:read")
    aspects = [
        replace(a, programs=tuple(
            p for p in a.programs if policy.visible(caller, "program:read", [p.row.owner_opd])
        ))
        for a in progress.by_aspect(overviews(request, *PROGRESS))
    ]  # fmt: skip
    waiting = [
        m
        for a in aspects
        for p in a.programs
        for m in p.milestones
        if m.status == MilestoneStatus.SUBMITTED
    ]
    return render(request, "plan.html", caller=caller, aspects=aspects, waiting=waiting)
