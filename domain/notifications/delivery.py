"""One message to one recipient by one channel, and what became of it: sent or dead-lettered."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from eventsourcing.domain import event

from domain.shared import JejakAggregate, natural_id

PENDING, QUEUED, SENT, DEAD = "pending", "queued", "sent", "dead-letter"
#: Every state a delivery can be in.
STATES = frozenset({PENDING, QUEUED, SENT, DEAD})
#: The longest error text kept per attempt (a receiver's answer may be long).
MAX_ERROR = 300


class Delivery(JejakAggregate):
    """A message of the outbox on its way to one recipient by one channel.

    Its id comes from the outbox position, the recipient and the channel, so planning the
    same message again finds the same delivery; ``key`` is the idempotency key receivers see
    (webhook-id, Message-ID).
    """

    TOPIC = "jejak.notifications:Delivery"

    @staticmethod
    def create_id(position: int, recipient: str, channel: str) -> uuid.UUID:
        """The id of the delivery of outbox message ``position`` to ``recipient`` by ``channel``."""
        return natural_id("delivery", str(position), recipient, channel)

    @event("Created", topic="jejak.notifications:Delivery.Planned")
    def __init__(
        self,
        position: int,
        kind: str,
        recipient: str,
        recipient_name: str,
        channel: str,
        address: str,
        secret_ref: str,
        mode: str,
        language: str,
        subject: str,
        body: str,
        link: str,
        actor: str,
        capacity: str,
        effective_at: datetime,
    ) -> None:
        self.position, self.kind, self.recipient = position, kind, recipient
        self.recipient_name, self.channel, self.address = recipient_name, channel, address
        self.secret_ref, self.mode, self.language = secret_ref, mode, language
        self.subject, self.body, self.link = subject, body, link
        self.state = QUEUED if mode == "digest" else PENDING
        self.attempts = 0
        self.read_at: datetime | None = None

    @property
    def key(self) -> str:
        """The idempotency key: the outbox position, the recipient and the channel."""
        return f"msg_{self.position}_{self.recipient.lower()}_{self.channel}"

    @property
    def open(self) -> bool:
        """True while the delivery may still be sent."""
        return self.state in {PENDING, QUEUED}

    def fail(self, attempt: int, error: str, **attribution: Any) -> None:
        """Record a failed attempt (the receiver was down, slow or refused)."""
        if self.open:
            self._attempt_failed(attempt=attempt, error=error[:MAX_ERROR], **attribution)

    @event("AttemptFailed", topic="jejak.notifications:Delivery.AttemptFailed")
    def _attempt_failed(
        self, attempt: int, error: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.attempts = max(self.attempts, attempt)

    def succeed(self, attempt: int, **attribution: Any) -> None:
        """Record that the receiver took the message (once)."""
        if self.open:
            self._sent(attempt=attempt, **attribution)

    @event("Sent", topic="jejak.notifications:Delivery.Sent")
    def _sent(self, attempt: int, actor: str, capacity: str, effective_at: datetime) -> None:
        self.attempts = max(self.attempts, attempt)
        self.state = SENT

    def give_up(self, reason: str, **attribution: Any) -> None:
        """Move the delivery to the dead-letter state after its last failed attempt."""
        if self.open:
            self._dead_lettered(reason=reason[:MAX_ERROR], **attribution)

    def mark_read(self, **attribution: Any) -> None:
        """Record that the recipient read the message in the console (once)."""
        if self.read_at is None:
            self._read(**attribution)

    @event("Read", topic="jejak.notifications:Delivery.Read")
    def _read(self, actor: str, capacity: str, effective_at: datetime) -> None:
        self.read_at = effective_at

    @event("DeadLettered", topic="jejak.notifications:Delivery.DeadLettered")
    def _dead_lettered(
        self, reason: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        self.state = DEAD
