"""Schemas of OPDs, their heads and acting heads."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import RequestBody
from api.schemas.bounds import Label, Name, Nip, OpdCode
from api.schemas.dates import Day

#: A golongan/ruang as the civil service writes it: I/a to III/d, IV/a to IV/e (any case).
GOLONGAN_PATTERN = r"^ *([Ii]{1,3} */ *[A-Da-d]|[Ii][Vv] */ *[A-Ea-e]) *$"


def _any_case(words: str) -> str:
    """A pattern of ``words`` in any case, blanks between them (JSON Schema has no flags)."""
    return r"\s+".join("".join(f"[{c.upper()}{c.lower()}]" for c in w) for w in words.split())


#: A pangkat (PP 99/2000) in any case, or nothing: Juru, Pengatur, Penata (each maybe Muda,
#: maybe Tingkat I), Pembina, Pembina Tingkat I, Pembina Utama (maybe Muda or Madya).
PANGKAT_PATTERN = (
    rf"^\s*(({_any_case('Juru')}|{_any_case('Pengatur')}|{_any_case('Penata')})"
    rf"(\s+{_any_case('Muda')})?(\s+{_any_case('Tingkat I')})?"
    rf"|{_any_case('Pembina')}(\s+{_any_case('Tingkat I')}"
    rf"|\s+{_any_case('Utama')}(\s+({_any_case('Muda')}|{_any_case('Madya')}))?)?)?\s*$"
)


class OpdSummary(BaseModel):
    """An OPD in a list."""

    code: str
    name: str
    kind: str
    head_title: str
    version: int


class HeadOut(BaseModel):
    """Who heads an OPD on a day (``nip`` is null when the post is vacant)."""

    opd: str
    on: date
    nip: str | None
    valid_from: date | None = None
    valid_until: date | None = None
    decree: str | None = None
    version: int


class ActingOut(BaseModel):
    """An acting (Plt./Plh.) appointment."""

    kind: str
    nip: str
    decree: str
    valid_from: date
    valid_until: date | None
    ended_on: date | None
    in_force: bool


class ActingList(BaseModel):
    """The acting appointments of an OPD, with whether each is in force on a day."""

    opd: str
    on: date
    items: list[ActingOut]
    version: int


class OpdOut(OpdSummary):
    """An OPD with who leads it today."""

    head: HeadOut
    acting: list[ActingOut]


#: The kinds of OPD the registry knows (as the domain's OPD_KINDS).
OpdKind = Literal[
    "dinas", "badan", "kecamatan", "inspektorat", "sekretariat", "satpol-pp", "rsud", "other"
]


class RegisterOpd(RequestBody):
    """Register a unit of the city government."""

    code: OpdCode
    name: Name
    kind: OpdKind = Field(examples=["dinas"])
    head_title: Label = Field(examples=["Kepala Dinas"])


class AppointHead(RequestBody):
    """Appoint the definitive head of an OPD by decree, from a date."""

    nip: Nip
    valid_from: Day
    decree: Name


class AppointActing(RequestBody):
    """Appoint a Plt. or Plh. by decree (SK) for a period."""

    kind: Literal["plt", "plh"]
    nip: Nip
    decree: Name
    valid_from: Day
    valid_until: Day | None = Field(None, description="Not before valid_from")


class RegisterPerson(RequestBody):
    """Register a civil servant (ASN) by NIP, with their rank."""

    nip: Nip
    name: Name
    golongan: str = Field(
        min_length=3,
        max_length=9,
        pattern=GOLONGAN_PATTERN,
        examples=["IV/b"],
        description="The golongan/ruang: I/a to IV/e (any case)",
    )
    rank: str = Field(
        "",
        max_length=60,
        pattern=PANGKAT_PATTERN,
        description="The pangkat, which must be the golongan's own; empty = the golongan's own"
        " (IV/b: Pembina Tingkat I)",
        examples=["Pembina Tingkat I"],
    )


class AppointmentOut(BaseModel):
    """An appointment to an OPD's head post: head, Plt. or Plh., by decree, for a period."""

    id: str
    opd: str
    kind: str
    nip: str
    decree: str
    decree_date: date | None
    valid_from: date
    last_day: date | None
    in_force: bool


class PersonOut(BaseModel):
    """A civil servant, their rank, and their appointments (``in_force`` on the day asked)."""

    nip: str
    name: str
    golongan: str
    rank: str
    appointments: list[AppointmentOut]
    version: int


class Appoint(RequestBody):
    """Appoint a head, a Plt. or a Plh. by decree (SK number and date) for a period."""

    kind: Literal["head", "plt", "plh"]
    nip: Nip
    decree: Name
    decree_date: Day
    valid_from: Day
    valid_until: Day | None = Field(None, description="Not before valid_from")


class EndAppointment(RequestBody):
    """End an appointment early; ``last_day`` is its last day in force."""

    last_day: Day
    reason: Name
