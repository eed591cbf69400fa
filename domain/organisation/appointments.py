"""Appointments to an OPD's head post, one shape for definitive and acting terms.

A definitive head (``head``) or an acting head (``plt``, ``plh``) is appointed by a decree
(SK, number and date) for a period. Open work follows the office, not the person: who
sees and decides an OPD's steps on a day is whoever holds an appointment in force that
day, so a rotation (mutasi) moves the open steps on the day it takes effect, and a
decision keeps the capacity recorded with it.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from domain.organisation.errors import AppointmentError
from domain.organisation.opd import Opd
from domain.organisation.terms import ActingTerm, HeadTerm
from domain.shared import Capacity, NotFoundError, natural_id

#: The kinds of appointment: the definitive head, and the acting ones.
APPOINTMENT_KINDS: frozenset[str] = frozenset({Capacity.HEAD, Capacity.PLT, Capacity.PLH})


class UnknownAppointmentError(NotFoundError):
    """No appointment has this id."""

    code = "unknown-appointment"
    title = "Unknown appointment"


class AppointmentEndedError(AppointmentError):
    """The appointment has already ended, or was ended by a successor's appointment."""

    code = "appointment-ended"
    title = "Appointment already ended"


def appointment_id(opd_code: str, kind: str, decree: str, valid_from: date) -> uuid.UUID:
    """The id of an appointment: its OPD, kind, decree and first day make it unique."""
    return natural_id("appointment", opd_code, kind, decree, valid_from.isoformat())


@dataclass(frozen=True)
class Appointment:
    """One appointment to an OPD's head post; ``last_day`` None means open-ended."""

    id: uuid.UUID
    opd_code: str
    kind: str
    nip: str
    decree: str
    decree_date: date | None
    valid_from: date
    last_day: date | None

    def in_force(self, day: date) -> bool:
        """Whether the appointment is in force on ``day``."""
        return self.valid_from <= day and (self.last_day is None or day <= self.last_day)


def appointments_of(opd: Opd) -> list[Appointment]:
    """Every appointment of an OPD (heads, then acting heads), oldest first."""
    heads = [_appointment(opd, Capacity.HEAD, t, t.valid_until) for t in opd.heads]
    acting = sorted(opd.acting.values(), key=lambda t: (t.valid_from, t.decree))
    return heads + [_appointment(opd, t.kind, t, t.last_day) for t in acting]


def _appointment(
    opd: Opd, kind: str, term: HeadTerm | ActingTerm, last_day: date | None
) -> Appointment:
    return Appointment(
        appointment_id(opd.code, kind, term.decree, term.valid_from),
        opd.code,
        kind,
        term.nip,
        term.decree,
        term.decree_date,
        term.valid_from,
        last_day,
    )


def check_head_term_open(opd: Opd, appointment: Appointment) -> None:
    """Refuse to end a head's term that a successor or an earlier end already closed."""
    latest = opd.heads[-1]
    if (latest.decree, latest.valid_from) != (appointment.decree, appointment.valid_from):
        raise AppointmentEndedError(
            f"This head's term at {opd.code} already ended when the successor took office."
        )
    if latest.valid_until is not None:
        raise AppointmentEndedError(
            f"This head's term at {opd.code} already ended on {latest.valid_until.isoformat()}."
        )
