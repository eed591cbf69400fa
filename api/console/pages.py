"""Pages that read the overviews: the public page and the plan."""

from __future__ import annotations

import uuid
from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console import gantt, progress
from api.console.revisions import revisions_of
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from api.deps import get_store
from domain.plan import MilestoneStatus, PlanApplication
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
    plans = get_store(request).app(PlanApplication)
    revised = [
        revisions_of(plans, uuid.UUID(plan_id))
        for plan_id in dict.fromkeys(a.row.plan_id for a in aspects)
    ]
    programs = [p for a in aspects for p in a.programs]
    return render(
        request, "plan.html", caller=caller, aspects=aspects, waiting=waiting,
        chart=gantt.chart(programs), revised=[r for r in revised if r.revisions],
    )  # fmt: skip
