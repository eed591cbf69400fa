"""The daily digest: messages gathered per recipient and sent at 07:30 WIB on working days."""

from __future__ import annotations

import uuid
from datetime import date, datetime, time, timedelta

from eventsourcing.domain import event

from domain.calendar import JAKARTA, WorkingCalendar
from domain.shared import JejakAggregate, natural_id

#: When the digest goes out, in the city's time (WIB).
DIGEST_TIME = time(7, 30)


def next_digest_at(after: datetime, calendar: WorkingCalendar) -> datetime:
    """The first 07:30 WIB of a working day strictly after ``after``."""
    local = after.astimezone(JAKARTA)
    day = local.date()
    if local.time() >= DIGEST_TIME:
        day += timedelta(days=1)
    if not calendar.is_working_day(day):
        day = calendar.next_working_day(day)
    return datetime.combine(day, DIGEST_TIME, tzinfo=JAKARTA)


class DigestBatch(JejakAggregate):
    """The deliveries one digest of one day gathers, and the recipients it was sent to."""

    TOPIC = "jejak.notifications:DigestBatch"

    @staticmethod
    def create_id(day: date) -> uuid.UUID:
        """The id of the digest of ``day``."""
        return natural_id("digest", day.isoformat())

    @event("Created", topic="jejak.notifications:DigestBatch.Created")
    def __init__(self, day: date, actor: str, capacity: str, effective_at: datetime) -> None:
        self.day = day
        self.queued: dict[str, list[str]] = {}
        self.sent: list[str] = []

    @event("Queued", topic="jejak.notifications:DigestBatch.Queued")
    def queue(
        self, recipient: str, delivery_id: str, actor: str, capacity: str, effective_at: datetime
    ) -> None:
        """Gather a delivery into this digest for ``recipient``."""
        self.queued.setdefault(recipient, []).append(delivery_id)

    @event("SentTo", topic="jejak.notifications:DigestBatch.SentTo")
    def sent_to(self, recipient: str, actor: str, capacity: str, effective_at: datetime) -> None:
        """The digest reached ``recipient`` (one email, once)."""
        self.sent.append(recipient)

    def waiting(self) -> dict[str, list[str]]:
        """The recipients not yet sent their digest, with their deliveries."""
        return {r: ids for r, ids in self.queued.items() if r not in self.sent}
