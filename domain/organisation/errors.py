"""The named refusals of the organisation context."""

from __future__ import annotations

from domain.organisation.nip import InvalidNipError
from domain.shared import DomainError, NotFoundError, ValidationError

__all__ = [
    "ActingOverlapError",
    "AppointmentError",
    "HeadAppointmentError",
    "InvalidNipError",
    "InvalidOpdError",
    "InvalidPeriodError",
    "UnknownActingError",
    "UnknownOpdError",
    "UnknownPersonError",
]


class UnknownOpdError(NotFoundError):
    """No OPD is registered under this code."""

    code = "unknown-opd"
    title = "Unknown OPD"


class UnknownPersonError(NotFoundError):
    """No civil servant is registered under this NIP."""

    code = "unknown-person"
    title = "Unknown person"


class InvalidOpdError(ValidationError):
    """An OPD's code, kind or name is not acceptable."""

    code = "invalid-opd"
    title = "Not a valid OPD"


class AppointmentError(DomainError):
    """An appointment to an OPD's head post was refused."""

    code = "appointment-refused"
    title = "Appointment refused"


class HeadAppointmentError(AppointmentError):
    """A definitive head cannot be appointed or removed as asked."""

    code = "head-appointment-refused"
    title = "Head appointment refused"


class InvalidPeriodError(AppointmentError):
    """The period of an appointment ends before it starts."""

    code = "invalid-period"
    title = "The period ends before it starts"


class ActingOverlapError(AppointmentError):
    """Another Plt. (or Plh.) is already appointed for part of the same period."""

    code = "acting-overlap"
    title = "Overlapping acting appointment"


class UnknownActingError(AppointmentError):
    """No acting appointment of this OPD carries this decree number."""

    code = "unknown-acting-appointment"
    title = "Unknown acting appointment"
