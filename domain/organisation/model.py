"""The organisation: OPDs, the civil servants who head them, and acting heads (Plt./Plh.)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.organisation.nip import normalise_nip
from domain.organisation.opd import OPD_KINDS, Opd, normalise_opd_code, required_text
from domain.shared import JejakAggregate, natural_id

__all__ = ["OPD_KINDS", "Opd", "OpdRegistry", "Person", "normalise_opd_code"]


class Person(JejakAggregate):
    """A civil servant (ASN), known by NIP; the NIP is their actor id everywhere."""

    TOPIC = "jejak.organisation:Person"

    @staticmethod
    def create_id(nip: str) -> uuid.UUID:
        """The id of the person with this NIP."""
        return natural_id("person", normalise_nip(nip))

    @classmethod
    def register(cls, nip: str, name: str, **attribution: Any) -> Person:
        """A newly registered civil servant."""
        return cls(nip=normalise_nip(nip), name=required_text("name", name), **attribution)

    @event("Created", topic="jejak.organisation:Person.Created")
    def __init__(
        self, nip: str, name: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.nip = nip
        self.name = name


class OpdRegistry(JejakAggregate):
    """The list of every OPD code, kept so OPDs can be listed without a projection."""

    TOPIC = "jejak.organisation:OpdRegistry"

    @staticmethod
    def create_id() -> uuid.UUID:
        """The one registry's id."""
        return natural_id("opd-registry", "all")

    @event("Created", topic="jejak.organisation:OpdRegistry.Created")
    def __init__(self, actor: str, capacity: str, effective_at: datetime) -> None:
        self.codes: list[str] = []

    @event("OpdListed", topic="jejak.organisation:OpdRegistry.OpdListed")
    def list_opd(self, code: str, actor: str, capacity: str, effective_at: datetime) -> None:
        """Add an OPD code to the list."""
        self.codes.append(code)
