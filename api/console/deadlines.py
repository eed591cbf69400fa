"""Tenggat: the inspectorate's board, compliance per OPD, and the board as an Excel file."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render, words
from api.console.workbook import board_workbook
from api.deps import Calendar, Organisation, today
from api.policy import Caller
from api.routes.calendar import City
from api.routes.status import opds_asked
from projections.views.deadlines import queries as deadlines_queries
from projections.views.deadlines.compliance import Compliance, compliance
from projections.views.deadlines.queries import Deadline
from projections.views.deadlines.view import DeadlineBoardView

router = APIRouter(route_class=ConsoleRoute)

States = Literal["due-soon", "overdue", "escalated"]
Kinds = Literal["", "approval-step", "milestone", "deliverable", "commitment"]
#: Working days ahead the board counts as "due soon".
DUE_SOON_DAYS = 5
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class Board:
    """The board as filtered: its rows, compliance per OPD, and the OPDs one may choose."""

    caller: Caller
    state: str
    opd: str | None
    kind: str
    rows: list[Deadline]
    compliance: list[Compliance]
    opds: list[str]


def board(
    request: Request,
    calendar: Calendar,
    organisation: Organisation,
    city: City,
    state: States = "overdue",
    opd: str | None = None,
    kind: Kinds = "",
) -> Board:
    """The rows of the board the filters ask for, as ``GET /deadlines`` answers them."""
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
    rows = [r for r in rows if not kind or r.kind == kind]
    every = policy.scope_of(caller.role, "deadline:read") == policy.ANY
    choices = organisation.opd_codes() if every else sorted(caller.opds)
    shares = compliance(views, day, codes)
    return Board(caller, state, opd, kind, rows, shares, choices)


Filtered = Annotated[Board, Depends(board)]


@router.get("/tenggat", response_class=HTMLResponse)
def deadlines_page(request: Request, found: Filtered) -> HTMLResponse:
    """Tenggat: due soon, overdue (working days late) or escalated; compliance per OPD."""
    return render(
        request, "deadlines.html", caller=found.caller, board=found, rows=found.rows,
        state=found.state, opd=found.opd, opds=found.opds, due_soon_days=DUE_SOON_DAYS,
    )  # fmt: skip


@router.get("/tenggat.xlsx")
def deadlines_download(request: Request, found: Filtered) -> Response:
    """The rows of the board as filtered, as an Excel workbook with Indonesian headers."""
    body = board_workbook(found.rows, found.state, words(request))
    name = f"tenggat-{found.state}{'-' + found.opd if found.opd else ''}-{today()}.xlsx"
    return Response(
        body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'}
    )
