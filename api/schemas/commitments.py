"""Schemas of commitments and their signatures."""

from __future__ import annotations

import datetime as dt
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from api.schemas import CommandResult, RequestBody
from api.schemas.bounds import (
    CityCode,
    Comment,
    Document,
    Key,
    Name,
    OpdCode,
    OptionalTitle,
    Reason,
    SignerId,
    Title,
)
from api.schemas.dates import Day, Moment

Medium = Literal["sheet", "banner", "electronic"]
SignedAs = Literal["head", "plt", "plh", "mayor", "staff"]


def electronic() -> list[Medium]:
    """The medium of a signature put through the API."""
    return ["electronic"]


class RequiredSignatoryIn(RequestBody):
    """A person who must sign: NIP (or the mayor's id), their OPD, their role."""

    nip: SignerId = Field(description="A NIP, or the id of a signer who has none (the mayor)")
    opd_code: OpdCode | None = None
    role: Name = Field(examples=["Kepala Dinas"])


class CreateCommitment(RequestBody):
    """A commitment to sign: its text, legal basis, place, date and who must sign."""

    city_code: CityCode
    slug: Key = Field(examples=["komitmen-kota-cerdas-2023"])
    title: Title
    text: Document
    legal_basis: Comment = ""
    place: OptionalTitle = ""
    date: Day
    required: list[RequiredSignatoryIn] = Field(
        min_length=1, max_length=200, description="Each person once"
    )
    signing_deadline: Day | None = Field(None, description="Not before date")


class Sign(RequestBody):
    """A signature: an OPD head signs as themself, the secretariat records one for a signer."""

    media: list[Medium] = Field(default_factory=electronic, min_length=1, max_length=3)
    signed_at: Moment | None = Field(
        None,
        description="Default and for an OPD head: now. The secretariat may give an earlier time"
        " for a paper signature, with backdated_reason; a future time is refused",
    )
    backdated_reason: str | None = Field(
        None,
        max_length=2000,
        description="Secretariat only, with an earlier time: why the paper record is entered late",
    )
    opd_code: OpdCode | None = Field(None, description="For which OPD, when you lead several")
    nip: SignerId | None = Field(None, description="Secretariat only: who signed")
    name: Name | None = Field(None, description="Secretariat only: their name")
    signed_as: SignedAs | None = Field(None, description="Secretariat only: in which capacity")


class Withdraw(RequestBody):
    """Withdraw a commitment, saying why."""

    reason: Reason


class SignatoryOut(BaseModel):
    """A required signatory, and whether they signed this round."""

    nip: str
    opd_code: str | None
    role: str
    signed: bool


class SignatureOut(BaseModel):
    """One signature: who, in which capacity, for which OPD, on what, and when."""

    nip: str
    name: str
    signed_as: str
    opd_code: str | None
    media: list[str]
    signed_at: datetime
    recorded_by: str
    additional: bool
    backdated: str = Field("", description="Why it was entered later from paper, if it was")


class CommitmentSummaryOut(BaseModel):
    """A commitment in a list, with its signatures counted this round."""

    id: str
    city_code: str
    slug: str
    title: str
    signing_date: dt.date
    signing_deadline: dt.date | None
    round_number: int
    status: str
    required_count: int
    signed_count: int


class CommitmentOut(BaseModel):
    """A commitment: its text, who must sign, and who has not yet."""

    id: str
    version: int
    city_code: str
    slug: str
    title: str
    text: str
    legal_basis: str
    place: str
    date: dt.date
    signing_deadline: dt.date | None
    round_number: int
    status: Literal["open", "complete", "withdrawn"]
    overdue: bool
    completed_at: datetime | None
    withdrawn_reason: str | None
    required: list[SignatoryOut]


class SignatureList(BaseModel):
    """The signatures of the current round."""

    commitment_id: str
    round_number: int
    version: int
    items: list[SignatureOut]


class SignResult(CommandResult):
    """A recorded signature: in which capacity and for which OPD it counts."""

    signed_as: str
    opd_code: str | None
