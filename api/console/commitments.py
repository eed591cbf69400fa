"""Komitmen dan bimtek: who signed and who is missing, attendance by stage, deliverables owed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, overviews, render
from api.deps import Organisation, today
from api.policy import Caller
from domain.organisation.application import OrganisationApplication
from domain.shared import DomainError
from projections.views.bimtek import queries as bimtek_queries
from projections.views.bimtek.queries import AttendanceMatrix, DeliverableItem
from projections.views.bimtek.view import BimtekView
from projections.views.commitments import queries as commitment_queries
from projections.views.commitments.queries import CommitmentStatus
from projections.views.commitments.view import CommitmentsView

router = APIRouter(route_class=ConsoleRoute)


@dataclass(frozen=True)
class Signing:
    """A commitment with the signatories the caller may see, signed and missing (by name)."""

    status: CommitmentStatus
    signed: int
    missing: tuple[tuple[commitment_queries.Signatory, str], ...]


def name_of(organisation: OrganisationApplication, nip: str) -> str:
    """A signatory's name; empty when no civil servant is registered under the NIP."""
    try:
        return str(organisation.get_person(nip).name)
    except DomainError:  # not a NIP (the mayor), or nobody registered under it
        return ""


def shown(caller: Caller, permission: str, opd: str | None) -> bool:
    """Whether the policy table lets the caller read a row of ``opd``."""
    return policy.visible(caller, permission, [opd] if opd else [])


def signings(
    caller: Caller, request: Request, organisation: OrganisationApplication
) -> list[Signing]:
    """Every commitment, with its missing signatories as far as the caller may read them."""
    views = overviews(request, CommitmentsView.name)
    found = []
    for summary in commitment_queries.list_commitments(views):
        status = commitment_queries.commitment_status(views, summary.commitment_id)
        missing = tuple(
            (s, name_of(organisation, s.nip))
            for s in status.missing
            if shown(caller, "commitment:read", s.opd_code)
        )
        found.append(Signing(status, summary.signed_count, missing))
    return found


def attendance(caller: Caller, matrix: AttendanceMatrix) -> AttendanceMatrix:
    """The matrix's rows the caller may read (an OPD head: the OPDs they lead)."""
    rows = tuple(r for r in matrix.rows if shown(caller, "bimtek:read", r.opd_code))
    return AttendanceMatrix(matrix.stages, rows)


def owed(caller: Caller, items: list[DeliverableItem]) -> list[DeliverableItem]:
    """Deliverables still owed (owed or returned) or late, the caller may read; late first."""
    waiting = [
        d
        for d in items
        if (d.late or d.status in ("owed", "returned")) and shown(caller, "bimtek:read", d.opd_code)
    ]
    return sorted(waiting, key=lambda d: (not d.late, d.due_date, d.opd_code))


@router.get("/komitmen", response_class=HTMLResponse)
def commitments_page(request: Request, organisation: Organisation) -> HTMLResponse:
    """Komitmen dan bimtek: signatures and who is missing, attendance, deliverables owed."""
    caller = caller_of(request)
    policy.require(caller, "commitment:read")
    policy.require(caller, "bimtek:read")
    views = overviews(request, CommitmentsView.name, BimtekView.name)
    matrix = attendance(caller, bimtek_queries.attendance_matrix(views))
    items = bimtek_queries.deliverables(views, as_of=datetime.now(UTC))
    return render(
        request,
        "commitments.html",
        caller=caller,
        signings=signings(caller, request, organisation),
        matrix=matrix,
        deliverables=owed(caller, items),
        today=today(),
    )
