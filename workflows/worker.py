"""The Temporal worker process: wiring only, no logic."""

from __future__ import annotations

import asyncio
import signal
from concurrent.futures import ThreadPoolExecutor

import structlog
from temporalio.client import Client
from temporalio.worker import Worker

from infra.settings import Settings
from infra.store import EventStore, open_store
from infra.temporal import TemporalUnavailableError, wait_until_ready
from workflows import registry
from workflows.notify.channels import Channels
from workflows.notify.wiring import channel_config, notification_activities, notification_workflows
from workflows.starter.loop import run_starter_until

log = structlog.get_logger("jejak.worker")

#: Threads for synchronous activities (the event store API is synchronous).
ACTIVITY_THREADS = 16


def stop_on_signals() -> asyncio.Event:
    """An event set by SIGTERM or SIGINT, so the worker finishes its tasks and leaves."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    return stop


async def run_worker(settings: Settings) -> None:
    """Connect to Temporal and run the registered workflows and activities until stopped."""
    stop = stop_on_signals()
    try:
        client = await wait_until_ready(settings, keep_waiting=lambda: not stop.is_set())
    except TemporalUnavailableError:
        if stop.is_set():
            return
        raise
    store = open_store(settings)
    try:
        await serve(client, store, settings, stop)
    finally:
        store.close()


async def serve(client: Client, store: EventStore, settings: Settings, stop: asyncio.Event) -> None:
    """Poll the task queue with everything the registry holds until ``stop`` is set."""
    found_workflows, found_activities = registry.workflows(), registry.activities(store)
    channels = Channels(channel_config(settings))
    found_workflows += notification_workflows()
    found_activities += notification_activities(store, settings, channels)
    if not found_workflows and not found_activities:
        # Temporal's Worker refuses to start empty; stay up so the stack looks whole.
        log.warning("no workflows registered yet", task_queue=settings.temporal_task_queue)
        await stop.wait()
        return
    with ThreadPoolExecutor(ACTIVITY_THREADS) as executor:
        worker = Worker(
            client,
            task_queue=settings.temporal_task_queue,
            workflows=found_workflows,
            activities=found_activities,
            activity_executor=executor,
        )
        log.info("worker started", task_queue=settings.temporal_task_queue)
        async with worker:
            # The workflow starter follows the event log beside the worker, in this loop.
            starter = asyncio.create_task(
                run_starter_until(
                    store, client, settings.temporal_task_queue, stop, settings.poll_interval
                )
            )
            await stop.wait()
            await starter
    await channels.close()
    log.info("worker stopped")
