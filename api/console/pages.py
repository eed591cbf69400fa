"""Pages that read the overviews: the public page, the deadline board and the plan."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console import progress
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from domain.plan import MilestoneStatus
from projections.views.milestones.view import MilestonesView
from projections.views.plan_progress.view import PlanProgressView

router = APIRouter(route_class=ConsoleRoute)

#: The read models the progress pages read.
PROGRESS = (PlanProgressView.name, MilestonesView.name)


@router.get("/publik", response_class=HTMLResponse)
def public_page(request: Request) -> HTMLResponse:
    """Halaman publik: approved progress by aspect and the quick wins; no sign-in."""
    aspects = progress.by_aspect(overviews(request, *PROGRESS))
    quick_wins = [p for a in aspects for p in a.programs if p.row.quick_win]
    return render(request, "public.html", aspects=aspects, quick_wins=quick_wins)


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
