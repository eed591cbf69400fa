"""The OpdRegistry aggregate: every OPD code, so OPDs can be listed without a projection."""

from __future__ import annotations

import uuid
from datetime import datetime

from eventsourcing.domain import event

from domain.shared import JejakAggregate, natural_id


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
