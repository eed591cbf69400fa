"""Commitments and their signatures (who signed, in which capacity, on what, when)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import policy
from api.auth import Role
from api.deps import Allow, Commitments, ExpectedVersion, Organisation, check_version, etag
from api.effective import effective_actor
from api.paging import page_of
from api.policy import Caller
from api.problems import ProblemError
from api.readmodels import Fresh
from api.routes.calendar import CityCheck
from api.schemas import CommandResult, Page, links
from api.schemas.commitments import (
    CommitmentOut,
    CommitmentSummaryOut,
    CreateCommitment,
    Sign,
    SignatoryOut,
    SignatureList,
    SignatureOut,
    SignResult,
    Withdraw,
)
from domain.calendar import JAKARTA
from domain.commitments import Commitment, RequiredSignatory
from domain.organisation.application import OrganisationApplication
from domain.shared import Actor, NotFoundError
from projections.engine.viewstore import ViewStore
from projections.views.commitments.queries import commitment_status, list_commitments
from projections.views.commitments.view import CommitmentsView

router = APIRouter(prefix="/commitments", tags=["commitments"])

Reader = Annotated[Caller, Allow("commitment:read")]
Views = Annotated[ViewStore, Fresh(CommitmentsView.name)]


def owners(commitment: Commitment) -> set[str]:
    """The OPDs whose heads must sign."""
    return {r.opd_code for r in commitment.required if r.opd_code}


def status_of(commitment: Commitment) -> str:
    """open, complete or withdrawn."""
    if commitment.is_withdrawn:
        return "withdrawn"
    return "complete" if commitment.is_complete else "open"


def commitment_out(commitment: Commitment) -> CommitmentOut:
    """A commitment in plain values."""
    signed = set(commitment.signatures)
    return CommitmentOut(
        id=str(commitment.id),
        version=commitment.version,
        city_code=commitment.city_code,
        slug=commitment.slug,
        title=commitment.title,
        text=commitment.text,
        legal_basis=commitment.legal_basis,
        place=commitment.place,
        date=commitment.date,
        signing_deadline=commitment.signing_deadline,
        round_number=commitment.round_number,
        status=status_of(commitment),  # type: ignore[arg-type]
        overdue=commitment.is_overdue(datetime.now(JAKARTA).date()),
        completed_at=commitment.completed_at,
        withdrawn_reason=commitment.withdrawn_reason,
        required=[SignatoryOut(**vars(r), signed=r.nip in signed) for r in commitment.required],
    )


def required_opds(views: ViewStore, commitment_id: str) -> set[str]:
    """The OPDs that must sign a commitment, as the read model knows them."""
    status = commitment_status(views, commitment_id)
    return {s.opd_code for s in status.required if s.opd_code}


@router.get("")
def list_all(
    caller: Reader,
    views: Views,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[CommitmentSummaryOut]:
    """The commitments you may see, by city and slug, with signatures counted."""
    every = policy.scope_of(caller.role, "commitment:read") == policy.ANY
    found = [
        c
        for c in list_commitments(views)
        if every or policy.visible(caller, "commitment:read", required_opds(views, c.commitment_id))
    ]
    page, next_cursor = page_of(found, lambda c: f"{c.city_code}\x1f{c.slug}", cursor, limit)
    items = [
        CommitmentSummaryOut(
            id=c.commitment_id,
            **{k: v for k, v in vars(c).items() if k != "commitment_id"},
        )
        for c in page
    ]
    return Page[CommitmentSummaryOut](items=items, next_cursor=next_cursor)


@router.post("", status_code=201, responses=links.COMMITMENT_CREATED)
def create(
    body: CreateCommitment,
    caller: Annotated[Caller, Allow("commitment:create")],
    app: Commitments,
    served: CityCheck,
    response: Response,
) -> CommandResult:
    """Create a commitment to sign, with the list of who must sign it (in a city served here)."""
    served(body.city_code)
    fields = body.model_dump(exclude={"required"})
    required = [RequiredSignatory(r.nip, r.opd_code, r.role) for r in body.required]
    commitment_id, position = app.create_commitment(**fields, required=required, by=caller.actor())
    links.located(response, f"/commitments/{commitment_id}")
    return CommandResult(position=position, id=str(commitment_id))


@router.get("/{commitment_id}")
def get_one(
    commitment_id: uuid.UUID, caller: Reader, app: Commitments, response: Response
) -> CommitmentOut:
    """A commitment: text, legal basis, who must sign and who has not yet."""
    commitment = app.get_commitment(commitment_id)
    policy.check(caller, "commitment:read", owners(commitment))
    response.headers["ETag"] = etag(commitment.version)
    return commitment_out(commitment)


@router.get("/{commitment_id}/signatures")
def signatures(
    commitment_id: uuid.UUID, caller: Reader, app: Commitments, response: Response
) -> SignatureList:
    """The signatures of the current round, in the order they were put."""
    commitment = app.get_commitment(commitment_id)
    policy.check(caller, "commitment:read", owners(commitment))
    response.headers["ETag"] = etag(commitment.version)
    items = sorted(commitment.signatures.values(), key=lambda s: (s.signed_at, s.nip))
    return SignatureList(
        commitment_id=str(commitment.id),
        round_number=commitment.round_number,
        version=commitment.version,
        items=[SignatureOut(**{**vars(s), "media": list(s.media)}) for s in items],
    )


def own_signer(
    caller: Caller,
    body: Sign,
    commitment: Commitment,
    organisation: OrganisationApplication,
    signed_at: datetime,
) -> tuple[str, str, str]:
    """An OPD head signing: (name, capacity, OPD), by the appointments on the signing day."""
    if body.nip is not None and body.nip != caller.user:
        raise policy.refused("commitment:sign", "You may put only your own signature.")
    led = dict(organisation.opds_of(caller.user, signed_at.astimezone(JAKARTA).date()))
    wanted = [r.opd_code for r in commitment.required if r.opd_code in led]
    opd = (body.opd_code or "").strip().upper() or (wanted[0] if len(wanted) == 1 else "")
    if opd not in led:
        raise policy.refused(
            "commitment:sign",
            f"On {signed_at.date()} you did not lead {opd or 'one OPD that must sign'}:"
            " name the OPD you signed for.",
        )
    try:
        name = organisation.get_person(caller.user).name
    except NotFoundError:
        name = caller.user
    return name, led[opd], opd


def recorded_signer(body: Sign) -> tuple[str, str, str, str | None]:
    """The secretariat recording a signature: (nip, name, capacity, OPD) from the body."""
    if body.nip is None or body.name is None or body.signed_as is None:
        missing = [f for f in ("nip", "name", "signed_as") if getattr(body, f) is None]
        raise ProblemError(
            422,
            "signer-needed",
            "Say who signed",
            "To record a signature, name the signer (nip, name) and their capacity.",
            errors=[{"field": f, "message": "Required to record a signature."} for f in missing],
        )
    return body.nip, body.name, body.signed_as, body.opd_code


@router.post("/{commitment_id}/signatures")
def sign(
    commitment_id: uuid.UUID,
    body: Sign,
    caller: Annotated[Caller, Allow("commitment:sign")],
    app: Commitments,
    organisation: Organisation,
    expected: ExpectedVersion,
) -> SignResult:
    """Sign (an OPD head, in the capacity held that day) or record a signature (secretariat)."""
    return record_signature(commitment_id, body, caller, app, organisation, expected)


def record_signature(
    commitment_id: uuid.UUID,
    body: Sign,
    caller: Caller,
    app: Commitments,
    organisation: OrganisationApplication,
    expected: int | None,
) -> SignResult:
    """The body of ``sign``."""
    commitment = app.get_commitment(commitment_id)
    policy.check(caller, "commitment:sign", owners(commitment))
    check_version(expected, commitment.version)
    at = effective_actor(caller, body.signed_at, body.backdated_reason, field="signed_at")
    signed_at = at.effective_at or datetime.now(JAKARTA)
    if caller.role == Role.OPD_HEAD:
        name, signed_as, opd = own_signer(caller, body, commitment, organisation, signed_at)
        nip, by = caller.user, Actor(caller.user, signed_as, signed_at)
    else:
        nip, name, signed_as, maybe_opd = recorded_signer(body)
        opd, by = maybe_opd or "", at
    position = app.sign(
        commitment_id,
        nip=nip,
        name=name,
        signed_as=signed_as,
        opd_code=opd or None,
        media=list(body.media),
        signed_at=signed_at,
        by=by,
        expected_version=expected,
    )
    return SignResult(position=position, signed_as=signed_as, opd_code=opd or None)


@router.post("/{commitment_id}/withdraw")
def withdraw(
    commitment_id: uuid.UUID,
    body: Withdraw,
    caller: Annotated[Caller, Allow("commitment:withdraw")],
    app: Commitments,
    expected: ExpectedVersion,
) -> CommandResult:
    """Withdraw a commitment; no one can sign it afterwards."""
    position = app.withdraw(
        commitment_id, reason=body.reason, by=caller.actor(), expected_version=expected
    )
    return CommandResult(position=position)
