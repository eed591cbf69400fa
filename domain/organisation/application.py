"""The organisation service: register OPDs and civil servants, appoint heads and acting heads."""

from __future__ import annotations

import uuid
from datetime import date
from functools import cached_property

from eventsourcing.persistence import IntegrityError

from domain.eventlog import TopicField
from domain.organisation.appointments import (
    Appointment,
    UnknownAppointmentError,
    appointment_id,
    appointments_of,
    check_head_term_open,
)
from domain.organisation.errors import InvalidOpdError, UnknownOpdError, UnknownPersonError
from domain.organisation.nip import normalise_nip
from domain.organisation.opd import Opd, normalise_opd_code
from domain.organisation.person import Person
from domain.organisation.registry import OpdRegistry
from domain.organisation.terms import ACTING_KINDS, HeadTerm
from domain.shared import (
    Actor,
    AlreadyExistsError,
    Capacity,
    ConflictError,
    JejakApplication,
    NotFoundError,
)

#: How many people's offices of a day ``opds_of`` keeps (a city has a few hundred officials).
OFFICES_KEPT = 4096
#: The stored topic of a civil servant's registration; its ``nip`` names them.
PERSON_CREATED = "jejak.organisation:Person.Created"


def _by_start(appointment: Appointment) -> tuple[date, str]:
    """Oldest appointment first, then by OPD."""
    return appointment.valid_from, appointment.opd_code


