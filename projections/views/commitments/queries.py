"""What the commitments read model answers: one commitment's signatures, and the list."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from projections.engine.viewstore import ViewStore
from projections.views.commitments.view import (
    COMPLETE,
    SIGNATURES,
    WITHDRAWN,
    CommitmentsView,
)

SUMMARY_COLUMNS = (
    "commitment_id",
    "city_code",
    "slug",
    "title",
    "place",
    "legal_basis",
    "signing_date",
    "signing_deadline",
    "round_number",
    "status",
    "completed_at",
    "withdrawn_reason",
    "required",
)


@dataclass(frozen=True)
class Signatory:
    """A person who must sign, and whether they signed in the current round."""

    nip: str
    opd_code: str | None
    role: str
    signed: bool


@dataclass(frozen=True)
class SignatureItem:
    """One signature: who, in which capacity, on what, when signed and when recorded."""

    round_number: int
    nip: str
    name: str
    signed_as: str
    opd_code: str | None
    media: tuple[str, ...]
    signed_at: datetime
    recorded_at: datetime
    recorded_by: str
    additional: bool


@dataclass(frozen=True)
class CommitmentSummary:
    """A commitment in a list: how many must sign and how many did, this round."""

    commitment_id: str
    city_code: str
    slug: str
    title: str
    signing_date: date
    signing_deadline: date | None
    round_number: int
    status: str
    required_count: int
    signed_count: int

    @property
    def complete(self) -> bool:
        """True when every required signatory signed this round."""
        return self.status == COMPLETE

    @property
    def withdrawn(self) -> bool:
        """True once the commitment was withdrawn."""
        return self.status == WITHDRAWN


@dataclass(frozen=True)
class CommitmentStatus:
    """One commitment: required signatories, signatures of this round, who is missing."""

    summary: CommitmentSummary
    place: str
    legal_basis: str
    completed_at: datetime | None
    withdrawn_reason: str | None
    required: tuple[Signatory, ...]
    signatures: tuple[SignatureItem, ...]
    earlier_signatures: tuple[SignatureItem, ...]

    @property
    def missing(self) -> tuple[Signatory, ...]:
        """The required signatories who have not signed this round, in the listed order."""
        return tuple(s for s in self.required if not s.signed)

    @property
    def complete(self) -> bool:
        """True when every required signatory signed this round."""
        return self.summary.complete


def _signature(row: tuple[Any, ...]) -> SignatureItem:
    v = dict(zip(SIGNATURES.names, row, strict=True))
    del v["commitment_id"]
    v["media"] = tuple(json.loads(v["media"]))
    for moment in ("signed_at", "recorded_at"):
        v[moment] = datetime.fromisoformat(v[moment])
    v["additional"] = bool(v["additional"])
    return SignatureItem(**v)


def _summary(v: dict[str, Any], signed: set[str]) -> CommitmentSummary:
    required = json.loads(v["required"])
    deadline = v["signing_deadline"]
    return CommitmentSummary(
        commitment_id=v["commitment_id"],
        city_code=v["city_code"],
        slug=v["slug"],
        title=v["title"],
        signing_date=date.fromisoformat(v["signing_date"]),
        signing_deadline=date.fromisoformat(deadline) if deadline else None,
        round_number=int(v["round_number"]),
        status=v["status"],
        required_count=len(required),
        signed_count=sum(r["nip"] in signed for r in required),
    )


def _signatures(viewstore: ViewStore, commitment_id: str | None) -> list[SignatureItem]:
    table = viewstore.table(CommitmentsView.name, "commitment_signatures")
    where = "WHERE commitment_id = ? " if commitment_id is not None else ""
    rows = viewstore.query(
        f"SELECT {SIGNATURES.column_list} FROM {table} {where}"
        "ORDER BY commitment_id, round_number, signed_at, nip",
        (commitment_id,) if commitment_id is not None else (),
    )
    return [_signature(row) for row in rows]


def _rows(viewstore: ViewStore, commitment_id: str | None) -> list[dict[str, Any]]:
    table = viewstore.table(CommitmentsView.name, "commitment_list")
    where = "WHERE commitment_id = ? " if commitment_id is not None else ""
    rows = viewstore.query(
        f"SELECT {', '.join(SUMMARY_COLUMNS)} FROM {table} {where}ORDER BY city_code, slug",
        (commitment_id,) if commitment_id is not None else (),
    )
    return [dict(zip(SUMMARY_COLUMNS, row, strict=True)) for row in rows]


def commitment_status(viewstore: ViewStore, commitment_id: uuid.UUID | str) -> CommitmentStatus:
    """The signatures of one commitment; ``LookupError`` when there is none with this id."""
    found = _rows(viewstore, str(commitment_id))
    if not found:
        raise LookupError(f"There is no commitment {commitment_id}.")
    v = found[0]
    signatures = _signatures(viewstore, v["commitment_id"])
    current = tuple(s for s in signatures if s.round_number == v["round_number"])
    signed = {s.nip for s in current}
    required = tuple(
        Signatory(r["nip"], r["opd_code"], r["role"], r["nip"] in signed)
        for r in json.loads(v["required"])
    )
    return CommitmentStatus(
        summary=_summary(v, signed),
        place=v["place"],
        legal_basis=v["legal_basis"],
        completed_at=datetime.fromisoformat(v["completed_at"]) if v["completed_at"] else None,
        withdrawn_reason=v["withdrawn_reason"],
        required=required,
        signatures=current,
        earlier_signatures=tuple(s for s in signatures if s.round_number < v["round_number"]),
    )


def list_commitments(viewstore: ViewStore) -> list[CommitmentSummary]:
    """Every commitment, by city and slug, with its signatures counted this round."""
    rows = _rows(viewstore, None)
    table = viewstore.table(CommitmentsView.name, "commitment_signatures")
    signed: dict[tuple[str, int], set[str]] = {}
    for commitment_id, round_number, nip in viewstore.query(
        f"SELECT commitment_id, round_number, nip FROM {table}"
    ):
        signed.setdefault((str(commitment_id), int(round_number)), set()).add(str(nip))
    return [_summary(v, signed.get((v["commitment_id"], v["round_number"]), set())) for v in rows]
