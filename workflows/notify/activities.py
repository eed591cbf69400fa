"""The delivery workflows' only door to the event store and to the receivers.

Each activity may run again (a retry, or a worker killed mid-way). Planning finds the
deliveries it kept before (natural ids); a delivery already sent is not sent again; a
message sent but not yet recorded is sent again with the same idempotency key, which a
receiver that remembers keys ignores.
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import structlog
from temporalio import activity
from temporalio.exceptions import ApplicationError

from domain.approvals.application import ApprovalsApplication
from domain.calendar import CalendarApplication
from domain.notifications import (
    Delivery,
    NotificationsApplication,
    Planner,
    PlanOptions,
    next_digest_at,
)
from domain.notifications.words import render
from domain.organisation.application import OrganisationApplication
from domain.shared import SYSTEM
from infra.store import EventStore
from workflows.notify.channels import ChannelError, Channels, Envelope
from workflows.notify.inputs import (
    DeadLetterInput,
    DeliverInput,
    DigestClock,
    DigestInput,
    MessageInput,
    Planned,
    PlannedDelivery,
)

log = structlog.get_logger("jejak.notifications")
#: The error type of a failed send, for the workflow's retry policy.
DELIVERY_FAILED = "DeliveryFailed"
#: Seconds between two heartbeats of a send in progress.
HEARTBEAT_EVERY = 1.0


def envelope(delivery: Delivery, key: str | None = None) -> Envelope:
    """What a channel sends for one delivery."""
    data = {
        "type": f"jejak.notification.{delivery.kind}",
        "position": delivery.position,
        "recipient": delivery.recipient,
        "recipient_name": delivery.recipient_name,
        "language": delivery.language,
        "subject": delivery.subject,
        "text": delivery.body,
        "link": delivery.link,
    }
    return Envelope(
        key or delivery.key, delivery.channel, delivery.address, delivery.secret_ref,
        delivery.recipient_name, delivery.subject, delivery.body, data,
    )  # fmt: skip


class DeliveryActivities:
    """Plan, send and dead-letter deliveries; gather and send daily digests."""

    def __init__(self, store: EventStore, channels: Channels, options: PlanOptions) -> None:
        self.notifications = store.app(NotificationsApplication)
        self.calendar = store.app(CalendarApplication)
        self.planner = Planner(
            self.notifications,
            store.app(OrganisationApplication),
            self.calendar,
            store.app(ApprovalsApplication),
            options,
        )
        self.channels, self.options = channels, options

    def all(self) -> list[Callable[..., Any]]:
        """The bound activity methods, for the worker."""
        return [self.plan, self.deliver, self.dead_letter, self.next_digest, self.send_digest,
                self.dead_letter_digest]  # fmt: skip

    @activity.defn(name="plan_notification")
    def plan(self, given: MessageInput) -> Planned:
        """Keep the deliveries of one message; gather the digest ones for the next digest."""
        deliveries = self.planner.plan(given)
        # The server's clock, the one the digest workflow's timers run on.
        now = activity.info().current_attempt_scheduled_time
        day = next_digest_at(now, self.calendar.calendar_for(self.options.city))
        for delivery in deliveries:
            if delivery.mode == "digest" and delivery.open:
                self.notifications.queue_for_digest(day.date(), delivery, SYSTEM)
        return Planned([PlannedDelivery(str(d.id), d.channel, d.mode) for d in deliveries])

    @activity.defn(name="deliver_notification")
    async def deliver(self, given: DeliverInput) -> str:
        """Send one delivery (unless it was sent already) and record the outcome."""
        delivery_id = uuid.UUID(given.delivery_id)
        delivery = await asyncio.to_thread(self.notifications.delivery, delivery_id)
        if not delivery.open:
            return str(delivery.state)
        attempt = activity.info().attempt
        try:
            await self._send_heartbeating(envelope(delivery))
        except ChannelError as exc:
            log.info("delivery failed", delivery=given.delivery_id, channel=delivery.channel,
                     attempt=attempt, retryable=exc.retryable)  # fmt: skip
            await asyncio.to_thread(
                self.notifications.record_failure, delivery_id, attempt, str(exc), SYSTEM
            )
            raise ApplicationError(
                str(exc), type=DELIVERY_FAILED, non_retryable=not exc.retryable
            ) from None
        await asyncio.to_thread(self.notifications.record_sent, delivery_id, attempt, SYSTEM)
        return "sent"

    async def _send_heartbeating(self, message: Envelope) -> None:
        """Send, telling Temporal every second that this worker is alive.

        A worker killed mid-send stops heartbeating, so the send is tried again elsewhere
        after the heartbeat timeout rather than after the whole send timeout.
        """
        sending = asyncio.ensure_future(self.channels.send(message))
        while not sending.done():
            activity.heartbeat()
            await asyncio.wait({sending}, timeout=HEARTBEAT_EVERY)
        sending.result()

    @activity.defn(name="dead_letter_notification")
    def dead_letter(self, given: DeadLetterInput) -> None:
        """Move a delivery to the dead-letter state, for the secretariat to see."""
        self.notifications.dead_letter(uuid.UUID(given.delivery_id), given.reason, SYSTEM)

    @activity.defn(name="next_digest_time")
    def next_digest(self, given: DigestClock) -> datetime:
        """The next 07:30 WIB of a working day in the city's calendar."""
        return next_digest_at(given.now, self.calendar.calendar_for(self.options.city))

    @activity.defn(name="send_digest")
    async def send_digest(self, given: DigestInput) -> int:
        """One email per recipient waiting for the digest of the day; returns how many sent."""
        day = date.fromisoformat(given.day)
        batch = await asyncio.to_thread(self.notifications.digest, day)
        failures, sent = [], 0
        for recipient, ids in (batch.waiting() if batch else {}).items():
            deliveries = [
                await asyncio.to_thread(self.notifications.delivery, uuid.UUID(i)) for i in ids
            ]
            deliveries = [d for d in deliveries if d.open]  # not one dead-lettered as expired
            if not deliveries:
                continue
            try:
                await self.channels.send(self.digest_envelope(given.day, recipient, deliveries))
            except ChannelError as exc:
                failures.append(str(exc))
                continue
            await asyncio.to_thread(self.notifications.record_digest_sent, day, recipient, SYSTEM)
            sent += 1
        if failures:
            # The ones sent are recorded; a retry sends only to those still waiting.
            raise ApplicationError("; ".join(failures), type=DELIVERY_FAILED)
        return sent

    def digest_envelope(self, day: str, recipient: str, deliveries: list[Delivery]) -> Envelope:
        """The one email gathering ``deliveries`` for ``recipient``."""
        first = deliveries[0]
        items = "".join(
            render("digest-item", d.language, subject=d.subject, link=d.link).subject + "\n"
            + render("digest-item", d.language, subject=d.subject, link=d.link).body
            for d in deliveries
        )  # fmt: skip
        words = render("digest", first.language, name=first.recipient_name, day=day,
                       count=len(deliveries), items=items)  # fmt: skip
        key = f"digest_{day}_{first.recipient.lower()}_{first.channel}"
        return Envelope(
            key, first.channel, first.address, first.secret_ref, first.recipient_name,
            words.subject, words.body, {"type": "jejak.notification.digest", "day": day},
        )  # fmt: skip

    @activity.defn(name="dead_letter_digest")
    def dead_letter_digest(self, given: DigestInput) -> None:
        """Dead-letter every delivery of a day's digest that could not be sent."""
        batch = self.notifications.digest(date.fromisoformat(given.day))
        for ids in (batch.waiting() if batch else {}).values():
            for delivery_id in ids:
                self.notifications.dead_letter(uuid.UUID(delivery_id), given.reason, SYSTEM)
