"""OPDs, their heads and acting heads (Plt./Plh.)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api import policy
from api.deps import Allow, ExpectedVersion, Organisation, etag, today
from api.paging import decode_cursor, encode_cursor
from api.policy import Caller
from api.schemas import CommandResult, Page, links
from api.schemas.dates import Day
from api.schemas.organisation import (
    ActingList,
    ActingOut,
    Appoint,
    AppointActing,
    AppointHead,
    HeadOut,
    OpdOut,
    OpdSummary,
    RegisterOpd,
)
from api.schemas.params import OpdCodePath
from domain.organisation.application import OrganisationApplication
from domain.organisation.opd import Opd

router = APIRouter(prefix="/opds", tags=["organisation"])

Reader = Annotated[Caller, Allow("opd:read")]
Appointer = Annotated[Caller, Allow("opd:appoint")]
OnDay = Annotated[Day | None, Query(description="The day to look at (default: today)")]


def summary(opd: Opd) -> OpdSummary:
    """An OPD in a list."""
    return OpdSummary(
        code=opd.code, name=opd.name, kind=opd.kind, head_title=opd.head_title, version=opd.version
    )


def head_out(opd: Opd, day: date) -> HeadOut:
    """Who heads ``opd`` on ``day``."""
    term = opd.head_on(day)
    if term is None:
        return HeadOut(opd=opd.code, on=day, nip=None, version=opd.version)
    return HeadOut(
        opd=opd.code,
        on=day,
        nip=term.nip,
        valid_from=term.valid_from,
        valid_until=term.valid_until,
        decree=term.decree,
        version=opd.version,
    )


def acting_out(opd: Opd, day: date) -> list[ActingOut]:
    """Every acting appointment of ``opd``, whether in force on ``day``."""
    return [
        ActingOut(
            kind=t.kind,
            nip=t.nip,
            decree=t.decree,
            valid_from=t.valid_from,
            valid_until=t.valid_until,
            ended_on=t.ended_on,
            in_force=t.covers(day),
        )
        for t in opd.acting.values()
    ]


@router.get("")
def list_opds(
    caller: Reader,
    organisation: Organisation,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[OpdSummary]:
    """The OPDs you may see, by code, one page at a time."""
    after = decode_cursor(cursor) if cursor else ""
    codes = [c for c in organisation.opd_codes() if c > after]
    codes = [c for c in codes if policy.visible(caller, "opd:read", [c])]
    page = codes[:limit]
    items = [summary(organisation.get_opd(code)) for code in page]
    more = len(codes) > limit
    return Page[OpdSummary](items=items, next_cursor=encode_cursor(page[-1]) if more else None)


def read_opd(
    code: str, caller: Caller, organisation: OrganisationApplication, response: Response
) -> Opd:
    """The OPD ``code`` if ``caller`` may read it; its version answered as the ETag."""
    opd = organisation.get_opd(code)
    policy.check(caller, "opd:read", [opd.code])
    response.headers["ETag"] = etag(opd.version)
    return opd


@router.post("", status_code=201, responses=links.OPD_REGISTERED)
def register_opd(
    body: RegisterOpd, caller: Appointer, organisation: Organisation, response: Response
) -> CommandResult:
    """Register an OPD of the city government."""
    opd_id, position = organisation.register_opd(
        body.code, body.name, body.kind, body.head_title, by=caller.actor()
    )
    links.located(response, f"/opds/{body.code.upper()}")
    return CommandResult(position=position, id=str(opd_id))


@router.get("/{code}")
def get_opd(
    code: OpdCodePath, caller: Reader, organisation: Organisation, response: Response
) -> OpdOut:
    """An OPD and who leads it today."""
    opd = read_opd(code, caller, organisation, response)
    day = today()
    return OpdOut(**summary(opd).model_dump(), head=head_out(opd, day), acting=acting_out(opd, day))


@router.get("/{code}/head")
def get_head(
    code: OpdCodePath,
    caller: Reader,
    organisation: Organisation,
    response: Response,
    on: OnDay = None,
) -> HeadOut:
    """Who is the definitive head of an OPD on a day (null when the post is vacant)."""
    opd = read_opd(code, caller, organisation, response)
    return head_out(opd, on or today())


@router.put("/{code}/head")
def appoint_head(
    code: OpdCodePath,
    body: AppointHead,
    caller: Appointer,
    organisation: Organisation,
    expected: ExpectedVersion,
) -> CommandResult:
    """Appoint the definitive head of an OPD by decree, from a date."""
    position = organisation.appoint_head(
        code, body.nip, body.valid_from, body.decree, by=caller.actor(), expected_version=expected
    )
    return CommandResult(position=position)


@router.get("/{code}/acting")
def get_acting(
    code: OpdCodePath,
    caller: Reader,
    organisation: Organisation,
    response: Response,
    on: OnDay = None,
) -> ActingList:
    """The Plt./Plh. appointments of an OPD, and which are in force on a day."""
    opd = read_opd(code, caller, organisation, response)
    day = on or today()
    return ActingList(opd=opd.code, on=day, items=acting_out(opd, day), version=opd.version)


@router.post("/{code}/acting")
def appoint_acting(
    code: OpdCodePath,
    body: AppointActing,
    caller: Appointer,
    organisation: Organisation,
    expected: ExpectedVersion,
) -> CommandResult:
    """Appoint a Plt. or Plh. of an OPD by decree for a period."""
    position = organisation.appoint_acting(
        code,
        body.kind,
        body.nip,
        body.decree,
        body.valid_from,
        body.valid_until,
        by=caller.actor(),
        expected_version=expected,
    )
    return CommandResult(position=position)


@router.post("/{code}/appointments", responses=links.APPOINTED)
def appoint(
    code: OpdCodePath,
    body: Appoint,
    caller: Appointer,
    organisation: Organisation,
    expected: ExpectedVersion,
) -> CommandResult:
    """Appoint a head, a Plt. or a Plh. by decree (number, date) for a period.

    From its first day the appointee sees the OPD's open steps in their inbox and decides
    them in this capacity; a new head's term ends the predecessor's the day before.
    """
    appointment, position = organisation.appoint(
        code,
        body.kind,
        body.nip,
        body.decree,
        body.valid_from,
        body.valid_until,
        body.decree_date,
        by=caller.actor(),
        expected_version=expected,
    )
    return CommandResult(position=position, id=str(appointment))
