"""`jejak sender`: the process that follows the notifications outbox and hands it to Temporal."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import structlog
from temporalio.client import Client

from infra.settings import Settings
from infra.store import EventStore
from infra.temporal import connect_unless_stopped
from projections.engine.viewstore import ViewStore
from projections.views.outbox import view as outbox
from workflows.notify.sender import OutboxSender
from workflows.notify.wiring import retry_of
from workflows.worker import stop_on_signals

log = structlog.get_logger("jejak.sender")


def outbox_source(views: ViewStore) -> Callable[[int, int], Sequence[outbox.OutboxMessage]]:
    """The outbox rows after a position (none while the outbox view is not built yet)."""

    def read(position: int, limit: int) -> Sequence[outbox.OutboxMessage]:
        try:
            return outbox.after(views, position, limit)
        except LookupError:
            return []

    return read


def sender_over(
    store: EventStore, views: ViewStore, client: Client, settings: Settings
) -> OutboxSender:
    """The sender of ``store``'s outbox through ``client``."""
    return OutboxSender(
        outbox_source(views),
        client,
        settings.temporal_task_queue,
        store.tracking_recorder(),
        retry_of(settings),
        poll_interval=max(settings.poll_interval, 0.5),
        max_age_seconds=settings.notify_max_age_hours * 3600,
    )


async def run_sender(settings: Settings) -> None:
    """Follow the outbox until SIGTERM or SIGINT."""
    stop = stop_on_signals()
    client = await connect_unless_stopped(settings, stop)
    if client is None:
        return
    store = EventStore(settings.store_url)
    views = ViewStore(store)
    sender = sender_over(store, views, client, settings)
    log.info("notification sender started", position=sender.position())
    try:
        await sender.run(stop)
    finally:
        views.close()
        store.close()
    log.info("notification sender stopped")
