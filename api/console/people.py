"""OPD dan pejabat: every OPD with its heads and Plt./Plh., by decree and period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from api import policy
from api.console.routing import ConsoleRoute
from api.console.web import caller_of, render
from api.deps import Organisation, today
from domain.organisation.appointments import Appointment, appointments_of

router = APIRouter(route_class=ConsoleRoute)


@dataclass(frozen=True)
class Post:
    """One appointment with the name and rank of the person appointed."""

    appointment: Appointment
    name: str
    rank: str

    def in_force(self, day: date) -> bool:
        """Whether the appointment holds on ``day``."""
        return self.appointment.in_force(day)


@router.get("/opd", response_class=HTMLResponse)
def people_page(request: Request, organisation: Organisation) -> HTMLResponse:
    """Every OPD with who leads it: head, Plt. or Plh., decree, first and last day."""
    caller = caller_of(request)
    policy.require(caller, "person:read")
    opds = []
    for opd in organisation.opds():
        posts = []
        for appointment in reversed(appointments_of(opd)):
            person = organisation.get_person(appointment.nip)
            rank = " ".join(p for p in (person.golongan, person.rank) if p)
            posts.append(Post(appointment, str(person.name), rank))
        opds.append((opd, posts))
    return render(request, "people.html", caller=caller, opds=opds, day=today())
