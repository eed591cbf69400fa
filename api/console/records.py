"""Jejak audit's index: the records one may trace, by kind (commitments, bimtek stages,
programs and their milestones, approval requests), each linking to its timeline."""

from __future__ import annotations

from collections import defaultdict

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from projections.views.bimtek import queries as bimtek_queries
from projections.views.bimtek.view import BimtekView
from projections.views.commitments import queries as commitment_queries
from projections.views.commitments.view import CommitmentsView
from projections.views.inbox import queries as inbox_queries
from projections.views.inbox.view import InboxView
from projections.views.milestones import queries as milestone_queries
from projections.views.milestones.queries import MilestoneRow
from projections.views.milestones.view import MilestonesView

router = APIRouter(route_class=ConsoleRoute)
VIEWS = (CommitmentsView.name, BimtekView.name, MilestonesView.name, InboxView.name)


@router.get("/jejak", response_class=HTMLResponse)
def records_page(request: Request) -> HTMLResponse:
    """The records of the city, by kind, each linking to its audit trail."""
    caller = caller_of(request)
    policy.require(caller, "audit:read")
    views = overviews(request, *VIEWS)
    programs: dict[tuple[str, str, str], list[MilestoneRow]] = defaultdict(list)
    for m in milestone_queries.milestones(views):
        programs[(m.program_id, m.program_code, m.program_name)].append(m)
    return render(
        request, "records.html", caller=caller,
        commitments=commitment_queries.list_commitments(views),
        stages=bimtek_queries.stages(views),
        programs=sorted(programs.items(), key=lambda item: item[0][1]),
        requests=inbox_queries.requests(views),
    )  # fmt: skip