class OrganisationApplication(JejakApplication):
    """Who leads which OPD, when, and in which capacity (head, Plt., Plh.)."""

    name = "jejak.organisation"

    def register_opd(
        self, code: str, name: str, kind: str, head_title: str, *, by: Actor
    ) -> tuple[uuid.UUID, int]:
        """Register an OPD (and list it in the registry, in the same save)."""
        opd = Opd.register(code, name, kind, head_title, **by.attribution())
        if opd.id in self.repository:
            raise AlreadyExistsError(f"OPD {opd.code} is already registered.")
        registry = self._registry(by)
        registry.list_opd(code=opd.code, **by.attribution())
        try:
            recordings = self.save(opd, registry)
        except IntegrityError:
            if opd.id in self.repository:
                raise AlreadyExistsError(f"OPD {opd.code} is already registered.") from None
            raise ConflictError(
                "Another OPD was registered at the same moment. Try again."
            ) from None
        return opd.id, recordings[-1].notification.id

    def _registry(self, by: Actor) -> OpdRegistry:
        """The registry of OPD codes, started on first use."""
        try:
            return self.get(OpdRegistry.create_id(), OpdRegistry, "The OPD registry")
        except NotFoundError:
            return OpdRegistry(**by.attribution())

    @cached_property
    def _registered(self) -> TopicField:
        return TopicField(self.recorder, self.mapper, PERSON_CREATED, "nip")

    def register_person(
        self, nip: str, name: str, golongan: str = "", rank: str = "", *, by: Actor
    ) -> tuple[uuid.UUID, int]:
        """Register a civil servant by NIP, with their rank (golongan/ruang and pangkat)."""
        person = Person.register(nip, name, golongan, rank, **by.attribution())
        position = self.save_new(person, what=f"The person with NIP {person.nip}")
        return person.id, position

    def people(
        self,
        opd_code: str | None = None,
        after: str = "",
        limit: int | None = None,
        nip: str | None = None,
    ) -> list[Person]:
        """Civil servants by NIP (after ``after``); with an OPD, those appointed to lead it."""
        if nip is not None:
            return [self.get_person(nip)]
        if opd_code is None:
            nips = {str(nip) for nip in self._registered.values()}
        else:
            nips = {a.nip for a in appointments_of(self.get_opd(opd_code))}
        chosen = sorted(nip for nip in nips if nip > after)[:limit]
        return [self.get_person(nip) for nip in chosen]

    def appoint(
        self,
        opd_code: str,
        kind: str,
        nip: str,
        decree: str,
        valid_from: date,
        valid_until: date | None = None,
        decree_date: date | None = None,
        *,
        by: Actor,
        expected_version: int | None = None,
    ) -> tuple[uuid.UUID, int]:
        """Appoint a head, a Plt. or a Plh. of an OPD by decree (number, date) for a period."""
        opd, attr = self.get_opd(opd_code, expected_version), by.attribution()
        nip, decree = self.get_person(nip).nip, decree.strip()
        if kind == Capacity.HEAD:
            opd.appoint_head(nip, valid_from, decree, decree_date, **attr)
            if valid_until is not None:
                opd.vacate_head(valid_until, f"term by decree {decree} ends", **attr)
        elif kind in ACTING_KINDS:
            opd.appoint_acting(kind, nip, decree, valid_from, valid_until, decree_date, **attr)
        else:
            raise InvalidOpdError("kind", f"'{kind}' is not an appointment (head, plt or plh).")
        position = self.save_command(opd)
        return appointment_id(opd.code, kind, decree, valid_from), position

    def end_appointment(
        self, appointment: uuid.UUID, last_day: date, reason: str, *, by: Actor
    ) -> int:
        """End an appointment early: ``last_day`` is its last day in force."""
        opd, found = self.find_appointment(appointment)
        if found.kind == Capacity.HEAD:
            check_head_term_open(opd, found)
            opd.vacate_head(last_day, reason, **by.attribution())
        else:
            opd.end_acting(found.decree, last_day, reason, **by.attribution())
        return self.save_command(opd)

    def find_appointment(self, appointment: uuid.UUID) -> tuple[Opd, Appointment]:
        """The appointment with this id and its OPD, or ``UnknownAppointmentError``."""
        for opd in self.opds():
            for found in appointments_of(opd):
                if found.id == appointment:
                    return opd, found
        raise UnknownAppointmentError(f"No appointment has the id {appointment}.")

    def people_and_appointments(
        self,
        opd_code: str | None = None,
        after: str = "",
        limit: int | None = None,
        nip: str | None = None,
    ) -> list[tuple[Person, list[Appointment]]]:
        """``people(...)``, each with every appointment they hold in any OPD, oldest first."""
        people = self.people(opd_code, after, limit, nip)
        held: dict[str, list[Appointment]] = {p.nip: [] for p in people}
        for opd in self.opds() if people else []:
            for found in appointments_of(opd):
                if found.nip in held:
                    held[found.nip].append(found)
        return [(p, sorted(held[p.nip], key=_by_start)) for p in people]

    def appoint_head(
        self,
        opd_code: str,
        nip: str,
        valid_from: date,
        decree: str,
        *,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Appoint the definitive head of an OPD from a date (ends predecessor and acting heads)."""
        opd = self.get_opd(opd_code, expected_version)
        return self.run(
            opd, opd.appoint_head, self.get_person(nip).nip, valid_from, decree, **by.attribution()
        )

    def vacate_head(self, opd_code: str, last_day: date, reason: str, *, by: Actor) -> int:
        """End the current head's term without a successor: the post becomes vacant."""
        opd = self.get_opd(opd_code)
        return self.run(opd, opd.vacate_head, last_day, reason, **by.attribution())

    def appoint_acting(
        self,
        opd_code: str,
        kind: str,
        nip: str,
        decree: str,
        valid_from: date,
        valid_until: date | None = None,
        *,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Appoint a Plt. or Plh. of an OPD by decree (SK) for a period."""
        opd = self.get_opd(opd_code, expected_version)
        nip = self.get_person(nip).nip
        opd.appoint_acting(kind, nip, decree, valid_from, valid_until, **by.attribution())
        return self.save_command(opd)

    def end_acting(
        self, opd_code: str, decree: str, last_day: date, reason: str, *, by: Actor
    ) -> int:
        """End an acting appointment early; ``last_day`` is its last day in force."""
        opd = self.get_opd(opd_code)
        return self.run(opd, opd.end_acting, decree, last_day, reason, **by.attribution())

    def get_opd(self, code: str, expected_version: int | None = None) -> Opd:
        """The OPD with this code (at ``expected_version``, when one is given)."""
        code = normalise_opd_code(code)
        try:
            return self.get(Opd.create_id(code), Opd, f"OPD {code}", expected_version)
        except NotFoundError:
            raise UnknownOpdError(f"No OPD is registered with code {code}.") from None

    def get_person(self, nip: str) -> Person:
        """The civil servant with this NIP, or ``UnknownPersonError``."""
        nip = normalise_nip(nip)
        try:
            return self.get(Person.create_id(nip), Person, f"NIP {nip}")
        except NotFoundError:
            raise UnknownPersonError(f"No civil servant is registered with NIP {nip}.") from None

    def opd_codes(self) -> list[str]:
        """The codes of every registered OPD, sorted."""
        try:
            registry = self.get(OpdRegistry.create_id(), OpdRegistry, "The OPD registry")
        except NotFoundError:
            return []
        return sorted(registry.codes)

    def opds(self) -> list[Opd]:
        """Every registered OPD, sorted by code."""
        return [self.get_opd(code) for code in self.opd_codes()]

    def head_on(self, opd_code: str, day: date) -> HeadTerm | None:
        """The definitive head's term of an OPD in force on ``day``, if any."""
        return self.get_opd(opd_code).head_on(day)

    def capacity_of(self, nip: str, opd_code: str, day: date) -> str | None:
        """In which capacity ``nip`` leads the OPD on ``day``: head, plt, plh or None."""
        return self.get_opd(opd_code).capacity_on(nip, day)

    def opds_of(self, nip: str, day: date) -> list[tuple[str, str]]:
        """Every OPD ``nip`` leads on ``day``, with the capacity (a head may be Plt. elsewhere).

        Every request of an OPD head asks this, and the answer needs every OPD. So the answer
        is kept with the log's newest position, read BEFORE the OPDs are: it is reused only
        while the log has not moved, so an appointment saved by any process counts at once.
        """
        key, head = (nip, day), self.recorder.max_notification_id() or 0
        kept = self._offices.get(key)
        if kept is not None and kept[0] == head:
            return list(kept[1])
        found = ((opd.code, opd.capacity_on(nip, day)) for opd in self.opds())
        offices = [(code, capacity) for code, capacity in found if capacity is not None]
        if len(self._offices) >= OFFICES_KEPT:
            self._offices.clear()
        self._offices[key] = (head, tuple(offices))
        return offices

    @cached_property
    def _offices(self) -> dict[tuple[str, date], tuple[int, tuple[tuple[str, str], ...]]]:
        return {}
