"""The notifications service: recipients' contacts, deliveries and daily digests, as events."""

from __future__ import annotations

import uuid
from datetime import date

from domain.notifications import values
from domain.notifications.contact import Contact
from domain.notifications.delivery import Delivery
from domain.notifications.digest import DigestBatch
from domain.shared import (
    Actor,
    JejakApplication,
    NotFoundError,
    ValidationError,
    VersionMismatchError,
)


class NotificationsApplication(JejakApplication):
    """Where each person and OPD is told, and what became of every message sent to them."""

    name = "jejak.notifications"

    def register_contact(
        self,
        owner_kind: str,
        owner: str,
        *,
        email: str | None = None,
        webhook_url: str | None = None,
        secret_ref: str | None = None,
        delivery: str | None = None,
        language: str | None = None,
        by: Actor,
        expected_version: int | None = None,
    ) -> int:
        """Register an email, a webhook and/or preferences; all are checked before any is kept.

        With ``expected_version`` (``If-Match``: 0 for a contact not registered yet), a contact
        changed since is ``VersionMismatchError``: two people editing one contact at once do
        not silently undo each other's change.
        """
        address = values.email_address(email) if email else email
        url = values.webhook_url(webhook_url) if webhook_url else webhook_url
        ref = values.secret_ref(secret_ref or "") if url else ""
        chosen = values.delivery(delivery) if delivery is not None else None
        lang = values.language(language) if language is not None else None
        if (address, url, chosen, lang) == (None, None, None, None):
            raise ValidationError("contact", "Give an email, a webhook or a preference.")
        found = self.contact(owner_kind, owner)
        if expected_version is not None and (found.version if found else 0) != expected_version:
            raise VersionMismatchError(found.version if found else 0)
        contact = found or Contact.open(owner_kind, owner, **by.attribution())
        if address is not None:
            contact.register_email(address=address, **by.attribution())
        if url is not None:
            contact.register_webhook(url=url, secret_ref=ref, **by.attribution())
        if chosen is not None or lang is not None:
            contact.choose(
                delivery=chosen or contact.delivery,
                language=lang or contact.language,
                **by.attribution(),
            )
        return self.save_command(contact)

    def contact(self, owner_kind: str, owner: str) -> Contact | None:
        """The contact of a person or OPD, if one was registered."""
        try:
            return self.get(Contact.create_id(owner_kind, owner), Contact, "The contact")
        except NotFoundError:
            return None

    def plan(self, delivery: Delivery) -> Delivery:
        """Keep a newly planned delivery; planning it again returns the one kept."""
        try:
            return self.delivery(delivery.id)
        except NotFoundError:
            self.save_new(delivery, what="The delivery")
            return delivery

    def delivery(self, delivery_id: uuid.UUID) -> Delivery:
        """A delivery, or ``NotFoundError``."""
        return self.get(delivery_id, Delivery, f"Delivery {delivery_id}")

    def mark_read(self, position: int, recipient: str, by: Actor) -> int:
        """The recipient read the message of outbox ``position``: every channel's delivery of it
        to them is marked read, in one save (a second mark changes nothing)."""
        found = []
        for channel in sorted(values.CHANNELS):
            try:
                found.append(self.delivery(Delivery.create_id(position, recipient, channel)))
            except NotFoundError:
                continue
        if not found:
            raise NotFoundError(f"There is no message {position} for {recipient}.")
        for delivery in found:
            delivery.mark_read(**by.attribution())
        return self.save_command(*found)

    def record_failure(self, delivery_id: uuid.UUID, attempt: int, error: str, by: Actor) -> None:
        """One failed attempt."""
        found = self.delivery(delivery_id)
        found.fail(attempt, error, **by.attribution())
        self.save_changes(found)

    def record_sent(self, delivery_id: uuid.UUID, attempt: int, by: Actor) -> None:
        """The receiver took the message."""
        found = self.delivery(delivery_id)
        found.succeed(attempt, **by.attribution())
        self.save_changes(found)

    def dead_letter(self, delivery_id: uuid.UUID, reason: str, by: Actor) -> None:
        """No more attempts: the delivery waits in the dead-letter state for the secretariat."""
        found = self.delivery(delivery_id)
        found.give_up(reason, **by.attribution())
        self.save_changes(found)

    def digest(self, day: date) -> DigestBatch | None:
        """The digest of ``day``, if anything was gathered for it."""
        try:
            return self.get(DigestBatch.create_id(day), DigestBatch, f"The digest of {day}")
        except NotFoundError:
            return None

    def queue_for_digest(self, day: date, delivery: Delivery, by: Actor) -> None:
        """Gather a delivery into the digest of ``day`` (once)."""
        batch = self.digest(day) or DigestBatch(day=day, **by.attribution())
        key = f"{delivery.recipient}|{delivery.channel}|{delivery.address}"
        if str(delivery.id) not in batch.queued.get(key, []):
            batch.queue(recipient=key, delivery_id=str(delivery.id), **by.attribution())
            self.save_changes(batch)

    def record_digest_sent(self, day: date, recipient: str, by: Actor) -> None:
        """The digest of ``day`` reached ``recipient``: its deliveries are sent."""
        batch = self.digest(day)
        if batch is None or recipient in batch.sent:
            return
        batch.sent_to(recipient=recipient, **by.attribution())
        deliveries = [self.delivery(uuid.UUID(i)) for i in batch.queued.get(recipient, [])]
        for found in deliveries:
            found.succeed(1, **by.attribution())
        self.save_changes(batch, *deliveries)
