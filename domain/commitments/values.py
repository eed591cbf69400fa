"""The values a commitment is made of: who must sign, who signed, past signing rounds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from domain.shared import Capacity, ValidationError
from domain.values import clean_code

#: The capacities in which someone signs a commitment; ``staff`` is an ASN signing as themself.
SIGNING_CAPACITIES = frozenset(
    {Capacity.HEAD, Capacity.PLT, Capacity.PLH, Capacity.MAYOR, Capacity.STAFF}
)
#: Capacities that sign for an OPD, so they must name it.
OPD_CAPACITIES = frozenset({Capacity.HEAD, Capacity.PLT, Capacity.PLH})
#: What a signature is put on: a paper sheet, a banner, or an electronic document.
MEDIA = ("sheet", "banner", "electronic")


def opd_code_or_none(opd_code: str | None) -> str | None:
    """An OPD code as the city writes it (upper case), or None."""
    if opd_code is None or not opd_code.strip():
        return None
    return clean_code(opd_code)


@dataclass(frozen=True)
class RequiredSignatory:
    """A person who must sign: NIP, their OPD (None for the mayor) and their role."""

    nip: str
    opd_code: str | None
    role: str

    def __post_init__(self) -> None:
        if not self.nip.strip():
            raise ValidationError("nip", "Every required signatory needs an identity number.")
        if not self.role.strip():
            raise ValidationError("role", "Say in which role the signatory signs.")

    def as_dict(self) -> dict[str, str | None]:
        """The signatory as stored in an event."""
        return {
            "nip": self.nip.strip(),
            "opd_code": opd_code_or_none(self.opd_code),
            "role": self.role,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RequiredSignatory:
        """The signatory as read back from an event."""
        return cls(nip=data["nip"], opd_code=data["opd_code"], role=data["role"])


@dataclass(frozen=True)
class Signature:
    """One person's signature in one signing round, on one or more media.

    ``additional`` is True when the person was not on the list of required signatories.
    """

    nip: str
    name: str
    signed_as: str
    opd_code: str | None
    media: tuple[str, ...]
    signed_at: datetime
    recorded_by: str
    additional: bool
    #: Why it was entered later from paper with an earlier time ("" when it was not).
    backdated: str = ""


@dataclass(frozen=True)
class SigningRound:
    """A finished signing round, kept when the commitment is renewed."""

    number: int
    date: date
    text: str
    signatures: tuple[Signature, ...]
    completed_at: datetime | None
