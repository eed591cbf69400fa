"""The sender: follows the notifications outbox and starts one delivery workflow per message.

Like the workflow starter, it keeps its position in the tracking table (name
``jejak.notification-sender``) and saves it only after every message of a batch was handed
to Temporal. A crash in between hands a message again, which is harmless: its workflow id
is its outbox position, and Temporal refuses a second workflow with that id. The sender
never waits for a delivery, so a slow receiver holds up nothing here.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Sequence
from dataclasses import fields
from typing import Any

import structlog
from eventsourcing.persistence import Tracking, TrackingRecorder
from temporalio.client import Client
from temporalio.common import WorkflowIDConflictPolicy, WorkflowIDReusePolicy
from temporalio.exceptions import WorkflowAlreadyStartedError

from workflows.notify.inputs import DigestLoop, MessageInput
from workflows.notify.workflow import (
    DIGEST_WORKFLOW_ID,
    DigestWorkflow,
    NotificationWorkflow,
    notification_workflow_id,
)

log = structlog.get_logger("jejak.sender")

#: The sender's name in the tracking table.
TRACKING_NAME = "jejak.notification-sender"
_MESSAGE_FIELDS = {f.name for f in fields(MessageInput)}


#: Reads the outbox: the messages after a position, oldest first, at most ``limit``.
OutboxSource = Callable[[int, int], Sequence[Any]]


class OutboxSender:
    """Hands each outbox message to Temporal once, resuming from its saved position."""

    def __init__(
        self,
        source: OutboxSource,
        client: Client,
        task_queue: str,
        tracking: TrackingRecorder,
        retry: DigestLoop = DigestLoop(),
        poll_interval: float = 0.5,
        batch_size: int = 100,
        id_prefix: str = "notification",
        max_age_seconds: float = 0.0,
    ) -> None:
        self.source, self.client, self.task_queue = source, client, task_queue
        self.tracking, self.retry = tracking, retry
        self.poll_interval, self.batch_size = poll_interval, batch_size
        # One Temporal namespace serves one event log; tests sharing a server set a prefix.
        self.id_prefix = id_prefix
        self.max_age_seconds = max_age_seconds

    def position(self) -> int:
        """The last outbox position handed to Temporal."""
        return self.tracking.max_tracking_id(TRACKING_NAME) or 0

    def message(self, row: Any) -> MessageInput:
        """The workflow input of one outbox row."""
        given = {k: v for k, v in vars(row).items() if k in _MESSAGE_FIELDS}
        return MessageInput(
            **given,
            max_attempts=self.retry.max_attempts,
            retry_seconds=self.retry.retry_seconds,
            max_age_seconds=self.max_age_seconds,
        )

    async def hand_over(self, row: Any) -> None:
        """Start the delivery workflow of one message; one that already exists is left alone."""
        try:
            await self.client.start_workflow(
                NotificationWorkflow.run,
                self.message(row),
                id=notification_workflow_id(row.position, self.id_prefix),
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
                id_reuse_policy=WorkflowIDReusePolicy.REJECT_DUPLICATE,
            )
        except WorkflowAlreadyStartedError:
            log.debug("message already handed over", position=row.position)

    async def catch_up(self) -> int:
        """Hand over every message written so far; returns the position reached."""
        position = self.position()
        while rows := await asyncio.to_thread(self.source, position, self.batch_size):
            for row in rows:
                await self.hand_over(row)
            position = rows[-1].position
            await asyncio.to_thread(
                self.tracking.insert_tracking, Tracking(TRACKING_NAME, position)
            )
        return position

    async def start_digest(self) -> None:
        """Start the daily digest workflow unless it runs."""
        with contextlib.suppress(WorkflowAlreadyStartedError):
            await self.client.start_workflow(
                DigestWorkflow.run,
                self.retry,
                id=DIGEST_WORKFLOW_ID,
                task_queue=self.task_queue,
                id_conflict_policy=WorkflowIDConflictPolicy.USE_EXISTING,
            )

    async def run(self, stop: asyncio.Event) -> None:
        """Follow the outbox until ``stop`` is set; failures are logged and retried."""
        backoff, digest_started = 0.0, False
        while not stop.is_set():
            try:
                if not digest_started:
                    await self.start_digest()
                    digest_started = True
                await self.catch_up()
                backoff = self.poll_interval
            except Exception as exc:  # Temporal or the database is away: retry from the position
                backoff = min(5.0, max(backoff * 2, 0.2))
                log.error("notification sender stalled", error=repr(exc), retry_in=backoff)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=backoff)
