"""Organisation: OPDs, civil servants (by NIP), definitive heads and acting heads (Plt./Plh.)."""

from domain.organisation.application import OrganisationApplication
from domain.organisation.appointments import (
    APPOINTMENT_KINDS,
    Appointment,
    AppointmentEndedError,
    UnknownAppointmentError,
)
from domain.organisation.errors import (
    ActingOverlapError,
    AppointmentError,
    HeadAppointmentError,
    InvalidNipError,
    InvalidOpdError,
    InvalidPeriodError,
    UnknownActingError,
    UnknownOpdError,
    UnknownPersonError,
)
from domain.organisation.nip import normalise_nip
from domain.organisation.opd import OPD_KINDS, Opd
from domain.organisation.person import Person
from domain.organisation.rank import PANGKAT, InvalidRankError
from domain.organisation.registry import OpdRegistry
from domain.organisation.terms import ACTING_KINDS, ActingTerm, HeadTerm, may_decide_restricted

__all__ = [
    "ACTING_KINDS",
    "APPOINTMENT_KINDS",
    "OPD_KINDS",
    "PANGKAT",
    "ActingOverlapError",
    "ActingTerm",
    "Appointment",
    "AppointmentEndedError",
    "AppointmentError",
    "HeadAppointmentError",
    "HeadTerm",
    "InvalidNipError",
    "InvalidOpdError",
    "InvalidPeriodError",
    "InvalidRankError",
    "Opd",
    "OpdRegistry",
    "OrganisationApplication",
    "Person",
    "UnknownActingError",
    "UnknownAppointmentError",
    "UnknownOpdError",
    "UnknownPersonError",
    "may_decide_restricted",
    "normalise_nip",
]
