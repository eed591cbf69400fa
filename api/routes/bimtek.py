"""Bimtek stages: invitations, attendance per OPD, and the deliverables OPDs owe."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from api import policy
from api.deps import Allow, ExpectedVersion, app_of, check_version, etag, today
from api.effective import effective_actor
from api.paging import page_of
from api.policy import Caller
from api.readmodels import Fresh
from api.routes.calendar import CityCheck
from api.schemas import CommandResult, Page, links
from api.schemas.bimtek import (
    AssignDeliverable,
    AttendanceList,
    AttendanceOut,
    CreateSession,
    DeliverableList,
    DeliverableOut,
    MaterialOut,
    RecordAttendance,
    ReviewDeliverable,
    SessionOut,
    SessionSummary,
    SubmitDeliverable,
)
from api.schemas.params import DeliverableIdPath
from domain.bimtek import BimtekApplication, BimtekSession
from domain.bimtek.errors import DeliverableNotFoundError
from domain.bimtek.values import Deliverable
from domain.calendar import JAKARTA
from domain.shared import ValidationError
from projections.engine.viewstore import ViewStore
from projections.views.bimtek.queries import stages
from projections.views.bimtek.view import BimtekView

router = APIRouter(prefix="/bimtek/sessions", tags=["bimtek"])

Bimtek = Annotated[BimtekApplication, Depends(app_of(BimtekApplication))]
Reader = Annotated[Caller, Allow("bimtek:read")]
Views = Annotated[ViewStore, Fresh(BimtekView.name)]


def owners(session: BimtekSession) -> set[str]:
    """The organiser, the invited OPDs, those who came and those who owe a deliverable."""
    owing = {d.opd_code for d in session.deliverables.values()}
    return {session.organiser_opd, *session.invited_opds, *session.attendance, *owing}


def summary(session: BimtekSession) -> SessionSummary:
    """A stage in plain values."""
    return SessionSummary(
        id=str(session.id),
        city_code=session.city_code,
        stage_number=session.stage_number,
        title=session.title,
        start_date=session.start_date,
        end_date=session.end_date,
        venue=session.venue,
        invited_opds=list(session.invited_opds),
    )


def deliverable_out(deliverable: Deliverable) -> DeliverableOut:
    """A deliverable in plain values."""
    return DeliverableOut(
        **{k: v for k, v in vars(deliverable).items()},
        overdue=deliverable.is_overdue(today()),
    )


def readable(caller: Caller, session: BimtekSession, action: str) -> BimtekSession:
    """The stage, once the caller may ``action`` it."""
    policy.check(caller, f"bimtek:{action}", owners(session))
    return session


@router.get("")
def list_sessions(
    caller: Reader,
    views: Views,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[SessionSummary]:
    """The stages you may see, by city and stage number."""
    found = [s for s in stages(views) if policy.visible(caller, "bimtek:read", s.invited)]
    page, next_cursor = page_of(found, lambda s: f"{s.city_code}\x1f{s.number:05d}", cursor, limit)
    items = [
        SessionSummary(
            id=s.session_id,
            city_code=s.city_code,
            stage_number=s.number,
            title=s.title,
            start_date=s.start_date,
            end_date=s.end_date,
            venue=s.venue,
            invited_opds=list(s.invited),
        )
        for s in page
    ]
    return Page[SessionSummary](items=items, next_cursor=next_cursor)


@router.post("", status_code=201, responses=links.SESSION_CREATED)
def create_session(
    body: CreateSession,
    caller: Annotated[Caller, Allow("bimtek:create")],
    app: Bimtek,
    served: CityCheck,
    response: Response,
) -> CommandResult:
    """Create a stage and say which OPDs are invited (in a city served here)."""
    served(body.city_code)
    session_id, position = app.create_session(**body.model_dump(), by=caller.actor())
    links.located(response, f"/bimtek/sessions/{session_id}")
    return CommandResult(position=position, id=str(session_id))


@router.get("/{session_id}")
def get_session(
    session_id: uuid.UUID, caller: Reader, app: Bimtek, response: Response
) -> SessionOut:
    """A stage: dates, venue, invited OPDs, materials."""
    session = readable(caller, app.get_session(session_id), "read")
    response.headers["ETag"] = etag(session.version)
    return SessionOut(
        **summary(session).model_dump(),
        version=session.version,
        organiser_opd=session.organiser_opd,
        materials=[MaterialOut(title=m.title, reference=m.reference) for m in session.materials],
        attendance_recorded=len(session.attendance),
        deliverables=len(session.deliverables),
    )


@router.get("/{session_id}/attendance")
def get_attendance(
    session_id: uuid.UUID, caller: Reader, app: Bimtek, response: Response
) -> AttendanceList:
    """Who came to the stage: every invited OPD (and those who came uninvited), by code."""
    session = readable(caller, app.get_session(session_id), "read")
    response.headers["ETag"] = etag(session.version)
    codes = sorted({*session.invited_opds, *session.attendance})
    items = []
    for code in codes:
        if not policy.visible(caller, "bimtek:read", [code]):
            continue
        seen = session.attendance.get(code)
        items.append(
            AttendanceOut(
                opd_code=code,
                invited=code in session.invited_opds,
                status="not-recorded" if seen is None else "present" if seen.present else "absent",
                asn_count=seen.asn_count if seen else 0,
                names=list(seen.names) if seen else [],
            )
        )
    return AttendanceList(session_id=str(session.id), version=session.version, items=items)


@router.post("/{session_id}/attendance")
def record_attendance(
    session_id: uuid.UUID,
    body: RecordAttendance,
    caller: Annotated[Caller, Allow("bimtek:record")],
    app: Bimtek,
    expected: ExpectedVersion,
) -> CommandResult:
    """Record (or correct) whether an OPD came, with how many ASN."""
    check_version(expected, app.get_session(session_id).version)
    by = effective_actor(caller, body.effective_at, body.backdated_reason, field="effective_at")
    fields = body.model_dump(exclude={"effective_at", "backdated_reason"})
    position = app.record_attendance(session_id, **fields, by=by, expected_version=expected)
    return CommandResult(position=position)


@router.get("/{session_id}/deliverables")
def get_deliverables(
    session_id: uuid.UUID, caller: Reader, app: Bimtek, response: Response
) -> DeliverableList:
    """What the OPDs owe after the stage (an OPD head sees its own), by id."""
    session = readable(caller, app.get_session(session_id), "read")
    response.headers["ETag"] = etag(session.version)
    items = [
        deliverable_out(d)
        for _, d in sorted(session.deliverables.items())
        if policy.visible(caller, "bimtek:read", [d.opd_code])
    ]
    return DeliverableList(session_id=str(session.id), version=session.version, items=items)


@router.post("/{session_id}/deliverables", responses=links.DELIVERABLE_ASSIGNED)
def assign_deliverable(
    session_id: uuid.UUID,
    body: AssignDeliverable,
    caller: Annotated[Caller, Allow("bimtek:assign")],
    app: Bimtek,
    expected: ExpectedVersion,
) -> CommandResult:
    """Record that an OPD owes a deliverable after the stage, by a due date."""
    position = app.assign_deliverable(
        session_id, **body.model_dump(), by=caller.actor(), expected_version=expected
    )
    return CommandResult(position=position, id=body.deliverable_id)


@router.post("/{session_id}/deliverables/{deliverable_id}/submission")
def submit_deliverable(
    session_id: uuid.UUID,
    deliverable_id: DeliverableIdPath,
    body: SubmitDeliverable,
    caller: Annotated[Caller, Allow("bimtek:submit")],
    app: Bimtek,
    expected: ExpectedVersion,
) -> CommandResult:
    """Hand in a deliverable: by the head of the OPD that owes it (or the secretariat)."""
    session = app.get_session(session_id)
    deliverable = session.deliverables.get(deliverable_id.strip())
    if deliverable is None:
        raise DeliverableNotFoundError(f"Stage {session.stage_number} has no {deliverable_id}.")
    policy.check(caller, "bimtek:submit", [deliverable.opd_code])
    check_version(expected, session.version)
    by = effective_actor(
        caller,
        body.submitted_at,
        body.backdated_reason,
        field="submitted_at",
        opd_code=deliverable.opd_code,
    )
    position = app.submit_deliverable(
        session_id,
        deliverable_id=deliverable.deliverable_id,
        reference=body.reference,
        submitted_at=by.effective_at or datetime.now(JAKARTA),
        by=by,
        expected_version=expected,
    )
    return CommandResult(position=position, id=deliverable.deliverable_id)


@router.post("/{session_id}/deliverables/{deliverable_id}/review")
def review_deliverable(
    session_id: uuid.UUID,
    deliverable_id: DeliverableIdPath,
    body: ReviewDeliverable,
    caller: Annotated[Caller, Allow("bimtek:review")],
    app: Bimtek,
    expected: ExpectedVersion,
) -> CommandResult:
    """Accept a submitted deliverable, or return it for revision saying why (the secretariat)."""
    check_version(expected, app.get_session(session_id).version)
    if body.outcome == "accept":
        position = app.accept_deliverable(
            session_id,
            deliverable_id=deliverable_id,
            comment=body.comment,
            by=caller.actor(),
            expected_version=expected,
        )
    elif body.comment:
        position = app.return_deliverable(
            session_id,
            deliverable_id=deliverable_id,
            reason=body.comment,
            by=caller.actor(),
            expected_version=expected,
        )
    else:
        raise ValidationError("comment", "Say why the deliverable is returned.")
    return CommandResult(position=position, id=deliverable_id.strip())
