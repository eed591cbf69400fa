"""Civil servants (by NIP) and their appointments: for the secretariat to keep up to date."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query, Response

from api.deps import Allow, Organisation, today
from api.paging import decode_cursor, encode_cursor
from api.policy import Caller
from api.schemas import CommandResult, Page, links
from api.schemas.dates import Day
from api.schemas.organisation import AppointmentOut, EndAppointment, PersonOut, RegisterPerson
from api.schemas.params import NipPath, OpdQuery
from domain.organisation import Appointment, Person, normalise_nip

router = APIRouter(tags=["people"])

Registrar = Annotated[Caller, Allow("person:register")]
Reader = Annotated[Caller, Allow("person:read")]
Appointer = Annotated[Caller, Allow("opd:appoint")]
OnDay = Annotated[Day | None, Query(description="The day `in_force` is read for (default: today)")]


def appointment_out(appointment: Appointment, day: date) -> AppointmentOut:
    """An appointment, and whether it is in force on ``day``."""
    return AppointmentOut(
        id=str(appointment.id),
        opd=appointment.opd_code,
        kind=appointment.kind,
        nip=appointment.nip,
        decree=appointment.decree,
        decree_date=appointment.decree_date,
        valid_from=appointment.valid_from,
        last_day=appointment.last_day,
        in_force=appointment.in_force(day),
    )


def person_out(person: Person, appointments: list[Appointment], day: date) -> PersonOut:
    """A civil servant with their appointments."""
    return PersonOut(
        nip=person.nip,
        name=person.name,
        golongan=person.golongan,
        rank=person.rank,
        appointments=[appointment_out(a, day) for a in appointments],
        version=person.version,
    )


@router.post("/people", status_code=201, responses=links.PERSON_REGISTERED)
def register_person(
    body: RegisterPerson, caller: Registrar, organisation: Organisation, response: Response
) -> CommandResult:
    """Register a civil servant by NIP (checked), with name and rank (golongan, pangkat)."""
    _, position = organisation.register_person(
        body.nip, body.name, body.golongan, body.rank, by=caller.actor()
    )
    nip = normalise_nip(body.nip)
    links.located(response, f"/people/{nip}")
    return CommandResult(position=position, id=nip)


@router.get("/people")
def list_people(
    caller: Reader,
    organisation: Organisation,
    opd: OpdQuery = None,
    on: OnDay = None,
    cursor: str | None = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
) -> Page[PersonOut]:
    """Civil servants by NIP, with their appointments; ``opd=`` those who lead or led it."""
    after = decode_cursor(cursor) if cursor else ""
    found = organisation.people_and_appointments(opd, after, limit + 1)
    day, page = on or today(), found[:limit]
    next_cursor = encode_cursor(page[-1][0].nip) if len(found) > limit else None
    items = [person_out(person, held, day) for person, held in page]
    return Page[PersonOut](items=items, next_cursor=next_cursor)


@router.get("/people/{nip}")
def get_person(
    nip: NipPath, caller: Reader, organisation: Organisation, on: OnDay = None
) -> PersonOut:
    """A civil servant by NIP (spaces allowed), with every appointment they hold or held."""
    ((person, held),) = organisation.people_and_appointments(nip=nip)
    return person_out(person, held, on or today())


@router.post("/appointments/{appointment_id}/end")
def end_appointment(
    appointment_id: uuid.UUID, body: EndAppointment, caller: Appointer, organisation: Organisation
) -> CommandResult:
    """End an appointment early (a rotation, a retirement); its open work stays with the OPD."""
    position = organisation.end_appointment(
        appointment_id, body.last_day, body.reason, by=caller.actor()
    )
    return CommandResult(position=position, id=str(appointment_id))
