"""The Person aggregate: a civil servant (ASN), known by NIP, with their rank."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.organisation.errors import InvalidOpdError
from domain.organisation.nip import normalise_nip
from domain.organisation.rank import rank_of
from domain.shared import JejakAggregate, natural_id
from domain.values import required_text


class Person(JejakAggregate):
    """A civil servant (ASN), known by NIP; the NIP is their actor id everywhere."""

    TOPIC = "jejak.organisation:Person"

    @staticmethod
    def create_id(nip: str) -> uuid.UUID:
        """The id of the person with this NIP."""
        return natural_id("person", normalise_nip(nip))

    @classmethod
    def register(
        cls, nip: str, name: str, golongan: str = "", rank: str = "", **attribution: Any
    ) -> Person:
        """A newly registered civil servant; a rank is its golongan/ruang and pangkat."""
        nip, name = normalise_nip(nip), required_text("name", name, error=InvalidOpdError)
        if golongan.strip() or rank.strip():
            golongan, rank = rank_of(golongan, rank)
        return cls(nip=nip, name=name, golongan=golongan, rank=rank, **attribution)

    # ``golongan`` and ``rank`` came later: a stored Created without them reads as "".
    @event("Created", topic="jejak.organisation:Person.Created")
    def __init__(
        self,
        nip: str,
        name: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
        golongan: str = "",
        rank: str = "",
    ) -> None:
        self.nip = nip
        self.name = name
        self.golongan = golongan
        self.rank = rank
