"""Recipients' addresses and preferences, and each delivery of a message to one of them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.notifications import values
from domain.shared import JejakAggregate, ValidationError, natural_id

#: Whose contact it is: a person (by NIP) or an OPD (its shared mailbox or gateway).
OWNER_KINDS = frozenset({"person", "opd"})


class Contact(JejakAggregate):
    """Where and how a person or an OPD wants to be told: email, webhook, preference."""

    TOPIC = "jejak.notifications:Contact"

    @staticmethod
    def create_id(owner_kind: str, owner: str) -> uuid.UUID:
        """The id of the contact of a person or OPD."""
        return natural_id("contact", owner_kind, owner)

    @classmethod
    def open(cls, owner_kind: str, owner: str, **attribution: Any) -> Contact:
        """A new, empty contact."""
        if owner_kind not in OWNER_KINDS:
            raise ValidationError("owner_kind", f"'{owner_kind}' is not person or opd.")
        return cls(owner_kind=owner_kind, owner=owner.strip().upper(), **attribution)

    @event("Created", topic="jejak.notifications:Contact.Created")
    def __init__(
        self, owner_kind: str, owner: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.owner_kind, self.owner = owner_kind, owner
        self.email = ""
        self.webhook_url = ""
        self.webhook_secret_ref = ""
        self.delivery = values.IMMEDIATE
        self.language = "id"

    @event("EmailRegistered", topic="jejak.notifications:Contact.EmailRegistered")
    def register_email(
        self, address: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        """Send email to ``address`` (empty: no email)."""
        self.email = address

    @event("WebhookRegistered", topic="jejak.notifications:Contact.WebhookRegistered")
    def register_webhook(
        self, url: str, secret_ref: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        """Post signed messages to ``url``; the secret is read from ``secret_ref`` when sending."""
        self.webhook_url, self.webhook_secret_ref = url, secret_ref

    @event("PreferenceChosen", topic="jejak.notifications:Contact.PreferenceChosen")
    def choose(
        self, delivery: str, language: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        """Immediate or daily digest, in Bahasa Indonesia or English."""
        self.delivery, self.language = delivery, language

    def channels(self) -> list[tuple[str, str, str]]:
        """(channel, address, secret reference) for each registered channel."""
        found = [(values.EMAIL, self.email, "")] if self.email else []
        if self.webhook_url:
            found.append((values.WEBHOOK, self.webhook_url, self.webhook_secret_ref))
        return found
